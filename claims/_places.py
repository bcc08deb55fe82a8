"""Finding places in a sentence: gazetteer names in capitalised spans, aliases, and cue patterns
for places no gazetteer has, with qualifiers ("northern", "outskirts of") and a precision code."""

from __future__ import annotations

import re
from dataclasses import replace
from collections.abc import Iterable, Iterator
from typing import Any

from ._gazetteer import DEMONYMS, Candidate, Gazetteer
from ._text import last_word_rules_out, marks, normalise_name, translated
from .types import (
    PRECISION_COUNTRY,
    PRECISION_EXACT,
    PRECISION_NEAR,
    PRECISION_PROVINCE,
    Place,
)

_CONNECTOR = r"(?:al|el|ad|ag|an|ar|as|ash|at|az|ez|ed|es|ul|de|del|di|da|du|la|le|les|bin|ibn|abu)"
# Standalone (space-separated) connectors: only those that are never English words.
_SPACED = r"(?:al|el|ez|ash|az|del|bin|ibn|abu)"
_TOKEN = rf"(?:{_CONNECTOR}[-‐‑])?[A-Z][\w'’‘ʿʾ`]*(?:[-‐‑][\w'’‘ʿʾ`]+)*"
_RUN = re.compile(rf"{_TOKEN}(?:\s+(?:{_SPACED}\s+)?{_TOKEN})*")
# The same runs found 6× faster: start at a capital (a leading "al-" is added back by ``runs_of``), as
# an optional prefix tried at every character is what makes ``_RUN`` slow.
_RUN_AT_CAPITAL = re.compile(rf"[A-Z][\w'’‘ʿʾ`]*(?:[-‐‑][\w'’‘ʿʾ`]+)*(?:\s+(?:{_SPACED}\s+)?{_TOKEN})*")
_LEADING_CONNECTOR = re.compile(rf"\b{_CONNECTOR}[-‐‑]$")


# Capitals marked, for ``matches_from`` and ``_name_before``.
_CAPITALS = marks(bytes(range(65, 91)))
# For ``_capital_runs``: in ASCII text, what ``[\w'’‘ʿʾ`]`` matches to "w" and capitals to "A" (also
# word characters), every other byte to a space.
_TOKEN_MARKS = bytes(65 if 65 <= c <= 90 else 119 if (97 <= c <= 122 or 48 <= c <= 57 or c in b"_'`") else 32
                     for c in range(256))
_SPACED_WORDS = frozenset(_SPACED[3:-1].split("|"))


def _capital_runs(text: str) -> list[tuple[int, str]]:
    """(start, run) of each match of ``_RUN_AT_CAPITAL.finditer(text)``. In ASCII text a run of one
    word (most runs: "Rebels", "Kessa,") ends where the marks say: at a character that is not a word
    character, unless that is a hyphen or whitespace the run may go on after (a capital, a connector);
    only those runs are matched by the pattern (a regex call per run, with its Match, was ~4,000
    instructions, 8% of extraction)."""
    if not text.isascii():
        return [(m.start(), m.group()) for m in _RUN_AT_CAPITAL.finditer(text)]
    marked = translated(text, _TOKEN_MARKS)
    size = len(text)
    runs = []
    at = marked.find("A")
    while at >= 0:
        end = marked.find(" ", at)
        if end < 0:
            end = size
        elif not _one_word_run_ends(text, marked, end):
            match = _RUN_AT_CAPITAL.match(text, at)
            assert match is not None  # the pattern matches at every capital
            end = match.end()
        runs.append((at, text[at:end]))
        at = marked.find("A", end)
    return runs


def _one_word_run_ends(text: str, marked: str, end: int) -> bool:
    """Does a run whose first word ends at ``end`` (ASCII ``text``, ``marked`` by ``_TOKEN_MARKS``)
    end there? Only a hyphen (``[-‐‑][\\w…]+``) or whitespace followed by a capital, a spaced connector
    ("ez Zor") or a connector and a hyphen ("al-Bab") can take it on; other whitespace than one
    space is left to the pattern."""
    after = text[end]
    if after != " ":
        return after != "-" and not after.isspace()
    nxt = end + 1
    if nxt == len(text):
        return True
    mark = marked[nxt]
    if mark == "A":
        return False
    if mark == " ":
        return not text[nxt].isspace()
    stop = marked.find(" ", nxt)
    if stop < 0:
        stop = len(text)
    word = text[nxt:stop]
    if word in _SPACED_WORDS:
        return False
    # An index, not ``startswith("-", stop)``: compiled, a method call with arguments (~950 instructions).
    return word not in _CONNECTORS or stop == len(text) or text[stop] != "-"


def runs_of(text: str) -> list[tuple[int, str]]:
    """(start, run) of each capitalised run ("Ma'arrat al-Nu'man", "al-Bab"), left to right."""
    runs = _capital_runs(text)
    if "-" not in text and "‐" not in text and "‑" not in text:  # no "al-" prefix possible
        return runs
    return [_with_prefix(text, start, run) for start, run in runs]


def _with_prefix(text: str, start: int, run: str) -> tuple[int, str]:
    """A run with the connector joined to it by a hyphen ("al-" of "al-Bab") when there is one."""
    if start >= 3 and text[start - 1] in "-‐‑":
        prefix = _LEADING_CONNECTOR.search(text, max(0, start - 5), start)
        if prefix:
            return prefix.start(), text[prefix.start() : start + len(run)]
    return start, run


_TOKEN_RE = re.compile(rf"(?:{_SPACED}\s+)?{_TOKEN}")

# Words after a place name that make the whole phrase an organisation, outlet or armed group.
ORG_WORDS = {
    "observatory", "center", "centre", "media", "tribune", "independent", "times", "post", "health", "national",
    "civil", "directorate", "coordination", "monitoring", "joint", "relief", "committee", "council", "agency",
    "news", "university", "hospital", "network", "radio", "tv", "television", "today", "daily", "herald",
    "front", "brigade", "brigades", "battalion", "army", "forces", "force", "guard", "police", "ministry",
    "government", "operations", "group", "movement", "coalition", "liberation", "revolutionary", "federation",
    "association", "foundation", "institute", "company", "bank", "club", "fc", "mosque", "church", "square",
    "street", "road", "highway", "dam", "river", "lake", "plain", "governor", "gate", "museum", "stadium",
    "channel", "wire", "ledger", "meridian", "dispatch", "office", "commission", "authority", "court",
}
# Capitalised words that are never places on their own (sentence starts, titles, months, days).
STOPWORDS = {
    "the", "a", "an", "this", "that", "these", "those", "it", "its", "he", "she", "they", "we", "i", "you", "our",
    "his", "her", "their", "there", "here", "what", "when", "where", "who", "why", "how", "but", "and", "or", "if",
    "at", "in", "on", "of", "to", "for", "by", "with", "from", "as", "after", "before", "during", "while", "since",
    "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday", "january", "february", "march",
    "april", "may", "june", "july", "august", "september", "october", "november", "december", "breaking",
    "update", "updated", "live", "analysis", "explainer", "summary", "exclusive", "watch", "video", "photos",
    "residents", "witnesses", "officials", "rebels", "rebel", "army", "troops", "forces", "fighters", "state",
    "government", "ministry", "defence", "defense", "military", "police", "people", "most", "many", "some",
    "several", "all", "no", "none", "other", "others", "one", "two", "three", "four", "five", "six", "seven",
    "eight", "nine", "ten", "mr", "mrs", "ms", "dr", "gen", "general", "colonel", "president", "minister",
    "governor", "spokesman", "spokeswoman", "commander", "correspondent", "reporter", "editor", "agency",
    "observatory", "monitor", "hospital", "city", "town", "village", "province", "region", "district", "north",
    "south", "east", "west", "northern", "southern", "eastern", "western", "central", "moreover", "meanwhile",
    "however", "also", "earlier", "later", "today", "yesterday", "tonight", "morning", "evening", "night",
    "asked", "speaking", "according", "sources", "source", "media", "reports", "report", "news", "islamic",
    "christian", "muslim", "arab", "union", "nations", "united", "council", "security", "human", "rights",
    "un", "eu", "nato", "red", "cross", "crescent", "committee", "world", "international", "middle", "far",
    "kurds", "kurdish", "regime", "opposition", "factions", "militants", "terrorists", "jihadists", "islamists",
    "victory", "hope", "independence", "liberty", "freedom", "justice", "peace", "dawn", "mercy", "union",
    "paradise", "mobile", "young", "early", "deal", "long", "mount", "buffalo", "ranger", "price", "bond",
    "pay", "hunt", "frank", "sale", "camp", "wells", "bath", "given", "said", "says", "saying",
}
TOWN_WORDS = {
    # English words that are also GeoNames towns (found by looking common news words up in the index);
    # capitalised at a sentence start or in a headline they are still words.
    "tornado", "storm", "flood", "fire", "rain", "snow", "banks", "cars", "planes", "men", "farmers", "voters",
    "major", "justice", "king", "prince", "bishop", "pope", "friend", "war", "march", "law", "rule", "court",
    "trial", "faith", "grace", "joy", "unity", "harmony", "concord", "mercy", "prosperity", "plenty", "utopia",
    "industry", "enterprise", "energy", "friendship", "welcome", "content", "pleasant", "sunrise", "sunset",
    "midway", "center", "centre", "junction", "gap", "springs", "rapids", "ridge", "plains", "meadows", "orchard",
    "garden", "grove", "forest", "lake", "bay", "harbor", "harbour", "port", "beach", "island", "point", "rock",
    "stone", "canyon", "mesa", "plateau", "oasis", "sea", "eureka", "paradise", "providence", "progress",
    "fairview", "salem", "eden", "bethel", "goshen", "sharon", "carmel", "liberty", "independence", "phoenix",
}  # never a place alone ("Port Sudan" and "Rock Island" still are)
# Checked against raw lowercase words and against normalised names (which collapse doubled letters).
for _words in (ORG_WORDS, STOPWORDS, TOWN_WORDS):
    _words.update({normalise_name(w) for w in list(_words)})
