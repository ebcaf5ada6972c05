"""SVG snapshots at 80×24 with stable data (fixed dates, ids, filenames; no blink)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
from textual.pilot import Pilot

from socwizard.core.answers import UNKNOWN, Answer
from socwizard.core.bank.models import Bank
from socwizard.core.store import Store

from .conftest import make_app, save_fixed, settle, still_blinking_off

SIZE = (80, 24)


def _two(store: Store, bank: Bank) -> Path:
    save_fixed(
        store,
        bank,
        "acme",
        title="Payroll outsourcing",
        vendor="Acme Payroll",
        answers={"data_types": Answer(value=("customer_pii",)), "financial": Answer(value=True)},
        cursor="sla",
    )
    return save_fixed(
        store,
        bank,
        "beta",
        title="Hosting",
        vendor="Beta Cloud",
        answers={
            "data_types": Answer(value=("confidential",)),
            "financial": UNKNOWN,
            "sla": Answer(value=99.9, note="per the MSA"),
            "fye": Answer(value=dt.date(2025, 12, 31)),
        },
        cursor="notes",
        status="complete",
    )


SIZES = pytest.mark.parametrize("size", [(80, 24), (120, 40)], ids=["80x24", "120x40"])


async def _steady(pilot: Pilot[Any]) -> None:
    await settle(pilot)
    still_blinking_off(pilot)
    await pilot.pause()


@SIZES
def test_snapshot_home(snap_compare: Any, store: Store, mini_bank: Bank, size: tuple[int, int]) -> None:
    _two(store, mini_bank)
    assert snap_compare(make_app(store.root), terminal_size=size, run_before=_steady)


@SIZES
def test_snapshot_question(snap_compare: Any, store: Store, mini_bank: Bank, size: tuple[int, int]) -> None:
    path = save_fixed(
        store,
        mini_bank,
        "acme",
        answers={"data_types": Answer(value=("customer_pii",))},
        cursor="financial",
    )

    async def ready(pilot: Pilot[Any]) -> None:
        await settle(pilot)
        await pilot.press("ctrl+b")  # back to the multi-choice page
        await settle(pilot)
        await pilot.press("f5")  # why we ask
        await _steady(pilot)

    assert snap_compare(make_app(store.root, open_path=path), terminal_size=size, run_before=ready)


@SIZES
def test_snapshot_review(snap_compare: Any, store: Store, mini_bank: Bank, size: tuple[int, int]) -> None:
    _two(store, mini_bank)
    path = store.root / "acme.toml"

    async def ready(pilot: Pilot[Any]) -> None:
        await settle(pilot)
        await pilot.press("ctrl+r")
        await _steady(pilot)

    assert snap_compare(make_app(store.root, open_path=path), terminal_size=size, run_before=ready)


@SIZES
def test_snapshot_results(snap_compare: Any, store: Store, mini_bank: Bank, size: tuple[int, int]) -> None:
    path = _two(store, mini_bank)  # complete: it opens on its results
    assert snap_compare(make_app(store.root, open_path=path), terminal_size=size, run_before=_steady)


def test_snapshot_question_light_theme(snap_compare: Any, store: Store, mini_bank: Bank) -> None:
    path = save_fixed(store, mini_bank, "acme", cursor="data_types")

    async def ready(pilot: Pilot[Any]) -> None:
        pilot.app.theme = "textual-light"
        await _steady(pilot)

    assert snap_compare(make_app(store.root, open_path=path), terminal_size=SIZE, run_before=ready)
