"""neutralise: what feed text loses before it is shown or published, character by character."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from tui.text import BIDI_CONTROLS, ZERO_WIDTH, neutralise

KEPT_CONTROLS = "\t\n"
CONTROLS = "".join(chr(c) for c in [*range(0x00, 0x20), *range(0x7F, 0xA0)] if chr(c) not in KEPT_CONTROLS)


def reference(text: str) -> str:
    return "".join("" if c in BIDI_CONTROLS + ZERO_WIDTH else " " if c in CONTROLS else c for c in text)


@given(st.text(alphabet=st.sampled_from(BIDI_CONTROLS + ZERO_WIDTH + CONTROLS + KEPT_CONTROLS + "aZ 9,-دمشق\u00e9\u2014")))
def test_neutralise_removes_bidi_and_invisible_and_blanks_other_controls(text):
    assert neutralise(text) == reference(text)


def test_deined_stays_deined():
    assert neutralise("Officials \u202edeined\u202c it\x1b[31m") == "Officials deined it [31m"
