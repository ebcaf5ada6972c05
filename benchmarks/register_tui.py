"""Figure 11: the TUI on a store of 50,000 assessments (10,000 vendors) vs one assessment.

``python register_tui.py STORE BANK`` runs the app headless at 80×24 and prints one JSON
line: ``first_frame`` (s from process start to the first painted frame), ``rows``
(s until the vendor register — the default view of a store of more than five vendors —
or Home, for one assessment, shows its rows), with ``count`` rows, and for the register
``fresh`` (s until those rows are the ones built from the store's files: the register
first shows the rows it built last time, ``.socwizard/register.json``, then checks them).
"""

from __future__ import annotations

import time

T0 = time.perf_counter()

import json  # noqa: E402
import sys  # noqa: E402
from pathlib import Path  # noqa: E402
from typing import Any  # noqa: E402

from socwizard.tui.app import SocwizardApp  # noqa: E402

marks: dict[str, Any] = {}


class Bench(SocwizardApp):
    """Exits once the rows are on screen."""

    def on_ready(self) -> None:
        self.set_interval(0.002, self._check)

    def _check(self) -> None:
        from socwizard.tui.screens.home import HomeScreen
        from socwizard.tui.screens.register import RegisterScreen
        from socwizard.tui.widgets.entry_table import EntryTable

        screen = self.screen
        if "first_frame" not in marks and isinstance(screen, HomeScreen | RegisterScreen):
            marks["first_frame"] = None
            self.call_after_refresh(lambda: marks.update(first_frame=time.perf_counter() - T0))
        if not marks.get("first_frame"):
            return
        one = len(sys.argv) > 3 and sys.argv[3] == "one"
        if isinstance(screen, RegisterScreen) and screen.loaded and not one:
            table = screen.query_one(EntryTable)
            if table.row_count == len(screen.rows) and table.row_count:
                if "rows" not in marks:
                    marks["rows"] = None
                    self.call_after_refresh(self._shown, table.row_count)
                if screen.fresh and marks.get("rows"):
                    self.call_after_refresh(self._done, table.row_count)
        elif isinstance(screen, HomeScreen) and screen.loaded and one:
            table = screen.query_one(EntryTable)
            if table.row_count:
                self.call_after_refresh(self._done, table.row_count)

    def _shown(self, count: int) -> None:
        marks["rows"] = time.perf_counter() - T0
        marks["count"] = count

    def _done(self, count: int) -> None:
        if "rows" not in marks:
            self._shown(count)
        if "done" not in marks:
            marks["done"] = True
            if len(sys.argv) <= 3 or sys.argv[3] != "one":
                marks["fresh"] = time.perf_counter() - T0
            self.exit()


Bench(Path(sys.argv[1]), Path(sys.argv[2]), None, None).run(headless=True, size=(80, 24))
print(json.dumps(marks))
