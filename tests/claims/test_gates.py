"""Extraction skips costly searches when a sentence's words show they cannot match (word-set gates).
A gate may only save time: with or without it, every sentence must get the same answer."""

from __future__ import annotations

import re
from dataclasses import fields

from hypothesis import given, settings
from hypothesis import strategies as st

from claims import _extract, _places, _text, classify_event, classify_stance
from claims.types import EVENTS, STANCES, Figure, Mention, Place


def _vocabulary(*patterns: re.Pattern) -> list[str]:
    """Every word the patterns spell, so generated sentences hit their phrases, plus fillers."""
    words = {w for p in patterns for w in re.findall(r"[a-z]+", p.pattern) if len(w) > 1}
    return sorted(words | {"the", "army", "Morek", "troops", "said", "to", "be", "it", "was", "is", "are"})


# Inflected forms the patterns spell as stems and suffixes ("mobili[sz](?:e|ed|...)"), which the word
# lists beside them must also hold.
_INFLECTED = [
    "denied", "denies", "deny", "denying", "denial", "dismissed", "rejects", "refuted", "fabricated", "claimed",
    "claiming", "alleged", "allegedly", "allegation", "purportedly", "rumours", "rumor", "circulated", "mobilise",
    "mobilised", "mobilizes", "mobilising", "mobilisation", "mobilization", "evacuated", "evacuation", "shelled",
    "shelling", "shells", "bombed", "bombing", "attacked", "attacks", "ambushed", "raided", "breached", "pushed",
    "advanced", "captures", "seized", "recaptured", "liberated", "stormed", "restored", "cleared", "clearing",
    "casualty", "casualties", "deaths", "refugees", "shelters", "explosions", "blasts", "drones", "missiles",
    "rockets", "reinforcements", "convoys", "columns", "airstrikes", "strikes", "build-up", "buildup", "contradicts",
]
_STANCE_WORDS = sorted(set(_vocabulary(_extract._DENIAL, _extract._RELAY, _extract._CHARACTERISATION))
                       | set(_INFLECTED) | {"characterization", "labelling", "army's"})
_EVENT_WORDS = sorted(set(_vocabulary(*_extract._EVENTS.values(), _extract._CONTACTED, _extract._LEFT_HOMES,
                                      _extract._HYPOTHETICAL_CONTROL, _extract._RETREAT_BEFORE))
                      | set(_INFLECTED) | {"fled", "flee", "fleeing", '"fled"'})
_JOINERS = [" ", " ", " ", ", ", "-", ". ", " — ", "'s "]


def _sentences(vocabulary: list[str]):
    return st.lists(st.tuples(st.sampled_from(vocabulary), st.sampled_from(_JOINERS)), min_size=1, max_size=14).map(
        lambda parts: "".join(w + j for w, j in parts).strip())


def _stance_ungated(sentence: str) -> str:
    # A rejected description is no denial (``describes_only``): the patterns on the sentence without it.
    if _extract._DENIAL.search(_extract._CHARACTERISATION.sub(lambda m: " " * len(m.group()), sentence)):
        return "denies"
    if _extract._RELAY.search(sentence):
        return "reports"
    return "asserts"


@settings(max_examples=3000, deadline=None)
@given(_sentences(_STANCE_WORDS))
def test_stance_gates_never_change_the_stance(sentence):
    assert classify_stance(sentence) == _stance_ungated(sentence)


def test_stance_phrases_found_without_other_cue_words():
    # Gated by the words the code once listed, "did not reach" was only seen beside another cue word.
    assert classify_stance("The rebels did not reach Morek") == "denies"
    assert classify_stance("Militants are said to be in Morek") == "reports"
    assert classify_stance("Troops still hold Morek") == "denies"
    assert classify_stance("Troops hold Morek") == "asserts"


# Words that call for every event's pattern and decide none alone: classified with these, a sentence
# is judged by the patterns themselves, as without gates.
_EVERY_PATTERN = frozenset(w for words in _extract._EVENT_WORDS.values() for w in words) - frozenset(
    w for alone in _extract._EVENT_ALONE.values() for w in alone)


def test_every_event_has_a_word_that_calls_its_pattern():
    assert all(words & _EVERY_PATTERN for words in _extract._EVENT_WORDS.values())


@settings(max_examples=3000, deadline=None)
@given(_sentences(_EVENT_WORDS))
def test_event_gates_never_change_the_event(sentence):
    # Against every pattern searched (``_event_by_patterns``): passing _EVERY_PATTERN as the words no
    # longer calls every pattern, as a phrase of its words must also be in the sentence.
    assert classify_event(sentence, ()) == _event_by_patterns(sentence)


def test_mobilising_troops_is_movement():
    # The cue was once the bare prefix "mobilis", which as a whole word matched nothing real.
    assert classify_event("Reservists were mobilised near Morek", ()) == "movement"
    assert classify_event("The general mobilization of reservists began in Morek", ()) == "movement"


_NUMBER_VOCABULARY = sorted(_extract._START_WORDS | {"a", "A", "One", "TWO", "Several", "dozen", "hundred", "hundredfold",
                                                     "million", "handful", "someone", "x2", "2,000", "35", "tens2", "_one"})


@settings(max_examples=3000, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(_NUMBER_VOCABULARY), st.sampled_from([" ", "-", ", ", "", "."])),
                min_size=1, max_size=12).map(lambda parts: "".join(w + j for w, j in parts)))
def test_number_starts_found_by_lookup_are_the_patterns(sentence):
    expected = [m.start() for m in _extract._NUMBER_START.finditer(sentence)]
    assert _extract._number_starts(sentence, _extract.words_of(sentence)) == expected


# -- cue phrases of places no gazetteer has ------------------------------------------------------------

_CUE_VOCABULARY = sorted(set(_vocabulary(_places._CUE_BEFORE_END, _places._CUE_VERB_END))
                         | {"Kessa", "Tal", "Hamra", "al-Bab", "ez", "Zor", "Rebels", "the", "in", "x"})


