"""`wiredesk fetch` over the whole hostile corpus and every misbehaving server at once, plus two good
feeds, as a real process: bounded time, bounded memory, one line per feed, the good feeds stored."""

from __future__ import annotations

import json
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.hostile.corpus import CONTROL, good_feed, query, serve_files, serve_generated, server_cases
from tests.loopback import Reply

WIREDESK = str(Path(sys.executable).parent / "wiredesk")
MAX_RSS_MB = 500

# Runs a command and reports the peak RSS of the largest process in its tree (the command itself or
# one of its parse workers), so the figure is this run's alone.
MEASURE = """
import json, resource, subprocess, sys
done = subprocess.run(sys.argv[1:], capture_output=True, text=True, timeout=300)
print(json.dumps({"rc": done.returncode, "out": done.stdout, "err": done.stderr,
                  "maxrss_kb": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss}))
"""


def measured(*args: str) -> dict:
    done = subprocess.run([sys.executable, "-c", MEASURE, *args], capture_output=True, text=True, timeout=320)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


@pytest.mark.slow
def test_fetch_everything_hostile_at_once(server, tmp_path):
    urls = {**serve_files(server), **serve_generated(server), **server_cases(server)}
    good = []
    for n in (1, 2):
        server.route(f"/good{n}.xml", Reply(200, good_feed(n)))
        good.append(server.url(f"/good{n}.xml"))
    config = tmp_path / "config.toml"
    config.write_text("[http]\ntimeout = 3\ndeadline = 60\nretries = 1\nbackoff = 0.1\n")
    db = tmp_path / "w.db"
    started = time.monotonic()
    run = measured(WIREDESK, "--config", str(config), "--db", str(db), "fetch", *urls.values(), *good)
    elapsed = time.monotonic() - started
    assert run["rc"] == 0, run["err"][-2000:]
    assert "Traceback" not in run["err"] and "Traceback" not in run["out"]
    assert elapsed < 120
    print(f"hostile fetch: {elapsed:.1f} s, peak RSS {run['maxrss_kb'] / 1024:.0f} MB")
    assert run["maxrss_kb"] / 1024 < MAX_RSS_MB, f"peak RSS {run['maxrss_kb'] / 1024:.0f} MB"
    lines = run["out"].splitlines()
    assert len(lines) == len(urls) + len(good), run["out"]
    for url in [*urls.values(), *good]:
        assert sum(url in line for line in lines) == 1, url
    assert not CONTROL.search(run["out"])
    for url in good:
        [line] = [line for line in lines if url in line]
        assert "1 new" in line
    stored = {u for (u,) in query(db, "SELECT f.url FROM items i JOIN feeds f ON f.id = i.feed_id")}
    assert set(good) <= stored
    assert query(db, "SELECT COUNT(*) FROM items WHERE feed_id IN (SELECT id FROM feeds WHERE url LIKE '%many_items')") == [(20_000,)]
    assert query(db, "PRAGMA integrity_check") == [("ok",)]
