"""The ``wiredesk`` command. Each command opens the store, calls one library function, and turns
library errors into a one-line message and a non-zero exit — never a traceback for bad input.

Each command imports what it uses when it runs: ``wiredesk --help`` or ``wiredesk feeds list`` need
neither the HTTP client, nor the extractor, nor datasketch/scipy, nor the app.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timezone
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING

import click

from tui.text import neutralise

from .config import (
    Config,
    ConfigError,
    cache_dir,
    default_config_path,
    default_database_path,
    load_config,
    resolve_editor,
    unresolved_aliases,
)
from .formats import FORMATS
from .sources import is_local, local_path, url_problem

if TYPE_CHECKING:
    from db import Store
    from fetchers import FetchError

    from .fetching import FeedOutcome
    from .ingest import IngestResult, Ingestor


class UsageFailure(click.ClickException):
    """Bad input on the command line (a database path that is not there, a bad duration): one line,
    exit 2 as click's own usage errors."""

    exit_code = 2


@dataclass
class Context:
    config: Config
    db_path: Path
    db_origin: str = "--db"  # where db_path came from: "--db", "WIREDESK_DB", the config, the default

    @property
    def db_named(self) -> bool:
        """Named for this run (--db, WIREDESK_DB): a typo there must not conjure folders."""
        return self.db_origin in ("--db", "WIREDESK_DB")

    @contextmanager
    def store(self, *, create: bool = False) -> Iterator[Store]:
        """The store; ``create``: commands that write may create the database file (and, at the
        default location or the config's ``database``, its folders). Others need it to exist."""
        from db import NotFound, Store, StorageError

        if not self.db_path.exists():
            if not create:
                raise UsageFailure(f"{self.db_path}: no such database ({self.db_origin}); "
                                   "`wiredesk fetch`, `wiredesk import` or `wiredesk feeds add` creates one")
            if self.db_named and not self.db_path.parent.is_dir():
                raise UsageFailure(f"{self.db_path}: folder {self.db_path.parent} does not exist ({self.db_origin}); "
                                   "create it first")
        try:
            store = Store(self.db_path)
        except StorageError as exc:
            raise click.ClickException(str(exc)) from None
        try:
            yield store
        except StorageError as exc:
            raise click.ClickException(str(exc)) from None
        except NotFound as exc:
            raise click.ClickException(str(exc)) from None
        finally:
            store.close()

    def ingestor(self, store: Store, extra_aliases: dict | None = None, *, warn: bool = True) -> Ingestor:
        import claims

        from .ingest import Ingestor

        aliases = {**self.config.aliases, **(extra_aliases or {})}
        if not claims.Gazetteer.is_cached(cache_dir()):
            click.echo("building the place index from GeoNames (first run only, about 15 s)…", err=True)
        gazetteer = claims.Gazetteer.load(cache_dir(), aliases=aliases)
        if warn:
            finds = lambda name: bool(gazetteer.candidates(claims.normalise_name(name)))  # noqa: E731
            for line in unresolved_aliases(self.config, finds):
                echo_plain(line, err=True)
        return Ingestor(store, gazetteer)


pass_context = click.make_pass_decorator(Context)


def echo_plain(line: str, err: bool = False) -> None:
    """A line carrying feed text, for a terminal: bidi overrides and zero-width characters are kept
    in the database (legitimate in Arabic copy and names) but neutralised here, as the app does, so
    that "denied" cannot print as "deined". click prints characters as they are, never as markup."""
    click.echo(neutralise(line), err=err)


@click.group(invoke_without_command=True, context_settings={"help_option_names": ["-h", "--help"]})
@click.option("--db", "db_path", type=click.Path(dir_okay=False, path_type=Path), envvar="WIREDESK_DB",
              help="Database file (env WIREDESK_DB; default from config, else the platform data dir). "
                   "Commands that only read need it to exist; fetch, import, feeds add and the app create "
                   "it, in a folder that must exist.")
@click.option("--config", "config_path", type=click.Path(dir_okay=False, path_type=Path), envvar="WIREDESK_CONFIG",
              help="Config file (env WIREDESK_CONFIG; default: the platform config dir's config.toml).")
@click.version_option(package_name="wiredesk")
@click.pass_context
def cli(ctx: click.Context, db_path: Path | None, config_path: Path | None) -> None:
    """wiredesk: a keyboard-driven newsroom desk for contradictory wire reports.

    Fetch feeds into a local SQLite database, see per place who claims what, mark claims
    verified or disputed, and export a digest. Run without a command to open the app.

    \b
    Example:
      wiredesk feeds add https://example.org/wire.xml --outlet "Levant Wire"
      wiredesk fetch && wiredesk claims --place Hama
    """
    try:
        config = load_config(config_path or default_config_path(), required=config_path is not None)
    except ConfigError as exc:
        raise click.ClickException(str(exc)) from None
    if db_path is not None:
        source = ctx.get_parameter_source("db_path")
        origin = "WIREDESK_DB" if source == click.core.ParameterSource.ENVIRONMENT else "--db"
        ctx.obj = Context(config, db_path, origin)
    elif config.database is not None:
        ctx.obj = Context(config, config.database, f"database in {config.path}")
    else:
        ctx.obj = Context(config, default_database_path(), "the default location")
    if ctx.invoked_subcommand is None:
        ctx.invoke(tui_command)


