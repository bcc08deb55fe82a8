"""The benchmark's notes on unmet figures are made from the run's own figures (no timing asserted here)."""

from __future__ import annotations

import os

import pytest

from bench.__main__ import import_note, round_ratio, rounds_note


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


def test_a_ratio_met_in_some_rounds_is_said_to_be_decided_by_the_noise() -> None:
    note = rounds_note("the all-304 pass", ours=[0.50, 0.62, 0.66], theirs=[1.25, 1.20, 1.20], target=0.5)
    assert "met the target in 1 of 3 alternating rounds" in note
    assert "per round 0.40×, 0.52×, 0.55×" in note and "wiredesk 0.50-0.66 s, reader 1.20-1.25 s" in note
    assert "the median, 0.52×, is 3% over it" in note


def test_a_ratio_missed_in_every_round_says_by_how_much() -> None:
    note = rounds_note("the all-304 pass", ours=[1.0, 1.1, 1.2], theirs=[1.0, 1.0, 1.0], target=0.5)
    assert "missed the target in every alternating round" in note and "2.20× the target" in note
    assert "noise" not in note


def test_the_ratio_is_the_median_of_the_rounds_own_ratios() -> None:
    # A slow spell during round 2 slows both programs of that round: its ratio is like the others.
    assert round_ratio([0.5, 1.0, 0.5], [1.0, 2.0, 1.0]) == 0.5
    assert round_ratio([0.4, 0.6, 0.9], [1.0, 1.0, 1.0]) == 0.6


def test_a_ratio_of_two_desks_names_them() -> None:
    note = rounds_note("the first paint at 100k against 1k", [0.70, 0.72, 0.60], [0.50, 0.52, 0.55], 1.3, ("100k", "1k"))
    assert "(100k 0.60-0.72 s, 1k 0.50-0.55 s)" in note and "reader" not in note
    assert "met the target in 1 of 3" in note
