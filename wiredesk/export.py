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

from claims import originator
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

def _iso(dt: datetime) -> str:
    return dt.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


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

# What a reader is told a report did with the claim: the desk's stance codes are "asserts",
# "reports" (relays someone else's claim without endorsing it) and "denies".
STANCE_WORDS = {"asserts": "said", "reports": "relayed, unconfirmed", "denies": "denied"}
_HEADLINE = {
    "control": "Control of {place}", "attack": "Attacks on {place}", "casualties": "Casualties in {place}",
    "displacement": "Displacement from {place}", "movement": "Troop movements near {place}",
    "other": "Reports from {place}",
}
# A claim's evidence in the digest: this many reports at most (the sample has claims with 40
# mentions in 25 reports, a list nobody reads). The ones kept are the decisive ones (see shown_sources);
# the JSON export lists every mention.
MAX_REPORTS = 8


def headline(claim: ClaimView) -> str:
    """'Control of Morek': what the claim is about, in words. The desk's ``summary`` also carries
    its stance tally ('— 19 assert · 21 deny') and unsourced figures, which are not for publication."""
    return _HEADLINE.get(claim.event, "{place}").format(place=claim.place.name)


def when(stamp: str | None, *, day_only: bool = False) -> str:
    """'20 Nov 2026 06:48 UTC'; a date without a time ('20 Nov 2026') when the source gave only a day.

    A source dated by day only (a dispatch named by its date) is stored at exactly midnight UTC:
    printed as '00:00 UTC' it would claim a precision the report never had."""
    if not stamp:
        return "time unknown"
    try:
        dt = datetime.fromisoformat(stamp.replace("Z", "+00:00")).astimezone(timezone.utc)
    except ValueError:
        return stamp
    if day_only or (dt.hour, dt.minute, dt.second, dt.microsecond) == (0, 0, 0, 0):
        return dt.strftime("%d %b %Y")
    return dt.strftime("%d %b %Y %H:%M UTC")


def shown_attribution(m: Mention) -> str | None:
    """Who the sentence attributes the claim to, when the quoted sentence does not say it itself.

    The sentence is quoted whole, so 'At least 300 were killed, the monitor said.' names its source;
    repeating it is noise, and a misread attribution ('the rules of war') would be put in our mouth."""
    who = m.attributed_to
    if not who or _norm(who) in _norm(m.sentence):
        return None
    return who


def speaker(m: Mention) -> str | None:
    """Who the claim is attributed to, as the digest says it: the speaker the sentence names, or an
    attribution from the sentence's context (shown as 'according to …' beside the quote)."""
    return named_speaker(m) or shown_attribution(m)


def _source_key(m: Mention) -> str:
    """Who a mention's claim comes from: its speaker, else the outlet itself."""
    return originator(speaker(m)) or f"outlet:{(m.outlet or '').casefold()}"


_SPEECH = r"(?:said|says|told|tells|reported|reports|announced|announces|stated|states|added|confirmed|claimed|claims|denied|denies|quoted)"


def named_speaker(m: Mention) -> str | None:
    """The mention's attribution when its sentence really names it as the one speaking ('the monitor
    said', 'according to the agency'); None for a misread ('the rules of war', 'in a voice message')."""
    who = m.attributed_to
    if not who:
        return None
    w = re.escape(" ".join(who.split()))
    sentence = " ".join(m.sentence.split())
    if re.search(rf"according to {w}\b|\b{w}(?:,[^,]{{0,60}},)?(?:\s+\w+){{0,2}}\s+{_SPEECH}\b", sentence, re.I):
        return who
    return None


def _source_name(m: Mention) -> str:
    """'the Orontes Observatory for Human Rights, via Syria Ledger', or the outlet for its own reporting."""
    who = speaker(m)
    if who and m.outlet:
        return f"{who}, via {m.outlet}"
    return who or m.outlet or "unknown source"


