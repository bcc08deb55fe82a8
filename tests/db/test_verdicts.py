"""The verdict log: replay semantics under any interleaving, several processes at once, the CLI."""

from __future__ import annotations

import json
import multiprocessing
import sqlite3
import subprocess
import sys
from pathlib import Path

from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import claims
from claims.types import Item, Mention, Place
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


actions = st.lists(
    st.tuples(st.sampled_from(["ana", "ben", "cy"]), st.integers(0, 2),
              st.sampled_from(["verified", "disputed", "unverified", "undo"])),
    max_size=25,
)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(actions)
def test_status_is_the_replay_of_the_log_in_time_order(tmp_path_factory, script):
    store, ids = seeded(tmp_path_factory.mktemp("v") / "w.db")
    try:
        for editor, n, action in script:
            if action == "undo":
                store.undo(editor)
            else:
                store.add_verdict(ids[n], action, editor)
        for claim_id in ids:
            log = store.history(claim_id)
            # Replaying the log oldest first: every row sets the status; the last one stands.
            replay = log[-1].status if log else "unverified"
            assert store.claim(claim_id).status == replay
            # Undo rows point at an earlier row of the same editor and restore what it replaced.
            by_id = {v.id: v for v in log}
            for v in log:
                if v.undoes is not None:
                    undone = by_id[v.undoes]
                    assert undone.id < v.id and undone.editor == v.editor
                    assert v.status == (undone.previous_status or "unverified")
        total = sum(1 for _, _, a in script if a != "undo")
        assert store.db.execute("SELECT COUNT(*) FROM verdicts WHERE undoes IS NULL").fetchone()[0] == total
    finally:
        store.close()


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
