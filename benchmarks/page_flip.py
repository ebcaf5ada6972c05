"""Figure 4: next/back page flips in the interview vs a bare screen swapping as many widgets.

Prints one JSON line: {"socwizard": {"p50", "p95"}, "floor": {...}, "widgets": N} (ms).
Usage: python page_flip.py FLIPS STORE BANK FILE
"""

from __future__ import annotations

import asyncio
import json
import statistics
import sys
import time
from pathlib import Path
from typing import ClassVar

SIZE = (80, 24)


def percentiles(samples: list[float]) -> dict[str, float]:
    ordered = sorted(samples)
    p95 = ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]
    return {"p50": statistics.median(ordered) * 1000, "p95": p95 * 1000}


async def measure_socwizard(flips: int, store: Path, bank: Path, file: Path) -> tuple[list[float], int]:
    from socwizard.tui.app import SocwizardApp

    app = SocwizardApp(store, bank, None, file)
    async with app.run_test(size=SIZE) as pilot:
        for _ in range(200):
            await pilot.pause(0.01)
            if type(app.screen).__name__ == "InterviewScreen" and app.screen.query("QuestionView"):
                break
        widgets = len(list(app.screen.query_one("QuestionView").walk_children()))
        times = []
        for i in range(flips):
            key = "ctrl+n" if (i // 4) % 2 == 0 else "ctrl+b"
            start = time.perf_counter()
            await pilot.press(key)
            await pilot.pause()
            times.append(time.perf_counter() - start)
    return times, widgets


async def measure_floor(flips: int, widgets: int) -> list[float]:
    from textual.app import App, ComposeResult
    from textual.binding import BindingType
    from textual.containers import VerticalScroll
    from textual.widgets import Footer, Label, RadioButton, RadioSet

    class Floor(App[None]):
        BINDINGS: ClassVar[list[BindingType]] = [("ctrl+n", "flip", "Next"), ("ctrl+b", "flip", "Back")]
        page = 0

        def compose(self) -> ComposeResult:
            yield VerticalScroll(id="page")
            yield Footer()

        def build(self) -> list[object]:
            radios = [RadioButton(f"Choice {i} of page {self.page}") for i in range(max(1, widgets - 3))]
            return [Label(f"Question {self.page}"), Label("Help text"), RadioSet(*radios)]

        async def on_mount(self) -> None:
            await self.query_one("#page").mount_all(self.build())  # type: ignore[arg-type]

        async def action_flip(self) -> None:
            self.page += 1
            page = self.query_one("#page")
            await page.remove_children()
            await page.mount_all(self.build())  # type: ignore[arg-type]

    app = Floor()
    times = []
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        for i in range(flips):
            start = time.perf_counter()
            await pilot.press("ctrl+n" if i % 2 == 0 else "ctrl+b")
            await pilot.pause()
            times.append(time.perf_counter() - start)
    return times


async def main() -> None:
    flips = int(sys.argv[1])
    store, bank, file = (Path(a) for a in sys.argv[2:5])
    ours: list[float] = []
    base: list[float] = []
    widgets = 0
    for _ in range(3):  # interleave blocks: ours, floor, ours, floor, ...
        times, widgets = await measure_socwizard(flips // 3, store, bank, file)
        ours += times[2:]  # the first flips warm caches
        base += (await measure_floor(flips // 3, widgets))[2:]
    print(json.dumps({"socwizard": percentiles(ours), "floor": percentiles(base), "widgets": widgets}))


if __name__ == "__main__":
    asyncio.run(main())
