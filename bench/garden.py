#!/usr/bin/env python3
"""`rundle serve` (the Garden HTTP API) against the CLI and raw runc, and the daemon's own costs.

One run, four parts, all against one private daemon (its own depot, socket, runtime root and
cgroup parent under a temporary directory):

1. cycle: create + run `true` (to its exit status) + destroy, three ways, interleaved (round i
   rotates the order daemon, CLI, raw):
     daemon - Garden HTTP over the unix socket as the Go client does it: one connection per
              request; Run reads the 201 head and the first payload, opens the stdout and
              stderr stream connections, then reads the exit status and both streams to EOF;
     CLI    - `rundle create`, `rundle exec <h> -- true`, `rundle delete <h>`;
     raw    - `runc run -d` on a copy of the bundle Rundle generated (overlay mounted once up
              front, as bench/compare.py does), `runc exec <id> true`, `runc kill KILL` + wait
              for the init + `runc delete`.
2. `GET /containers/<h>/info` requests per second over N containers (default 100) made through
   the daemon: one client thread, then several (default 8), one connection per request.
3. daemon memory (VmRSS, and Pss from smaps_rollup) fresh, with N containers, and with N
   containers running 2 `sleep 3600` each (started by Run; the control connection is closed
   after the first payload, so the processes run on); the keepers' total for context.
4. re-adoption: kill -9 the daemon, start it again, time from spawn to the first 200 of
   `GET /ping`; also the duration the daemon logs for `re-adopted the depot`.
Medians and p90 (nearest rank). Never a pass/fail test, but a daemon request that fails is
reported at the end (the bench goes on: a failed cycle is done again on a new handle, a failed
detached Run is not retried). Every container it made is destroyed on the way out, ^C included.
"""
import argparse, glob, json, math, os, re, shutil, signal, socket, statistics, subprocess, sys, tempfile, threading, time

sys.dont_write_bytecode = True  # no bench/__pycache__ from the import below
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from compare import make_raw_bundle, sh, timed, wait_gone  # noqa: E402  (same helpers as the raw-runtime bench)

TIMEOUT = 120  # seconds any one socket operation may take before the bench gives up
LIMITS = {"bandwidth_limits": {}, "cpu_limits": {}, "disk_limits": {}, "memory_limits": {}, "pid_limits": {}}

# ---------------------------------------------------------------- a minimal Garden client

class GardenFailure(Exception):
    pass

