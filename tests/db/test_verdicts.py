"""The verdict log: replay semantics under any interleaving, several processes at once, the CLI."""

from __future__ import annotations

import itertools
import json
import multiprocessing
import sqlite3
import subprocess
import sys
from datetime import datetime, timedelta, timezone
from pathlib import Path

from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import claims
import db._store as store_module
from claims.types import Figure, Item, Mention, Place
from db import NewItem, Store
from wiredesk.cli import cli

PLACE = Place("gn:1", "Kessa", "town", "Syria", "SY")
WIREDESK = str(Path(sys.executable).parent / "wiredesk")


def seeded(path: Path, claims_wanted: int = 3) -> tuple[Store, list[int]]:
    store = Store(path)
    feed = store.add_feed("https://a.example/rss", outlet="A")
    batch = [
        NewItem(Item(f"g{i}", f"t{i}", f"x{i}"), f"h{i}", None,
                (Mention(Place(f"gn:{i}", f"Town {i}", "town"), "Fighters entered.", 1, "asserts", "control"),))
        for i in range(claims_wanted)
    ]
    store.add_items(feed.id, batch, claims.assess, "A")
    return store, sorted(c.id for card in store.place_cards() for c in card.claims)


EDITORS = ("ana", "ben", "cy")
actions = st.lists(
    st.tuples(st.sampled_from(EDITORS), st.integers(0, 2),
              st.sampled_from(["verified", "disputed", "unverified", "undo"])),
    max_size=25,
)
# Each editor's machine has its own clock error, so arrival order and wall-clock order can disagree.
skews = st.fixed_dictionaries({e: st.integers(-3_000_000, 3_000_000) for e in EDITORS})


class LogModel:
    """The verdict log as a list, with the desk's rules: status = the last entry; undo appends the
    status the editor's latest not-yet-undone verdict replaced."""

    def __init__(self) -> None:
        self.log: list[dict] = []

    def status(self, claim: int, upto: int | None = None) -> str:
        rows = [r for r in self.log[:upto] if r["claim"] == claim]
        return rows[-1]["status"] if rows else "unverified"

    def mark(self, editor: str, claim: int, status: str, undoes: int | None = None) -> None:
        self.log.append({"editor": editor, "claim": claim, "status": status, "undoes": undoes})

    def undo(self, editor: str) -> None:
        undone = {r["undoes"] for r in self.log}
        for i in range(len(self.log) - 1, -1, -1):
            r = self.log[i]
            if r["editor"] == editor and r["undoes"] is None and i not in undone:
                self.mark(editor, r["claim"], self.status(r["claim"], upto=i), undoes=i)
                return


def replay(log) -> dict[int, str]:
    """Status per claim from verdicts replayed in time order (ties in log order)."""
    status: dict[int, str] = {}
    for v in sorted(log, key=lambda v: v.at):
        status[v.claim_id] = v.status
    return status


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(script=actions, skew=skews)
def test_any_interleaving_gives_the_status_of_replaying_the_log_in_time_order(
    tmp_path_factory, monkeypatch, script, skew
):
    store, ids = seeded(tmp_path_factory.mktemp("v") / "w.db")
    base = datetime(2026, 11, 21, 12, tzinfo=timezone.utc)
    tick = itertools.count()
    clock = {"editor": "ana"}
    monkeypatch.setattr(
        store_module, "utcnow",
        lambda: (base + timedelta(microseconds=next(tick) * 1000 + skew[clock["editor"]])).strftime(
            "%Y-%m-%dT%H:%M:%S.%fZ"),
    )
    model = LogModel()
    try:
        for editor, n, action in script:
            clock["editor"] = editor
            if action == "undo":
                store.undo(editor)
                model.undo(editor)
            else:
                store.add_verdict(ids[n], action, editor)
                model.mark(editor, ids[n], action)
        log = sorted((v for claim_id in ids for v in store.history(claim_id)), key=lambda v: v.id)
        assert len(log) == len(model.log)
        in_time_order = sorted(log, key=lambda v: v.at)
        assert [v.id for v in in_time_order] == sorted(v.id for v in log)
        replayed = replay(log)
        by_card = {c.id: c.status for card in store.place_cards() for c in card.claims}
        for claim_id in ids:
            expected = model.status(claim_id)
            assert store.claim(claim_id).status == expected
            assert replayed.get(claim_id, "unverified") == expected
            assert by_card[claim_id] == expected
        # The stored undo links say which verdict each undo took back, as the model does.
        position = {v.id: k for k, v in enumerate(sorted(log, key=lambda v: v.id))}
        assert [position.get(v.undoes) for v in sorted(log, key=lambda v: v.id)] == [r["undoes"] for r in model.log]
        assert [(v.editor, v.status) for v in sorted(log, key=lambda v: v.id)] == [
            (r["editor"], r["status"]) for r in model.log]
    finally:
        store.close()


