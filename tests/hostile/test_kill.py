"""`kill -9` of a real `wiredesk import` in the middle of a large run, three times at different moments:
the database stays whole, no item is stored without its mentions and claims, and the next run
completes the work (the same items, mentions and claims as a run never interrupted)."""

from __future__ import annotations

import signal
import time
from pathlib import Path

import pytest

from tests.hostile.crash import assert_completed, assert_whole, finish, kill_group, snapshot, start, wire_feed

FILES, ITEMS = 120, 40


def write_feeds(folder: Path) -> None:
    folder.mkdir()
    for f in range(FILES):
        (folder / f"wire-{f:03d}.xml").write_bytes(wire_feed(f, ITEMS))


@pytest.mark.slow
def test_kill_9_mid_import_three_times_then_the_next_run_completes(tmp_path):
    folder = tmp_path / "wire"
    write_feeds(folder)
    clean = tmp_path / "clean.db"
    started = time.monotonic()
    finish(start("--db", str(clean), "import", str(folder)))
    duration = time.monotonic() - started
    clean_items, _ = snapshot(clean)
    assert len(clean_items) == FILES * ITEMS and all(sum(m.values()) >= 2 for m in clean_items.values())

    db = tmp_path / "killed.db"
    counts = []
    for fraction in (0.35, 0.6, 0.85):
        proc = start("--db", str(db), "import", str(folder))
        time.sleep(duration * fraction)
        code = kill_group(proc)
        if db.exists():
            counts.append((code, len(assert_whole(db, clean_items))))
    print(f"clean run {duration:.1f} s; after each kill (exit code, items stored): {counts}")
    # At least one kill landed while items were being stored, not before or after the work.
    assert any(code == -signal.SIGKILL and 0 < n < FILES * ITEMS for code, n in counts), (counts, duration)

    finish(start("--db", str(db), "import", str(folder)))
    assert_completed(db, clean)