_PROVINCE_WORDS = {"province", "governorate", "region", "state", "oblast", "prefecture", "county", "department"}
_FEATURE_NOUNS = {
    "town": "town", "village": "village", "city": "city", "hamlet": "village", "hill": "hill", "hills": "hill",
    "district": "area", "neighbourhood": "area", "neighborhood": "area", "camp": "camp", "area": "area",
    "settlement": "village", "valley": "area", "mountain": "hill", "plain": "area", "border crossing": "crossing",
    "crossing": "crossing", "airbase": "airbase", "air base": "airbase", "airport": "airbase",
}
# "the town of X", "the outskirts of X", "north-east of X", "near X", "outside (of) X": the cue words
# before a place no gazetteer has. A noun needs its "of" ("the district Kessa" is no cue).
_CUE_BEFORE_END = re.compile(
    r"\b(?:the\s+)?(?:(?P<noun>town|village|city|hamlet|hill|hills|district|neighbourhood|neighborhood|camp|"
    r"settlement|valley|mountain|border crossing|area|districts|neighbourhoods|neighborhoods|suburbs|outskirts|"
    r"(?:north|south|east|west)(?:-?(?:east|west))?|edge|gates|countryside)\s+of|(?P<near>near|outside|around)"
    r"(?:\s+of)?)\s+\Z"
)
# The cue patterns are matched backwards from each capitalised run (a cue's name starts a run): the
# words right before the run, then the name from the run's start. Scanning the whole sentence for
# the cue words, as one pattern did, cost ~4x more.
_CUE_BEFORE_LAST: tuple[str, ...] = ("of", "near", "outside", "around")  # the last word of every cue before a name


def _name_of_up_to(tokens: int) -> str:
    """A capitalised name of 1..``tokens`` tokens, spaced connectors between ("Deir ez Zor")."""
    return _TOKEN + r"(?:\s+(?:" + _SPACED + r"\s+)?" + _TOKEN + r"){0,%d}" % (tokens - 1)


_NAME_UP_TO_4 = re.compile(_name_of_up_to(4))
_NAME_UP_TO_3 = re.compile(_name_of_up_to(3))
# Places no gazetteer has, as the object of a verb that takes a place: "entered Kessa", "control of Tal
# Hamra", "withdrew from Umm Sayala". Casualty verbs are left out: their objects are people.
_CUE_VERB_END = re.compile(
    r"\b(?:entered|enter|entering|captured|capture|capturing|seized|seize|seizing|stormed|storm|storming|retook|"
    r"retake|retaken|recaptured|overran|overrun|shelled|shelling|bombed|bombing|besieged|encircled|struck|"
    r"pounded|attacked|raided|"
    r"(?:took|take|taken|taking|seized|in|under|regained|lost|restored|full|complete) control (?:of|over)|"
    r"(?:the )?(?:fall|capture|recapture) of|withdrew from|withdrawn from|withdrawing from|pulled out of|"
    r"retreated from|advanced (?:on|towards|into)|advancing (?:on|towards|into)|(?:moving|heading|marching) "
    r"(?:towards|on)|fled|fleeing|reached)\s+\Z"
)
_CUE_VERB_LAST: tuple[str, ...] = (
    "entered", "enter", "entering", "captured", "capture", "capturing", "seized", "seize", "seizing", "stormed",
    "storm", "storming", "retook", "retake", "retaken", "recaptured", "overran", "overrun", "shelled", "shelling",
    "bombed", "bombing", "besieged", "encircled", "struck", "pounded", "attacked", "raided", "of", "over", "from", "on",
    "towards", "into", "fled", "fleeing", "reached",
)
# Words after a capitalised object that make it a qualifier of people, not a place: "Wagner positions".
_GROUP_AFTER = re.compile(
    r"\s+(?:positions?|targets?|forces|fighters|troops|militants|soldiers|bases?|units?|officials|leaders?|"
    r"supporters|members|commanders?|militias?|rebels|insurgents|strongholds?|lines|territory|gunmen|"
    r"loyalists|army|police)\b"
)
_CUE_AFTER_NOUN = re.compile(
    r"\s(?P<noun>airbase|air base|military airport|airport|countryside|camp|border crossing|crossing|district|"
    r"province|governorate|region|oblast|state|provinces|governorates|regions|oblasts|states)\b"
)
# The name right before a cue noun, searched for in a short window that ends at the noun: scanning
# for nouns first and names second is ~5× faster than one regex that starts at every capital.
_NAME_BEFORE = re.compile(r"(?P<name>" + _name_of_up_to(4) + r")$")
# Its connectors ("al-Bab"), to find where a name can start.
_CONNECTORS = frozenset(_CONNECTOR[3:-1].split("|"))


def _name_before(sentence: str, lo: int, end: int) -> re.Match[str] | None:
    """``_NAME_BEFORE.search(sentence, lo, end)``, tried only where a name can start: at a capital, or
    at a connector joined to one by a hyphen ("al-Bab"). The pattern opens with an optional group, so
    the regex engine tried its 25 connectors at every character of the window (~25,000 instructions
    a search, 2-3% of extraction); in ASCII text the capitals are found with ``str.find`` (the window's
    capitals marked, as in ``matches_from``), in increasing order, connectors before their capital."""
    window = sentence[lo:end]
    if not window.isascii():
        return _NAME_BEFORE.search(sentence, lo, end)
    marked = translated(window, _CAPITALS[0])
    at = marked.find("A")
    while at >= 0:
        capital = lo + at
        if at >= 3 and window[at - 1] == "-":
            for start in (capital - 4, capital - 3):  # a connector of three letters starts first
                if start >= lo and sentence[start : capital - 1] in _CONNECTORS:
                    match = _NAME_BEFORE.match(sentence, start, end)
                    if match is not None:
                        return match
        match = _NAME_BEFORE.match(sentence, capital, end)
        if match is not None:
            return match
        at = marked.find("A", at + 1)
    return None
_DIRECTIONS = r"(?:northern|southern|eastern|western|north-eastern|north-western|south-eastern|south-western|" \
              r"northeastern|northwestern|southeastern|southwestern|central|rural|greater|eastern)"
