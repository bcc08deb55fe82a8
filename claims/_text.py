"""Text primitives: name normalisation and sentence splitting (compiled regexes, no models)."""

from __future__ import annotations

import re
import unicodedata

_APOSTROPHES = str.maketrans({c: None for c in "'’‘ʿʾʼ`´ʻ′"})
_DASHES = re.compile(r"[-‐‑‒–—_/]+")
# Arabic article variants (al-, el-, ad-, ash-, ...) are one thing; Tell/Tal/Tall too; Kafr/Kfar.
_ARTICLE = re.compile(r"\b(?:al|el|ad|adh|ag|an|ar|as|ash|at|ath|az|ez|ed|es|er|et|en|ul|il)\s+(?=\w)")
_WORD_VARIANTS = {"tell": "tal", "tall": "tal", "kfar": "kafr", "kafar": "kafr", "deir": "dayr", "dair": "dayr"}
_REPEATS = re.compile(r"(.)\1+")
_SPACE = re.compile(r"\s+")


# Memo of ``normalise_name`` (names repeat): a dict read from compiled code, where calling through an
# lru_cache wrapper cost ~500 instructions (normalise_name runs for every n-gram of every run).
_NORMALISED: dict[str, str] = {}


def normalise_name(name: str) -> str:
    """Accent-, case-, apostrophe- and article-insensitive key: "Ma'arrat an-Nu'man" == "Maarat al-Numan"."""
    norm = _NORMALISED.get(name)
    if norm is None:
        if len(_NORMALISED) >= 200_000:
            _NORMALISED.clear()
        norm = _NORMALISED[name] = _normalise(name)
    return norm


def _normalise(name: str) -> str:
    text = unicodedata.normalize("NFKD", name)
    text = "".join(c for c in text if not unicodedata.combining(c)).casefold()
    text = text.translate(_APOSTROPHES)
    text = _DASHES.sub(" ", text)
    text = _ARTICLE.sub("al ", text)
    words = [_WORD_VARIANTS.get(w, w) for w in _SPACE.split(text.strip())]
    return _REPEATS.sub(r"\1", " ".join(words))


# -- sentences -----------------------------------------------------------------------------------

_ABBREVIATIONS = {
    "mr", "mrs", "ms", "dr", "prof", "gen", "lt", "col", "maj", "capt", "cpt", "sgt", "cpl", "pvt", "adm", "brig",
    "gov", "sen", "rep", "rev", "st", "mt", "ft", "jr", "sr", "co", "corp", "inc", "ltd", "no", "nos", "vs", "etc",
    "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec", "approx", "est", "dept",
    "univ", "assn", "fig", "al", "pres", "sheikh", "lt-col", "km", "p", "pp", "vol", "cf", "e.g", "i.e", "a.m", "p.m",
}
# A candidate boundary: terminal punctuation, optional closing quotes/brackets, whitespace, then an
# opening quote, bracket, capital or digit. It starts with a plain character class (no group, no
# repeat) so the regex engine skips to the next [.!?] instead of trying every position (2x faster);
# ``split_sentences`` finds the parts.
_BOUNDARY = re.compile(r"[.!?][.!?]*[\"'”’)\]]*\s+(?=[\"'“‘(\[]?[A-Z0-9])")
_WORD_BEFORE = re.compile(r"([A-Za-z][A-Za-z.\-]*)$")
_INITIALS = re.compile(r"(?:\b[A-Za-z]\.)+[A-Za-z]$")
_PARAGRAPH = re.compile(r"\n\s*\n")


def marks(characters: bytes) -> tuple[bytes, str]:
    """For ``matches_from``: a ``bytes.translate`` table sending each of ``characters`` to the first
    of them and every other byte to a space, and that first character."""
    return bytes(characters[0] if c in characters else 32 for c in range(256)), chr(characters[0])


def marks_before_space(characters: bytes) -> tuple[bytes, str]:
    """``marks`` for a pattern that also needs whitespace right after its first character: ASCII
    whitespace goes to a space, every other byte to "x", and the mark is that character and a space
    (a comma or period is then tried only where whitespace follows)."""
    table = bytes(characters[0] if c in characters else 32 if chr(c).isspace() else 120 for c in range(256))
    return table, chr(characters[0]) + " "


def translated(text: str, table: bytes) -> str:
    """ASCII ``text`` translated by a ``marks`` table, as a str: compiled, ``str.find`` is a direct
    call (``bytes.find`` parses an argument tuple per call, ~650 instructions, 3% of extraction)."""
    return text.encode().translate(table).decode()


def matches_from(pattern: re.Pattern[str], text: str, starts: tuple[bytes, str]) -> list[re.Match[str]]:
    """``pattern.finditer(text)`` for a pattern that matches at least one character and can only
    start at the characters ``starts`` (``marks``, ``marks_before_space``) marks. In ASCII text those are found with
    ``str.find`` over the ``translated`` text (memchr) and the pattern is tried only there: the regex
    engine's own search tests every character against the pattern's first character class."""
    if not text.isascii():
        return list(pattern.finditer(text))
    table, mark = starts
    marked = translated(text, table)
    matches = []
    at = marked.find(mark)
    while at >= 0:
        match = pattern.match(text, at)
        if match is None:
            at = marked.find(mark, at + 1)
        else:
            matches.append(match)
            at = marked.find(mark, max(match.end(), at + 1))
    return matches


