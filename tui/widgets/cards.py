"""The claims pane: one card per place, its claims inside, each claim selectable.

Built on OptionList: a card's header is a disabled option (navigation skips it), each claim an
option whose prompt is multi-line ``Content`` built from plain strings. Styles are theme variables
(``$success``…), so cards follow dark and light themes.
"""

from __future__ import annotations

from dataclasses import dataclass

from textual.binding import Binding
from textual.content import Content
from textual.geometry import Region
from textual.message import Message
from textual.strip import Strip
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from db import ClaimView, PlaceCard

from ..format import figures_side_by_side, local_time, sparkline, stance_tally
from ..text import one_line

STATUS_STYLE = {"verified": "bold $success", "disputed": "bold $error", "unverified": "$text-muted"}
STANCE_STYLE = {"asserts": "$success", "denies": "$error", "reports": "$warning"}


def _hang(line: Content, width: int, indent: int = 6) -> list[Content]:
    """Wrap one line to ``width`` with continuation lines indented, so a card reads as a list."""
    if width <= indent + 10 or line.cell_length <= width:
        return [line]
    first, *rest = line.wrap(width)
    if not rest:
        return [first]
    tail = Content(" ").join(rest).wrap(width - indent)
    return [first] + [Content(" " * indent) + part for part in tail]


def claim_content(claim: ClaimView, width: int = 0) -> Content:
    """A claim as the lines of its card: status line, tally, figures and outlets, note, mentions."""
    head: list[str | tuple[str, str]] = [
        "  ",
        (f"{claim.status.upper():<10}", STATUS_STYLE.get(claim.status, "")),
        " ",
        (one_line(claim.event), "bold"),
    ]
    if claim.contested:
        head += ["  ", (" CONTESTED ", "bold $text-warning on $warning-muted")]
    if claim.needs_review:
        head += ["  ", (" NEEDS REVIEW ", "bold $text-error on $error-muted")]
    head += [("  #" + str(claim.id), "$text-muted")]
    v = claim.decision  # after an undo, the verdict it brought back: its editor and note
    if v is not None:
        # On the status line, not a line of its own: a first verdict keeps the claim's height, so
        # the cards below it need not move (and the pane need not be laid out again).
        head += [(f" · {v.status} by {one_line(v.editor, 24)}, {local_time(v.at)}", "italic $text-muted")]
    lines = [Content.assemble(*head)]
    # The claim's summary ("Control of Morek: 300 · 2,000 killed — 2 assert · 1 deny") is not shown:
    # the card says each of its parts once already (place in the card header, event on the status
    # line, figures and tally on this line), and the tally shown twice, in two orders, misled.
    facts = [stance_tally(claim.stance_counts)] + figures_side_by_side(claim.figures, claim.mentions)
    facts = [f for f in facts if f]
    if claim.outlets:
        facts.append(f"{claim.outlets} outlet{'s' if claim.outlets != 1 else ''}")
    if facts:
        lines.append(Content.assemble("    ", (" │ ".join(facts), "$text-accent")))
    if v is not None and v.note:
        lines.append(Content.assemble("    ", (f"note: {one_line(v.note, 60)}", "italic $text-muted")))
    for m in claim.mentions:
        who = f" ({one_line(m.attributed_to, 40)})" if m.attributed_to else ""
        lines.append(
            Content.assemble(
                "    ",
                (f"{m.stance:<7}", STANCE_STYLE.get(m.stance, "")),
                " ",
                (one_line(m.outlet, 24), "bold"),
                (f" {local_time(m.published)}", "$text-muted"),
                (f" [{one_line(m.near, 40)}]" if m.near else "", "$text-warning"),
                (f"{who}: ", "$text-muted"),
                one_line(m.sentence),
            )
        )
    hidden = claim.mention_count - len(claim.mentions)
    if hidden > 0:
        more = f"+ {hidden} earlier mention{'s' if hidden != 1 else ''}"
        if claim.shown_outlet:
            more = f"+ {hidden} more mention{'s' if hidden != 1 else ''}, not shown: only {one_line(claim.shown_outlet, 30)}'s are"
        lines.append(Content.assemble("    ", (more, "$text-muted")))
    if width:
        lines = [part for line in lines for part in _hang(line, width)]
    return Content("\n").join(lines)