def _assert_cues_as_the_patterns_find_them(sentence: str) -> None:
    """What _cues finds (after its cheap last-word test and its five-word window) must be what the cue
    pattern finds searched over everything before each capitalised run."""
    runs = _places.runs_of(sentence)
    for last_words, cue, name in ((_places._CUE_BEFORE_LAST, _places._CUE_BEFORE_END, _places._NAME_UP_TO_4),
                                  (_places._CUE_VERB_LAST, _places._CUE_VERB_END, _places._NAME_UP_TO_3)):
        expected = []
        for start, _ in runs:
            found, named = cue.search(sentence, 0, start), name.match(sentence, start)
            if found and named:
                groups = found.groupdict()
                expected.append((groups.get("noun") or groups.get("near") or "", start, named.end(), named.group()))
        assert list(_places._cues(sentence, runs, last_words, cue, name)) == expected


@settings(max_examples=3000, deadline=None)
@given(_sentences(_CUE_VOCABULARY))
def test_cues_are_found_wherever_their_pattern_ends_before_a_run(sentence):
    _assert_cues_as_the_patterns_find_them(sentence)


def test_every_two_word_cue_before_a_name_is_found():
    # Every last word of a cue ends some cue of at most two words: all pairs reach each one.
    words = _vocabulary(_places._CUE_BEFORE_END, _places._CUE_VERB_END)
    for first in words:
        for second in words:
            _assert_cues_as_the_patterns_find_them(f"Rebels {first} {second} Kessa")


def test_every_cue_noun_after_a_name_is_among_the_words_that_gate_it():
    nouns = re.search(r"\(\?P<noun>([^)]*)\)", _places._CUE_AFTER_NOUN.pattern).group(1).split("|")
    assert nouns
    assert all(not _extract.words_of(f"Kessa {noun}").isdisjoint(_places._CUE_NOUN_WORDS) for noun in nouns)
    assert {noun.split()[0] for noun in nouns} == _places._CUE_NOUN_WORDS


_CUE_NOUN_VOCABULARY = sorted(set(_vocabulary(_places._CUE_AFTER_NOUN)) | {
    "Kessa", "Airbase", "airstrikes", "states", "stateé", "camp2", "x", "the", "base"})


@settings(max_examples=3000, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(_CUE_NOUN_VOCABULARY), st.sampled_from([" ", "  ", "-", ", ", "\n", "", "\u00a0", "."])),
                max_size=10).map(lambda parts: "".join(w + j for w, j in parts)))
def test_cue_nouns_are_among_the_words_whenever_the_pattern_finds_one(sentence):
    if _places._CUE_AFTER_NOUN.search(sentence):
        assert not _extract.words_of(sentence).isdisjoint(_places._CUE_NOUN_WORDS)


# -- capitalised runs and digits found without the regex engine's character-by-character scan ----------

_RUN_ALPHABET = "AZaz09 -'’.,éÉ\u2011\u2010\t" + "Kessa al-Bab ez Zor Tal ash-Sham "


@settings(max_examples=3000, deadline=None)
@given(st.text(alphabet=_RUN_ALPHABET, max_size=60))
def test_capital_runs_are_the_patterns_matches(text):
    expected = [(m.start(), m.group()) for m in _places._RUN_AT_CAPITAL.finditer(text)]
    assert [(m.start(), m.group()) for m in _text.matches_from(_places._RUN_AT_CAPITAL, text, _places._CAPITALS)] == expected
    assert _places._capital_runs(text) == expected


@settings(max_examples=4000, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(["Kessa", "al", "ez", "Zor", "Tal", "ash", "les", "al-Bab", "les-Bab", "x", "the",
                                           "A", "5", "Ma'arrat", "x-", "-", "_", "`s", "al-", "bin", "Abu", "KESSA"]),
                          st.sampled_from([" ", " ", "  ", "-", ", ", "\n", "", ".", " \t", "'"])),
                max_size=10).map(lambda parts: "".join(w + j for w, j in parts)))
def test_capital_runs_found_from_their_words_are_the_patterns_matches(text):
    assert _places._capital_runs(text) == [(m.start(), m.group()) for m in _places._RUN_AT_CAPITAL.finditer(text)]


def test_every_word_pair_makes_the_runs_the_pattern_makes():
    words = ["Kessa", "al", "ez", "ash", "les", "abu", "al-Bab", "les-Bab", "x", "A", "5", "_", "al-", "-", "KESSA", "it's"]
    for first in words:
        for second in words:
            for joiner in (" ", "  ", "-", "", ".", "\t", " -", "- "):
                for text in (f"{first}{joiner}{second}", f"The {first}{joiner}{second} x", f"Tal {first}{joiner}{second}."):
                    expected = [(m.start(), m.group()) for m in _places._RUN_AT_CAPITAL.finditer(text)]
                    assert _places._capital_runs(text) == expected, text


@settings(max_examples=3000, deadline=None)
@given(st.text(alphabet=_RUN_ALPHABET, max_size=60))
def test_runs_with_their_connectors_are_the_patterns_matches(text):
    # runs_of as it was: each run's match, with a connector joined to it by a hyphen ("al-Bab").
    expected = []
    for m in _places._RUN_AT_CAPITAL.finditer(text):
        prefix = (_places._LEADING_CONNECTOR.search(text, max(0, m.start() - 5), m.start())
                  if m.start() >= 3 and text[m.start() - 1] in "-‐‑" else None)
        expected.append((prefix.start(), text[prefix.start() : m.end()]) if prefix else (m.start(), m.group()))
    assert _places.runs_of(text) == expected


_SEAT_VOCABULARY = sorted(set(_vocabulary(_places._SEAT_OF_SPEAKER)) | {"Ministry", "IN", "x-ministry", "the", "Kessa",
                                                                       "ministry2", "ſource", "ın", "officials-",
                                                                       "spokesman", "spokeswoman", "official", "source",
                                                                       "reporter", "leader", "diplomat", "envoy"})


@settings(max_examples=3000, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(_SEAT_VOCABULARY), st.sampled_from([" ", "  ", "-", ", ", "\n", "", "\u00a0"])),
                max_size=8).map(lambda parts: "".join(w + j for w, j in parts)))
def test_seat_of_speaker_found_from_the_last_words_is_the_patterns(window):
    expected = _places._SEAT_OF_SPEAKER.search(window)
    assert _places._seat_before(window) == (expected.group("who") if expected else None)


_CLAUSE_VOCABULARY = sorted(set(_vocabulary(_extract._CLAUSE_BREAK)) | {"Morek", "the", "army", "said", "é", "x"})


@settings(max_examples=3000, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(_CLAUSE_VOCABULARY),
                          st.sampled_from([" ", ", ", "; ", ".", " — ", ",", ". ", "  ", ",\t", ".\x1c", ";\n", ",x"])),
                max_size=12).map(lambda parts: "".join(w + j for w, j in parts)))
