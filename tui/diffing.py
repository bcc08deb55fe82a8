"""Two reports side by side: sentences aligned, changed words found, claim sentences tagged.

One model (``build`` → ``Diff``), laid out once (``layout``) and rendered twice: as styled
``Content`` by the app's diff pane and as plain text by ``wiredesk diff``. Pure: no textual, no db.

Alignment: sentence similarity with rapidfuzz (``token_sort_ratio``, so reordered clauses still
match), then a monotone dynamic-programming alignment that maximises the total similarity above a
threshold — an LCS over sentences where a pair only counts when it is alike enough. Reports rewrite
each other's sentences but rarely reorder whole paragraphs, so monotone is the right shape.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from itertools import zip_longest

from rapidfuzz import fuzz, process
from rapidfuzz.distance import Indel

from claims.types import Mention

from .text import neutralise, one_line

MATCH_THRESHOLD = 62.0  # token_sort_ratio at or above which two sentences are one sentence rewritten
SAME_THRESHOLD = 97.0  # at or above: shown as unchanged

_ABBREVIATIONS = {
    "mr", "mrs", "ms", "dr", "st", "gen", "col", "lt", "maj", "sgt", "capt", "brig", "no", "vs", "etc",
    "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec", "approx", "est",
}
_BOUNDARY = re.compile(r"(?<=[.!?])[\"'”’)\]]*\s+(?=[\"'“‘(\[]?[A-Z0-9])")
_WORD = re.compile(r"\S+")
_NORM = re.compile(r"[^\w]+")


def split_sentences(text: str) -> list[str]:
    """Paragraphs, then sentences; a full stop after an abbreviation ("U.S.", "Gen.") or an
    initial does not end a sentence."""
    sentences: list[str] = []
    for paragraph in re.split(r"\n\s*\n|\n", neutralise(text)):
        paragraph = " ".join(paragraph.split())
        if not paragraph:
            continue
        start = 0
        for match in _BOUNDARY.finditer(paragraph):
            before = paragraph[start : match.start()].rstrip("\"'”’)]")
            last = before.rsplit(" ", 1)[-1].rstrip(".!?").lower()
            if before.endswith(".") and (last in _ABBREVIATIONS or re.fullmatch(r"(?:[a-z]\.)*[a-z]", last)):
                continue
            sentences.append(paragraph[start : match.start() + len(match.group(0).rstrip())].strip())
            start = match.end()
        tail = paragraph[start:].strip()
        if tail:
            sentences.append(tail)
    return sentences


@dataclass(frozen=True, slots=True)
class Report:
    """One side of a diff: an item's text with its claim mentions."""

    item_id: int
    outlet: str
    when: str
    title: str
    text: str
    mentions: tuple[Mention, ...] = ()


@dataclass(frozen=True, slots=True)
class Span:
    text: str
    changed: bool = False


@dataclass(frozen=True, slots=True)
class Side:
    index: int
    spans: tuple[Span, ...]
    tags: tuple[str, ...] = ()  # "denies · Morek": the stance of a claim mention in this sentence
    stances: tuple[str, ...] = ()

    @property
    def text(self) -> str:
        return " ".join(s.text for s in self.spans)


@dataclass(frozen=True, slots=True)
class Row:
    kind: str  # same | changed | left | right (a sentence only that side has)
    left: Side | None
    right: Side | None
    similarity: float = 0.0


@dataclass(frozen=True, slots=True)
class Diff:
    left: Report
    right: Report
    rows: tuple[Row, ...] = field(default_factory=tuple)

    def count(self, kind: str) -> int:
        return sum(1 for r in self.rows if r.kind == kind)


def align(a: Sequence[str], b: Sequence[str], threshold: float = MATCH_THRESHOLD) -> list[tuple[int | None, int | None, float]]:
    """Monotone alignment of two sentence lists: (i, j, similarity) pairs and unmatched (i, None) /
    (None, j), in reading order of both sides."""
    if not a or not b:
        return [(i, None, 0.0) for i in range(len(a))] + [(None, j, 0.0) for j in range(len(b))]
    sim = process.cdist(a, b, scorer=fuzz.token_sort_ratio, processor=_normalise, workers=1)
    n, m = len(a), len(b)
    score = [[0.0] * (m + 1) for _ in range(n + 1)]
    for i in range(1, n + 1):
        row, prev, srow = score[i], score[i - 1], sim[i - 1]
        for j in range(1, m + 1):
            best = prev[j] if prev[j] >= row[j - 1] else row[j - 1]
            s = float(srow[j - 1])
            if s >= threshold:
                diagonal = prev[j - 1] + (s - threshold + 1.0)
                if diagonal > best:
                    best = diagonal
            row[j] = best
    pairs: list[tuple[int, int, float]] = []
    i, j = n, m
    while i > 0 and j > 0:
        s = float(sim[i - 1][j - 1])
        if s >= threshold and math.isclose(score[i][j], score[i - 1][j - 1] + (s - threshold + 1.0)):
            pairs.append((i - 1, j - 1, s))
            i, j = i - 1, j - 1
        elif score[i - 1][j] >= score[i][j - 1]:
            i -= 1
        else:
            j -= 1
    pairs.reverse()
    out: list[tuple[int | None, int | None, float]] = []
    ai = bj = 0
    for pi, pj, s in pairs + [(n, m, 0.0)]:
        out.extend((x, None, 0.0) for x in range(ai, pi))
        out.extend((None, y, 0.0) for y in range(bj, pj))
        if pi < n and pj < m:
            out.append((pi, pj, s))
        ai, bj = pi + 1, pj + 1
    return out


