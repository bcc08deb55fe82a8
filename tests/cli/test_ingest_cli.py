"""The ingest commands through the real console entry: fetch, import, feeds, items."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from tests.conftest import CORPORA
from tests.loopback import Reply, conditional
from wiredesk.cli import cli

WIREDESK = str(Path(sys.executable).parent / "wiredesk")


def rss(outlet, items):
    body = "".join(
        f"<item><guid>{g}</guid><title>{t}</title><link>{link}</link>"
        f"<pubDate>Fri, 20 Nov 2026 {10 + i}:00:00 GMT</pubDate><description>{d}</description></item>"
        for i, (g, t, link, d) in enumerate(items)
    )
    return f'<?xml version="1.0"?><rss version="2.0"><channel><title>{outlet}</title>{body}</channel></rss>'.encode()


STORY = (
    "Rebel fighters entered the northern districts of Hama on Friday, a local official said. "
    "Residents reported heavy gunfire near the central square and columns of smoke over the old city. "
    "The defence ministry denied that any fighters had reached the city."
)
FEED_A = rss("Levant Wire", [
    ("lw-1", "Rebels enter northern Hama", "https://lw.example/1", STORY),
    ("lw-2", "Aid convoy stopped near Saraqib", "https://lw.example/2", "An aid convoy was stopped near Saraqib."),
])
FEED_B = rss("Orient Daily", [
    ("od-1", "Fighters said to be inside Hama", "https://od.example/a", STORY + " More to follow."),
    ("od-2", "Ministry: no breach", "https://lw.example/2?utm_source=od", "Same link as Levant Wire's second item."),
])


def run(*args, db=None):
    runner = CliRunner()
    full = (["--db", str(db)] if db else []) + list(args)
    return runner.invoke(cli, full, catch_exceptions=False)


def items(db):
    result = run("items", "--json", "--limit", "100", db=db)
    assert result.exit_code == 0, result.output
    return json.loads(result.output)


def test_fetch_twice_stores_once_and_second_pass_is_304(server, tmp_path):
    db = tmp_path / "w.db"
    server.route("/a.xml", conditional(FEED_A, '"a1"', "Fri, 20 Nov 2026 12:00:00 GMT"))
    server.route("/b.xml", conditional(FEED_B, '"b1"', "Fri, 20 Nov 2026 12:00:00 GMT"))
    first = run("fetch", server.url("/a.xml"), server.url("/b.xml"), db=db)
    assert first.exit_code == 0, first.output
    assert "Levant Wire" in first.output and "2 new" in first.output
    # od-2 shares a canonical link with lw-2: stored once.
    assert "1 new, 1 duplicate" in first.output
    stored = items(db)
    assert len(stored) == 3
    assert set(stored[0]) >= {"id", "outlet", "title", "url", "published", "fetched", "cluster"}
    second = run("fetch", server.url("/a.xml"), server.url("/b.xml"), db=db)
    assert second.exit_code == 0
    assert second.output.count("not modified (304)") == 2
    assert len(items(db)) == 3
    assert server.hits("/a.xml")[1].headers["if-none-match"] == '"a1"'


def test_syndicated_copies_share_a_cluster(server, tmp_path):
    db = tmp_path / "w.db"
    server.route("/a.xml", Reply(200, FEED_A))
    server.route("/b.xml", Reply(200, FEED_B))
    run("fetch", server.url("/a.xml"), server.url("/b.xml"), db=db)
    by_guid_title = {i["title"]: i for i in items(db)}
    a, b = by_guid_title["Rebels enter northern Hama"], by_guid_title["Fighters said to be inside Hama"]
    assert a["cluster"] == b["cluster"]
    assert a["cluster_size"] == 2
    # The Saraqib story (stored from whichever feed answered first) is a cluster of its own.
    (other,) = [i for t, i in by_guid_title.items() if "Hama" not in t]
    assert other["cluster"] != a["cluster"] and other["cluster_size"] == 1


def test_one_broken_feed_does_not_stop_the_others(server, tmp_path):
    db = tmp_path / "w.db"
    server.route("/a.xml", Reply(200, FEED_A))
    server.route("/broken.xml", Reply(500, b"no"))
    server.route("/page.xml", Reply(200, b"<html><body><p>Sign in</p></body></html>", {"Content-Type": "text/html"}))
    run("feeds", "add", server.url("/broken.xml"), db=db)
    result = run("fetch", server.url("/broken.xml"), server.url("/a.xml"), server.url("/page.xml"), db=db)
    assert result.exit_code == 0
    lines = result.output.strip().splitlines()
    assert any(server.url("/broken.xml") in l and "error: HTTP 500" in l for l in lines)
    assert any(server.url("/page.xml") in l and "not a feed" in l for l in lines)
    assert len(items(db)) == 2
    feeds = {f["url"]: f for f in json.loads(run("feeds", "list", "--json", db=db).output)}
    broken = feeds[server.url("/broken.xml")]
    assert broken["failures"] == 1 and "500" in broken["last_error"] and broken["next_due"]
    assert feeds[server.url("/a.xml")]["failures"] == 0
    assert server.url("/page.xml") not in feeds  # named once, never worked: not kept


def test_all_feeds_failing_exits_non_zero(server, tmp_path):
    server.route("/x", Reply(404, b""))
    result = run("fetch", server.url("/x"), db=tmp_path / "w.db")
    assert result.exit_code == 1 and "HTTP 404" in result.output


def test_permanent_redirect_updates_the_stored_url(server, tmp_path):
    db = tmp_path / "w.db"
    server.route("/old.xml", Reply(301, headers={"Location": "/new.xml"}))
    server.route("/new.xml", Reply(200, FEED_A))
    assert run("fetch", server.url("/old.xml"), db=db).exit_code == 0
    urls = [f["url"] for f in json.loads(run("feeds", "list", "--json", db=db).output)]
    assert urls == [server.url("/new.xml")]


def test_feeds_add_and_configured_fetch(server, tmp_path):
    db = tmp_path / "w.db"
    server.route("/a.xml", Reply(200, FEED_A))
    added = run("feeds", "add", server.url("/a.xml"), "--outlet", "LW", db=db)
    assert added.exit_code == 0 and "LW" in added.output
    assert run("feeds", "add", "ftp://nope", db=db).exit_code != 0
    result = run("fetch", db=db)
    assert result.exit_code == 0 and "LW" in result.output and "2 new" in result.output
    assert {i["outlet"] for i in items(db)} == {"LW"}
    listed = json.loads(run("feeds", "list", "--json", db=db).output)
    assert listed[0]["outlet"] == "LW" and listed[0]["last_result"] == "new" and listed[0]["items_today"] == 2


def test_config_feeds_are_fetched(server, tmp_path):
    server.route("/a.xml", Reply(200, FEED_A))
    config = tmp_path / "c.toml"
    config.write_text(f'database = "desk.db"\n[[feeds]]\nurl = "{server.url("/a.xml")}"\noutlet = "Config Wire"\n')
    result = CliRunner().invoke(cli, ["--config", str(config), "fetch"], catch_exceptions=False)
    assert result.exit_code == 0 and "Config Wire" in result.output
    assert (tmp_path / "desk.db").exists()


def test_no_feeds_is_a_clear_error(tmp_path):
    result = run("fetch", db=tmp_path / "w.db")
    assert result.exit_code == 1 and "no feeds" in result.output


def test_search_and_limit(server, tmp_path):
    db = tmp_path / "w.db"
    server.route("/a.xml", Reply(200, FEED_A))
    run("fetch", server.url("/a.xml"), db=db)
    found = json.loads(run("items", "--json", "--search", "Saraqib", db=db).output)
    assert [i["title"] for i in found] == ["Aid convoy stopped near Saraqib"]
    assert len(json.loads(run("items", "--json", "--limit", "1", db=db).output)) == 1
    assert run("items", "--search", 'AND OR "(', db=db).exit_code == 0


def test_import_reports_each_file_and_continues(tmp_path):
    folder = tmp_path / "in"
    (folder / "sub").mkdir(parents=True)
    (folder / "a.xml").write_bytes(FEED_A)
    (folder / "sub" / "note.txt").write_text("Shelling near Morek\n\nArtillery hit the town of Morek overnight.")
    (folder / "bad.json").write_text("{not json")
    db = tmp_path / "w.db"
    result = CliRunner().invoke(cli, ["--db", str(db), "import", str(folder), "--outlet", "Desk"])
    assert result.exit_code == 1
    assert "a.xml: 2 new" in result.output and "note.txt: 1 new" in result.output
    assert "bad.json: invalid JSON" in result.output
    assert {i["outlet"] for i in items(db)} == {"Desk"}
    again = CliRunner().invoke(cli, ["--db", str(db), "import", str(folder / "a.xml")])
    assert "0 new, 2 already stored" in again.output


def test_bad_config_and_bad_database_are_one_line_errors(tmp_path):
    bad = tmp_path / "c.toml"
    bad.write_text("[http]\ntimeout = 'x'\n")
    env = {**os.environ, "WIREDESK_CONFIG": str(bad)}
    proc = subprocess.run([WIREDESK, "items"], capture_output=True, text=True, env=env)
    assert proc.returncode != 0 and "Traceback" not in proc.stderr
    assert proc.stderr.strip().count("\n") == 0 and "c.toml, line 2: http.timeout" in proc.stderr
    corrupt = tmp_path / "corrupt.db"
    corrupt.write_bytes(b"garbage" * 1000)
    proc = subprocess.run([WIREDESK, "--db", str(corrupt), "items"], capture_output=True, text=True)
    assert proc.returncode != 0 and "Traceback" not in proc.stderr and "corrupt.db" in proc.stderr
    assert corrupt.read_bytes() == b"garbage" * 1000


def test_every_command_has_help_with_an_example():
    def walk(group, prefix=()):
        for name, command in group.commands.items():
            yield prefix + (name,), command
            if hasattr(command, "commands"):
                yield from walk(command, prefix + (name,))

    for path, command in walk(cli):
        result = CliRunner().invoke(cli, [*path, "--help"])
        assert result.exit_code == 0, path
        assert "Example" in result.output, f"{' '.join(path)} --help has no example"


@pytest.mark.skipif(not (CORPORA / "feedparser-tests").is_dir(), reason="../shared/corpora/feedparser-tests is absent")
def test_import_of_the_feedparser_corpus_completes_with_a_report(tmp_path):
    proc = subprocess.run(
        [WIREDESK, "--db", str(tmp_path / "c.db"), "import", str(CORPORA / "feedparser-tests")],
        capture_output=True, text=True, timeout=300,
    )
    assert "Traceback" not in proc.stderr
    report = (proc.stdout + proc.stderr).splitlines()
    assert len(report) > 1000  # one line per file
    assert all("feedparser-tests" in line for line in report)


def test_watch_polls_again_with_conditional_requests(server, tmp_path):
    server.route("/a.xml", conditional(FEED_A, '"a1"', "Fri, 20 Nov 2026 12:00:00 GMT"))
    db = tmp_path / "w.db"
    proc = subprocess.Popen(
        [WIREDESK, "--db", str(db), "fetch", "--watch", "--interval", "1", server.url("/a.xml")],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )
    try:
        import time

        deadline = time.monotonic() + 30
        while len(server.hits("/a.xml")) < 3 and time.monotonic() < deadline:
            time.sleep(0.2)
    finally:
        proc.send_signal(__import__("signal").SIGINT)
        out, err = proc.communicate(timeout=20)
    hits = server.hits("/a.xml")
    assert len(hits) >= 3, out + err
    assert all(h.headers.get("if-none-match") == '"a1"' for h in hits[1:])
    assert "2 new" in out and "not modified (304)" in out
    assert "Traceback" not in err
    assert proc.returncode == 0


def test_watch_honours_retry_after(server, tmp_path):
    server.route("/busy.xml", Reply(429, b"", {"Retry-After": "3600"}))
    db = tmp_path / "w.db"
    run("feeds", "add", server.url("/busy.xml"), db=db)
    result = run("fetch", server.url("/busy.xml"), db=db)
    assert "429" in result.output
    (feed,) = json.loads(run("feeds", "list", "--json", db=db).output)
    from datetime import datetime, timezone

    due = datetime.strptime(feed["next_due"], "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=timezone.utc)
    assert (due - datetime.now(timezone.utc)).total_seconds() > 3000


def test_sigterm_stops_a_pooled_watch_and_its_workers(server, tmp_path):
    """`kill PID` (a service manager's stop) ends `fetch --watch` cleanly with its worker processes:
    none is left holding the output pipes, nothing half-written is kept."""
    import signal
    import time

    urls = []
    for i in range(10):  # enough sources for the worker pool
        server.route(f"/f{i}.xml", conditional(rss(f"Outlet {i}", [(f"g{i}", f"Rebels enter Hama {i}", f"https://o{i}.example/1", f"{STORY} Update {i}: the outlet {i} desk confirmed it.")]),
                                               f'"e{i}"', "Fri, 20 Nov 2026 12:00:00 GMT"))
        urls.append(server.url(f"/f{i}.xml"))
    db = tmp_path / "w.db"
    proc = subprocess.Popen([WIREDESK, "--db", str(db), "fetch", "--watch", "--interval", "1", *urls],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    deadline = time.monotonic() + 60
    while len(server.hits("/f9.xml")) < 2 and time.monotonic() < deadline:
        time.sleep(0.2)
    proc.terminate()
    out, err = proc.communicate(timeout=30)  # times out if a worker outlives the parent
    assert len(server.hits("/f9.xml")) >= 2, out + err
    assert "Traceback" not in err
    assert "stopped" in err
    items = json.loads(run("items", "--json", db=db).output)
    assert len(items) == 10
