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
from collections.abc import Iterator
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
)
from .formats import FORMATS
from .sources import is_local

if TYPE_CHECKING:
    from db import Store
    from fetchers import FetchError

    from .fetching import FeedOutcome
    from .ingest import IngestResult, Ingestor


@dataclass
class Context:
    config: Config
    db_path: Path

    @contextmanager
    def store(self) -> Iterator[Store]:
        from db import NotFound, Store, StorageError

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

    def ingestor(self, store: Store, extra_aliases: dict | None = None) -> Ingestor:
        import claims

        from .ingest import Ingestor

        aliases = {**self.config.aliases, **(extra_aliases or {})}
        if not claims.Gazetteer.is_cached(cache_dir()):
            click.echo("building the place index from GeoNames (first run only, about 15 s)…", err=True)
        return Ingestor(store, claims.Gazetteer.load(cache_dir(), aliases=aliases))


pass_context = click.make_pass_decorator(Context)


def echo_plain(line: str, err: bool = False) -> None:
    """A line carrying feed text, for a terminal: bidi overrides and zero-width characters are kept
    in the database (legitimate in Arabic copy and names) but neutralised here, as the app does, so
    that "denied" cannot print as "deined". click prints characters as they are, never as markup."""
    click.echo(neutralise(line), err=err)


@click.group(invoke_without_command=True, context_settings={"help_option_names": ["-h", "--help"]})
@click.option("--db", "db_path", type=click.Path(dir_okay=False, path_type=Path), envvar="WIREDESK_DB",
              help="Database file (env WIREDESK_DB; default from config, else the platform data dir).")
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
    ctx.obj = Context(config, db_path or config.database or default_database_path())
    if ctx.invoked_subcommand is None:
        ctx.invoke(tui_command)


# -- fetching and importing ----------------------------------------------------------------------


@cli.command("fetch")
@click.argument("sources", nargs=-1)
@click.option("--watch", is_flag=True, help="Keep polling at each feed's interval until interrupted.")
@click.option("--interval", type=click.IntRange(min=1), help="Poll interval in seconds (default: config poll_interval).")
@pass_context
def fetch_command(ctx: Context, sources: tuple[str, ...], watch: bool, interval: int | None) -> None:
    """Fetch new items from the configured feeds, or from the SOURCEs given (URL, file or folder).

    Prints one line per feed: new items, not modified (304), or the error. Exits non-zero when
    every feed failed.

    \b
    Example:
      wiredesk fetch https://example.org/a.xml https://example.org/b.xml
      wiredesk fetch --watch --interval 120
    """
    from .fetching import due_feeds

    default_interval = interval or ctx.config.poll_interval
    with ctx.store() as store:
        feeds = _sync_feeds(ctx, store, sources)
        if not feeds:
            raise click.ClickException("no feeds: add one with `wiredesk feeds add URL` or name SOURCEs")
        ingestor = ctx.ingestor(store)
        try:
            while True:
                targets = feeds if not watch else due_feeds([store.feed(f.id) for f in feeds], datetime.now(timezone.utc))
                outcomes = _run_cycle(store, ingestor, targets, ctx, default_interval)
                if not watch:
                    if outcomes and all(o.result == "error" for o in outcomes):
                        sys.exit(1)
                    return
                _sleep_until_due(store, feeds, default_interval)
        except KeyboardInterrupt:
            click.echo("stopped", err=True)


def _sync_feeds(ctx: Context, store: Store, sources: tuple[str, ...]):
    if sources:
        from fetchers import discover

        feeds = []
        for source in sources:
            if is_local(source):
                for path in discover([source]):
                    feeds.append(store.add_feed(str(path.resolve())))
            else:
                feeds.append(store.add_feed(source))
        return feeds
    for fc in ctx.config.feeds:
        store.add_feed(fc.url, outlet=fc.outlet, interval=fc.interval, enabled=fc.enabled)
    return [f for f in store.feeds() if f.enabled]


def _run_cycle(store: Store, ingestor: Ingestor, feeds, ctx: Context, interval: int) -> list[FeedOutcome]:
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
        echo_plain(outcome.line())

    if bar is not None:
        bar.__enter__()
    try:
        with Preparer(ingestor.gazetteer, cache_dir(), ctx.config.aliases, len(feeds)) as preparer:
            return asyncio.run(fetch_cycle(store, ingestor, feeds, ctx.config.http, interval, on_outcome, preparer))
    finally:
        if bar is not None:
            bar.__exit__(None, None, None)


