"""Feed text made safe to show: plain strings only, with bidi and invisible characters neutralised.

Wire copy is hostile input. Bidi overrides can make "denied" read as "deined" or flip the order of
two figures; zero-width characters hide inside names so that a search or an eye misses them; C0/C1
controls (ESC) can drive a terminal. Everything shown in the app and printed by ``wiredesk diff``
goes through ``neutralise`` first, and the app builds ``Content``/``Text`` from the result, never
markup strings. No textual import here: the CLI uses it too.
"""

from __future__ import annotations

import re

BIDI_CONTROLS = "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200e\u200f\u061c"
ZERO_WIDTH = "\u200b\u200c\u200d\u2060\ufeff"

# Removed outright: bidi controls and zero-width characters. Replaced by a space: other C0/C1
# controls (tab, newline are kept), so words on either side of one stay apart. A character class
# scan, not str.translate with a table: a digest of 1,000 claims is megabytes, and translate looks
# every character up in the table (0.2 s for 2.8 MB against 0.03 s).
_REMOVE = re.compile(f"[{BIDI_CONTROLS}{ZERO_WIDTH}]")
_CONTROLS = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def neutralise(text: str | None) -> str:
    """``text`` with bidi controls and zero-width characters removed and other controls blanked."""
    if not text:
        return ""
    return _CONTROLS.sub(" ", _REMOVE.sub("", text))


def one_line(text: str | None, limit: int | None = None) -> str:
    """Neutralised and folded onto one line (titles in a table row), cut to ``limit`` characters."""
    flat = " ".join(neutralise(text).split())
    if limit is not None and len(flat) > limit:
        return flat[: max(limit - 1, 0)] + "…"
    return flat