# -- fetching and importing ----------------------------------------------------------------------


@cli.command("fetch")
@click.argument("sources", nargs=-1)
@click.option("--watch", is_flag=True, help="Keep polling at each feed's interval until interrupted.")
@click.option("--interval", type=click.IntRange(min=1),
              help="Poll interval in seconds of feeds without an interval of their own (default: config poll_interval).")
@pass_context
def fetch_command(ctx: Context, sources: tuple[str, ...], watch: bool, interval: int | None) -> None:
    """Fetch new items from the enabled feeds, or from the SOURCEs given (URL, file or folder).

    Prints one line per feed: new items, not modified (304), or the error. Exits non-zero when
    every feed failed.

    A SOURCE that is not a feed yet becomes one (fetched by a bare `wiredesk fetch` from then on)
    once a fetch of it works; if none does before the command ends, it is not kept, and its line
    says so. A SOURCE that is a disabled feed is fetched and stays disabled.

    \b
    Example:
      wiredesk fetch https://example.org/a.xml https://example.org/b.xml
      wiredesk fetch --watch --interval 120
    """
    from .fetching import due_feeds

    default_interval = interval or ctx.config.poll_interval
    accepted, refused = _named_sources(sources)
    for line in refused:
        echo_plain(line)
    if sources and not accepted:
        sys.exit(1)
    with ctx.store(create=True) as store:
        new_ids: set[int] = set()
        named: dict[int, None] = {}
        if sources:
            named = _named_feeds(store, accepted, new_ids)
        elif not _sync_feeds(ctx, store):
            raise click.ClickException("no feeds: add one with `wiredesk feeds add URL` or name SOURCEs")
        ingestor = ctx.ingestor(store)
        worked: set[int] = set()

        def line(outcome: FeedOutcome) -> str:
            text = outcome.line()
            if outcome.feed.id in new_ids and outcome.result == "error" and outcome.feed.id not in worked:
                text += " (not kept as a feed unless a later fetch works)" if watch else " (not kept as a feed)"
            return text

        try:
            while True:
                # Read afresh each cycle: a running watch follows `feeds add/disable/remove`.
                feeds = [f for f in store.feeds() if f.id in named] if sources else [f for f in store.feeds() if f.enabled]
                targets = feeds if not watch else due_feeds(feeds, datetime.now(timezone.utc), named=bool(sources))
                outcomes = _run_cycle(store, ingestor, targets, ctx, default_interval, line)
                worked.update(o.feed.id for o in outcomes if o.result != "error")
                if not watch:
                    if (refused or outcomes) and all(o.result == "error" for o in outcomes):
                        sys.exit(1)
                    return
                _sleep_until_due(store, set(named) if sources else None, default_interval)
        except KeyboardInterrupt:
            # ctrl+c or `kill` is how a watch ends (exit 0); a single fetch cut short did not finish,
            # and a script or timer running it must not read that as success.
            click.echo("stopped" if watch else "stopped before every feed was fetched", err=True)
            if not watch:
                sys.exit(130)
        finally:
            unused = {f.id: f.url for f in store.feeds() if f.id in new_ids - worked} if new_ids - worked else {}
            dropped = [url for feed_id, url in unused.items() if _drop_unused(store, feed_id)]
            if dropped and watch:
                echo_plain(f"not kept as feeds, no fetch of them worked: {', '.join(dropped)}", err=True)


def _named_sources(sources: tuple[str, ...]) -> tuple[list[str], list[str]]:
    """(feed URLs and absolute paths to fetch, one error line per SOURCE that cannot be fetched):
    checked before the database is opened, so a typo leaves nothing behind."""
    from fetchers import discover, unsupported

    accepted: list[str] = []
    refused: list[str] = []
    for source in sources:
        if not is_local(source) or not source.strip():
            problem = url_problem(source)
            if problem:
                refused.append(f"{source}: error: {problem}")
            else:
                accepted.append(source)
            continue
        path = local_path(source).expanduser()
        if path.is_dir():
            found = [str(p.resolve()) for p in discover([path])]
            if not found:
                refused.append(f"{source}: error: no feed, text or HTML files in this folder")
            accepted += found
        elif path.exists():
            reason = unsupported(path)
            if reason:
                refused.append(f"{source}: error: {reason}")
            else:
                accepted.append(str(path.resolve()))
        else:
            hint = " (a URL starts with http:// or https://)" if "." in source.split("/", 1)[0] else ""
            refused.append(f"{source}: error: no such file or folder{hint}")
    return list(dict.fromkeys(accepted)), refused


