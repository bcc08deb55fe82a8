"""The desk at 80x24, the advertised minimum: every control of a dialog reachable and visible, help
readable and scrollable with j/k, help and quit always in the footer, no scroll bar fragments."""

from __future__ import annotations

import pytest

from tests.tui.conftest import settle
from tests.tui.screen_text import screen_text
from tui.app import WiredeskApp
from tui.screens import FilterDialog, HelpScreen, ItemScreen, SearchDialog
from tui.widgets import KeyBar

NARROW = (80, 24)


def make_app(db) -> WiredeskApp:
    return WiredeskApp(db, "amira", poll_seconds=30)


def visible(app, widget) -> bool:
    """On the screen, and inside every scrolling container it sits in."""
    region = widget.region
    if not region.height or not app.screen.region.contains_region(region):
        return False
    for ancestor in widget.ancestors_with_self[1:]:
        if getattr(ancestor, "is_scrollable", False) and ancestor.region and ancestor is not app.screen:
            if not ancestor.scrollable_content_region.contains_region(region):
                return False
    return True


async def test_every_filter_control_is_reachable_and_visible_at_80x24(desk_db):
    app = make_app(desk_db)
    async with app.run_test(size=NARROW) as pilot:
        await settle(pilot)
        await pilot.press("f")
        await settle(pilot)
        dialog = app.screen
        assert isinstance(dialog, FilterDialog)
        ids = ["filter-outlet", "filter-place", "filter-status", "filter-contested", "filter-unread",
               "apply", "clear", "cancel"]
        for wid in ids:  # all of them at once, without scrolling
            assert visible(app, dialog.query_one(f"#{wid}")), wid
        focused = []
        for _ in ids:
            focused.append(app.focused.id)
            assert visible(app, app.focused), app.focused.id
            await pilot.press("tab")
            await settle(pilot)
        assert focused == ids
        text = screen_text(app)
        assert "unread items only" in text and "Apply" in text and "Cancel" in text
        # and it still works: unread only, from the keyboard
        await pilot.press("shift+tab", "shift+tab", "shift+tab", "shift+tab", "space")
        assert app.focused.id == "filter-unread"
        await pilot.press("tab", "enter")
        await settle(pilot)
        assert app.screen is app.desk and app.desk.filters.unread


async def test_help_at_80_columns_wraps_under_its_column_and_j_k_scroll_it(desk_db):
    app = make_app(desk_db)
    async with app.run_test(size=NARROW) as pilot:
        await settle(pilot)
        await pilot.press("question_mark")
        await settle(pilot)
        assert isinstance(app.screen, HelpScreen)
        lines = screen_text(app).splitlines()
        at = next(n for n, line in enumerate(lines) if "Undo your last verdict" in line)
        column = lines[at].index("Undo your last verdict")
        wrapped = lines[at + 1]
        assert wrapped[:column].strip("│█ ") == ""  # nothing under the key column
        assert wrapped[column:].startswith("replaced)")
        body = app.screen.query_one("#help")
        assert body.max_scroll_y > 0 and body.scroll_y == 0
        await pilot.press("j", "j", "j")
        await settle(pilot)
        assert body.scroll_y == 3
        await pilot.press("k")
        await settle(pilot)
        assert body.scroll_y == 2
        # The scroll bar is at the dialog's edge, next to its border, not inside the text.
        bar = body.vertical_scrollbar
        assert bar.region.right == body.region.right - 1  # the border's width
        lines = screen_text(app).splitlines()
        inside = body.region.shrink((1, 1, 1, 1))  # within the (half-block) border
        text = "\n".join(lines[y][inside.x : inside.right] for y in range(inside.y, inside.bottom))
        assert not any(glyph in text for glyph in "▁▂▃▄▅▆▇")


@pytest.mark.parametrize("width", [80, 100])
async def test_help_and_quit_stay_in_the_footer_when_it_is_narrow(desk_db, width):
    app = make_app(desk_db)
    async with app.run_test(size=(width, 24)) as pilot:
        await settle(pilot)
        footer = screen_text(app).splitlines()[-1]
        assert "? Help" in footer and "q Quit" in footer
        assert "1 Queue" in footer and "2 Claims" in footer and "v Verified" in footer
        assert len(footer.rstrip()) <= width


