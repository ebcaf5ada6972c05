"""run_app: a broken bank is an error screen and exit code 2, never a traceback."""

from __future__ import annotations

import os
import select
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest
from textual.pilot import Pilot
from textual.widgets import Static

from socwizard.tui.app import SocwizardApp, run_app
from socwizard.tui.screens.error import ErrorScreen

from .conftest import make_app, settle

SIZE = (80, 24)
BROKEN = '[[questions]]\nid = "Bad Id"\ntype = "yesno"\nprompt = "[/]"\n'


@pytest.fixture
def broken_bank(bank_copy: Path) -> Path:
    """A bank whose question file has an invalid id (and markup in a prompt)."""
    (bank_copy / "basics.toml").write_text(BROKEN)
    return bank_copy


def _headless(monkeypatch: pytest.MonkeyPatch, keys: tuple[str, ...] = (), click: str = "") -> list[type]:
    """Make ``SocwizardApp.run`` headless at 80×24, pressing ``keys`` (or clicking) on the error screen."""
    original = SocwizardApp.run
    seen: list[type] = []

    async def drive(pilot: Pilot[Any]) -> None:
        await settle(pilot)
        seen.append(type(pilot.app.screen))
        if click:
            await pilot.click(click)
        await pilot.press(*keys)

    def run(self: SocwizardApp, **_: Any) -> int | None:
        return original(self, headless=True, size=SIZE, auto_pilot=drive)

    monkeypatch.setattr(SocwizardApp, "run", run)
    return seen


@pytest.mark.parametrize(("keys", "click"), [(("ctrl+q",), ""), (("escape",), ""), ((), "#quit")])
def test_run_app_broken_bank_exits_2(
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    broken_bank: Path,
    tmp_path: Path,
    keys: tuple[str, ...],
    click: str,
) -> None:
    monkeypatch.delenv("SOCWIZARD_DEBUG", raising=False)
    seen = _headless(monkeypatch, keys, click)
    assert run_app(tmp_path / "store", broken_bank, None, None) == 2
    assert seen == [ErrorScreen]
    captured = capsys.readouterr()
    assert "Traceback" not in captured.err + captured.out
    assert "internal error" not in captured.err


async def test_error_screen_names_the_problem_literally(broken_bank: Path, tmp_path: Path) -> None:
    app = make_app(tmp_path / "store", bank_dir=broken_bank)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, ErrorScreen)
        assert screen.title_text == "The question bank has problems"
        shown = str(screen.query_one("#error-message", Static).content)
        assert "basics.toml:1: questions[0].id" in shown  # "[0]" is text, not markup
        await pilot.press("ctrl+q")
        await settle(pilot)
    assert app.return_code == 2


def test_run_app_internal_error_is_one_line(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    monkeypatch.delenv("SOCWIZARD_DEBUG", raising=False)

    def boom(self: SocwizardApp, **_: Any) -> int | None:
        raise RuntimeError("driver exploded")

    monkeypatch.setattr(SocwizardApp, "run", boom)
    assert run_app(tmp_path / "store", tmp_path / "bank", None, None) == 1
    err = capsys.readouterr().err
    assert err == "socwizard: internal error (RuntimeError): driver exploded\n"


def test_run_app_ctrl_c_is_130(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    def interrupted(self: SocwizardApp, **_: Any) -> int | None:
        raise KeyboardInterrupt

    monkeypatch.setattr(SocwizardApp, "run", interrupted)
    assert run_app(tmp_path / "store", tmp_path / "bank", None, None) == 130


@pytest.mark.skipif(sys.platform == "win32", reason="needs a POSIX pseudo-terminal")
def test_command_line_broken_bank_in_a_terminal(broken_bank: Path, isolated_home: Path) -> None:
    """The real thing: ``python -m socwizard --bank BROKEN`` in a pseudo-terminal, then Ctrl+Q."""
    import pty

    master, slave = pty.openpty()
    env = {k: v for k, v in os.environ.items() if k != "SOCWIZARD_DEBUG"}
    env.update(TERM="xterm-256color", COLUMNS="80", LINES="24")  # the autouse fixture set HOME etc.
    proc = subprocess.Popen(
        [sys.executable, "-m", "socwizard", "--bank", str(broken_bank)],
        stdin=slave,
        stdout=slave,
        stderr=slave,  # Textual draws on stderr: everything the user sees is in ``out``
        env=env,
        close_fds=True,
    )
    os.close(slave)
    out = b""
    quit_sent = False
    try:
        deadline = time.monotonic() + 60
        while proc.poll() is None and time.monotonic() < deadline:
            ready, _, _ = select.select([master], [], [], 0.1)
            if ready:
                try:
                    out += os.read(master, 65536)
                except OSError:  # the child closed the terminal
                    break
            if not quit_sent and b"problems" in out:
                os.write(master, b"\x11")  # Ctrl+Q
                quit_sent = True
        code = proc.wait(timeout=30)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
        os.close(master)
    assert quit_sent, out[-2000:]
    assert code == 2
    assert b"Traceback" not in out
    assert b"internal error" not in out
