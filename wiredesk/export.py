"""The digest: verified claims per place with their evidence, disputed ones apart, who decided what.

One model (``Digest``, built by ``build_digest``) and one renderer per format: Markdown, a
self-contained HTML page, JSON for other newsroom systems, and schema.org ClaimReview JSON-LD.
Everything that came from a feed is escaped for the format it lands in.
"""

from __future__ import annotations

import html
import json
import os
import re
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

from claims.types import Mention
from db import ClaimView, Store, Verdict, claims_with_status, item_links, standing_verdict, triage_counts
from tui.text import neutralise

from . import serialise
from .formats import FORMATS

SUPPORTING = {"verified": ("asserts", "reports"), "disputed": ("asserts", "reports", "denies")}
_DURATION = re.compile(r"^\s*(\d+)\s*(m|min|h|d|w)\s*$", re.I)


class DigestError(Exception):
    """A one-line complaint about export arguments."""


def parse_duration(text: str) -> timedelta:
    """'90m', '24h', '2d', '1w' → timedelta."""
    match = _DURATION.match(text or "")
    if not match:
        raise DigestError(f"--since {text!r}: expected a duration like 90m, 24h, 2d or 1w")
    n, unit = int(match.group(1)), match.group(2).lower()
    return {"m": timedelta(minutes=n), "min": timedelta(minutes=n), "h": timedelta(hours=n),
            "d": timedelta(days=n), "w": timedelta(weeks=n)}[unit]


@dataclass(frozen=True)
class Evidence:
    mention: Mention
    link: str | None
    title: str


@dataclass(frozen=True)
class Source:
    """One report cited for a claim: its sentences, and the outlets that carried the same text."""

    outlet: str
    published: str | None
    link: str | None
    title: str
    mentions: tuple[Mention, ...]
    copies: tuple[Evidence, ...] = ()  # later reports carrying only sentences quoted here
    repeated: int = 0  # sentences of this report already quoted from an earlier one


@dataclass(frozen=True)
class DigestClaim:
    claim: ClaimView
    evidence: tuple[Evidence, ...]
    verdicts: tuple[Verdict, ...]

    @property
    def decided(self) -> Verdict | None:
        """The decision that stands: after an undo, the verdict it brought back, not the undo."""
        return standing_verdict(self.verdicts)

    @property
    def sources(self) -> tuple[Source, ...]:
        """Evidence per report, oldest first. Syndicated copies repeat a wire story: sentences already
        quoted are counted, not repeated, and a report with nothing new is listed under the first one."""
        by_item: dict[object, list[Evidence]] = {}
        for ev in self.evidence:
            by_item.setdefault(ev.mention.item_id or id(ev), []).append(ev)
        sources: list[Source] = []
        first_with: dict[str, int] = {}
        for group in by_item.values():
            unique = {_norm(ev.mention.sentence): ev.mention for ev in group}
            new = [m for text, m in unique.items() if text not in first_with]
            if not new:
                i = first_with[next(iter(unique))]
                sources[i] = replace(sources[i], copies=sources[i].copies + (group[0],))
                continue
            head = group[0]
            sources.append(Source(head.mention.outlet or "", head.mention.published, head.link, head.title,
                                  tuple(new), repeated=len(unique) - len(new)))
            for text in unique:
                first_with.setdefault(text, len(sources) - 1)
        return tuple(sources)


def _norm(text: str) -> str:
    return " ".join(text.casefold().split())


@dataclass(frozen=True)
class Digest:
    generated: str
    since: str | None
    until: str
    items: int
    items_read: int
    verified: tuple[DigestClaim, ...]
    disputed: tuple[DigestClaim, ...]
    editors: dict[str, dict[str, tuple[int, ...]]] = field(default_factory=dict)  # editor → status → claim ids
    place: str | None = None
    prepared_by: str | None = None
    organisation: str = "wiredesk desk"

    @property
    def period_text(self) -> str:
        start = _human(self.since) if self.since else "the first report"
        return f"{start} to {_human(self.until)}"


def _iso(dt: datetime) -> str:
    return dt.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def _human(stamp: str | None) -> str:
    if not stamp:
        return ""
    try:
        dt = datetime.fromisoformat(stamp.replace("Z", "+00:00"))
    except ValueError:
        return stamp
    return dt.astimezone(timezone.utc).strftime("%d %b %Y %H:%M UTC")


