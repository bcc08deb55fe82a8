"""Claim extraction: pure, deterministic, offline. Sentences → places → mentions → claims.

No I/O except the gazetteer index cache, in a directory the caller passes to ``Gazetteer.load``.
"""

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