def _named_feeds(store: Store, urls: list[str], new_ids: set[int]) -> dict[int, None]:
    """The feeds of these URLs (ids, in order), adding those not yet stored; their ids go in ``new_ids``."""
    named: dict[int, None] = {}
    for url in urls:
        feed = store.feed_by_url(url)
        if feed is None:
            feed = store.add_feed(url)
            new_ids.add(feed.id)
        named[feed.id] = None
    return named


def _drop_unused(store: Store, feed_id: int) -> bool:
    from db import StorageError, drop_unused_feed

    try:
        return drop_unused_feed(store, feed_id)
    except StorageError:  # e.g. a read-only database: the fetch already said what failed
        return False


def _sync_feeds(ctx: Context, store: Store):
    """The configured feeds, stored (config wins for url, outlet, interval, enabled), then every
    enabled feed."""
    for fc in ctx.config.feeds:
        store.add_feed(fc.url, outlet=fc.outlet, interval=fc.interval, enabled=fc.enabled)
    return [f for f in store.feeds() if f.enabled]


def _run_cycle(
    store: Store, ingestor: Ingestor, feeds, ctx: Context, interval: int, line: Callable[[FeedOutcome], str]
) -> list[FeedOutcome]:
    if not feeds:
        return []
    import asyncio

    from .fetching import fetch_cycle
    from .workers import Preparer

    show_bar = sys.stderr.isatty() and len(feeds) > 5
    bar = click.progressbar(length=len(feeds), label="fetching", file=sys.stderr) if show_bar else None

    def on_outcome(outcome: FeedOutcome) -> None:
        if bar is not None:
            bar.update(1)
        echo_plain(line(outcome))

    if bar is not None:
        bar.__enter__()
    try:
        with Preparer(ingestor.gazetteer, cache_dir(), ctx.config.aliases, len(feeds)) as preparer:
            return asyncio.run(fetch_cycle(store, ingestor, feeds, ctx.config.http, interval, on_outcome, preparer))
    finally:
        if bar is not None:
            bar.__exit__(None, None, None)


