"""What a claim's mentions say together: stance tallies, independent sources, figures, contested."""

from __future__ import annotations

import statistics
from collections import defaultdict
from collections.abc import Iterator, Mapping, Sequence

from ._extract import originator
from .types import Assessment, FigureRange, Mention

# Two figures from different sources for the same count and day are incompatible when the larger
# exceeds the smaller by more than this factor. "At least 300" against "2,000" still counts: a desk
# treats a floor that far below another source's figure as a disagreement to resolve.
INCOMPATIBLE_RATIO = 1.5

_EVENT_PHRASE = {
    "control": "Control of {place}",
    "attack": "Attacks on {place}",
    "casualties": "Casualties in {place}",
    "displacement": "Displacement from {place}",
    "movement": "Troop movements near {place}",
    "other": "Reports from {place}",
}
_STANCE_WORDS = (("asserts", "assert"), ("reports", "relay"), ("denies", "deny"))


def source_of(m: Mention, named: Mapping[str, str] | None = None) -> str:
    """The independent origin of a mention: its attributed originator, else the outlet itself.
    ``named``: short forms resolved to the one named source of their kind (``named_sources``)."""
    found = originator(m.attributed_to)
    if found is None:
        return f"outlet:{(m.outlet or '').lower()}"
    return named.get(found, found) if named else found


# Originators that name only a kind of source ("the Observatory", "the monitor", "the ministry"), and
# the words a full name of that kind contains.
_KINDS = {
    "monitor": ("observatory", "monitor"), "defence ministry": ("defence ministry", "ministry of defence"),
    "ministry": ("ministry",), "army": ("army",), "governor": ("governor",), "agency": ("agency",),
    "operations room": ("operations room",), "health ministry": ("health ministry", "ministry of health"),
    "military source": ("military source",), "directorate": ("directorate",), "news agency": ("news agency",),
}


def named_sources(mentions: Sequence[Mention]) -> dict[str, str]:
    """Short forms resolved to a full name: in a claim whose mentions name one observatory in full
    ("the Orontes Observatory for Human Rights"), "the Observatory" and "the monitor" are that one,
    not a second independent source. Only when exactly one full name of the kind is there."""
    origins = {o for m in mentions if (o := originator(m.attributed_to))}
    resolved = {}
    for short in origins & _KINDS.keys():
        words = _KINDS[short]
        full = [o for o in origins if o != short and any(w in o for w in words)]
        if len(full) == 1:
            resolved[short] = full[0]
    return resolved


def assess(mentions: Sequence[Mention]) -> Assessment:
    if not mentions:
        return Assessment(summary="", contested=False)
    place = mentions[0].place.name
    counts = {s: 0 for s, _ in _STANCE_WORDS}
    for m in mentions:
        counts[m.stance] = counts.get(m.stance, 0) + 1
    outlets = {m.outlet for m in mentions if m.outlet}
    named = named_sources(mentions)
    sources = {source_of(m, named) for m in mentions}
    figures = _figure_ranges(mentions, named)
    reasons = []
    if counts["denies"] and (counts["asserts"] or counts["reports"]):
        reasons.append(f"{counts['asserts'] + counts['reports']} report it, {counts['denies']} deny it")
    reasons += _figure_conflicts(mentions, named)
    tally = " · ".join(f"{n} {word}" for stance, word in _STANCE_WORDS if (n := counts.get(stance, 0)))
    summary = _EVENT_PHRASE.get(mentions[0].event, "{place}").format(place=place)
    if figures:
        summary += ": " + "; ".join(_figure_text(r) for r in figures[:2])
    summary += f" — {tally}"
    return Assessment(
        summary=summary,
        contested=bool(reasons),
        contest_reasons=tuple(reasons),
        stance_counts={k: v for k, v in counts.items() if v},
        outlets=len(outlets),
        originators=len(sources),
        figures=tuple(figures),
    )


def _figure_text(r: FigureRange) -> str:
    values = sorted(set(r.values))
    if len(values) > 4:
        values = [values[0], r.best, values[-1]]
    return " · ".join(f"{v:,}" for v in sorted(set(values))) + f" {r.counted}"


def _exact_figures(mentions: Sequence[Mention]) -> Iterator[tuple[Mention, tuple[str, str | None], int]]:
    """(mention, (what, who), value) of every exact figure not in a denial."""
    for m in mentions:
        if m.stance == "denies":
            continue
        for f in m.numbers:
            if f.value is not None:
                yield m, (f.what, f.who), f.value


def _figure_ranges(mentions: Sequence[Mention], named: Mapping[str, str]) -> list[FigureRange]:
    by_count: dict[tuple[str, str | None], dict[str, int]] = defaultdict(dict)
    for m, count, value in _exact_figures(mentions):
        # Each independent source counts once, with its highest (latest running) figure.
        source = source_of(m, named)
        by_count[count][source] = max(value, by_count[count].get(source, 0))
    ranges = []
    for (what, who), per_source in by_count.items():
        values = sorted(per_source.values())
        best = int(statistics.median_low(values))
        rule = "only report" if len(values) == 1 else f"median of {len(values)} independent sources' highest figures"
        ranges.append(FigureRange(what, values[0], best, values[-1], rule, tuple(values), who))
    ranges.sort(key=lambda r: (-len(r.values), r.what, r.who or ""))
    return ranges


def _figure_conflicts(mentions: Sequence[Mention], named: Mapping[str, str]) -> list[str]:
    """Figures for one count on one day from different sources that differ by more than
    ``INCOMPATIBLE_RATIO``. A count is what was counted and, when the copy says, who: "27 civilians
    wounded" and "200 wounded" are two counts and agree (civilians are some of the wounded), but a
    part above a whole from another source is a conflict ("1,000 militants killed" against "300
    killed" that day)."""
    groups: dict[tuple[str, str | None, str], list[tuple[Mention, int]]] = defaultdict(list)
    for m, (what, who), value in _exact_figures(mentions):
        groups[(what, who, (m.published or "")[:10])].append((m, value))
    reasons = []
    on = lambda day: f" on {day}" if day else ""  # noqa: E731
    for (what, who, day), figs in sorted(groups.items(), key=lambda kv: (kv[0][0], kv[0][1] or "", kv[0][2])):
        label = f"{who} {what}" if who else what
        lo_m, lo = min(figs, key=lambda mv: mv[1])
        hi_m, hi = max(figs, key=lambda mv: mv[1])
        if source_of(lo_m, named) != source_of(hi_m, named) and hi > lo * INCOMPATIBLE_RATIO:
            reasons.append(f"{label}: {lo:,} vs {hi:,}{on(day)}")
        whole = groups.get((what, None, day)) if who else None
        if whole:
            # The largest part against the smallest whole from another source.
            wholes = [(m, v) for m, v in whole if source_of(m, named) != source_of(hi_m, named)]
            if wholes:
                _, least = min(wholes, key=lambda mv: mv[1])
                if hi > least * INCOMPATIBLE_RATIO:
                    reasons.append(f"{label}: {hi:,} vs {least:,} {what} in all{on(day)}")
    return reasons
