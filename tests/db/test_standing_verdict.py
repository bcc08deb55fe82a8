"""Which verdict a claim's status rests on: the latest, or after an undo, the one it brought back."""

from __future__ import annotations

from db import Verdict, standing_verdict


def v(id_, status, editor, undoes=None, previous=None):
    return Verdict(id_, 1, status, editor, f"2026-11-21T10:{id_:02d}:00Z", f"note {id_}", (), previous, undoes)


def test_no_verdicts_no_decision():
    assert standing_verdict([]) is None


def test_the_latest_verdict_stands():
    log = [v(1, "verified", "root"), v(2, "disputed", "alice", previous="verified")]
    assert standing_verdict(log) is log[1]


def test_an_undo_brings_back_the_verdict_before_the_one_it_undid():
    root = v(1, "verified", "root")
    log = [root, v(2, "disputed", "bob", previous="verified"), v(3, "verified", "bob", undoes=2, previous="disputed")]
    assert standing_verdict(log) is root


def test_undoing_the_first_verdict_leaves_no_decision():
    log = [v(1, "verified", "root"), v(2, "unverified", "root", undoes=1, previous="verified")]
    assert standing_verdict(log) is None


def test_undo_of_an_undo_and_decisions_in_between():
    root = v(1, "verified", "root")
    bob = v(2, "disputed", "bob", previous="verified")
    log = [root, bob, v(3, "verified", "bob", undoes=2, previous="disputed")]
    # alice decides after the undo, then undoes hers: bob's undo stands, which brought back root's
    log += [v(4, "disputed", "alice", previous="verified"), v(5, "verified", "alice", undoes=4, previous="disputed")]
    assert standing_verdict(log) is root
    # another editor decided between bob's verdict and his undo: the undo still restores what bob replaced
    log = [root, bob, v(3, "disputed", "carol", previous="disputed"), v(4, "verified", "bob", undoes=2, previous="disputed")]
    assert standing_verdict(log) is root


def test_an_undo_the_log_cannot_explain_stands_itself():
    undo = v(7, "verified", "bob", undoes=99, previous="disputed")
    assert standing_verdict([v(1, "disputed", "root"), undo]) is undo
    undo = v(2, "disputed", "bob", undoes=1, previous="verified")  # status differs from what was before
    assert standing_verdict([v(1, "verified", "root"), undo]) is undo