def test_clause_breaks_found_from_their_characters_are_the_patterns(sentence):
    expected = [m.span() for m in _extract._CLAUSE_BREAK.finditer(sentence)]
    assert [m.span() for m in _text.matches_from(_extract._CLAUSE_BREAK, sentence, _extract._CLAUSE_STARTS)] == expected
    if _extract.words_of(sentence).isdisjoint(_extract._COMMA_BREAK_WORDS):  # commas not tried
        starts = _extract._CLAUSE_STARTS_NO_COMMA
        assert [m.span() for m in _text.matches_from(_extract._CLAUSE_BREAK, sentence, starts)] == expected


@settings(max_examples=2000, deadline=None)
@given(st.lists(st.sampled_from(["according", "to", "According", "the", "ministry", ",", "who", "said", "accordingto",
                                 "xaccording", ".", "Morek", "é"]), max_size=10).map(" ".join))
def test_according_to_found_from_its_words_is_the_patterns(sentence):
    lowered = sentence.lower()
    found, expected = _extract._search_according(lowered), _extract._ACCORDING_LOWER.search(lowered)
    assert (found and found.span("src")) == (expected and expected.span("src"))


@settings(max_examples=3000, deadline=None)
@given(st.text(alphabet="0123456789 ,.a-", max_size=30))
def test_digit_runs_found_by_bytes_are_the_patterns(text):
    assert _extract._digit_run_starts(text) == [m.start() for m in _extract._ASCII_DIGIT.finditer(text)]


@settings(max_examples=3000, deadline=None)
@given(st.lists(st.sampled_from(["Rebels", "U.S.", "Gen.", "said", "2,000", "3.5", "killed", "A", "a", "x", "(The", "[1]",
                                 '"We', "'It", "é", "Mr."]),
                max_size=10).map(lambda words: " ".join(words)).flatmap(
    lambda text: st.sampled_from([".", "!", "?", "...", ".\"", ".)", "?!", ". ", ".  ", "\t"]).map(lambda end: text + end + " Next")))
def test_sentence_boundaries_found_from_terminals_are_the_patterns(paragraph):
    assert [m.span() for m in _text.matches_from(_text._BOUNDARY, paragraph, _text._TERMINALS)] == [m.span() for m in _text._BOUNDARY.finditer(paragraph)]


@settings(max_examples=4000, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(["Rebels", "U.S", "Gen", "said", "2,000", "3", "A", "a", "x", "(The", "[1", '"We',
                                           "'It", "é", "Mr", "“They", "", "9"]),
                          st.sampled_from([". ", ".", "! ", "?", "... ", '." ', ".) ", ".'", "?! ", ".  ", ".\t", ".\n", " ",
                                           ". (", ". [", '. "', ".] ", ". '", "'. "])),
                min_size=1, max_size=10).map(lambda parts: "".join(w + j for w, j in parts)))
def test_sentence_boundaries_read_from_their_characters_are_the_patterns(paragraph):
    expected = [(m.start(), m.start() + len(m.group().rstrip()), m.end()) for m in _text._BOUNDARY.finditer(paragraph)]
    assert _text._boundaries(paragraph) == expected


def _split_sentences_as_before(text: str) -> list[str]:
    """``split_sentences`` as it was: each sentence's whitespace normalised on its own, boundaries by
    the pattern."""
    sentences = []
    for paragraph in _text._PARAGRAPH.split(text):
        paragraph = paragraph.strip()
        if not paragraph:
            continue
        start = 0
        for m in _text._BOUNDARY.finditer(paragraph):
            stop = m.start()
            end = stop + len(m.group().rstrip())
            if (paragraph[stop] == "." and paragraph[stop + 1] not in ".!?"
                    and _text._is_abbreviation(paragraph[max(start, stop - 24) : stop])):
                continue
            sentence = " ".join(paragraph[start:end].split())
            if sentence:
                sentences.append(sentence)
            start = m.end()
        tail = " ".join(paragraph[start:].split())
        if tail:
            sentences.append(tail)
    return sentences


@settings(max_examples=5000, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(["Rebels", "U.S.", "Gen.", "said", "2,000", "3.5", "A", "a", "x", "(The", '"We',
                                           "Mr.", "é", "Kessa", "Internationalisationsprozess", "e.g.", "St", "1", "."]),
                          st.sampled_from([" ", " ", " ", "  ", "\n", "\t", "\x1c", "\u00a0", "\u2003", ". ", ".  ", ".\n",
                                           "? ", '." ', "\n\n", " \n ", "", "!\t", ". \n"])),
                max_size=14).map(lambda parts: "".join(w + j for w, j in parts)))
def test_sentences_normalised_once_a_paragraph_are_those_normalised_one_by_one(text):
    assert _text.split_sentences(text) == _split_sentences_as_before(text)


# -- mentions and figures built through their slots ---------------------------------------------------

_OPTIONAL_TEXT = st.none() | st.text(max_size=12)
_OPTIONAL_INT = st.none() | st.integers(-5, 10**9)
_FIGURES = st.builds(lambda *args: _extract._figure(*args), _OPTIONAL_INT, st.text(max_size=8), _OPTIONAL_TEXT,
                     _OPTIONAL_INT, _OPTIONAL_INT, st.text(max_size=12), _OPTIONAL_TEXT)


@settings(max_examples=500, deadline=None)
@given(st.tuples(_OPTIONAL_INT, st.text(max_size=8), _OPTIONAL_TEXT, _OPTIONAL_INT, _OPTIONAL_INT, st.text(max_size=12),
                 _OPTIONAL_TEXT))
def test_figures_built_through_slots_are_the_constructors(args):
    built, expected = _extract._figure(*args), Figure(*args)
    assert (built, repr(built), hash(built), type(built)) == (expected, repr(expected), hash(expected), Figure)


@settings(max_examples=500, deadline=None)
@given(st.text(max_size=20), st.integers(0, 99), st.sampled_from(STANCES), st.sampled_from(EVENTS),
       st.lists(_FIGURES, max_size=3).map(tuple), _OPTIONAL_TEXT, st.integers(1, 4), _OPTIONAL_TEXT)
