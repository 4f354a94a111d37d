#!/usr/bin/env python3
"""Memory of Rundle's keeper against conmon's, for the same idle process, side by side.

Starts N idle `sleep` processes in one container through `rundle exec -d` (one rundle-keeper
each) and N through conmon 2.x (`conmon --exec`, one conmon each) in the same container, then
reads RSS, PSS and private memory (Private_Clean + Private_Dirty) of every keeper and every
conmon from /proc/<pid>/smaps_rollup and prints the averages. PSS depends on how many copies
share the binary's pages, so both sides run the same number of copies.
"""
import argparse, glob, json, os, shutil, statistics, subprocess, tempfile, time

def smaps(pid):
    out = {}
    with open(f"/proc/{pid}/smaps_rollup") as f:
        for line in f:
            parts = line.split()
            if len(parts) >= 2 and parts[0].endswith(":"):
                try:
                    out[parts[0][:-1]] = int(parts[1])
                except ValueError:
                    pass
    return out["Rss"], out["Pss"], out.get("Private_Clean", 0) + out.get("Private_Dirty", 0)

def wait_for(path, timeout=20):
    deadline = time.time() + timeout
    while time.time() < deadline:
        if os.path.exists(path) and os.path.getsize(path) > 0:
            return True
        time.sleep(0.02)
    return False

def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--bin-dir", required=True)
    ap.add_argument("--rootfs", required=True)
    ap.add_argument("--copies", type=int, default=10)
    a = ap.parse_args()
    rundle = os.path.join(a.bin_dir, "rundle")
    conmon = shutil.which("conmon")
    work = tempfile.mkdtemp(prefix="rundle-mem-")
    os.chmod(work, 0o755)
    depot, root = f"{work}/depot", f"{work}/root"
    g = ["--depot", depot, "--runtime-root", root, "--cgroup-parent", "rundle-bench"]
    h = "mem"
    conmons = []
    try:
        subprocess.run([rundle, "create", h, "--rootfs", a.rootfs] + g, check=True, stdout=subprocess.DEVNULL)
        keepers = []
        for i in range(a.copies):
            pid_id = subprocess.run([rundle, "exec", "-d"] + g + [h, "--", "sleep", "100000"],
                                    check=True, capture_output=True, text=True).stdout.strip()
            keepers.append(f"{depot}/{h}/processes/{pid_id}/keeper.pid")
        keeper_pids = []
        for path in keepers:
            wait_for(path)
            keeper_pids.append(int(open(path).read().split()[0]))
        if conmon:
            # conmon runs the same process spec as the keepers (one of theirs, args unchanged).
            spec = glob.glob(f"{depot}/{h}/processes/*/process.json")[0]
            for i in range(a.copies):
                d = f"{work}/conmon{i}"
                os.makedirs(d)
                args = [conmon, "--cid", h, "--cuuid", f"exec{i}", "-n", h, "--runtime", shutil.which("runc"),
                        "--runtime-arg", f"--root={root}", "-b", f"{depot}/{h}", "-p", f"{d}/pid", "-P", f"{d}/conmon.pid",
                        "--exit-dir", d, "--log-path", f"k8s-file:{d}/log", "--socket-dir-path", d,
                        "-e", "--exec-process-spec", spec]
                subprocess.run(args, check=True, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
                wait_for(f"{d}/conmon.pid")
                conmons.append(int(open(f"{d}/conmon.pid").read().strip()))
        time.sleep(0.5)  # let both settle into their idle poll loops (a measurement, not a test)
        rows = [("rundle-keeper", keeper_pids)] + ([("conmon", conmons)] if conmons else [])
        print(f"{a.copies} idle `sleep` processes each, running side by side (kB, averages per copy)")
        print(f"{'':<14} {'RSS':>8} {'PSS':>8} {'private':>8}")
        for name, pids in rows:
            vals = [smaps(p) for p in pids]
            print(f"{name:<14} {statistics.mean(v[0] for v in vals):>8.0f} {statistics.mean(v[1] for v in vals):>8.0f} {statistics.mean(v[2] for v in vals):>8.0f}")
        if not conmon:
            print("conmon not installed (apt-get install conmon) — keeper figures only")
    finally:
        subprocess.run([rundle, "delete"] + g + [h], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        for pid in conmons:
            try:
                os.kill(pid, 9)
            except ProcessLookupError:
                pass
        shutil.rmtree(work, ignore_errors=True)

if __name__ == "__main__":
    main()
