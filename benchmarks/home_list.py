"""Figure 5: the Home screen with 10,000 saved assessments vs with one.

Prints one JSON line (ms, medians of interleaved runs): first_frame_1, first_frame_10k,
ready_10k (every row in the table: sortable and filterable). Usage: python home_list.py RUNS
"""

from __future__ import annotations

import json
import re
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CHILD = r"""
import time
T0 = time.perf_counter()
import json, sys
from pathlib import Path
from socwizard.tui.app import SocwizardApp
from socwizard.tui.screens.home import HomeScreen
marks = {}

class Bench(SocwizardApp):
    def on_ready(self):
        self.set_interval(0.002, self._check)

    def _check(self):
        screen = self.screen
        if not isinstance(screen, HomeScreen):
            return
        if "first_frame" not in marks:
            marks["first_frame"] = None
            self.call_after_refresh(lambda: marks.update(first_frame=time.perf_counter() - T0))
        table = screen.query_one("#table")
        if screen.loaded and table.row_count == len(screen.entries) and marks.get("first_frame"):
            marks["ready"] = time.perf_counter() - T0
            marks["rows"] = table.row_count
            self.exit()

Bench(Path(sys.argv[1]), Path(sys.argv[2]), None, None).run(headless=True, size=(80, 24))
print(json.dumps(marks))
"""


def numbered_copy(text: str, n: int) -> str:
    """``text`` (an assessment) with its own top-level ``id`` and ``vendor``.

    Only the top-level keys change: the tables after them (``[bank]`` has an ``id`` too)
    are left as they are, so every copy still names the bank it was answered with.
    """
    head, sep, tables = text.partition("\n[")
    head = re.sub(r'(?m)^id = ".*"$', f'id = "bench{n:08d}"', head, count=1)
    head = re.sub(r'(?m)^vendor = ".*"$', f'vendor = "Vendor {n:05d}"', head, count=1)
    return head + sep + tables


def make_store(directory: Path, count: int, template: bytes) -> Path:
    """A store of ``count`` copies of one assessment, each with its own id and vendor."""
    from socwizard.core.store import Store

    store = Store(directory)
    store.ensure()
    for n in range(count):
        (directory / f"vendor-{n:05d}-{n:08x}.toml").write_text(numbered_copy(template.decode(), n))
    store.list()  # warm the listing index, as any earlier run would have
    return directory


def main() -> None:
    runs = int(sys.argv[1]) if len(sys.argv) > 1 else 5
    sys.path.insert(0, str(ROOT / "benchmarks"))
    from run import prepared_interview

    with tempfile.TemporaryDirectory() as tmp:
        base = Path(tmp)
        _, bank, file = prepared_interview(base / "template")
        template = Path(file).read_bytes()
        one = make_store(base / "one", 1, template)
        many = make_store(base / "many", 10_000, template)
        samples: dict[str, list[dict[str, float]]] = {"1": [], "10k": []}
        for _ in range(runs):
            for key, store in (("1", one), ("10k", many)):
                out = subprocess.run(
                    [sys.executable, "-c", CHILD, str(store), bank],
                    capture_output=True,
                    text=True,
                    check=True,
                    timeout=120,
                )
                samples[key].append(json.loads(out.stdout.strip().splitlines()[-1]))

    def med(key: str, mark: str) -> float:
        return statistics.median(s[mark] for s in samples[key]) * 1000

    print(
        json.dumps(
            {
                "first_frame_1": med("1", "first_frame"),
                "first_frame_10k": med("10k", "first_frame"),
                "ready_1": med("1", "ready"),
                "ready_10k": med("10k", "ready"),
                "rows_10k": samples["10k"][0]["rows"],
            }
        )
    )


if __name__ == "__main__":
    t = time.perf_counter()
    main()
    print(f"home_list: {time.perf_counter() - t:.1f} s", file=sys.stderr)