def last_word_rules_out(window: str, words: frozenset[str]) -> bool:
    """Is the last word of ``window`` ASCII letters and digits only and, lowercased, none of ``words``?
    Then a case-insensitive pattern ``\\b(?:phrases)\\s*$`` whose phrases end in ``words`` cannot match
    it: its last word would have to be all of that word (no \\b inside it). Such end-anchored searches
    cost ~3,000 instructions a call, and most windows end in some other word. (A last "word" that takes
    in other whitespace than a space is not letters and digits: the pattern decides.)"""
    stripped = window.rstrip()
    last = stripped[stripped.rfind(" ") + 1 :]
    if not last or last.lower() in words:
        return False
    return last.isalnum() and last.isascii()


_TERMINALS = marks(b".!?")


# The whitespace ``str.split`` splits ASCII text at, other than the space.
_ODD_SPACES = ("  ", "\t", "\n", "\r", "\x0b", "\x0c", "\x1c", "\x1d", "\x1e", "\x1f")


def split_sentences(text: str) -> list[str]:
    """Sentences of a text; paragraph breaks always split; survives "U.S.", "Gen.", "2,000", "3.5".
    Whitespace runs become one space (``" ".join(s.split())``: str.split and re's ``\\s`` agree on
    what whitespace is, and it is several times cheaper than a regex substitution)."""
    sentences: list[str] = []
    # Typed: compiled, an untyped paragraph (re's split returns ``list[str | Any]``) made every index,
    # slice and method call on it a generic one.
    paragraphs: list[str] = _PARAGRAPH.split(text)
    for paragraph in paragraphs:
        paragraph = paragraph.strip()
        if not paragraph:
            continue
        # Whitespace runs become one space once per paragraph, and only when it has any other than
        # single spaces (an ASCII paragraph of single spaces is its own normal form): each sentence is
        # then a slice, where splitting and joining each was ~5,000 instructions a sentence. Boundaries
        # are the same either way (the pattern takes any whitespace run whole; an abbreviation is
        # judged by the last word before its period), and a sentence neither starts nor ends in
        # whitespace (it starts after a boundary's whitespace and ends before it).
        if not paragraph.isascii() or any(space in paragraph for space in _ODD_SPACES):
            paragraph = " ".join(paragraph.split())
        start = 0
        for stop, end, after in _boundaries(paragraph):
            if (paragraph[stop] == "." and paragraph[stop + 1] not in ".!?"
                    and _is_abbreviation(paragraph[max(start, stop - 24) : stop])):
                continue
            sentence = paragraph[start:end]
            if sentence:
                sentences.append(sentence)
            start = after
        tail = paragraph[start:]
        if tail:
            sentences.append(tail)
    return sentences


def _boundaries(paragraph: str) -> list[tuple[int, int, int]]:
    """(start, end of the closing quotes, end) of each match of ``_BOUNDARY.finditer(paragraph)``.
    In ASCII text each terminal is found with ``str.find`` (``matches_from``) and the common boundary
    (terminals, closing quotes, one space, an opening quote or not, a capital or digit) read character
    by character; other whitespace is left to the pattern. A regex call per terminal, with its Match
    and three method calls on it, was ~3,500 instructions."""
    if not paragraph.isascii():
        return [(m.start(), m.start() + len(m.group().rstrip()), m.end()) for m in _BOUNDARY.finditer(paragraph)]
    table, mark = _TERMINALS
    marked = translated(paragraph, table)
    size = len(paragraph)
    found = []
    at = marked.find(mark)
    while at >= 0:
        stop = at + 1
        while stop < size and paragraph[stop] in ".!?":
            stop += 1
        while stop < size and paragraph[stop] in "\"')]":
            stop += 1
        end = -1  # no boundary at this terminal
        if stop + 1 < size and paragraph[stop] == " " and not paragraph[stop + 1].isspace():
            first = paragraph[stop + 1]
            if first in "\"'([" and stop + 2 < size:
                first = paragraph[stop + 2]
            if "A" <= first <= "Z" or "0" <= first <= "9":
                end = stop + 1
        elif stop < size and paragraph[stop].isspace():
            match = _BOUNDARY.match(paragraph, at)
            if match is not None:
                stop, end = at + len(match.group().rstrip()), match.end()
        if end < 0:
            at = marked.find(mark, at + 1)
        else:
            found.append((at, stop, end))
            at = marked.find(mark, end)
    return found


def _is_abbreviation(before: str) -> bool:
    # Both patterns end at the end and match no whitespace: run them on the last word only (searched
    # over the whole window they were tried at every character).
    if not before or before[-1].isspace():
        return False
    before = before.rsplit(None, 1)[-1]
    if before.isalpha() and before.isascii():  # the common case, a plain word: what the patterns decide
        return len(before) == 1 or before.lower() in _ABBREVIATIONS
    if _INITIALS.search(before):  # "U.S." "U.N." — a sentence can still end here, but rarely in wire copy
        return True
    match = _WORD_BEFORE.search(before)
    if not match:
        return False
    word = match.group(1).lower().rstrip(".")
    return word in _ABBREVIATIONS or (len(word) == 1 and word.isalpha())
