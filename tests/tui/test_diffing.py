"""The pure alignment model and the `wiredesk diff` command on a real database."""

from __future__ import annotations

from click.testing import CliRunner

from claims.types import Figure, Mention
from tests.tui.fixtures import MOREK
from tui.diffing import Report, align, build, layout, most_disagreeing, render_text, split_sentences, word_spans
from wiredesk.cli import cli


def test_split_sentences_keeps_abbreviations_and_numbers():
    text = "Gen. Smith said 2,000 U.S. troops left. The army denied it!\n\nA new paragraph"
    assert split_sentences(text) == ["Gen. Smith said 2,000 U.S. troops left.", "The army denied it!", "A new paragraph"]


def test_align_is_monotone_and_keeps_unique_sentences():
    a = ["Rebels entered Morek on Thursday.", "Shelling was heavy overnight.", "The army said nothing."]
    b = ["The ministry denied everything.", "Rebels entered Morek on Thursday, an official said.", "Shelling was heavy overnight."]
    pairs = align(a, b)
    matched = [(i, j) for i, j, _ in pairs if i is not None and j is not None]
    assert matched == [(0, 1), (1, 2)]
    assert (None, 0, 0.0) in pairs and (2, None, 0.0) in pairs


def test_word_spans_mark_changed_words():
    left, right = word_spans("At least 300 people were killed", "Around 2,000 people were killed")
    assert [s.text for s in left if s.changed] == ["At least 300"]
    assert [s.text for s in right if s.changed] == ["Around 2,000"]
    assert [s.text for s in right if not s.changed] == ["people were killed"]


def _mention(stance, item_id, outlet, value=None):
    numbers = (Figure(value, "killed"),) if value else ()
    return Mention(MOREK, "x", 0, stance, "control", numbers, item_id=item_id, outlet=outlet)


def test_most_disagreeing_prefers_assert_versus_deny_then_figures():
    ms = [_mention("asserts", 1, "A"), _mention("asserts", 2, "B"), _mention("denies", 3, "C")]
    a, b = most_disagreeing(ms)
    assert (a.stance, b.stance) == ("asserts", "denies")
    figures = [_mention("asserts", 1, "A", 300), _mention("asserts", 2, "B", 320), _mention("asserts", 3, "C", 2000)]
    a, b = most_disagreeing(figures)
    assert (a.item_id, b.item_id) == (1, 3)
    assert most_disagreeing([_mention("asserts", 1, "A")]) is None


def test_layout_fits_columns_and_render_text_is_plain():
    left = Report(1, "A", "t", "T", "Rebel fighters entered the northern districts of Morek on Thursday, a local official said.")
    right = Report(2, "B", "t", "T", "Rebel fighters entered Morek on Thursday, an official said. The ministry denied it.")
    diff = build(left, right)
    assert [r.kind for r in diff.rows] == ["changed", "right"]
    for line in layout(diff, 20):
        assert sum(len(p.text) for p in line.left) <= 20 and sum(len(p.text) for p in line.right) <= 20
    out = render_text(diff, 80)
    assert all(len(line) <= 80 for line in out.splitlines()[:-1])
    assert "~ Rebel fighters" in out and "> " in out


def test_diff_command_prints_side_by_side(desk_db):
    result = CliRunner().invoke(cli, ["--db", str(desk_db), "diff", "1", "3", "--width", "100"])
    assert result.exit_code == 0, result.output
    assert "#1 Levant Wire" in result.output and "#3 National News Agency" in result.output
    assert "[denies · Morek]" in result.output
    assert all(len(line) <= 100 for line in result.output.splitlines()[:-1])


def test_diff_command_unknown_item_is_a_one_line_error(desk_db):
    result = CliRunner().invoke(cli, ["--db", str(desk_db), "diff", "1", "999"])
    assert result.exit_code != 0
    assert result.output.strip() == "Error: no item 999"
