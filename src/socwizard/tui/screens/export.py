"""Export an assessment as Markdown, HTML or JSON (for filing, or for a colleague)."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import TYPE_CHECKING, ClassVar

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label, RadioButton, RadioSet, Static

from socwizard.core.errors import SocwizardError
from socwizard.core.text import clean, one_line
from socwizard.tui.safe import join

if TYPE_CHECKING:
    from socwizard.core.assessment import Loaded
    from socwizard.tui.app import SocwizardApp

FORMATS: tuple[tuple[str, str], ...] = (
    ("markdown", "Markdown (.md): for a ticket or a wiki"),
    ("html", "HTML (.html): to print or attach"),
    ("json", "JSON (.json): for other tools"),
)


class ExportScreen(ModalScreen[Path | None]):
    """Pick a format and a file; dismisses with the written path (or None)."""

    CSS_PATH = Path(__file__).parent / "importer.tcss"
    AUTO_FOCUS = "#formats"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Cancel", id="cancel"),
        Binding("ctrl+e", "export", "Export", id="export", priority=True, tooltip="Write the file"),
    ]

    def __init__(self, source: Path, directory: Path | None = None) -> None:
        super().__init__()
        self.source = source
        self.directory = directory or Path.cwd()
        self.fmt = "markdown"
        self.stem_names: dict[str, str] = {}

    @property
    def wizard(self) -> SocwizardApp:
        """The app, typed."""
        from socwizard.tui.app import SocwizardApp

        assert isinstance(self.app, SocwizardApp)
        return self.app

    def compose(self) -> ComposeResult:
        """Build the page."""
        with Vertical(id="export-box"):
            yield Static(
                join(("Export ", "bold"), (one_line(self.source.name, 60), "bold $text-accent")),
                id="export-title",
            )
            with RadioSet(id="formats"):
                for index, (_fmt, label) in enumerate(FORMATS):
                    yield RadioButton(label, value=index == 0)
            yield Label("Write to")
            yield Input(id="target")
            yield Static(
                join(("An existing file is never overwritten without asking.", "$text-muted")),
                id="export-status",
            )
            with Horizontal(id="export-buttons"):
                yield Button("Cancel", id="cancel", compact=True)
                yield Button("Export", id="export", compact=True, variant="primary")

    def on_mount(self) -> None:
        """Suggest a filename (needs the export module; tolerate it being absent)."""
        self._suggest()

    def _suggest(self) -> None:
        try:
            from socwizard.core.export import default_filename
            from socwizard.core.store import Store

            assessment = self._loaded().assessment
            del Store
            name = default_filename(assessment, self.fmt)
        except Exception:  # export module missing or the file unreadable: a plain default
            name = f"{self.source.stem}.{'md' if self.fmt == 'markdown' else self.fmt}"
        self.query_one("#target", Input).value = str(self.directory / name)

    def _loaded(self) -> Loaded:
        from socwizard.core.assessment import read_assessment_file

        bank = self.wizard.bank
        assert bank is not None
        return read_assessment_file(self.source, bank)

    @on(RadioSet.Changed, "#formats")
    def _format(self, event: RadioSet.Changed) -> None:
        self.fmt = FORMATS[event.index][0]
        self._suggest()

    @on(Input.Submitted, "#target")
    @on(Button.Pressed, "#export")
    def _go(self) -> None:
        self.action_export()

    @on(Button.Pressed, "#cancel")
    def _cancel(self) -> None:
        self.action_cancel()

    def action_cancel(self) -> None:
        """Close."""
        self.dismiss(None)

    def _status(self, message: str, style: str = "") -> None:
        self.query_one("#export-status", Static).update(join((one_line(message, 400), style)))

    def action_export(self, overwrite: bool = False) -> None:
        """Write the export (asks before replacing a file)."""
        text = clean(self.query_one("#target", Input).value).strip()
        if not text:
            self._status("Give a file to write to.", "bold $error")
            return
        target = Path(text).expanduser()
        if target.is_dir():
            target = target / Path(self.query_one("#target", Input).value).name
        if target.exists() and not overwrite:
            from socwizard.tui.screens.confirm import ConfirmScreen

            def answered(yes: bool | None) -> None:
                if yes:
                    self.action_export(overwrite=True)

            question = join("Replace the existing file ", (one_line(str(target), 200), "bold"), "?")
            self.app.push_screen(ConfirmScreen(question, "Replace", danger=True), answered)
            return
        self.write(target)

    @work(exclusive=True, group="export")
    async def write(self, target: Path) -> None:
        """Render and write off the UI thread."""
        bank = self.wizard.bank
        assert bank is not None
        try:
            from socwizard.core.export import render_export
        except ImportError:
            self._status("Export is not available in this version of socwizard.", "bold $error")
            return
        from socwizard.core.store import write_private

        fmt = self.fmt

        def render_and_write() -> None:
            loaded = self._loaded()
            write_private(target, render_export(loaded, bank, fmt).encode("utf-8"))  # type: ignore[arg-type]

        try:
            await asyncio.to_thread(render_and_write)
        except SocwizardError as exc:
            self._status(f"Not exported: {exc.first_line}", "bold $error")
            return
        except (OSError, ValueError) as exc:
            self._status(f"Not exported: {getattr(exc, 'strerror', None) or exc}", "bold $error")
            return
        self.notify(f"Exported to {target}", title="Exported", markup=False, timeout=6)
        self.dismiss(target)
