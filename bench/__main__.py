"""``make bench``: every figure of the performance issue, side by side with the peer where it has one.

Prints one table (figure, target, measured, verdict) and writes ``bench/results.json``. The peer,
lemon24/reader, runs from its own virtual environment (``bench/.peer-venv``, made here from
``bench/peer-requirements.txt``) on the same files and URLs, alternating with wiredesk in the same
run so that the ratios hold on a noisy machine. Benchmarks never run as tests.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import platform
import resource
import statistics
import subprocess
import sys
import tempfile
import textwrap
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
PEER_VENV = HERE / ".peer-venv"
PEER_PY = PEER_VENV / "bin" / "python"
WIREDESK = Path(sys.executable).parent / "wiredesk"


@dataclass
class Figure:
    figure: str
    target: str
    measured: str
    ok: bool | None  # None: not measured
    detail: dict
    note: str = ""  # for a figure not met: why, in the run's own measurements

    def row(self) -> tuple[str, str, str, str]:
        verdict = "—" if self.ok is None else ("met" if self.ok else "NOT MET")
        return self.figure, self.target, self.measured, verdict


# -- the peer ---------------------------------------------------------------------------------------


def ensure_peer() -> bool:
    if PEER_PY.exists():
        return True
    print("setting up the peer (lemon24/reader) in bench/.peer-venv …", file=sys.stderr)
    try:
        subprocess.run([sys.executable, "-m", "venv", str(PEER_VENV)], check=True)
        subprocess.run([str(PEER_PY), "-m", "pip", "install", "--quiet", "-r", str(HERE / "peer-requirements.txt")],
                       check=True)
        return True
    except subprocess.CalledProcessError as exc:
        print(f"peer set-up failed: {exc}", file=sys.stderr)
        return False


def run_numbers(cmd: list[str]) -> list[float]:
    """Run a benchmark script that prints its own in-process figures on its last stdout line."""
    out = subprocess.run(cmd, check=True, capture_output=True, text=True).stdout.strip().splitlines()
    return [float(n) for n in out[-1].split()]


# -- figures --------------------------------------------------------------------------------------


def bench_import(work: Path, rounds: int) -> Figure:
    from bench.wire import write_feeds

    wire = work / "wire"
    write_feeds(wire, feeds=40, items=50, words=300)
    ours, theirs, stages = [], [], []
    for r in range(rounds):
        db = work / f"import-{r}.db"
        ours.append(run_numbers([sys.executable, "-m", "bench.ingest_run", "import", str(db), str(wire)]))
        if PEER_PY.exists():
            theirs.append(run_numbers([str(PEER_PY), str(HERE / "peer_run.py"), "import", str(work / f"peer-{r}.db"), str(wire)]))
        stages.append(run_numbers([sys.executable, "-m", "bench.ingest_run", "stages", str(wire)]))
    w, cpu = (statistics.median(run[i] for run in ours) for i in (0, 1))
    parse, extract, prepare = (statistics.median(run[i] for run in stages) for i in (0, 1, 2))
    detail = {"wiredesk_s": w, "wiredesk_cpu_s": cpu, "items": 2000, "words_per_item": 300, "files": 40,
              "one_core_parse_s": parse, "one_core_extract_s": extract, "one_core_prepare_s": prepare}
    if not theirs:
        return Figure("import 2,000 items (parse+extract+store)", "≤ 0.5 × reader", f"{w:.2f} s (no peer)", None, detail)
    p, peer_cpu = (statistics.median(run[i] for run in theirs) for i in (0, 1))
    ratio = round_ratio([run[0] for run in ours], [run[0] for run in theirs])
    detail |= {"reader_s": p, "reader_cpu_s": peer_cpu, "ratio": ratio,
               "wiredesk_per_round_s": [run[0] for run in ours], "reader_per_round_s": [run[0] for run in theirs]}
    ok = ratio <= 0.5
    return Figure("import 2,000 items (parse+extract+store)", "≤ 0.5 × reader", f"{w:.2f} s vs {p:.2f} s = {ratio:.2f}×",
                  ok, detail, "" if ok else import_note(cpu, p, peer_cpu, parse, extract, prepare))


def import_note(cpu: float, peer: float, peer_cpu: float, parse: float, extract: float, prepare: float) -> str:
    """Why the import is slower than half of reader's, from this run's own figures."""
    cores = os.cpu_count() or 1
    floor = prepare / cores
    verdict = (
        "so 0.5× is out of reach on this machine without dropping work: even with the store free and both cores "
        "busy all the time, the workers alone take longer than half of reader's update"
        if floor / peer > 0.5
        else "so the workers alone would fit; the rest of the gap is the store, written by one process"
    )
    return (
        f"wiredesk parses, extracts claims and stores with {cpu:.2f} s of CPU where reader parses and stores with "
        f"{peer_cpu:.2f} s. On one core, the workers' part of the same files takes {prepare:.2f} s (parse "
        f"{parse:.2f} s, claim extraction {extract:.2f} s, the rest duplicate signatures and rows); over {cores} "
        f"cores that is at least {floor:.2f} s = {floor / peer:.2f}× reader's whole update before anything is stored; "
        f"storing (one writer), the claims' aggregates and handing results between processes add "
        f"{max(cpu - prepare, 0):.2f} s of CPU. Claim extraction alone, work reader does not do, is {extract / peer:.2f}× "
        f"reader's update; {verdict}."
    )


def bench_fetch(work: Path, rounds: int) -> Figure:
    from bench.loopback_wire import serve_feeds

    with serve_feeds(500, items=10) as urls:
        ours_first, ours_second, theirs_first, theirs_second = [], [], [], []
        for r in range(rounds):
            config = work / f"fetch-{r}.toml"
            db = work / f"fetch-{r}.db"
            lines = [f'database = "{db}"', "[http]", "concurrency = 32", "timeout = 20", "deadline = 120"]
            lines += [f'[[feeds]]\nurl = "{u}"' for u in urls]
            config.write_text("\n".join(lines) + "\n")
            first, second = run_timed2([sys.executable, "-m", "bench.ingest_run", "fetch", str(config)])
            ours_first.append(first)
            ours_second.append(second)
            if PEER_PY.exists():
                url_file = work / "urls.txt"
                url_file.write_text("\n".join(urls))
                f2, s2 = run_timed2([str(PEER_PY), str(HERE / "peer_run.py"), "fetch", str(work / f"peer-fetch-{r}.db"), str(url_file)])
                theirs_first.append(f2)
                theirs_second.append(s2)
    w1, w2 = statistics.median(ours_first), statistics.median(ours_second)
    detail = {"feeds": 500, "wiredesk_first_s": w1, "wiredesk_second_s": w2}
    if not theirs_second:
        return Figure("fetch cycle, 500 feeds, second pass (304)", "≤ 0.5 × reader and ≤ 2 s", f"{w2:.2f} s", w2 <= 2, detail)
    p1, p2 = statistics.median(theirs_first), statistics.median(theirs_second)
    ratio = round_ratio(ours_second, theirs_second)
    detail |= {"reader_first_s": p1, "reader_second_s": p2, "ratio": ratio,
               "wiredesk_second_per_round_s": ours_second, "reader_second_per_round_s": theirs_second}
    ok = ratio <= 0.5 and w2 <= 2
    return Figure(
        "fetch cycle, 500 feeds, second pass (304)", "≤ 0.5 × reader and ≤ 2 s",
        f"{w2:.2f} s vs {p2:.2f} s = {ratio:.2f}× (first pass {w1:.2f} s vs {p1:.2f} s)",
        ok, detail, "" if ok else rounds_note("the all-304 pass", ours_second, theirs_second, 0.5),
    )


def round_ratio(ours: list[float], theirs: list[float]) -> float:
    """The median of the rounds' own ratios: each round runs both programs one after the other, so a
    slow spell of the machine weighs on both sides of one ratio rather than on one side of the medians."""
    return statistics.median(o / t for o, t in zip(ours, theirs))


def rounds_note(what: str, ours: list[float], theirs: list[float], target: float,
                labels: tuple[str, str] = ("wiredesk", "reader")) -> str:
    """Why a ratio is not met, from the rounds of this run: how many rounds met it, and how far off."""
    ratios = [o / t for o, t in zip(ours, theirs)]
    met = sum(r <= target for r in ratios)
    median = statistics.median(ratios)
    spread = (f"per round {', '.join(f'{r:.2f}×' for r in ratios)} ({labels[0]} {min(ours):.2f}-{max(ours):.2f} s, "
              f"{labels[1]} {min(theirs):.2f}-{max(theirs):.2f} s)")
    if met:
        return (f"{what} met the target in {met} of {len(ratios)} alternating rounds, {spread}; the median, "
                f"{median:.2f}×, is {100 * (median / target - 1):.0f}% over it, so on this machine the run's noise "
                "decides the verdict")
    return f"{what} missed the target in every alternating round, {spread}: {median / target:.2f}× the target"


def run_timed2(cmd: list[str]) -> tuple[float, float]:
    out = subprocess.run(cmd, check=True, capture_output=True, text=True).stdout.strip().splitlines()
    first, second = out[-1].split()[:2]
    return float(first), float(second)


def bench_extraction(rounds: int) -> Figure:
    import claims
    from bench.wire import plain_text
    from wiredesk.config import cache_dir

    text = plain_text(2.0)
    gaz = claims.Gazetteer.load(cache_dir())
    paragraphs = text.split("\n\n")
    items = [claims.Item(str(i), "", "\n\n".join(paragraphs[i : i + 4])) for i in range(0, len(paragraphs), 4)]
    size = sum(len(i.text.encode()) for i in items) / 1e6

    def once() -> float:
        start = time.perf_counter()
        for item in items:
            claims.extract(item, gaz)
        return time.perf_counter() - start

    # A pass is ~0.5 s, and this VM's speed swings pass to pass (2.2-3.9 MB/s measured within one
    # process): the median of more passes than the other figures' rounds, every pass kept.
    passes = [once() for _ in range(max(2 * rounds + 1, 7))]
    seconds = statistics.median(passes)
    rate = size / seconds
    slowest, fastest = size / max(passes), size / min(passes)
    note = "" if rate >= 3 else (
        f"the median of {len(passes)} passes over the same {size:.1f} MB; the passes ranged {slowest:.2f}-{fastest:.2f} "
        "MB/s with the same code, so the machine's speed, not only the code's, sets this run's figure")
    return Figure("extraction alone (one core)", "≥ 3 MB/s", f"{rate:.2f} MB/s", rate >= 3,
                  {"megabytes": size, "seconds": seconds, "pass_seconds": passes}, note)


def bench_queries(big: Path) -> list[Figure]:
    from db import Store

    store = Store(big)
    busiest = store.db.execute(
        "SELECT p.name FROM claims c JOIN places p ON p.key = c.place_key GROUP BY p.key ORDER BY SUM(c.mention_count) DESC LIMIT 1"
    ).fetchone()[0]

    def timed(fn: Callable[[], object], n: int = 15) -> float:
        fn()
        times = []
        for _ in range(n):
            start = time.perf_counter()
            fn()
            times.append(time.perf_counter() - start)
        return statistics.median(times) * 1000

    search = max(timed(lambda: store.items(search="fighting", limit=200)), timed(lambda: store.items(search="Report 4242")))
    card = timed(lambda: store.place_cards(busiest))
    store.close()
    return [
        Figure("FTS search at 100k items (common and rare term)", "≤ 50 ms", f"{search:.1f} ms", search <= 50, {}),
        Figure("busiest place card at 100k items", "≤ 20 ms", f"{card:.1f} ms", card <= 20, {"place": busiest}),
    ]


def bench_app(small: Path, big: Path, rounds: int) -> list[Figure]:
    """``rounds`` runs of the app on each desk, alternating 1k and 100k so the ratio holds on a noisy
    machine; medians reported, every run kept in the detail."""
    runs: dict[str, list[dict]] = {"1k": [], "100k": []}
    for _ in range(rounds):
        for label, path in (("1k", small), ("100k", big)):
            out = subprocess.run([sys.executable, "-m", "bench.app_run", str(path)], capture_output=True, text=True)
            if out.returncode != 0:
                return [Figure("app first paint / key latency", "see issue", f"failed: {out.stderr.strip()[-200:]}",
                               None, {})]
            runs[label].append(json.loads(out.stdout.strip().splitlines()[-1]))
    small_paints = [r["first_paint_s"] for r in runs["1k"]]
    big_paints = [r["first_paint_s"] for r in runs["100k"]]
    p1, p100 = statistics.median(small_paints), statistics.median(big_paints)
    ratio = round_ratio(big_paints, small_paints)
    ok = p100 <= 1.0 and ratio <= 1.3
    note = ""
    if ratio > 1.3:
        note = rounds_note("the first paint at 100k against 1k", big_paints, small_paints, 1.3, ("100k", "1k"))
    if p100 > 1.0:
        note = (note + "; " if note else "") + f"at 100k it took {min(big_paints):.2f}-{max(big_paints):.2f} s per run"
    figures = [Figure("app first paint, 100k items / 20k claims", "≤ 1.0 s and ≤ 1.3 × 1k",
                      f"{p100:.2f} s (1k: {p1:.2f} s, {ratio:.2f}×)", ok, runs, note)]
    p95 = statistics.median(r["key_p95_ms"] for r in runs["100k"])
    figures.append(Figure("key to screen p95 at 100k (move, open card, verify)", "≤ 50 ms", f"{p95:.1f} ms", p95 <= 50,
                          {"p95_ms_per_run": [r["key_p95_ms"] for r in runs["100k"]],
                           "slowest_per_run": [r["slowest"] for r in runs["100k"]]}))
    rss = max(r["peak_rss_mb"] for r in runs["100k"])
    figures.append(Figure("peak memory of the app at 100k items", "≤ 300 MB", f"{rss:.0f} MB", rss <= 300, {}))
    return figures


def bench_digest(work: Path) -> Figure:
    try:
        from bench.digest_run import measure_digest
    except ImportError as exc:
        return Figure("digest of 1,000 verified claims, each format", "≤ 1 s", f"not measured ({exc})", None, {})
    results = measure_digest(work)
    worst = max(results.values())
    return Figure("digest of 1,000 verified claims, each format", "≤ 1 s",
                  ", ".join(f"{k} {v:.2f} s" for k, v in results.items()), worst <= 1, results)


def machine() -> dict:
    return {
        "python": platform.python_version(),
        "platform": platform.platform(),
        "cpus": os.cpu_count(),
        "processor": platform.processor() or platform.machine(),
    }


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=3, help="alternating rounds per figure (median reported)")
    parser.add_argument("--only", nargs="*", help="figures to run: import fetch extraction queries app digest")
    parser.add_argument("--no-peer", action="store_true", help="skip setting up and running the peer")
    args = parser.parse_args()
    wanted = set(args.only or ["import", "fetch", "extraction", "queries", "app", "digest"])
    if not args.no_peer:
        ensure_peer()
    figures: list[Figure] = []
    with tempfile.TemporaryDirectory(prefix="wiredesk-bench-") as tmp:
        work = Path(tmp)
        from wiredesk.config import cache_dir

        import claims

        claims.Gazetteer.load(cache_dir())  # build the gazetteer index once, outside every timing
        if "import" in wanted:
            figures.append(bench_import(work, args.rounds))
        if "fetch" in wanted:
            figures.append(bench_fetch(work, args.rounds))
        if "extraction" in wanted:
            figures.append(bench_extraction(args.rounds))
        if wanted & {"queries", "app"}:
            from bench.bigdb import build

            small = build(work / "desk-1k.db", 1_000)
            big = build(work / "desk-100k.db", 100_000, 20_000)
            if "queries" in wanted:
                figures += bench_queries(big)
            if "app" in wanted:
                figures += bench_app(small, big, args.rounds)
        if "digest" in wanted:
            figures.append(bench_digest(work))
    info = machine()
    widths = [max(len(r[i]) for r in [("figure", "target", "measured", "verdict")] + [f.row() for f in figures]) for i in range(4)]
    print(f"machine: {info['cpus']} cores, {info['processor']}, Python {info['python']}, {info['platform']}")
    for row in [("figure", "target", "measured", "verdict")] + [f.row() for f in figures]:
        print("  ".join(cell.ljust(w) for cell, w in zip(row, widths)).rstrip())
    for f in figures:
        if f.note:
            print()
            print(textwrap.fill(f"{f.figure}, not met: {f.note}", width=110))
    (HERE / "results.json").write_text(
        json.dumps({"machine": info, "generated": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
                    "figures": [asdict(f) for f in figures]}, indent=2) + "\n"
    )


if __name__ == "__main__":
    main()