def card_header(card: PlaceCard, spark: str) -> Content:
    p = card.place
    where = ", ".join(one_line(x) for x in (p.admin1, p.country) if x and x != p.name)
    statuses: dict[str, int] = {}
    for c in card.claims:
        statuses[c.status] = statuses.get(c.status, 0) + 1
    contested = sum(1 for c in card.claims if c.contested)
    review = sum(1 for c in card.claims if c.needs_review)
    first: list[str | tuple[str, str]] = [("▌", "$accent"), (one_line(p.name), "bold $text"), "  "]
    if where:
        first.append((where, "$text-muted"))
    if spark:
        first += ["  ", (spark, "$accent")]
    if contested:
        first += ["  ", (f" CONTESTED ×{contested} ", "bold $text-warning on $warning-muted")]
    if review:
        first += ["  ", (f" NEEDS REVIEW ×{review} ", "bold $text-error on $error-muted")]
    summary = " · ".join(f"{n} {s}" for s, n in sorted(statuses.items(), key=lambda kv: ("verified", "disputed", "unverified").index(kv[0])))
    second = Content.assemble(("▌", "$accent"), (f"{summary} · last {local_time(card.last_seen)}", "$text"))
    return Content("\n").join([Content.assemble(*first), second])


class ClaimsList(OptionList):
    BINDINGS = [
        Binding("j", "cursor_down", "Down", show=False),
        Binding("k", "cursor_up", "Up", show=False),
    ]

    @dataclass
    class ClaimHighlighted(Message):
        claim_id: int | None

    class NeedMore(Message):
        """The highlight or the scroll position is near the last loaded card."""

    @dataclass
    class ClaimChosen(Message):
        """Enter on a claim: compare its two most disagreeing reports."""

        claim_id: int

    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        self.claims: dict[int, ClaimView] = {}
        self.cards: list[PlaceCard] = []
        self._axis = ("", "")
        self._axis_cards = 0  # how many of the first cards the time axis spans
        self._wrapped_at = 0
        self.more = False
        self._pin: tuple[int, int] | None = None  # the card header pinned over the top rows, this paint

    @property
    def selected_claim(self) -> ClaimView | None:
        if self.highlighted is None:
            return None
        option_id = self.get_option_at_index(self.highlighted).id or ""
        if option_id.startswith("claim:"):
            return self.claims.get(int(option_id[6:]))
        return None

    def show_cards(self, cards: list[PlaceCard], keep: int | None = None, more: bool = False, *,
                   follow: bool = False) -> None:
        """Replace the cards; the highlight stays on claim ``keep`` if it is still shown. ``more``: later
        pages exist (asked for with ``NeedMore`` when the editor nears the end). ``follow``: the same
        list read again (a live reload); when ``keep`` left it, the highlight goes to the claim that
        followed it (else the one before), where the editor was, not back to the first card: under a
        status filter a verdict takes its claim off the list a moment later, and the editor working
        down it was thrown back to the top after every `v`."""
        anchor = self._anchor() if follow else None
        keep = self._nearest_left(keep, cards) if follow else keep
        stamps = [m.published for card in cards for c in card.claims for m in c.mentions if m.published]
        self.claims = {}
        self.cards = []
        # The sparklines' shared time axis spans the mentions of the first page; cards loaded later
        # are drawn on the same axis (their older mentions fall into the first bucket).
        self._axis = (min(stamps), max(stamps)) if stamps else ("", "")
        self._axis_cards = len(cards)
        self._wrapped_at = self._wrap_width()
        self.set_options(self._options_for(cards))
        self.more = more
        if keep is not None and keep in self.claims:
            self.highlighted = self.get_option_index(f"claim:{keep}")
        elif self.has_focus or keep is not None:
            self.select_first_claim()
        if anchor is not None:
            self._restore_anchor(anchor)
        self.call_after_refresh(self._check_more)

    def _anchor(self) -> int | None:
        """The row of the pane the highlighted claim starts on, when it is in view. A live reload puts
        it (or the claim that took its place) back on that row: places are ordered by their latest
        report, and each report about another place moved the cards above it, so the claim the editor
        was reading slid down the pane or jumped up it every few seconds while a fetch ran."""
        index = self.highlighted
        view = self.scrollable_content_region.height
        if index is None or not view or self.selected_claim is None:
            return None
        try:
            y, height = self._index_to_line[index], self._heights[index]
        except KeyError:
            return None
        row = y - round(self.scroll_y)
        return row if -height < row < view else None

    def _restore_anchor(self, row: int) -> None:
        index = self.highlighted
        if index is None:
            return
        self._update_lines()
        y = self._index_to_line.get(index)
        if y is None:
            return
        target = max(0, min(y - row, round(self.max_scroll_y)))
        if target != round(self.scroll_y):
            self.scroll_to(y=target, animate=False, force=True, immediate=True)

    def refresh_cards(self, cards: list[PlaceCard], keep: int | None = None, more: bool = False, *,
                      follow: bool = False) -> None:
        """Show a fresh read of the cards. When it holds the same places and claims in the same order
        on the same time axis (another editor's verdict, say), only the claims that changed are
        redrawn, in place, keeping the highlight and the scroll; otherwise ``show_cards`` (``follow``
        as there)."""
        stamps = [m.published for card in cards[: self._axis_cards] for c in card.claims for m in c.mentions if m.published]
        axis = (min(stamps), max(stamps)) if stamps else ("", "")
        layout = [(card.place.key, tuple(c.id for c in card.claims)) for card in cards]
        if (
            axis != self._axis
            or self._wrap_width() != self._wrapped_at
            or layout != [(card.place.key, tuple(c.id for c in card.claims)) for card in self.cards]
        ):
            self.show_cards(cards, keep, more, follow=follow)
            return
        self.more = more
        anchor = self._anchor() if follow else None
        for old, new in zip(self.cards, cards):
            if old != new:
                for claim in new.claims:
                    if self.claims.get(claim.id) != claim:
                        self.update_claim(claim)
        if anchor is not None:  # a claim above it that grew (a new mention) moved it down
            self._restore_anchor(anchor)
        self.call_after_refresh(self._check_more)

    def _nearest_left(self, keep: int | None, cards: list[PlaceCard]) -> int | None:
        """``keep`` if ``cards`` still hold it, else the claim shown after it that they hold (else the
        one before it)."""
        if keep is None or keep not in self.claims:
            return keep
        now = {c.id for card in cards for c in card.claims}
        if keep in now:
            return keep
        shown = list(self.claims)  # in the order shown
        at = shown.index(keep)
        return next((c for c in shown[at + 1:] + shown[:at][::-1] if c in now), None)

    def append_cards(self, cards: list[PlaceCard], more: bool) -> None:
        """Add the next page of cards at the end; nothing already shown is rebuilt."""
        shown = {card.place.key for card in self.cards}
        self.add_options(self._options_for([card for card in cards if card.place.key not in shown]))
        self.more = more
        self.call_after_refresh(self._check_more)

    def _options_for(self, cards: list[PlaceCard]) -> list[Option]:
        options: list[Option] = []
        width = self._wrap_width()
        for card in cards:
            self.cards.append(card)
            spark = sparkline([m.published for c in card.claims for m in c.mentions if m.published], *self._axis)
            options.append(Option(card_header(card, spark), id=f"place:{card.place.key}", disabled=True))
            for claim in card.claims:
                self.claims[claim.id] = claim
                options.append(Option(claim_content(claim, width), id=f"claim:{claim.id}"))
        return options

    def update_claim(self, claim: ClaimView) -> None:
        """Redraw one claim in place (after a verdict), and its card's header; nothing else is rebuilt."""
        if claim.id not in self.claims:
            return
        self.claims[claim.id] = claim
        self._replace_prompt(f"claim:{claim.id}", claim_content(claim, self._wrap_width()))
        for n, card in enumerate(self.cards):
            if any(c.id == claim.id for c in card.claims):
                card = PlaceCard(card.place, tuple(claim if c.id == claim.id else c for c in card.claims))
                self.cards[n] = card
                spark = sparkline([m.published for c in card.claims for m in c.mentions if m.published], *self._axis)
                self._replace_prompt(f"place:{card.place.key}", card_header(card, spark))

    def _replace_prompt(self, option_id: str, prompt: Content) -> None:
        """``replace_option_prompt`` without its cost: OptionList forgets every option's height on any
        change and measures them all again (thousands of wrapped lines on a busy desk). Here only the
        changed option is measured; the lines after it shift by the difference."""
        index = self.get_option_index(option_id)
        option = self.get_option_at_index(index)
        option._set_prompt(prompt)
        # Only this option is rendered again: clearing the whole cache re-rendered every visible
        # option on each verdict (~20 ms of a `v` at 160x48). Rendered options are keyed by the
        # option object, so the other options' renders still hold.
        renders = self._option_render_cache
        for key in [key for key in renders.keys() if key[0] is option]:
            renders.discard(key)
        cache = self._line_cache
        if index in cache.heights and self.scrollable_content_region:
            padding = self.get_component_styles("option-list--option").padding
            width = self.scrollable_content_region.width - self._get_left_gutter_width() - padding.width
            height = self._get_visual(option).get_height(self.styles, width) + option._divider
            if height == cache.heights[index]:
                # Same height: only its lines change on screen (the whole list repainted was most
                # of the rest of a `v`).
                self.refresh_lines(cache.index_to_line[index], height)
                if self._pin is not None and self._pin[0] == index:  # and its pinned copy at the top
                    self.refresh_lines(round(self.scroll_y), self._pin[1])
                return
            cache.heights[index] = height
            del cache.lines[cache.index_to_line[index] :]
            following = index
            while following in cache.heights:
                cache.index_to_line[following] = len(cache.lines)
                cache.lines.extend((following, line) for line in range(cache.heights[following]))
                following += 1
            self._update_lines()
        self.refresh()

    def _wrap_width(self) -> int:
        # Always leave room for the scrollbar: wrapping must not depend on whether it is shown.
        return max(self.size.width - 2, 0)

    def on_resize(self) -> None:
        if self.cards and self._wrap_width() != self._wrapped_at:
            claim = self.selected_claim
            self.show_cards(list(self.cards), claim.id if claim else None, self.more)

    NEAR_END = 40  # options (claims and headers) before the end at which the next page is asked for

    def _check_more(self) -> None:
        if not self.more:
            return
        near_highlight = self.highlighted is not None and self.highlighted >= self.option_count - self.NEAR_END
        near_bottom = self.max_scroll_y - self.scroll_y <= self.scrollable_content_region.height * 2
        if near_highlight or near_bottom:
            self.post_message(self.NeedMore())

    def watch_scroll_y(self, old: float, new: float) -> None:
        super().watch_scroll_y(old, new)
        self._check_more()

    def select_first_claim(self) -> None:
        for index in range(self.option_count):
            if not self.get_option_at_index(index).disabled:
                self.highlighted = index
                self.scroll_to_highlight(top=True)
                return

    # -- moving: no wrap-around, as in the queue ------------------------------------------------

    def action_cursor_up(self) -> None:
        """The previous claim; on the first one, stay (OptionList wraps round to the last card loaded,
        which the queue does not do either) and show its card's header."""
        self._step(-1)

    def action_cursor_down(self) -> None:
        self._step(1)

    def _step(self, direction: int) -> None:
        if self.highlighted is None:
            self.select_first_claim()
            return
        index = self.highlighted + direction
        while 0 <= index < self.option_count:
            if not self.get_option_at_index(index).disabled:
                self.highlighted = index
                return
            index += direction
        self.scroll_to_highlight()

    # -- the card header of the highlighted claim stays in view ------------------------------------

    def _header_of(self, index: int) -> int | None:
        """The index of the card header above option ``index`` (itself if it is one)."""
        while index >= 0:
            if self.get_option_at_index(index).disabled:
                return index
            index -= 1
        return None

    def scroll_to_highlight(self, top: bool = False) -> None:
        """Scroll so the highlighted claim shows with its card's header: the header itself when both
        fit on the pane, else the claim just below the pinned copy of the header (see ``_pinned``).
        ``top``: the claim as high as that allows. OptionList scrolled the claim alone to the top,
        and the card's name, country and CONTESTED badge went out of view."""
        highlighted = self.highlighted
        if highlighted is None or not self.is_mounted:
            return
        self._update_lines()
        header = self._header_of(highlighted)
        try:
            y, height = self._index_to_line[highlighted], self._heights[highlighted]
            header_y, header_height = self._index_to_line[header], self._heights[header]  # type: ignore[index]
        except KeyError:
            super().scroll_to_highlight(top)
            return
        view = self.scrollable_content_region.height
        if not view:
            return
        scroll = round(self.scroll_y)
        bottom = y + height
        if top:
            target = max(header_y, y - header_height)
        elif bottom - header_y <= view:  # the header and the claim fit together: show both
            target = header_y if header_y < scroll else (bottom - view if bottom > scroll + view else scroll)
        elif y < scroll + header_height or height > view - header_height:
            target = y - header_height  # right under the pinned header
        elif bottom > scroll + view:
            target = bottom - view
        else:
            target = scroll
        if target != scroll:
            self.scroll_to(y=target, animate=False, force=True, immediate=True)

    def _pinned(self) -> tuple[int, int] | None:
        """The card header pinned over the top rows, as (option index, rows): when the card at the top
        of the pane has its header scrolled above it. It covers the rows up to the next card's
        header, so that one is never hidden."""
        lines = self._lines
        top = round(self.scroll_y)
        if not top or top >= len(lines):
            return None
        header = self._header_of(lines[top][0])
        if header is None:
            return None
        if self._index_to_line[header] >= top:
            return None  # the header is in view
        rows = 0
        while rows < self._heights[header] and top + rows < len(lines):
            index = lines[top + rows][0]
            if index != header and self.get_option_at_index(index).disabled:
                break  # the next card's header
            rows += 1
        return (header, rows) if rows else None

    def render_lines(self, crop: Region) -> list[Strip]:
        self._update_lines()
        self._pin = self._pinned()
        return super().render_lines(crop)

    def render_line(self, y: int) -> Strip:
        pin = self._pin
        if pin is not None and y < pin[1]:
            header, _ = pin
            style = self.get_visual_style("option-list--option", "option-list--option-disabled")
            return self._get_option_render(self.get_option_at_index(header), style)[y]
        return super().render_line(y)

    def on_focus(self) -> None:
        if self.selected_claim is None:
            self.select_first_claim()

    def on_option_list_option_highlighted(self, event: OptionList.OptionHighlighted) -> None:
        event.stop()
        claim = self.selected_claim
        self.post_message(self.ClaimHighlighted(claim.id if claim else None))
        self._check_more()

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        claim = self.selected_claim
        if claim is not None:
            self.post_message(self.ClaimChosen(claim.id))
