"""What a feed source is — a local path or a URL — decided without importing the fetchers."""

from __future__ import annotations

from pathlib import Path


def is_local(source: str) -> bool:
    return "://" not in source or source.startswith("file://")


def local_path(source: str) -> Path:
    return Path(source[len("file://") :] if source.startswith("file://") else source)
