"""Config loading: the example file is valid, and each mistake is named by file, key and line."""

from __future__ import annotations

from pathlib import Path

import pytest

from wiredesk.config import ConfigError, load_config, resolve_editor

ROOT = Path(__file__).resolve().parents[2]


def test_example_config_loads():
    config = load_config(ROOT / "config.example.toml", required=True)
    assert config.editor == "night desk"
    assert config.http.concurrency == 16 and config.http.max_bytes == 16 * 1024 * 1024
    assert config.http.per_host == 6
    assert [f.outlet for f in config.feeds] == ["Levant Wire", "Orient Daily"]
    assert config.feeds[0].interval == 120
    assert config.aliases["Halab"] == "Aleppo"
    assert config.aliases["Tell Qasra"]["country"] == "SY"


def write(tmp_path, text):
    path = tmp_path / "c.toml"
    path.write_text(text)
    return path


@pytest.mark.parametrize(
    "text,expected",
    [
        ('editor = "a"\npoll_intervall = 30\n', r"c\.toml, line 2: poll_intervall: unknown key"),
        ('[http]\ntimeout = "fast"\n', r"c\.toml, line 2: http\.timeout: expected int or float, got str"),
        ('[[feeds]]\noutlet = "X"\n', r"feeds: entry 1 has no url"),
        ('[[feeds]]\nurl = "https://a"\nenabled = "yes"\n', r"line 3: feeds\.enabled: expected bool"),
        ("editor = \n", r"c\.toml: invalid TOML: .*line 1"),
        ('[places.aliases]\nKessa = 3\n', r"line 2: places\.aliases\.Kessa: expected a place name or a table"),
        ("poll_interval = 1\n", r"poll_interval: must be at least 10 seconds"),
        ("[http]\nper_host = 0\n", r"line 2: http\.per_host: must be positive"),
        ('[[feeds]]\nurl = "https://a.example/rss"\n[[feeds]]\nurl = "gopher://x.example/feed"\n',
         r"c\.toml, line 4: feeds\.url: 'gopher://x\.example/feed': gopher:// URLs are not supported"),
        ('[[feeds]]\nurl = "https:///feed.xml"\n', r"line 2: feeds\.url: 'https:///feed\.xml': not a valid URL \(no host\)"),
        ('[[feeds]]\nurl = " "\n', r"line 2: feeds\.url: ' ': empty"),
        ('[[feeds]]\nurl = "https://a.example/rss"\ninterval = 0\n', r"line 2: feeds\.interval: must be at least 10 seconds"),
        ('[[feeds]]\nurl = "https://a.example/rss"\n[[feeds]]\nurl = "https://a.example/rss"\n',
         r"line 4: feeds\.url: 'https://a\.example/rss': listed twice \(first at line 2\)"),
        ('[[feeds]]\nurl = "w.xml"\n[[feeds]]\nurl = "./w.xml"\n', r"line 4: feeds\.url: './w\.xml': listed twice \(first at line 2\)"),
        ("[http]\nmax_redirects = -1\n", r"line 2: http\.max_redirects: must be zero or more"),
        ("[http]\nretries = -2\n", r"line 2: http\.retries: must be zero or more"),
        ("[http]\nbackoff = -0.5\n", r"line 2: http\.backoff: must be zero or more"),
        # A setting written below a table belongs to it: it was an alias named "database", silently.
        ('[places.aliases]\nKessa = "Hama"\ndatabase = "desk.db"\n',
         r"line 3: places\.aliases\.database: a top-level setting inside \[places\.aliases\]: .*move it above"),
        ('[http]\ntimeout = 5\npoll_interval = 60\n', r"line 3: http\.poll_interval: a top-level setting inside \[http\]"),
        ('[[feeds]]\nurl = "https://a.example/rss"\neditor = "sam"\n',
         r"line 3: feeds\.editor: a top-level setting inside a \[\[feeds\]\] entry"),
    ],
)
def test_config_errors_name_file_key_and_line(tmp_path, text, expected):
    with pytest.raises(ConfigError, match=expected):
        load_config(write(tmp_path, text))


def test_feed_urls_and_local_paths_load(tmp_path, monkeypatch):
    # Local paths are stored as `feeds add PATH` stores them: absolute, a relative one relative to
    # the config file (as `database`), ~ expanded; not relative to whatever folder wiredesk runs in.
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    monkeypatch.chdir("/")
    config = load_config(write(tmp_path, '[[feeds]]\nurl = "HTTPS://a.example/rss"\n[[feeds]]\nurl = "wire/levant.xml"\n'
                                         '[[feeds]]\nurl = "file:///srv/wire.xml"\n[[feeds]]\nurl = "~/w.xml"\n'))
    assert [(f.url, f.line) for f in config.feeds] == [("HTTPS://a.example/rss", 2), (str(tmp_path / "wire/levant.xml"), 4),
                                                        ("/srv/wire.xml", 6), (str(tmp_path / "home/w.xml"), 8)]


def test_aliases_naming_no_known_place_are_warned_about_by_file_line_and_name(tmp_path):
    from wiredesk.config import unresolved_aliases

    path = write(tmp_path, '[places.aliases]\n"Halab" = "Aleppo"\n"Kessa" = { country = "SY" }\n"Qasra" = "Nowhere"\n')
    config = load_config(path)
    (line,) = unresolved_aliases(config, lambda name: name == "Halab")
    assert line.startswith(f"warning: {path}, line 4: places.aliases.Qasra: no place named 'Nowhere'")


def test_missing_named_config_is_an_error_default_is_not(tmp_path):
    with pytest.raises(ConfigError, match="no such config file"):
        load_config(tmp_path / "none.toml", required=True)
    assert load_config(tmp_path / "none.toml").feeds == ()


def test_relative_database_path_is_relative_to_the_config(tmp_path):
    config = load_config(write(tmp_path, 'database = "desk.db"\n'))
    assert config.database == tmp_path / "desk.db"


def test_editor_precedence(tmp_path, monkeypatch):
    config = load_config(write(tmp_path, 'editor = "from config"\n'))
    assert resolve_editor("flag", config) == "flag"
    monkeypatch.setenv("WIREDESK_EDITOR", "from env")
    assert resolve_editor(None, config) == "from env"
    monkeypatch.delenv("WIREDESK_EDITOR")
    assert resolve_editor(None, config) == "from config"


def test_export_dir_is_expanded_and_may_not_exist_yet(tmp_path, monkeypatch):
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    assert load_config(write(tmp_path, 'export_dir = "~/digests"\n')).export_dir == tmp_path / "home" / "digests"
    assert load_config(write(tmp_path, 'export_dir = "out"\n')).export_dir == tmp_path / "out"  # beside the config
    assert load_config(write(tmp_path, 'editor = "a"\n')).export_dir is None
    assert load_config(ROOT / "config.example.toml").export_dir is not None


@pytest.mark.parametrize(
    "text,expected",
    [
        ('editor = "a"\nexport_dir = 3\n', r"c\.toml, line 2: export_dir: expected str, got int"),
        ('export_dir = ["~/a"]\n', r"c\.toml, line 1: export_dir: expected str, got list"),
        ('export_dir = " "\n', r"c\.toml, line 1: export_dir: expected a path, got an empty string"),
        ('database = ""\n', r"c\.toml, line 1: database: expected a path, got an empty string"),
    ],
)
def test_export_dir_that_is_not_a_path_is_named_by_file_key_and_line(tmp_path, text, expected):
    with pytest.raises(ConfigError, match=expected):
        load_config(write(tmp_path, text))
