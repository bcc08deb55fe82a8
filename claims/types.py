"""The vocabulary every layer shares: items, places, mentions, claims.

These are produced here (claims/ is the lowest layer) and imported by fetchers/, db/, tui/ and
wiredesk/; nobody re-declares them as dicts. All are frozen dataclasses of plain values.
"""

from __future__ import annotations

from dataclasses import dataclass, field

STANCES = ("asserts", "denies", "reports")
EVENTS = ("control", "attack", "casualties", "displacement", "movement", "other")
STATUSES = ("unverified", "verified", "disputed")

# Place precision, as conflict-event coders use it: 1 = the town itself, 2 = near/around a town
# (outskirts, countryside, "near X"), 3 = province/region only, 4 = country only.
PRECISION_EXACT, PRECISION_NEAR, PRECISION_PROVINCE, PRECISION_COUNTRY = 1, 2, 3, 4


def _by_constructor(self: object) -> tuple:
    """Pickle as a constructor call with the field values (``__reduce__``). Loading that is about
    twice as fast as the frozen-slots dataclass default (a ``__setstate__`` that walks ``fields()``),
    and the one writer of an import loads every worker's items and mentions."""
    return type(self), tuple(getattr(self, name) for name in self.__slots__)  # type: ignore[attr-defined]


@dataclass(frozen=True, slots=True)
class Item:
    """One wire report, normalised: plain text only, published as UTC ISO-8601 or None."""

    guid: str
    title: str
    text: str
    link: str | None = None
    published: str | None = None
    published_raw: str | None = None
    author: str | None = None
    outlet: str | None = None

    __reduce__ = _by_constructor


@dataclass(frozen=True, slots=True)
class Place:
    """A resolved location. ``key`` is stable across runs and re-extraction.

    key forms: ``gn:<geonameid>`` (gazetteer town), ``gn:<geonameid>:province`` (the province named
    after that town), ``country:<ISO2>``, ``alias:<normalised name>``, ``pattern:<normalised name>``.
    """

    key: str
    name: str
    kind: str  # city | town | village | province | country | airbase | area
    country: str | None = None  # country name, e.g. "Syria"
    country_code: str | None = None  # ISO 3166-1 alpha-2
    admin1: str | None = None  # province / governorate name or code when the name is unknown
    lat: float | None = None
    lon: float | None = None
    source: str = "geonames"  # geonames | alias | pattern
    parent_key: str | None = None

    __reduce__ = _by_constructor


@dataclass(frozen=True, slots=True)
class Figure:
    """A number with what it counts. ``value`` is None for vague amounts ("dozens"), which keep
    a plausible ``low``/``high`` range instead."""

    value: int | None
    what: str  # killed | wounded | displaced | fighters | detained | missing | ...
    qualifier: str | None = None  # "at least" | "around" | "up to" | "more than" | None
    low: int | None = None
    high: int | None = None
    raw: str = ""

    __reduce__ = _by_constructor


@dataclass(frozen=True, slots=True)
class Mention:
    """One sentence of one item that says something about one place.

    The extractor fills the first block; db/ fills ``id``, ``item_id``, ``outlet`` and ``published``
    when it reads a stored mention back.
    """

    place: Place
    sentence: str
    sentence_index: int
    stance: str
    event: str
    numbers: tuple[Figure, ...] = ()
    attributed_to: str | None = None
    precision: int = PRECISION_EXACT
    qualifier: str | None = None  # "northern", "outskirts", "countryside", "near", ...
    id: int | None = None
    item_id: int | None = None
    outlet: str | None = None
    published: str | None = None

    __reduce__ = _by_constructor

    @property
    def claim_key(self) -> str:
        return claim_key(self.place.key, self.event)


def claim_key(place_key: str, event: str) -> str:
    """A claim's stable identity: one place, one kind of event. Verdicts hang on this key, so it
    must not depend on anything re-extraction could change but the place and the event."""
    return f"{place_key}|{event}"


@dataclass(frozen=True, slots=True)
class FigureRange:
    """Figures for one count across a claim's mentions: low / best / high and how best was chosen."""

    what: str
    low: int
    best: int
    high: int
    rule: str  # e.g. "median of 3 reports", "only report", "most conservative independent figure"
    values: tuple[int, ...] = ()


@dataclass(frozen=True, slots=True)
class Assessment:
    """What a claim's mentions say together; computed by ``claims.assess`` from stored mentions."""

    summary: str
    contested: bool
    contest_reasons: tuple[str, ...] = ()
    stance_counts: dict[str, int] = field(default_factory=dict)
    outlets: int = 0
    originators: int = 0
    figures: tuple[FigureRange, ...] = ()
