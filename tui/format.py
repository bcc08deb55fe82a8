"""Small display helpers shared by the widgets: local times, figures, stance words. No textual."""

from __future__ import annotations

from datetime import datetime, timezone
from pathlib import Path
from urllib.parse import urlsplit

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
        values.setdefault(r.counted, set()).update(r.values or (r.low, r.best, r.high))
    if not values:
        for m in mentions:
            for f in m.numbers:
                if f.value is not None:
                    values.setdefault(f.counted, set()).add(f.value)
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


def short_source(source: str, width: int) -> str:
    """A feed's URL or file path in ``width`` characters, keeping what tells two feeds apart: a URL
    without its scheme, its host kept and its path cut from the middle ("wire.example.org/…/rss.xml");
    a path with the home folder as ~, cut from the left ("…/dispatches/levant-wire-hama.txt"); a file
    name too long even alone keeps its start and its end."""
    width = max(width, 8)
    parts = urlsplit(source)
    if parts.scheme in ("http", "https") and parts.netloc:
        host = parts.netloc
        rest = parts.path + (f"?{parts.query}" if parts.query else "")
        if len(host) + len(rest) <= width:
            return host + rest
        room, tail_room = width - len(host), min(12, width // 2)
        if room >= min(len(rest), tail_room):
            return host + _tail(rest, room)
        return host[: width - tail_room - 1] + "…" + _tail(rest, tail_room, mark="")
    path = parts.path if parts.scheme == "file" else source
    home = str(Path.home())
    if home not in ("", "/") and (path == home or path.startswith(home + "/")):
        path = "~" + path[len(home):]
    if len(path) <= width:
        return path
    return _tail(path, width)


def _tail(path: str, width: int, mark: str = "…") -> str:
    """The end of ``path`` in ``width`` characters, after ``mark``: whole components when the last
    one fits, else that one cut in its middle."""
    name = path.rsplit("/", 1)[-1]
    if len(mark) + 1 + len(name) > width:  # the name alone: its start and its end
        keep = width - 1
        return name[: keep // 2] + "…" + name[len(name) - (keep - keep // 2):]
    tail = path[len(path) - (width - len(mark)):]
    cut = tail.find("/")
    return mark + (tail[cut:] if cut >= 0 else tail)