_QUALIFIER_BEFORE = re.compile(
    r"(?:(?P<dir>" + _DIRECTIONS + r")\s+$)|(?:(?P<near>near|outside|around|outskirts of|edge of|edges of|"
    r"approaches to|gates of|(?:kilometres|kilometers|km|miles)\s+(?:north|south|east|west|from)\s+of|"
    r"(?:north|south|east|west|northeast|northwest|southeast|southwest)\s+of|vicinity of|countryside of|"
    r"south-east of|north-east of|south-west of|north-west of|"
    r"(?:road|highway|route)\s+(?:to|towards|from|linking|between)|"
    r"(?:road|highway|route)\s+(?:from|linking|between)\s+[A-Z][\w'’-]*(?:\s+[A-Z][\w'’-]*){0,3}\s+(?:and|to))"
    r"\s+(?:the\s+)?(?:town\s+of\s+|city\s+of\s+)?$)|"
    r"(?:(?P<inside>(?:northern|southern|eastern|western|central)\s+(?:districts|neighbourhoods|neighborhoods|"
    r"parts|suburbs|areas|outskirts|edge)\s+of\s+(?:the\s+(?:city|town)\s+of\s+)?)$)",
    re.I,
)
# The same on lowercased text, without re.I and tried only at word starts: 8x cheaper (case-insensitive
# alternations tried at every character were most of place finding's regex time).
_QUALIFIER_BEFORE_LOWER = re.compile(r"\b(?:" + _QUALIFIER_BEFORE.pattern.replace("[A-Z]", "[a-z]") + ")")
_SPEECH_AFTER = re.compile(
    r"^\s*(?:has\s+|have\s+|had\s+)?(?:quickly\s+|swiftly\s+|later\s+|also\s+|again\s+|flatly\s+|firmly\s+|"
    r"strongly\s+|repeatedly\s+|publicly\s+)?(?:said|says|denied|denies|claimed|claims|insisted|insists|announced|accused|"
    r"accuses|rejected|dismissed|warned|responded|confirmed|blamed|urged|vowed|threatened|demanded|condemned|"
    r"welcomed|called|calls|sent|ordered|backs|backed|acknowledged|acknowledges|admitted|admits|conceded|concedes|"
    r"stated|maintained|maintains|reiterated|replied|retorted|countered|protested|pledged|promised|refused|"
    r"declined)\b|"
    r"^\s*(?:has|have|had)\s+(?:yet\s+to|not)\s+(?:comment|commented|respond|responded|confirm|confirmed)\b|"
    r"^\s*did\s+not\s+(?:comment|respond|confirm)\b|"
    r"^['’]s\s+(?:[\w-]+\s+)?(?:government|ministry|army|military|claims?|forces|troops|defen[cs]e|foreign|"
    r"leadership|regime|junta|envoy|officials|president|spokes(?:man|woman)|allies|backing|support|"
    r"general staff|staff|armed|parliament|interior|prime|navy|air force|embassy|intelligence|security|"
    r"acknowledge?ments?|admissions?|denials?|statements?|responses?|announcements?|version|account|narrative|"
    r"position|refusal|insistence)\b",
    re.I,
)
# The first words of _SPEECH_AFTER's alternatives that do not open with an apostrophe.
_SPEECH_FIRST = frozenset(re.findall(r"[a-z]+", _SPEECH_AFTER.pattern.split("|^['’]s")[0].replace("\\s", " ")))
_APOSTROPHES = ("'", "’")
# "accused Damascus of arming", "urged Kigali to": a big city as the object of a political verb;
# "the first acknowledgement by Damascus", "drones launched by Moscow": the agent of a passive or of
# an act (not "bordered by Syria", "surrounded by", where it is a place).
_ACTOR_BEFORE = re.compile(
    r"\b(?:accused|accusing|accuses|blamed|blaming|urged|urging|warned|called on|pressed|criticised|criticized|"
    r"condemned|told|asked|(?<!bordered )(?<!surrounded )(?<!flanked )(?<!separated )(?<!passed )(?<!passing )by)"
    r"\s+$",
    re.I,
)


class Found:
    """A place a sentence names, at ``start``–``end``. A plain class, not a frozen dataclass: mypyc
    compiles it to a native class, built without a Python ``__init__`` (a frozen dataclass stays a
    Python class there, and building one per place found was 2.5% of extraction)."""

    def __init__(self, place: Place, start: int, end: int, precision: int, qualifier: str | None) -> None:
        self.place = place
        self.start = start
        self.end = end
        self.precision = precision
        self.qualifier = qualifier


class Context:
    """What an item is about, for disambiguation.

    ``codes`` (strong): countries named in the item, by name, config alias or US state; when none is,
    the demonyms ("Syrian") stand in. Otherwise demonyms are ``actors``, a weaker hint: wire copy on a
    war names the other side's forces ("Russian troops") more often than the country it happens in. ``votes`` (weak): for each other capitalised name with gazetteer candidates, one vote for
    each country it could be in — names of one region corroborate each other ("Morek ... Hama").
    """

    def __init__(self, gazetteer: Gazetteer, runs: Iterable[str]) -> None:
        """``runs``: the item's capitalised runs (``runs_of`` each sentence, as ``find_places`` sees it)."""
        self.codes: dict[str, int] = {}
        self.actors: dict[str, int] = {}  # demonyms: "Russian forces" says who acts, not where
        self.votes: dict[str, int] = {}
        self._own: dict[str, frozenset[str]] = {}
        self.lookups: dict[tuple, Place | None] = {}  # per item: (norm, surface, start, state) → place
        memo: dict[str, tuple[tuple[str, str, Any], ...]] = gazetteer.memo.setdefault("context_runs", {})
        for run in runs:
            facts = memo.get(run)
            if facts is None:
                if len(memo) > 100_000:
                    memo.clear()
                facts = memo[run] = _run_facts(gazetteer, run)
            for norm, what, value in facts:
                # ``what`` typed str: compiled, the comparisons below are str comparisons.
                if what == "code":
                    self.codes[value] = self.codes.get(value, 0) + 1
                elif what == "actor":
                    self.actors[value] = self.actors.get(value, 0) + 1
                elif what == "cands" and norm not in self._own:
                    self._own[norm] = value
                    for code in value:
                        self.votes[code] = self.votes.get(code, 0) + 1
        if not self.codes:
            self.codes, self.actors = self.actors, {}  # no country named: the demonyms stand in
        # A named country's neighbours are the region the item is about ("Lebanon ... Maarat al-Numan").
        self.region = {n for code in self.codes for n in gazetteer.neighbours(code)}

    def choose(self, cands: list[Candidate], norm: str = "", *, sentence_start: bool = False,
               strict: bool = False) -> Candidate | None:
        """A candidate in a country the item names (most mentioned, then most populous); else one
        in an actor's country; else one in a neighbouring country of a named one (a real town: ≥ 20k
        or a name of several words); else one in a country other names of the item could also be in
        (when the item names a country, only a real town and not at a sentence's start: "Russian
        warplanes struck Maarat al-Numan" beside Latakia); else a big city (≥ 100k), or a name
        unique in the gazetteer of a real town (≥ 20k when the item names a country, ≥ 1k or several
        words otherwise). ``strict``: only the named countries, when the item names any (provinces:
        "Shan state" is no Chinese town's province)."""
        in_context = [c for c in cands if c[2] in self.codes]
        if in_context:
            # A town of that name beats a bigger one for which it is only an alternate name
            # ("Pokrovsk" is also an old name of Engels, Russia).
            return max(in_context, key=lambda c: (self.codes[c[2]], normalise_name(c[1]) == norm, c[6]))
        by_actor = [c for c in cands if c[2] in self.actors]
        if by_actor:
            return by_actor[0]  # most populous
        if strict and self.codes:
            return None
        if self.codes:
            several_words = " " in norm
            near = [c for c in cands if c[2] in self.region and (several_words or c[6] >= 20_000)]
            if near:
                return near[0]
        own = self._own.get(norm, frozenset())
        support = {c[2]: self.votes.get(c[2], 0) - (c[2] in own) for c in cands}
        supported = [c for c in cands if support[c[2]] > 0 and (
            not self.codes or (not sentence_start and (" " in norm or c[6] >= 20_000)))]
        if supported:
            return max(supported, key=lambda c: (support[c[2]], c[6]))
        best = cands[0]
        if best[6] >= (1_000_000 if sentence_start else 100_000):
            return best
        if len({c[2] for c in cands}) == 1 and not sentence_start:
            # A name only one country has: a real town (GeoNames leaves many at population 0, so a
            # name of several words, which English prose does not produce by accident, passes too).
            if best[6] >= (20_000 if self.codes else 1_000) or (" " in norm and not self.codes):
                return best
        return None


# US state names that set a US context (not two-letter codes: "In", "Me", "Or" start sentences).
_US_STATE_CONTEXT = {
    "alabama", "alaska", "arizona", "arkansas", "california", "colorado", "connecticut", "delaware", "florida",
    "hawaii", "idaho", "illinois", "indiana", "iowa", "kansas", "kentucky", "louisiana", "maine", "maryland",
    "massachusetts", "michigan", "minnesota", "mississippi", "missouri", "montana", "nebraska", "nevada",
    "new hampshire", "new jersey", "new mexico", "new york", "north carolina", "north dakota", "ohio", "oklahoma",
    "oregon", "pennsylvania", "rhode island", "south carolina", "south dakota", "tennessee", "texas", "utah",
    "vermont", "virginia", "washington", "west virginia", "wisconsin", "wyoming",
}
_US_STATE_CONTEXT.update({normalise_name(w) for w in list(_US_STATE_CONTEXT)})
_STATE_AFTER = re.compile(r",\s+((?:New |North |South |West |Rhode )?[A-Z][a-z]+|[A-Z]{2}\b|[A-Z][a-z]{1,4}\.)")


