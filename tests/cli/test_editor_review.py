"""What a desk editor and an ops person tripped on using the CLI, each checked on the command itself."""

from __future__ import annotations

import json
import sqlite3
import tempfile
from pathlib import Path

import pytest
from click.testing import CliRunner

import tui.app
from wiredesk.cli import cli

_real_run_app = tui.app.run_app  # before a test replaces it


def invoke(*args: str, **kwargs):
    return CliRunner().invoke(cli, list(args), **kwargs)


# -- wiredesk demo leaves no temporary folder behind ----------------------------------------------


@pytest.fixture
def demo_tmp(tmp_path, monkeypatch):
    """tempfile's folders go to a folder of this test's, to see what a demo leaves behind."""
    root = tmp_path / "tmp"
    root.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(root))
    return root


def test_demo_deletes_its_temporary_database_when_the_app_exits(demo_tmp, monkeypatch):
    seen = []

    def app(db_path, config, editor, **kwargs):
        seen.append(db_path)
        assert db_path.is_file() and sqlite3.connect(db_path).execute("SELECT count(*) FROM items").fetchone()[0] > 0

    monkeypatch.setattr(tui.app, "run_app", app)
    result = invoke("demo")
    assert result.exit_code == 0, result.output
    assert seen and seen[0].parent.parent == demo_tmp
    assert list(demo_tmp.iterdir()) == []
    assert "was deleted" in result.output and "--db PATH" in result.output


@pytest.mark.parametrize("interrupt", [KeyboardInterrupt, RuntimeError])
def test_demo_deletes_its_temporary_database_when_the_app_fails(demo_tmp, monkeypatch, interrupt):
    def app(db_path, config, editor, **kwargs):
        raise interrupt()

    monkeypatch.setattr(tui.app, "run_app", app)
    result = invoke("demo")
    assert result.exit_code != 0
    assert list(demo_tmp.iterdir()) == []


def test_demo_keeps_a_database_named_or_prepared(demo_tmp, tmp_path, monkeypatch):
    monkeypatch.setattr(tui.app, "run_app", lambda *a, **k: None)
    named = tmp_path / "kept.db"
    assert invoke("--db", str(named), "demo").exit_code == 0
    assert named.is_file()
    prepared = invoke("demo", "--prepare-only")
    assert prepared.exit_code == 0
    assert Path(prepared.output.strip()).is_file()


def test_demo_help_says_the_database_is_thrown_away():
    text = " ".join(invoke("demo", "--help").output.split())
    assert "deleted when the app exits" in text and "--db PATH" in text


# -- the config's export_dir reaches the app --------------------------------------------------------


def test_config_export_dir_reaches_the_app(tmp_path, monkeypatch):
    config = tmp_path / "c.toml"
    config.write_text('export_dir = "~/digests"\n')
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    seen = {}

    def app(db_path, config, editor, *, fetch_now=None, export_digest=None, export_dir=None):
        seen["export_dir"] = export_dir

    monkeypatch.setattr(tui.app, "run_app", app)
    result = invoke("--config", str(config), "--db", str(tmp_path / "w.db"), "tui")
    assert result.exit_code == 0, result.output
    assert seen == {"export_dir": tmp_path / "home" / "digests"}
    import inspect

    assert "export_dir" in inspect.signature(_real_run_app).parameters  # the real app takes what the CLI passes


def test_a_bad_export_dir_is_one_line_naming_the_config(tmp_path):
    config = tmp_path / "c.toml"
    config.write_text("export_dir = 42\n")
    result = invoke("--config", str(config), "--db", str(tmp_path / "w.db"), "tui")
    assert result.exit_code == 1
    assert result.output == f"Error: {config}, line 1: export_dir: expected str, got int\n"


# -- fetch: a 304 to a request that asked nothing is no answer ---------------------------------------


def test_a_304_without_validators_is_an_error_and_stores_no_etag(server, tmp_path):
    from tests.cli.test_ingest_cli import FEED_A
    from tests.loopback import Reply, conditional

    db = str(tmp_path / "w.db")
    server.route("/a.xml", Reply(304, headers={"ETag": '"stale"'}))  # a broken cache in front of the feed
    first = invoke("--db", db, "fetch", server.url("/a.xml"))
    assert first.exit_code == 1
    assert first.output == (f"{server.url('/a.xml')}: error: HTTP 304 Not Modified to a request without ETag or "
                            "Last-Modified (nothing was cached): the server sent no feed (not kept as a feed)\n")
    assert invoke("--db", db, "feeds", "list", "--json").output.strip() == "[]"
    # Fixed, the feed answers conditional requests: the next fetch gets the items, not a 304 for "stale".
    server.route("/a.xml", conditional(FEED_A, '"stale"', "Fri, 20 Nov 2026 10:00:00 GMT"))
    second = invoke("--db", db, "fetch", server.url("/a.xml"))
    assert second.exit_code == 0 and "2 new" in second.output


# -- export --output - is standard output, as for every other Unix tool -----------------------------


