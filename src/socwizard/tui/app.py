"""The socwizard Textual app: a guided interview over the core, nothing computed here."""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING, ClassVar, NamedTuple

from textual.app import App, SystemCommand
from textual.binding import Binding, BindingType
from textual.screen import Screen

from socwizard.core.errors import BankError, SocwizardError

if TYPE_CHECKING:
    from socwizard.core.bank.models import Bank
    from socwizard.core.register_cache import CachedRow
    from socwizard.core.store import Store
    from socwizard.tui.screens.interview import InterviewScreen
    from socwizard.tui.session import Session

# Actions no button, binding or (hostile) markup of ours should ever reach.
DENIED_ACTIONS: frozenset[str] = frozenset(
    {
        "screenshot",
        "simulate_key",
        "suspend_process",
        "push_screen",
        "pop_screen",
        "switch_screen",
        "switch_mode",
        "add_class",
        "remove_class",
        "toggle_class",
        "focus",
        "notify",
        "bell",
    }
)


class StartupError(NamedTuple):
    """Why the wizard cannot start (built off the UI thread; the error screen shows it)."""

    title: str
    message: str
    details: tuple[str, ...] = ()


TEXTUAL_HELP = {
    "screen.copy_text": "Copy the text selected with the mouse",
    "app.focus_next": "Move to the next field, list or button",
    "app.focus_previous": "Move to the previous field, list or button",
}
"""Words for Textual's own keys, whose palette entries repeated their title as their help."""


def _command_help(binding: Binding) -> str:
    """A palette entry's second line: what the key does, then the key (``… (Ctrl+B)``)."""
    from socwizard.tui.screens.help import key_name

    what = binding.tooltip or TEXTUAL_HELP.get(binding.action, "")
    keys = " or ".join(key_name(key.strip()) for key in binding.key.split(","))
    return f"{what} ({keys})" if what and what != binding.description else keys