def _run_facts(gazetteer: Gazetteer, run: str) -> tuple[tuple[str, str, Any], ...]:
    """(norm, what, value) of each n-gram of a capitalised run (longest first, up to three words)
    that says something about the item's countries (``_classify``), leaving out the n-grams inside a
    longer one that does: a word of a longer name is not a name ("Abu" of "Abu Kamal" is no vote for
    India's Abu, "Sudan" of "South Sudan" no mention of Sudan), as ``_match_run`` takes the longest
    name. Memoised per gazetteer by run (``Context``)."""
    tokens = [t[:-2] if t.endswith(_POSSESSIVE) else t for t in _TOKEN_RE.findall(run)]  # "Ukraine's"
    memo: dict[str, tuple[str, Any]] = gazetteer.memo.setdefault("context", {})
    facts = []
    covered = [False] * len(tokens)
    for size in range(min(len(tokens), 3), 0, -1):
        for i in range(len(tokens) - size + 1):
            norm = normalise_name(" ".join(tokens[i : i + size]))
            kind = memo.get(norm)
            if kind is None:
                kind = memo[norm] = _classify(gazetteer, norm)
            if kind[0] == "none" or any(covered[i : i + size]):
                continue
            for j in range(i, i + size):
                covered[j] = True
            facts.append((norm, kind[0], kind[1]))
    return tuple(facts)


def _classify(gazetteer: Gazetteer, norm: str) -> tuple[str, Any]:
    """What a name says about an item's countries: ("code", ISO) for a country, US state or config
    alias; ("actor", ISO) for a demonym; ("cands", countries) for a gazetteer name; ("none", None)."""
    country = gazetteer.country_by_name.get(norm)
    if country is not None:
        return "code", country.code
    if norm in _US_STATE_CONTEXT and gazetteer.us_state(norm):
        return "code", "US"
    if DEMONYMS.get(norm):
        return "actor", DEMONYMS[norm]
    if norm in DEMONYMS or norm in STOPWORDS:
        return "none", None
    alias = gazetteer.aliases.get(norm)
    if alias is not None:
        return ("code", alias.country_code) if alias.country_code else ("none", None)
    cands = gazetteer.candidates(norm)
    return ("cands", frozenset(c[2] for c in cands)) if cands else ("none", None)


_DATELINE = re.compile(r"^[A-Z][\w'’\-]*(?:[ ,]+[A-Za-z][\w'’\-]*){0,5}\s*(?:\([^)]{0,60}\))?\s*[—–-]+\s+")
_SEAT_OF_SPEAKER = re.compile(
    r"\b(?P<who>ministry|government|authorities|officials?|agency|embassy|spokes(?:man|woman)|sources?|statement|"
    r"leadership|headquarters|correspondent|reporters?|desk|bureau|junta|regime|leaders?|diplomats?|talks|"
    r"negotiators|envoys?|summit)\s+(?:in|from)\s+$",
    re.I,
)


# The words _SEAT_OF_SPEAKER's "who" matches.
_SEAT_WORDS = {
    "ministry", "government", "authorities", "official", "officials", "agency", "embassy", "spokesman", "spokeswoman",
    "source", "sources", "statement", "leadership", "headquarters", "correspondent", "reporter", "reporters", "desk",
    "bureau", "junta", "regime", "leader", "leaders", "diplomat", "diplomats", "talks", "negotiators", "envoy",
    "envoys", "summit",
}


def _seat_before(window: str) -> str | None:
    """``_SEAT_OF_SPEAKER.search(window).group("who")`` (None: no match). The match is the last two
    words ("ministry in "), so the search starts where the second-to-last whitespace-separated word
    does: tried at every character of the 40-character window, the case-insensitive alternation cost
    ~4 µs a name. When those two words are ASCII and the first is letters and digits only, the match
    is a set lookup: the "who" word is then the whole word (~3,000 instructions a search)."""
    head = window.rsplit(None, 2)
    if len(head) == 3 and head[1].isascii() and head[1].isalnum() and head[2].isascii():
        if head[1].lower() in _SEAT_WORDS and head[2].lower() in ("in", "from") and window[-1].isspace():
            return head[1]
        return None
    match = _SEAT_OF_SPEAKER.search(window, len(head[0]) if len(head) == 3 else 0)
    return match.group("who") if match else None


def dateline_end(sentence: str) -> int:
    """Where a dateline ("BEIRUT (Levant Wire) —", "Damascus, NNA –") at the start of a sentence ends
    (0: none). Where the story was filed is not where it happened."""
    head = sentence[:80]
    if "— " not in head and "– " not in head and "- " not in head:
        return 0
    match = _DATELINE.match(sentence)
    if not match or len(match.group(0)) > 70:
        return 0
    return match.end()


def find_places(sentence: str, gazetteer: Gazetteer, context: Context, *, words: frozenset[str],
                title_case: bool = False, runs: list[tuple[int, str]] | None = None, body: int = 0) -> list[Found]:
    """Places named in a sentence, left to right, without overlaps; organisations excluded.
    ``runs``: ``runs_of(sentence)`` when the caller has it (the item's context was built from them);
    ``words``: its lowercase words (``_extract.words_of``), which gate the cue nouns; ``body``: where
    its words start, after a dateline ``extract`` blanked out ("Idlib, NNA – Air defences…" starts at
    "Air": a capital there says nothing of a name, as at the start of a sentence)."""
    found: list[Found] = []
    taken: list[tuple[int, int]] = []
    if "Islamic State" in sentence or "Wilayat" in sentence:
        taken.extend(m.span() for m in _ARMED_GROUP.finditer(sentence))
    for cue in _CUE_AFTER_NOUN.finditer(sentence) if not words.isdisjoint(_CUE_NOUN_WORDS) else ():
        # A name is at most seven words ("Ma'arrat al Nu'man Abu ..."): search only the last eight
        # of the window (tried at every character of 90 it was the cue's main cost).
        lo = max(0, cue.start() - 90)
        head = sentence[lo : cue.start()].rsplit(None, 8)
        if len(head) == 9:
            lo += len(head[0])
        match = _name_before(sentence, lo, cue.start())
        after_name = None  # "Hama northern countryside" (the state agency's word order): the direction
        if match is None:
            if cue.group("noun") != "countryside":
                continue
            direction = _DIRECTION_AT_END.search(sentence, max(lo, cue.start() - 14), cue.start())
            if direction is None or direction.start() == lo or not sentence[direction.start() - 1].isspace():
                continue
            match = _name_before(sentence, lo, direction.start() - 1)
            if match is None:
                continue
            after_name = direction.group(0).strip().lower()
        a, b = match.span("name")
        name, noun = match.group("name"), cue.group("noun").lower()
        if noun.endswith("s") and noun[:-1] in _PROVINCE_WORDS:
            # "in Idlib and Hama provinces", "Aleppo, Idlib and Hama governorates": each name is a
            # province the gazetteer knows (a plural never makes a pattern province: "Gulf states").
            _coordinated_provinces(sentence, a, cue.end("noun"), name, noun[:-1], gazetteer, context, found, taken)
            continue
        whole, whole_start = name, a
        name, a = _without_possessive_country(name, a, gazetteer)
        name, a = _trim_leading_stopwords(name, a)
        if noun in _PROVINCE_WORDS and name:
            # "North Kivu province", "South Kordofan state": a capitalised compass word is part of the name.
            compass = _COMPASS_IN_NAME.search(whole, 0, a - whole_start)
            if compass:
                name, a = whole[compass.start() :], whole_start + compass.start()
        if not name or not _free(taken, a, b):
            continue
        if noun in _PROVINCE_WORDS:
            place = _province(name, gazetteer, context, noun) or _unknown_province(
                name, noun, sentence, cue.end("noun"), gazetteer, context)
            if place:
                _add(found, taken, place, a, cue.end("noun"), PRECISION_PROVINCE, None)
            else:
                taken.append((a, cue.end("noun")))  # "Syrian state media" is no place
            continue
        if noun == "countryside":
            place = _resolve(name, sentence, a, b, gazetteer, context, kind="town")
            if place:
                qualifier = after_name or _direction_before(sentence, a)
                _add(found, taken, place, a, cue.end("noun"), PRECISION_NEAR,
                     f"{qualifier} countryside" if qualifier else "countryside")
            continue
        kind = "airbase" if "air" in noun else _FEATURE_NOUNS.get(noun, "area")
        place = _feature(name, noun, kind, gazetteer, context)
        if place:
            # A district named after a town is the area around it (ACLED's "near"), not the town.
            precision = PRECISION_NEAR if noun == "district" else PRECISION_EXACT
            _add(found, taken, place, a, cue.end("noun"), precision, "district" if noun == "district" else None)
    # Gazetteer names first; the cue patterns below only matter when a capitalised run inside the
    # sentence is left unresolved (cue objects never open a sentence), so most sentences skip them.
    unresolved = False
    known = gazetteer.memo.setdefault("runs", {})
    sentence_runs = runs if runs is not None else runs_of(sentence)
    for start, run in sentence_runs:
        facts = known.get(run)
        if facts is None:
            if len(known) > 200_000:
                known.clear()
            facts = known[run] = (_may_name_place(run, gazetteer), _all_known_words(run))
        if facts[0]:
            count = len(found)
            _match_run(sentence, start, run, gazetteer, context, found, taken, body, title_case)
            if len(found) > count:
                continue
        if not unresolved and start > 1 and not facts[1]:
            unresolved = True
    if not unresolved:
        found.sort(key=lambda f: f.start)
        return _pattern_countries(found)
    for noun, a, b, name in _cues(sentence, sentence_runs, _CUE_BEFORE_LAST, _CUE_BEFORE_END, _NAME_UP_TO_4):
        name, a = _trim_leading_stopwords(name, a)
        if not name or not _free(taken, a, b) or _org_follows(sentence, b):
            continue
        kind = _FEATURE_NOUNS.get(noun.lower(), "town")
        place = _resolve(name, sentence, a, b, gazetteer, context, kind=kind)
        if place and not _is_speaker(sentence, a, b, gazetteer, normalise_name(name)):
            precision, qualifier = _qualify(sentence, a, place)
            _add(found, taken, place, a, b, precision, qualifier)
    for _, a, b, name in _cues(sentence, sentence_runs, _CUE_VERB_LAST, _CUE_VERB_END, _NAME_UP_TO_3):
        name, a = _trim_leading_stopwords(name, a)
        norm = normalise_name(name)
        if any(w in ORG_WORDS for w in norm.split()):
            continue  # "fled Arakan Army positions"
        if (not name or not _free(taken, a, b) or norm in DEMONYMS or gazetteer.country_by_name.get(norm)
                or _org_follows(sentence, b) or _GROUP_AFTER.match(sentence, b) or (len(name) > 1 and name.isupper())):
            continue
        place = _resolve(name, sentence, a, b, gazetteer, context, kind="town")
        if place and not _is_speaker(sentence, a, b, gazetteer, norm):
            precision, qualifier = _qualify(sentence, a, place)
            _add(found, taken, place, a, b, precision, qualifier)
    found.sort(key=lambda f: f.start)
    return _pattern_countries(found)