class Garden:
    """The Go client's wire behaviour over a unix socket, nothing more."""

    def __init__(self, path):
        self.path = path

    def _connect(self):
        s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        s.settimeout(TIMEOUT)
        s.connect(self.path)
        return s

    def _send(self, method, path, body=None, close=True):
        head = f"{method} {path} HTTP/1.1\r\nHost: api\r\nUser-Agent: Go-http-client/1.1\r\n"
        if close:  # the Go client disables keep-alives for plain requests
            head += "Connection: close\r\nAccept-Encoding: gzip\r\n"
        data = b""
        if body is not None:
            data = (json.dumps(body) + "\n").encode()
            head += f"Content-Type: application/json\r\nContent-Length: {len(data)}\r\n"
        s = self._connect()
        s.sendall(head.encode() + b"\r\n" + data)
        return s

    @staticmethod
    def _head(s):
        buf = b""
        while b"\r\n\r\n" not in buf:
            d = s.recv(4096)
            if not d:
                raise GardenFailure(f"connection closed before the response head ({buf!r})")
            buf += d
        head, _, rest = buf.partition(b"\r\n\r\n")
        lines = head.decode("latin-1").split("\r\n")
        status = int(lines[0].split()[1])
        headers = {}
        for line in lines[1:]:
            k, _, v = line.partition(":")
            headers[k.strip().lower()] = v.strip()
        return status, headers, rest

    @staticmethod
    def _body(s, headers, rest):
        n = int(headers.get("content-length", "-1"))
        while n < 0 or len(rest) < n:
            d = s.recv(65536)
            if not d:
                break
            rest += d
        return rest if n < 0 else rest[:n]

    def request(self, method, path, body=None):
        """One request on its own connection: (status, body bytes)."""
        s = self._send(method, path, body)
        try:
            status, headers, rest = self._head(s)
            return status, self._body(s, headers, rest)
        finally:
            s.close()

    def call(self, method, path, body=None, want=200):
        status, data = self.request(method, path, body)
        if status != want:
            raise GardenFailure(f"{method} {path}: {status} {data.decode(errors='replace').strip()}")
        return json.loads(data)

    def ping(self):
        try:
            return self.request("GET", "/ping")[0] == 200
        except OSError:
            return False

    @staticmethod
    def _line(s, rest):
        while b"\n" not in rest:
            d = s.recv(4096)
            if not d:
                raise GardenFailure(f"control connection closed mid-stream ({rest!r})")
            rest += d
        line, _, rest = rest.partition(b"\n")
        return json.loads(line), rest

    @staticmethod
    def _drain(s):
        chunks = []
        while True:
            d = s.recv(65536)
            if not d:
                return b"".join(chunks)
            chunks.append(d)

    def _stream(self, handle, pid, sid, name):
        s = self._send("GET", f"/containers/{handle}/processes/{pid}/attaches/{sid}/{name}", close=False)
        status, _, rest = self._head(s)
        if status != 200:
            raise GardenFailure(f"{name} stream: {status}")
        return s, rest

    def run(self, handle, spec, wait=True):
        """Run. wait: open stdout and stderr like the Go client and return (exit status, stdout,
        stderr) once the status came and both streams ended. Otherwise close the control
        connection after the first payload (the process runs on) and return its id."""
        a = self._send("POST", f"/containers/{handle}/processes", spec, close=False)
        try:
            status, headers, rest = self._head(a)
            if status != 201:
                raise GardenFailure(f"run in {handle}: {status} {self._body(a, headers, rest).decode(errors='replace').strip()}")
            first, rest = self._line(a, rest)
            pid, sid = first["process_id"], first["stream_id"]
            if not wait:
                return pid
            b, out = self._stream(handle, pid, sid, "stdout")
            c, err = self._stream(handle, pid, sid, "stderr")
            try:
                while True:
                    msg, rest = self._line(a, rest)
                    if "exit_status" in msg or "error" in msg:
                        break
                out, err = out + self._drain(b), err + self._drain(c)
            finally:
                b.close()
                c.close()
            if "error" in msg:
                raise GardenFailure(f"run in {handle}: process error {msg['error']}")
            return msg["exit_status"], out, err
        finally:
            a.close()

    def create(self, handle, privileged):
        spec = {"handle": handle, "image": {}, "limits": LIMITS}
        if privileged:
            spec["privileged"] = True
        return self.call("POST", "/containers", spec)["Handle"]

    def destroy(self, handle):
        self.call("DELETE", f"/containers/{handle}")

# ---------------------------------------------------------------- the daemon

class Daemon:
    """The `rundle serve` this bench started (only ever this pid is signalled)."""

    def __init__(self, argv, log_path, sock):
        self.argv, self.log_path, self.garden = argv, log_path, Garden(sock)
        self.proc = None
        self.log_offset = 0

    def start(self):
        """Spawns the daemon; returns ms from spawn to the first answered GET /ping."""
        self.log_offset = os.path.getsize(self.log_path) if os.path.exists(self.log_path) else 0
        log = open(self.log_path, "a")
        t = time.perf_counter()
        # Own session: a ^C to the bench must reach the bench (which cleans up), not the daemon.
        self.proc = subprocess.Popen(self.argv, stdin=subprocess.DEVNULL, stdout=log, stderr=log, start_new_session=True)
        log.close()
        deadline = t + 120
        while not self.garden.ping():
            if self.proc.poll() is not None:
                raise SystemExit(f"rundle serve exited with {self.proc.returncode}; its log:\n{self.log_tail()}")
            if time.perf_counter() > deadline:
                raise SystemExit(f"rundle serve did not answer /ping within 120 s; its log:\n{self.log_tail()}")
            time.sleep(0.001)
        return (time.perf_counter() - t) * 1000

    def alive(self):
        return self.proc is not None and self.proc.poll() is None

    def kill9(self):
        self.proc.send_signal(signal.SIGKILL)
        self.proc.wait()

    def stop(self):
        if not self.alive():
            return
        self.proc.send_signal(signal.SIGTERM)
        try:
            self.proc.wait(20)
        except subprocess.TimeoutExpired:
            self.proc.send_signal(signal.SIGKILL)
            self.proc.wait()

    def new_log(self):
        with open(self.log_path, errors="replace") as f:
            f.seek(self.log_offset)
            return f.read()

    def log_tail(self, n=30):
        with open(self.log_path, errors="replace") as f:
            return "".join(f.readlines()[-n:])

    def memory(self):
        return memory(self.proc.pid)

    def cpu_seconds(self):
        fields = open(f"/proc/{self.proc.pid}/stat").read().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")