def _sleep_until_due(store: Store, feeds, default_interval: int) -> None:
    stamps = [store.feed(f.id).next_due for f in feeds]
    now = datetime.now(timezone.utc)
    waits = []
    for stamp in stamps:
        if stamp:
            due = datetime.strptime(stamp, "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=timezone.utc)
            waits.append((due - now).total_seconds())
    time.sleep(min(max(min(waits, default=default_interval), 1.0), default_interval))


@cli.command("import")
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--outlet", help="Outlet name for the imported items (default: the feed's title).")
@pass_context
def import_command(ctx: Context, paths: tuple[Path, ...], outlet: str | None) -> None:
    """Import local files or folders (recursively): RSS/Atom/RDF, JSON Feed, plain text, HTML articles.

    A file that cannot be read is reported on its own line and the rest continue; the exit
    status is non-zero if any file failed.

    \b
    Example:
      wiredesk import ~/wire/dispatches --outlet "Free Orient TV"
    """
    failures = _import_paths(ctx, paths, outlet)
    if failures:
        sys.exit(1)


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

    with ctx.store() as store:
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
    """


@feeds_group.command("add")
@click.argument("url")
@click.option("--outlet", help="The outlet name editors know this feed by.")
@click.option("--interval", type=click.IntRange(min=10), help="Poll interval override in seconds.")
@pass_context
def feeds_add(ctx: Context, url: str, outlet: str | None, interval: int | None) -> None:
    """Add a feed (an http(s) URL or a local path); adding it again updates its outlet.

    \b
    Example:
      wiredesk feeds add https://example.org/wire.xml --outlet "Levant Wire"
    """
    if not is_local(url) and not url.lower().startswith(("http://", "https://")):
        raise click.ClickException(f"{url}: only http(s) URLs and local paths can be feeds")
    with ctx.store() as store:
        feed = store.add_feed(url, outlet=outlet, interval=interval)
    click.echo(f"feed {feed.id}: {feed.url}" + (f" ({feed.outlet})" if feed.outlet else ""))


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

        click.echo(json.dumps([serialise.feed_json(f, today.get(f.id, 0)) for f in feeds], indent=2, ensure_ascii=False))
        return
    for f in feeds:
        state = f.last_result or "never fetched"
        if f.last_error:
            state = f"error: {f.last_error} ({f.failures} in a row)"
        flag = "" if f.enabled else " [disabled]"
        echo_plain(f"{f.id:>4}  {f.display_outlet}{flag}  {f.url}  — {state}")


# -- reading -------------------------------------------------------------------------------------


@cli.command("items")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@click.option("--search", "query", help="Full-text search over titles and text.")
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

        click.echo(json.dumps([serialise.item_json(r) for r in rows], indent=2, ensure_ascii=False))
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

    \b
    Example:
      wiredesk claims --place Morek --json
    """
    with ctx.store() as store:
        cards = store.place_cards(place)
    if place and not cards:
        raise click.ClickException(f"no claims about a place named {place!r}")
    if as_json:
        from . import serialise

        click.echo(json.dumps([serialise.card_json(c) for c in cards], indent=2, ensure_ascii=False))
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
                echo_plain(f"      {m.outlet} · {m.stance}{who}: {m.sentence}")


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

        click.echo(json.dumps([serialise.verdict_json(v) for v in verdicts], indent=2, ensure_ascii=False))
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
@click.option("--prepare-only", is_flag=True, help="Build the demo database, print its path, and exit.")
@pass_context
def demo_command(ctx: Context, prepare_only: bool) -> None:
    """Open the desk on a fresh database loaded with the bundled sample wire (offline).

    \b
    Example:
      wiredesk demo
    """
    explicit = click.get_current_context().find_root().params.get("db_path") or os.environ.get("WIREDESK_DB")
    if explicit:
        path = Path(explicit)
        if path.exists():
            raise click.ClickException(f"{path}: exists; demo builds a fresh database, give a new path")
    else:
        path = Path(tempfile.mkdtemp(prefix="wiredesk-demo-")) / "demo.db"
    ctx.db_path = path
    sample = sample_dir()
    aliases = load_config(sample / "aliases.toml").aliases if (sample / "aliases.toml").exists() else {}
    _import_paths(ctx, [sample], None, extra_aliases=aliases, quiet=True)
    if prepare_only:
        click.echo(str(path))
        return
    _run_app(ctx)


def sample_dir() -> Path:
    return Path(str(resources.files("wiredesk") / "sample"))


def _run_app(ctx: Context) -> None:
    try:
        from tui.app import run_app
    except ImportError as exc:  # the app is optional only while it is being built
        raise click.ClickException(f"the desk app is not available: {exc}") from None
    with ctx.store():
        pass  # opens, migrates and validates the database before the app starts
    run_app(
        ctx.db_path,
        ctx.config,
        resolve_editor(None, ctx.config),
        fetch_now=lambda: _fetch_now(ctx),
        export_digest=lambda fmt, path: _export_digest(ctx, fmt, path),
    )


def _fetch_now(ctx: Context) -> list[str]:
    """One fetch cycle of the configured feeds, for the app's `r` key; runs in an app worker thread
    with its own store. Returns the one-line summary per feed."""
    import asyncio

    from db import Store

    from .fetching import fetch_cycle

    with Store(ctx.db_path) as store:
        feeds = _sync_feeds(ctx, store, ())
        if not feeds:
            return []
        ingestor = ctx.ingestor(store)
        outcomes = asyncio.run(fetch_cycle(store, ingestor, feeds, ctx.config.http, ctx.config.poll_interval))
    return [o.line() for o in outcomes]


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
@click.option("--output", "output", type=click.Path(dir_okay=False, path_type=Path),
              help="File to write (atomically); default: standard output.")
@click.option("--since", help="Only the last DURATION: 90m, 24h, 2d, 1w (default: everything).")
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
    from .export import DigestError, parse_duration, render_digest, write_digest

    try:
        period = parse_duration(since) if since else None
        signed = {"editor": resolve_editor(editor, ctx.config), "organisation": ctx.config.newsroom}
        with ctx.store() as store:
            if output is None:
                click.echo(render_digest(store, fmt, period, place, **signed), nl=False)
                return
            written = write_digest(store, fmt, output, period, place, **signed)
    except DigestError as exc:
        raise click.ClickException(str(exc)) from None
    click.echo(f"digest ({fmt}) written to {written}")


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
