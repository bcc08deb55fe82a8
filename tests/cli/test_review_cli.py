"""What a user review of the CLI found, each checked where the user meets it: the real command."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
from pathlib import Path

from click.testing import CliRunner

from tests.loopback import Reply
from wiredesk.cli import cli

from .test_ingest_cli import FEED_A, FEED_B, rss

WIREDESK = str(Path(sys.executable).parent / "wiredesk")
SAMPLE = Path(__file__).resolve().parents[2] / "wiredesk" / "sample"


def wiredesk(*args: str, env: dict | None = None) -> subprocess.CompletedProcess:
    """The real command. Python's warnings are off: a development tree whose compiled extraction
    modules are older than their sources says so on stderr, which is not the command's output."""
    env = {**(env or os.environ), "PYTHONWARNINGS": "ignore::RuntimeWarning"}
    return subprocess.run([WIREDESK, *args], capture_output=True, text=True, env=env)


def run(*args, db=None, config=None):
    full = (["--config", str(config)] if config else []) + (["--db", str(db)] if db else []) + list(args)
    return CliRunner().invoke(cli, full, catch_exceptions=False)


def feeds(db) -> list[dict]:
    result = run("feeds", "list", "--json", db=db)
    assert result.exit_code == 0, result.output
    return json.loads(result.output)


def items(db) -> list[dict]:
    return json.loads(run("items", "--json", "--limit", "100", db=db).output)


def closed_port_url() -> str:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    return f"http://127.0.0.1:{port}/nothing.xml"


# -- 1. fetch SOURCE keeps only sources that worked; feeds remove / disable / enable --------------


def test_sources_that_never_worked_are_not_kept_as_feeds(server, tmp_path):
    db = tmp_path / "w.db"
    server.route("/a.xml", Reply(200, FEED_A))
    server.route("/gone.xml", Reply(404, b""))
    dead = closed_port_url()
    result = run("fetch", "not-a-url", dead, server.url("/gone.xml"), server.url("/a.xml"), db=db)
    assert result.exit_code == 0, result.output  # one source worked
    lines = result.output.splitlines()
    assert len(lines) == 4
    assert "not-a-url: error: no such file or folder" in lines
    assert any(dead in line and line.endswith("(not kept as a feed)") for line in lines)
    assert any(server.url("/gone.xml") in line and "HTTP 404" in line and "(not kept as a feed)" in line for line in lines)
    assert [f["url"] for f in feeds(db)] == [server.url("/a.xml")]
    # A later bare fetch reads the feed that worked, and says nothing about the typos.
    again = run("fetch", db=db)
    assert again.exit_code == 0
    assert again.output.startswith(f"Levant Wire ({server.url('/a.xml')}): no new items") and again.output.count("\n") == 1
    assert "not-a-url" not in again.output and dead not in again.output and "gone" not in again.output


def test_only_typos_leave_no_database_behind(tmp_path):
    db = tmp_path / "w.db"
    result = run("fetch", "not-a-url", "gopher://example.org/feed", db=db)
    assert result.exit_code == 1
    assert "gopher://example.org/feed: error: gopher:// URLs are not supported" in result.output
    assert not db.exists()


def test_a_source_that_is_already_a_feed_keeps_its_failures_on_record(server, tmp_path):
    db = tmp_path / "w.db"
    server.route("/flaky.xml", Reply(500, b""))
    assert run("feeds", "add", server.url("/flaky.xml"), db=db).exit_code == 0
    result = run("fetch", server.url("/flaky.xml"), db=db)
    assert result.exit_code == 1 and "not kept" not in result.output
    (feed,) = feeds(db)
    assert feed["failures"] == 1 and "500" in feed["last_error"]