def _normalise(sentence: str) -> str:
    return _NORM.sub(" ", sentence.casefold()).strip()


def word_spans(a: str, b: str) -> tuple[tuple[Span, ...], tuple[Span, ...]]:
    """Both sentences as runs of unchanged and changed words (compared case- and punctuation-blind)."""
    wa, wb = _WORD.findall(a), _WORD.findall(b)
    na, nb = [_normalise(w) or w for w in wa], [_normalise(w) or w for w in wb]
    left: list[Span] = []
    right: list[Span] = []
    for tag, a0, a1, b0, b1 in Indel.opcodes(na, nb).as_list():
        changed = tag != "equal"
        if a1 > a0:
            left.append(Span(" ".join(wa[a0:a1]), changed))
        if b1 > b0:
            right.append(Span(" ".join(wb[b0:b1]), changed))
    return _merge(left), _merge(right)


def _merge(spans: list[Span]) -> tuple[Span, ...]:
    merged: list[Span] = []
    for span in spans:
        if merged and merged[-1].changed == span.changed:
            merged[-1] = Span(merged[-1].text + " " + span.text, span.changed)
        else:
            merged.append(span)
    return tuple(merged)


def _tags(sentence: str, mentions: Sequence[Mention]) -> tuple[tuple[str, ...], tuple[str, ...]]:
    norm = _normalise(sentence)
    tags: list[str] = []
    stances: list[str] = []
    for m in mentions:
        target = _normalise(m.sentence)
        if not target:
            continue
        # The mention's sentence inside ours, or ours a large part of it (sentence splitters differ
        # on headlines and datelines), or near-equal: a short "(The Eastern Meridian)" is not a claim.
        inside = norm in target and len(norm) >= 0.6 * len(target)
        if target in norm or inside or fuzz.ratio(norm, target) >= 90:
            tag = f"{m.stance} · {one_line(m.place.name)}"
            if tag not in tags:
                tags.append(tag)
                stances.append(m.stance)
    return tuple(tags), tuple(stances)


def build(left: Report, right: Report) -> Diff:
    a = split_sentences(left.text) or [one_line(left.title)]
    b = split_sentences(right.text) or [one_line(right.title)]
    rows: list[Row] = []
    for i, j, s in align(a, b):
        if i is not None and j is not None:
            ls, rs = word_spans(a[i], b[j])
            kind = "same" if s >= SAME_THRESHOLD and not any(x.changed for x in ls + rs) else "changed"
            rows.append(Row(kind, Side(i, ls, *_tags(a[i], left.mentions)), Side(j, rs, *_tags(b[j], right.mentions)), s))
        elif i is not None:
            rows.append(Row("left", Side(i, (Span(a[i], True),), *_tags(a[i], left.mentions)), None))
        else:
            assert j is not None
            rows.append(Row("right", None, Side(j, (Span(b[j], True),), *_tags(b[j], right.mentions))))
    return Diff(left, right, tuple(rows))


# -- layout: the same lines for the app and the CLI ---------------------------------------------

MARKERS = {"same": " ", "changed": "~", "left": "<", "right": ">"}


@dataclass(frozen=True, slots=True)
class Piece:
    text: str
    role: str  # same | changed | unique | tag | blank


@dataclass(frozen=True, slots=True)
class Line:
    kind: str
    marker: str
    left: tuple[Piece, ...]
    right: tuple[Piece, ...]
    left_stances: tuple[str, ...] = ()
    right_stances: tuple[str, ...] = ()


def _side_pieces(side: Side | None, unique: bool) -> list[tuple[str, str]]:
    if side is None:
        return []
    words: list[tuple[str, str]] = []
    for span in side.spans:
        role = "unique" if unique else ("changed" if span.changed else "same")
        words.extend((w, role) for w in span.text.split(" ") if w)
    for tag in side.tags:
        words.append((f"[{tag}]", "tag"))
    return words


