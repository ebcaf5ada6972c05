"""Start-up: Home is painted before the bank is loaded (and before pydantic is imported)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from textual.widgets import Static

from socwizard.core.bank.models import Bank
from socwizard.core.bank.peek import bank_title, first_page
from socwizard.core.store import Store
from socwizard.tui.app import SocwizardApp, StartupError
from socwizard.tui.screens.error import ErrorScreen
from socwizard.tui.screens.home import HomeScreen

from .conftest import MINI_BANK, make_app, save_fixed, settle

ROOT = Path(__file__).resolve().parent.parent.parent
SIZE = (80, 24)
# A child process: what was loaded when the bank's worker was about to start (that is,
# after Home's first refresh), then what Home showed once the worker was done.
CHILD = r"""
import json, sys
from pathlib import Path
from socwizard.tui.app import SocwizardApp

seen = {}

class Probe(SocwizardApp):
    def _load_in_background(self):
        seen["screen"] = type(self.screen).__name__
        seen["topbar"] = str(self.screen.query_one("#topbar").render())
        seen["pydantic"] = sorted(m for m in sys.modules if m.split(".")[0] in ("pydantic", "pydantic_core"))
        seen["bank"] = self.bank is not None
        super()._load_in_background()

    def _bank_loaded(self, loaded):
        super()._bank_loaded(loaded)
        seen["after"] = type(self.screen).__name__
        self.set_timer(0.2, self.exit)

Probe(Path(sys.argv[1]), Path(sys.argv[2]), None, None).run(headless=True, size=(80, 24))
print(json.dumps(seen))
"""


def child(store: Path, bank: Path) -> dict[str, object]:
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    out = subprocess.run(
        [sys.executable, "-c", CHILD, str(store), str(bank)],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
        check=True,
    )
    result: dict[str, object] = json.loads(out.stdout.strip().splitlines()[-1])
    return result


def test_home_is_painted_before_pydantic_is_imported(store: Store, mini_bank: Bank) -> None:
    save_fixed(store, mini_bank, "one")
    seen = child(store.root, MINI_BANK)
    assert seen["screen"] == "HomeScreen" and seen["bank"] is False
    assert seen["pydantic"] == []
    assert mini_bank.meta.title in str(seen["topbar"])
    assert seen["after"] == "HomeScreen"


def test_a_broken_bank_is_found_by_the_worker(tmp_path: Path, bank_copy: Path) -> None:
    """Home first, then the error screen, never a traceback (the bank is checked in the worker)."""
    (bank_copy / "basics.toml").write_text('[[questions]]\nid = "Bad Id"\ntype = "yesno"\nprompt = "[/]"\n')
    seen = child(tmp_path / "store", bank_copy)
    assert seen["screen"] == "HomeScreen"
    assert seen["after"] == "ErrorScreen"


async def test_home_lists_the_store_once_the_bank_is_loaded(store: Store, mini_bank: Bank) -> None:
    save_fixed(store, mini_bank, "one", title="Payroll outsourcing")
    app = make_app(store.root)
    async with app.run_test(size=SIZE) as pilot:
        home = app.screen
        assert isinstance(home, HomeScreen)
        await settle(pilot)
        assert app.bank is not None and home.loaded
        assert [e.title for e in home.entries] == ["Payroll outsourcing"]
        assert mini_bank.meta.title in str(home.query_one("#topbar", Static).render())


async def test_keys_that_need_the_bank_wait_for_it(store: Store, monkeypatch: pytest.MonkeyPatch) -> None:
    """Ctrl+N pressed before the worker is done is a note, not a crash."""
    monkeypatch.setattr(SocwizardApp, "_load_in_background", lambda self: None)  # never loads
    app = make_app(store.root)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("ctrl+n")
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen)
        assert any("Still reading" in str(n.message) for n in app._notifications)


async def test_the_error_screen_comes_over_home(tmp_path: Path, bank_copy: Path) -> None:
    (bank_copy / "bank.toml").write_text("title = [\n")
    app = make_app(tmp_path / "store", bank_dir=bank_copy)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, ErrorScreen)
        assert app.screen.title_text == "The question bank has problems"


# --- the title, read plainly ------------------------------------------------------------


def test_the_title_is_read_from_the_top_level_keys(tmp_path: Path) -> None:
    (tmp_path / "bank.toml").write_text('id = "b"\ntitle = "Vendor SOC"\n\n[[sections]]\nid = "s"\n')
    assert bank_title(tmp_path) == "Vendor SOC"


def test_a_table_header_inside_a_string_falls_back_to_the_whole_file(tmp_path: Path) -> None:
    (tmp_path / "bank.toml").write_text('intro = """\n[not a table]\n"""\ntitle = "T"\n[x]\ny = 1\n')
    assert bank_title(tmp_path) == "T"


@pytest.mark.parametrize(
    "text",
    [
        "title = [\n",
        'title = "{policy:name} bank"\n',
        "title = 3\n",
        'title = "  "\n',
        "[meta]\ntitle = 'x'\n",
    ],
)
def test_no_plain_title_is_none(tmp_path: Path, text: str) -> None:
    (tmp_path / "bank.toml").write_text(text)
    assert bank_title(tmp_path) is None


def test_a_fifo_or_missing_bank_is_none(tmp_path: Path) -> None:
    assert bank_title(tmp_path) is None
    os.mkfifo(tmp_path / "bank.toml")
    assert bank_title(tmp_path) is None  # and it did not wait for a writer


# --- open FILE: the resumed question first, from plain data ------------------------------

OPEN_CHILD = r"""
import json, sys
from pathlib import Path
from socwizard.tui.app import SocwizardApp

