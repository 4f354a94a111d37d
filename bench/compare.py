#!/usr/bin/env python3
"""Rundle against the raw OCI runtime on the same work, in one interleaved run.

Each round does, for the raw runtime and then for Rundle (order alternating per round):
  create  - start a container whose init is the no-op init (raw: `runtime run -d` on a bundle
            that is a copy of the one Rundle generated, over an overlay mounted once up front;
            Rundle: `rundle create`, which also mounts the container's overlay and writes the depot)
  exec    - run `true` in it to exit (raw: `runtime exec`; Rundle: `rundle exec`)
  delete  - raw: `runtime kill KILL`, wait for the init to die, `runtime delete`;
            Rundle: `rundle delete` (which also unmounts the overlay and removes the depot entry)
Prints medians (ms) and the ratio Rundle/raw per operation. Never a pass/fail test.
"""
import argparse, json, os, select, shutil, statistics, subprocess, sys, tempfile, time

def sh(args, **kw):
    return subprocess.run(args, check=True, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, **kw)

def timed(args):
    t = time.perf_counter()
    subprocess.run(args, check=True, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL)
    return (time.perf_counter() - t) * 1000

def wait_gone(pid, timeout=10):
    try:
        fd = os.pidfd_open(pid)
    except ProcessLookupError:
        return
    try:
        select.select([fd], [], [], timeout)
    finally:
        os.close(fd)


def make_raw_bundle(depot, h, rootfs, privileged, bundle, cgroups_path):
    """The raw runtime's side: a copy of the bundle Rundle generated for template container `h`,
    over an overlay mounted once up front (unprivileged: on the template's idmapped lower, so
    the layer stack is the same). The caller unmounts `bundle`/rootfs."""
    cfg = json.load(open(f"{depot}/{h}/config.json"))
    for d in ("upper", "work", "lower", "rootfs"):
        os.makedirs(f"{bundle}/{d}")
    lower = rootfs
    if not privileged:
        lower = f"{depot}/{h}/lower"
        uid = os.stat(f"{depot}/{h}/upper").st_uid
        for d in ("upper", "work"):
            os.chown(f"{bundle}/{d}", uid, uid)
    sh(["mount", "-t", "overlay", "overlay", "-o",
        f"lowerdir={lower},upperdir={bundle}/upper,workdir={bundle}/work", f"{bundle}/rootfs"])
    cfg["root"]["path"] = f"{bundle}/rootfs"
    cfg["linux"]["cgroupsPath"] = cgroups_path
    json.dump(cfg, open(f"{bundle}/config.json", "w"))

