"""Retrieval (HTTP, files) and parsing (feeds, text, HTML) into plain ``claims.types.Item`` data.

Names are imported on first use (PEP 562), so that reading ``HttpSettings`` from a config file does
not import httpx, feedparser and selectolax: ``wiredesk --help`` stays quick.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

from ._settings import DEFAULT_USER_AGENT, HttpSettings
from .errors import FetchError, ParseError, RetrieveError

_LAZY = {
    "._files": ("discover", "is_feed_file", "name_hints", "name_of_file", "parse_bytes", "read_file", "slug",
                "unsupported"),
    "._http": ("FeedRequest", "Retrieved", "fetch_all", "is_transient_status", "max_age", "next_due", "retry_after"),
    "._normalise": ("canonical_link", "content_hash", "fold_line", "fold_text", "html_to_text", "strip_controls",
                     "text_words", "words_hash"),
    "._parse": ("ParsedFeed", "parse_document", "parse_html_article", "parse_json_feed", "parse_text"),
}
_WHERE = {name: module for module, names in _LAZY.items() for name in names}

if TYPE_CHECKING:
    from ._files import (
        discover,
        is_feed_file,
        name_hints,
        name_of_file,
        parse_bytes,
        read_file,
        slug,
        unsupported,
    )
    from ._http import FeedRequest, Retrieved, fetch_all, is_transient_status, max_age, next_due, retry_after
    from ._normalise import (
        canonical_link,
        content_hash,
        fold_line,
        fold_text,
        html_to_text,
        strip_controls,
        text_words,
        words_hash,
    )
    from ._parse import ParsedFeed, parse_document, parse_html_article, parse_json_feed, parse_text


def __getattr__(name: str) -> Any:
    module = _WHERE.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(import_module(module, __name__), name)
    globals()[name] = value
    return value


__all__ = sorted(["DEFAULT_USER_AGENT", "FetchError", "HttpSettings", "ParseError", "RetrieveError", *_WHERE])
