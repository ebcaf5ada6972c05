"""A line-API scroll view that caches its rendered lines (the sidebar, the Home table).

Rendered lines carry colours, width and focus state, so the cache is dropped when the
width or the theme changes; focus changes only repaint (keys include ``has_focus``).
"""

from __future__ import annotations

from typing import Any

from textual.scroll_view import ScrollView
from textual.strip import Strip

MAX_CACHED_LINES = 4096


class CachedLineView(ScrollView):
    """Base for widgets whose ``render_line`` results are cached in ``self.lines_cache``."""

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.lines_cache: dict[Any, Strip] = {}

    def cached(self, key: Any, draw: Any) -> Strip:
        """The line for ``key``, drawn by ``draw()`` only when not cached."""
        strip = self.lines_cache.get(key)
        if strip is None:
            if len(self.lines_cache) > MAX_CACHED_LINES:
                self.lines_cache.clear()
            strip = self.lines_cache[key] = draw()
        return strip

    def on_mount(self) -> None:
        """Cached lines carry the theme's colours: drop them when the theme changes."""
        self.app.theme_changed_signal.subscribe(self, self._theme_changed)

    def _theme_changed(self, _theme: object) -> None:
        self.lines_cache.clear()
        self.refresh()

    def on_focus(self) -> None:
        """The cursor colour depends on focus."""
        self.refresh()

    def on_blur(self) -> None:
        """The cursor colour depends on focus."""
        self.refresh()

    def on_resize(self) -> None:
        """Lines are drawn again at the new width."""
        self.lines_cache.clear()
