"""What a feed source is — a local path or a URL — decided without importing the fetchers."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import urlsplit

FEED_SCHEMES = ("http", "https")


def is_local(source: str) -> bool:
    return "://" not in source or source.startswith("file://")


def local_path(source: str) -> Path:
    return Path(source[len("file://") :] if source.startswith("file://") else source)


def url_problem(source: str) -> str | None:
    """Why ``source`` cannot be a feed (a URL of another scheme, or one without a host), else None.
    Local paths are not checked here: whether they exist is a fetch's business; an empty one (an
    unset shell variable) is refused: it would be the current folder."""
    if not source.strip():
        return "empty source (a feed is an http(s) URL or a file path)"
    if is_local(source):
        return None
    try:
        parts = urlsplit(source)
        host = parts.hostname
    except ValueError as exc:
        return f"not a valid URL ({exc})"
    if parts.scheme.lower() not in FEED_SCHEMES:
        return f"{parts.scheme.lower()}:// URLs are not supported (a feed is an http(s) URL or a local path)"
    if not host:
        return "not a valid URL (no host)"
    return None