def memory(pid):
    """(VmRSS kB, Pss kB) of a process."""
    rss = pss = 0
    for line in open(f"/proc/{pid}/status"):
        if line.startswith("VmRSS:"):
            rss = int(line.split()[1])
    for line in open(f"/proc/{pid}/smaps_rollup"):
        if line.startswith("Pss:"):
            pss = int(line.split()[1])
    return rss, pss

def readoption_line(text):
    """The fields of the daemon's `re-adopted the depot` log line."""
    for line in text.splitlines():
        if "re-adopted the depot" in line:
            fields = dict(re.findall(r"(\w+)=(\S+)", line))
            return {"containers": int(fields.get("containers", -1)),
                    "running_processes": int(fields.get("running_processes", -1)),
                    "oom_watches": int(fields.get("oom_watches", -1)),
                    "duration_ms": float(fields.get("duration", "nan")) * 1000}
    return None

# ---------------------------------------------------------------- statistics

def med(xs):
    return statistics.median(xs) if xs else float("nan")

def p90(xs):
    if not xs:
        return float("nan")
    s = sorted(xs)
    return s[max(0, math.ceil(0.9 * len(s)) - 1)]

# ---------------------------------------------------------------- the raw runtime's bundle

def raw_bundle_from_template(rundle, g, priv, rootfs, work, privileged):
    """bench/compare.py's raw side: a copy of the bundle Rundle generated for a template
    container, over an overlay mounted once up front (unprivileged: on the template's idmapped
    lower, so the layer stack is the same). Returns the bundle directory and the template."""
    depot = g[g.index("--depot") + 1]
    h = "bench-template"
    sh([rundle, "create", h, "--rootfs", rootfs] + g + priv)
    bundle = f"{work}/raw"
    make_raw_bundle(depot, h, rootfs, privileged, bundle, "rundle-bench/raw-garden")
    return bundle, h

# ---------------------------------------------------------------- the parts

STEPS = ("create", "run", "destroy")
SIDES = ("daemon", "cli", "raw")

def daemon_cycle(a, garden, h, made):
    t0 = time.perf_counter()
    garden.create(h, a.privileged)
    made.add(h)
    t1 = time.perf_counter()
    status, out, err = garden.run(h, {"path": "true", "rlimits": {}, "image": {}})
    t2 = time.perf_counter()
    if status != 0:
        raise GardenFailure(f"`true` in {h} exited {status} ({out!r} {err!r})")
    garden.destroy(h)
    made.discard(h)
    t3 = time.perf_counter()
    return (t1 - t0) * 1000, (t2 - t1) * 1000, (t3 - t2) * 1000

def part_cycle(a, d, rundle, g, priv, bundle, rawroot, log, made, errors):
    garden = d.garden
    times = {side: {k: [] for k in STEPS + ("cycle",)} for side in SIDES}
    r = ["runc", "--root", rawroot]
    for i in range(a.rounds + 2):
        order = SIDES[i % 3:] + SIDES[:i % 3]
        for side in order:
            if side == "daemon":
                # A failed request is reported (errors) and the daemon's cycle of this round done
                # again on a fresh handle, at most twice more: one flaky error must not lose the run.
                for attempt in range(3):
                    h = f"cd{i}" + (f"-retry{attempt}" if attempt else "")
                    try:
                        c, e, x = daemon_cycle(a, garden, h, made)
                        break
                    except GardenFailure as failure:
                        errors.append(f"cycle round {i}: {failure}")
                        log(f"  daemon error: {failure}")
                        if h in made:
                            try:
                                garden.destroy(h)
                                made.discard(h)
                            except GardenFailure:
                                pass
                else:
                    raise GardenFailure("the daemon failed the same cycle three times")
            elif side == "cli":
                h = f"cc{i}"
                c = timed([rundle, "create", h, "--rootfs", a.rootfs] + g + priv)
                e = timed([rundle, "exec"] + g + [h, "--", "true"])
                x = timed([rundle, "delete"] + g + [h])
            else:
                cid = f"raw{i}"
                c = timed(r + ["run", "-d", "--bundle", bundle, "--pid-file", f"{bundle}/pid", cid])
                e = timed(r + ["exec", cid, "true"])
                pid = int(open(f"{bundle}/pid").read())
                t = time.perf_counter()
                sh(r + ["kill", cid, "KILL"])
                wait_gone(pid)
                sh(r + ["delete", cid])
                x = (time.perf_counter() - t) * 1000
            if i >= 2:  # the first two rounds warm caches
                for k, v in zip(STEPS + ("cycle",), (c, e, x, c + e + x)):
                    times[side][k].append(v)
        log(f"  cycle round {i + 1}/{a.rounds + 2}")
    return times