def test_disable_enable_and_remove_by_id_or_url(server, tmp_path):
    db = tmp_path / "w.db"
    server.route("/a.xml", Reply(200, FEED_A))
    server.route("/b.xml", Reply(200, FEED_B))
    assert run("fetch", server.url("/a.xml"), server.url("/b.xml"), db=db).exit_code == 0
    ids = {f["url"]: f["id"] for f in feeds(db)}
    a, b = ids[server.url("/a.xml")], ids[server.url("/b.xml")]

    disabled = run("feeds", "disable", str(a), db=db)
    assert disabled.exit_code == 0 and "disabled" in disabled.output
    hits = len(server.hits("/a.xml"))
    fetched = run("fetch", db=db)
    assert len(server.hits("/a.xml")) == hits and server.url("/b.xml") in fetched.output
    assert "[disabled]" in run("feeds", "list", db=db).output
    # Named on the command line, a disabled feed is fetched once and stays disabled.
    run("fetch", server.url("/a.xml"), db=db)
    assert len(server.hits("/a.xml")) == hits + 1
    assert not {f["id"]: f for f in feeds(db)}[a]["enabled"]
    assert run("feeds", "enable", server.url("/a.xml"), db=db).exit_code == 0
    assert {f["id"]: f for f in feeds(db)}[a]["enabled"]

    before = items(db)
    of_b = sum(i["outlet"] == "Orient Daily" for i in before)  # one or two: B and A share a story's link
    removed = run("feeds", "remove", server.url("/b.xml"), db=db)
    assert removed.exit_code == 0, removed.output
    assert removed.output == f"removed feed {b} ({server.url('/b.xml')}) and its {of_b} item{'s' * (of_b > 1)}\n"
    assert [f["id"] for f in feeds(db)] == [a]
    assert len(items(db)) == len(before) - of_b
    assert json.loads(run("items", "--json", "--search", "inside", db=db).output) == []  # gone from search too
    missing = run("feeds", "remove", "99", db=db)
    assert missing.exit_code == 1 and "no feed 99" in missing.output


def test_removing_a_feed_that_decided_claims_cite_needs_force_and_keeps_verdicts(server, tmp_path):
    db = tmp_path / "w.db"
    server.route("/a.xml", Reply(200, FEED_A))
    server.route("/b.xml", Reply(200, FEED_B))
    run("fetch", server.url("/a.xml"), server.url("/b.xml"), db=db)
    cards = json.loads(run("claims", "--json", "--place", "Hama", db=db).output)
    (card,) = [c for c in cards if c["place"]["country"] == "Syria"]
    claim = card["claims"][0]["id"]
    assert {m["outlet"] for m in card["claims"][0]["mentions"]} == {"Levant Wire"}
    assert run("mark", str(claim), "verified", "--editor", "ana", db=db).exit_code == 0
    count = len(items(db))
    of_a = sum(i["outlet"] == "Levant Wire" for i in items(db))  # one or two: B and A share a story's link

    refused = run("feeds", "remove", server.url("/a.xml"), db=db)
    assert refused.exit_code == 1
    line = refused.output.strip()
    assert "\n" not in line and "not removed" in line and f"({claim})" in line
    assert "feeds disable" in line and "--force" in line
    assert len(items(db)) == count and len(feeds(db)) == 2

    forced = run("feeds", "remove", server.url("/a.xml"), "--force", db=db)
    assert forced.exit_code == 0 and "verdicts stay" in forced.output
    assert len(items(db)) == count - of_a
    history = json.loads(run("history", str(claim), "--json", db=db).output)
    assert [(v["status"], v["editor"]) for v in history] == [("verified", "ana")]
    # The claim lost all its mentions, so no card shows it; its verdict log is whole.
    cards = json.loads(run("claims", "--json", db=db).output)
    assert claim not in {c["id"] for card in cards for c in card["claims"]}
    assert {m["outlet"] for card in cards for c in card["claims"] for m in c["mentions"]} == {"Orient Daily"}


def test_a_feed_from_the_config_is_changed_there(server, tmp_path):
    db = tmp_path / "w.db"
    config = tmp_path / "c.toml"
    config.write_text(f'[[feeds]]\nurl = "{server.url("/a.xml")}"\n')
    server.route("/a.xml", Reply(200, FEED_A))
    assert run("fetch", db=db, config=config).exit_code == 0
    for args in (("remove", "1"), ("disable", "1")):
        result = run("feeds", *args, db=db, config=config)
        assert result.exit_code == 1 and f"{config}, line 2" in result.output, result.output
    assert feeds(db)[0]["enabled"]


