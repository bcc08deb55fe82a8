from __future__ import annotations

import os
from pathlib import Path

import pytest

from tests.loopback import Loopback

ROOT = Path(__file__).resolve().parent.parent
DATA = Path(__file__).resolve().parent / "data"
CORPORA = ROOT.parent / "shared" / "corpora"


@pytest.fixture
def server():
    with Loopback() as srv:
        yield srv


@pytest.fixture(autouse=True)
def _isolated_env(tmp_path_factory, monkeypatch):
    """Tests never read the developer's config or database; the gazetteer cache is shared per run."""
    home = tmp_path_factory.getbasetemp() / "home"
    monkeypatch.setenv("XDG_CONFIG_HOME", str(home / "config"))
    monkeypatch.setenv("XDG_DATA_HOME", str(home / "data"))
    monkeypatch.setenv("WIREDESK_CACHE", str(tmp_path_factory.getbasetemp().parent / "wiredesk-cache"))
    for var in ("WIREDESK_DB", "WIREDESK_CONFIG", "WIREDESK_EDITOR"):
        monkeypatch.delenv(var, raising=False)