def server_side_ms(text, warmup=2):
    """Median duration_ms the daemon logged per route during the cycle part (its own time from
    the request head to the answer; for run, to the hijack), warm-up rounds left out. Only the
    daemon side of the cycle talks to the daemon then; create lines carry no handle, so they are
    taken in order."""
    out, creates = {}, 0
    for line in text.splitlines():
        if " request" not in line:
            continue
        f = dict(re.findall(r"(\w+)=(\S+)", line))
        if "duration_ms" not in f:
            continue
        if f.get("route") == "create":
            creates += 1
            if creates > warmup:
                out.setdefault("create", []).append(float(f["duration_ms"]))
        elif re.fullmatch(r"cd(\d+)", f.get("handle", "")) and int(f["handle"][2:]) >= warmup:
            out.setdefault(f.get("route"), []).append(float(f["duration_ms"]))
    return {k: med(v) for k, v in out.items()}

def part_info(a, d, handles):
    garden = d.garden
    paths = [f"/containers/{h}/info".encode() for h in handles]
    # One answer checked in full; the loops then only look at the status line.
    info = garden.call("GET", f"/containers/{handles[0]}/info")
    if info.get("State") != "active":
        raise GardenFailure(f"info of {handles[0]}: {info}")

    def one(path):
        s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        s.settimeout(TIMEOUT)
        try:
            s.connect(garden.path)
            s.sendall(b"GET " + path + b" HTTP/1.1\r\nHost: api\r\nUser-Agent: Go-http-client/1.1\r\n"
                      b"Connection: close\r\nAccept-Encoding: gzip\r\n\r\n")
            status, headers, rest = Garden._head(s)
            Garden._body(s, headers, rest)
            return status == 200
        finally:
            s.close()

    def hammer(threads, seconds):
        counts = [[0, 0] for _ in range(threads)]
        lat = [[] for _ in range(threads)]
        stop = time.perf_counter() + seconds

        def worker(k):
            n = 0
            while True:
                t = time.perf_counter()
                if t >= stop:
                    break
                try:
                    ok = one(paths[(k + n * threads) % len(paths)])
                except OSError:
                    ok = False
                lat[k].append((time.perf_counter() - t) * 1000)
                counts[k][0 if ok else 1] += 1
                n += 1

        cpu0, mine0 = d.cpu_seconds(), sum(os.times()[:2])
        t = time.perf_counter()
        ts = [threading.Thread(target=worker, args=(k,), daemon=True) for k in range(threads)]
        for th in ts:
            th.start()
        for th in ts:
            th.join()
        elapsed = time.perf_counter() - t
        cpu, mine = d.cpu_seconds() - cpu0, sum(os.times()[:2]) - mine0
        ok = sum(c[0] for c in counts)
        errors = sum(c[1] for c in counts)
        all_lat = [x for l in lat for x in l]
        return {"threads": threads, "requests": ok, "errors": errors, "seconds": elapsed, "rps": ok / elapsed,
                "latency_ms_median": med(all_lat), "latency_ms_p90": p90(all_lat),
                "daemon_cpu_ms_per_request": cpu * 1000 / max(1, ok + errors),
                "client_cpu_ms_per_request": mine * 1000 / max(1, ok + errors)}

    hammer(1, 0.5)  # warm-up
    return [hammer(1, a.seconds), hammer(a.clients, a.seconds)]