def test_mentions_built_through_slots_are_the_constructors(sentence, index, stance, event, figures, source,
                                                          precision, qualifier):
    place = Place("gn:1", "Morek", "town", "Syria", "SY")
    args = (place, sentence, index, stance, event, figures, source, precision, qualifier)
    built, expected = _extract._mention(*args), Mention(*args)
    # Equality compares every field (an unset slot would raise), defaults included.
    assert (built, repr(built), hash(built), type(built)) == (expected, repr(expected), hash(expected), Mention)
    assert [getattr(built, f.name) for f in fields(Mention)] == [getattr(expected, f.name) for f in fields(Mention)]


# -- qualifiers before a place ---------------------------------------------------------------------------

def _qualify_searching_the_whole_window(sentence: str, start: int) -> tuple[int, str | None]:
    """``_places._qualify`` for a town as it was before its search started at a qualifier's first word."""
    window = sentence[max(0, start - 60) : start]
    if _places._QUALIFIER_WORDS.isdisjoint(window.lower().split()[-4:]):
        return 1, None
    head = window.rsplit(None, 11)
    if len(head) == 12:
        window = window[len(head[0]) :]
    match = _places._QUALIFIER_BEFORE_LOWER.search(window.lower())
    if not match:
        return 1, None
    if match.group("inside"):
        return 1, " ".join(match.group("inside").lower().split()[:2])
    if match.group("dir"):
        return 2, match.group("dir").lower()
    near = match.group("near").lower().split()
    if near[0] in ("road", "highway", "route"):
        return 2, " ".join(near[:2])
    return 2, " ".join(near)


_QUALIFIER_VOCABULARY = sorted(set(_vocabulary(_places._QUALIFIER_BEFORE)) | {
    "Kessa", "Wad", "Madani", "the", "town", "city", "of", "x-northern", "(near", "NEAR", "Northern", "north-eastern",
    "South-East", "İ", "ſ", "2,000", "al-Bab", "nearby", "roads", "near,", "town.", "(northern)", "'outskirts'",
    "“road", "5km", "km,", "edges.", "Near:", "x_near", "(", "),"})


@settings(max_examples=4000, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(_QUALIFIER_VOCABULARY), st.sampled_from([" ", " ", " ", "  ", "-", ", ", "\n", ""])),
                max_size=16).map(lambda parts: "".join(w + j for w, j in parts)))
def test_qualifier_searched_from_its_first_word_is_the_patterns(text):
    sentence = text + " Kessa"
    town = Place("gn:1", "Kessa", "town")
    assert _places._qualify(sentence, len(text) + 1, town) == _qualify_searching_the_whole_window(sentence, len(text) + 1)


# -- sources of an attribution -------------------------------------------------------------------------


def _clean_source_by_patterns(source: str) -> str | None:
    """``_extract._clean_source`` as it was, with its two patterns matched on every source."""
    source = source.strip(" \"“”'‘’-—")
    if ": " in source:
        source = source.rpartition(": ")[2]
    if ";" in source:
        source = source.rpartition(";")[2].strip()
    if " — " in source or " – " in source:
        source = _extract._DASH.split(source)[-1].strip()
    source = _extract._TRAILING_NOT_SOURCE.sub("", source)
    if _extract._NOT_A_SPEAKER.match(source):
        return None
    conjunction = _extract._CONJUNCTION.match(source)
    if conjunction:
        source = source[conjunction.end() :]
    tokens = source.split()
    if not source or _extract._BAD_SOURCE_START.match(source) or len(tokens) > 9:
        return None
    if any(t.lower() in _extract._PASSIVE_AUXILIARIES for t in tokens[-2:]):
        return None
    return source


_SOURCE_VOCABULARY = sorted(set(_vocabulary(_extract._CONJUNCTION, _extract._BAD_SOURCE_START)) | {
    "The", "ministry", "army", "BUT", "And", "It's", "it2", "ſome", "whıch", "Residents", "resident", "residentswho",
    "“They", "(who", "Summary:", "was", "x", "I", "as-", "however,"})


@settings(max_examples=4000, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(_SOURCE_VOCABULARY), st.sampled_from([" ", " ", " ", "  ", "\t", "\u00a0", ": ", ""])),
                max_size=12).map(lambda parts: "".join(w + j for w, j in parts)))
def test_sources_cleaned_by_word_lookups_are_the_patterns(source):
    assert _extract._clean_source(source) == _clean_source_by_patterns(source)
    assert _extract._clean_source(source) == _clean_source_by_patterns(source)  # memoised, the second time
    assert _extract._cleaned(source) == _clean_source_by_patterns(source)
    for _ in range(2):
        assert _extract._is_generic_subject(source) == bool(_extract._GENERIC_SUBJECT.search(source))


_MINISTRY_VOCABULARY = sorted(set(_vocabulary(_places._MINISTRY_AFTER)) | {"Gaza", "'s", "’s", "Ministry", "civilians", "x",
                                                                           "defence", "defense", "directorates"})


@settings(max_examples=3000, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(_MINISTRY_VOCABULARY), st.sampled_from([" ", "  ", "", "-", "\n"])),
                max_size=8).map(lambda parts: "".join(w + j for w, j in parts)))
def test_ministry_after_a_name_found_from_its_words_is_the_patterns(sentence):
    for end in range(len(sentence) + 1):
        assert _places._ministry_after(sentence, end) == bool(_places._MINISTRY_AFTER.match(sentence, end))


@settings(max_examples=2000, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(["Aleppo", "Hama", "Al", "road", "roads", "highway", "motorway", "Road",
                                           "junctions", "near", "–", "—", "-", "x"]),
                          st.sampled_from([" ", "  ", "", "-", "\n"])),
                max_size=8).map(lambda parts: "".join(w + j for w, j in parts)))
def test_road_after_a_name_found_from_its_words_is_the_patterns(sentence):
    for end in range(len(sentence) + 1):
        assert _places._road_after(sentence, end) == bool(_places._ROAD_AFTER.match(sentence, end))


_QUAL_VOCABULARY = sorted(set(_vocabulary(_extract._QUAL_BEFORE)) | {
    "At", "LEAST", "ſome", "x-over", "(about", "leftover", "killed", "2,000", "35", "x", "almost5", "_some"})


@settings(max_examples=3000, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(_QUAL_VOCABULARY), st.sampled_from([" ", " ", "  ", "", "-", "\n", ", "])),
                max_size=8).map(lambda parts: "".join(w + j for w, j in parts)), st.integers(0, 30))