def build_digest(store: Store, since: timedelta | None = None, place: str | None = None,
                 editor: str | None = None, *, now: datetime | None = None,
                 organisation: str | None = None) -> Digest:
    now = now or datetime.now(timezone.utc)
    if place and not store.place_cards(place, with_mentions=False):
        raise DigestError(f"--place {place!r}: no claims about a place of that name")
    start = _iso(now - since) if since else None
    groups = {}
    for status in ("verified", "disputed"):
        views = claims_with_status(store, [status], start, place)
        links = item_links(store, (m.item_id for c in views for m in c.mentions if m.item_id is not None))
        groups[status] = tuple(
            DigestClaim(
                c,
                tuple(
                    Evidence(m, *links.get(m.item_id, (None, "")))
                    for m in c.mentions
                    if m.stance in SUPPORTING[status]
                ),
                tuple(store.history(c.id)),
            )
            for c in views
        )
    # Who decided what: each claim's standing decision, if made in the period (a verdict another
    # editor overrode, or one undone, is in the claim's history, not here).
    decided: dict[str, dict[str, dict[int, None]]] = {}
    for group in groups.values():
        for dc in group:
            v = dc.decided
            if v is not None and (start is None or v.at >= start):
                decided.setdefault(v.editor, {}).setdefault(v.status, {})[v.claim_id] = None
    editors = {e: {s: tuple(ids) for s, ids in sorted(by.items())} for e, by in sorted(decided.items())}
    items, read = triage_counts(store, start)
    return Digest(_iso(now), start, _iso(now), items, read, groups["verified"], groups["disputed"], editors, place,
                  editor, organisation or "wiredesk desk")


# -- shared wording -------------------------------------------------------------------------------


def figures_text(claim: ClaimView) -> str:
    """'412 killed (low 74, high 1,000; median of …)', or '14 killed' when the sources agree."""
    parts = []
    for r in claim.figures:
        if r.low == r.high == r.best:
            parts.append(f"{r.best:,} {r.counted}")
        else:
            parts.append(f"{r.best:,} {r.counted} (low {r.low:,}, high {r.high:,}; {r.rule})")
    return "; ".join(parts)


def plural(n: int, word: str) -> str:
    return f"{n} {word}" if n == 1 else f"{n} {word}s"


def counts_text(claim: ClaimView) -> str:
    return f"{plural(claim.outlets, 'outlet')}, {plural(claim.originators, 'independent source')}"


def editors_text(d: Digest, claim_ref: Callable[[int], str], esc: Callable[[str], str] = str) -> str:
    """'ana: verified #3 #5, disputed #1; ben: verified #2' — who decided what in the period."""
    return "; ".join(
        f"{esc(e)}: " + ", ".join(f"{esc(status)} {' '.join(claim_ref(i) for i in ids)}" for status, ids in by.items())
        for e, by in d.editors.items()
    )


def header_text(d: Digest, esc: Callable[[str], str] = str) -> str:
    prepared = f", prepared by {esc(d.prepared_by)}" if d.prepared_by else ""
    return (f"Issued by {esc(d.organisation)}{prepared} · {_human(d.generated)} · period: {d.period_text} · "
            f"{plural(d.items, 'item')} triaged ({d.items_read} read) · "
            f"claims: {len(d.verified)} verified, {len(d.disputed)} disputed")


def where_text(claim: ClaimView) -> str:
    p = claim.place
    return ", ".join(x for x in (p.admin1 if p.admin1 != p.name else None, p.country) if x)


def decision_text(dc: DigestClaim) -> str:
    v = dc.decided
    if v is None:
        return ""
    note = f" — “{v.note}”" if v.note else ""
    return f"{v.status} by {v.editor}, {_human(v.at)}{note}"


def by_place(claims: tuple[DigestClaim, ...]) -> list[tuple[str, list[DigestClaim]]]:
    grouped: dict[str, list[DigestClaim]] = {}
    for dc in claims:
        grouped.setdefault(dc.claim.place.name, []).append(dc)
    return list(grouped.items())


# -- Markdown -------------------------------------------------------------------------------------