# The first word of every noun of _CUE_AFTER_NOUN, which follows whitespace there: among a sentence's
# words whenever the pattern can match (a set test where the ten substring scans were 2% of extraction).
_CUE_NOUN_WORDS = frozenset({"airbase", "air", "military", "airport", "countryside", "camp", "border", "crossing",
                             "district", "province", "governorate", "region", "oblast", "state",
                             *(f"{noun}s" for noun in ("province", "governorate", "region", "oblast", "state"))})


def _cues(sentence: str, runs: list[tuple[int, str]], last_words: tuple[str, ...], cue: re.Pattern,
          name: re.Pattern) -> Iterator[tuple[str, int, int, str]]:
    """(cue word, name start, name end, name) for each run right after a ``cue`` (a pattern ending in
    ``\\s+\\Z``, matched against the words before the run), left to right."""
    for start, _ in runs:
        end = start
        while end > 0 and sentence[end - 1].isspace():
            end -= 1
        if end == start or not sentence.endswith(last_words, 0, end):
            continue
        # A cue is at most four words ("the border crossing of"): search from the fifth-last word.
        head = sentence[:start].rsplit(None, 5)
        found = cue.search(sentence, len(head[0]) if len(head) == 6 else 0, start)
        if found is None:
            continue
        named = name.match(sentence, start)
        if named is not None:
            groups = found.groupdict()
            yield groups.get("noun") or groups.get("near") or "", start, named.end(), named.group()


# Armed groups named like places: "Islamic State West Africa Province", "Islamic State's Sinai
# Province", "Islamic State in Iraq and the Levant", "Islamic State in the Greater Sahara", "Wilayat Sinai".
_ARMED_GROUP = re.compile(
    r"\bIslamic State(?:['’]s)?(?:\s+(?:in\s+(?:Iraq\s+and\s+(?:Syria|the\s+Levant|al-Sham)|the\s+Levant|"
    r"the\s+Greater\s+Sahara)|(?:[A-Z][\w'’-]*\s+){1,3}Province\b))?|\bWilayat\s+[A-Z][\w'’-]*(?:\s+[A-Z][\w'’-]*)?"
)


def _pattern_countries(found: list[Found]) -> list[Found]:
    """A place no gazetteer has is in the country of the known places of its sentence when they
    agree ("the village of Novoolenivka near Pokrovsk" is Ukrainian in a story that names Russia more
    often), not only the item's most named country."""
    if len(found) < 2 or all(f.place.source != "pattern" for f in found):
        return found
    codes = {f.place.country_code for f in found if f.place.source != "pattern"}
    if len(codes) != 1 or None in codes:
        return found
    code = codes.pop()
    country = next(f.place.country for f in found if f.place.source != "pattern")
    return [f if f.place.source != "pattern" or f.place.country_code == code or
            (f.place.kind == "province" and f.place.country_code) else
            Found(replace(f.place, country=country, country_code=code, parent_key=f"country:{code}"), f.start, f.end,
                  f.precision, f.qualifier) for f in found]


def _may_name_place(run: str, gazetteer: Gazetteer) -> bool:
    """Can ``_match_run`` find anything in this run: is any of its n-grams (as ``_match_run`` cuts
    them) an alias, a country or a gazetteer name? Most runs ("Rebel", "Witnesses", "Gen. Hassan")
    are none, and skipping them is what keeps place finding cheap; memoised per gazetteer."""
    if " " not in run:  # one word: ``_match_run`` takes it whole
        tokens = [(0, len(run))]
    else:
        tokens = [(m.start(), m.end()) for m in _TOKEN_RE.finditer(run)]
    for i in range(len(tokens)):
        for size in range(min(len(tokens) - i, 5), 0, -1):
            a, b = tokens[i][0], tokens[i + size - 1][1]
            if run[b - 2 : b] in _POSSESSIVE:
                b -= 2
            norm = normalise_name(run[a:b])
            if (gazetteer.aliases.get(norm) is not None or gazetteer.country_by_name.get(norm) is not None
                    or gazetteer.candidates(norm)):
                return True
    return False


def _all_known_words(run: str) -> bool:
    """Is a capitalised run only words that are never places ("The", "Syrian", "Observatory")?"""
    return all(w in STOPWORDS or w in DEMONYMS or w in ORG_WORDS for w in (t.lower() for t in run.split()))


def _org_follows(sentence: str, end: int) -> bool:
    nxt = re.match(r"\s+([A-Z][\w'’]*)", sentence[end:])
    return nxt is not None and normalise_name(nxt.group(1)) in ORG_WORDS


def _trim_leading_stopwords(name: str, start: int) -> tuple[str, int]:
    tokens = name.split()
    while tokens and normalise_name(tokens[0]) in STOPWORDS:
        start += len(tokens[0]) + 1
        tokens = tokens[1:]
        # keep offsets honest over single spaces (the run regex collapses nothing)
    return " ".join(tokens), start


# The name before "and" or a comma in a list of names ahead of a plural cue noun: "Idlib and " of
# "Idlib and Hama provinces", "Aleppo, " of "Aleppo, Idlib and Hama provinces".
_LISTED_BEFORE = re.compile(r"(?:^|(?<=[\s(]))(?P<name>[A-Z][\w'’\-]*(?: [A-Z][\w'’\-]*){0,3})(?:,? and|,|\s&)\s+$")


def _coordinated_provinces(sentence: str, a: int, end: int, name: str, noun: str, gazetteer: Gazetteer,
                           context: Context, found: list[Found], taken: list[tuple[int, int]]) -> None:
    """The provinces of a plural cue noun: ``name`` (at ``a``) and the names listed before it."""
    names = [(a, name)]
    start = a
    while True:
        listed = _LISTED_BEFORE.search(sentence, max(0, start - 60), start)
        if listed is None:
            break
        start = listed.start("name")
        names.append((start, listed.group("name")))
    for at, listed_name in names:
        if not _free(taken, at, at + len(listed_name)):
            continue
        place = _province(listed_name, gazetteer, context, noun)
        if place is None:
            break  # the list is over ("Rebels and Hama provinces" is no list of provinces)
        # The last name's span runs to the noun, the others' are their own.
        _add(found, taken, place, at, end if at == a else at + len(listed_name), PRECISION_PROVINCE, None)


def _free(taken: list[tuple[int, int]], a: int, b: int) -> bool:
    """Does ``a``..``b`` overlap no span ``taken`` yet? (Plain functions, not closures of
    ``find_places``: compiled, a closure call goes through the generic call protocol.)"""
    return all(b <= s or a >= e for s, e in taken)


def _add(found: list[Found], taken: list[tuple[int, int]], place: Place, a: int, b: int, precision: int,
         qualifier: str | None) -> None:
    taken.append((a, b))
    found.append(Found(place, a, b, precision, qualifier))