# -- 2. a database that is not there ---------------------------------------------------------------


def test_read_commands_on_a_missing_database_fail_in_one_line_and_create_nothing(tmp_path):
    missing = tmp_path / "nonexistent" / "dir" / "a.db"
    for args in (["items"], ["claims", "--json"], ["history", "1"], ["export"], ["diff", "1", "2"],
                 ["feeds", "list"], ["mark", "1", "verified"], ["feeds", "remove", "1"], ["reextract"]):
        proc = wiredesk("--db", str(missing), *args)
        assert proc.returncode == 2, (args, proc.stderr)
        assert proc.stderr.count("\n") == 1 and str(missing) in proc.stderr and "no such database" in proc.stderr
        assert proc.stdout == ""
    assert not (tmp_path / "nonexistent").exists()
    also = tmp_path / "there-but-no-file.db"
    proc = wiredesk("--db", str(also), "items")
    assert proc.returncode == 2 and not also.exists()


def test_writes_create_the_file_but_not_missing_folders_of_a_named_database(tmp_path):
    (tmp_path / "a.txt").write_text("Shelling near Morek\n\nArtillery hit the town of Morek overnight.")
    missing = tmp_path / "nonexistent" / "a.db"
    proc = wiredesk("--db", str(missing), "import", str(tmp_path / "a.txt"))
    assert proc.returncode == 2 and f"folder {missing.parent} does not exist" in proc.stderr
    assert not missing.parent.exists()
    here = tmp_path / "new.db"
    proc = wiredesk("--db", str(here), "import", str(tmp_path / "a.txt"))
    assert proc.returncode == 0 and here.exists()
    # The default location (no --db, no config) is created with its folders, as on a first run.
    xdg = tmp_path / "xdg"
    env = {**os.environ, "XDG_DATA_HOME": str(xdg), "XDG_CONFIG_HOME": str(tmp_path / "cfg")}
    proc = wiredesk("import", str(tmp_path / "a.txt"), env=env)
    assert proc.returncode == 0, proc.stderr
    assert (xdg / "wiredesk" / "wiredesk.db").exists()


# -- 3. dates that cannot be used --------------------------------------------------------------------

BAD_DATES = b"""<?xml version="1.0"?><rss version="2.0"><channel><title>Odd Wire</title>
<item><guid>1</guid><title>One</title><description>Shelling hit Morek.</description><pubDate>Not a date at all</pubDate></item>
<item><guid>2</guid><title>Two</title><description>Fighting in Hama.</description><pubDate>31 Feb 2026 25:61</pubDate></item>
<item><guid>3</guid><title>Three</title><description>Clashes near Saraqib.</description><pubDate>Fri, 20 Nov 2099 10:00:00 GMT</pubDate></item>
<item><guid>4</guid><title>Four</title><description>Calm in Idlib.</description><pubDate>Fri, 20 Nov 2026 10:00:00 GMT</pubDate></item>
</channel></rss>"""


def test_unusable_dates_are_reported_on_the_import_and_fetch_lines(server, tmp_path):
    feed = tmp_path / "baddate.rss"
    feed.write_bytes(BAD_DATES)
    result = run("import", str(feed), db=tmp_path / "w.db")
    assert result.exit_code == 0
    assert result.output.strip() == (
        f"{feed}: 4 new (2 with unreadable dates, 1 dated in the future: shown at their fetch time)"
    )
    server.route("/odd.xml", Reply(200, BAD_DATES, {"Content-Type": "application/rss+xml"}))
    fetched = run("fetch", server.url("/odd.xml"), db=tmp_path / "f.db")
    assert "4 new (2 with unreadable dates, 1 dated in the future: shown at their fetch time)" in fetched.output


# -- 4. export --since --------------------------------------------------------------------------------


def test_since_zero_or_absurd_is_refused_in_one_line(tmp_path):
    db = tmp_path / "w.db"
    (tmp_path / "a.txt").write_text("Shelling near Morek\n\nArtillery hit the town of Morek overnight.")
    run("import", str(tmp_path / "a.txt"), db=db)
    for since, words in (("0h", "must be more than zero"), ("100000w", "before 1990"),
                         ("99999999999999999999w", "before 1990"), ("yesterday", "expected a duration")):
        proc = wiredesk("--db", str(db), "export", "--since", since)
        assert proc.returncode == 2, (since, proc.stderr)
        assert proc.stderr.count("\n") == 1 and words in proc.stderr and "Traceback" not in proc.stderr
    assert run("export", "--since", "2d", db=db).exit_code == 0


