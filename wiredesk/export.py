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
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

from claims.types import Mention
from db import ClaimView, Store, Verdict, claims_with_status, item_links, triage_counts

from . import serialise

FORMATS = ("md", "html", "json", "claimreview")
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
class DigestClaim:
    claim: ClaimView
    evidence: tuple[Evidence, ...]
    verdicts: tuple[Verdict, ...]

    @property
    def decided(self) -> Verdict | None:
        return self.claim.last_verdict


@dataclass(frozen=True)
class Digest:
    generated: str
    since: str | None
    until: str
    items: int
    items_read: int
    verified: tuple[DigestClaim, ...]
    disputed: tuple[DigestClaim, ...]
    editors: dict[str, Counter] = field(default_factory=dict)
    place: str | None = None

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
                 now: datetime | None = None) -> Digest:
    now = now or datetime.now(timezone.utc)
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
    editors: dict[str, Counter] = {}
    for group in groups.values():
        for dc in group:
            for v in dc.verdicts:
                if start is None or v.at >= start:
                    editors.setdefault(v.editor, Counter())[v.status] += 1
    items, read = triage_counts(store, start)
    return Digest(_iso(now), start, _iso(now), items, read, groups["verified"], groups["disputed"], editors, place)


# -- shared wording -------------------------------------------------------------------------------


def figures_text(claim: ClaimView) -> str:
    parts = []
    for r in claim.figures:
        values = " · ".join(f"{v:,}" for v in sorted(set(r.values))) if r.values else f"{r.best:,}"
        parts.append(f"{values} {r.what} (best {r.best:,}: {r.rule})" if len(set(r.values)) > 1 else f"{values} {r.what}")
    return "; ".join(parts)


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

# Inline text can only become markup through these; line-start syntax (#, -, 1.) can't occur
# because every feed string is placed after a prefix on its line.
_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]()!|>~<&])")


def md(text: str | None) -> str:
    """Feed text as inert Markdown: every metacharacter escaped, so nothing becomes a link or HTML."""
    return _MD_SPECIAL.sub(r"\\\1", " ".join((text or "").split()))


def md_link(url: str | None) -> str:
    if not url or not url.lower().startswith(("http://", "https://")):
        return ""
    return f" <{url.replace('>', '%3E').replace('<', '%3C').replace(' ', '%20')}>"


def render_md(d: Digest) -> str:
    out = [f"# Desk digest{': ' + md(d.place) if d.place else ''}", "",
           f"Generated {_human(d.generated)} · period: {d.period_text} · "
           f"{d.items} items triaged ({d.items_read} read) · "
           f"{len(d.verified)} verified, {len(d.disputed)} disputed claims", ""]
    if d.editors:
        out.append("Verdicts: " + "; ".join(
            f"{md(e)}: " + ", ".join(f"{n} {s}" for s, n in sorted(c.items())) for e, c in sorted(d.editors.items())))
        out.append("")
    for title, group in (("Verified", d.verified), ("Disputed", d.disputed)):
        out += [f"## {title}", ""]
        if not group:
            out += ["_None._", ""]
        for place, claims in by_place(group):
            where = where_text(claims[0].claim)
            out += [f"### {md(place)}" + (f" ({md(where)})" if where else ""), ""]
            for dc in claims:
                c = dc.claim
                out.append(f"- **{md(c.summary)}** · {c.event} · claim {c.id}")
                if c.figures:
                    out.append(f"  - Figures: {md(figures_text(c))}")
                out.append(f"  - {c.outlets} outlets, {c.originators} independent sources"
                           + (" · contested: " + md("; ".join(c.contest_reasons)) if c.contested else ""))
                out.append(f"  - Decision: {md(decision_text(dc))}")
                for ev in dc.evidence:
                    m = ev.mention
                    who = f" ({md(m.attributed_to)})" if m.attributed_to else ""
                    out.append(f"  - {m.stance}: {md(m.outlet)}, {_human(m.published)}{who}: {md(m.sentence)}{md_link(ev.link)}")
                out.append("")
    return "\n".join(out).rstrip() + "\n"


# -- HTML -----------------------------------------------------------------------------------------