seen = {}

class Probe(SocwizardApp):
    def _load_in_background(self):
        seen["screen"] = type(self.screen).__name__
        seen["text"] = " ".join(str(w.render()) for w in self.screen.query("Static"))
        seen["pydantic"] = sorted(m for m in sys.modules if m.split(".")[0] in ("pydantic", "pydantic_core"))
        super()._load_in_background()

    def _bank_loaded(self, loaded):
        super()._bank_loaded(loaded)
        self.set_timer(0.3, self._done)

    def _done(self):
        seen["after"] = type(self.screen).__name__
        seen["stack"] = [type(s).__name__ for s in self.screen_stack]
        self.exit()

Probe(Path(sys.argv[1]), Path(sys.argv[2]), None, Path(sys.argv[3])).run(headless=True, size=(80, 24))
print(json.dumps(seen))
"""


def open_child(store: Path, bank: Path, file: Path) -> dict[str, object]:
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    out = subprocess.run(
        [sys.executable, "-c", OPEN_CHILD, str(store), str(bank), str(file)],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
        check=True,
    )
    result: dict[str, object] = json.loads(out.stdout.strip().splitlines()[-1])
    return result


def test_open_paints_the_resumed_question_before_pydantic(store: Store, mini_bank: Bank) -> None:
    question = next(q for q in mini_bank.questions if q.when is None and q.type == "multi")
    path = save_fixed(store, mini_bank, "one", cursor=question.id)
    seen = open_child(store.root, MINI_BANK, path)
    assert seen["screen"] == "PreviewScreen" and seen["pydantic"] == []
    assert question.prompt in str(seen["text"])
    assert seen["after"] == "InterviewScreen"
    assert "PreviewScreen" not in str(seen["stack"])  # the preview is gone once the interview is up


def test_open_with_a_changed_bank_goes_the_long_way(store: Store, mini_bank: Bank, bank_copy: Path) -> None:
    """The file names another bank hash: a bank-change notice may come first, so no preview."""
    path = save_fixed(store, mini_bank, "one", cursor=mini_bank.questions[0].id)
    (bank_copy / "bank.toml").write_text((bank_copy / "bank.toml").read_text() + "\n# changed\n")
    assert first_page(bank_copy, None, path) is None
    assert first_page(MINI_BANK, None, path) is not None


async def test_open_with_a_broken_bank_after_the_preview_is_the_error_screen(
    store: Store, mini_bank: Bank, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = save_fixed(store, mini_bank, "one", cursor=mini_bank.questions[0].id)
    # The preview is made (the plain read is fine), then the validated load fails.
    monkeypatch.setattr(
        "socwizard.tui.app.SocwizardApp._load",
        lambda self: StartupError("The question bank has problems", "bank.toml:1: broken"),
    )
    app = make_app(store.root, open_path=path)
    async with app.run_test(size=SIZE) as pilot:
        assert type(app.screen).__name__ == "PreviewScreen"
        await settle(pilot)
        assert isinstance(app.screen, ErrorScreen)


@pytest.mark.parametrize(
    "change",
    ["complete", "set aside", "no cursor", "hidden question"],
)
def test_no_preview_when_the_first_page_is_not_plain(store: Store, mini_bank: Bank, change: str) -> None:
    conditional = next(q for q in mini_bank.questions if q.when is not None)
    plain = next(q for q in mini_bank.questions if q.when is None)
    cursor = conditional.id if change == "hidden question" else plain.id
    path = save_fixed(store, mini_bank, "one", cursor=None if change == "no cursor" else cursor)
    text = path.read_text()
    if change == "complete":
        text = text.replace('status = "in_progress"', 'status = "complete"')
    elif change == "set aside":
        text += '\n[set_aside]\ngone = "x"\n'
    path.write_text(text)
    assert first_page(MINI_BANK, None, path) is None


def test_no_preview_of_a_text_with_a_policy_token() -> None:
    from socwizard.core.bank.peek import _page

    data = {"title": "T", "vendor": "V"}
    assert _page(data, {"type": "yesno", "prompt": "Is it {policy:x}?"}) is None
    assert _page(data, {"type": "single", "prompt": "P", "choices": [{"label": "{policy:y}"}]}) is None
    page = _page(data, {"type": "single", "prompt": "P", "choices": [{"label": "A"}, {"label": "B"}]})
    assert page is not None and page.choices == ("A", "B")