@dataclass(frozen=True)
class Backing:
    """Who stands behind a claim in the digest: counted over the mentions the digest cites for it."""

    outlets: tuple[str, ...]
    sources: int  # distinct originators: an outlet's own reporting, or whoever it attributes the claim to
    echoed: int  # reports that only repeat, word for word, a sentence another outlet carried first
    denials: tuple[Mention, ...]


def backing(dc: DigestClaim) -> Backing:
    support = [m for m in dc.claim.mentions if m.stance in ("asserts", "reports")]
    first: dict[str, Mention] = {}
    for m in support:
        first.setdefault(_norm(m.sentence), m)
    # Syndicated copies quote the first carrier's sentence: they are that sentence's originator again.
    sources = {_source_key(first[_norm(m.sentence)]) for m in support}
    echoed = sum(1 for s in dc.sources for _ in s.copies)
    denials = tuple(m for m in dc.claim.mentions if m.stance == "denies")
    return Backing(tuple(sorted({m.outlet for m in support if m.outlet})), len(sources), echoed, denials)


def backing_text(dc: DigestClaim) -> str:
    """'said by 3 outlets citing 2 sources (2 reports repeat another outlet's words); denied by the
    defence ministry' — the reports behind the claim, never its deniers counted as its sources."""
    b = backing(dc)
    if not b.outlets:
        text = "no report in the desk's feeds says it"
    else:
        text = f"reported by {plural(len(b.outlets), 'outlet')} citing {plural(b.sources, 'source')}"
        if b.sources < len(b.outlets):
            text += " (outlets repeating one source are not independent confirmation)"
    if b.echoed:
        text += f"; {plural(b.echoed, 'report')} only repeat{'s' if b.echoed == 1 else ''} another outlet's words"
    if b.denials:
        text += "; " + denial_text(b)
    return text


def denial_text(b: Backing) -> str:
    """'denied in 14 reports from 5 outlets'. Who denied is not named here: a denial's attribution is
    often the side whose claim is denied ('Syrian rebels said they had entered Morek, a claim rejected
    by the Defence Ministry'), so the denials are quoted instead, where a reader sees who said what."""
    reports = len({m.item_id or id(m) for m in b.denials})
    outlets = len({m.outlet for m in b.denials})
    return f"denied in {plural(reports, 'report')}" + (f" from {plural(outlets, 'outlet')}" if outlets > 1 else "")


def latest_denial(b: Backing) -> str:
    """The newest denial, quoted with its outlet and time: what a verdict of 'verified' overrides."""
    if not b.denials:
        return ""
    m = max(b.denials, key=lambda m: m.published or "")
    return f"Latest denial: “{' '.join(m.sentence.split())}” ({m.outlet}, {when(m.published)})."


def _reported_figures(dc: DigestClaim, what: str, who: str | None) -> list[tuple[Mention, Any]]:
    """Each source's figures for one count, newest report first; a source's repeats of one figure once."""
    seen: set[tuple[str, int]] = set()
    found = []
    mentions = [m for m in dc.claim.mentions if m.stance != "denies"]
    # Newest first; within one report, a sentence naming its source before the headline that doesn't.
    for m in sorted(mentions, key=lambda m: (m.published or "", speaker(m) is not None), reverse=True):
        for f in m.numbers:
            if f.value is None or (f.what, f.who) != (what, who):
                continue
            keys = {(_source_key(m), f.value), (f"item:{m.item_id}", f.value)}
            if not keys & seen:
                seen |= keys
                found.append((m, f))
    return found


def figure_lines(dc: DigestClaim, limit: int = 4) -> list[str]:
    """One line per count, each figure with who gave it and when: 'killed: at least 412 (the Orontes
    Observatory for Human Rights, via Syria Ledger, 21 Nov 2026); around 300 (…, 20 Nov 2026)'.
    A toll without its source and date is not publishable: the first day's 74 and the third day's
    412 from one monitor are not a range, and a ministry's 1,000 is the ministry's."""
    lines = []
    for r in dc.claim.figures:
        reported = _reported_figures(dc, r.what, r.who)
        if not reported:
            continue
        parts = [f"{(f.qualifier + ' ') if f.qualifier else ''}{f.value:,} ({_source_name(m)}, {when(m.published, day_only=True)})"
                 for m, f in reported[:limit]]
        more = len(reported) - limit
        if more > 0:
            parts.append(f"and {plural(more, 'earlier or other figure')}")
        lines.append(f"{r.counted}: " + "; ".join(parts))
    return lines


