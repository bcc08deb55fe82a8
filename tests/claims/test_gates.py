"""Extraction skips costly searches when a sentence's words show they cannot match (word-set gates).
A gate may only save time: with or without it, every sentence must get the same answer."""

from __future__ import annotations

import re

from hypothesis import given, settings
from hypothesis import strategies as st

from claims import _extract, _places, _text, classify_event, classify_stance


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
_STANCE_WORDS = sorted(set(_vocabulary(_extract._DENIAL, _extract._RELAY)) | set(_INFLECTED))
_EVENT_WORDS = sorted(set(_vocabulary(*_extract._EVENTS.values())) | set(_INFLECTED))
_JOINERS = [" ", " ", " ", ", ", "-", ". ", " — ", "'s "]


def _sentences(vocabulary: list[str]):
    return st.lists(st.tuples(st.sampled_from(vocabulary), st.sampled_from(_JOINERS)), min_size=1, max_size=14).map(
        lambda parts: "".join(w + j for w, j in parts).strip())


def _stance_ungated(sentence: str) -> str:
    if _extract._DENIAL.search(sentence):
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
    assert classify_event(sentence, ()) == classify_event(sentence, (), _EVERY_PATTERN)


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


def test_every_cue_noun_after_a_name_passes_the_substring_test():
    nouns = re.search(r"\(\?P<noun>([^)]*)\)", _places._CUE_AFTER_NOUN.pattern).group(1).split("|")
    assert nouns and all(_places._may_have_cue_noun(f"Kessa {noun}") for noun in nouns)


# -- capitalised runs and digits found without the regex engine's character-by-character scan ----------

_RUN_ALPHABET = "AZaz09 -'’.,éÉ\u2011\t" + "Kessa al-Bab ez Zor Tal "


@settings(max_examples=3000, deadline=None)
@given(st.text(alphabet=_RUN_ALPHABET, max_size=60))
def test_capital_runs_are_the_patterns_matches(text):
    expected = [(m.start(), m.group()) for m in _places._RUN_AT_CAPITAL.finditer(text)]
    assert [(m.start(), m.group()) for m in _text.matches_from(_places._RUN_AT_CAPITAL, text, _places._CAPITALS)] == expected


_SEAT_VOCABULARY = sorted(set(_vocabulary(_places._SEAT_OF_SPEAKER)) | {"Ministry", "IN", "x-ministry", "the", "Kessa"})


@settings(max_examples=3000, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(_SEAT_VOCABULARY), st.sampled_from([" ", "  ", "-", ", ", "\n", ""])),
                max_size=8).map(lambda parts: "".join(w + j for w, j in parts)))
def test_seat_of_speaker_found_from_the_last_words_is_the_patterns(window):
    expected, found = _places._SEAT_OF_SPEAKER.search(window), _places._seat_before(window)
    assert (found and (found.span(), found.group("who"))) == (expected and (expected.span(), expected.group("who")))


_CLAUSE_VOCABULARY = sorted(set(_vocabulary(_extract._CLAUSE_BREAK)) | {"Morek", "the", "army", "said", "é", "x"})


@settings(max_examples=3000, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(_CLAUSE_VOCABULARY), st.sampled_from([" ", ", ", "; ", ".", " — ", ",", ". ", "  "])),
                max_size=12).map(lambda parts: "".join(w + j for w, j in parts)))
def test_clause_breaks_found_from_their_characters_are_the_patterns(sentence):
    expected = [m.span() for m in _extract._CLAUSE_BREAK.finditer(sentence)]
    assert [m.span() for m in _text.matches_from(_extract._CLAUSE_BREAK, sentence, _extract._CLAUSE_STARTS)] == expected


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