async def test_the_item_view_at_80_columns_has_no_scroll_bar_fragments(demo_db):
    """A thumb's ends were drawn as partial blocks (▆▆) that read as stray marks in the text."""
    app = make_app(demo_db)
    async with app.run_test(size=NARROW) as pilot:
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, ItemScreen)
        body = app.screen.query_one("#item-body")
        for _ in range(3):
            assert body.max_scroll_y > 0 and body.vertical_scrollbar.region.width == 1  # a long item
            text = screen_text(app)
            assert not any(glyph in text for glyph in "▁▂▃▄▅▆▇"), text
            await pilot.press("j")
            await settle(pilot)
        assert body.scroll_y > 0


async def test_a_verdict_needs_its_claim_on_screen(desk_db):
    """At 80x24 one pane shows: v on an item in the queue marked the claim highlighted in the hidden
    claims pane. A verdict is for a claim the editor sees, in the claims or in the diff of its reports."""
    from db import Store

    def stored() -> list[tuple]:
        with Store(desk_db) as store:
            return store.db.execute("SELECT claim_id, status FROM verdicts ORDER BY id").fetchall()

    app = make_app(desk_db)
    async with app.run_test(size=NARROW) as pilot:
        await settle(pilot)
        await pilot.press("2")
        claims = app.desk.claims
        claim = next(c for c in claims.claims.values() if c.place.name == "Morek")  # reports to compare
        while claims.selected_claim.id != claim.id:
            await pilot.press("j")
        await pilot.press("1", "j", "v", "n")
        await settle(pilot)
        assert stored() == [] and app.screen is app.desk  # no verdict, no note dialog
        assert any("No claim on screen: 2 shows the claims" in n.message for n in app._notifications)
        # Two items picked and diffed: the diff is not the claim's.
        await pilot.press("space", "k", "space", "3")
        await settle(pilot)
        assert app.desk.diff_items is not None and app.desk.active == "diff"
        await pilot.press("d")
        await settle(pilot)
        assert stored() == []
        # The claim's own diff: its caption names it, so the verdict is for it.
        await pilot.press("2", "enter")
        await settle(pilot)
        assert app.desk.active == "diff" and f"Claim #{claim.id}" in screen_text(app)
        await pilot.press("d")
        await settle(pilot)
        assert stored() == [(claim.id, "disputed")]
        await pilot.press("2", "v")
        await settle(pilot)
        assert stored() == [(claim.id, "disputed"), (claim.id, "verified")]


async def test_the_diffs_headings_wrap_in_their_columns_at_80_columns(desk_db):
    """Cut to one line each, a heading lost its report's time ("#3 National News Agency · 1…") and
    half its title: they wrap in their column, the time whole."""
    app = make_app(desk_db)
    async with app.run_test(size=NARROW) as pilot:
        await settle(pilot)
        await pilot.press("2")
        claims = app.desk.claims
        while claims.selected_claim.place.name != "Morek":
            await pilot.press("j")
        await pilot.press("enter")
        await settle(pilot)
        assert app.desk.active == "diff"
        lines = screen_text(app).splitlines()
        divider = next(n for n, line in enumerate(lines) if "┼" in line)
        bar = lines[divider].index("┼")
        heads = [line for line in lines[:divider] if line[bar] == "│"]  # the two columns' lines
        left = " ".join(line[1:bar].strip() for line in heads)
        right = " ".join(line[bar + 1 : -1].strip() for line in heads)
        assert "Levant Wire · 19 Nov 08:10" in left and "Rebels push into Morek as army lines break" in left
        assert "National News Agency ·" in right and "19 Nov 11:45" in right
        assert "Ministry: terrorists repelled north of Hama" in right
        assert "…" not in left + right


MOST_USED = ("1 Queue", "2 Claims", "v Verified", "d Disputed", "/ Search", "f Filter", "e Export",
             "? Help", "q Quit")