def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--bin-dir", required=True)
    ap.add_argument("--rootfs", required=True)
    ap.add_argument("--runtime", default="runc")
    ap.add_argument("--rounds", type=int, default=20)
    ap.add_argument("--privileged", action="store_true")
    ap.add_argument("--throughput-mib", type=int, default=256,
                    help="MiB a process writes to stdout for the throughput comparison (0: skip)")
    ap.add_argument("--throughput-rounds", type=int, default=5)
    a = ap.parse_args()

    rundle = os.path.join(a.bin_dir, "rundle")
    work = tempfile.mkdtemp(prefix="rundle-bench-")
    os.chmod(work, 0o755)  # the mapped root of unprivileged containers must traverse it
    depot, rroot, rawroot = f"{work}/depot", f"{work}/rundle-root", f"{work}/raw-root"
    g = ["--depot", depot, "--runtime", a.runtime, "--runtime-root", rroot, "--cgroup-parent", "rundle-bench"]
    priv = ["--privileged"] if a.privileged else []
    raw_bundle = f"{work}/raw"
    try:
        # Template: the bundle Rundle generates, so both sides start the same container.
        h = "bench-template"
        sh([rundle, "create", h, "--rootfs", a.rootfs] + g + priv)
        make_raw_bundle(depot, h, a.rootfs, a.privileged, raw_bundle, "rundle-bench/raw")
        os.makedirs(rawroot)

        times = {k: {"raw": [], "rundle": []} for k in ("create", "exec", "delete")}
        for i in range(a.rounds + 2):
            order = ["raw", "rundle"] if i % 2 == 0 else ["rundle", "raw"]
            for side in order:
                if side == "raw":
                    cid = f"raw{i}"
                    r = [a.runtime, "--root", rawroot]
                    c = timed(r + ["run", "-d", "--bundle", raw_bundle, "--pid-file", f"{raw_bundle}/pid", cid])
                    e = timed(r + ["exec", cid, "true"])
                    pid = int(open(f"{raw_bundle}/pid").read())
                    t = time.perf_counter()
                    sh(r + ["kill", cid, "KILL"])
                    wait_gone(pid)
                    sh(r + ["delete", cid])
                    d = (time.perf_counter() - t) * 1000
                else:
                    cid = f"rundle{i}"
                    c = timed([rundle, "create", cid, "--rootfs", a.rootfs] + g + priv)
                    e = timed([rundle, "exec"] + g + [cid, "--", "true"])
                    d = timed([rundle, "delete"] + g + [cid])
                if i >= 2:  # the first two rounds warm caches
                    times["create"][side].append(c)
                    times["exec"][side].append(e)
                    times["delete"][side].append(d)

        print(f"runtime: {a.runtime}   container: {'privileged' if a.privileged else 'unprivileged (user namespace, idmapped overlay)'}   rounds: {a.rounds}")
        print(f"{'operation':<10} {'raw ms':>8} {'rundle ms':>10} {'ratio':>7}")
        for op in ("create", "exec", "delete"):
            raw = statistics.median(times[op]["raw"])
            rd = statistics.median(times[op]["rundle"])
            print(f"{op:<10} {raw:>8.1f} {rd:>10.1f} {rd / raw:>6.2f}x")
        tot_raw = sum(statistics.median(times[o]["raw"]) for o in times)
        tot_rd = sum(statistics.median(times[o]["rundle"]) for o in times)
        print(f"{'cycle':<10} {tot_raw:>8.1f} {tot_rd:>10.1f} {tot_rd / tot_raw:>6.2f}x")
        if a.throughput_mib > 0:
            throughput(a, rundle, g, priv, raw_bundle, rawroot)
    finally:
        subprocess.run(["umount", f"{raw_bundle}/rootfs"], stderr=subprocess.DEVNULL)
        left = subprocess.run([rundle, "list", "-q"] + g, capture_output=True, text=True).stdout.split()
        if left:
            subprocess.run([rundle, "delete"] + g + left)
        shutil.rmtree(work, ignore_errors=True)

def throughput(a, rundle, g, priv, raw_bundle, rawroot):
    """A process writes N MiB to stdout, read to /dev/null by the caller: raw foreground
    `runtime exec` (runc copies through its own pipes) against `rundle exec` (through the keeper,
    which holds the process's pipe and keeps a bounded log)."""
    n = a.throughput_mib
    cmd = ["dd", "if=/dev/zero", "bs=1048576", f"count={n}"]
    r = [a.runtime, "--root", rawroot]
    sh(r + ["run", "-d", "--bundle", raw_bundle, "--pid-file", f"{raw_bundle}/pid", "tp-raw"])
    sh([rundle, "create", "tp-rundle", "--rootfs", a.rootfs] + g + priv)
    rates = {"raw": [], "rundle": []}
    try:
        for i in range(a.throughput_rounds):
            for side in (["raw", "rundle"] if i % 2 == 0 else ["rundle", "raw"]):
                argv = r + ["exec", "tp-raw"] + cmd if side == "raw" else [rundle, "exec"] + g + ["tp-rundle", "--"] + cmd
                # The reader is this script, through a pipe, as a caller's would be: both sides
                # must move every byte through a pipe it reads (no fd passed to /dev/null).
                t = time.perf_counter()
                p = subprocess.Popen(argv, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
                got = 0
                fd = p.stdout.fileno()
                while True:
                    chunk = os.read(fd, 1 << 20)
                    if not chunk:
                        break
                    got += len(chunk)
                p.wait()
                elapsed = time.perf_counter() - t
                if got != n * 1048576 or p.returncode != 0:
                    raise SystemExit(f"{side}: read {got} bytes, exit {p.returncode}")
                rates[side].append(got / elapsed / 1e6)
    finally:
        pid = int(open(f"{raw_bundle}/pid").read())
        subprocess.run(r + ["kill", "tp-raw", "KILL"])
        wait_gone(pid)
        subprocess.run(r + ["delete", "tp-raw"])
        subprocess.run([rundle, "delete"] + g + ["tp-rundle"], stdout=subprocess.DEVNULL)
    raw, rd = statistics.median(rates["raw"]), statistics.median(rates["rundle"])
    print(f"{'stdout MB/s':<10} {raw:>8.0f} {rd:>10.0f} {rd / raw:>6.2f}x   ({n} MiB, {a.throughput_rounds} rounds; higher is better)")

if __name__ == "__main__":
    main()