def test_undo_of_a_verdict_someone_has_since_replaced_says_so(tmp_path):
    store, ids = seeded(tmp_path / "w.db", 1)
    store.add_verdict(ids[0], "verified", "ana")
    store.add_verdict(ids[0], "disputed", "ben")
    result = store.undo("ana")
    assert result is not None and result.verdict.status == "unverified"
    assert result.overridden_status == "disputed by ben"
    assert store.undo("ana") is None  # one verdict, one undo; undos are not themselves undone
    assert [v.status for v in store.history(ids[0])] == ["verified", "disputed", "unverified"]


def test_stale_verdict_reports_what_changed(tmp_path):
    store, ids = seeded(tmp_path / "w.db", 1)
    claim = store.claim(ids[0])
    first = store.add_verdict(claim.id, "disputed", "ben")
    seen = tuple(m.id for m in claim.mentions)
    feed = store.feeds()[0]
    store.add_items(feed.id, [NewItem(Item("late", "t", "x"), "hl", None,
                                      (Mention(Place("gn:0", "Town 0", "town"), "Fighters did not enter.", 1, "denies", "control"),))],
                    claims.assess, "A")
    result = store.add_verdict(claim.id, "verified", "ana", seen_mentions=seen, seen_verdict=0)
    assert result.overridden_status == "disputed by ben"
    assert len(result.new_mentions) == 1
    assert result.verdict.evidence == tuple(m.id for m in store.claim(claim.id).mentions)
    assert first.verdict.id < result.verdict.id


def _editor(path: str, editor: str, claim_ids: list[int], rounds: int, out) -> None:
    store = Store(path)
    done = 0
    for i in range(rounds):
        store.add_verdict(claim_ids[i % len(claim_ids)], ("verified", "disputed")[i % 2], editor, f"{editor} {i}")
        done += 1
    store.close()
    out.put(done)


def _fetcher(path: str, rounds: int, out) -> None:
    store = Store(path)
    feed = store.add_feed("https://f.example/rss", outlet="F")
    for i in range(rounds):
        store.add_items(feed.id, [NewItem(Item(f"f{i}", f"t{i}", "x"), f"fh{i}", None,
                                          (Mention(Place("gn:0", "Town 0", "town"), "Shelling.", 1, "asserts", "attack"),))],
                        claims.assess, "F", defer_claims=i % 2 == 0)
    store.refresh_claims(claims.assess)
    store.close()
    out.put(rounds)


def test_two_editors_and_a_fetcher_in_separate_processes_lose_nothing(tmp_path):
    path = tmp_path / "w.db"
    store, ids = seeded(path, 5)
    store.close()
    ctx = multiprocessing.get_context("spawn")
    out = ctx.Queue()
    procs = [ctx.Process(target=_editor, args=(str(path), e, ids, 60, out)) for e in ("ana", "ben")]
    procs.append(ctx.Process(target=_fetcher, args=(str(path), 40, out)))
    for p in procs:
        p.start()
    for p in procs:
        p.join(120)
        assert p.exitcode == 0
    assert sorted(out.get(timeout=5) for _ in procs) == [40, 60, 60]
    conn = sqlite3.connect(path)
    assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    assert conn.execute("SELECT COUNT(*) FROM verdicts").fetchone()[0] == 120
    assert conn.execute("SELECT COUNT(*) FROM items WHERE guid LIKE 'f%'").fetchone()[0] == 40
    assert conn.execute("SELECT COUNT(*) FROM claims WHERE dirty = 1").fetchone()[0] == 0