_ISO_DAY = re.compile(r"\b(\d{4})-(\d{2})-(\d{2})\b")


def _figure_conflicts(claim: ClaimView) -> list[str]:
    """The claim's figure conflicts with their day in words ('killed: 300 vs 1,000 on 20 Nov 2026');
    the stance conflict is said by backing_text, with who denied it."""
    out = []
    for reason in claim.contest_reasons:
        if re.match(r"^\d+ report it, \d+ deny it$", reason):
            continue
        out.append(_ISO_DAY.sub(lambda m: when(m.group(0) + "T00:00:00Z"), reason))
    return out


def plural(n: int, word: str) -> str:
    return f"{n} {word}" if n == 1 else f"{n} {word}s"


def facts(dc: DigestClaim) -> list[str]:
    """The claim in lines a reader can check: who reports it, figures with their sources, conflicts."""
    said = backing_text(dc)
    lines = [said[0].upper() + said[1:] + "."]
    lines += [line[0].upper() + line[1:] + "." for line in figure_lines(dc)]
    conflicts = _figure_conflicts(dc.claim)
    if conflicts:
        lines.append("Figures conflict: " + "; ".join(conflicts) + ".")
    if dc.claim.status == "verified":  # a disputed claim quotes its denials among its reports
        lines.append(latest_denial(backing(dc)))
    return [line for line in lines if line]


def editors_text(d: Digest, claim_ref: Callable[[DigestClaim], str], esc: Callable[[str], str] = str) -> str:
    """'ana verified Control of Morek and Casualties in Saraqib, disputed Control of Suran; ben verified …'."""
    claims = {dc.claim.id: dc for dc in d.verified + d.disputed}
    return "; ".join(
        f"{esc(e)} " + ", ".join(f"{esc(status)} " + _and([claim_ref(claims[i]) for i in ids if i in claims])
                                 for status, ids in by.items())
        for e, by in d.editors.items()
    )


def _and(words: list[str]) -> str:
    return words[0] if len(words) == 1 else ", ".join(words[:-1]) + " and " + words[-1]


def header_text(d: Digest, esc: Callable[[str], str] = str) -> str:
    prepared = f", prepared by {esc(d.prepared_by)}" if d.prepared_by else ""
    if d.since:
        period = (f"claims decided or reported on between {when(d.since)} and {when(d.until)} · "
                  f"{plural(d.items, 'wire report')} received in that period")
    else:
        period = f"all claims decided up to {when(d.until)} · {plural(d.items, 'wire report')} received"
    return (f"Issued by {esc(d.organisation)}{prepared} · {when(d.generated)} · {period} · "
            f"{len(d.verified)} verified, {len(d.disputed)} disputed")


def where_text(claim: ClaimView) -> str:
    p = claim.place
    return ", ".join(x for x in (p.admin1 if p.admin1 != p.name else None, p.country) if x)


def decision_text(dc: DigestClaim) -> str:
    v = dc.decided
    if v is None:
        return ""
    note = f" — “{v.note}”" if v.note else ""
    return f"{v.status.capitalize()} by {v.editor}, {when(v.at)}{note}"


def reason_text(dc: DigestClaim) -> str:
    """Why a disputed claim is disputed, when the editor gave no note: what the reports say against it.
    A 'disputed' with no reason tells a reader nothing they can weigh."""
    v = dc.decided
    if v is None or v.status != "disputed" or (v.note or "").strip():
        return ""
    b = backing(dc)
    why = []
    if b.denials:
        why.append(denial_text(b))
    why += ["figures conflict: " + c for c in _figure_conflicts(dc.claim)]
    if b.sources == 1:
        why.append("only one source reports it")
    if not why:
        return "No reason was recorded with this verdict, and the reports cited below do not contradict each other."
    return "No reason was recorded with this verdict. Against the claim: " + "; ".join(why) + "."