@pytest.mark.parametrize("width", [80, 100, 130])
async def test_the_footer_keeps_search_filter_and_export_at_every_width(desk_db, width):
    """At 80 columns the footer dropped keys from the end of the line: / Search, f Filter and e Export
    went (only in help), while 3 Diff and z Undo stayed. Narrow, the keys sit one space apart and the
    least used go first; at 100 every key shows; wide, the full spacing and the palette stay."""
    app = make_app(desk_db)
    async with app.run_test(size=(width, 24)) as pilot:
        await settle(pilot)
        footer = screen_text(app).splitlines()[-1]
        assert len(footer.rstrip()) <= width
        for label in MOST_USED:
            assert label in footer, (label, footer)
        if width >= 100:
            assert "3 Diff" in footer and "z Undo" in footer
        if width == 130:
            assert "1 Queue  2 Claims  3 Diff  v Verified" in footer and "^p palette" in footer
        # A click on a hint still presses its key, where the tighter line draws it.
        await pilot.click(app.screen.query_one(KeyBar), offset=(footer.index("/ Search") + 2, 0))
        await settle(pilot)
        assert isinstance(app.screen, SearchDialog)


@pytest.mark.parametrize(("size", "title_at_least"), [((80, 24), 70), ((100, 30), 32), ((130, 40), 44)])
async def test_queue_rows_give_the_title_the_row_and_keep_the_claim_count(demo_db, size, title_at_least):
    """Two-line rows had the time in a column of its own: at 100 columns (a 40-column queue) a title
    showed 17 characters and the claim count was cut off the outlet line ("Free Orient TV  …"). The
    time is on the outlet line, the title has the row, and the count stands whole at the right
    edge, under "Claims"."""
    from tui.format import local_time

    app = make_app(demo_db)
    async with app.run_test(size=size) as pilot:
        await settle(pilot)
        queue = app.desk.queue
        assert not queue._title_width  # two-line rows at these widths
        region = queue.region
        lines = [line[region.x : region.right] for line in screen_text(app).splitlines()]
        assert lines[region.y].rstrip().endswith("Claims")
        rows = list(queue._rows.values())[: (region.height - 1) // 2]
        assert len(rows) >= 5
        for n, row in enumerate(rows):
            meta, title = lines[region.y + 1 + 2 * n], lines[region.y + 2 + 2 * n]
            assert local_time(row.sort_at) in meta
            assert meta.rstrip().endswith(f" {row.claim_count}"), meta
            assert row.outlet[:8] in meta
            assert title.strip().startswith(row.title[:title_at_least]), (title, row.title)


async def test_a_hostile_outlet_on_the_two_line_rows_is_plain_text(tmp_path):
    from tests.tui.test_live import _hostile_db

    app = make_app(_hostile_db(tmp_path / "evil.db"))
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        assert not app.desk.queue._title_width
        text = screen_text(app)
        assert "[b]Evil[/b] Wire" in text and "[bold]Not bold[/bold] and" in text


def test_a_clustered_rows_outlet_is_whole_before_the_word_outlets_is():
    """At 130 columns the queue showed "The Eastern Meri…  +2 outlets": the outlet was cut to keep
    a word. The outlet's name comes first; "+2" keeps the count of the others."""
    from tui.widgets.queue import meta_line

    line = meta_line("21 Nov 09:50", "The Eastern Meridian", 2, 5, 48).plain
    assert "The Eastern Meridian  +2 " in line and "outlets" not in line and line.endswith(" 5")
    assert "The Eastern Meridian  +2 outlets" in meta_line("21 Nov 09:50", "The Eastern Meridian", 2, 5, 60).plain
    # Short of room for the whole name, the outlet is cut beside "+2", and the cluster goes last.
    narrow = meta_line("21 Nov 09:50", "The Eastern Meridian", 2, 5, 32).plain
    assert "The Easter…" in narrow and "  +2 " in narrow and narrow.endswith(" 5") and len(narrow) == 32
    tight = meta_line("21 Nov 09:50", "The Eastern Meridian", 2, 5, 26).plain
    assert "+2" not in tight and "The East" in tight and tight.endswith(" 5")
    assert meta_line("21 Nov 09:50", "Levant Wire", 0, 3, 40).plain.startswith("21 Nov 09:50  Levant Wire ")