def _sleep_until_due(store: Store, named: set[int] | None, default_interval: int) -> None:
    feeds = [f for f in store.feeds() if (f.id in named if named is not None else f.enabled)]
    now = datetime.now(timezone.utc)
    waits = []
    for f in feeds:
        if f.next_due:
            due = datetime.strptime(f.next_due, "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=timezone.utc)
            waits.append((due - now).total_seconds())
    time.sleep(min(max(min(waits, default=default_interval), 1.0), default_interval))


@cli.command("import")
@click.argument("paths", nargs=-1, required=True, type=click.Path())
@click.option("--outlet", help="Outlet name for the imported items (default: the feed's title, else one from the file name).")
@pass_context
def import_command(ctx: Context, paths: tuple[str, ...], outlet: str | None) -> None:
    """Import local files or folders (recursively): RSS/Atom/RDF, JSON Feed, plain text, HTML articles.

    A file that cannot be read is reported on its own line and the rest continue; the exit
    status is non-zero if any file failed. A file named with another suffix (.csv, .pdf) is
    skipped with a note; in a folder, such files are passed over (a folder with nothing to
    import is reported as a failure). Items of a file that names no
    outlet get one from the file name (levant-wire.xml: "Levant Wire"). Imported files are kept
    as disabled feeds: `fetch` does not read them again.

    Place aliases come from the config: the bundled sample's are applied with
    `wiredesk --config wiredesk/sample/aliases.toml import wiredesk/sample`.

    \b
    Example:
      wiredesk import ~/wire/dispatches --outlet "Free Orient TV"
    """
    present = []
    failures = 0
    for name in paths:
        path = Path(name).expanduser()
        if not name.strip():  # an unset shell variable: Path("") would be the current folder
            echo_plain(f"{name!r}: empty path (name a file or folder; . is the current one)", err=True)
            failures += 1
        elif path.is_dir() and not _has_files(path):
            # As `fetch FOLDER` says: silence and exit 0 read as "imported" for a mistyped folder.
            echo_plain(f"{name}: no feed, text or HTML files in this folder", err=True)
            failures += 1
        elif path.exists():
            present.append(path)
        else:
            echo_plain(f"{name}: no such file or folder", err=True)
            failures += 1
    if present:
        failures += _import_paths(ctx, present, outlet)
        _note_unapplied_aliases(ctx, present)
    if failures:
        sys.exit(1)


def _has_files(folder: Path) -> bool:
    from fetchers import discover

    return next(iter(discover([folder])), None) is not None


def _note_unapplied_aliases(ctx: Context, paths) -> None:
    """A folder may carry the place aliases its copy needs (the sample does): aliases come only from
    the config (a file in a folder of downloaded copy is not a trusted setting, and aliases applied
    to one import would be lost at the next `reextract`), so say how to apply them."""
    for path in paths:
        file = path / "aliases.toml"
        if not file.is_file():
            continue
        try:
            wanted = load_config(file).aliases
        except ConfigError:
            continue
        if wanted and any(ctx.config.aliases.get(name) != spec for name, spec in wanted.items()):
            echo_plain(f"note: {file} was not applied: place aliases come from the config "
                       f"(`wiredesk --config {file} import {path}`, or copy its [places.aliases] into yours)", err=True)


def _import_paths(ctx: Context, paths, outlet: str | None, extra_aliases: dict | None = None, quiet: bool = False) -> int:
    from fetchers import FetchError

    from .fetching import import_files

    failures = 0

    def report(path: Path, result: IngestResult | FetchError) -> None:
        nonlocal failures
        if isinstance(result, FetchError):
            failures += 1
            echo_plain(f"{result}", err=True)
            return
        if quiet:
            return
        detail = f"{result.new} new"
        if result.unchanged:
            detail += f", {result.unchanged} already stored"
        if result.duplicates:
            detail += f", {result.duplicates} duplicate"
        for warning in result.warnings:
            detail += f" ({warning})"
        echo_plain(f"{path}: {detail}")

    with ctx.store(create=True) as store:
        ingestor = ctx.ingestor(store, extra_aliases)
        import_files(store, ingestor, paths, outlet, {**ctx.config.aliases, **(extra_aliases or {})}, report)
    return failures


# -- feeds ---------------------------------------------------------------------------------------


@cli.group("feeds")
def feeds_group() -> None:
    """Manage the feeds fetched by `wiredesk fetch`.

    \b
    Example:
      wiredesk feeds add https://example.org/wire.xml --outlet "Levant Wire"
      wiredesk feeds list --json
      wiredesk feeds disable 3
      wiredesk feeds remove https://example.org/old.xml
    """


@feeds_group.command("add")
@click.argument("url")
@click.option("--outlet", help="The outlet name editors know this feed by.")
@click.option("--interval", type=click.IntRange(min=10), help="Poll interval override in seconds.")
@pass_context
def feeds_add(ctx: Context, url: str, outlet: str | None, interval: int | None) -> None:
    """Add a feed (an http(s) URL or a local file); adding it again updates its outlet and enables it.

    \b
    Example:
      wiredesk feeds add https://example.org/wire.xml --outlet "Levant Wire"
    """
    problem = url_problem(url)
    if problem:
        raise click.ClickException(f"{url}: {problem}")
    if is_local(url):
        from fetchers import unsupported

        path = local_path(url).expanduser()
        if path.is_dir():
            raise click.ClickException(f"{url}: is a folder: `wiredesk fetch {url}` or `wiredesk import {url}` reads its files")
        if not path.exists():
            raise click.ClickException(f"{url}: no such file (a URL starts with http:// or https://)")
        if reason := unsupported(path):
            raise click.ClickException(f"{url}: {reason}")
        url = str(path.resolve())
    with ctx.store(create=True) as store:
        feed = store.add_feed(url, outlet=outlet, interval=interval)
    # The outlet may be a feed's own title (an imported file's): feed text, neutralised as everywhere.
    echo_plain(f"feed {feed.id}: {feed.url}" + (f" ({feed.outlet})" if feed.outlet else ""))


@feeds_group.command("list")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@pass_context
def feeds_list(ctx: Context, as_json: bool) -> None:
    """List feeds with their fetch state.

    \b
    Example:
      wiredesk feeds list --json
    """
    with ctx.store() as store:
        feeds = store.feeds()
        today = store.items_today()
    if as_json:
        from . import serialise

        click.echo(serialise.dumps([serialise.feed_json(f, today.get(f.id, 0)) for f in feeds]))
        return
    from tui.format import local_time

    for f in feeds:
        state = _FETCH_RESULT_WORDS.get(f.last_result or "", f.last_result or "never fetched")
        if f.last_error:
            state = f"error: {f.last_error} ({f.failures} in a row)"
        if f.last_fetched:
            state += f", {local_time(f.last_fetched)}"
        if today.get(f.id):
            state += f"; {today[f.id]} today"
        flag = "" if f.enabled else " [disabled]"
        name = f"{f.display_outlet}{flag}  " if f.display_outlet != f.url else (flag.strip() + "  " if flag else "")
        echo_plain(f"{f.id:>4}  {name}{f.url}  — {state}")


_FETCH_RESULT_WORDS = {"new": "new items", "unchanged": "no new items", "not_modified": "not modified (304)"}


def _find_feed(store: Store, ref: str):
    """A feed by id, URL or path."""
    from db import NotFound

    if ref.isdigit():
        try:
            return store.feed(int(ref))
        except NotFound:
            raise click.ClickException(f"no feed {ref} (`wiredesk feeds list` shows them)") from None
    feed = store.feed_by_url(ref)
    if feed is None and is_local(ref):
        feed = store.feed_by_url(str(local_path(ref).expanduser().resolve()))
    if feed is None:
        raise click.ClickException(f"{ref}: no such feed (`wiredesk feeds list` shows them)")
    return feed


def _refuse_configured(ctx: Context, feed, doing: str) -> None:
    """A feed in the config file is added back as the config says at every `fetch`: change it there."""
    for fc in ctx.config.feeds:
        if fc.url == feed.url:
            where = f"{ctx.config.path}, line {fc.line}" if fc.line else f"{ctx.config.path}"
            raise click.ClickException(f"feed {feed.id} ({feed.url}) is in the config ({where}): {doing} it there")


@feeds_group.command("disable")
@click.argument("feed_ref", metavar="FEED")
@pass_context
def feeds_disable(ctx: Context, feed_ref: str) -> None:
    """Stop fetching a feed (by id, URL or path); its items, claims and verdicts stay.

    \b
    Example:
      wiredesk feeds disable 3
    """
    _set_enabled(ctx, feed_ref, False)


@feeds_group.command("enable")
@click.argument("feed_ref", metavar="FEED")
@pass_context
def feeds_enable(ctx: Context, feed_ref: str) -> None:
    """Fetch a disabled feed again (by id, URL or path), from the next `wiredesk fetch`.

    \b
    Example:
      wiredesk feeds enable 3
    """
    _set_enabled(ctx, feed_ref, True)


def _set_enabled(ctx: Context, feed_ref: str, enabled: bool) -> None:
    with ctx.store() as store:
        feed = _find_feed(store, feed_ref)
        if feed.enabled != enabled:
            _refuse_configured(ctx, feed, f"set enabled = {'true' if enabled else 'false'} for")
            store.add_feed(feed.url, enabled=enabled)
    echo_plain(f"feed {feed.id}: {feed.url}: {'enabled' if enabled else 'disabled'}"
               + ("" if feed.enabled != enabled else " (it was)"))


@feeds_group.command("remove")
@click.argument("feed_ref", metavar="FEED")
@click.option("--force", is_flag=True, help="Remove it even if verified or disputed claims cite its items.")
@pass_context
def feeds_remove(ctx: Context, feed_ref: str, force: bool) -> None:
    """Remove a feed (by id, URL or path) and its items, with their mentions.

    Claims and their verdicts stay: the claims are recomputed from the mentions left. If verified
    or disputed claims cite the feed's items, nothing is removed without --force (their evidence
    would go); `wiredesk feeds disable FEED` stops fetching it and keeps everything.

    \b
    Example:
      wiredesk feeds remove 3
      wiredesk feeds remove https://example.org/old.xml --force
    """
    import claims
    from db import feed_removal, remove_feed

    with ctx.store() as store:
        feed = _find_feed(store, feed_ref)
        _refuse_configured(ctx, feed, "remove")
        plan = feed_removal(store, feed.id)
        decided = ", ".join(map(str, plan.decided_claims[:10])) + (", …" if len(plan.decided_claims) > 10 else "")
        cited = (f"{plan.cited_items} of its {_count(plan.items, 'item')} are evidence for "
                 f"{_count(len(plan.decided_claims), 'verified or disputed claim')} ({decided})")
        if plan.decided_claims and not force:
            raise click.ClickException(
                f"feed {feed.id} ({feed.url}) not removed: {cited}; `wiredesk feeds disable {feed.id}` stops "
                f"fetching it and keeps them, `wiredesk feeds remove {feed.id} --force` deletes them (verdicts stay)")
        removed = remove_feed(store, feed.id, claims.assess)
    line = f"removed feed {feed.id} ({feed.url}) and its {_count(removed, 'item')}"
    if plan.decided_claims:
        line += f"; {cited}: their verdicts stay, without that evidence"
    echo_plain(line)


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}{'' if n == 1 else 's'}"