def test_cli_mark_and_history(tmp_path):
    store, ids = seeded(tmp_path / "w.db", 1)
    store.close()
    runner = CliRunner()
    db = ["--db", str(tmp_path / "w.db")]
    assert runner.invoke(cli, db + ["mark", str(ids[0]), "verified", "--note", "two sources", "--editor", "ana"]).exit_code == 0
    assert runner.invoke(cli, db + ["mark", str(ids[0]), "disputed", "--editor", "ben"]).exit_code == 0
    history = json.loads(runner.invoke(cli, db + ["history", str(ids[0]), "--json"]).output)
    assert [(h["status"], h["editor"], h["note"]) for h in history] == [("verified", "ana", "two sources"), ("disputed", "ben", None)]
    assert all(set(h) >= {"status", "editor", "at", "note"} for h in history)
    proc = subprocess.run([WIREDESK, *db, "mark", "99999", "verified"], capture_output=True, text=True)
    assert proc.returncode != 0 and "no claim 99999" in proc.stderr and "Traceback" not in proc.stderr
    proc = subprocess.run([WIREDESK, *db, "mark", str(ids[0]), "true"], capture_output=True, text=True)
    assert proc.returncode != 0 and "Traceback" not in proc.stderr


def _add(store: Store, guid: str, *mentions: Mention) -> None:
    feed = store.feeds()[0]
    store.add_items(feed.id, [NewItem(Item(guid, "t", "x"), f"h-{guid}", None, mentions)], claims.assess, "A")


def _m(stance: str, who: str | None = None, killed: int | None = None, event: str = "control") -> Mention:
    figures = (Figure(killed, "killed"),) if killed is not None else ()
    return Mention(Place("gn:0", "Town 0", "town"), f"Something {stance}.", 1, stance, event, figures, who)


def test_verified_claim_needs_review_after_a_denial_from_a_new_source(tmp_path):
    store, ids = seeded(tmp_path / "w.db", 1)
    _add(store, "d1", _m("denies", "the defence ministry"))
    store.add_verdict(ids[0], "verified", "ana", "entry confirmed despite the ministry")
    assert not store.claim(ids[0]).needs_review
    _add(store, "d2", _m("denies", "Defence Ministry"))  # the same source again: already weighed
    _add(store, "a2", _m("asserts", "a local official"))
    assert not store.claim(ids[0]).needs_review
    _add(store, "d3", _m("denies", "a local official"))
    assert store.claim(ids[0]).needs_review
    store.add_verdict(ids[0], "verified", "ben", "re-reviewed")
    assert not store.claim(ids[0]).needs_review
    store.add_verdict(ids[0], "disputed", "ben")
    _add(store, "d4", _m("denies", "someone else"))
    assert not store.claim(ids[0]).needs_review  # only verified claims are re-reviewed


def test_verified_figure_needs_review_after_an_incompatible_one(tmp_path):
    store, ids = seeded(tmp_path / "w.db", 1)
    _add(store, "f1", _m("asserts", "the monitor", 300, "casualties"))
    claim = next(c for card in store.place_cards() for c in card.claims if c.event == "casualties")
    store.add_verdict(claim.id, "verified", "ana")
    _add(store, "f2", _m("asserts", "hospital", 320, "casualties"))
    assert not store.claim(claim.id).needs_review
    _add(store, "f4", _m("asserts", "the ministry", 1000, "casualties"))
    assert store.claim(claim.id).needs_review
    runner = CliRunner()
    cards = json.loads(runner.invoke(cli, ["--db", str(store.path), "claims", "--json"]).output)
    flags = {c["id"]: c["needs_review"] for card in cards for c in card["claims"]}
    assert flags[claim.id] is True and flags[ids[0]] is False