def test_qualifiers_before_a_number_found_from_their_last_word_are_the_patterns(sentence, back):
    for p in range(len(sentence) + 1):
        lo = max(0, p - back)
        found, expected = _extract._qualifier_before(sentence, lo, p), _extract._QUAL_BEFORE.search(sentence, lo, p)
        assert (found and found.span()) == (expected and expected.span())


def test_every_seat_word_pair_is_found_as_the_pattern_finds_it():
    for who in _SEAT_VOCABULARY:
        for word in _SEAT_VOCABULARY:
            for window in (f"the {who} {word} ", f"the {who} {word}", f"the {who}  {word.upper()}\n", f"{who} {word} "):
                expected = _places._SEAT_OF_SPEAKER.search(window)
                assert _places._seat_before(window) == (expected.group("who") if expected else None), window


def test_every_word_pair_after_a_name_is_a_ministry_as_the_pattern_says():
    for first in _MINISTRY_VOCABULARY:
        for second in _MINISTRY_VOCABULARY:
            for sentence in (f"Gaza {first} {second}", f"Gaza{first} {second} x", f"Gaza {first}"):
                assert _places._ministry_after(sentence, 4) == bool(_places._MINISTRY_AFTER.match(sentence, 4)), sentence


def test_every_three_words_before_a_number_qualify_it_as_the_pattern_says():
    words = sorted(set(_QUAL_VOCABULARY) - {"2,000", "35"})
    for first in words:
        for second in words:
            for third in words:
                sentence = f"{first} {second} {third} 5"
                p = len(sentence) - 1
                found = _extract._qualifier_before(sentence, max(0, p - 24), p)
                expected = _extract._QUAL_BEFORE.search(sentence, max(0, p - 24), p)
                assert (found and found.span()) == (expected and expected.span()), sentence


# -- end-anchored patterns searched only where the last word allows --------------------------------------

_END_ANCHORED = [  # (pattern, the words its phrases end in)
    (_extract._QUAL_BEFORE, _extract._QUAL_LAST_WORDS),
    (_extract._GOVERNING, _extract._GOVERNING_WORDS),
    (_extract._NOT_A_COUNT_BEFORE, _extract._NOT_A_COUNT_WORDS),
    (_places._OF_BEFORE, _places._OF_WORDS),
    (_places._ACTOR_BEFORE, _places._ACTOR_WORDS),
]
_END_EXTRAS = {"Kessa", "x", "At", "LEAST", "ſome", "x-over", "(about", "leftover", "no.", "2,000", "north-eastern",
               "South-Western", "İn", "#", "x-", "killed5", "Killed", "called", "Told", "ın", "m", "M"}


def _end_vocabulary(pattern: re.Pattern) -> list[str]:
    return sorted(set(_vocabulary(pattern)) | _END_EXTRAS)


@settings(max_examples=2000, deadline=None)
@given(st.sampled_from(range(len(_END_ANCHORED))), st.data())
def test_a_last_word_that_rules_a_pattern_out_leaves_it_no_match(which, data):
    pattern, words = _END_ANCHORED[which]
    parts = data.draw(st.lists(st.tuples(st.sampled_from(_end_vocabulary(pattern)),
                                         st.sampled_from([" ", " ", "  ", "", "-", "\n", ", ", "\t"])), max_size=6))
    sentence = "".join(w + j for w, j in parts)
    for end in range(len(sentence) + 1):
        for lo in range(max(0, end - 25), end + 1):
            if _text.last_word_rules_out(sentence[lo:end], words):
                assert pattern.search(sentence, lo, end) is None, (sentence[lo:end], pattern.pattern)


def test_every_last_word_pair_rules_a_pattern_out_only_without_a_match():
    for pattern, words in _END_ANCHORED:
        vocabulary = _end_vocabulary(pattern)
        for first in vocabulary:
            for second in vocabulary:
                for window in (f"x {first} {second} ", f"{first} {second}", f"x {first} {second}\n"):
                    if _text.last_word_rules_out(window, words):
                        assert pattern.search(window) is None, (window, pattern.pattern)


@settings(max_examples=3000, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(_end_vocabulary(_extract._NOT_A_COUNT_BEFORE) + ["£", "$", "/", ":"]),
                          st.sampled_from([" ", "", "-", "\n", "#", "/"])), max_size=5).map(lambda parts: "".join(w + j for w, j in parts)))
def test_not_a_count_before_is_the_patterns(tail):
    assert _extract._not_a_count_before(tail) == bool(_extract._NOT_A_COUNT_BEFORE.search(tail))


@settings(max_examples=3000, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(_end_vocabulary(_places._DIRECTION_BEFORE) + ["mideastern", "CENTRAL", "Rurals"]),
                          st.sampled_from([" ", "", "-", "\n", "  "])), max_size=5).map(lambda parts: "".join(w + j for w, j in parts)))
def test_direction_before_a_name_is_the_patterns(text):
    sentence = text + "Kessa"
    window = sentence[max(0, len(text) - 30) : len(text)]
    match = _places._DIRECTION_BEFORE.search(window, max(0, len(window.rstrip()) - 14))
    assert _places._direction_before(sentence, len(text)) == (match.group(0).strip().lower() if match else None)



def test_every_two_words_before_a_name_qualify_it_as_the_whole_window_search_does():
    town = Place("gn:1", "Kessa", "town")
    for first in _QUALIFIER_VOCABULARY:
        for second in _QUALIFIER_VOCABULARY:
            for text in (f"{first} {second} ", f"x {first} {second} the town of ", f"{first}-{second} "):
                sentence = text + "Kessa"
                assert _places._qualify(sentence, len(text), town) == _qualify_searching_the_whole_window(sentence, len(text)), text


# -- a sentence's words: only those some cue looks for -----------------------------------------------

_ALL_CUES_VOCABULARY = sorted(set(_STANCE_WORDS) | set(_EVENT_WORDS) | set(_NUMBER_VOCABULARY) | set(_CUE_NOUN_VOCABULARY)
                              | set(_vocabulary(_extract._TRAILING, _extract._ACCORDING)) | {"Morek", "at", "least", "x"})


