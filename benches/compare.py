#!/usr/bin/env python3
"""Build speed and memory: gongshi against Hugo on the same generated notices.

Usage (from the repository, with ../shared beside it and `hugo` installed):

    python3 benches/compare.py                 # N = 1,000, 10,000 and 100,000
    python3 benches/compare.py 10000 --runs 5
    python3 benches/compare.py --serve 10000 --serve-only   # edit → reload in `gongshi serve`

For each N it generates the same notices for both tools with ../shared/bench/gen_corpus.py
and does one warm-up build of each. Then come RUNS rounds; each round makes one clean build of
each tool for every N, alternating (gongshi, Hugo, gongshi, Hugo, …), so that every N is
measured under the same conditions. Each build is a whole process measured by
`/usr/bin/time -v` (wall clock and peak resident memory), into a new, empty output folder. gongshi's unchanged rebuild (the output
folder already up to date) is measured too. Outputs are deleted only at the end (see below),
and every build starts after `sync`, so that none pays for writing an earlier build's files to
the disk.
Medians are printed as a Markdown table, with the ratios the project's targets are stated in.

Where the outputs go (the generated sources stay in a temporary folder on the disk):

    (default)          a temporary folder on the disk ($TMPDIR or /tmp)
    TMPDIR=/dev/shm    a RAM disk (tmpfs)
    --fresh-ext4       each build into a brand-new ext4 file system without a journal (as this
                       project's machine's disk is made), on a loop device in RAM. Needs root,
                       mkfs.ext4 and mount. It measures the file system's own work for every
                       folder and file, without the disk device and without the history the
                       disk's own file system carries from earlier runs (see below).

CPU time (user and system, from the same `time -v`) is printed too: on a disk, much of a build
is the kernel's work of making folders and files. `--floor` measures that work alone: after
the rounds it takes the list of files (paths and sizes) of each tool's last output and makes
exactly those files again, RUNS times each, alternating, with `examples/fs_floor.rs` (2
threads, as the build), each into a new folder where the builds went.
"""
import argparse, os, platform, re, shutil, statistics, subprocess, sys, tempfile, time

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(HERE)


def timed(cmd, cwd=None):
    """(wall seconds, peak RSS in MiB, user CPU seconds, system CPU seconds) of one whole
    process, from GNU time -v.

    `sync` first, untimed: the kernel writes a build's files to the disk about 30 s after it
    ends, and on 2 cores that work, done during a later build (of either tool), would be
    counted against that build instead."""
    subprocess.run(["sync"], check=True)
    out = subprocess.run(["/usr/bin/time", "-v"] + cmd, cwd=cwd, stdout=subprocess.DEVNULL,
                         stderr=subprocess.PIPE, text=True)
    if out.returncode != 0:
        sys.exit(f"failed: {' '.join(cmd)}\n{out.stderr[-2000:]}")
    wall = re.search(r"Elapsed \(wall clock\) time \(h:mm:ss or m:ss\): (\S+)", out.stderr).group(1)
    parts = [float(p) for p in wall.split(":")]
    secs = sum(p * 60 ** i for i, p in enumerate(reversed(parts)))
    rss_kb = int(re.search(r"Maximum resident set size \(kbytes\): (\d+)", out.stderr).group(1))
    cpu = [float(re.search(rf"{kind} time \(seconds\): (\S+)", out.stderr).group(1)) for kind in ("User", "System")]
    return secs, rss_kb / 1024, cpu[0], cpu[1]


