"""An editor's search box text as an FTS5 query: words, "quoted phrases", OR, and prefix*.

Everything typed is quoted before it reaches FTS5, so no input is a syntax error (a lone double
quote once ended in an fts5 syntax error): words must all match, ``"Khan Shaykhun"`` matches the words
in that order, ``Morek OR Suran`` either (OR in capitals, as in FTS5 and web search; AND is what
words side by side mean anyway), and ``Sar*`` any word starting so.
"""

from __future__ import annotations

import re

_TOKEN = re.compile(r'"([^"]*)"?(\*?)|([^\s"]+)')


def fts_query(text: str) -> str | None:
    """The FTS5 MATCH expression for ``text``; None when nothing searchable is left (only quotes,
    spaces or a dangling OR)."""
    terms: list[str] = []
    pending_or = False
    for match in _TOKEN.finditer(text):
        phrase, star, word = match.groups()
        if word == "OR":
            pending_or = bool(terms)
            continue
        if word == "AND":  # what words next to each other mean anyway
            continue
        if word is not None:
            body, star = (word[:-1], "*") if word.endswith("*") and len(word) > 1 else (word, "")
        else:
            body = phrase
        body = body.strip()
        if not body or not any(c.isalnum() for c in body):
            continue
        term = '"' + body.replace('"', '""') + '"' + star
        if pending_or:
            terms[-1] = f"{terms[-1]} OR {term}"
        else:
            terms.append(term)
        pending_or = False
    if not terms:
        return None
    # FTS5's OR binds tighter than the implicit AND: "a b OR c" is a AND (b OR c), as typed.
    return " AND ".join(f"({t})" if " OR " in t else t for t in terms)