# Inline text can only become markup through these (with brackets escaped, "(" can't start a link
# target; with "<" and "&" escaped, no HTML or entity can form). Line-start syntax (#, -, 1.) can't
# occur because every feed string is placed after a fixed prefix on its line.
_MD_SPECIAL = re.compile(r"([\\`*_\[\]|>~<&])")


def md(text: str | None) -> str:
    """Feed text as inert Markdown: every metacharacter escaped, so nothing becomes a link or HTML."""
    return _MD_SPECIAL.sub(r"\\\1", " ".join((text or "").split()))


def md_link(url: str | None) -> str:
    if not url or not url.lower().startswith(("http://", "https://")):
        return ""
    return " <" + re.sub(r"[\s<>]", lambda m: f"%{ord(m.group()):02X}", url) + ">"


def render_md(d: Digest) -> str:
    out = [f"# Desk digest{': ' + md(d.place) if d.place else ''}", "", header_text(d, md), ""]
    if d.editors:
        out += ["Decisions: " + editors_text(d, lambda i: f"#{i}", md), ""]
    for title, group in (("Verified", d.verified), ("Disputed", d.disputed)):
        out += [f"## {title}", ""]
        if not group:
            out += ["_None._", ""]
        for place, claims in by_place(group):
            where = where_text(claims[0].claim)
            out += [f"### {md(place)}" + (f" ({md(where)})" if where else ""), ""]
            for dc in claims:
                c = dc.claim
                out.append(f"#### {md(c.summary)} (#{c.id})")
                out.append("")
                facts = [c.event]
                if c.figures:
                    facts.append(figures_text(c))
                facts.append(counts_text(c))
                if c.contested:
                    facts.append("contested: " + "; ".join(c.contest_reasons))
                out.append(md(" · ".join(facts)))
                out.append("")
                out.append(f"**{md(decision_text(dc))}**")
                out.append("")
                for src in dc.sources:
                    copies = "".join(f"; also {md(ev.mention.outlet)}, {_human(ev.mention.published)}{md_link(ev.link)}"
                                     for ev in src.copies)
                    again = f" · and {plural(src.repeated, 'sentence')} quoted above" if src.repeated else ""
                    out.append(f"- {md(src.outlet)}, {_human(src.published)}{md_link(src.link)}{again}{copies}")
                    for m in src.mentions:
                        who = f" ({md(m.attributed_to)})" if m.attributed_to else ""
                        near = f" [{md(m.near)}]" if m.near else ""
                        out.append(f"  - {m.stance}{near}{who}: {md(m.sentence)}")
                out.append("")
    return "\n".join(out).rstrip() + "\n"


# -- HTML -----------------------------------------------------------------------------------------

_CSS = """
body{font:15px/1.5 Georgia,'Times New Roman',serif;max-width:52rem;margin:2rem auto;padding:0 1rem;color:#1d1d1d;background:#fff}
h1{font-size:1.6rem;margin-bottom:.2rem}h2{border-bottom:2px solid #1d1d1d;margin-top:2rem}
h3{margin-bottom:.3rem}h4{margin:.2rem 0;font-size:1.05rem}.meta{color:#555;font-size:.9rem;font-weight:normal}
.claim{margin:.6rem 0 1.2rem;padding-left:.8rem;border-left:4px solid #2e7d32}.disputed .claim{border-left-color:#c62828}
.facts,.decision{font-size:.9rem;color:#333;margin:.2rem 0}.decision{font-style:italic}ul.evidence ul{padding-left:1.1rem}
.badge{font:bold .75rem sans-serif;padding:.1rem .35rem;border-radius:3px;background:#ffe0b2;color:#6d4c00}
ul.evidence{margin:.3rem 0;padding-left:1.1rem;font-size:.9rem}.stance{font:bold .75rem sans-serif;text-transform:uppercase}
.asserts{color:#2e7d32}.denies{color:#c62828}.reports{color:#8d6e00}
@media print{body{margin:0;max-width:none}a{color:inherit}h3,h4,.facts{break-after:avoid}li{break-inside:avoid}
a[href^="http"]::after{content:" <" attr(href) ">";font-size:.8em;word-break:break-all}}
"""


def h(text: object) -> str:
    return html.escape("" if text is None else str(text), quote=True)


