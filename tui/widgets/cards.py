"""The claims pane: one card per place, its claims inside, each claim selectable.

Built on OptionList: a card's header is a disabled option (navigation skips it), each claim an
option whose prompt is multi-line ``Content`` built from plain strings. Styles are theme variables
(``$success``…), so cards follow dark and light themes.
"""

from __future__ import annotations

from dataclasses import dataclass

from textual.binding import Binding
from textual.content import Content
from textual.message import Message
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
    """A claim as the lines of its card: status line, summary, tallies and figures, mentions."""
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
    lines = [Content.assemble(*head)]
    if claim.summary:
        lines.append(Content.assemble("    ", one_line(claim.summary)))
    facts = [stance_tally(claim.stance_counts)] + figures_side_by_side(claim.figures, claim.mentions)
    facts = [f for f in facts if f]
    if claim.outlets:
        facts.append(f"{claim.outlets} outlet{'s' if claim.outlets != 1 else ''}")
    if facts:
        lines.append(Content.assemble("    ", (" │ ".join(facts), "$text-accent")))
    if claim.last_verdict is not None:
        v = claim.last_verdict
        note = f" — {one_line(v.note, 60)}" if v.note else ""
        lines.append(
            Content.assemble("    ", (f"{v.status} by {one_line(v.editor, 24)}, {local_time(v.at)}{note}", "italic $text-muted"))
        )
    for m in claim.mentions:
        who = f" ({one_line(m.attributed_to, 40)})" if m.attributed_to else ""
        lines.append(
            Content.assemble(
                "    ",
                (f"{m.stance:<7}", STANCE_STYLE.get(m.stance, "")),
                " ",
                (one_line(m.outlet, 24), "bold"),
                (f" {local_time(m.published)}{who}: ", "$text-muted"),
                one_line(m.sentence),
            )
        )
    hidden = claim.mention_count - len(claim.mentions)
    if hidden > 0:
        lines.append(Content.assemble("    ", (f"+ {hidden} earlier mention{'s' if hidden != 1 else ''}", "$text-muted")))
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

    @dataclass
    class ClaimChosen(Message):
        """Enter on a claim: compare its two most disagreeing reports."""

        claim_id: int

    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        self.claims: dict[int, ClaimView] = {}
        self.cards: list[PlaceCard] = []
        self._axis = ("", "")
        self._wrapped_at = 0

    @property
    def selected_claim(self) -> ClaimView | None:
        if self.highlighted is None:
            return None
        option_id = self.get_option_at_index(self.highlighted).id or ""
        if option_id.startswith("claim:"):
            return self.claims.get(int(option_id[6:]))
        return None

    def show_cards(self, cards: list[PlaceCard], keep: int | None = None) -> None:
        """Replace the cards; the highlight stays on claim ``keep`` if it is still shown."""
        stamps = [m.published for card in cards for c in card.claims for m in c.mentions if m.published]
        start, end = (min(stamps), max(stamps)) if stamps else ("", "")
        options: list[Option | None] = []
        self.claims = {}
        self.cards = list(cards)
        self._axis = (start, end)
        self._wrapped_at = self._wrap_width()
        for card in cards:
            spark = sparkline([m.published for c in card.claims for m in c.mentions if m.published], start, end)
            options.append(Option(card_header(card, spark), id=f"place:{card.place.key}", disabled=True))
            for claim in card.claims:
                self.claims[claim.id] = claim
                options.append(Option(claim_content(claim, self._wrap_width()), id=f"claim:{claim.id}"))
        self.set_options(options)
        if keep is not None and keep in self.claims:
            self.highlighted = self.get_option_index(f"claim:{keep}")
        elif self.has_focus or keep is not None:
            self.select_first_claim()

    def update_claim(self, claim: ClaimView) -> None:
        """Redraw one claim in place (after a verdict), and its card's header."""
        if claim.id not in self.claims:
            return
        self.claims[claim.id] = claim
        self.replace_option_prompt(f"claim:{claim.id}", claim_content(claim, self._wrap_width()))
        for n, card in enumerate(self.cards):
            if any(c.id == claim.id for c in card.claims):
                card = PlaceCard(card.place, tuple(claim if c.id == claim.id else c for c in card.claims))
                self.cards[n] = card
                spark = sparkline([m.published for c in card.claims for m in c.mentions if m.published], *self._axis)
                self.replace_option_prompt(f"place:{card.place.key}", card_header(card, spark))

    def _wrap_width(self) -> int:
        # Always leave room for the scrollbar: wrapping must not depend on whether it is shown.
        return max(self.size.width - 2, 0)

    def on_resize(self) -> None:
        if self.cards and self._wrap_width() != self._wrapped_at:
            claim = self.selected_claim
            self.show_cards(self.cards, claim.id if claim else None)

    def select_first_claim(self) -> None:
        for index in range(self.option_count):
            if not self.get_option_at_index(index).disabled:
                self.highlighted = index
                self.scroll_to_highlight(top=True)
                return

    def on_focus(self) -> None:
        if self.selected_claim is None:
            self.select_first_claim()

    def on_option_list_option_highlighted(self, event: OptionList.OptionHighlighted) -> None:
        event.stop()
        claim = self.selected_claim
        self.post_message(self.ClaimHighlighted(claim.id if claim else None))

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        claim = self.selected_claim
        if claim is not None:
            self.post_message(self.ClaimChosen(claim.id))
