"""`kill -9` of a real `wiredesk import` in the middle of a large run, three times at different moments:
the database stays whole, no item is stored without its mentions and claims, and the next run
completes the work (the same items, mentions and claims as a run never interrupted)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.hostile.corpus import query

WIREDESK = str(Path(sys.executable).parent / "wiredesk")
PLACES = ["Hama", "Homs", "Aleppo", "Idlib", "Daraa", "Raqqa", "Latakia", "Saraqib"]
FILES, ITEMS = 120, 40


def write_feeds(folder: Path) -> None:
    folder.mkdir()
    for f in range(FILES):
        items = []
        for i in range(ITEMS):
            place, other = PLACES[(f + i) % len(PLACES)], PLACES[(f * 3 + i) % len(PLACES)]
            items.append(
                f"<item><guid>k{f}-{i}</guid><title>Report {f}-{i}: fighting near {place}</title>"
                f"<link>https://wire{f}.example/{i}</link><pubDate>Fri, 20 Nov 2026 {i % 24:02d}:00:00 GMT</pubDate>"
                f"<description>Rebel fighters entered {place} on Friday, a local official said (dispatch {f}-{i}). "
                f"The defence ministry denied that fighters had reached {other}. "
                f"At least {f + i + 3} people were killed near {place}, the monitor said.</description></item>"
            )
        (folder / f"wire-{f:03d}.xml").write_text(
            f'<?xml version="1.0"?><rss version="2.0"><channel><title>Wire {f}</title>{"".join(items)}</channel></rss>'
        )


def run_import(db: Path, folder: Path, kill_after: float | None = None) -> int | None:
    proc = subprocess.Popen([WIREDESK, "--db", str(db), "import", str(folder)],
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, start_new_session=True)
    if kill_after is None:
        _, err = proc.communicate(timeout=600)
        assert proc.returncode == 0, err.decode()[-2000:]
        return proc.returncode
    time.sleep(kill_after)
    if proc.poll() is None:
        os.killpg(proc.pid, signal.SIGKILL)  # the import and its parse workers, all at once
    proc.wait(timeout=30)
    return proc.returncode


def snapshot(db: Path):
    items = dict(query(db, """SELECT f.url || '#' || i.guid, (SELECT COUNT(*) FROM mentions m WHERE m.item_id = i.id)
                              FROM items i JOIN feeds f ON f.id = i.feed_id"""))
    claims = dict(query(db, "SELECT key, mention_count FROM claims WHERE dirty = 0"))
    return items, claims


def assert_whole(db: Path, clean_items: dict[str, int]) -> None:
    assert query(db, "PRAGMA integrity_check") == [("ok",)]
    assert query(db, "PRAGMA foreign_key_check") == []
    items, _ = snapshot(db)
    # Every stored item has exactly the mentions a clean run gave it: never an item without them.
    wrong = {k: (n, clean_items.get(k)) for k, n in items.items() if n != clean_items.get(k)}
    assert not wrong, list(wrong.items())[:5]
    assert query(db, "SELECT COUNT(*) FROM mentions WHERE claim_id IS NULL OR claim_id NOT IN (SELECT id FROM claims)") == [(0,)]


@pytest.mark.slow
def test_kill_9_mid_import_three_times_then_the_next_run_completes(tmp_path):
    folder = tmp_path / "wire"
    write_feeds(folder)
    clean = tmp_path / "clean.db"
    started = time.monotonic()
    run_import(clean, folder)
    duration = time.monotonic() - started
    clean_items, clean_claims = snapshot(clean)
    assert len(clean_items) == FILES * ITEMS and all(n >= 2 for n in clean_items.values())

    db = tmp_path / "killed.db"
    counts = []
    for fraction in (0.35, 0.6, 0.85):
        code = run_import(db, folder, kill_after=duration * fraction)
        if db.exists():
            assert_whole(db, clean_items)
            counts.append((code, len(snapshot(db)[0])))
    print(f"clean run {duration:.1f} s; after each kill (exit code, items stored): {counts}")
    # At least one kill landed while items were being stored, not before or after the work.
    assert any(code == -signal.SIGKILL and 0 < n < FILES * ITEMS for code, n in counts), (counts, duration)

    run_import(db, folder)
    assert_whole(db, clean_items)
    items, claims = snapshot(db)
    assert items == clean_items
    assert query(db, "SELECT COUNT(*) FROM claims WHERE dirty = 1") == [(0,)]
    assert claims == clean_claims