# -- reading -------------------------------------------------------------------------------------


@cli.command("items")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@click.option("--search", "query",
              help='Full-text search over titles and text: all words; "a phrase", A OR B, prefix*.')
@click.option("--limit", type=click.IntRange(min=1), default=50, show_default=True)
@pass_context
def items_command(ctx: Context, as_json: bool, query: str | None, limit: int) -> None:
    """List stored items, newest first.

    \b
    Example:
      wiredesk items --search "Morek" --limit 10 --json
    """
    with ctx.store() as store:
        rows = store.items(limit=limit, search=query)
    if as_json:
        from . import serialise

        click.echo(serialise.dumps([serialise.item_json(r) for r in rows]))
        return
    for r in rows:
        when = (r.published or r.fetched)[:16].replace("T", " ")
        others = r.cluster_size - 1
        extra = f"  +{others} outlet{'s' if others > 1 else ''}" if others else ""
        echo_plain(f"{r.id:>6}  {when}  {r.outlet}: {r.title}{extra}")


@cli.command("claims")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@click.option("--place", help="Only this place (name or key).")
@pass_context
def claims_command(ctx: Context, as_json: bool, place: str | None) -> None:
    """Claims per place: status, contested flag, stances, figures and each mention.

    A --place that matches nothing is an error, except with --json: an empty list (and a note
    on stderr), as from an empty database.

    \b
    Example:
      wiredesk claims --place Morek --json
    """
    with ctx.store() as store:
        cards = store.place_cards(place)
    if place and not cards:
        # A filter that matches nothing: a script gets the empty list, as from an empty database.
        if not as_json:
            raise click.ClickException(f"no claims about a place named {place!r}")
        click.echo(f"note: no claims about a place named {place!r}", err=True)
    if as_json:
        from . import serialise

        click.echo(serialise.dumps([serialise.card_json(c) for c in cards]))
        return
    for card in cards:
        p = card.place
        where = ", ".join(x for x in (p.admin1, p.country) if x)
        echo_plain(f"{p.name}" + (f" ({where})" if where else ""))
        for c in card.claims:
            flag = " CONTESTED" if c.contested else ""
            review = " NEEDS REVIEW" if c.needs_review else ""
            echo_plain(f"  [{c.id}] {c.status}{flag}{review} · {c.event}: {c.summary}")
            for m in c.mentions:
                who = f" — {m.attributed_to}" if m.attributed_to else ""
                near = f" [{m.near}]" if m.near else ""
                echo_plain(f"      {m.outlet} · {m.stance}{near}{who}: {m.sentence}")