def test_cli_mark_says_what_changed_since_the_editor_looked(tmp_path):
    store, ids = seeded(tmp_path / "w.db", 1)
    seen = [m.id for m in store.claim(ids[0]).mentions]
    first = store.add_verdict(ids[0], "disputed", "ben").verdict
    _add(store, "late", _m("asserts", "a local official"))
    store.close()
    runner = CliRunner()
    db = ["--db", str(tmp_path / "w.db")]
    out = runner.invoke(cli, db + ["mark", str(ids[0]), "verified", "--editor", "ana",
                                   "--seen-verdict", "0", "--seen-mentions", ",".join(map(str, seen))])
    assert out.exit_code == 0, out.stderr
    assert out.stdout.strip() == f"claim {ids[0]}: verified by ana (was disputed by ben)"
    assert out.stderr.startswith("note: 1 new mention since you looked")
    assert "replaced ben's 'disputed'" in out.stderr
    last = json.loads(runner.invoke(cli, db + ["history", str(ids[0]), "--json"]).stdout)[-1]
    out = runner.invoke(cli, db + ["mark", str(ids[0]), "disputed", "--editor", "ana",
                                   "--seen-verdict", str(last["id"]), "--seen-mentions", ",".join(map(str, last["evidence"]))])
    assert out.exit_code == 0 and out.stderr == ""  # the editor had seen everything: nothing to say
    out = runner.invoke(cli, db + ["mark", str(ids[0]), "verified", "--editor", "ana"])
    assert out.exit_code == 0 and out.stderr == ""  # nothing was said about what the editor saw
    assert first.id < last["id"]
    bad = runner.invoke(cli, db + ["mark", str(ids[0]), "verified", "--seen-mentions", "x"])
    assert bad.exit_code == 2 and "expected mention ids" in bad.stderr


