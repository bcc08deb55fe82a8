"""`wiredesk reextract` on the sample wire with editors' verdicts: with an unchanged extractor every
claim id, mention id, status and review flag is exactly as before; a real change in the evidence
(a new report denying a verified claim) still flags that claim, and only it."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from wiredesk.cli import cli

SAMPLE = Path(__file__).resolve().parents[2] / "wiredesk" / "sample"
DENIAL = ("Governor denies rebel entry into Hama\n\nThe governor of Hama, Mahmoud Zaher, denied on Saturday that rebel "
          "fighters had entered the city of Hama, calling the reports fabricated.\n")


def run(db: Path, *args: str) -> str:
    result = CliRunner().invoke(cli, ["--db", str(db), *args])
    assert result.exit_code == 0, (args, result.output, result.exc_info)
    return result.output


def claims(db: Path) -> dict[int, dict]:
    return {c["id"]: {**c, "place": card["place"]["name"]} for card in json.loads(run(db, "claims", "--json"))
            for c in card["claims"]}


def test_reextract_keeps_ids_statuses_and_review_flags_and_real_changes_still_flag(tmp_path):
    db = tmp_path / "w.db"
    run(db, "import", str(SAMPLE))
    ids = sorted(claims(db))
    assert len(ids) > 20
    for n, claim_id in enumerate(ids):
        run(db, "mark", str(claim_id), ("verified", "disputed")[n % 2], "--editor", "ana", "--note", f"n{n}")
    before = claims(db)
    assert not any(c["needs_review"] for c in before.values())

    assert "0 new, 0 gone" in run(db, "reextract")
    after = claims(db)
    assert sorted(after) == ids
    for claim_id, claim in before.items():
        again = after[claim_id]
        assert (again["status"], again["needs_review"]) == (claim["status"], False), claim_id
        assert [m["id"] for m in again["mentions"]] == [m["id"] for m in claim["mentions"]], claim_id
    assert after == before  # nothing at all changed: same summaries, figures, verdict ids

    # A new report denying that rebels entered Hama: evidence that really changed.
    hama = next(i for i, c in after.items() if c["place"] == "Hama" and c["event"] == "control")
    run(db, "mark", str(hama), "verified", "--editor", "ben")
    (tmp_path / "denial.txt").write_text(DENIAL)
    run(db, "import", str(tmp_path / "denial.txt"), "--outlet", "Test Wire")
    flagged = {i for i, c in claims(db).items() if c["needs_review"]}
    assert flagged == {hama}
    denial = [m for m in claims(db)[hama]["mentions"] if m["outlet"] == "Test Wire"]
    assert denial and all(m["stance"] == "denies" for m in denial)
    # ... and re-extracting again neither clears nor spreads that flag.
    run(db, "reextract")
    assert {i for i, c in claims(db).items() if c["needs_review"]} == {hama}
