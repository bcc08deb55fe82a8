"""Several editors and a fetcher on one database for minutes: nothing lost, nobody sees "locked".

    python -m bench.soak [--minutes 3] [--editors 3] [--feeds 20]

Real processes only: a loopback server whose feeds gain a report every few seconds; one
``wiredesk fetch --watch`` polling them; each editor a loop of real ``wiredesk mark`` calls (every
verdict carries a unique note) with ``wiredesk claims --json`` reads between them. At the end it
checks that every mark an editor was told succeeded is in the verdict log exactly once, that no
process printed an error ("database is locked", a traceback, a failed mark), that every stored item
has its mentions and no claim is left dirty, and ``PRAGMA integrity_check``. Prints one summary
line per check and exits 1 if any fails. Not a test (it runs for minutes); `make soak` runs it.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
from email.utils import format_datetime
from datetime import datetime, timezone
from pathlib import Path
from xml.sax.saxutils import escape

from bench.loopback_wire import serve
from bench.wire import report

WIREDESK = Path(sys.executable).parent / "wiredesk"


class GrowingWire:
    """Feeds that gain one report each every ``every`` seconds (new guid, new ETag)."""

    def __init__(self, feeds: int, every: float) -> None:
        self.feeds, self.every, self.start = feeds, every, time.monotonic()
        self.lock = threading.Lock()

    def body(self, index: int) -> tuple[str, bytes]:
        count = 3 + int((time.monotonic() - self.start) / self.every)
        rng = random.Random(index)
        entries = []
        for i in range(count):
            title, text = report(rng, 90)
            when = format_datetime(datetime.fromtimestamp(1_790_000_000 + i * 60, timezone.utc))
            entries.append(f"<item><guid>soak-{index}-{i}</guid><title>{escape(title)}</title>"
                           f"<link>https://soak{index}.example/{i}</link><pubDate>{when}</pubDate>"
                           f"<description>{escape(text)}</description></item>")
        xml = (f'<?xml version="1.0"?><rss version="2.0"><channel><title>Soak {index}</title>'
               f"<link>https://soak{index}.example/</link><description>d</description>{''.join(entries[-30:])}"
               "</channel></rss>")
        return f'"{index}-{count}"', xml.encode()


def wire_route(wire: GrowingWire):
    def route(path: str) -> tuple[str, bytes] | None:
        name = path.rsplit("/", 1)[-1]
        if not name.endswith(".xml") or not name[:-4].isdigit() or int(name[:-4]) >= wire.feeds:
            return None
        return wire.body(int(name[:-4]))
    return route


def editor_loop(name: str, db: Path, env: dict, until: float, seed: int) -> dict:
    """Marks claims until ``until``; returns the notes of marks that reported success and any errors."""
    rng = random.Random(seed)
    done, errors, reads = [], [], 0
    i = 0
    while time.monotonic() < until:
        cards = subprocess.run([str(WIREDESK), "--db", str(db), "claims", "--json"], env=env,
                               capture_output=True, text=True)
        reads += 1
        if cards.returncode != 0 or cards.stderr:
            errors.append(f"claims --json: {cards.stderr.strip()[:200]}")
            continue
        ids = [c["id"] for card in json.loads(cards.stdout) for c in card["claims"]]
        for _ in range(5):
            if not ids or time.monotonic() >= until:
                break
            note = f"{name} {i}"
            status = rng.choice(("verified", "disputed", "unverified"))
            proc = subprocess.run([str(WIREDESK), "--db", str(db), "mark", str(rng.choice(ids)), status,
                                   "--editor", name, "--note", note], env=env, capture_output=True, text=True)
            i += 1
            if proc.returncode == 0:
                done.append(note)
            bad = [line for line in proc.stderr.splitlines() if not line.startswith("note: ")]
            if proc.returncode != 0 or bad:
                errors.append(f"mark: rc={proc.returncode} {' | '.join(bad)[:200]}")
    return {"name": name, "done": done, "errors": errors, "reads": reads}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--minutes", type=float, default=3.0)
    parser.add_argument("--editors", type=int, default=3)
    parser.add_argument("--feeds", type=int, default=20)
    parser.add_argument("--every", type=float, default=5.0, help="seconds between new reports per feed")
    args = parser.parse_args(argv)

    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "soak.db"
        env = {**os.environ, "WIREDESK_DB": str(db), "XDG_CONFIG_HOME": str(Path(tmp) / "config")}
        env.pop("WIREDESK_CONFIG", None)
        env.pop("WIREDESK_EDITOR", None)
        wire = GrowingWire(args.feeds, args.every)
        with serve(wire_route(wire)) as (host, port):
            return _soak(args, db, env, [f"http://{host}:{port}/feed/{i}.xml" for i in range(args.feeds)])


def _soak(args: argparse.Namespace, db: Path, env: dict, urls: list[str]) -> int:
    for url in urls:
        subprocess.run([str(WIREDESK), "feeds", "add", url, "--interval", "10"], env=env, check=True,
                       capture_output=True)
    first = subprocess.run([str(WIREDESK), "fetch"], env=env, capture_output=True, text=True)
    if first.returncode != 0:
        print(f"first fetch failed: {first.stderr.strip()}", file=sys.stderr)
        return 1
    fetcher = subprocess.Popen([str(WIREDESK), "fetch", "--watch", "--interval", "10"], env=env,
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    until = time.monotonic() + args.minutes * 60
    results: list[dict] = []
    threads = [threading.Thread(target=lambda n=n: results.append(
        editor_loop(f"editor{n}", db, env, until, n))) for n in range(args.editors)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    # SIGTERM, not ctrl+c: a shell's background job ignores SIGINT, and its children inherit that.
    fetcher.terminate()
    fetch_out, fetch_err = fetcher.communicate(timeout=60)
    # Stopped mid-cycle, the watcher may leave claims to recompute: the next fetch finishes them.
    last = subprocess.run([str(WIREDESK), "fetch"], env=env, capture_output=True, text=True)
    fetch_out, fetch_err = fetch_out + last.stdout, fetch_err + last.stderr

    conn = sqlite3.connect(db)
    checks: list[tuple[str, bool, str]] = []
    logged = {}
    for editor, note in conn.execute("SELECT editor, note FROM verdicts"):
        logged[(editor, note)] = logged.get((editor, note), 0) + 1
    reported = [(r["name"], note) for r in results for note in r["done"]]
    missing = [k for k in reported if logged.get(k) != 1]
    checks.append(("every reported verdict logged exactly once", not missing,
                   f"{len(reported)} verdicts by {args.editors} editors, {len(missing)} missing or doubled"))
    errors = [e for r in results for e in r["errors"]]
    fetch_errors = [line for line in fetch_err.splitlines() if "Traceback" in line or "locked" in line]
    checks.append(("no error shown to any editor or the fetcher", not errors and not fetch_errors,
                   f"{len(errors)} editor errors, {len(fetch_errors)} fetcher errors"
                   + (f"; first: {(errors or fetch_errors)[0]}" if errors or fetch_errors else "")))
    items = conn.execute("SELECT COUNT(*) FROM items").fetchone()[0]
    bare = conn.execute("SELECT COUNT(*) FROM items WHERE id NOT IN (SELECT item_id FROM mentions)").fetchone()[0]
    dirty = conn.execute("SELECT COUNT(*) FROM claims WHERE dirty = 1").fetchone()[0]
    rounds = sum(1 for line in fetch_out.splitlines() if "new" in line or "not modified" in line)
    checks.append(("items stored with their mentions, no claim left dirty", bare == 0 and dirty == 0,
                   f"{items} items from {rounds} feed polls, {bare} without mentions, {dirty} dirty claims"))
    integrity = conn.execute("PRAGMA integrity_check").fetchone()[0]
    checks.append(("integrity_check", integrity == "ok", integrity))
    reads = sum(r["reads"] for r in results)
    print(f"soak: {args.minutes:g} min, {args.editors} editors (`wiredesk mark` + {reads} `claims --json` reads), "
          f"one `wiredesk fetch --watch` over {args.feeds} growing feeds")
    for name, ok, detail in checks:
        print(f"  {'ok  ' if ok else 'FAIL'} {name}: {detail}")
    return 0 if all(ok for _, ok, _ in checks) else 1


if __name__ == "__main__":
    sys.exit(main())
