"""SVG snapshots at 80×24 with stable data (fixed dates, ids, filenames; no blink)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

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


def test_snapshot_home(snap_compare: Any, store: Store, mini_bank: Bank) -> None:
    _two(store, mini_bank)

    async def ready(pilot: Pilot[Any]) -> None:
        await settle(pilot)
        still_blinking_off(pilot)
        await pilot.pause()

    assert snap_compare(make_app(store.root), terminal_size=SIZE, run_before=ready)


def test_snapshot_question(snap_compare: Any, store: Store, mini_bank: Bank) -> None:
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
        await pilot.press("f1")  # why we ask
        await pilot.pause()
        still_blinking_off(pilot)
        await pilot.pause()

    assert snap_compare(make_app(store.root, open_path=path), terminal_size=SIZE, run_before=ready)


def test_snapshot_results(snap_compare: Any, store: Store, mini_bank: Bank) -> None:
    path = _two(store, mini_bank)

    async def ready(pilot: Pilot[Any]) -> None:
        await settle(pilot)
        await pilot.press("ctrl+g")
        await settle(pilot)
        still_blinking_off(pilot)
        await pilot.pause()

    assert snap_compare(make_app(store.root, open_path=path), terminal_size=SIZE, run_before=ready)
