#!/usr/bin/env python3
"""`rundle stats` for N containers against `runc events --stats` for each, interleaved.

Creates N containers (default 100), then alternates: one `rundle stats --json H1 … HN` (reads
cgroup files directly), and N calls of `runc events --stats Hi` (the runtime's own one-shot
stats, as Guardian's Metrics used). Prints the medians and the ratio. Not a pass/fail test.
"""
import argparse, os, shutil, statistics, subprocess, tempfile, time

def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--bin-dir", required=True)
    ap.add_argument("--rootfs", required=True)
    ap.add_argument("--containers", type=int, default=100)
    ap.add_argument("--rounds", type=int, default=5)
    a = ap.parse_args()
    rundle = os.path.join(a.bin_dir, "rundle")
    work = tempfile.mkdtemp(prefix="rundle-stats-")
    os.chmod(work, 0o755)
    g = ["--depot", f"{work}/depot", "--runtime", "runc", "--runtime-root", f"{work}/root", "--cgroup-parent", "rundle-bench"]
    handles = [f"s{i}" for i in range(a.containers)]
    try:
        for h in handles:
            subprocess.run([rundle, "create", h, "--rootfs", a.rootfs, "--memory", "64M"] + g, check=True, stdout=subprocess.DEVNULL)
        ours, theirs = [], []
        for i in range(a.rounds + 1):
            t = time.perf_counter()
            subprocess.run([rundle, "stats", "--json"] + g + handles, check=True, stdout=subprocess.DEVNULL)
            d1 = time.perf_counter() - t
            t = time.perf_counter()
            for h in handles:
                subprocess.run(["runc", "--root", f"{work}/root", "events", "--stats", h], check=True, stdout=subprocess.DEVNULL)
            d2 = time.perf_counter() - t
            if i > 0:  # the first round warms caches
                ours.append(d1 * 1000)
                theirs.append(d2 * 1000)
        o, r = statistics.median(ours), statistics.median(theirs)
        print(f"stats of {a.containers} containers, median of {a.rounds} rounds")
        print(f"  rundle stats (one command):      {o:8.1f} ms")
        print(f"  runc events --stats (per handle): {r:8.1f} ms")
        print(f"  ratio rundle/runc:                {o / r:8.3f}x")
    finally:
        subprocess.run([rundle, "delete"] + g + handles, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        shutil.rmtree(work, ignore_errors=True)

if __name__ == "__main__":
    main()
