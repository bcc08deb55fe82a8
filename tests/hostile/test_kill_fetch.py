"""`kill -9` of a real `wiredesk fetch` (and its parse workers) in the middle of a large run from a
loopback server, repeatedly and at different moments: the database stays whole, no item is stored
without its mentions and claims, no feed keeps conditional-GET validators (ETag, Last-Modified) for
items that were never stored, and the next run ends with what a run never interrupted stores."""

from __future__ import annotations

import signal
import time

import pytest

from tests.hostile.corpus import query
from tests.hostile.crash import assert_completed, assert_whole, finish, kill_group, kill_when, snapshot, start, wire_feed
from tests.loopback import conditional

# More feeds than the fetch cycle's batch of fetch-state records (100), so validators are stored
# mid-run and a kill can land after some were kept.
FEEDS, ITEMS = 240, 20
TOTAL = FEEDS * ITEMS


def serve(server) -> list[str]:
    urls = []
    for f in range(FEEDS):
        path = f"/wire/{f}.xml"
        server.route(path, conditional(wire_feed(f, ITEMS), f'"w{f}"', "Fri, 20 Nov 2026 23:00:00 GMT"))
        urls.append(server.url(path))
    return urls


def assert_validators_follow_items(db) -> None:
    """A feed that kept an ETag or Last-Modified got all its items stored first: otherwise the next
    run's conditional GET is answered 304 and the missing items are never fetched again."""
    if not query(db, "SELECT 1 FROM sqlite_master WHERE name = 'feeds'"):
        return  # killed before the schema existed: no feed, no validator
    short = query(db, """SELECT f.url, (SELECT COUNT(*) FROM items i WHERE i.feed_id = f.id) AS n FROM feeds f
                         WHERE (f.etag IS NOT NULL OR f.last_modified IS NOT NULL) AND n != ?""", [ITEMS])
    assert not short, short[:5]


@pytest.mark.slow
def test_kill_9_mid_fetch_repeatedly_then_the_next_run_completes(server, tmp_path):
    urls = serve(server)
    clean = tmp_path / "clean.db"
    started = time.monotonic()
    finish(start("--db", str(clean), "fetch", *urls))
    duration = time.monotonic() - started
    clean_items, _ = snapshot(clean)
    assert len(clean_items) == TOTAL and all(sum(m.values()) >= 2 for m in clean_items.values())
    assert query(clean, "SELECT COUNT(*) FROM feeds WHERE etag IS NOT NULL") == [(FEEDS,)]

    db = tmp_path / "killed.db"
    kills = []
    # Before any item (start-up, migrations, adding the feeds), at the first item, then at every
    # quarter of the wire: each run resumes what the killed one left.
    moments = [("after", 0.3), ("items", 1), ("items", TOTAL // 4), ("items", TOTAL // 2), ("items", 3 * TOTAL // 4)]
    for kind, at in moments:
        proc = start("--db", str(db), "fetch", *urls)
        if kind == "after":
            time.sleep(at)
            code = kill_group(proc)
        else:
            code = kill_when(proc, db, at)
        stored = 0
        if db.exists():
            stored = len(assert_whole(db, clean_items))
            assert_validators_follow_items(db)
        kills.append((code, stored))
    print(f"clean fetch {duration:.1f} s; after each kill (exit code, items stored): {kills}")
    # The kills landed mid-run, while items were being stored: not all before the work or after it.
    assert sum(code == -signal.SIGKILL and 0 < n < TOTAL for code, n in kills) >= 3, kills

    before = len(server.requests)
    finish(start("--db", str(db), "fetch", *urls))
    answered = server.requests[before:]
    assert_completed(db, clean)
    assert_validators_follow_items(db)
    # The resumed run did send the validators the killed runs kept (so the check above is not vacuous)...
    conditional_gets = sum("if-none-match" in seen.headers for seen in answered)
    assert 0 < conditional_gets < FEEDS, f"{conditional_gets} conditional GETs: no validators kept by a killed run"
    # ... and a run after it finds nothing new: every feed answers 304.
    before = len(server.requests)
    finish(start("--db", str(db), "fetch", *urls))
    assert all(seen.headers.get("if-none-match") for seen in server.requests[before:])
    assert_completed(db, clean)