def shown_sources(dc: DigestClaim, limit: int = MAX_REPORTS) -> tuple[list[Source], list[Source]]:
    """(the reports to cite, the ones left out), both oldest first. A long list is cut to the decisive
    reports: every denial of a disputed claim, the newest report (what stands now), the first, the
    newest report behind each figure given, then one report per further source, preferring sentences
    about the place itself over its surroundings, then the newest of the rest."""
    sources = list(dc.sources)
    if len(sources) <= limit:
        return sources, []
    chosen: list[int] = []

    def pick(i: int) -> None:
        if i not in chosen and len(chosen) < limit:
            chosen.append(i)

    if dc.claim.status == "disputed":
        for i, s in enumerate(sources):
            if any(m.stance == "denies" for m in s.mentions):
                pick(i)
    pick(len(sources) - 1)
    pick(0)
    figure_mentions = {id(m) for r in dc.claim.figures for m, _ in _reported_figures(dc, r.what, r.who)[:1]}
    for i in reversed(range(len(sources))):
        if any(id(m) in figure_mentions for m in sources[i].mentions):
            pick(i)
    seen = {_source_key(m) for i in chosen for m in sources[i].mentions}
    for about_place in (True, False):
        for i, s in enumerate(sources):
            if any((m.near is None) == about_place and _source_key(m) not in seen for m in s.mentions):
                pick(i)
                seen |= {_source_key(m) for m in s.mentions}
    for i in reversed(range(len(sources))):  # room left: the newest of the rest
        pick(i)
    chosen.sort()
    return [sources[i] for i in chosen], [s for i, s in enumerate(sources) if i not in chosen]


def left_out_text(left: list[Source]) -> str:
    """'12 more reports not quoted (Levant Wire 5, Free Orient TV 4, …); the JSON export lists every one.'"""
    if not left:
        return ""
    per: dict[str, int] = {}
    for s in left:
        per[s.outlet] = per.get(s.outlet, 0) + 1 + len(s.copies)
    outlets = ", ".join(f"{o} {n}" for o, n in sorted(per.items(), key=lambda kv: (-kv[1], kv[0])))
    total = sum(per.values())
    return f"{plural(total, 'more report')} not quoted here ({outlets}); the JSON export lists every one."


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


def _md_sentence(m: Mention) -> str:
    who = shown_attribution(m)
    near = f" [{md(m.near)}]" if m.near else ""
    attributed = f" (according to {md(who)})" if who else ""
    return f"  - {STANCE_WORDS.get(m.stance, m.stance)}{near}{attributed}: “{md(m.sentence)}”"


def render_md(d: Digest) -> str:
    out = [f"# Desk digest{': ' + md(d.place) if d.place else ''}", "", header_text(d, md), ""]
    if d.editors:
        out += ["Decisions: " + editors_text(d, lambda dc: md(f"{headline(dc.claim)} (ref. {dc.claim.id})"), md) + ".", ""]
    for title, group in (("Verified", d.verified), ("Disputed", d.disputed)):
        out += [f"## {title}", ""]
        if not group:
            out += [f"_No claims {title.lower()} in this period._", ""]
        for place, claims in by_place(group):
            where = where_text(claims[0].claim)
            out += [f"### {md(place)}" + (f" ({md(where)})" if where else ""), ""]
            for dc in claims:
                c = dc.claim
                out += [f"#### {md(headline(c))} (desk ref. {c.id})", ""]
                out += [md(line) + "  " for line in facts(dc)]
                out[-1] = out[-1].rstrip()
                out += ["", f"**{md(decision_text(dc))}**", ""]
                reason = reason_text(dc)
                if reason:
                    out += [md(reason), ""]
                shown, left = shown_sources(dc)
                for src in shown:
                    copies = "".join(f"; also carried by {md(ev.mention.outlet)}, {when(ev.mention.published)}{md_link(ev.link)}"
                                     for ev in src.copies)
                    again = f" · and {plural(src.repeated, 'sentence')} quoted above" if src.repeated else ""
                    title_ = f", “{md(src.title)}”" if src.title else ""
                    out.append(f"- {md(src.outlet)}{title_}, {when(src.published)}{md_link(src.link)}{again}{copies}")
                    out += [_md_sentence(m) for m in src.mentions]
                if left:
                    out.append(f"- {md(left_out_text(left))}")
                out.append("")
    return "\n".join(out).rstrip() + "\n"