def _cli_editor(path: Path, editor: str, claim_ids: list[int], rounds: int) -> subprocess.Popen:
    marks = "\n".join(
        f"{WIREDESK} --db {path} mark {claim_ids[i % len(claim_ids)]} {('verified', 'disputed')[i % 2]} "
        f"--editor {editor} --note '{editor} {i}' || echo FAILED {i} >&2"
        for i in range(rounds)
    )
    return subprocess.Popen(["sh", "-c", marks], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def test_cli_editors_and_a_fetcher_at_once_lose_nothing_and_never_see_locked(tmp_path):
    """Real `wiredesk mark` processes from three editors while a fetcher writes items and claims."""
    path = tmp_path / "w.db"
    store, ids = seeded(path, 4)
    store.close()
    ctx = multiprocessing.get_context("spawn")
    out = ctx.Queue()
    fetcher = ctx.Process(target=_fetcher, args=(str(path), 60, out))
    fetcher.start()
    rounds = 5
    editors = [_cli_editor(path, e, ids, rounds) for e in ("ana", "ben", "cy")]
    for proc in editors:
        stdout, stderr = proc.communicate(timeout=120)
        assert proc.returncode == 0
        assert stderr == "", stderr  # no "database is locked", no traceback, no failed mark
        assert stdout.count("claim ") == rounds
    fetcher.join(120)
    assert fetcher.exitcode == 0 and out.get(timeout=5) == 60
    conn = sqlite3.connect(path)
    assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    assert conn.execute("SELECT COUNT(*) FROM verdicts").fetchone()[0] == 3 * rounds
    for editor in ("ana", "ben", "cy"):
        notes = {r[0] for r in conn.execute("SELECT note FROM verdicts WHERE editor = ?", [editor])}
        assert notes == {f"{editor} {i}" for i in range(rounds)}
    ats = [r[0] for r in conn.execute("SELECT at FROM verdicts ORDER BY id")]
    assert ats == sorted(ats)


def test_a_note_keeps_the_status_stored_now_and_a_verified_claim_still_needs_review(tmp_path):
    """A note is no review: on a verified claim that needs review the flag stays. And it keeps the
    status as stored when the note is, not as the editor saw it when they began typing: another
    editor's dispute meanwhile stays, and the result says whose status the note kept."""
    store, ids = seeded(tmp_path / "w.db", 1)
    first = store.add_verdict(ids[0], "verified", "ana").verdict
    _add(store, "d1", _m("denies", "the defence ministry"))
    assert store.claim(ids[0]).needs_review
    result = store.add_note(ids[0], "ben", "asking our stringer", seen_verdict=first.id)
    assert (result.verdict.status, result.verdict.note, result.decided_since, result.overridden_status) == (
        "verified", "asking our stringer", None, None)
    assert result.verdict.evidence == first.evidence
    assert store.claim(ids[0]).status == "verified" and store.claim(ids[0]).needs_review

    disputed = store.add_verdict(ids[0], "disputed", "cy", "ministry denial stands").verdict
    result = store.add_note(ids[0], "ben", "stringer called back", seen_verdict=first.id)  # ben saw ana's
    assert result.verdict.status == "disputed" and result.verdict.previous_status == "disputed"
    assert result.decided_since == "disputed by cy" and result.overridden_status is None
    assert store.claim(ids[0]).status == "disputed"
    assert [v.status for v in store.history(ids[0])] == ["verified", "verified", "disputed", "disputed"]
    assert disputed.id < result.verdict.id

    _add(store, "other", Mention(Place("gn:9", "Town 9", "town"), "Fighters entered.", 1, "asserts", "control"))
    undecided = next(c.id for card in store.place_cards() for c in card.claims if c.place.key == "gn:9")
    result = store.add_note(undecided, "ben", "first look")
    assert result.verdict.status == "unverified" and result.verdict.previous_status is None


def test_an_undo_that_brings_back_a_verification_still_needs_review_for_what_came_since(tmp_path):
    """Verified on one report; a new source denies it (needs review); ben disputes, then undoes his
    dispute: the verification is back, made on the evidence of its time, so it still needs review."""
    store, ids = seeded(tmp_path / "w.db", 1)
    verified = store.add_verdict(ids[0], "verified", "ana").verdict
    _add(store, "d1", _m("denies", "the defence ministry"))
    assert store.claim(ids[0]).needs_review
    store.add_verdict(ids[0], "disputed", "ben")
    result = store.undo("ben")
    assert result.verdict.status == "verified" and result.verdict.evidence == verified.evidence
    claim = store.claim(ids[0])
    assert claim.status == "verified" and claim.needs_review and claim.decision.id == verified.id


def test_two_undos_at_once_undo_two_verdicts_not_one_twice(tmp_path, monkeypatch):
    """Two undos of one editor at the same moment (two connections: `z z` in the app, or two apps):
    the second waits for the first, then undoes the verdict before, instead of undoing the same
    verdict again."""
    import threading

    store, ids = seeded(tmp_path / "w.db", 2)
    one = store.add_verdict(ids[0], "verified", "ana").verdict
    two = store.add_verdict(ids[1], "disputed", "ana").verdict
    other = Store(tmp_path / "w.db")
    real = Store.add_verdict
    raced = []

    def add_verdict(self, *args, **kwargs):
        if self is store and kwargs.get("undoes") is not None and not raced:
            # The other undo starts while this one is choosing what to undo.
            racer = threading.Thread(target=lambda: raced.append(other.undo("ana")))
            racer.start()
            racer.join(timeout=1.0)  # finishes at once when nothing holds the write lock
            raced.append(racer)
        return real(self, *args, **kwargs)

    monkeypatch.setattr(Store, "add_verdict", add_verdict)
    mine = store.undo("ana")
    raced[-1].join()
    theirs = next(r for r in raced if not isinstance(r, threading.Thread))
    assert sorted([mine.verdict.undoes, theirs.verdict.undoes]) == [one.id, two.id]
    other.close()
