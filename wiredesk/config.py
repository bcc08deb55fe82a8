"""Configuration: one TOML file, validated strictly, errors naming the file, key and line."""

from __future__ import annotations

import getpass
import os
import re
import tomllib
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import platformdirs

from fetchers import HttpSettings

from .sources import is_local, local_path, url_problem

APP = "wiredesk"


class ConfigError(Exception):
    """A one-line complaint about the configuration file."""


@dataclass(frozen=True)
class FeedConfig:
    url: str
    outlet: str | None = None
    interval: int | None = None
    enabled: bool = True
    line: int | None = field(default=None, compare=False)  # where its url is in the config file


@dataclass(frozen=True)
class Config:
    path: Path | None = None
    database: Path | None = None
    editor: str | None = None
    newsroom: str | None = None  # signs exported digests (ClaimReview author)
    export_dir: Path | None = None  # the folder the app's export dialog proposes (may not exist yet)
    poll_interval: int = 300
    http: HttpSettings = field(default_factory=HttpSettings)
    feeds: tuple[FeedConfig, ...] = ()
    aliases: dict[str, Any] = field(default_factory=dict)
    keys: dict[str, str] = field(default_factory=dict)
    alias_lines: dict[str, int] = field(default_factory=dict, compare=False)  # alias name → line in the file


def default_config_path() -> Path:
    return Path(platformdirs.user_config_dir(APP)) / "config.toml"


def default_database_path() -> Path:
    return Path(platformdirs.user_data_dir(APP)) / "wiredesk.db"


def cache_dir() -> Path:
    return Path(os.environ.get("WIREDESK_CACHE") or platformdirs.user_cache_dir(APP))


def resolve_editor(explicit: str | None, config: Config) -> str:
    """--editor, else WIREDESK_EDITOR, else config ``editor``, else the login name."""
    for candidate in (explicit, os.environ.get("WIREDESK_EDITOR"), config.editor):
        if candidate and candidate.strip():
            return candidate.strip()
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return "editor"


_TOP = {"database", "editor", "newsroom", "export_dir", "poll_interval", "http", "feeds", "places", "keys"}
_HTTP = {
    "timeout": (int, float),
    "deadline": (int, float),
    "max_bytes": (int,),
    "concurrency": (int,),
    "per_host": (int,),
    "user_agent": (str,),
    "max_redirects": (int,),
    "retries": (int,),
    "backoff": (int, float),
}
_FEED = {"url": (str,), "outlet": (str,), "interval": (int,), "enabled": (bool,)}
_ALIAS = {"name": (str,), "country": (str,), "admin1": (str,), "lat": (int, float), "lon": (int, float), "kind": (str,)}


def load_config(path: Path | None, *, required: bool = False) -> Config:
    """Load ``path``; a missing default file means defaults, a missing named file is an error."""
    if path is None:
        return Config()
    if not path.exists():
        if required:
            raise ConfigError(f"{path}: no such config file")
        return Config()
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{path}: cannot read config ({exc})") from exc
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path}: invalid TOML: {exc}") from exc
    return _build(path, text, data)