# -- HTML -----------------------------------------------------------------------------------------

_CSS = """
body{font:15px/1.5 Georgia,'Times New Roman',serif;max-width:52rem;margin:2rem auto;padding:0 1rem;color:#1d1d1d;background:#fff}
h1{font-size:1.6rem;margin-bottom:.2rem}h2{border-bottom:2px solid #1d1d1d;margin-top:2rem}
h3{margin-bottom:.3rem}h4{margin:.2rem 0;font-size:1.05rem}.meta{color:#555;font-size:.9rem;font-weight:normal}
.claim{margin:.6rem 0 1.2rem;padding-left:.8rem;border-left:4px solid #2e7d32}.disputed .claim{border-left-color:#c62828}
.facts,.decision,.reason{font-size:.9rem;color:#333;margin:.2rem 0}.decision{font-style:italic}ul.evidence ul{padding-left:1.1rem}
ul.evidence{margin:.3rem 0;padding-left:1.1rem;font-size:.9rem}.stance{font:bold .75rem sans-serif;text-transform:uppercase}
.asserts{color:#2e7d32}.denies{color:#c62828}.reports{color:#7a5f00}.more{color:#555;list-style:none}
@media print{body{margin:0;max-width:none;font-size:11pt}a{color:inherit}h2,h3,h4{break-after:avoid}
.claim{break-inside:avoid-page}li{break-inside:avoid}
a[href^="http"]::after{content:" <" attr(href) ">";font-size:.8em;word-break:break-all}}
"""


def h(text: object) -> str:
    return html.escape("" if text is None else str(text), quote=True)


def h_link(url: str | None, label: str) -> str:
    if not url or not url.lower().startswith(("http://", "https://")):
        return h(label)
    return f'<a href="{h(url)}" rel="noopener noreferrer nofollow">{h(label)}</a>'


def _html_sentence(m: Mention) -> str:
    who = shown_attribution(m)
    return (f'<li><span class="stance {h(m.stance)}">{h(STANCE_WORDS.get(m.stance, m.stance))}</span>'
            + (f' <span class="near">[{h(m.near)}]</span>' if m.near else "")
            + (f" (according to {h(who)})" if who else "") + f": “{h(m.sentence)}”</li>")