class Ext4:
    """A new ext4 file system (no journal) on a loop device backed by RAM, mounted in `work`;
    `out` is an output folder in it. The one before is unmounted and dropped first."""
    current = None

    def __init__(self, work, n):
        Ext4.drop()
        size = max(2, n // 25000 + 2)  # GiB: enough for one build of each tool and a margin
        self.image = os.path.join("/dev/shm", f"gongshi-bench-{os.getpid()}.img")
        self.mnt = os.path.join(work, "ext4")
        os.makedirs(self.mnt, exist_ok=True)
        subprocess.run(["truncate", "-s", f"{size}G", self.image], check=True)
        subprocess.run(["mkfs.ext4", "-q", "-F", "-O", "^has_journal", "-E", "lazy_itable_init=0",
                        "-i", "8192", self.image], check=True)
        subprocess.run(["mount", "-o", "loop", self.image, self.mnt], check=True)
        self.out = os.path.join(self.mnt, "out")
        Ext4.current = self

    @staticmethod
    def drop():
        e = Ext4.current
        if e is not None:
            subprocess.run(["umount", e.mnt], check=True)
            os.remove(e.image)
            Ext4.current = None


def files_of(d, dest=None):
    """How many files `d` holds; with `dest`, also writes there a line "size path" for each
    (the input of fs_floor)."""
    lines = []
    for top, _, names in os.walk(d):
        for name in names:
            p = os.path.join(top, name)
            lines.append(f"{os.path.getsize(p)} {os.path.relpath(p, d)}\n" if dest else "")
    if dest:
        with open(dest, "w") as f:
            f.writelines(lines)
    return len(lines)


def serve_latency(gongshi, gen, n, edits=15):
    """Milliseconds from saving an edit of a notice to the live-reload event, in `gongshi serve`
    on a site of `n` generated notices (the spec's target: within 100 ms). The first edit adds
    the notice; the others change it."""
    import socket
    work = tempfile.mkdtemp(prefix="gongshi-serve-")
    proc = None
    try:
        site = os.path.join(work, "site")
        subprocess.run([sys.executable, gen, "gongshi", str(n), site], check=True)
        proc = subprocess.Popen([gongshi, "serve", "--port", "0", "--as-of", "2026-11-20", "--root", site],
                                stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
        line = proc.stdout.readline()
        addr = re.search(r"http://([0-9.]+:[0-9]+)", line).group(1)
        host, port = addr.split(":")
        events = socket.create_connection((host, int(port)), timeout=30)
        events.sendall(f"GET /__gongshi/events HTTP/1.1\r\nHost: {addr}\r\n\r\n".encode())
        stream = events.makefile("rb")
        while not stream.readline().startswith(b": connected"):
            pass
        notice = os.path.join(site, "content", "notices", "serve-latency.md")
        times = []
        for i in range(edits):
            time.sleep(0.3)
            start = time.monotonic()
            with open(notice, "w") as f:
                f.write(f"---\ntitle: 预览测试\ndate: 2026-11-20\nissuer: property\n---\n第 {i} 次修改。\n")
            while not stream.readline().startswith(b"data: reload"):
                pass
            times.append((time.monotonic() - start) * 1000)
        events.close()
        return times[1:]
    finally:
        if proc is not None:
            proc.kill()
            proc.wait()
        shutil.rmtree(work, ignore_errors=True)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("sizes", nargs="*", type=int, default=[1000, 10000, 100000])
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--shared", default=os.path.join(REPO, "..", "shared"))
    ap.add_argument("--fresh-ext4", action="store_true", help="build each run into a new ext4 file system in RAM")
    ap.add_argument("--floor", action="store_true", help="also time making each tool's output files alone")
    ap.add_argument("--serve", type=int, metavar="N", help="also time edit → reload in `gongshi serve` on N notices")
    ap.add_argument("--serve-only", action="store_true", help="with --serve: only that, no build comparison")
    args = ap.parse_args()
    gen = os.path.join(args.shared, "bench", "gen_corpus.py")
    if not os.path.exists(gen):
        sys.exit(f"{gen} not found: pass --shared DIR")
    if not shutil.which("hugo") and not args.serve_only:
        sys.exit("hugo is not installed (apt-get install hugo)")
    subprocess.run(["cargo", "build", "--release", "--quiet"], cwd=REPO, check=True)
    gongshi = os.path.join(REPO, "target", "release", "gongshi")
    fs_floor = os.path.join(REPO, "target", "release", "examples", "fs_floor")
    if args.floor:
        subprocess.run(["cargo", "build", "--release", "--quiet", "--example", "fs_floor"], cwd=REPO, check=True)
    gongshi_version = subprocess.run([gongshi, "--version"], capture_output=True, text=True).stdout.strip()
    if args.serve:
        ms = sorted(serve_latency(gongshi, gen, args.serve))
        print(f"{gongshi_version} · serve, {args.serve:,} notices: edit saved → reload event, {len(ms)} edits: "
              f"median {statistics.median(ms):.0f} ms, fastest {ms[0]:.0f} ms, slowest {ms[-1]:.0f} ms\n", flush=True)
        if args.serve_only:
            return
    hugo_version = subprocess.run(["hugo", "version"], capture_output=True, text=True).stdout.split()[1]

    rows = []
    work = tempfile.mkdtemp(prefix="gongshi-bench-")
    try:
        # Every clean build writes into a folder of its own, and no output is deleted until the
        # whole run is over: on ext4 without a journal (as on this project's machine) the kernel
        # skips inodes freed in the last 60-360 s when it makes new files, so a build started
        # right after `rm -rf public` is slowed by the deletion, the more so the more files were
        # deleted. That would measure the benchmark, not the tools.
        outs = iter(range(10 ** 6))

        def fresh(tool, n):
            if args.fresh_ext4:
                return Ext4(work, n).out
            return os.path.join(work, f"out-{tool}-{n}-{next(outs)}")

        def g_cmd(n, out):
            return [gongshi, "build", "--root", os.path.join(work, f"g{n}"), "--output", out, "--as-of", "2026-11-20"]

        def h_cmd(n, out):
            return ["hugo", "--quiet", "--source", os.path.join(work, f"h{n}"), "--destination", out,
                    "--cacheDir", os.path.join(work, "hugo-cache")]

        for n in args.sizes:
            subprocess.run([sys.executable, gen, "gongshi", str(n), os.path.join(work, f"g{n}")], check=True)
            subprocess.run([sys.executable, gen, "hugo", str(n), os.path.join(work, f"h{n}")], check=True)
            # Warm-up: file cache, and gongshi's first build records publish.lock.
            timed(g_cmd(n, fresh("g", n)))
            timed(h_cmd(n, fresh("h", n)))
        # Each round builds every size once, so that the sizes are compared under the same
        # conditions (the disk's file system and the kernel's caches change as a run goes on),
        # as the linearity target (100,000 notices against 10,000) asks.
        gs = {n: [] for n in args.sizes}
        hs = {n: [] for n in args.sizes}
        rebuild = {n: [] for n in args.sizes}
        files = {}
        for run in range(args.runs):
            for n in args.sizes:
                g_out = fresh("g", n)
                gs[n].append(timed(g_cmd(n, g_out)))
                rebuild[n].append(timed(g_cmd(n, g_out)))
                # Listed before the next build: with --fresh-ext4 that unmounts this output.
                listing = lambda tool: os.path.join(work, f"files-{tool}{n}.txt") if args.floor else None
                g_files = files_of(g_out, listing("g"))
                h_out = fresh("h", n)
                hs[n].append(timed(h_cmd(n, h_out)))
                shutil.rmtree(os.path.join(work, f"h{n}", "resources"), ignore_errors=True)
                files[n] = (g_files, files_of(h_out, listing("h")))
                g, h = gs[n][-1], hs[n][-1]
                print(f"  round {run + 1}, {n:,} notices: gongshi {g[0]:.2f} s (CPU {g[2]:.2f} user + {g[3]:.2f} system) {g[1]:.0f} MiB · "
                      f"Hugo {h[0]:.2f} s (CPU {h[2]:.2f} + {h[3]:.2f}) {h[1]:.0f} MiB · unchanged rebuild {rebuild[n][-1][0]:.2f} s",
                      file=sys.stderr, flush=True)
            if 10000 in gs and 100000 in gs:
                print(f"  round {run + 1}, 100,000 / 10,000 notices: gongshi {gs[100000][-1][0] / gs[10000][-1][0]:.1f}× · "
                      f"Hugo {hs[100000][-1][0] / hs[10000][-1][0]:.1f}×", file=sys.stderr, flush=True)
        # The file system's work alone: each tool's files made again, rounds alternating.
        floor = {n: ([], []) for n in args.sizes}
        if args.floor:
            for run in range(args.runs):
                for n in args.sizes:
                    for tool, times in (("g", floor[n][0]), ("h", floor[n][1])):
                        times.append(timed([fs_floor, os.path.join(work, f"files-{tool}{n}.txt"), fresh(f"floor-{tool}", n)]))
                    g, h = floor[n][0][-1], floor[n][1][-1]
                    print(f"  floor round {run + 1}, {n:,} notices: gongshi's files {g[0]:.2f} s (CPU {g[2]:.2f} + {g[3]:.2f}) · "
                          f"Hugo's files {h[0]:.2f} s (CPU {h[2]:.2f} + {h[3]:.2f})", file=sys.stderr, flush=True)
        Ext4.drop()
        med = lambda xs, i: statistics.median(x[i] for x in xs)
        for n in args.sizes:
            rows.append({
                "n": n,
                "g_wall": med(gs[n], 0), "g_rss": med(gs[n], 1),
                "h_wall": med(hs[n], 0), "h_rss": med(hs[n], 1),
                "re_wall": med(rebuild[n], 0), "re_rss": med(rebuild[n], 1),
                "g_files": files[n][0],
                "h_files": files[n][1],
                "g_cpu": (med(gs[n], 2), med(gs[n], 3)),
                "h_cpu": (med(hs[n], 2), med(hs[n], 3)),
                "floor": [(med(t, 0), med(t, 2) + med(t, 3)) for t in floor[n]] if args.floor else None,
            })
    finally:
        Ext4.drop()
        shutil.rmtree(work, ignore_errors=True)

    cpu = "?"
    try:
        with open("/proc/cpuinfo") as f:
            cpu = re.search(r"model name\s*:\s*(.*)", f.read()).group(1)
    except OSError:
        pass
    print(f"{time.strftime('%Y-%m-%d')} · {platform.system()} {platform.machine()} · {os.cpu_count()} cores · {cpu}")
    where = "a new ext4 file system in RAM for each build" if args.fresh_ext4 else f"output under {tempfile.gettempdir()}"
    print(f"{gongshi_version} · hugo {hugo_version} · median of {args.runs} rounds of clean builds, tools and sizes alternating, after a warm-up · {where}\n")
    print("| notices | gongshi wall | Hugo wall | wall ratio | gongshi peak RSS | Hugo peak RSS | RSS ratio | unchanged rebuild | rebuild / clean | files gongshi / Hugo |")
    print("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    for r in rows:
        print(f"| {r['n']:,} | {r['g_wall']:.2f} s | {r['h_wall']:.2f} s | {r['g_wall'] / r['h_wall']:.2f} | "
              f"{r['g_rss']:.0f} MiB | {r['h_rss']:.0f} MiB | {r['g_rss'] / r['h_rss']:.2f} | "
              f"{r['re_wall']:.2f} s | {r['re_wall'] / r['g_wall']:.2f} | {r['g_files']:,} / {r['h_files']:,} |")
    print("\nCPU time of the same builds (medians, seconds: user + system):\n")
    print("| notices | gongshi user | gongshi system | Hugo user | Hugo system |")
    print("|---:|---:|---:|---:|---:|")
    for r in rows:
        print(f"| {r['n']:,} | {r['g_cpu'][0]:.2f} | {r['g_cpu'][1]:.2f} | {r['h_cpu'][0]:.2f} | {r['h_cpu'][1]:.2f} |")
    if args.floor:
        print("\nThe file system alone: each tool's output files made again by examples/fs_floor.rs "
              "(2 threads; medians, wall and CPU seconds):\n")
        print("| notices | gongshi's files | CPU | share of gongshi's build | Hugo's files | CPU | share of Hugo's build |")
        print("|---:|---:|---:|---:|---:|---:|---:|")
        for r in rows:
            (gw, gc), (hw, hc) = r["floor"]
            print(f"| {r['n']:,} | {gw:.2f} s | {gc:.2f} s | {gw / r['g_wall']:.2f} | {hw:.2f} s | {hc:.2f} s | {hw / r['h_wall']:.2f} |")
    by_n = {r["n"]: r for r in rows}
    if 10000 in by_n and 100000 in by_n:
        print(f"\n100,000 / 10,000 notices, gongshi wall: {by_n[100000]['g_wall'] / by_n[10000]['g_wall']:.1f}×")


if __name__ == "__main__":
    main()
