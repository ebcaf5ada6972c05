"""Help: every key of the screen it was opened from, in words (F1 or ? anywhere)."""

from __future__ import annotations

from pathlib import Path
from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen, Screen
from textual.widgets import Button, Static

from socwizard.tui.safe import join, line

_NAMES = {
    "escape": "Escape",
    "enter": "Enter",
    "tab": "Tab",
    "space": "Space",
    "up": "↑",
    "down": "↓",
    "left": "←",
    "right": "→",
    "pageup": "Page Up",
    "pagedown": "Page Down",
    "home": "Home",
    "end": "End",
    "question_mark": "?",
}


def key_name(key: str) -> str:
    """``ctrl+n`` → ``Ctrl+N``; ``alt+left`` → ``Alt+←``; ``f2`` → ``F2``."""
    parts = key.split("+")
    words = [part.capitalize() for part in parts[:-1]]
    last = parts[-1]
    name = _NAMES.get(last, last.upper() if len(last) <= 3 else last.capitalize())
    return "+".join([*words, name])


EVERY_SCREENS = frozenset({"app.focus_next", "app.focus_previous", "screen.copy_text"})
"""Textual's own keys, listed after the screen's."""


def keys_of(screen: Screen[object]) -> list[tuple[str, str]]:
    """(keys, what they do) for the screen's and the app's bindings that have a description.

    The screen's own keys come first, in the order it declares them, including a shown key
    that a focused widget's hidden binding for the same key stands in front of (Enter in
    Home's filter box still opens the highlighted row; the footer says "⏎ Open" too).
    """
    active = screen.active_bindings
    picked: list[Binding] = []
    for key, binding in screen._bindings:
        current = active.get(key)
        if current is None:
            continue
        if current.binding is binding or (
            binding.show and not current.binding.show and current.node is not screen.app
        ):
            if (
                binding.action.startswith("mark")
                and screen.app._check_action_state(binding.action, screen) is False
            ):
                continue
            picked.append(binding)
    for current in active.values():
        if not isinstance(current.node, Screen | type(screen.app)) or current.binding in picked:
            continue
        if not current.enabled and current.binding.action.startswith("mark"):
            continue
        picked.append(current.binding)
    # every screen's keys (Tab, Shift+Tab, copying a selection): last, not first
    picked.sort(key=lambda binding: binding.action in EVERY_SCREENS)
    seen: dict[str, list[str]] = {}
    order: list[str] = []
    tooltips: dict[str, str] = {}
    for binding in picked:
        if not binding.description:
            continue
        label = "Commands" if binding.action == "command_palette" else binding.description
        if label not in seen:
            seen[label] = []
            order.append(label)
            tooltips[label] = binding.tooltip
        name = key_name(binding.key)
        if name not in seen[label]:
            seen[label].append(name)
    rows: list[tuple[str, str]] = []
    for label in order:
        what = label if not tooltips[label] or tooltips[label] == label else f"{label}: {tooltips[label]}"
        rows.append((" / ".join(seen[label]), what))
    return rows


FIXED_ROWS = 8
"""Rows of the help box besides its list of keys: the border, the title, Close, their margins."""


class HelpScreen(ModalScreen[None]):
    """The keys of the screen underneath; Escape, Enter or F1 closes it."""

    CSS_PATH = Path(__file__).with_suffix(".tcss")
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,enter,f1,question_mark", "close", "Close", id="close"),
    ]

    def __init__(self, under: Screen[object]) -> None:
        super().__init__()
        self.under = under

    def compose(self) -> ComposeResult:
        """Build the page."""
        title = getattr(self.under, "HELP_TITLE", "") or "this screen"
        with Vertical(id="help-box"):
            yield Static(join((f"Keys on {title}", "bold")), id="help-title")
            rows = keys_of(self.under)
            width = max((len(keys) for keys, _ in rows), default=8) + 2
            with VerticalScroll(id="help-body"):
                for keys, what in rows:
                    with Horizontal(classes="help-row"):
                        yield Static(line(keys), classes="help-keys").set_styles(f"width: {width};")
                        yield Static(line(what, 300), classes="help-what")
                extra = getattr(self.under, "HELP", "")
                if extra:
                    yield Static(join((extra, "$sw-muted")), id="help-extra")
            yield Button("Close", id="close", compact=True, variant="primary")

    def on_resize(self) -> None:
        """The keys scroll within the room the screen leaves: Close stays in view.

        At 60×20 the list of an interview's keys ran the Close button off the screen.
        """
        self.query_one("#help-body", VerticalScroll).styles.max_height = max(3, self.size.height - FIXED_ROWS)

    def on_button_pressed(self) -> None:
        """Close."""
        self.dismiss()

    def action_close(self) -> None:
        """Close."""
        self.dismiss()
