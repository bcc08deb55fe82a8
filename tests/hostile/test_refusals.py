"""Bad configuration and bad databases, through the real console entry: a one-line refusal naming the
problem, a non-zero exit, no traceback, and nothing overwritten."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
from contextlib import contextmanager
from pathlib import Path

import pytest

from db import Store
from tests.hostile.corpus import DATA, query

WIREDESK = str(Path(sys.executable).parent / "wiredesk")


def wiredesk(*args: str, preexec_fn=None, user: int | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([WIREDESK, *args], capture_output=True, text=True, timeout=120, preexec_fn=preexec_fn,
                          user=user)


def assert_refused(done: subprocess.CompletedProcess, *words: str) -> str:
    assert done.returncode != 0, done.stdout
    assert "Traceback" not in done.stderr, done.stderr
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1, done.stderr
    for word in words:
        assert word in lines[0], lines[0]
    return lines[0]


def files_of(db: Path) -> dict[str, bytes]:
    """The database byte for byte, and its write-ahead log's content (SQLite may create and remove
    an empty -wal and the -shm index just by opening the file; neither holds data then)."""
    wal = db.with_name(db.name + "-wal")
    return {db.name: db.read_bytes(), "wal": wal.read_bytes() if wal.exists() else b""}


def sql(db: Path, statement: str) -> None:
    conn = sqlite3.connect(db)
    try:
        with conn:
            conn.execute(statement)
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    finally:
        conn.close()


def stored_db(tmp_path: Path) -> Path:
    db = tmp_path / "w.db"
    done = wiredesk("--db", str(db), "import", str(DATA / "markup.xml"), str(DATA / "bidi.xml"))
    assert done.returncode == 0, done.stderr
    sql(db, "PRAGMA wal_checkpoint(TRUNCATE)")
    return db


@pytest.mark.parametrize(
    "text,words",
    [
        ("[http\ntimeout = 2\n", ("invalid TOML", "line 1")),
        ("poll_interval = 'often'\n", ("poll_interval", "expected int, got str", "line 1")),
        ("[http]\ntimeout = true\n", ("http.timeout", "expected int or float, got bool")),
        ("[http]\nmax_bytes = -5\n", ("http.max_bytes", "must be positive")),
        ("[[feeds]]\nurl = 'https://a.example/'\ninterval = '5m'\n", ("feeds.interval", "expected int")),
        ("colour = 'red'\n", ("colour", "unknown key", "line 1")),
        ("[http]\ntimout = 2\n", ("http.timout", "unknown key", "line 2")),
        ("[places.aliases]\nMorek = 5\n", ("places.aliases.Morek", "expected a place name or a table")),
        ("\xff\xfe not utf-8", ("cannot read config",)),
    ],
)
def test_bad_configuration_is_refused_naming_file_and_key(tmp_path, text, words):
    config = tmp_path / "config.toml"
    config.write_bytes(text.encode("latin-1") if text.startswith("\xff") else text.encode())
    before = config.read_bytes()
    db = tmp_path / "w.db"
    line = assert_refused(wiredesk("--config", str(config), "--db", str(db), "fetch", str(DATA / "markup.xml")), *words)
    assert str(config) in line
    assert config.read_bytes() == before
    assert not db.exists()  # refused before the database was touched


def test_newer_schema_is_refused_and_left_byte_for_byte(tmp_path):
    db = stored_db(tmp_path)
    sql(db, "INSERT INTO _sqlite_migrations (migration_set, name, applied_at) VALUES ('wiredesk', '9999_from_the_future', '2030-01-01')")
    before = files_of(db)
    for args in (("items",), ("fetch", str(DATA / "markup.xml")), ("mark", "1", "verified")):
        assert_refused(wiredesk("--db", str(db), *args), str(db), "newer wiredesk", "9999_from_the_future")
    assert files_of(db) == before


@pytest.mark.parametrize("damage", ["garbage", "truncated", "empty-header"])
def test_corrupt_database_is_refused_and_left_byte_for_byte(tmp_path, damage):
    db = stored_db(tmp_path)
    data = db.read_bytes()
    if damage == "garbage":
        db.write_bytes(b"this is not a database, it is a note\n" * 200)
    elif damage == "truncated":
        db.write_bytes(data[: len(data) // 3])
    else:
        db.write_bytes(b"\0" * 100 + data[100:])
    before = files_of(db)
    done = wiredesk("--db", str(db), "fetch", str(DATA / "markup.xml"))
    line = assert_refused(done, str(db))
    assert any(w in line for w in ("not a database", "malformed", "corrupt")), line
    assert files_of(db) == before


@contextmanager
def read_only(path: Path):
    """Mode 0444; as root (who may write anything) the file is made immutable instead."""
    path.chmod(0o444)
    immutable = os.geteuid() == 0
    if immutable and subprocess.run(["chattr", "+i", str(path)], capture_output=True).returncode != 0:
        pytest.skip("running as root without chattr: cannot make a file read-only")
    try:
        yield
    finally:
        if immutable:
            subprocess.run(["chattr", "-i", str(path)], check=True)
        path.chmod(0o644)


def test_read_only_database_is_refused_and_left_byte_for_byte(tmp_path):
    db = stored_db(tmp_path)
    with read_only(db):
        before = files_of(db)
        # Reading works (a read-only copy of a desk is useful); writing is refused in one line.
        listed = wiredesk("--db", str(db), "items")
        assert listed.returncode == 0 and "Rebels" in listed.stdout, listed.stderr
        for args in (("feeds", "add", "https://new.example/feed.xml"), ("mark", "1", "verified", "--editor", "x"),
                     ("fetch", str(DATA / "scripts.xml"))):
            line = assert_refused(wiredesk("--db", str(db), *args), str(db))
            assert "readonly" in line or "read-only" in line, line
        assert files_of(db) == before


def _file_size_limit(limit: int):
    def apply() -> None:
        import resource

        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # writes past the limit fail with EFBIG instead
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))

    return apply


def test_full_disk_is_refused_and_the_desk_stays_whole(tmp_path):
    """A file that cannot grow (RLIMIT_FSIZE: the write fails as on a full disk) mid-import."""
    db = stored_db(tmp_path)
    items_before = query(db, "SELECT guid, title, text FROM items ORDER BY guid")
    before = db.read_bytes()
    feeds = tmp_path / "feeds"
    feeds.mkdir()
    for n in range(3):
        body = "".join(f"<item><guid>full-{n}-{i}</guid><title>Report {i} from Aleppo</title>"
                       f"<description>{'Fighters entered Aleppo, a local official said. ' * 40} {n}-{i}</description></item>"
                       for i in range(300))
        (feeds / f"f{n}.xml").write_text(f'<?xml version="1.0"?><rss version="2.0"><channel><title>Full {n}</title>{body}</channel></rss>')
    done = wiredesk("--db", str(db), "import", str(feeds), preexec_fn=_file_size_limit(len(before) + 64 * 1024))
    line = assert_refused(done, f"{db}: cannot write (", "rolled back")
    assert "disk I/O error" in line or "full" in line, line
    assert query(db, "PRAGMA integrity_check") == [("ok",)]
    assert query(db, "SELECT guid, title, text FROM items WHERE guid IN (SELECT guid FROM items WHERE guid NOT LIKE 'full-%') ORDER BY guid") == items_before
    with Store(db) as store:  # and the desk opens and works afterwards
        assert store.item_count() >= len(items_before)