def keeper_pids(depot):
    pids = []
    for path in glob.glob(f"{depot}/*/processes/*/keeper.pid"):
        try:
            pid = int(open(path).read().split()[0])
            os.kill(pid, 0)
            pids.append(pid)
        except (OSError, ValueError, IndexError):
            pass
    return pids

# ---------------------------------------------------------------- main

def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--bin-dir", required=True, help="directory holding rundle, rundle-keeper, rundle-init")
    ap.add_argument("--rootfs", required=True)
    ap.add_argument("--rounds", type=int, default=15, help="measured cycle rounds (after 2 warm-up rounds)")
    ap.add_argument("--containers", type=int, default=100)
    ap.add_argument("--processes", type=int, default=2, help="`sleep 3600` processes per container for memory/re-adoption")
    ap.add_argument("--clients", type=int, default=8, help="client threads for the info requests")
    ap.add_argument("--seconds", type=float, default=5, help="duration of each info-request run")
    ap.add_argument("--restarts", type=int, default=3, help="kill -9 + restart rounds for re-adoption")
    ap.add_argument("--depot", help="depot directory (default: a fresh one under a temporary directory; must not exist)")
    ap.add_argument("--privileged", action="store_true")
    ap.add_argument("--json", action="store_true", help="print the results as one JSON object instead of tables")
    ap.add_argument("--keep-log", metavar="PATH", help="copy the daemon's log there at the end")
    a = ap.parse_args()
    # SIGTERM too unwinds through the clean-up below (as ^C does).
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))

    def log(msg):
        print(msg, file=sys.stderr, flush=True)

    a.rootfs = os.path.abspath(a.rootfs)  # the daemon takes absolute rootfs paths only
    rundle = os.path.join(a.bin_dir, "rundle")
    if a.depot and os.path.exists(a.depot):
        raise SystemExit(f"--depot {a.depot} exists; give a fresh path (the bench deletes every container in it)")
    work = tempfile.mkdtemp(prefix="rundle-garden-")
    os.chmod(work, 0o755)  # the mapped root of unprivileged containers must traverse it
    depot = os.path.abspath(a.depot) if a.depot else f"{work}/depot"
    rroot, rawroot, sock = f"{work}/rundle-root", f"{work}/raw-root", f"{work}/garden.sock"
    g = ["--depot", depot, "--runtime", "runc", "--runtime-root", rroot, "--cgroup-parent", "rundle-bench"]
    priv = ["--privileged"] if a.privileged else []
    d = Daemon([rundle, "serve", "--listen", f"unix://{sock}", "--default-rootfs", a.rootfs] + g,
               f"{work}/serve.log", sock)
    made = set()  # daemon-made handles not yet destroyed
    errors = []  # failed daemon requests, reported (the bench goes on where it can)
    res = {"rounds": a.rounds, "containers": a.containers, "processes_per_container": a.processes,
           "privileged": a.privileged}
    os.makedirs(rawroot)
    try:
        res["first_start_ms"] = d.start()
        time.sleep(0.2)
        res["memory_fresh_kb"] = d.memory()

        # 1. cycle
        bundle, template = raw_bundle_from_template(rundle, g, priv, a.rootfs, work, a.privileged)
        log(f"cycle: {a.rounds} rounds (+2 warm-up), daemon / CLI / raw runc, rotating order")
        times = part_cycle(a, d, rundle, g, priv, bundle, rawroot, log, made, errors)
        res["cycle_ms"] = {side: {k: {"median": med(v), "p90": p90(v)} for k, v in steps.items()}
                           for side, steps in times.items()}
        res["cycle_samples_ms"] = times
        res["daemon_logged_ms"] = server_side_ms(d.new_log())
        sh(["umount", f"{bundle}/rootfs"])  # before its lower, the template's, goes
        sh([rundle, "delete"] + g + [template])

        # 2. info requests per second
        handles = [f"gd{i}" for i in range(a.containers)]
        log(f"creating {a.containers} containers through the daemon")
        create_ms = []
        for h in handles:
            made.add(h)
            t = time.perf_counter()
            d.garden.create(h, a.privileged)
            create_ms.append((time.perf_counter() - t) * 1000)
        res["create_many_ms"] = {"median": med(create_ms), "p90": p90(create_ms), "total": sum(create_ms)}
        time.sleep(0.5)
        res["memory_containers_kb"] = d.memory()
        log(f"info requests: 1 client, then {a.clients}, {a.seconds:g} s each")
        res["info"] = part_info(a, d, handles)

        # 3. memory with running processes
        log(f"starting {a.processes} `sleep 3600` in each of the {a.containers} containers (Run, connection closed after the first payload)")
        run_ms = []
        for h in handles:
            for _ in range(a.processes):
                t = time.perf_counter()
                try:
                    d.garden.run(h, {"path": "sleep", "args": ["3600"], "rlimits": {}, "image": {}}, wait=False)
                    run_ms.append((time.perf_counter() - t) * 1000)
                except GardenFailure as failure:  # reported; not retried (the count is checked below)
                    errors.append(f"detached run: {failure}")
                    log(f"  daemon error: {failure}")
        res["run_detached_ms"] = {"median": med(run_ms), "p90": p90(run_ms)}
        time.sleep(1.0)  # sessions notice their closed connections; a measurement, not a test
        keepers = keeper_pids(depot)
        km = [memory(p) for p in keepers]
        res["keepers"] = {"count": len(keepers), "rss_kb_total": sum(m[0] for m in km), "pss_kb_total": sum(m[1] for m in km)}
        res["memory_processes_kb"] = d.memory()
        res["daemon_threads_with_processes"] = len(os.listdir(f"/proc/{d.proc.pid}/task"))

        # 4. re-adoption
        res["readoption"] = []
        for k in range(a.restarts):
            log(f"re-adoption {k + 1}/{a.restarts}: kill -9, start again")
            d.kill9()
            time.sleep(0.5)
            ms = d.start()
            line = readoption_line(d.new_log()) or {}
            alive = len(keeper_pids(depot))
            res["readoption"].append(dict(line, ping_ms=ms, keepers_alive=alive))
        time.sleep(0.5)
        res["memory_readopted_kb"] = d.memory()
        # The processes are the daemon's again: one Attach gets a stream id back.
        h0 = handles[0]
        pid0 = [os.path.basename(p) for p in glob.glob(f"{depot}/{h0}/processes/*")]
        res["attach_after_restart"] = False
        if pid0:
            s = d.garden._send("GET", f"/containers/{h0}/processes/{pid0[0]}", close=False)
            try:
                st, _, rest = Garden._head(s)
                res["attach_after_restart"] = st == 200 and "stream_id" in Garden._line(s, rest)[0]
            finally:
                s.close()

        log(f"destroying the {a.containers} containers (each with {a.processes} running processes)")
        destroy_ms = []
        for h in handles:
            t = time.perf_counter()
            d.garden.destroy(h)
            made.discard(h)
            destroy_ms.append((time.perf_counter() - t) * 1000)
        res["destroy_many_ms"] = {"median": med(destroy_ms), "p90": p90(destroy_ms), "total": sum(destroy_ms)}
        logtext = open(d.log_path, errors="replace").read()
        res["errors"] = errors
        res["daemon_log_not_info"] = [l for l in logtext.splitlines() if l and " info rundle.serve" not in l]
        report(a, res)
    finally:
        if made and d.alive():
            for h in sorted(made):
                try:
                    d.garden.destroy(h)
                except Exception:
                    pass
        d.stop()
        if a.keep_log and os.path.exists(d.log_path):
            shutil.copyfile(d.log_path, a.keep_log)
        if os.path.ismount(f"{work}/raw/rootfs"):
            subprocess.run(["umount", f"{work}/raw/rootfs"], stderr=subprocess.DEVNULL)
        for cid in subprocess.run(["runc", "--root", rawroot, "list", "-q"], capture_output=True, text=True).stdout.split():
            subprocess.run(["runc", "--root", rawroot, "delete", "-f", cid], stderr=subprocess.DEVNULL)
        left = subprocess.run([rundle, "list", "-q"] + g, capture_output=True, text=True).stdout.split()
        if left:
            subprocess.run([rundle, "delete"] + g + left, stdout=subprocess.DEVNULL)
        shutil.rmtree(work, ignore_errors=True)
        if a.depot:
            shutil.rmtree(depot, ignore_errors=True)