_CSS = """
body{font:15px/1.5 Georgia,'Times New Roman',serif;max-width:52rem;margin:2rem auto;padding:0 1rem;color:#1d1d1d;background:#fff}
h1{font-size:1.6rem;margin-bottom:.2rem}h2{border-bottom:2px solid #1d1d1d;margin-top:2rem}
h3{margin-bottom:.3rem}.meta{color:#555;font-size:.9rem}.claim{margin:.6rem 0 1rem;padding-left:.8rem;border-left:4px solid #2e7d32}
.disputed .claim{border-left-color:#c62828}.summary{font-weight:bold}.facts{font-size:.9rem;color:#333}
.badge{font:bold .75rem sans-serif;padding:.1rem .35rem;border-radius:3px;background:#ffe0b2;color:#6d4c00}
ul.evidence{margin:.3rem 0;padding-left:1.1rem;font-size:.9rem}.stance{font:bold .75rem sans-serif;text-transform:uppercase}
.asserts{color:#2e7d32}.denies{color:#c62828}.reports{color:#8d6e00}
@media print{body{margin:0;max-width:none}a{color:inherit}.claim{break-inside:avoid}}
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
        f'<p class="meta">Generated {h(_human(d.generated))} · period: {h(d.period_text)} · {d.items} items triaged '
        f"({d.items_read} read) · {len(d.verified)} verified, {len(d.disputed)} disputed claims</p>",
    ]
    if d.editors:
        parts.append('<p class="meta">Verdicts: ' + "; ".join(
            f"{h(e)}: " + ", ".join(f"{n} {h(s)}" for s, n in sorted(c.items())) for e, c in sorted(d.editors.items()))
            + "</p>")
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
                parts.append(f'<div class="claim" id="claim-{c.id}"><div class="summary">{h(c.summary)}{badge}</div>')
                facts = [h(c.event), f"claim {c.id}", f"{c.outlets} outlets", f"{c.originators} independent sources"]
                if c.figures:
                    facts.insert(1, h(figures_text(c)))
                parts.append(f'<div class="facts">{" · ".join(facts)}</div>')
                parts.append(f'<div class="facts">{h(decision_text(dc))}</div><ul class="evidence">')
                for ev in dc.evidence:
                    m = ev.mention
                    who = f" ({h(m.attributed_to)})" if m.attributed_to else ""
                    parts.append(f'<li><span class="stance {h(m.stance)}">{h(m.stance)}</span> '
                                 f"{h_link(ev.link, m.outlet or '')}, {h(_human(m.published))}{who}: {h(m.sentence)}</li>")
                parts.append("</ul></div>")
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
        "items": {"triaged": d.items, "read": d.items_read},
        "editors": {e: dict(sorted(c.items())) for e, c in sorted(d.editors.items())},
        "claims": [claim_record(dc) for dc in d.verified + d.disputed],
    }
    return json.dumps(doc, indent=2, ensure_ascii=False) + "\n"


def render_claimreview(d: Digest, organisation: str = "wiredesk desk") -> str:
    reviews = []
    for dc, rating, name in [(x, 5, "Verified") for x in d.verified] + [(x, 1, "Disputed") for x in d.disputed]:
        c = dc.claim
        v = dc.decided
        appearances = [{"@type": "CreativeWork", "url": ev.link, "headline": ev.title,
                        "author": {"@type": "Organization", "name": ev.mention.outlet}}
                       for ev in dc.evidence if ev.link and ev.link.lower().startswith(("http://", "https://"))]
        reviews.append({
            "@context": "https://schema.org",
            "@type": "ClaimReview",
            "claimReviewed": c.summary,
            "datePublished": (v.at if v else d.generated)[:10],
            "author": {"@type": "Organization", "name": organisation},
            "reviewRating": {"@type": "Rating", "ratingValue": rating, "bestRating": 5, "worstRating": 1,
                             "alternateName": name},
            "itemReviewed": {
                "@type": "Claim",
                "name": c.summary,
                "firstAppearance": appearances[0] if appearances else None,
                "appearance": appearances,
                "datePublished": (c.first_seen or "")[:10] or None,
                "contentLocation": {"@type": "Place", "name": c.place.name,
                                    **({"geo": {"@type": "GeoCoordinates", "latitude": c.place.lat,
                                                "longitude": c.place.lon}} if c.place.lat is not None else {})},
            },
            "reviewBody": decision_text(dc),
            "identifier": f"wiredesk-claim-{c.id}",
        })
    return json.dumps(reviews, indent=2, ensure_ascii=False) + "\n"


RENDERERS: dict[str, Callable[[Digest], str]] = {
    "md": render_md, "html": render_html, "json": render_json, "claimreview": render_claimreview,
}


def render_digest(store: Store, fmt: str, since: timedelta | None = None, place: str | None = None,
                  now: datetime | None = None) -> str:
    if fmt not in RENDERERS:
        raise DigestError(f"unknown format {fmt!r} (choose from {', '.join(FORMATS)})")
    return RENDERERS[fmt](build_digest(store, since, place, now))


def write_digest(store: Store, fmt: str, path: Path, since: timedelta | None = None, place: str | None = None,
                 now: datetime | None = None) -> Path:
    """Render and write atomically (a temporary file renamed into place): a reader never sees half a page."""
    text = render_digest(store, fmt, since, place, now)
    path = Path(path).expanduser()
    if path.is_dir():
        raise DigestError(f"{path}: is a directory")
    directory = path.parent if str(path.parent) else Path(".")
    try:
        fd, tmp = tempfile.mkstemp(dir=directory, prefix=f".{path.name}.", suffix=".tmp")
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(text)
        os.replace(tmp, path)
    except OSError as exc:
        raise DigestError(f"{path}: cannot write ({exc.strerror or exc})") from None
    return path
