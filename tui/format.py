"""Small display helpers shared by the widgets: local times, figures, stance words. No textual."""

from __future__ import annotations

from datetime import datetime, timezone

from claims.types import FigureRange, Mention


def local_time(stamp: str | None, *, with_date: bool = True) -> str:
    """An ISO-8601 UTC stamp in the editor's local time zone: "20 Nov 14:05"."""
    if not stamp:
        return "—"
    try:
        when = datetime.fromisoformat(stamp.replace("Z", "+00:00"))
    except ValueError:
        return stamp[:16]
    if when.tzinfo is None:
        when = when.replace(tzinfo=timezone.utc)
    when = when.astimezone()
    return when.strftime("%d %b %H:%M" if with_date else "%H:%M")


STANCE_WORDS = {"asserts": "assert", "denies": "deny", "reports": "relay"}


def stance_tally(counts: dict[str, int]) -> str:
    """"2 assert · 1 relay · 3 deny": the order of the claim summaries in the CLI and the digest."""
    parts = [f"{counts[s]} {STANCE_WORDS[s]}" for s in ("asserts", "reports", "denies") if counts.get(s)]
    return " · ".join(parts)


def figures_side_by_side(figures: tuple[FigureRange, ...], mentions: tuple[Mention, ...] = ()) -> list[str]:
    """"300 · 1,000 · 2,000 killed" per count, from the claim's figure ranges, else its mentions."""
    values: dict[str, set[int]] = {}
    for r in figures:
        values.setdefault(r.what, set()).update(r.values or (r.low, r.best, r.high))
    if not values:
        for m in mentions:
            for f in m.numbers:
                if f.value is not None:
                    values.setdefault(f.what, set()).add(f.value)
    return [f"{' · '.join(f'{v:,}' for v in sorted(vs))} {what}" for what, vs in values.items() if vs]


SPARK = "▁▂▃▄▅▆▇█"


def sparkline(stamps: list[str], start: str, end: str, buckets: int = 12) -> str:
    """Mentions over time as block characters, on a shared time axis from ``start`` to ``end``."""
    if not stamps or not start or not end:
        return ""
    t0, t1 = _epoch(start), _epoch(end)
    span = max(t1 - t0, 1.0)
    counts = [0] * buckets
    for s in stamps:
        t = _epoch(s)
        index = min(int((t - t0) / span * buckets), buckets - 1)
        counts[max(index, 0)] += 1
    top = max(counts)
    return "".join(" " if c == 0 else SPARK[min(int(c / top * (len(SPARK) - 1) + 0.5), len(SPARK) - 1)] for c in counts)


def _epoch(stamp: str) -> float:
    try:
        when = datetime.fromisoformat(stamp.replace("Z", "+00:00"))
    except ValueError:
        return 0.0
    if when.tzinfo is None:
        when = when.replace(tzinfo=timezone.utc)
    return when.timestamp()
