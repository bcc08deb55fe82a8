"""Claim extraction: pure, deterministic, offline. Sentences → places → mentions → claims.

No I/O except the gazetteer index cache, in a directory the caller passes to ``Gazetteer.load``.

The hot modules (``_text``, ``_places``, ``_extract``) may be compiled by mypyc at install time
(``setup.py``); the ``.py`` files stay the source of truth. ``COMPILED`` says which ran here.
"""

from ._native import COMPILED

from ._assess import assess, source_of
from ._extract import classify_event, classify_stance, extract, find_attribution, find_figures, originator
from ._gazetteer import AliasSpec, Gazetteer
from ._text import normalise_name, split_sentences
from .types import (
    EVENTS,
    STANCES,
    STATUSES,
    Assessment,
    Figure,
    FigureRange,
    Item,
    Mention,
    Place,
    claim_key,
)

__all__ = [
    "COMPILED",
    "EVENTS",
    "STANCES",
    "STATUSES",
    "AliasSpec",
    "Assessment",
    "Figure",
    "FigureRange",
    "Gazetteer",
    "Item",
    "Mention",
    "Place",
    "assess",
    "claim_key",
    "classify_event",
    "classify_stance",
    "extract",
    "find_attribution",
    "find_figures",
    "normalise_name",
    "originator",
    "source_of",
    "split_sentences",
]
