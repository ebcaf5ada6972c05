"""A Footer that rebuilds itself only when the keys it shows actually change.

Textual's Footer recomposes all its keys whenever a screen's bindings are updated —
on every focus change. A page flip in the interview moves focus several times, and
each recompose re-mounts and re-styles every key: it was the largest cost of a flip
(see BENCHMARKS.md). This footer compares what it would show and skips the rebuild
when nothing changed.
"""

from __future__ import annotations

from typing import Any

from textual.screen import Screen
from textual.widgets import Footer


class StableFooter(Footer):
    """Footer that recomposes only when its visible bindings change."""

    _shown: tuple[Any, ...] | None = None

    def _signature(self, screen: Screen[Any]) -> tuple[Any, ...]:
        return tuple(
            (binding.key, binding.action, binding.description, enabled, tooltip)
            for (_node, binding, enabled, tooltip) in screen.active_bindings.values()
            if binding.show or binding.action == "command_palette"
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
