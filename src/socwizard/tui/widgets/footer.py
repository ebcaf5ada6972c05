"""A compact Footer that fits its terminal and rebuilds itself only when its keys change.

Textual's Footer recomposes all its keys whenever a screen's bindings are updated —
on every focus change. A page flip in the interview moves focus several times, and
each recompose re-mounts and re-styles every key: it was the largest cost of a flip
(see BENCHMARKS.md). This footer compares what it would show and skips the rebuild
when nothing changed.

On a narrow terminal the Footer would cut its last keys (Help, Quit) off; this one
drops the screen's own keys from the right instead (the last ones its ``BINDINGS``
declare), so Help and Quit always show (Help lists every key of the screen).
"""

from __future__ import annotations

from typing import Any

from textual import events
from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import Footer
from textual.widgets._footer import FooterKey  # not re-exported; textual is pinned

PALETTE_WIDTH = 12
"""Cells taken by the command palette key on the right."""


class StableFooter(Footer):
    """Footer that recomposes only when its visible bindings (or its width) change."""

    _shown: tuple[Any, ...] | None = None

    def __init__(self) -> None:
        super().__init__(compact=True)

    def _signature(self, screen: Screen[Any]) -> tuple[Any, ...]:
        return (
            self.app.size.width,
            *(
                (binding.key, binding.action, binding.description, enabled, tooltip)
                for (_node, binding, enabled, tooltip) in screen.active_bindings.values()
                if binding.show or binding.action == "command_palette"
            ),
        )

    def bindings_changed(self, screen: Screen[Any]) -> None:
        """Recompose only when the shown keys differ from the last composed ones."""
        self._bindings_ready = True
        if not screen.app.app_focus:
            return
        if self.is_attached and screen is self.screen:
            signature = self._signature(screen)
            if signature != self._shown:
                self._shown = signature
                self.call_after_refresh(self.recompose)

    def on_resize(self, _event: events.Resize) -> None:
        """A new width may fit more (or fewer) keys."""
        self.bindings_changed(self.screen)

    def fitting(self) -> list[tuple[Binding, bool, str]]:
        """The keys to show: the screen's, then the app's; the screen's last ones go first."""
        active = self.screen.active_bindings.values()
        own = [(b, enabled, tip) for (node, b, enabled, tip) in active if b.show and node is not self.app]
        app = [(b, enabled, tip) for (node, b, enabled, tip) in active if b.show and node is self.app]
        unique: dict[str, tuple[Binding, bool, str]] = {}
        for entry in own + self._shadowed():
            unique.setdefault(entry[0].action, entry)
        # In the order the screen declares them (priority keys would come first otherwise):
        # its main keys first, the ones that may drop on a narrow terminal last.
        declared = [b.action for b in type(self.screen).BINDINGS if isinstance(b, Binding)]
        rank = {action: n for n, action in reversed(list(enumerate(declared)))}
        own = sorted(unique.values(), key=lambda entry: rank.get(entry[0].action, len(rank)))

        def width(entries: list[tuple[Binding, bool, str]]) -> int:
            return sum(len(self.app.get_key_display(b)) + len(b.description) + 2 for b, _, _ in entries)

        room = self.app.size.width - PALETTE_WIDTH
        while own and width(own) + width(app) > room:
            own.pop()
        return own + app

    def _shadowed(self) -> list[tuple[Binding, bool, str]]:
        """The screen's shown keys hidden behind a focused widget's unshown one for the same key.

        Enter in Home's filter box opens the highlighted row (the box's own Enter binding
        is hidden): the footer still says "⏎ Open".
        """
        screen = self.screen
        active = screen.active_bindings
        found: list[tuple[Binding, bool, str]] = []
        for key, binding in screen._bindings:
            current = active.get(key)
            if not binding.show or current is None or current.binding.show or current.node is self.app:
                continue
            state = self.app._check_action_state(binding.action, screen)
            if state is not False:
                found.append((binding, bool(state), binding.tooltip))
        return found

    def compose(self) -> ComposeResult:
        """The keys that fit, then the command palette key."""
        if not self._bindings_ready:
            return
        shown = self.fitting()
        self.styles.grid_size_columns = len(shown) + 1
        for binding, enabled, tooltip in shown:
            yield FooterKey(
                binding.key,
                self.app.get_key_display(binding),
                binding.description,
                binding.action,
                disabled=not enabled,
                tooltip=tooltip,
            ).data_bind(compact=Footer.compact)
        try:
            _node, binding, enabled, tooltip = self.screen.active_bindings[self.app.COMMAND_PALETTE_BINDING]
        except KeyError:
            return
        yield FooterKey(
            binding.key,
            self.app.get_key_display(binding),
            binding.description,
            binding.action,
            classes="-command-palette",
            disabled=not enabled,
            tooltip=binding.tooltip or binding.description,
        )