def render_html(d: Digest) -> str:
    title = "Desk digest" + (f": {d.place}" if d.place else "")
    parts = [
        "<!DOCTYPE html>",
        '<html lang="en"><head><meta charset="utf-8">',
        # No scripts, no remote anything: the page must stay inert whatever the feeds said.
        '<meta http-equiv="Content-Security-Policy" content="default-src \'none\'; style-src \'unsafe-inline\'">',
        '<meta name="referrer" content="no-referrer">',
        f'<meta name="viewport" content="width=device-width, initial-scale=1"><title>{h(title)}</title>',
        f"<style>{_CSS}</style></head><body><main>",
        f"<h1>{h(title)}</h1>",
        f'<p class="meta">{header_text(d, h)}</p>',
    ]
    if d.editors:
        link = lambda dc: f'<a href="#claim-{dc.claim.id}">{h(headline(dc.claim))}</a>'  # noqa: E731
        parts.append(f'<p class="meta">Decisions: {editors_text(d, link, h)}.</p>')
    for title_, group, cls in (("Verified", d.verified, "verified"), ("Disputed", d.disputed, "disputed")):
        parts.append(f'<section class="{cls}"><h2>{title_}</h2>')
        if not group:
            parts.append(f"<p><em>No claims {cls} in this period.</em></p>")
        for place, claims in by_place(group):
            where = where_text(claims[0].claim)
            parts.append(f"<h3>{h(place)}" + (f' <span class="meta">{h(where)}</span>' if where else "") + "</h3>")
            for dc in claims:
                c = dc.claim
                parts.append(f'<article class="claim" id="claim-{c.id}"><h4>{h(headline(c))} '
                             f'<span class="meta">desk ref. {c.id}</span></h4>')
                parts += [f'<p class="facts">{h(line)}</p>' for line in facts(dc)]
                parts.append(f'<p class="decision">{h(decision_text(dc))}</p>')
                reason = reason_text(dc)
                if reason:
                    parts.append(f'<p class="reason">{h(reason)}</p>')
                parts.append('<ul class="evidence">')
                shown, left = shown_sources(dc)
                for src in shown:
                    copies = "".join(f"; also carried by {h_link(ev.link, ev.mention.outlet or '')}, {h(when(ev.mention.published))}"
                                     for ev in src.copies)
                    again = f" · and {plural(src.repeated, 'sentence')} quoted above" if src.repeated else ""
                    label = f"{src.outlet}, “{src.title}”" if src.title else src.outlet
                    quotes = "".join(_html_sentence(m) for m in src.mentions)
                    parts.append(f"<li>{h_link(src.link, label)}, {h(when(src.published))}{again}{copies}"
                                 f"<ul>{quotes}</ul></li>")
                if left:
                    parts.append(f'<li class="more">{h(left_out_text(left))}</li>')
                parts.append("</ul></article>")
        parts.append("</section>")
    parts.append("</main></body></html>")
    return "\n".join(parts) + "\n"


# -- JSON and ClaimReview -------------------------------------------------------------------------


def claim_record(dc: DigestClaim) -> dict[str, Any]:
    c = dc.claim
    b = backing(dc)
    return {
        "id": c.id,
        "place": serialise.place_json(c.place),
        "summary": c.summary,
        "headline": headline(c),
        "status": c.status,
        "event": c.event,
        "contested": c.contested,
        "figures": [serialise.range_json(r) for r in c.figures],
        # Each figure with who gave it and when, newest first: the range alone hides whose number is whose.
        "figures_reported": [
            {"what": r.what, "who": r.who, "reported": [
                {"value": f.value, "qualifier": f.qualifier, "source": m.attributed_to, "outlet": m.outlet,
                 "published": m.published, "mention_id": m.id} for m, f in _reported_figures(dc, r.what, r.who)]}
            for r in c.figures
        ],
        "backing": {"outlets": list(b.outlets), "sources": b.sources, "echoed_reports": b.echoed,
                    "denials": [m.id for m in b.denials]},
        "reason": reason_text(dc) or None,
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
        claim: dict[str, Any] = {"@type": "Claim", "name": headline(c), "contentLocation": place}
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
            "claimReviewed": headline(c),
            "datePublished": (v.at if v else d.generated)[:10],
            "author": {"@type": "Organization", "name": d.organisation},
            "reviewRating": {"@type": "Rating", "ratingValue": rating, "bestRating": 5, "worstRating": 1,
                             "alternateName": name},
            "itemReviewed": claim,
            "reviewBody": " ".join(x for x in (decision_text(dc) + ".", reason_text(dc)) if x),
        })
    return _script_safe(json.dumps(reviews, indent=2, ensure_ascii=False)) + "\n"


def _script_safe(text: str) -> str:
    """JSON-LD is pasted into a page inside <script type="application/ld+json">: a headline holding
    "</script><script>…" would end that element and run. "<", ">" and "&" as \\u escapes are the same
    JSON to every parser and cannot close or open a tag. They occur only inside strings."""
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


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