# -- 5. --json filters that match nothing ------------------------------------------------------------


def test_claims_json_for_an_unknown_place_is_an_empty_list(server, tmp_path):
    db = tmp_path / "w.db"
    server.route("/a.xml", Reply(200, FEED_A))
    run("fetch", server.url("/a.xml"), db=db)
    proc = wiredesk("--db", str(db), "claims", "--json", "--place", "Nowhere")
    assert proc.returncode == 0 and json.loads(proc.stdout) == []
    assert "no claims about a place named 'Nowhere'" in proc.stderr
    assert json.loads(run("items", "--json", "--search", "Nowhere", db=db).output) == []


# -- 6. feed URL schemes -------------------------------------------------------------------------------


def test_config_feed_of_another_scheme_is_refused_at_load_naming_file_line_and_value(tmp_path):
    config = tmp_path / "c.toml"
    config.write_text('[[feeds]]\nurl = "https://a.example/rss"\n\n[[feeds]]\nurl = "gopher://example.org/feed"\n')
    proc = wiredesk("--config", str(config), "--db", str(tmp_path / "w.db"), "fetch")
    assert proc.returncode == 1 and proc.stderr.count("\n") == 1
    assert f"{config}, line 5: feeds.url: 'gopher://example.org/feed'" in proc.stderr
    assert "redirect" not in proc.stderr
    assert not (tmp_path / "w.db").exists()


# -- 7. aliases that point nowhere ---------------------------------------------------------------------


def test_alias_to_a_place_that_does_not_exist_is_warned_about(tmp_path):
    config = tmp_path / "c.toml"
    config.write_text('[places.aliases]\n"Halab" = "Aleppo"\n"Kessa" = "Nowhereville"\n')
    (tmp_path / "a.txt").write_text("Shelling near Morek\n\nArtillery hit the town of Morek overnight.")
    proc = wiredesk("--config", str(config), "--db", str(tmp_path / "w.db"), "import", str(tmp_path / "a.txt"))
    assert proc.returncode == 0
    warnings = [line for line in proc.stderr.splitlines() if line.startswith("warning")]
    assert len(warnings) == 1
    assert f"{config}, line 3: places.aliases.Kessa" in warnings[0] and "Nowhereville" in warnings[0]


# -- 8. single files: outlet names and unsupported suffixes ------------------------------------------


def test_a_file_without_an_outlet_is_named_after_its_file_and_odd_suffixes_are_skipped(tmp_path):
    folder = tmp_path / "odd"
    folder.mkdir()
    (folder / "data.csv").write_text("hello,world\n1,2\n")
    (folder / "syria_ledger.txt").write_text("Shelling near Morek\n\nArtillery hit the town of Morek overnight.")
    (folder / "untitled.xml").write_bytes(rss("", [("u1", "Clashes in Hama", "https://x.example/1", "Clashes in Hama.")])
                                          .replace(b"<title></title>", b""))
    db = tmp_path / "w.db"
    result = CliRunner().invoke(cli, ["--db", str(db), "import", str(folder / "data.csv"),
                                      str(folder / "syria_ledger.txt"), str(folder / "untitled.xml")])
    assert result.exit_code == 1  # the .csv was not imported
    assert f"{folder / 'data.csv'}: skipped: .csv is not a kind wiredesk reads" in result.output
    assert {i["outlet"] for i in items(db)} == {"Syria Ledger", "Untitled"}
    assert not any("hello" in i["title"] for i in items(db))
    # Given as a folder, the .csv is passed over without a word, as any file of another kind.
    again = CliRunner().invoke(cli, ["--db", str(db), "import", str(folder)])
    assert again.exit_code == 0 and "csv" not in again.output


# -- 9. the sample's aliases -----------------------------------------------------------------------------