def test_export_output_dash_is_standard_output_not_a_file_named_dash(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    db = str(tmp_path / "w.db")
    assert invoke("--db", db, "feeds", "add", "https://lw.example/rss.xml").exit_code == 0
    result = invoke("--db", db, "export", "--format", "json", "--output", "-")
    assert result.exit_code == 0, result.output
    assert json.loads(result.output)["claims"] == []
    assert not (tmp_path / "-").exists()


# -- config feeds that are files are found from any folder -----------------------------------------


def test_a_config_feed_path_is_relative_to_the_config_not_the_current_folder(tmp_path, monkeypatch):
    from tests.cli.test_ingest_cli import FEED_A

    (tmp_path / "desk" / "wire").mkdir(parents=True)
    (tmp_path / "desk" / "wire" / "levant.xml").write_bytes(FEED_A)
    config = tmp_path / "desk" / "config.toml"
    config.write_text('[[feeds]]\nurl = "wire/levant.xml"\n')
    monkeypatch.chdir(tmp_path)  # not the config's folder
    db = str(tmp_path / "w.db")
    result = invoke("--config", str(config), "--db", db, "fetch")
    assert result.exit_code == 0, result.output
    assert "2 new" in result.output
    # ... and the file named on the command line is that same feed, refused as the config's.
    refused = invoke("--config", str(config), "--db", db, "feeds", "disable", "desk/wire/levant.xml")
    assert refused.exit_code == 1 and "is in the config" in refused.output


def test_import_of_a_folder_holding_a_named_pipe_finishes(tmp_path):
    import os
    import subprocess

    from tests.cli.test_ingest_cli import FEED_A
    from tests.cli.test_review_cli import WIREDESK

    folder = tmp_path / "wire"
    folder.mkdir()
    (folder / "levant.xml").write_bytes(FEED_A)
    os.mkfifo(folder / "stream.xml")  # opening it for reading waits for a writer: the import hung
    result = subprocess.run([WIREDESK, "--db", str(tmp_path / "w.db"), "import", str(folder)],
                            capture_output=True, text=True, timeout=120, env={**os.environ, "PYTHONWARNINGS": "ignore"})
    assert result.returncode == 0, result.stderr
    assert "levant.xml: 2 new" in result.stdout and "stream.xml" not in result.stdout + result.stderr


# -- an empty source (an unset shell variable) is not the current folder -------------------------


@pytest.mark.parametrize("command", [("fetch", ""), ("import", ""), ("feeds", "add", " ")])
def test_an_empty_source_is_refused_not_read_as_the_current_folder(tmp_path, monkeypatch, command):
    from tests.cli.test_ingest_cli import FEED_A

    monkeypatch.chdir(tmp_path)
    (tmp_path / "levant.xml").write_bytes(FEED_A)
    db = tmp_path / "w.db"
    result = CliRunner().invoke(cli, ["--db", str(db), *command])
    assert result.exit_code == 1
    assert "empty" in result.output and len(result.output.strip().splitlines()) == 1
    assert not db.exists()  # nothing was fetched, imported or kept as a feed


# -- a single fetch cut short is not a success ------------------------------------------------------


def test_an_interrupted_single_fetch_exits_non_zero(server, tmp_path):
    import os
    import signal
    import subprocess
    import time

    from tests.cli.test_ingest_cli import FEED_A
    from tests.cli.test_review_cli import WIREDESK
    from tests.loopback import Reply

    server.route("/slow.xml", Reply(200, FEED_A, delay=20))
    proc = subprocess.Popen([WIREDESK, "--db", str(tmp_path / "w.db"), "fetch", server.url("/slow.xml")],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            env={**os.environ, "PYTHONWARNINGS": "ignore"})
    deadline = time.monotonic() + 60
    while not server.hits("/slow.xml") and time.monotonic() < deadline:
        time.sleep(0.1)
    proc.send_signal(signal.SIGTERM)  # a timer's timeout, as ctrl+c
    out, err = proc.communicate(timeout=30)
    assert proc.returncode == 130, out + err
    assert "stopped before every feed was fetched" in err and "Traceback" not in err


def test_fetch_help_says_interval_is_for_feeds_without_their_own():
    text = " ".join(invoke("fetch", "--help").output.split())
    assert "of feeds without an interval of their own" in text


# -- feed text printed by `feeds add` is neutralised like every other line ------------------------


def test_feeds_add_prints_an_outlet_taken_from_a_feed_title_neutralised(tmp_path):
    feed = tmp_path / "evil.xml"
    feed.write_text('<?xml version="1.0"?><rss version="2.0"><channel><title>Evil \u202e\u200bWire</title>'
                    "<item><guid>1</guid><title>Shelling near Morek</title></item></channel></rss>", encoding="utf-8")
    db = str(tmp_path / "w.db")
    assert invoke("--db", db, "import", str(feed)).exit_code == 0
    result = invoke("--db", db, "feeds", "add", str(feed))
    assert result.exit_code == 0
    assert "\u202e" not in result.output and "\u200b" not in result.output
    assert result.output.startswith("feed 1: ") and "Wire)" in result.output


def test_import_of_a_folder_with_nothing_to_import_says_so(tmp_path):
    from tests.cli.test_ingest_cli import FEED_A

    (tmp_path / "pdfs").mkdir()
    (tmp_path / "pdfs" / "report.pdf").write_bytes(b"%PDF-1.4")
    (tmp_path / "wire").mkdir()
    (tmp_path / "wire" / "levant.xml").write_bytes(FEED_A)
    db = tmp_path / "w.db"
    alone = invoke("--db", str(db), "import", str(tmp_path / "pdfs"))
    assert alone.exit_code == 1
    assert alone.output == f"{tmp_path / 'pdfs'}: no feed, text or HTML files in this folder\n"
    assert not db.exists()
    both = invoke("--db", str(db), "import", str(tmp_path / "pdfs"), str(tmp_path / "wire"))
    assert both.exit_code == 1 and "levant.xml: 2 new" in both.output and "no feed, text or HTML files" in both.output