@settings(max_examples=3000, deadline=None)
@given(_sentences(_ALL_CUES_VOCABULARY))
def test_the_words_no_cue_looks_for_change_no_answer(sentence):
    every = frozenset(re.findall(r"[a-z]+", sentence.lower()))  # words_of before it kept only _VOCABULARY
    words = _extract.words_of(sentence)
    assert words == every & _extract._VOCABULARY
    assert classify_event(sentence, (), words) == classify_event(sentence, (), every)
    assert classify_stance(sentence, words) == classify_stance(sentence, every)
    assert _extract.find_attribution(sentence, words) == _extract.find_attribution(sentence, every)
    assert _extract.find_figures(sentence, words) == _extract.find_figures(sentence, every)
    assert words.isdisjoint(_places._CUE_NOUN_WORDS) == every.isdisjoint(_places._CUE_NOUN_WORDS)


def test_every_cue_phrase_is_found_from_the_words_kept():
    def same(sentence):
        every = frozenset(re.findall(r"[a-z]+", sentence.lower()))
        words = _extract.words_of(sentence)
        assert classify_event(sentence, (), words) == classify_event(sentence, (), every), sentence
        assert classify_stance(sentence, words) == classify_stance(sentence, every), sentence
        assert _extract.find_attribution(sentence, words) == _extract.find_attribution(sentence, every), sentence
        assert _extract.find_figures(sentence, words) == _extract.find_figures(sentence, every), sentence
        assert words.isdisjoint(_places._CUE_NOUN_WORDS) == every.isdisjoint(_places._CUE_NOUN_WORDS), sentence

    for _, needs in (_extract._DENIAL_PHRASES, _extract._RELAY_PHRASES):
        for need in needs:
            for i in range(max(len(alternatives) for alternatives in need)):
                same("Rebels " + " ".join(alternatives[min(i, len(alternatives) - 1)] for alternatives in need) + " Morek")
    for phrase in list(_extract._WORD_NUMBERS) + list(_extract._VAGUE):
        same(f"Shelling killed {phrase} people in Morek")
    for word in sorted(_extract._SPEECH_WORDS | set(_extract._ANY_EVENT_WORD) | _DENIAL_WORDS_AND_RELAY):
        same(f"The army {word} the town, the ministry {word} on Monday")
    for noun in sorted(_places._CUE_NOUN_WORDS):
        same(f"Kessa {noun}")


_DENIAL_WORDS_AND_RELAY = _extract._DENIAL_WORDS | _extract._RELAY_WORDS


def test_what_a_governing_verb_counts_is_the_first_count_pattern_matching_it():
    for verb in sorted(_extract._GOVERNING_WORDS):
        for form in (verb, verb.upper(), verb.title(), verb.replace("k", "\u212a").replace("s", "ſ").replace("i", "İ")):
            if _extract._GOVERNING.fullmatch(form):
                expected = next(name for name, pattern in _extract._COUNTED_RE if pattern.fullmatch(form))
                assert _extract._counted_by(form) == expected, form
    assert set(re.findall(r"[a-z]+", _extract._GOVERNING.pattern)) - {"b", "p", "verb", "s"} == _extract._GOVERNING_WORDS


_AFTER_NUMBER_VOCABULARY = sorted(set(_vocabulary(_extract._NOT_A_COUNT_AFTER)) | {
    "people", "civilians", "troops", "thousand", "Hours", "KM", "milestone", "percent", "cent", "a.m.", "o'clock", "%",
    ":30", ".5", "-year", "year-old", "ſt", "\u212ag", "timeshare", "Mayor", "may", "th", "x", "and"})


@settings(max_examples=3000, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(_AFTER_NUMBER_VOCABULARY), st.sampled_from([" ", "  ", "", "\t", ", ", "-"])),
                max_size=4).map(lambda parts: "".join(w + j for w, j in parts)), st.sampled_from(["", " ", "  ", "\n"]))
def test_not_a_count_after_a_number_is_the_patterns(text, lead):
    after = lead + text
    assert _extract._not_a_count_after(after) == bool(_extract._NOT_A_COUNT_AFTER.match(after))


def test_every_word_after_a_number_is_ruled_out_as_the_pattern_says():
    for first in _AFTER_NUMBER_VOCABULARY:
        for second in _AFTER_NUMBER_VOCABULARY:
            for after in (f" {first} {second}", f" {first}{second}", f"{first}"):
                assert _extract._not_a_count_after(after) == bool(_extract._NOT_A_COUNT_AFTER.match(after)), after


# -- a name before a cue noun, tried only where a name can start --------------------------------------

_NAME_VOCABULARY = sorted(_places._CONNECTORS | {"Kessa", "Tal", "Hamra", "Bab", "Zor", "the", "x", "McKessa", "KESSA",
                                                 "Abu", "al", "ez", "bin", "ash", "del", "dal", "xal", "ABU", "é", "Éz",
                                                 "2", "Kessa's", "Ma'arrat", "_"})


@settings(max_examples=4000, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(_NAME_VOCABULARY), st.sampled_from([" ", " ", "-", "", "  ", "\n", "‐", ", "])),
                max_size=9).map(lambda parts: "".join(w + j for w, j in parts)), st.integers(0, 12), st.integers(0, 3))
def test_a_name_before_a_cue_found_from_its_capitals_is_the_patterns(sentence, lo, cut):
    end = max(0, len(sentence) - cut)
    lo = min(lo, end)
    found, expected = _places._name_before(sentence, lo, end), _places._NAME_BEFORE.search(sentence, lo, end)
    assert (found and found.span("name")) == (expected and expected.span("name"))


def test_every_connector_and_word_pair_before_a_cue_is_named_as_the_pattern_names_it():
    for first in _NAME_VOCABULARY:
        for second in _NAME_VOCABULARY:
            for sentence in (f"{first}-{second}", f"x {first} {second}", f"{first}{second}", f"{first}-{second}\n"):
                for lo in range(len(sentence) + 1):
                    found = _places._name_before(sentence, lo, len(sentence))
                    expected = _places._NAME_BEFORE.search(sentence, lo, len(sentence))
                    assert (found and found.span()) == (expected and expected.span()), (sentence, lo)


_QUALIFIER_WINDOW_VOCABULARY = _QUALIFIER_VOCABULARY + ["said,", "20,000", "5.", "(3)", "2a", "(near)", "near.", "“outskirts", "x,", ",", "2,", "road,",
                                                        "'north", "[road", "north.", "near,-", ".", "-near"]


@settings(max_examples=4000, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(_QUALIFIER_WINDOW_VOCABULARY), st.sampled_from([" ", " ", "  ", "-", ", ", "\n", ""])),
                max_size=14).map(lambda parts: "".join(w + j for w, j in parts).lower()))