def test_import_of_the_sample_says_how_to_apply_its_aliases_and_that_way_works(tmp_path):
    plain = wiredesk("--db", str(tmp_path / "a.db"), "import", str(SAMPLE))
    assert plain.returncode == 0, plain.stderr
    (note,) = [line for line in plain.stderr.splitlines() if line.startswith("note:")]
    assert f"--config {SAMPLE / 'aliases.toml'} import {SAMPLE}" in note
    applied = wiredesk("--config", str(SAMPLE / "aliases.toml"), "--db", str(tmp_path / "b.db"), "import", str(SAMPLE))
    assert applied.returncode == 0 and "note:" not in applied.stderr
    cards = json.loads(wiredesk("--db", str(tmp_path / "b.db"), "claims", "--json", "--place", "Tell Qasra").stdout)
    sentences = " ".join(m["sentence"] for card in cards for c in card["claims"] for m in c["mentions"])
    assert len(cards) == 1 and "Tal Qasra" in sentences and "Tell Qasra" in sentences


def test_claims_say_when_a_mention_is_near_the_place_not_in_it(tmp_path):
    (tmp_path / "wire.txt").write_text(
        "Rebels take Kafr Zita\n\nRebels took control of Kafr Zita and two positions near Morek on Monday, "
        "the monitor said.\n", encoding="utf-8")
    db = tmp_path / "w.db"
    result = CliRunner().invoke(cli, ["--db", str(db), "import", str(tmp_path / "wire.txt")])
    assert result.exit_code == 0, result.output
    text = CliRunner().invoke(cli, ["--db", str(db), "claims", "--place", "Morek"]).output
    assert "asserts [near Morek] — the monitor: Rebels took control" in text
    cards = json.loads(CliRunner().invoke(cli, ["--db", str(db), "claims", "--json"]).output)
    near = {c["place"]["name"]: {m["near"] for cl in c["claims"] for m in cl["mentions"]} for c in cards}
    assert near["Morek"] == {"near Morek"} and near["Kafr Zita"] == {None}


def test_json_output_escapes_bidi_and_invisible_characters_but_keeps_them(tmp_path):
    # A title with a right-to-left override would reorder the terminal line that prints it.
    title = "Army den\u202eies\u202c entry into Mor\u200bek, says Défense"
    (tmp_path / "wire.txt").write_text(f"{title}\n\nThe army denied that rebels had entered Morek.\n",
                                       encoding="utf-8")
    db = tmp_path / "w.db"
    assert CliRunner().invoke(cli, ["--db", str(db), "import", str(tmp_path / "wire.txt")]).exit_code == 0
    out = CliRunner().invoke(cli, ["--db", str(db), "items", "--json"]).output
    assert "\u202e" not in out and "\u200b" not in out and "\\u202e" in out and "é" in out
    assert json.loads(out)[0]["title"] == title  # the same string to a JSON reader


def test_feeds_list_says_each_feeds_last_result_in_words(tmp_path, server):
    db = tmp_path / "w.db"
    server.route("/a.xml", Reply(200, FEED_A, headers={"ETag": '"v1"'}))
    assert run("fetch", server.url("/a.xml"), db=db).exit_code == 0
    assert run("feeds", "add", "https://feeds.example.invalid/never.xml", db=db).exit_code == 0
    lines = run("feeds", "list", db=db).output.splitlines()
    first = next(line for line in lines if server.url("/a.xml") in line)
    assert "— new items, " in first and " today" in first
    never = next(line for line in lines if "never.xml" in line)
    assert never.count("https://feeds.example.invalid/never.xml") == 1 and never.endswith("— never fetched")
    assert run("fetch", server.url("/a.xml"), db=db).exit_code == 0  # the same items again
    lines = run("feeds", "list", db=db).output.splitlines()
    assert "— no new items, " in next(line for line in lines if server.url("/a.xml") in line)
    server.route("/a.xml", Reply(304, b"", headers={"ETag": '"v1"'}))
    assert run("fetch", server.url("/a.xml"), db=db).exit_code == 0
    lines = run("feeds", "list", db=db).output.splitlines()
    assert "— not modified (304), " in next(line for line in lines if server.url("/a.xml") in line)