def _build(path: Path, text: str, data: dict[str, Any]) -> Config:
    def fail(key: str, message: str) -> ConfigError:
        line = _line_of(text, key.rsplit(".", 1)[-1])
        where = f", line {line}" if line else ""
        return ConfigError(f"{path}{where}: {key}: {message}")

    def misplaced(key: str, prefix: str) -> ConfigError:
        # TOML puts every key after a [table] header into that table: `database = …` written below
        # [places.aliases] became an alias named "database", silently, and the default database was used.
        table = "a [[feeds]] entry" if prefix == "feeds." else f"[{prefix.rstrip('.')}]"
        return fail(f"{prefix}{key}", f"a top-level setting inside {table}: TOML reads every key "
                                      "below a [table] header as part of it; move it above the first [table]")

    def check(table: dict, spec: dict, prefix: str) -> None:
        for key, value in table.items():
            if key not in spec:
                if key in _TOP and prefix.count(".") == 1:
                    raise misplaced(key, prefix)
                raise fail(f"{prefix}{key}", f"unknown key (expected one of: {', '.join(sorted(spec))})")
            types = spec[key]
            if not isinstance(value, types) or (bool not in types and isinstance(value, bool)):
                names = " or ".join(t.__name__ for t in types)
                raise fail(f"{prefix}{key}", f"expected {names}, got {type(value).__name__}")

    for key in data:
        if key not in _TOP:
            raise fail(key, f"unknown key (expected one of: {', '.join(sorted(_TOP))})")
    check(
        {k: data[k] for k in ("database", "editor", "newsroom", "export_dir", "poll_interval") if k in data},
        {"database": (str,), "editor": (str,), "newsroom": (str,), "export_dir": (str,), "poll_interval": (int,)},
        "",
    )
    for key in ("database", "export_dir"):
        if key in data and not data[key].strip():
            raise fail(key, "expected a path, got an empty string (leave the key out for the default)")
    if data.get("poll_interval", 300) < 10:
        raise fail("poll_interval", "must be at least 10 seconds")
    http = data.get("http", {})
    if not isinstance(http, dict):
        raise fail("http", "expected a table")
    check(http, _HTTP, "http.")
    for key in ("timeout", "deadline", "max_bytes", "concurrency", "per_host"):
        if key in http and http[key] <= 0:
            raise fail(f"http.{key}", "must be positive")
    for key in ("max_redirects", "retries", "backoff"):
        # max_redirects = -1 made every fetch fail with "more than -1 redirects".
        if key in http and http[key] < 0:
            raise fail(f"http.{key}", "must be zero or more")
    feeds = data.get("feeds", [])
    if not isinstance(feeds, list):
        raise fail("feeds", "expected an array of tables ([[feeds]])")
    feed_configs = []
    seen: dict[str, int | None] = {}
    for index, feed in enumerate(feeds):
        if not isinstance(feed, dict):
            raise fail("feeds", f"entry {index + 1} is not a table")
        check(feed, _FEED, "feeds.")
        if "url" not in feed:
            raise fail("feeds", f"entry {index + 1} has no url")
        line = _line_of_value(text, feed["url"], feed_configs[-1].line if feed_configs else None)
        where = f", line {line}" if line else ""
        url = feed["url"].strip()
        problem = url_problem(url)
        if problem:
            raise ConfigError(f"{path}{where}: feeds.url: {feed['url']!r}: {problem}")
        if "interval" in feed and feed["interval"] < 10:
            raise ConfigError(f"{path}{where}: feeds.interval: must be at least 10 seconds (feed {feed['url']!r})")
        if is_local(url):
            # As `feeds add PATH` and `fetch PATH` store it: absolute, so that the feed is one file
            # whatever folder wiredesk runs in, and the same feed as the CLI's name for that file.
            url = str(_resolve_path(path, str(local_path(url))).resolve())
        if url in seen:
            raise ConfigError(f"{path}{where}: feeds.url: {feed['url']!r}: listed twice (first at line {seen[url]})")
        seen[url] = line
        feed_configs.append(FeedConfig(**{**feed, "url": url}, line=line))
    places = data.get("places", {})
    if not isinstance(places, dict):
        raise fail("places", "expected a table")
    for key in places:
        if key != "aliases":
            raise fail(f"places.{key}", "unknown key (expected: aliases)")
    aliases = places.get("aliases", {})
    if not isinstance(aliases, dict):
        raise fail("places.aliases", "expected a table")
    for name, spec in aliases.items():
        if name in _TOP and not isinstance(spec, dict):
            raise misplaced(name, "places.aliases.")
        if isinstance(spec, dict):
            check(spec, _ALIAS, f"places.aliases.{name}.")
        elif not isinstance(spec, str):
            raise fail(f"places.aliases.{name}", "expected a place name or a table")
    keys = data.get("keys", {})
    if not isinstance(keys, dict) or not all(isinstance(v, str) for v in keys.values()):
        raise fail("keys", "expected a table of action = \"key\" strings")
    database = data.get("database")
    export_dir = data.get("export_dir")
    return Config(
        path=path,
        database=_resolve_path(path, database) if database else None,
        editor=data.get("editor"),
        newsroom=(data.get("newsroom") or "").strip() or None,
        # Not checked for existence here: the export dialog says so if it is missing when used.
        export_dir=_resolve_path(path, export_dir) if export_dir else None,
        poll_interval=data.get("poll_interval", 300),
        http=HttpSettings(**http),
        feeds=tuple(feed_configs),
        aliases=dict(aliases),
        keys=dict(keys),
        alias_lines={name: line for name in aliases if (line := _line_of(text, name))},
    )


def _resolve_path(config_path: Path, value: str) -> Path:
    """``value`` with ``~`` and $VARIABLES expanded; relative to the config file's folder."""
    path = Path(os.path.expandvars(value)).expanduser()
    return path if path.is_absolute() else (config_path.parent / path)


def unresolved_aliases(config: Config, finds: Callable[[str], bool]) -> list[str]:
    """One warning line per alias naming another place (``"Halab" = "Aleppo"``) that ``finds`` (the
    gazetteer, aliases loaded, looking up the alias's name) does not find: such an alias matches
    nothing, and the desk would silently never see the place."""
    warnings = []
    for name, target in config.aliases.items():
        if isinstance(target, str) and not finds(name):
            line = config.alias_lines.get(name)
            where = f"{config.path}, line {line}" if line else f"{config.path}"
            warnings.append(f"warning: {where}: places.aliases.{name}: no place named {target!r} "
                            "(point it at a gazetteer name, or define the place as a table); ignored")
    return warnings


def _line_of_value(text: str, value: str, after_line: int | None = None) -> int | None:
    """The line of the first ``"value"`` after line ``after_line`` (a second feed of one URL is on
    a later line than the first)."""
    start = 0
    if after_line:
        start = len("".join(text.splitlines(keepends=True)[:after_line]))
    found = [at for quoted in (f'"{value}"', f"'{value}'") if (at := text.find(quoted, start)) >= 0]
    if not found and start:
        return _line_of_value(text, value)
    return text.count("\n", 0, min(found)) + 1 if found else None


def _line_of(text: str, key: str) -> int | None:
    pattern = re.compile(rf"^\s*(?:\"{re.escape(key)}\"|'{re.escape(key)}'|{re.escape(key)})\s*=", re.M)
    match = pattern.search(text) or re.search(rf"^\s*\[\[?\s*{re.escape(key)}\b", text, re.M)
    return text.count("\n", 0, match.start()) + 1 if match else None