def test_qualifier_matched_at_its_first_words_is_the_search_from_the_first_of_them(window):
    # _qualifier_match tries the pattern only where a qualifier's first word starts: the same match as
    # the search from the first of the last eleven words that is such a word or not all letters.
    last = window.split()[-11:]
    first = next((i for i, w in enumerate(last) if w in _places._QUALIFIER_FIRST_WORDS or not w.isalpha()), -1)
    at = len(window)
    for word in reversed(last[first:] if first >= 0 else []):
        at = window.rfind(word, 0, at)
    expected = _places._QUALIFIER_BEFORE_LOWER.search(window, at) if first >= 0 else None
    found = _places._qualifier_match(window, last)
    assert (found and found.span()) == (expected and expected.span())


# -- attribution: the clause pattern tried only where a match can start

def _attribution_by_patterns(sentence: str) -> str | None:
    """``find_attribution`` as it was: every pattern searched whenever its cue is there (after a
    headline's label, which needs no speech word)."""
    words = _extract.words_of(sentence)
    colon = sentence.find(":", 0, 60)
    label = _extract._label_source(sentence, colon) if colon > 2 else None
    if label is not None:
        return label
    if not words & _extract._SPEECH_WORDS:
        return None
    comma = "," in sentence
    lowered = sentence.lower()
    fast = len(lowered) == len(sentence)
    text = lowered if fast else sentence
    for pattern, lowercase in _extract._SPOKEN:
        if not comma if pattern is not _extract._ACCORDING else "according" not in words:
            continue
        match = (lowercase if fast else pattern).search(text)
        if match:
            source = _extract._clean_source(sentence[match.start("src") : match.end("src")])
            if source and not (pattern is _extract._INVERTED and _extract._FINITE_VERB.search(source)):
                return source
    stripped = sentence.lstrip("\"“'‘ ")
    offset = len(sentence) - len(stripped)
    for pattern, lowercase in _extract._SUBJECT:
        match = (lowercase if fast else pattern).search(text[offset:])
        if match:
            source = _extract._clean_source(stripped[match.start("src") : match.end("src")])
            if source and _extract._GENERIC_SUBJECT.search(source):
                return source
    return None


_ATTRIBUTION_VOCABULARY = sorted(set(_vocabulary(_extract._TRAILING, _extract._LEADING, _extract._CLAUSE)) | {
    "The", "ministry", "Morek", "army", "the", "a", "an", "said", "Said", "SAID", "says", "put", "toll", "number", "x",
    "on", "in", "later", "lately", "earlier", "early", "statement", "Monday", "and", "but", "as", "was", "has", "when",
    "told", "according", "to", "officials", "é", "İ", "2"})
_ATTRIBUTION_JOINERS = [" ", " ", " ", " ", ", ", ". ", "; ", ": ", ",\" ", "\" ", " “", "” ", "\n", "  ", ",", "-", "’ "]


@settings(max_examples=6000, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(_ATTRIBUTION_VOCABULARY), st.sampled_from(_ATTRIBUTION_JOINERS)),
                min_size=1, max_size=14).map(lambda parts: "".join(w + j for w, j in parts)),
       st.sampled_from(["", ".", ".\"", "”", "!", "\n", ". ", "?”."]))
def test_attribution_with_the_clause_pattern_tried_at_its_starts_is_the_patterns(text, end):
    sentence = text.strip() + end
    assert _extract.find_attribution(sentence) == _attribution_by_patterns(sentence)
    lowered = sentence.lower()
    found, expected = _extract._search_clause(lowered), _extract._CLAUSE_LOWER.search(lowered)
    assert (found and found.span("src")) == (expected and expected.span("src"))


def test_every_opener_before_a_source_starts_the_clause_pattern_where_its_search_does():
    openers = re.search(r"\\b\(\?:([a-z|]+)\)", _extract._CLAUSE.pattern).group(1).split("|")  # the pattern's own
    assert set(openers) == set(_extract._CLAUSE_OPENERS)
    for opener in openers + ["", ";", ":", "xand", "and2", "_as", "yet"]:
        for lead in ("", "x ", "x,", "x;", "(", "é"):
            for gap in (" ", "  ", "\t", "", ": "):
                text = f"{lead}{opener}{gap}the ministry said"
                found, expected = _extract._search_clause(text), _extract._CLAUSE_LOWER.search(text)
                assert (found and found.span("src")) == (expected and expected.span("src")), text


# -- a placeless follow-up: its denial and its "the town" searched only when their words are there

def test_every_anaphoric_denial_phrase_needs_one_of_the_words_that_gate_it():
    assert _extract._ANAPHORIC_DENIAL_WORDS <= _extract._VOCABULARY  # words_of keeps them
    words = _vocabulary(_extract._ANAPHORIC_DENIAL) + _INFLECTED + ["even"]
    for first in words:
        for second in words:
            for sentence in (f"This was {first} {second}.", f"It {first} not {second}", f"{first} {second} even reached"):
                if _extract._ANAPHORIC_DENIAL_LOWER.search(sentence.lower()):
                    assert not _extract.words_of(sentence).isdisjoint(_extract._ANAPHORIC_DENIAL_WORDS), sentence


@settings(max_examples=4000, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(sorted(set(_vocabulary(_extract._ANAPHORIC_DENIAL, _extract._ANAPHOR)) | {
    "DENIED", "Still", "airbase", "the", "The", "Town", "x", "é", "İ", "ſtill", "denied2", "reached_"})),
                          st.sampled_from([" ", " ", "  ", "-", ", ", "\n", "", "."])),
                max_size=10).map(lambda parts: "".join(w + j for w, j in parts)))
def test_a_placeless_denial_or_anaphor_is_searched_whenever_the_pattern_can_find_it(sentence):
    lowered = sentence.lower()
    if _extract._ANAPHORIC_DENIAL_LOWER.search(lowered):
        assert not _extract.words_of(sentence).isdisjoint(_extract._ANAPHORIC_DENIAL_WORDS)
    if _extract._ANAPHOR_LOWER.search(lowered):
        assert _extract._may_be_anaphor(lowered)


# -- a number's case-insensitive patterns run case-sensitively on lowercased ASCII text ----------------

def _lowered_groups(match):
    return match and (match.span(), tuple(g and g.lower() for g in match.groups()))


