"""The benchmark's notes on unmet figures are made from the run's own figures (no timing asserted here)."""

from __future__ import annotations

import os

import pytest

from bench.__main__ import import_note


def test_the_import_note_blames_the_workers_when_they_alone_exceed_half_of_the_peer(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(os, "cpu_count", lambda: 2)
    note = import_note(cpu=4.6, peer=1.7, peer_cpu=1.7, parse=0.8, extract=1.4, prepare=2.7)
    assert "at least 1.35 s = 0.79× reader's whole update" in note
    assert "add 1.90 s of CPU" in note
    assert "out of reach" in note and "the rest of the gap is the store" not in note


def test_the_import_note_blames_the_store_when_the_workers_would_fit(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(os, "cpu_count", lambda: 2)
    note = import_note(cpu=3.0, peer=2.0, peer_cpu=2.0, parse=0.3, extract=0.5, prepare=1.0)
    assert "at least 0.50 s = 0.25× reader's whole update" in note
    assert "the rest of the gap is the store" in note and "out of reach" not in note
