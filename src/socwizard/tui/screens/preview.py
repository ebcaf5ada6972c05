"""The first page of ``open FILE``, painted from plain data while the bank loads.

Opening a file needs the validated bank (pydantic and the core: most of the start-up
time). This screen shows the question the file resumes at, read plainly from the TOML
(:func:`socwizard.core.bank.peek.first_page`), until the interview replaces it a moment
later. It only shows text; every string goes through the safe helpers.
"""

from __future__ import annotations

from typing import ClassVar

from textual.app import ComposeResult
from textual.containers import Horizontal, VerticalScroll
from textual.screen import Screen
from textual.widgets import Static

from socwizard.core.bank.peek import FirstPage
from socwizard.core.text import one_line
from socwizard.tui.safe import join, line


class PreviewScreen(Screen[None]):
    """The resumed question, as text, until the interview is ready."""

    # The interview's frame (its map on the left, folded away below 72 columns, as
    # interview.SIDEBAR_FOLD: importing that module would import pydantic), so that the
    # real page replaces this one with as little movement as possible.
    DEFAULT_CSS = """
    PreviewScreen #topbar { height: 1; background: $panel; padding: 0 1; text-wrap: nowrap; }
    PreviewScreen #body { height: 1fr; }
    PreviewScreen #side {
        dock: left; width: 30%; min-width: 28; max-width: 48; height: 1fr;
        background: $surface; border-right: vkey $foreground 20%;
    }
    PreviewScreen.-narrow #side { display: none; }
    PreviewScreen #preview { padding: 3 1 0 1; }
    PreviewScreen #preview-prompt { text-style: bold; }
    PreviewScreen #preview-help { color: $sw-muted; margin-bottom: 1; }
    PreviewScreen .preview-choice { padding: 0 1; }
    PreviewScreen #preview-status { dock: bottom; height: 1; padding: 0 1; color: $sw-muted; }
    """
    HORIZONTAL_BREAKPOINTS: ClassVar[list[tuple[int, str]] | None] = [  # type: ignore[misc]
        (0, "-narrow"),
        (72, "-wide"),
    ]

    def __init__(self, page: FirstPage) -> None:
        super().__init__()
        self.page = page

    def compose(self) -> ComposeResult:
        """The topbar, the prompt, its help and choices, and a note that it is loading."""
        page = self.page
        yield Static(
            join(
                ("socwizard", "bold"),
                "  ·  ",
                (one_line(page.title, 40), "bold $sw-accent"),
                (f" — {one_line(page.vendor, 30)}" if page.vendor and page.vendor != page.title else "", ""),
                (f"  ·  reviewed {page.reviewed_on}" if page.reviewed_on else "", "$sw-muted"),
            ),
            id="topbar",
        )
        with Horizontal(id="body"):
            yield Static(id="side")
            with VerticalScroll(id="preview"):
                yield Static(line(page.prompt), id="preview-prompt")
                if page.help:
                    yield Static(line(page.help), id="preview-help")
                for label in page.choices:
                    yield Static(join(("○ ", "$sw-muted"), one_line(label, 200)), classes="preview-choice")
        yield Static("Opening the interview…", id="preview-status")