class SocwizardApp(App[int]):
    """Home → New → Interview (autosaved) → Review → Results."""

    CSS_PATH = Path(__file__).parent / "app.tcss"
    TITLE = "socwizard"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("f1", "help", "Help", id="help", tooltip="Every key of this screen"),
        Binding("ctrl+q", "quit", "Quit", id="quit", tooltip="Save and quit", priority=True),
    ]

    def __init__(
        self,
        store_dir: Path,
        bank_dir: Path,
        policy_file: Path | None = None,
        open_path: Path | None = None,
        *,
        today: dt.date | None = None,
        confine: tuple[Path, ...] | None = None,
    ) -> None:
        super().__init__()
        # Under ``serve``: the only folders Import may read (None: anywhere, as in a terminal).
        self.confine = confine
        self.store_dir = store_dir
        self.bank_dir = bank_dir
        self.policy_file = policy_file
        self.open_path = open_path
        self._today = today
        self.bank: Bank | None = None
        self.store: Store | None = None
        self.bank_title = "socwizard"  # from bank.toml at once, then from the validated bank
        self._asking_conflict = False

    def get_css_variables(self) -> dict[str, str]:
        """The theme's variables plus text colours legible on its backgrounds (``$sw-*``)."""
        from socwizard.tui.colours import SOURCES, text_variables

        variables = super().get_css_variables()
        extra = text_variables(variables)
        if not extra:  # a theme of terminal colours: use them as they are
            extra = {
                name: variables.get(f"text-{source}", variables.get(source, ""))
                for name, source in SOURCES.items()
            }
            extra["sw-muted"] = variables.get("text-muted", variables.get("foreground", ""))
        return {**variables, **extra}

    def _remember_theme(self, theme: object) -> None:
        from socwizard.tui.settings import remember

        name = getattr(theme, "name", "")
        if isinstance(name, str) and name:
            remember(theme=name)

    def today(self) -> dt.date:
        """Today (fixed in tests, so snapshots are stable)."""
        return self._today or dt.date.today()

    def on_mount(self) -> None:
        """Home first, the bank after it; any failure is an error screen, never a traceback.

        Home is painted before pydantic is imported: it shows the bank's title read plainly
        from ``bank.toml``, and the validated bank and the store are loaded in a worker
        after the first refresh (then Home lists the assessments). Opening one file shows
        the question it resumes at the same way (:class:`PreviewScreen`, when it can be read
        plainly), then its interview; Home is built when needed. The theme chosen last
        time comes back first (``settings.toml``).
        """
        from socwizard.tui.settings import remembered

        saved_theme = remembered("theme", "")
        if saved_theme in self.available_themes:
            self.theme = saved_theme
        self.theme_changed_signal.subscribe(self, self._remember_theme)
        if self.open_path is None:
            from socwizard.core.bank.peek import bank_title

            self.bank_title = bank_title(self.bank_dir) or self.bank_title
            self.show_home()
            self.call_after_refresh(self._load_in_background)
            return
        from socwizard.core.bank.peek import first_page

        page = first_page(self.bank_dir, self._policy(), self.open_path)
        if page is not None:  # its question at once, from plain data; the interview after it
            from socwizard.tui.screens.preview import PreviewScreen

            self.push_screen(PreviewScreen(page))
            self.call_after_refresh(self._load_in_background)
            return
        self._open(self._load())

    def _open(self, loaded: tuple[Bank, Store] | StartupError) -> None:
        """Open ``open_path`` once the bank is loaded (Home if it cannot be opened)."""
        from socwizard.tui.screens.preview import PreviewScreen

        if isinstance(self.screen, PreviewScreen):
            self.pop_screen()
        assert self.open_path is not None
        if self._loaded(loaded) and not self.open_assessment(self.open_path):
            self.show_home()

    def _policy(self) -> Path | None:
        return self.policy_file if self.policy_file is not None and self.policy_file.exists() else None

    def _load_in_background(self) -> None:
        self.run_worker(self._load_worker, thread=True, exclusive=True, group="startup")

    def _load_worker(self) -> None:
        if self.open_path is None:
            from socwizard.core.register_cache import load

            try:  # before the bank: the register's rows at once (a cache: never in the way)
                cached = load(self.store_dir)
            except Exception:
                cached = None
            if cached:
                self.call_from_thread(self._cached_register, cached)
        loaded = self._load()
        self.call_from_thread(self._bank_loaded, loaded)

    def _cached_register(self, cached: list[CachedRow]) -> None:
        """Open on the register the store had last time, while Home still waits for the store.

        Only when it would open on the register anyway (more than a few vendors) and
        nothing has happened on Home yet; the register's rows are then rebuilt from the
        files as soon as Home has listed them.
        """
        from socwizard.core.register import REGISTER_BY_DEFAULT
        from socwizard.tui.screens.home import HomeScreen
        from socwizard.tui.screens.register import RegisterScreen

        home = self.screen
        if len(cached) <= REGISTER_BY_DEFAULT or not isinstance(home, HomeScreen) or home.loaded:
            return
        home.register_opened = True
        self.push_screen(RegisterScreen(cached=cached))

    def _bank_loaded(self, loaded: tuple[Bank, Store] | StartupError) -> None:
        """The worker is done: Home lists the store, or the error screen says what is wrong."""
        from socwizard.tui.screens.home import HomeScreen

        if self.open_path is not None:
            self._open(loaded)
            return
        if not self._loaded(loaded):
            return
        for screen in self.screen_stack:
            if isinstance(screen, HomeScreen):
                screen.bank_ready()

    def _loaded(self, loaded: tuple[Bank, Store] | StartupError) -> bool:
        """Keep the bank and store, or show the error screen; True when the wizard can work."""
        from socwizard.tui.screens.error import ErrorScreen

        if isinstance(loaded, StartupError):
            self.push_screen(ErrorScreen(loaded.title, loaded.message, list(loaded.details)))
            return False
        self.bank, self.store = loaded
        self.bank_title = self.bank.meta.title
        return True

    def _load(self) -> tuple[Bank, Store] | StartupError:
        """Load the bank (validated, or from the cache) and open the store (any thread)."""
        from socwizard.core.bank.cache import load_bank_cached
        from socwizard.core.store import Store
        from socwizard.paths import cache_dir

        try:
            bank = load_bank_cached(self.bank_dir, self._policy(), cache_dir())
            store = Store(self.store_dir)
            store.ensure()
        except BankError as exc:
            return StartupError(
                "The question bank has problems", exc.first_line, tuple(str(p) for p in exc.problems)
            )
        except SocwizardError as exc:
            return StartupError("socwizard could not start", exc.first_line)
        except OSError as exc:
            where = f"{exc.filename}: " if exc.filename else ""
            return StartupError("The assessment store is not usable", f"{where}{exc.strerror or exc}")
        except Exception as exc:  # never a traceback, even from the worker
            if os.environ.get("SOCWIZARD_DEBUG"):
                raise
            return StartupError("socwizard could not start", f"internal error ({type(exc).__name__}): {exc}")
        return bank, store

    def show_home(self) -> None:
        """Put the Home screen on the stack if it is not there yet."""
        from socwizard.tui.screens.home import HomeScreen

        if not any(isinstance(screen, HomeScreen) for screen in self.screen_stack):
            self.push_screen(HomeScreen())

    # --- opening assessments ------------------------------------------------------------

    def open_assessment(self, path: Path) -> bool:
        """Open a file (from the store, or a colleague's) and resume its interview."""
        from socwizard.tui.session import Session

        assert self.bank is not None and self.store is not None
        try:
            session, warnings = Session.open(self.store, self.bank, path)
        except SocwizardError as exc:
            self.notify(exc.first_line, title="Cannot open", severity="error", markup=False, timeout=10)
            return False
        except OSError as exc:
            self.notify(f"{exc.strerror or exc}", title="Cannot open", severity="error", markup=False)
            return False
        for warning in warnings[:3]:
            self.notify(warning, title="Note", severity="warning", markup=False, timeout=8)
        if session.copied_from is not None:
            self.notify(
                "This file is outside your store: your changes are saved to a copy in the store "
                "and the original is left untouched.",
                title="Working on a copy",
                markup=False,
                timeout=8,
            )
        self.start_interview(session)
        return True

    def start_interview(self, session: Session) -> None:
        """Show the interview for a session; leaving it goes to Home."""
        from socwizard.tui.screens.interview import InterviewScreen

        self.push_screen(InterviewScreen(session), lambda _result: self.show_home())

    async def action_quit(self) -> None:
        """Record the page being answered, save, and quit."""
        from socwizard.tui.screens.error import ErrorScreen
        from socwizard.tui.screens.interview import InterviewScreen

        if isinstance(self.screen, ErrorScreen):
            self.exit(2, return_code=2)
            return
        for screen in self.screen_stack:
            if isinstance(screen, InterviewScreen):
                screen.commit_and_save()
                if screen.session.conflict:  # never exit with the edit unsaved (issue 9)
                    self.resolve_conflict(screen, quitting=True)
                    return
        self.exit(0)

    def action_help(self) -> None:
        """Every key of the current screen, in words."""
        from socwizard.tui.screens.help import HelpScreen

        if not isinstance(self.screen, HelpScreen):
            self.push_screen(HelpScreen(self.screen))

    def resolve_conflict(self, screen: InterviewScreen, *, quitting: bool = False) -> None:
        """Ask what to do with edits refused because the file changed on disk."""
        from socwizard.tui.screens.conflict import ConflictScreen

        if self._asking_conflict:
            return
        session = screen.session
        name = session.path.name if session.path is not None else "The file"
        self._asking_conflict = True

        def after(choice: str | None) -> None:
            self._asking_conflict = False
            if choice == "copy":
                problem = session.save_as_copy()
                if problem:
                    self.notify(problem, title="Not saved", severity="error", markup=False, timeout=15)
                    return
                saved = session.path.name if session.path is not None else ""
                self.notify(f"Your changes are saved as a copy: {saved}", title="Saved", markup=False)
                if quitting:
                    self.exit(0)
                elif screen.is_mounted:
                    screen.show_save_state()
            elif choice == "reload":  # show what is on disk now (a quit is called off)
                path = session.path
                session.discard()
                screen.dismiss()
                if path is not None:
                    self.call_after_refresh(self.open_assessment, path)
            elif choice == "discard":
                session.discard()
                if quitting:
                    self.exit(0)
                else:
                    screen.dismiss()

        self.push_screen(ConflictScreen(name, ""), after)

    # --- safety & commands --------------------------------------------------------------

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Second line of defence: actions that text from a file must never trigger."""
        if action in DENIED_ACTIONS:
            return False
        return super().check_action(action, parameters)

    def get_system_commands(self, screen: Screen[object]) -> Iterable[SystemCommand]:
        """The palette: the current screen's own keys, then the app's commands, each once."""
        from socwizard.tui.screens.home import HomeScreen
        from socwizard.tui.screens.register import RegisterScreen
        from socwizard.tui.session import Session

        titles: set[str] = set()

        def once(command: SystemCommand) -> Iterable[SystemCommand]:
            if command.title not in titles:
                titles.add(command.title)
                yield command

        for active in screen.active_bindings.values():
            binding = active.binding
            # Only ours: a screen's or the app's bindings (not the focused widget's
            # "Down", "Page Left" or "Copy selected text", listed once per widget).
            if not binding.description or not active.enabled or not isinstance(active.node, Screen | App):
                continue
            if binding.action in ("quit", "help", "command_palette"):
                continue
            node = active.node
            action = binding.action

            def run(node: object = node, action: str = action) -> None:
                self.call_later(self.run_action, action, node)

            yield from once(SystemCommand(binding.description, _command_help(binding), run))
        if not isinstance(screen, HomeScreen):
            yield from once(SystemCommand("Home", "Save and go back to the list", self._palette_home))
            yield from once(SystemCommand("New", "Start a new assessment", lambda: self._palette_home("new")))
            yield from once(
                SystemCommand("Import", "Import a colleague's file", lambda: self._palette_home("import"))
            )
            session = getattr(screen, "session", None)
            if isinstance(session, Session):
                yield from once(
                    SystemCommand(
                        "Export", "Save, then export this assessment", lambda: self._export(session)
                    )
                )
        if not isinstance(screen, RegisterScreen):
            yield from once(
                SystemCommand(
                    "Register",
                    "The vendor register: what is due (Ctrl+G)",
                    lambda: self._palette_home("register"),
                )
            )
        yield from once(SystemCommand("Help", "Every key of this screen", self.action_help))
        for command in super().get_system_commands(screen):
            if command.title not in ("Screenshot", "Keys"):
                yield from once(command)

    def _export(self, session: Session) -> None:
        """Save the open assessment, then the export dialog for its file."""
        from socwizard.tui.screens.export import ExportScreen

        for screen in self.screen_stack:
            commit = getattr(screen, "commit_and_save", None)
            if callable(commit):
                commit()
        problem = session.save()
        if problem or session.path is None:
            self.notify(problem or "Not saved yet: nothing to export.", severity="warning", markup=False)
            return
        self.push_screen(ExportScreen(session.path))

    def _palette_home(self, then: str = "") -> None:
        self.run_worker(self.go_home(then), exclusive=True, group="go-home")

    async def go_home(self, then: str = "") -> None:
        """Save any open interview, return to Home, then run a Home action (``new``, ``import``)."""
        from socwizard.tui.screens.home import HomeScreen
        from socwizard.tui.screens.interview import InterviewScreen

        for screen in self.screen_stack:
            if isinstance(screen, InterviewScreen):
                screen.commit_and_save()
                if screen.session.conflict:  # the edit is never left unsaved (issue 9)
                    self.resolve_conflict(screen)
                    return
        while len(self.screen_stack) > 1 and not isinstance(self.screen, HomeScreen):
            await self.pop_screen()
        if not isinstance(self.screen, HomeScreen):
            await self.push_screen(HomeScreen())
        if then and isinstance(self.screen, HomeScreen):
            await self.screen.run_action(then)


def run_app(
    store_dir: Path,
    bank_dir: Path,
    policy_file: Path | None,
    open_path: Path | None,
    confine: tuple[Path, ...] | None = None,
) -> int:
    """Build the app, run it, and return an exit code (the CLI calls this)."""
    app = SocwizardApp(store_dir, bank_dir, policy_file, open_path, confine=confine)
    try:
        code = app.run()
    except KeyboardInterrupt:
        return 130
    except Exception as exc:  # never a traceback for the user
        if os.environ.get("SOCWIZARD_DEBUG"):
            raise
        import sys

        sys.stderr.write(f"socwizard: internal error ({type(exc).__name__}): {exc}\n")
        return 1
    if app.return_code not in (None, 0):
        return app.return_code
    return code or 0