def h_link(url: str | None, label: str) -> str:
    if not url or not url.lower().startswith(("http://", "https://")):
        return h(label)
    return f'<a href="{h(url)}" rel="noopener noreferrer nofollow">{h(label)}</a>'


def render_html(d: Digest) -> str:
    title = "Desk digest" + (f": {d.place}" if d.place else "")
    parts = [
        "<!DOCTYPE html>",
        '<html lang="en"><head><meta charset="utf-8">',
        # No scripts, no remote anything: the page must stay inert whatever the feeds said.
        '<meta http-equiv="Content-Security-Policy" content="default-src \'none\'; style-src \'unsafe-inline\'">',
        f'<meta name="viewport" content="width=device-width, initial-scale=1"><title>{h(title)}</title>',
        f"<style>{_CSS}</style></head><body>",
        f"<h1>{h(title)}</h1>",
        f'<p class="meta">{header_text(d, h)}</p>',
    ]
    if d.editors:
        link = lambda i: f'<a href="#claim-{i}">#{i}</a>'  # noqa: E731
        parts.append(f'<p class="meta">Decisions: {editors_text(d, link, h)}</p>')
    for title_, group, cls in (("Verified", d.verified, "verified"), ("Disputed", d.disputed, "disputed")):
        parts.append(f'<section class="{cls}"><h2>{title_}</h2>')
        if not group:
            parts.append("<p><em>None.</em></p>")
        for place, claims in by_place(group):
            where = where_text(claims[0].claim)
            parts.append(f"<h3>{h(place)}" + (f' <span class="meta">{h(where)}</span>' if where else "") + "</h3>")
            for dc in claims:
                c = dc.claim
                badge = f' <span class="badge">contested: {h("; ".join(c.contest_reasons))}</span>' if c.contested else ""
                parts.append(f'<article class="claim" id="claim-{c.id}"><h4>{h(c.summary)} <span class="meta">#{c.id}</span></h4>')
                facts = [h(c.event)] + ([h(figures_text(c))] if c.figures else []) + [h(counts_text(c))]
                parts.append(f'<p class="facts">{" · ".join(facts)}{badge}</p>')
                parts.append(f'<p class="decision">{h(decision_text(dc))}</p><ul class="evidence">')
                for src in dc.sources:
                    copies = "".join(f"; also {h_link(ev.link, ev.mention.outlet or '')}, {h(_human(ev.mention.published))}"
                                     for ev in src.copies)
                    quotes = "".join(
                        f'<li><span class="stance {h(m.stance)}">{h(m.stance)}</span>'
                        + (f' <span class="near">[{h(m.near)}]</span>' if m.near else "")
                        + (f" ({h(m.attributed_to)})" if m.attributed_to else "") + f": {h(m.sentence)}</li>"
                        for m in src.mentions
                    )
                    again = f" · and {plural(src.repeated, 'sentence')} quoted above" if src.repeated else ""
                    parts.append(f"<li>{h_link(src.link, src.outlet)}, {h(_human(src.published))}{again}{copies}"
                                 f"<ul>{quotes}</ul></li>")
                parts.append("</ul></article>")
        parts.append("</section>")
    parts.append("</body></html>")
    return "\n".join(parts) + "\n"


# -- JSON and ClaimReview -------------------------------------------------------------------------


def claim_record(dc: DigestClaim) -> dict[str, Any]:
    c = dc.claim
    return {
        "id": c.id,
        "place": serialise.place_json(c.place),
        "summary": c.summary,
        "status": c.status,
        "event": c.event,
        "contested": c.contested,
        "figures": [serialise.range_json(r) for r in c.figures],
        "mentions": [
            {**serialise.mention_json(ev.mention), "link": ev.link, "title": ev.title} for ev in dc.evidence
        ],
        "verdicts": [serialise.verdict_json(v) for v in dc.verdicts],
    }


def render_json(d: Digest) -> str:
    doc = {
        "generated": d.generated,
        "period": {"since": d.since, "until": d.until},
        "place": d.place,
        "prepared_by": d.prepared_by,
        "organisation": d.organisation,
        "items": {"triaged": d.items, "read": d.items_read},
        "editors": {e: {status: list(ids) for status, ids in by.items()} for e, by in d.editors.items()},
        "claims": [claim_record(dc) for dc in d.verified + d.disputed],
    }
    return json.dumps(doc, indent=2, ensure_ascii=False) + "\n"