@settings(max_examples=4000, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(sorted(set(_vocabulary(_extract._FIGURE, _extract._QUAL_BEFORE, _extract._GOVERNING))
                                                 | {"At", "LEAST", "Two", "Hundred", "2,000", "3.5", "12", "A", "Dozen",
                                                    "KILLED", "Killing", "x", "the", "Tens", "Of", "Thousands"})),
                          st.sampled_from([" ", " ", "  ", "", "-", ", ", "\n"])),
                max_size=10).map(lambda parts: "".join(w + j for w, j in parts)))
def test_number_patterns_on_lowercased_ascii_text_are_the_case_insensitive_ones(sentence):
    lowered = sentence.lower()
    for p in range(len(sentence) + 1):
        assert _lowered_groups(_extract._FIGURE_LOWER.match(lowered, p)) == _lowered_groups(_extract._FIGURE.match(sentence, p))
        for lo in (0, max(0, p - 24)):
            assert (_lowered_groups(_extract._qualifier_before(lowered, lo, p, True))
                    == _lowered_groups(_extract._QUAL_BEFORE.search(sentence, lo, p)))
    assert _lowered_groups(_extract._GOVERNING_LOWER.search(lowered)) == _lowered_groups(_extract._GOVERNING.search(sentence))
    starts = [m.start() for m in _extract._NUMBER_START.finditer(sentence)]
    assert ([_lowered_groups(m) for m in _extract._figure_matches(lowered, starts, True)]
            == [_lowered_groups(m) for m in _extract._figure_matches(sentence, starts)])


# -- events: a cue word that decides nothing alone calls its pattern only when one of its phrases is there

def _event_by_patterns(sentence: str) -> str:
    """``classify_event(sentence, ())`` with every event's pattern searched (no gate at all)."""
    lowered = sentence.lower()
    hits = {name for name, pattern in _extract._EVENTS_LOWER.items() if pattern.search(lowered)}
    # What the hits decide is common to both; with every word "present", every phrase that claims no
    # event is searched for (``_discount``'s own gates open).
    return _extract.decide_event(hits, (), sentence, _extract._VOCABULARY, lowered)


_PHRASE_VOCABULARY = sorted(set(_EVENT_WORDS) | {"to", "of", "into", "out", "the", "their", "our", "in", "full", "complete",
                                                 "security", "has", "had", "have", "not", "lost", "en", "build", "up",
                                                 "city", "homes", "fighters", "x", "Morek", "under", "on"})


@settings(max_examples=6000, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(_PHRASE_VOCABULARY), st.sampled_from([" ", " ", " ", "  ", "-", ", ", ""])),
                min_size=1, max_size=10).map(lambda parts: "".join(w + j for w, j in parts).strip()))
def test_event_phrase_gates_never_change_the_event(sentence):
    assert classify_event(sentence, ()) == _event_by_patterns(sentence)


def test_every_phrase_of_a_cue_word_that_decides_nothing_alone_calls_its_pattern():
    # All phrases of these words are of two or three words: every pair and triple of the words the
    # patterns spell, with the fillers they take, is classified as the ungated patterns classify it.
    words = sorted({w for name in _extract._EVENT_PHRASES for w in _extract._EVENT_PHRASES[name]})
    fillers = ["to", "of", "into", "out", "the", "their", "our", "in", "full", "complete", "security", "control", "has",
               "had", "have", "not", "lost", "en", "build-up", "buildup", "city", "homes", "hands", "fighters", "x"]
    for first in words + fillers:
        for second in words + fillers:
            for sentence in (f"{first} {second}", f"x {first} {second} x", f"took {first} {second}", f"{first} the {second}",
                             f"cleared the {first} of {second}", f"{first} {second} of x"):
                assert classify_event(sentence, ()) == _event_by_patterns(sentence), sentence


# -- phrases that claim no event, and what skips their searches ------------------------------------------

_CLAIMLESS_VOCABULARY = sorted(set(_vocabulary(_extract._CONTACTED, _extract._LEFT_HOMES, _extract._HYPOTHETICAL_CONTROL,
                                               _extract._RETREAT_BEFORE))
                               | {"fled", "flee", "fleeing", "fledgling", "reflee", '"fled', "took", "entered", "Kessa",
                                  "x", "2fled", "the", "town", "reached", "left", "control", "of", "over"})


@settings(max_examples=4000, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(_CLAIMLESS_VOCABULARY), st.sampled_from([" ", " ", " ", ", ", ". ", "-", ""])),
                min_size=1, max_size=12).map(lambda parts: "".join(w + j for w, j in parts).strip().lower()))
def test_claimless_phrases_found_from_their_words_are_the_patterns(sentence):
    # Sentences spaced as ``split_sentences`` leaves them (single spaces).
    blank = _extract._blank
    expected = _extract._HYPOTHETICAL_CONTROL.sub(blank, _extract._LEFT_HOMES.sub(blank, _extract._CONTACTED.sub(
        blank, sentence)))
    assert _extract._without_claimless_control(sentence, _extract.words_of(sentence)) == expected
    flights = list(re.finditer(r"\b(?:fled|flee|fleeing)\b", sentence))
    assert _extract._flights_are_retreats(sentence) == (
        bool(flights) and all(_extract._RETREAT_BEFORE.search(sentence, 0, m.start()) for m in flights))


_SPEECH_AFTER_VOCABULARY = sorted(set(_vocabulary(_places._SPEECH_AFTER)) | {"'s", "’s", "Said", "x", "saying", "2", ","})


@settings(max_examples=3000, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(_SPEECH_AFTER_VOCABULARY), st.sampled_from([" ", "  ", "", ", ", "\n"])),
                max_size=6).map(lambda parts: "".join(j + w for w, j in parts)))
def test_speech_after_a_name_read_from_its_first_word_is_the_patterns(text):
    assert _places._speech_after(text) == bool(_places._SPEECH_AFTER.match(text))


_APPOSITIVE_VOCABULARY = sorted(set(_vocabulary(_extract._APPOSITIVE)) | {"civilians", "a", "woman", "were", "injured", "x",
                                                                          "Among", "two-year-old"})


@settings(max_examples=3000, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(_APPOSITIVE_VOCABULARY), st.sampled_from([" ", " ", ", ", ",", "  ", ". "])),
                max_size=10).map(lambda parts: "".join(j + w for w, j in parts)))
def test_appositive_found_after_its_opener_is_the_patterns(after):
    match = _extract._APPOSITIVE.match(after)
    assert _extract._without_appositive(after) == (match.group(1) + after[match.end():] if match else after)
