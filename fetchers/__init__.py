"""Retrieval (HTTP, files) and parsing (feeds, text, HTML) into plain ``claims.types.Item`` data."""

from ._files import discover, is_feed_file, name_hints, parse_bytes, read_file, slug
from ._http import (
    FeedRequest,
    HttpSettings,
    Retrieved,
    fetch_all,
    is_transient_status,
    max_age,
    next_due,
    retry_after,
)
from ._normalise import canonical_link, content_hash, fold_line, fold_text, html_to_text, strip_controls
from ._parse import ParsedFeed, parse_document, parse_html_article, parse_json_feed, parse_text
from .errors import FetchError, ParseError, RetrieveError

__all__ = [
    "FeedRequest",
    "FetchError",
    "HttpSettings",
    "ParseError",
    "ParsedFeed",
    "RetrieveError",
    "Retrieved",
    "canonical_link",
    "content_hash",
    "discover",
    "fetch_all",
    "is_feed_file",
    "name_hints",
    "slug",
    "fold_line",
    "fold_text",
    "html_to_text",
    "is_transient_status",
    "max_age",
    "next_due",
    "parse_bytes",
    "parse_document",
    "parse_html_article",
    "parse_json_feed",
    "parse_text",
    "read_file",
    "retry_after",
    "strip_controls",
]