# -- verdicts ------------------------------------------------------------------------------------


def _mention_ids(ctx: click.Context, param: click.Parameter, value: str | None) -> tuple[int, ...] | None:
    if value is None:
        return None
    try:
        return tuple(int(part) for part in value.replace(",", " ").split())
    except ValueError:
        raise click.BadParameter(f"{value!r}: expected mention ids like 41,42,57") from None


@cli.command("mark")
@click.argument("claim_id", type=int)
@click.argument("status", type=click.Choice(["verified", "disputed", "unverified"]))
@click.option("--note", help="Why: the editor's note, stored with the verdict.")
@click.option("--editor", help="Who decides (default: WIREDESK_EDITOR, config editor, login name).")
@click.option("--seen-verdict", type=click.IntRange(min=0), metavar="ID",
              help="The verdict id you decided on (claims --json verdict_id; 0: none), to be told if another replaced it.")
@click.option("--seen-mentions", callback=_mention_ids, metavar="IDS",
              help="The mention ids you read (comma-separated, from claims --json), to be told what arrived since.")
@pass_context
def mark_command(
    ctx: Context, claim_id: int, status: str, note: str | None, editor: str | None,
    seen_verdict: int | None, seen_mentions: tuple[int, ...] | None,
) -> None:
    """Set a claim's status by appending a verdict to its log.

    The verdict is stored even if the claim changed while you decided; with --seen-verdict and
    --seen-mentions, a note on stderr says what changed (new mentions, another editor's verdict).

    \b
    Example:
      wiredesk mark 12 disputed --note "Ministry denial, no independent confirmation"
      wiredesk mark 12 verified --seen-verdict 31 --seen-mentions 40,41
    """
    who = resolve_editor(editor, ctx.config)
    with ctx.store() as store:
        result = store.add_verdict(claim_id, status, who, note, seen_mentions=seen_mentions, seen_verdict=seen_verdict)
    before = result.replaced
    was = f" (was {before.status} by {before.editor})" if before and (before.status, before.editor) != (status, who) else ""
    click.echo(f"claim {claim_id}: {status} by {who}{was}")
    changes = []
    if result.new_mentions:
        n = len(result.new_mentions)
        ids = ", ".join(map(str, result.new_mentions[:10])) + (", …" if n > 10 else "")
        changes.append(f"{n} new mention{'s' if n > 1 else ''} since you looked (ids {ids})")
    if result.overridden_status and before is not None:
        when = before.at[:16].replace("T", " ") + " UTC"
        changes.append(f"replaced {before.editor}'s '{before.status}' of {when}, which you had not seen")
    if changes:
        click.echo("note: " + "; ".join(changes), err=True)


