"""The vocabulary every layer shares: items, places, mentions, claims.

These are produced here (claims/ is the lowest layer) and imported by fetchers/, db/, tui/ and
wiredesk/; nobody re-declares them as dicts. All are frozen dataclasses of plain values.
"""

from __future__ import annotations

from dataclasses import MISSING, dataclass, field, fields
from typing import TypeVar

STANCES = ("asserts", "denies", "reports")
EVENTS = ("control", "attack", "casualties", "displacement", "movement", "other")
STATUSES = ("unverified", "verified", "disputed")

# Place precision, as conflict-event coders use it: 1 = the town itself, 2 = near/around a town
# (outskirts, countryside, "near X"), 3 = province/region only, 4 = country only.
PRECISION_EXACT, PRECISION_NEAR, PRECISION_PROVINCE, PRECISION_COUNTRY = 1, 2, 3, 4


_T = TypeVar("_T", bound=type)
_FACTORY = object()  # a default_factory field's default: "call the factory"


def slot_init(cls: _T) -> _T:
    """Give a frozen slots dataclass an ``__init__`` that stores each field through its slot's
    descriptor, with the same parameters and defaults. The generated one stores through
    ``object.__setattr__(self, "name", value)`` per field (how dataclasses get past ``frozen``),
    ~2× the cost; extraction builds a Mention per claim sentence and the store one per mention it
    reads, so that was ~5% of extraction. Apply above ``@dataclass``."""
    params, body = [], []
    env: dict[str, object] = {"_FACTORY": _FACTORY}
    for f in fields(cls):
        if not f.init:
            raise TypeError(f"slot_init: {cls.__name__}.{f.name} is init=False")
        env[f"_set_{f.name}"] = cls.__dict__[f.name].__set__
        if f.default is not MISSING:
            env[f"_default_{f.name}"] = f.default
            params.append(f"{f.name}=_default_{f.name}")
        elif f.default_factory is not MISSING:
            env[f"_factory_{f.name}"] = f.default_factory
            params.append(f"{f.name}=_FACTORY")
            body.append(f"if {f.name} is _FACTORY: {f.name} = _factory_{f.name}()")
        else:
            params.append(f.name)
        body.append(f"_set_{f.name}(self, {f.name})")
    source = f"def __init__(self, {', '.join(params)}):\n" + "".join(f"    {line}\n" for line in body or ["pass"])
    exec(source, env)  # noqa: S102 - built from the class's own field names, as dataclasses does
    init = env["__init__"]
    init.__qualname__ = f"{cls.__qualname__}.__init__"  # type: ignore[attr-defined]
    init.__module__ = cls.__module__  # type: ignore[attr-defined]
    cls.__init__ = init  # type: ignore[misc]
    return cls


def _by_constructor(self: object) -> tuple:
    """Pickle as a constructor call with the field values (``__reduce__``). Loading that is about
    twice as fast as the frozen-slots dataclass default (a ``__setstate__`` that walks ``fields()``),
    and the one writer of an import loads every worker's items and mentions."""
    return type(self), tuple(getattr(self, name) for name in self.__slots__)  # type: ignore[attr-defined]


@slot_init
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


@slot_init
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


@slot_init
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
    # Who was counted, when the copy says and it tells counts apart: "civilians", "children", "women",
    # "soldiers", "police", "fighters"; None for people in general ("300 people", "300 killed").
    who: str | None = None

    __reduce__ = _by_constructor

    @property
    def counted(self) -> str:
        """"civilians wounded", or "wounded": what is counted, as a label and a key for comparing."""
        return f"{self.who} {self.what}" if self.who else self.what


_LOCATOR_ENDS = frozenset({"of", "to", "towards", "between", "from", "linking", "near", "around", "outside", "beyond",
                           "along", "past"})


@slot_init
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
    def near(self) -> str | None:
        """Where the sentence puts its claim when that is not the place itself: "road to Suran", "near
        Kessa", "outskirts of Saraqib", "northern Hama countryside", "northern districts of Valdora"; None
        when the sentence is about the place (or its province or country, which are places of their own).
        A card shows it, so that "Control of Suran" tells the town from the road to it."""
        if self.precision != PRECISION_NEAR:
            return None
        name, q = self.place.name, (self.qualifier or "near").strip()
        words = q.split()
        if words[0] == "km":  # "25 km west of": the distance is not kept
            words = words[1:] or ["near"]
            q = " ".join(words)
        if words[-1] in ("between", "linking"):  # "road between Tell Qasra and Suran": the other town is not kept
            return f"{words[0]} linking {name}"
        if words[-1] in _LOCATOR_ENDS:  # "near", "road to", "north of", "km west of", "highway between"
            return f"{q} {name}"
        if words[-1] in ("countryside", "district", "province", "region"):  # "northern countryside"
            return " ".join([*words[:-1], name, words[-1]])
        if len(words) == 1:  # "northern"
            return f"{q} {name}"
        return f"{q} of {name}"  # "northern districts", "eastern outskirts"

    @property
    def claim_key(self) -> str:
        return claim_key(self.place.key, self.event)


def claim_key(place_key: str, event: str) -> str:
    """A claim's stable identity: one place, one kind of event. Verdicts hang on this key, so it
    must not depend on anything re-extraction could change but the place and the event."""
    return f"{place_key}|{event}"


@slot_init
@dataclass(frozen=True, slots=True)
class FigureRange:
    """Figures for one count across a claim's mentions: low / best / high and how best was chosen."""

    what: str
    low: int
    best: int
    high: int
    rule: str  # e.g. "median of 3 reports", "only report", "most conservative independent figure"
    values: tuple[int, ...] = ()
    who: str | None = None  # the figures' ``Figure.who``: 27 civilians wounded and 200 wounded are two counts

    @property
    def counted(self) -> str:
        return f"{self.who} {self.what}" if self.who else self.what


@slot_init
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
