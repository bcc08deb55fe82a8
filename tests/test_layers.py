"""The core packages load without the UI or network stacks (import-linter checks the static graph)."""

from __future__ import annotations

import subprocess
import sys

import pytest


@pytest.mark.parametrize(
    "package,forbidden",
    [
        ("claims", ["textual", "rich", "httpx", "feedparser", "sqlite3", "sqlite_utils"]),
        ("db", ["textual", "rich", "httpx", "feedparser"]),
        # httpx itself imports rich (for its own CLI) when rich is installed, so rich is not checked here.
        ("fetchers", ["textual", "sqlite_utils"]),
    ],
)
def test_core_package_does_not_load(package, forbidden):
    code = f"import sys, {package}; print(','.join(m for m in {forbidden!r} if m in sys.modules))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.strip()
    assert out == "", f"{package} loaded {out}"