@cli.command("history")
@click.argument("claim_id", type=int)
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@pass_context
def history_command(ctx: Context, claim_id: int, as_json: bool) -> None:
    """The verdict log of a claim, oldest first.

    \b
    Example:
      wiredesk history 12 --json
    """
    with ctx.store() as store:
        verdicts = store.history(claim_id)
    if as_json:
        from . import serialise

        click.echo(serialise.dumps([serialise.verdict_json(v) for v in verdicts]))
        return
    if not verdicts:
        click.echo(f"claim {claim_id}: no verdicts (unverified)")
    for v in verdicts:
        note = f" — {v.note}" if v.note else ""
        echo_plain(f"{v.at}  {v.status:<10}  {v.editor}{note}")


@cli.command("reextract")
@pass_context
def reextract_command(ctx: Context) -> None:
    """Re-run claim extraction over every stored item (after an upgrade or alias change).

    Claims keep their ids (a claim is one place and one kind of event), so every verdict stays
    attached to the claim it was made on; a mention that says the same as before keeps its id, so
    only evidence that really changed reads as new to a verdict (needs review).

    \b
    Example:
      wiredesk reextract
    """
    import claims
    from claims.types import Item

    with ctx.store() as store:
        ingestor = ctx.ingestor(store)

        def extract(item_id: int, title: str, text: str):
            return claims.extract(Item(guid=str(item_id), title=title, text=text), ingestor.gazetteer)

        done = store.reextract(extract, claims.assess)
    click.echo(f"re-extracted {done.items} items: {done.mentions} mentions "
               f"({done.kept} unchanged, {done.added} new, {done.removed} gone)")


# -- the app -------------------------------------------------------------------------------------


@cli.command("tui")
@pass_context
def tui_command(ctx: Context) -> None:
    """Open the desk on the configured database.

    \b
    Example:
      wiredesk --db ~/desk.db tui
    """
    _run_app(ctx)


@cli.command("demo")
@click.option("--prepare-only", is_flag=True, help="Build the demo database, print its path, and exit (the database is kept).")
@pass_context
def demo_command(ctx: Context, prepare_only: bool) -> None:
    """Open the desk on a fresh database loaded with the bundled sample wire (offline).

    Without a --db, the database is built in a new temporary folder that is deleted when the app
    exits, verdicts and all: `wiredesk --db PATH demo` (a new file) keeps it.

    \b
    Example:
      wiredesk demo
      wiredesk --db ~/demo.db demo
    """
    explicit = click.get_current_context().find_root().params.get("db_path") or os.environ.get("WIREDESK_DB")
    folder: Path | None = None  # the temporary folder this run creates, and removes unless kept
    if explicit:
        path = Path(explicit)
        if path.exists():
            raise click.ClickException(f"{path}: exists; demo builds a fresh database, give a new path")
    else:
        folder = Path(tempfile.mkdtemp(prefix="wiredesk-demo-"))
        path = folder / "demo.db"
        ctx.db_origin = "a new temporary folder"
    ctx.db_path = path
    keep = False
    try:
        sample = sample_dir()
        aliases = load_config(sample / "aliases.toml").aliases if (sample / "aliases.toml").exists() else {}
        _import_paths(ctx, [sample], None, extra_aliases=aliases, quiet=True)
        if prepare_only:
            keep = True
            click.echo(str(path))
            return
        _run_app(ctx)
    finally:
        # Also on an error or ctrl+c (SIGTERM arrives as one): a demo leaves no folder behind.
        if folder is not None and not keep:
            shutil.rmtree(folder, ignore_errors=True)
            if not prepare_only:
                click.echo(f"the demo database ({path}) was deleted; `wiredesk --db PATH demo` keeps one", err=True)


def sample_dir() -> Path:
    return Path(str(resources.files("wiredesk") / "sample"))


def _run_app(ctx: Context) -> None:
    try:
        from tui.app import run_app
    except ImportError as exc:  # the app is optional only while it is being built
        raise click.ClickException(f"the desk app is not available: {exc}") from None
    with ctx.store(create=True):
        pass  # opens, migrates and validates the database before the app starts
    run_app(
        ctx.db_path,
        ctx.config,
        resolve_editor(None, ctx.config),
        fetch_now=lambda: _fetch_now(ctx),
        export_digest=lambda fmt, path: _export_digest(ctx, fmt, path),
        export_dir=ctx.config.export_dir,  # the folder the export dialog proposes (None: home)
    )


def _fetch_now(ctx: Context) -> list:
    """One fetch cycle of the configured feeds, for the app's `r` key; runs in an app worker thread
    with its own store. Returns each feed's ``FeedOutcome`` (the app sums them up)."""
    import asyncio

    from db import Store

    from .fetching import fetch_cycle

    with Store(ctx.db_path) as store:
        feeds = _sync_feeds(ctx, store)
        if not feeds:
            return []
        ingestor = ctx.ingestor(store, warn=False)  # stderr is the app's screen
        outcomes = asyncio.run(fetch_cycle(store, ingestor, feeds, ctx.config.http, ctx.config.poll_interval))
    return outcomes