def _wrap(words: list[tuple[str, str]], width: int) -> list[list[Piece]]:
    """Greedy word wrap; a word longer than the column is cut. Adjacent words of one role join."""
    lines: list[list[Piece]] = []
    current: list[Piece] = []
    used = 0
    for text, role in words:
        while len(text) > width:
            if current:
                lines.append(current)
                current, used = [], 0
            lines.append([Piece(text[:width], role)])
            text = text[width:]
        need = len(text) + (1 if current else 0)
        if current and used + need > width:
            lines.append(current)
            current, used, need = [], 0, len(text)
        if current:
            prev = current[-1]
            if prev.role == role:
                current[-1] = Piece(prev.text + " " + text, role)
            else:
                current[-1] = Piece(prev.text + " ", prev.role) if prev.role != "blank" else prev
                current.append(Piece(text, role))
        else:
            current.append(Piece(text, role))
        used += need
    if current:
        lines.append(current)
    return lines


def layout(diff: Diff, column: int) -> list[Line]:
    """The diff as screen lines, each side at most ``column`` cells wide; a blank line between rows."""
    column = max(column, 8)
    out: list[Line] = []
    for row in diff.rows:
        left = _wrap(_side_pieces(row.left, row.kind == "left"), column)
        right = _wrap(_side_pieces(row.right, row.kind == "right"), column)
        ls = row.left.stances if row.left else ()
        rs = row.right.stances if row.right else ()
        for n, (l, r) in enumerate(zip_longest(left, right, fillvalue=[])):
            out.append(Line(row.kind, MARKERS[row.kind] if n == 0 else " ", tuple(l), tuple(r), ls, rs))
    return out


def render_text(diff: Diff, width: int, emphasise: Callable[[str, str], str] | None = None) -> str:
    """Plain side-by-side text for a terminal ``width`` wide. ``emphasise(text, role)`` may decorate
    pieces (ANSI styles, say) without changing their width; by default changed words are
    wrapped in ``*`` only where that does not break the columns, i.e. never: roles are shown by the
    marker column instead."""
    column = max((width - 5) // 2, 8)
    decorate = emphasise or (lambda text, role: text)
    header = []
    for report in (diff.left, diff.right):
        header.append(
            (
                one_line(f"#{report.item_id} {report.outlet} · {report.when}", column),
                one_line(report.title, column),
            )
        )
    lines = [
        f"  {header[0][0]:<{column}} │ {header[1][0]}".rstrip(),
        f"  {header[0][1]:<{column}} │ {header[1][1]}".rstrip(),
        f"  {'─' * column}─┼─{'─' * column}",
    ]
    for line in layout(diff, column):
        left = "".join(decorate(p.text, p.role) for p in line.left)
        pad = column - sum(len(p.text) for p in line.left)
        right = "".join(decorate(p.text, p.role) for p in line.right)
        lines.append(f"{line.marker} {left}{' ' * pad} │ {right}".rstrip())
    same, changed = diff.count("same"), diff.count("changed")
    lines.append(
        f"{same} same · {changed} changed · {diff.count('left')} only in #{diff.left.item_id} · "
        f"{diff.count('right')} only in #{diff.right.item_id}   (~ changed, < left only, > right only)"
    )
    return "\n".join(lines)


# -- which two reports disagree most --------------------------------------------------------------

_OPPOSED = {frozenset({"asserts", "denies"}): 10.0, frozenset({"reports", "denies"}): 4.0, frozenset({"asserts", "reports"}): 1.0}


def disagreement(a: Mention, b: Mention) -> float:
    """How much two mentions of one claim disagree: opposite stances first, then how far apart their
    figures for the same count are (a factor of 10 scores like a flat denial)."""
    score = _OPPOSED.get(frozenset({a.stance, b.stance}), 0.0)
    figures_a = {f.counted: f.value for f in a.numbers if f.value}
    for f in b.numbers:
        other = figures_a.get(f.counted)
        if other and f.value:
            score = max(score, score + 10.0 * math.log10(max(other, f.value) / min(other, f.value)))
    if a.outlet != b.outlet:
        score += 0.5
    return score


def most_disagreeing(mentions: Iterable[Mention]) -> tuple[Mention, Mention] | None:
    """The two mentions, from different items, that disagree most; the asserting or lower-figure one first."""
    ms = [m for m in mentions if m.item_id is not None]
    best: tuple[float, Mention, Mention] | None = None
    for x in range(len(ms)):
        for y in range(x + 1, len(ms)):
            a, b = ms[x], ms[y]
            if a.item_id == b.item_id:
                continue
            score = disagreement(a, b)
            if best is None or score > best[0]:
                best = (score, a, b)
    if best is None:
        return None
    _, a, b = best
    order = {"asserts": 0, "reports": 1, "denies": 2}
    if (order.get(a.stance, 1), _low(a)) > (order.get(b.stance, 1), _low(b)):
        a, b = b, a
    return a, b


def _low(m: Mention) -> int:
    return min((f.value for f in m.numbers if f.value), default=0)