def report(a, res):
    if a.json:
        json.dump(res, sys.stdout, indent=1)
        print()
        return
    c = res["cycle_ms"]
    kind = "privileged" if a.privileged else "unprivileged (user namespace, idmapped overlay)"
    print(f"rundle serve (Garden HTTP, unix socket) against the CLI and raw runc   container: {kind}   rounds: {a.rounds}")
    print(f"{'ms (median / p90)':<18} {'daemon':>15} {'CLI':>15} {'raw runc':>15} {'daemon/raw':>11} {'CLI/raw':>8} {'daemon/CLI':>11}")
    names = {"create": "create", "run": "run `true`", "destroy": "destroy", "cycle": "whole cycle"}
    for k in STEPS + ("cycle",):
        dm, cm, rm = (c[s][k]["median"] for s in SIDES)
        cells = " ".join(f"{c[s][k]['median']:>7.1f} /{c[s][k]['p90']:>6.1f}" for s in SIDES)
        print(f"{names[k]:<18} {cells} {dm / rm:>10.2f}x {cm / rm:>7.2f}x {dm / cm:>10.2f}x")
    logged = res["daemon_logged_ms"]
    print("  daemon's own logged time per request (median ms): "
          + ", ".join(f"{r} {logged[r]:.1f}" for r in ("create", "run", "stdout", "stderr", "destroy") if r in logged))
    print()
    print(f"GET /containers/<h>/info over {a.containers} containers, one connection per request")
    print(f"{'clients':>8} {'req/s':>8} {'errors':>7} {'ms median':>10} {'ms p90':>8} {'daemon CPU ms/req':>18} {'client CPU ms/req':>18}")
    for r in res["info"]:
        print(f"{r['threads']:>8} {r['rps']:>8.0f} {r['errors']:>7} {r['latency_ms_median']:>10.2f} {r['latency_ms_p90']:>8.2f}"
              f" {r['daemon_cpu_ms_per_request']:>18.3f} {r['client_cpu_ms_per_request']:>18.3f}")
    print(f"  (creating the {a.containers} through the daemon: median {res['create_many_ms']['median']:.1f} ms each;"
          f" Run of a detached `sleep`: median {res['run_detached_ms']['median']:.1f} ms, p90 {res['run_detached_ms']['p90']:.1f})")
    print()
    print("daemon memory (kB)              VmRSS      Pss")
    for label, key in (("fresh, no containers", "memory_fresh_kb"),
                       (f"{a.containers} containers", "memory_containers_kb"),
                       (f"+ {a.containers * a.processes} running processes", "memory_processes_kb"),
                       ("same, after re-adoption", "memory_readopted_kb")):
        rss, pss = res[key]
        print(f"  {label:<28} {rss:>8} {pss:>8}")
    k = res["keepers"]
    print(f"  for context: {k['count']} keepers, RSS {k['rss_kb_total']} kB in total, Pss {k['pss_kb_total']} kB in total;"
          f" daemon threads {res['daemon_threads_with_processes']}")
    print()
    ro = res["readoption"]
    print(f"re-adoption after kill -9 ({a.containers} containers, {a.containers * a.processes} running processes), {len(ro)} restarts")
    print("  spawn to first /ping ms:   " + " ".join(f"{r['ping_ms']:.0f}" for r in ro) + f"   (median {med([r['ping_ms'] for r in ro]):.0f})")
    print("  logged re-adoption ms:     " + " ".join(f"{r.get('duration_ms', float('nan')):.0f}" for r in ro)
          + f"   (median {med([r.get('duration_ms', float('nan')) for r in ro]):.0f})")
    print("  logged containers / running processes: " + " ".join(f"{r.get('containers')}/{r.get('running_processes')}" for r in ro)
          + f"   keepers alive after each: {' '.join(str(r['keepers_alive']) for r in ro)}"
          + f"   attach after restart: {'ok' if res['attach_after_restart'] else 'FAILED'}")
    dm = res["destroy_many_ms"]
    print(f"  destroying the {a.containers} (each with running processes): median {dm['median']:.1f} ms, p90 {dm['p90']:.1f}, total {dm['total'] / 1000:.1f} s")
    if res["errors"]:
        print(f"\nFAILED daemon requests: {len(res['errors'])} (the bench went on; see above for what ran)")
        for line in res["errors"][:10]:
            print("  " + line)
    bad = res["daemon_log_not_info"]
    if bad:
        print(f"\ndaemon log lines above info: {len(bad)}; the first ones:")
        for line in bad[:10]:
            print("  " + line)

if __name__ == "__main__":
    main()
