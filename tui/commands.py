"""The command palette (ctrl+p): the desk's actions by name, from the same table as the keys."""

from __future__ import annotations

from functools import partial

from textual.command import DiscoveryHit, Hit, Hits, Provider

from .keys import APP_BINDINGS, DESK_BINDINGS


class DeskCommands(Provider):
    def _commands(self) -> list[tuple[str, str, str, bool]]:
        out = []
        for binding in DESK_BINDINGS:
            out.append((binding.tooltip or binding.description, binding.action, binding.id or "", False))
        for binding in APP_BINDINGS:
            out.append((binding.tooltip or binding.description, binding.action, binding.id or "", True))
        return out

    def _runner(self, action: str, on_app: bool):
        desk = getattr(self.app, "desk", None)
        target = self.app if on_app or desk is None else desk
        return partial(self.app.call_later, target.run_action, action)

    async def discover(self) -> Hits:
        for title, action, _id, on_app in self._commands():
            yield DiscoveryHit(title, self._runner(action, on_app))

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for title, action, _id, on_app in self._commands():
            score = matcher.match(title)
            if score > 0:
                yield Hit(score, matcher.highlight(title), self._runner(action, on_app))
