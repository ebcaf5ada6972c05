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
from socwizard.core.bank.peek import bank_title
from socwizard.core.store import Store
from socwizard.tui.app import SocwizardApp
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