def _web(url: str | None) -> bool:
    return bool(url) and url.lower().startswith(("http://", "https://"))


def render_claimreview(d: Digest) -> str:
    """schema.org ClaimReview JSON-LD, one review per verified or disputed claim."""
    reviews = []
    for dc, rating, name in [(x, 5, "Verified") for x in d.verified] + [(x, 1, "Disputed") for x in d.disputed]:
        c = dc.claim
        v = dc.decided
        appearances = {}
        for ev in dc.evidence:
            if _web(ev.link) and ev.link not in appearances:
                appearances[ev.link] = {"@type": "CreativeWork", "url": ev.link, "headline": ev.title,
                                        "datePublished": ev.mention.published,
                                        "author": {"@type": "Organization", "name": ev.mention.outlet}}
        place: dict[str, Any] = {"@type": "Place", "name": c.place.name}
        if c.place.lat is not None and c.place.lon is not None:
            place["geo"] = {"@type": "GeoCoordinates", "latitude": c.place.lat, "longitude": c.place.lon}
        claim: dict[str, Any] = {"@type": "Claim", "name": c.summary, "contentLocation": place}
        if c.first_seen:
            claim["datePublished"] = c.first_seen[:10]
        if appearances:
            works = [{k: val for k, val in w.items() if val is not None} for w in appearances.values()]
            claim["firstAppearance"] = works[0]
            claim["appearance"] = works
        reviews.append({
            "@context": "https://schema.org",
            "@type": "ClaimReview",
            "identifier": f"wiredesk-claim-{c.id}",
            "claimReviewed": c.summary,
            "datePublished": (v.at if v else d.generated)[:10],
            "author": {"@type": "Organization", "name": d.organisation},
            "reviewRating": {"@type": "Rating", "ratingValue": rating, "bestRating": 5, "worstRating": 1,
                             "alternateName": name},
            "itemReviewed": claim,
            "reviewBody": decision_text(dc),
        })
    return json.dumps(reviews, indent=2, ensure_ascii=False) + "\n"


RENDERERS: dict[str, Callable[[Digest], str]] = {
    "md": render_md, "html": render_html, "json": render_json, "claimreview": render_claimreview,
}


def render_digest(store: Store, fmt: str, since: timedelta | None = None, place: str | None = None,
                  editor: str | None = None, *, now: datetime | None = None, organisation: str | None = None) -> str:
    """The digest as text in ``fmt`` (md, html, json, claimreview); ``editor`` signs it as preparer."""
    if fmt not in RENDERERS:
        raise DigestError(f"unknown format {fmt!r} (choose from {', '.join(FORMATS)})")
    # Bidi controls and invisible characters go, as on the desk's screens: "deined" wrapped in a
    # right-to-left override reads "denied" in a browser, and the digest must say what the desk saw.
    # Escaping (HTML, Markdown, JSON) happened already; this takes out characters, it adds none.
    return neutralise(RENDERERS[fmt](build_digest(store, since, place, editor, now=now, organisation=organisation)))


def write_digest(store: Store, fmt: str, path: Path, since: timedelta | None = None, place: str | None = None,
                 editor: str | None = None, *, now: datetime | None = None, organisation: str | None = None) -> Path:
    """Render and write atomically (a temporary file renamed into place): a reader never sees half a page."""
    text = render_digest(store, fmt, since, place, editor, now=now, organisation=organisation)
    path = Path(path).expanduser()
    if path.is_dir():
        raise DigestError(f"{path}: is a directory")
    directory = path.parent if str(path.parent) else Path(".")
    tmp = None
    try:
        fd, tmp = tempfile.mkstemp(dir=directory, prefix=f".{path.name}.", suffix=".tmp")
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(text)
        os.chmod(tmp, path.stat().st_mode & 0o777 if path.exists() else 0o644)  # mkstemp's 0600 is too private
        os.replace(tmp, path)
    except OSError as exc:
        if tmp and os.path.exists(tmp):
            os.unlink(tmp)
        raise DigestError(f"{path}: cannot write ({exc.strerror or exc})") from None
    return path
