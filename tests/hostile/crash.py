"""Shared by the ``kill -9`` tests (``test_kill`` for ``wiredesk import``, ``test_kill_fetch`` for
``wiredesk fetch``): a large wire of distinct reports, a real process in its own process group killed
with SIGKILL (it and its parse workers at once), and the checks that the database is whole."""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

from tests.hostile.corpus import query

WIREDESK = str(Path(sys.executable).parent / "wiredesk")
PLACES = ["Hama", "Homs", "Aleppo", "Idlib", "Daraa", "Raqqa", "Latakia", "Saraqib"]


def wire_feed(f: int, items: int) -> bytes:
    """RSS feed number ``f``: ``items`` distinct reports, each with an assertion, a denial and a figure."""
    out = []
    for i in range(items):
        place, other = PLACES[(f + i) % len(PLACES)], PLACES[(f * 3 + i) % len(PLACES)]
        out.append(
            f"<item><guid>k{f}-{i}</guid><title>Report {f}-{i}: fighting near {place}</title>"
            f"<link>https://wire{f}.example/{i}</link><pubDate>Fri, 20 Nov 2026 {i % 24:02d}:00:00 GMT</pubDate>"
            f"<description>Rebel fighters entered {place} on Friday, a local official said (dispatch {f}-{i}). "
            f"The defence ministry denied that fighters had reached {other}. "
            f"At least {f + i + 3} people were killed near {place}, the monitor said.</description></item>"
        )
    return f'<?xml version="1.0"?><rss version="2.0"><channel><title>Wire {f}</title>{"".join(out)}</channel></rss>'.encode()


def start(*args: str) -> subprocess.Popen:
    """``wiredesk ARGS`` in a session (and process group) of its own, so one signal reaches its workers."""
    return subprocess.Popen([WIREDESK, *args], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, start_new_session=True)


def finish(proc: subprocess.Popen, timeout: float = 600) -> None:
    _, err = proc.communicate(timeout=timeout)
    assert proc.returncode == 0, err.decode()[-2000:]


def kill_group(proc: subprocess.Popen) -> int:
    """SIGKILL the process and every worker in its group; returns its exit code once all are gone."""
    try:
        os.killpg(proc.pid, signal.SIGKILL)
    except ProcessLookupError:
        pass
    proc.wait(timeout=30)
    proc.stderr.close()
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:  # orphaned workers are reaped by init, not by us
        try:
            os.killpg(proc.pid, 0)
        except ProcessLookupError:
            return proc.returncode
        time.sleep(0.05)
    raise AssertionError(f"process group {proc.pid} still alive after SIGKILL")


def stored_items(db: Path) -> int:
    """Items visible to a reader right now (0 before the database or its schema exists)."""
    try:
        conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=5)
    except sqlite3.Error:
        return 0
    try:
        return conn.execute("SELECT COUNT(*) FROM items").fetchone()[0]
    except sqlite3.Error:
        return 0
    finally:
        conn.close()


def kill_when(proc: subprocess.Popen, db: Path, items: int, timeout: float = 300) -> int:
    """Kill ``proc`` as soon as at least ``items`` items are visible in ``db`` (or when it has ended)."""
    deadline = time.monotonic() + timeout
    while proc.poll() is None and stored_items(db) < items:
        assert time.monotonic() < deadline, f"fewer than {items} items after {timeout} s"
        time.sleep(0.02)
    return kill_group(proc)


def snapshot(db: Path):
    """(item key → its mentions as a multiset, claim key → (mentions, contested, stance counts))."""
    items: dict[str, Counter] = {
        key: Counter() for (key,) in query(db, "SELECT f.url || '#' || i.guid FROM items i JOIN feeds f ON f.id = i.feed_id")
    }
    for key, *mention in query(db, """SELECT f.url || '#' || i.guid, m.sentence_index, m.place_key, m.event, m.stance,
                                          m.numbers, m.attributed_to FROM mentions m JOIN items i ON i.id = m.item_id
                                          JOIN feeds f ON f.id = i.feed_id"""):
        items[key][tuple(mention)] += 1
    claims = {key: (n, contested, json.loads(stances)) for key, n, contested, stances in query(
        db, "SELECT key, mention_count, contested, stance_counts FROM claims WHERE dirty = 0 AND mention_count > 0")}
    return items, claims


def assert_whole(db: Path, clean_items: dict[str, Counter]) -> dict[str, Counter]:
    """The checks after every kill; returns the items stored."""
    assert query(db, "PRAGMA integrity_check") == [("ok",)]
    assert query(db, "PRAGMA foreign_key_check") == []
    tables = {name for (name,) in query(db, "SELECT name FROM sqlite_master WHERE type = 'table'")}
    if "items" not in tables:
        # Killed before the schema's transaction committed: the file exists (WAL already set) and
        # holds nothing, never half a schema.
        assert tables == set(), sorted(tables)
        return {}
    items, _ = snapshot(db)
    # Every stored item has exactly the mentions a clean run gave it: never an item without them.
    wrong = {k: (sum(m.values()), sum(clean_items.get(k, Counter()).values()))
             for k, m in items.items() if m != clean_items.get(k)}
    assert not wrong, list(wrong.items())[:5]
    # ... and every mention its claim.
    assert query(db, "SELECT COUNT(*) FROM mentions WHERE claim_id NOT IN (SELECT id FROM claims)") == [(0,)]
    return items


def assert_completed(db: Path, clean: Path) -> None:
    """After the next run: the clean run's items, mentions and claims, none left dirty."""
    clean_items, clean_claims = snapshot(clean)
    assert_whole(db, clean_items)
    items, claims = snapshot(db)
    assert items == clean_items
    assert query(db, "SELECT COUNT(*) FROM claims WHERE dirty = 1") == [(0,)]
    assert claims == clean_claims
