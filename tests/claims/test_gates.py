"""Extraction skips costly searches when a sentence's words show they cannot match (word-set gates).
A gate may only save time: with or without it, every sentence must get the same answer."""

from __future__ import annotations

import re

from hypothesis import given, settings
from hypothesis import strategies as st

from claims import _extract, classify_event, classify_stance


def _vocabulary(*patterns: re.Pattern) -> list[str]:
    """Every word the patterns spell, so generated sentences hit their phrases, plus fillers."""
    words = {w for p in patterns for w in re.findall(r"[a-z]+", p.pattern) if len(w) > 1}
    return sorted(words | {"the", "army", "Morek", "troops", "said", "to", "be", "it", "was", "is", "are"})


_STANCE_WORDS = _vocabulary(_extract._DENIAL, _extract._RELAY)
_EVENT_WORDS = _vocabulary(*_extract._EVENTS.values())
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


@settings(max_examples=3000, deadline=None)
@given(_sentences(_EVENT_WORDS))
def test_event_gates_never_change_the_event(sentence):
    hits = {name for name, pattern in _extract._EVENTS.items() if pattern.search(sentence)}
    if "casualties" in hits and "control" not in hits:
        expected = "casualties"
    elif "control" in hits and "movement" in hits and all(
            m.group(0).lower() in _extract._WEAK_CONTROL for m in _extract._EVENTS["control"].finditer(sentence)):
        expected = "movement"
    else:
        expected = next((n for n in ("control", "casualties", "displacement", "attack", "movement") if n in hits),
                        "other")
    assert classify_event(sentence, ()) == expected


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