def _match_run(sentence: str, offset: int, run: str, gazetteer: Gazetteer, context: Context, found: list[Found],
               taken: list[tuple[int, int]], body: int = 0, title_case: bool = False) -> None:
    tokens: list[tuple[int, int, str]]
    if " " in run:
        tokens = [(m.start() + offset, m.end() + offset, str(m.group(0))) for m in _TOKEN_RE.finditer(run)]
    else:  # one word, the common case
        if run.lower() in STOPWORDS:
            return
        tokens = [(offset, offset + len(run), run)]
    i = 0
    while i < len(tokens):
        matched = False
        if tokens[i][2].lower() in STOPWORDS:
            i += 1
            continue
        for size in range(min(len(tokens) - i, 5), 0, -1):
            a, b = tokens[i][0], tokens[i + size - 1][1]
            if sentence[b - 2 : b] in _POSSESSIVE:  # "Niger's defence ministry"
                b -= 2
            surface = sentence[a:b]
            norm = normalise_name(surface)
            if size == 1 and (norm in STOPWORDS or norm in TOWN_WORDS):
                break
            if not _free(taken, a, b):
                continue
            # The dictionary lookup first: the checks below only matter for names that are places.
            # An index, not ``startswith(",", b)`` (a method call with arguments compiled).
            state_match = _STATE_AFTER.match(sentence, b) if b < len(sentence) and sentence[b] == "," else None
            state = gazetteer.us_state(normalise_name(state_match.group(1).rstrip("."))) if state_match else None
            # At the start of the sentence or of its words, an opening quote and a space allowed.
            start = a == body or (a <= body + 2 and sentence[body:a].strip() in "\"“'‘")
            key = (norm, surface, start, state)
            if key in context.lookups:
                place = context.lookups[key]
            else:
                place = context.lookups[key] = _lookup(norm, surface, gazetteer, context, sentence_start=start,
                                                       state=state)
            if place is None:
                continue
            after = tokens[i + size][2] if i + size < len(tokens) else ""
            if (after and normalise_name(after) in ORG_WORDS) or _ministry_after(sentence, b) or _road_after(sentence, b):
                # "Hama Health Directorate", "Aleppo Media Center": the run is an organisation; "the
                # Hama–Aleppo road": a road's name.
                i = len(tokens)
                matched = True
                break
            seat = (_seat_before(sentence[max(0, a - 40) : a])
                    if sentence[max(0, a - 6) : a].rstrip().endswith(_IN_OR_FROM) else None)
            if _is_speaker(sentence, a, b, gazetteer, norm) or (
                seat is not None and (seat.lower() in _SEATS or _is_big(gazetteer, norm))
            ):
                i += size
                matched = True
                break
            if not title_case and _inside_longer_name(tokens, i, size, gazetteer):
                continue
            precision, qualifier = _qualify(sentence, a, place)
            _add(found, taken, place, a, b, precision, qualifier)
            i += size
            matched = True
            break
        if not matched:
            i += 1


# "the Gaza health ministry said", "the Hama education directorate": a place naming an institution.
_MINISTRY_AFTER = re.compile(
    r"(?:['’]s)?\s+(?:(?:health|interior|defen[cs]e|foreign|information|education|finance|agriculture|justice)\s+)?"
    r"(?:ministry|directorate)\b|(?:['’]s)?\s+civil\s+defen[cs]e\b"
)


# "the Aleppo road", "the Hama–Aleppo road", "the Damascus - Aleppo highway": the place names a road
# (control of it, or fighting on it, is not the town's; "road to X" is a qualifier, see _qualify).
_ROAD_AFTER = re.compile(r"(?:\s*[–—-]\s*[A-Z][\w'’-]*(?:\s+[A-Z][\w'’-]*){0,2})*\s+(?:road|highway|motorway)\b"
                         r"(?!\s+(?:junctions?|blocks?|closures?|checkpoints?|signs?)\b)")


def _road_after(sentence: str, end: int) -> bool:
    """``_ROAD_AFTER.match(sentence, end)``, after three str.find: most sentences name no road."""
    if sentence.find("road", end) < 0 and sentence.find("highway", end) < 0 and sentence.find("motorway", end) < 0:
        return False
    return _ROAD_AFTER.match(sentence, end) is not None


def _ministry_after(sentence: str, end: int) -> bool:
    """``_MINISTRY_AFTER.match(sentence, end)``: the pattern needs "ministry", "directorate" or
    "civil" after ``end``, and most sentences have none (three str.find, ~10x cheaper than the regex
    call made for every place found)."""
    if sentence.find("ministry", end) < 0 and sentence.find("directorate", end) < 0 and sentence.find("civil", end) < 0:
        return False
    return _MINISTRY_AFTER.match(sentence, end) is not None


def _inside_longer_name(tokens: list[tuple[int, int, str]], i: int, size: int, gazetteer: Gazetteer) -> bool:
    """"Hassan Tarif", "Abu Omar al-Hamwi": a known name inside a longer proper noun is a person or
    an organisation, not a place (in sentence case; title-case headlines are exempt). A country's
    possessive before it is no part of its name: it locates it ("Sudan's El Fasher")."""
    before = tokens[i - 1][2] if i > 0 else ""
    after = tokens[i + size][2] if i + size < len(tokens) else ""
    def proper(word: str) -> bool:
        return bool(word) and word.lower() not in STOPWORDS and normalise_name(word) not in DEMONYMS
    if proper(after) or (proper(before) and not _possessive_country(before, gazetteer)):
        return True
    # "told The Eastern Meridian": a capitalised "The" inside a sentence opens a title (an outlet,
    # a book, an organisation), and what follows it is part of that name.
    return any(t[2] == "The" and t[0] > 0 for t in tokens[:i])


def _possessive_country(word: str, gazetteer: Gazetteer) -> bool:
    """Is ``word`` a country's possessive ("Syria's", "Ukraine’s")?"""
    return word.endswith(_POSSESSIVE) and gazetteer.country_by_name.get(normalise_name(word[:-2])) is not None


def _without_possessive_country(name: str, start: int, gazetteer: Gazetteer) -> tuple[str, int]:
    """A name without the country's possessive it opens with: "Syria's Hama" (province) is Hama of
    Syria, the province "Hama province" names too."""
    first, _, rest = name.partition(" ")
    if rest and _possessive_country(first, gazetteer):
        return rest.lstrip(), start + len(name) - len(rest.lstrip())
    return name, start


def _is_speaker(sentence: str, start: int, end: int, gazetteer: Gazetteer, norm: str) -> bool:
    """"Damascus denies", "Moscow said", "which Rwanda denied", "Ukraine's General Staff", "US
    warplanes": a capital or a country standing for its government or forces is an actor, not a
    place ("Residents of Nyala said" is the town itself)."""
    country = gazetteer.country_by_name.get(norm) is not None
    if not country and not _is_big(gazetteer, norm):
        return False  # a town: whatever the words around it, only a country or a big city speaks
    # The end-anchored searches only where the word before the name can end them (``last_word_rules_out``).
    lo = max(0, start - 6)
    if not last_word_rules_out(sentence[lo:start], _OF_WORDS) and _OF_BEFORE.search(sentence, lo, start):
        return False
    lo = max(0, start - 20)
    return bool(_speech_after(sentence[end : end + 60])
                or (not last_word_rules_out(sentence[lo:start], _ACTOR_WORDS) and _ACTOR_BEFORE.search(sentence, lo, start))
                or (country and _FORCES_AFTER.match(sentence, end)))


def _speech_after(text: str) -> bool:
    """``_SPEECH_AFTER.match(text)``, not made when ``text`` opens with a word of ASCII letters that
    none of its alternatives opens with (``_SPEECH_FIRST``): a word of letters followed by \b there
    is all of one of those words."""
    if text[:1] not in _APOSTROPHES:
        head = text.lstrip()
        space = head.find(" ")
        word = head[:space] if space >= 0 else head
        if word.isascii() and word.isalpha() and word.lower() not in _SPEECH_FIRST:
            return False
    return _SPEECH_AFTER.match(text) is not None


_IN_OR_FROM: tuple[str, ...] = (" in", " from")
_OF_WORDS = frozenset({"of", "in", "from"})  # the last words of _OF_BEFORE and _ACTOR_BEFORE
_ACTOR_WORDS = frozenset({"accused", "accusing", "accuses", "blamed", "blaming", "urged", "urging", "warned", "on",
                          "pressed", "criticised", "criticized", "condemned", "told", "asked", "by"})


# "US and British warplanes", "Israel-backed forces": a country as a modifier of who acts.
_FORCES_AFTER = re.compile(
    r"(?:\s+and\s+[A-Z][\w-]*)?(?:\s+|-)(?:warplanes|jets|aircraft|drones|troops|forces|soldiers|officials|"
    r"diplomats|envoys?|strikes|missiles|navy|warships|military|army|government|authorities|president|leaders?|"
    r"backed|-backed|allied|sanctions|negotiators|embassy|intelligence)\b"
)