def _export_digest(ctx: Context, fmt: str, path: str, editor: str | None = None) -> str:
    """The digest to a file, for the app's `e` dialog; runs in an app worker thread."""
    from db import Store

    from .export import write_digest

    with Store(ctx.db_path) as store:
        target = write_digest(store, fmt, Path(path), editor=editor or resolve_editor(None, ctx.config),
                              organisation=ctx.config.newsroom)
    return f"Digest ({fmt}) written to {target.resolve()}"


@cli.command("export")
@click.option("--format", "fmt", type=click.Choice(FORMATS), default="md", show_default=True,
              help="md, a self-contained html page, json, or schema.org claimreview JSON-LD.")
@click.option("--output", "output", type=click.Path(dir_okay=False, allow_dash=True, path_type=Path),
              help="File to write (atomically); default, or -: standard output.")
@click.option("--since", metavar="DURATION", help="Only the last DURATION: 90m, 24h, 2d, 1w; more than zero, back to 1990 at most (default: everything).")
@click.option("--place", help="Only claims about this place (name or key).")
@click.option("--editor", help="Who prepares the digest (default: WIREDESK_EDITOR, config editor, login name).")
@pass_context
def export_command(
    ctx: Context, fmt: str, output: Path | None, since: str | None, place: str | None, editor: str | None
) -> None:
    """Export the digest: verified claims per place with their evidence, disputed claims apart.

    \b
    Example:
      wiredesk export --format html --since 24h --output digest.html
    """
    from .export import DigestError, render_digest, write_digest

    period = _since(since) if since is not None else None
    try:
        signed = {"editor": resolve_editor(editor, ctx.config), "organisation": ctx.config.newsroom}
        with ctx.store() as store:
            if output is None or str(output) == "-":
                click.echo(render_digest(store, fmt, period, place, **signed), nl=False)
                return
            written = write_digest(store, fmt, output, period, place, **signed)
    except DigestError as exc:
        raise click.ClickException(str(exc)) from None
    click.echo(f"digest ({fmt}) written to {written}")


EARLIEST = datetime(1990, 1, 1, tzinfo=timezone.utc)  # as the fetchers: no report is dated before


def _since(text: str):
    """--since as a timedelta; zero, or reaching back before any report can be dated, is refused:
    "0h" would read as all time, "100000w" as a period starting in year 110."""
    from .export import DigestError, parse_duration

    try:
        period = parse_duration(text)
    except DigestError as exc:
        raise UsageFailure(str(exc)) from None
    except OverflowError:
        period = None
    if period is not None and not period:
        raise UsageFailure(f"--since {text!r}: must be more than zero (leave --since out for everything)")
    try:
        start = datetime.now(timezone.utc) - period if period is not None else None
    except OverflowError:
        start = None
    if start is None or start < EARLIEST:
        raise UsageFailure(f"--since {text!r}: reaches back before 1990, before any report can be dated "
                           "(leave --since out for everything)")
    return period


@cli.command("diff")
@click.argument("item_a", type=int)
@click.argument("item_b", type=int)
@click.option("--width", type=click.IntRange(min=40), help="Columns to fill (default: the terminal width).")
@pass_context
def diff_command(ctx: Context, item_a: int, item_b: int, width: int | None) -> None:
    """Two items side by side: sentences aligned, changed words marked, claim sentences tagged.

    Markers: `~` a sentence both say differently, `<` only the left item, `>` only the right one.
    On a terminal, changed words are highlighted.

    \b
    Example:
      wiredesk diff 12 31
    """
    from tui.diffing import Report, build, render_text
    from tui.format import local_time

    with ctx.store() as store:
        left, right = store.item(item_a), store.item(item_b)
    reports = [
        Report(d.row.id, d.row.outlet, local_time(d.row.published or d.row.sort_at), d.row.title, d.text, d.mentions)
        for d in (left, right)
    ]
    columns = width or shutil.get_terminal_size((120, 40)).columns
    styles = {"changed": {"bold": True, "reverse": True}, "unique": {"fg": "cyan"}, "tag": {"italic": True}}
    emphasise = None
    if sys.stdout.isatty():
        emphasise = lambda text, role: click.style(text, **styles[role]) if role in styles else text  # noqa: E731
    click.echo(render_text(build(*reports), columns, emphasise))


def _stop(signum: int, frame: object) -> None:
    # A service manager's stop (SIGTERM) is handled as ctrl+c: open write transactions roll back and
    # worker pools shut down, instead of the process vanishing and orphaning its pool workers.
    raise KeyboardInterrupt


def main() -> None:
    signal.signal(signal.SIGTERM, _stop)
    try:
        cli(prog_name="wiredesk")
    except KeyboardInterrupt:
        sys.exit(130)
