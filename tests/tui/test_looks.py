"""How the desk reads: each fact of a claim once, frames visible in light themes."""

from __future__ import annotations

import re

from tests.tui.conftest import settle
from tui.app import WiredeskApp
from tui.format import stance_tally
from tui.widgets.cards import claim_content


async def test_a_claim_shows_its_tally_once_in_the_digests_order(demo_db):
    app = WiredeskApp(demo_db, "amira", poll_seconds=30)
    async with app.run_test(size=(130, 40)) as pilot:
        await settle(pilot)
        claims = app.desk.claims
        every = [c for c in claims.claims.values() if len(c.stance_counts) == 3]
        assert every  # a claim asserted, relayed and denied
        for claim in claims.claims.values():
            head = "\n".join(claim_content(claim).plain.splitlines()[:3])  # status, facts, first mention
            assert len(re.findall(r"\d+ (assert|relay|deny)\b", head)) == len(claim.stance_counts), head
        claim = every[0]
        c = claim.stance_counts
        tally = f"{c['asserts']} assert · {c['reports']} relay · {c['denies']} deny"
        assert tally in claim.summary  # the order the CLI and the digest show
        assert stance_tally(c) == tally
        assert claim_content(claim).plain.count(tally) == 1


async def test_unfocused_pane_frames_show_in_light_and_dark_themes(desk_db):
    app = WiredeskApp(desk_db, "amira", poll_seconds=30)
    async with app.run_test(size=(130, 40)) as pilot:  # queue focused, claims beside it
        await settle(pilot)
        for theme in ("textual-dark", "textual-light", "solarized-light"):
            app.theme = theme
            await settle(pilot)
            pane = app.desk.query_one("#claims-pane")
            assert not pane.has_focus_within
            _, color = pane.styles.border_top
            _, background = pane.background_colors
            frame = background + color  # an alpha colour painted over the background
            assert abs(frame.brightness - background.brightness) > 0.15, (theme, frame, background)
        # focus still wins over the light themes' frame
        await pilot.press("2")
        await settle(pilot)
        assert app.desk.query_one("#claims-pane").styles.border_top[1] == app.current_theme.to_color_system().accent