def _is_big(gazetteer: Gazetteer, norm: str) -> bool:
    """A city big enough to stand for a government or host a ministry (≥ 500k)."""
    cands = _candidates(gazetteer, norm)
    return bool(cands) and cands[0][6] >= 500_000


# Where these sit is a seat of power whatever its size ("the government in Port Sudan"); "officials
# in X" and "sources in X" are only a seat when X is a big city ("officials in Chasiv Yar" are local).
_SEATS = {"ministry", "government", "authorities", "embassy", "leadership", "headquarters", "junta", "regime",
          "talks", "summit", "negotiators"}
_OF_BEFORE = re.compile(r"\b(?:of|in|from)\s+$", re.I)
# Typed ``tuple[str, ...]`` (these and the other tuples of words): compiled, a tuple of fixed length is
# stored unboxed and built anew wherever it is used as an object (``in``, ``endswith``).
_POSSESSIVE: tuple[str, ...] = ("'s", "’s")


def _lookup(norm: str, surface: str, gazetteer: Gazetteer, context: Context, *, sentence_start: bool = False,
            state: str | None = None) -> Place | None:
    """Alias, else country, else the gazetteer town the context picks. ``state``: a US state code
    written after the name ("Lebanon, Ohio") restricts it to towns of that state."""
    alias = gazetteer.aliases.get(norm)
    if alias is not None:
        return alias
    if state is not None:
        in_state = [c for c in gazetteer.candidates(norm) if c[2] == "US" and c[3] == state]
        if in_state:
            return _town(gazetteer, in_state[0], surface)
    country = gazetteer.country_by_name.get(norm)
    if country is not None:
        # Memoised per gazetteer like ``_town``: ``Country.place`` is interpreted Python building a
        # Place through its ``__init__`` (~5,000 instructions, once per country an item names).
        # Keyed by the Country object (the gazetteer holds them all), checked by identity.
        memo = gazetteer.memo.setdefault("countries", {})
        known = memo.get(id(country))
        if known is None or known[0] is not country:
            known = memo[id(country)] = (country, country.place())
        return known[1]
    if norm in DEMONYMS or norm in STOPWORDS or norm in TOWN_WORDS or len(norm) < 3 or (len(surface) > 1 and surface.isupper()):
        return None  # acronyms ("SANA", "RSF") are organisations, not Sanaa
    if norm in _US_STATE_CONTEXT:
        return None  # "Maryland" is a state, not the town of that name
    cands = _candidates(gazetteer, norm)
    if not cands:
        return None
    chosen = context.choose(cands, norm, sentence_start=sentence_start)
    if chosen is None:
        return None
    return _town(gazetteer, chosen, surface)


def _candidates(gazetteer: Gazetteer, norm: str) -> list[Candidate]:
    """``gazetteer.candidates(norm)``, memoised per gazetteer here: the method is interpreted Python
    (~5,000 instructions a call, made for every name looked up). The list is shared: read it only."""
    memo = gazetteer.memo.get("candidates")
    if memo is None:
        memo = gazetteer.memo["candidates"] = {}
    cands = memo.get(norm)
    if cands is None:
        if len(memo) > 100_000:
            memo.clear()
        cands = memo[norm] = gazetteer.candidates(norm)
    return cands


def _town(gazetteer: Gazetteer, candidate: Candidate, surface: str) -> Place:
    """The candidate as a Place named with the spelling the copy uses ("Morek", not GeoNames'
    "Mūrak"); memoised per gazetteer (Places are immutable)."""
    memo = gazetteer.memo.setdefault("towns", {})
    key = (candidate[0], surface)
    place = memo.get(key)
    if place is None:
        if len(memo) > 100_000:
            memo.clear()
        place = memo[key] = replace(gazetteer.place(candidate), name=surface.replace("’", "'"))
    return place


def _resolve(name: str, sentence: str, a: int, b: int, gazetteer: Gazetteer, context: Context, kind: str) -> Place | None:
    norm = normalise_name(name)
    if norm in STOPWORDS:
        return None
    place = _lookup(norm, name, gazetteer, context)
    if place is not None and place.kind != "country":
        return place
    if place is not None:
        return None
    # The cue says it is a place: a gazetteer name the context alone could not place is taken where
    # the item's other names point (or where it is unique) before inventing a pattern place.
    cands = _candidates(gazetteer, norm) if norm not in TOWN_WORDS and norm not in DEMONYMS else []
    if cands:
        own = context._own.get(norm, frozenset())
        support = {c[2]: context.votes.get(c[2], 0) - (c[2] in own) for c in cands}
        best = max(cands, key=lambda c: (support[c[2]], c[6]))
        if support[best[2]] > 0 or len({c[2] for c in cands}) == 1:
            return _town(gazetteer, best, name)
    return _pattern_place(name, kind, context, gazetteer)


# Memo of ``_pattern_place`` by what the place is made of (building a Place through its interpreted
# ``__init__`` was ~15,000 instructions; the names repeat across a desk's items).
_PATTERN_PLACES: dict[tuple[str, str, str | None], Place] = {}


def _pattern_place(name: str, kind: str, context: Context, gazetteer: Gazetteer) -> Place:
    """A place the gazetteer lacks ("the town of Qamhana"), in the country the item is about."""
    hints = context.codes or context.votes or context.actors
    code = max(sorted(hints), key=lambda c: hints[c]) if hints else None
    key = (name, kind, code)
    place = _PATTERN_PLACES.get(key)
    if place is None:
        if len(_PATTERN_PLACES) >= 100_000:
            _PATTERN_PLACES.clear()
        place = _PATTERN_PLACES[key] = Place(
            key=f"pattern:{normalise_name(name)}", name=name, kind=kind, country=_country_name(gazetteer, code),
            country_code=code, source="pattern", parent_key=f"country:{code}" if code else None,
        )
    return place


def _country_name(gazetteer: Gazetteer, code: str | None) -> str | None:
    country = gazetteer.countries.get(code) if code else None
    return country.name if country is not None else None


def _feature(name: str, noun: str, kind: str, gazetteer: Gazetteer, context: Context) -> Place | None:
    """"Abu al-Duhur airbase": the feature itself, placed at its town when the gazetteer knows it."""
    norm = normalise_name(name)
    if norm in STOPWORDS or norm in DEMONYMS:
        return None
    alias = gazetteer.aliases.get(normalise_name(f"{name} {noun}")) or gazetteer.aliases.get(norm)
    if alias is not None:
        return alias
    cands = gazetteer.candidates(norm)
    chosen = context.choose(cands, norm) if cands else None
    label = noun
    if chosen is not None:
        return _memo_place(gazetteer, ("feature", chosen[0], name, label, kind), lambda: replace(
            town := gazetteer.place(chosen), key=f"{town.key}:{kind}", name=f"{name} {label}", kind=kind,
            parent_key=town.key))
    base = _pattern_place(f"{name} {label}", kind, context, gazetteer)
    return base


def _province(name: str, gazetteer: Gazetteer, context: Context, noun: str = "province") -> Place | None:
    """"Aleppo province", "Hama governorate", "Donetsk region": the admin area named after a town
    (key ``gn:<town id>:province``, kind province), named with the copy's own noun."""
    norm = normalise_name(name)
    tokens = norm.split()
    if tokens and tokens[0] in {"northern", "southern", "eastern", "western", "central", "rural"}:
        norm = " ".join(tokens[1:])
        name = " ".join(name.split()[1:])
    if not norm or norm in STOPWORDS:
        return None
    alias = gazetteer.aliases.get(norm)
    if alias is not None:
        return replace(alias, key=f"{alias.key}:province", name=f"{alias.name} {noun}", kind="province")
    cands = gazetteer.candidates(norm)
    chosen = context.choose(cands, norm, strict=True) if cands else None
    if chosen is None:
        return None
    return _memo_place(gazetteer, ("province", chosen[0], name, noun),
                       lambda: replace(gazetteer.place(chosen, province=True), name=f"{name} {noun}"))


def _memo_place(gazetteer: Gazetteer, key: tuple, make) -> Place:
    """A derived Place (province, feature) memoised per gazetteer like ``_town``: building one
    (admin-area name, accents stripped) cost more than finding it."""
    memo = gazetteer.memo.setdefault("derived", {})
    place = memo.get(key)
    if place is None:
        if len(memo) > 100_000:
            memo.clear()
        place = memo[key] = make()
    return place


_COMPASS_IN_NAME = re.compile(r"\b(?:North|South|East|West|Upper|Lower)(?:-(?:East|West))?\s+$")
# What may follow "Gezira state" when it is the province: the end, punctuation or a function word
# ("in Gezira state since December"); "Kremlin state media", "Syrian state television" are not.
_AFTER_PROVINCE = re.compile(
    r"(?:\s*(?:[.,;:!?)\"”’—–]|$)|\s+(?:on|in|since|and|or|of|for|where|which|that|to|from|at|near|after|before|"
    r"by|with|as|last|this|is|was|has|had|were|are|remains?|said|says|but|until|while|during)\b)"
)
_NOT_PROVINCES = {"africa", "asia", "europe", "america", "latin america", "middle east", "gulf", "arab", "west",
                  "east", "north", "south", "border", "frontier"}


