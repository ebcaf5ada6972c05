"""Helpers for driving the wizard with Pilot: fixed dates, tmp stores, stable saved files."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path
from typing import Any, Literal

import pytest
from textual.pilot import Pilot
from textual.widgets import Input

from socwizard.core.answers import Answer
from socwizard.core.assessment import Assessment
from socwizard.core.bank.loader import load_bank
from socwizard.core.bank.models import Bank
from socwizard.core.recommendation import decide
from socwizard.core.store import Store
from socwizard.tui.app import SocwizardApp

MINI_BANK = Path(__file__).parent.parent / "fixtures" / "banks" / "mini"
TODAY = dt.date(2026, 3, 1)
STAMP = dt.datetime(2026, 2, 1, 12, 0, tzinfo=dt.UTC)


def make_app(store_dir: Path, bank_dir: Path = MINI_BANK, open_path: Path | None = None) -> SocwizardApp:
    """The app with a fixed 'today' (stable defaults and snapshots)."""
    return SocwizardApp(store_dir, bank_dir, None, open_path, today=TODAY)


def save_fixed(
    store: Store,
    bank: Bank,
    name: str,
    *,
    title: str = "Payroll outsourcing",
    vendor: str = "Acme Payroll",
    answers: dict[str, Answer] | None = None,
    cursor: str | None = None,
    status: Literal["in_progress", "complete"] = "in_progress",
    assessor: str = "",
    reviewed_on: dt.date = TODAY,
) -> Path:
    """Write an assessment with fixed id, timestamps and filename."""
    assessment = Assessment(
        id=name,
        title=title,
        vendor=vendor,
        assessor=assessor,
        reviewed_on=reviewed_on,
        created=STAMP,
        updated=STAMP,
        status=status,
        cursor=cursor,
        answers=answers or {},
    )
    result = decide(bank, assessment.answers, assessment.reviewed_on, complete=status == "complete")
    path, _, _ = store.save(assessment, bank, result, path=store.root / f"{name}.toml")
    return path


async def settle(pilot: Pilot[Any]) -> None:
    """Let screen changes, workers and saves finish."""
    await pilot.pause()
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


def still_blinking_off(pilot: Pilot[Any]) -> None:
    """No cursor blink, no animations: stable snapshots."""
    pilot.app.animation_level = "none"
    for widget in pilot.app.screen.query(Input):
        widget.cursor_blink = False


@pytest.fixture
def bank_copy(tmp_path: Path) -> Path:
    """A copy of the mini bank that a test may edit."""
    target = tmp_path / "bank"
    shutil.copytree(MINI_BANK, target)
    return target


@pytest.fixture
def mini() -> Bank:
    """The mini bank."""
    return load_bank(MINI_BANK)


def screen_lines(app: SocwizardApp) -> list[str]:
    """The text of every line on screen, as the terminal shows it."""
    return [strip.text.replace("\xa0", " ") for strip in app.screen._compositor.render_strips()]