def _unknown_province(name: str, noun: str, sentence: str, end: int, gazetteer: Gazetteer,
                      context: Context) -> Place | None:
    """"Gezira state", "North Kivu province": a province no gazetteer town of the item's countries is
    named after. A gazetteer town's province where the item's other names point ("Latakia province"
    in an item that names no country but Russians, and Syrian towns), as ``_resolve`` does for towns;
    else a pattern place of the item's country, when the name is a name (not a country, demonym or
    title word) and the phrase ends there (not "Kremlin state media")."""
    norm = normalise_name(name)
    if norm in _NOT_PROVINCES or gazetteer.country_by_name.get(norm) is not None or (len(name) > 1 and name.isupper()):
        return None
    ends = _AFTER_PROVINCE.match(sentence, end) is not None
    cands = gazetteer.candidates(norm)
    if cands and (ends or noun != "state"):  # "X state" may go on ("Kremlin state media")
        own = context._own.get(norm, frozenset())
        support = {c[2]: context.votes.get(c[2], 0) - (c[2] in own) for c in cands}
        best = max(cands, key=lambda c: (support[c[2]], c[6]))
        # With no country named, a name unique to one country is that country's too.
        if support[best[2]] > 0 or (not context.codes and len({c[2] for c in cands}) == 1):
            return _memo_place(gazetteer, ("province", best[0], name, noun),
                               lambda: replace(gazetteer.place(best, province=True), name=f"{name} {noun}"))
    if not ends or (cands and not context.codes):
        return None
    # Named countries and no town of theirs by that name (``_province`` found none): "Borno state"
    # in a Nigerian story is not the Italian village, it is a province the gazetteer lacks.
    tokens = norm.split()
    if tokens[0] in {"northern", "southern", "eastern", "western", "central", "rural"} or any(
            t in ORG_WORDS or (t in DEMONYMS and t not in _REGION_NAMES) for t in tokens):
        return None  # "Syrian state", "Police region"
    if all(t in STOPWORDS for t in tokens):
        return None
    base = _pattern_place(name, "province", context, gazetteer)
    region = next((DEMONYMS[t] for t in tokens if t in _REGION_NAMES and DEMONYMS[t]), None)
    if region:  # "Rakhine state" is Myanmar's whatever else the item names
        base = replace(base, country=_country_name(gazetteer, region), country_code=region,
                       parent_key=f"country:{region}")
    return replace(base, key=f"{base.key}:province", name=f"{name} {noun}")


# Entries of DEMONYMS that are regions ("North Kivu province", "Rakhine state" are provinces).
_REGION_NAMES = {normalise_name(w) for w in ("darfur", "donbas", "donbass", "kivu", "rakhine", "sahel")}


_DIRECTION_ENDS: tuple[str, ...] = ("ern", "central", "rural", "greater")
_DIRECTION_BEFORE = re.compile(_DIRECTIONS + r"\s+$", re.I)
_DIRECTION_AT_END = re.compile(r"\b" + _DIRECTIONS + r"$", re.I)


def _direction_before(sentence: str, start: int) -> str | None:
    window = sentence[max(0, start - 30) : start]
    # A direction is at most 13 characters ("north-western"): search only there, not at every
    # character of the window.
    # Every direction ends in one of these (the pattern has no \b: "mideastern" ends in "eastern").
    if not window[-1:].isspace() or not window.rstrip().lower().endswith(_DIRECTION_ENDS):
        return None
    match = _DIRECTION_BEFORE.search(window, max(0, len(window.rstrip()) - 14))
    return match.group(0).strip().lower() if match else None


_QUALIFIER_WORDS = {
    # A word of every phrase _QUALIFIER_BEFORE knows, among the last four before the name (not "of":
    # it would send most names through the regex).
    "northern", "southern", "eastern", "western", "north-eastern", "north-western", "south-eastern",
    "south-western", "northeastern", "northwestern", "southeastern", "southwestern", "central", "rural", "greater",
    "near", "outside", "around", "outskirts", "edge", "edges", "approaches", "gates", "vicinity", "countryside",
    "north", "south", "east", "west", "northeast", "northwest", "southeast", "southwest", "south-east",
    "north-east", "south-west", "north-west", "kilometres", "kilometers", "km", "miles", "districts",
    "neighbourhoods", "neighborhoods", "parts", "suburbs", "areas", "road", "highway", "route", "between",
}


# The words of letters only that a match of _QUALIFIER_BEFORE can start with: each is followed by
# whitespace in the pattern, so in a word of letters only (no \b inside) a match starts at the word's
# start and only when the word is one of these.
_QUALIFIER_FIRST_WORDS = {
    "northern", "southern", "eastern", "western", "northeastern", "northwestern", "southeastern", "southwestern",
    "central", "rural", "greater", "near", "outside", "around", "outskirts", "edge", "edges", "approaches", "gates",
    "kilometres", "kilometers", "km", "miles", "north", "south", "east", "west", "northeast", "northwest",
    "southeast", "southwest", "vicinity", "countryside", "road", "highway", "route",
}


# Marks around a word that are not letters: a word of letters between them is tried as a word of
# letters only is ("said," "(near").
_PUNCTUATION = ".,;:!?\"'()[]“”‘’"
_DIGITS_AND_PUNCTUATION = _PUNCTUATION + "0123456789"


def _qualifier_match(window: str, last: list[str]) -> re.Match[str] | None:
    """``_QUALIFIER_BEFORE_LOWER.search(window, at)`` from ``at``, the start of the first of the
    window's ``last`` words (``window.split()[-11:]``, lowercased) that is a qualifier's first word or
    is not all letters (a match can start after a hyphen or a bracket); None where there is none.
    The pattern opens with \b and a word of letters followed by a space or a hyphen, so a match starts
    at a run of letters that is one of those words (``_QUALIFIER_FIRST_WORDS``): it is tried only
    there, in words of letters only and in words of letters between punctuation ("said,", "(near"),
    not in words of digits and punctuation ("20,000"); from any other word (hyphens, digits among
    letters) the pattern is searched on as before. Searched from the
    first such word, the regex engine tried every character after a comma or a period."""
    first = next((i for i, w in enumerate(last) if w in _QUALIFIER_FIRST_WORDS or not w.isalpha()), -1)
    if first < 0:
        return None
    words = last[first:]
    starts = []
    at = len(window)
    for word in reversed(words):  # each word's start, found from the end (rfind: no whitespace in a word)
        at = window.rfind(word, 0, at)
        starts.append(at)
    starts.reverse()
    for word, at in zip(words, starts):
        if word in _QUALIFIER_FIRST_WORDS:
            match = _QUALIFIER_BEFORE_LOWER.match(window, at)
            if match is not None:
                return match
        elif not word.isalpha():
            core = word.strip(_PUNCTUATION)
            if not core or not core.strip(_DIGITS_AND_PUNCTUATION):
                continue  # no letters ("2,000"): no match starts in it
            if not core.isalpha():
                return _QUALIFIER_BEFORE_LOWER.search(window, at)
            if core in _QUALIFIER_FIRST_WORDS:
                match = _QUALIFIER_BEFORE_LOWER.match(window, at + len(word) - len(word.lstrip(_PUNCTUATION)))
                if match is not None:
                    return match
    return None


def _qualify(sentence: str, start: int, place: Place) -> tuple[int, str | None]:
    if place.kind == "country":
        return PRECISION_COUNTRY, None
    if place.kind == "province":
        return PRECISION_PROVINCE, None
    window = sentence[max(0, start - 60) : start].lower()
    words = window.split()
    if _QUALIFIER_WORDS.isdisjoint(words[-4:]):
        return PRECISION_EXACT, None
    # A qualifier is at most ten words ("road between Wad Madani and the town of"): search the last
    # eleven only, from the first word a qualifier can start at (the search, tried at every character,
    # cost more than the rest of place finding).
    match = _qualifier_match(window, words[-11:])
    if not match:
        return PRECISION_EXACT, None
    group = match.lastgroup  # one of dir, near, inside (the only named groups) took part
    if group == "inside":
        return PRECISION_EXACT, " ".join(match.group("inside").split()[:2])
    if group == "dir":
        # "northern Hama" in wire copy means the area north of (and around) the town.
        return PRECISION_NEAR, match.group("dir")
    near = match.group("near").split()
    if near[0] in ("road", "highway", "route"):
        return PRECISION_NEAR, " ".join(near[:2])  # "road to", "road between" (not the other town's name)
    return PRECISION_NEAR, " ".join(near)
