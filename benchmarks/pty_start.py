"""Time to the first screen a user sees: a real pseudo-terminal at 80×24, read by a VT parser.

Each run starts a command in a fresh pty (TERM=xterm-256color, 80×24), records when each
chunk of output arrives and the process's resident memory at that moment, and kills it
once the awaited text has arrived. Afterwards the chunks are replayed through ``pyte`` (a
VT100/xterm screen emulator): the first-frame time is the arrival of the chunk after which
the awaited text is on the emulated screen, and the RSS is the one sampled then.

``python pty_start.py RUNS [NAME,NAME]`` prints one JSON object: for every scenario, the
medians of its interleaved runs ("ms", "rss_mb") and every sample, in run order (sample i
of every scenario comes from the same round, so ratios can be taken pair by pair).
``BENCH_BEFORE=OLD/src`` adds Home and ``open FILE`` run from an older checkout,
interleaved with the rest (before/after in one run).
"""

from __future__ import annotations

import fcntl
import json
import os
import select
import signal
import statistics
import struct
import subprocess
import sys
import tempfile
import termios
import time
from dataclasses import dataclass, field
from pathlib import Path

import pyte

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
COLUMNS, LINES = 80, 24
TIMEOUT = 30.0

BARE_APP = r"""
from textual.app import App, ComposeResult
from textual.widgets import Static

class Bare(App[None]):
    def compose(self) -> ComposeResult:
        yield Static("Bare Textual app ready")

Bare().run()
"""
# Bounds for ``open FILE``: the bare app plus the least that reading an assessment costs.
WITH_PYDANTIC = "from pydantic import BaseModel\nclass One(BaseModel):\n    x: int\nOne(x=1)\n"
WITH_CORE = "import socwizard.core.assessment\n"
# The bound of a plain-data first page for ``open FILE``: the bank's and the file's TOML
# parsed with tomli (no pydantic, no core), the cursor's question painted with its choices.
PLAIN_FIRST_QUESTION = r"""
import sys
from pathlib import Path
import tomli
from textual.app import App, ComposeResult
from textual.widgets import Footer, Header, RadioButton, RadioSet, Static

bank_dir, file = Path(sys.argv[1]), Path(sys.argv[2])
cursor = tomli.loads(file.read_text()).get("cursor")
meta = tomli.loads((bank_dir / "bank.toml").read_text())
question = None
for section in meta["sections"]:
    name = section.get("file") or section["id"] + ".toml"
    for q in tomli.loads((bank_dir / name).read_text())["questions"]:
        if q["id"] == cursor:
            question = q
            break
    if question:
        break

class Plain(App[None]):
    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(question["prompt"])
        with RadioSet():
            for choice in question.get("choices", []):
                yield RadioButton(choice["label"])
        yield Footer()

Plain().run()
"""


@dataclass
class Scenario:
    """A command and the text whose appearance on screen ends the measurement."""

    name: str
    command: list[str]
    awaited: str
    env: dict[str, str] = field(default_factory=dict)


@dataclass
class Sample:
    """One run: time to the awaited text, RSS then, and the peak RSS until it was killed."""

    ms: float
    rss_mb: float
    peak_mb: float


def _rss_mb(pid: int) -> float:
    try:
        with open(f"/proc/{pid}/status", "rb") as handle:
            for line in handle:
                if line.startswith(b"VmRSS:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    return 0.0


def run_once(scenario: Scenario) -> Sample:
    """Start the command in a pty; return when (and at what RSS) the awaited text appeared."""
    master, slave = os.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", LINES, COLUMNS, 0, 0))
    env = {**os.environ, "TERM": "xterm-256color", "COLUMNS": str(COLUMNS), "LINES": str(LINES)}
    env.pop("SOCWIZARD_DEBUG", None)
    env.update(scenario.env)
    awaited = scenario.awaited.encode()
    chunks: list[tuple[float, bytes, float]] = []
    start = time.perf_counter()
    proc = subprocess.Popen(
        scenario.command,
        stdin=slave,
        stdout=slave,
        stderr=slave,
        env=env,
        close_fds=True,
        start_new_session=True,
    )
    os.close(slave)
    raw = b""
    seen_raw_at: float | None = None
    try:
        while time.perf_counter() - start < TIMEOUT:
            ready, _, _ = select.select([master], [], [], 0.01)
            now = time.perf_counter()
            if ready:
                try:
                    data = os.read(master, 1 << 16)
                except OSError:
                    break
                if not data:
                    break
                chunks.append((now - start, data, _rss_mb(proc.pid)))
                raw += data
                if seen_raw_at is None and awaited in raw:
                    seen_raw_at = now
            if seen_raw_at is not None and now - seen_raw_at > 0.05:
                break  # the text is there; a little more output completes the frame
            if seen_raw_at is None and len(chunks) and now - start > 3 and _on_screen(chunks, awaited):
                break  # the text was split by escape sequences: the emulator found it
    finally:
        os.killpg(proc.pid, signal.SIGKILL)
        _, _, usage = os.wait4(proc.pid, 0)
        os.close(master)
    found = _first_frame(chunks, scenario.awaited)
    if found is None:
        tail = pyte_display(chunks)
        raise SystemExit(f"{scenario.name}: {scenario.awaited!r} never appeared on screen:\n{tail}")
    at, rss = found
    return Sample(at * 1000, rss, usage.ru_maxrss / 1024)


def _screen() -> tuple[pyte.Screen, pyte.ByteStream]:
    screen = pyte.Screen(COLUMNS, LINES)
    return screen, pyte.ByteStream(screen)


def _on_screen(chunks: list[tuple[float, bytes, float]], awaited: bytes) -> bool:
    return awaited.decode() in "\n".join(pyte_display(chunks).splitlines())


def pyte_display(chunks: list[tuple[float, bytes, float]]) -> str:
    """The emulated screen after all ``chunks``."""
    screen, stream = _screen()
    for _, data, _ in chunks:
        stream.feed(data)
    return "\n".join(screen.display)


def _first_frame(chunks: list[tuple[float, bytes, float]], awaited: str) -> tuple[float, float] | None:
    """(seconds, RSS MB) at the chunk after which ``awaited`` is on the emulated screen."""
    screen, stream = _screen()
    for at, data, rss in chunks:
        stream.feed(data)
        if any(awaited in row for row in screen.display):
            return at, rss
    return None


def measure(scenarios: list[Scenario], runs: int) -> dict[str, dict[str, object]]:
    """Interleaved runs of every scenario (one warm-up each first); medians and samples."""
    for scenario in scenarios:
        run_once(scenario)
    samples: dict[str, list[Sample]] = {s.name: [] for s in scenarios}
    for _ in range(runs):
        for scenario in scenarios:
            samples[scenario.name].append(run_once(scenario))
    out: dict[str, dict[str, object]] = {}
    for name, items in samples.items():
        out[name] = {
            "ms": statistics.median(s.ms for s in items),
            "rss_mb": statistics.median(s.rss_mb for s in items),
            "peak_mb": statistics.median(s.peak_mb for s in items),
            "samples_ms": [round(s.ms, 1) for s in items],
            "samples_rss_mb": [round(s.rss_mb, 2) for s in items],
        }
    return out


def scenarios(tmp: Path) -> list[Scenario]:
    """The bare app, Home (built-in bank, and a 5,000-question bank) and ``open FILE``."""
    sys.path.insert(0, str(ROOT / "benchmarks"))
    from gen_bank import generate
    from run import prepared_interview

    from socwizard.core.bank.loader import load_bank

    store, bank_dir, file = prepared_interview(tmp / "interview")
    big = tmp / "bank5000"
    generate(big, 5000)
    bank = load_bank(Path(bank_dir))
    first = bank.questions[0].prompt[:24]
    env = {"SOCWIZARD_CACHE": str(tmp / "cache"), "SOCWIZARD_CONFIG": str(tmp / "config")}
    scripts = {}
    for name, prefix in (("bare", ""), ("bare+pydantic", WITH_PYDANTIC), ("bare+core", WITH_CORE)):
        scripts[name] = tmp / f"{name}.py"
        scripts[name].write_text(prefix + BARE_APP)
    plain = tmp / "plain.py"
    plain.write_text(PLAIN_FIRST_QUESTION)
    socwizard = str(BIN / "socwizard")
    opening = [socwizard, "--store", store, "--bank", bank_dir, "open", file]
    return [
        *(
            Scenario(name, [sys.executable, str(path)], "Bare Textual app ready")
            for name, path in scripts.items()
        ),
        Scenario("home", [socwizard, "--store", store, "--bank", bank_dir], bank.meta.title[:30], env),
        Scenario("home5000", [socwizard, "--store", store, "--bank", str(big)], "Synthetic bank", env),
        Scenario("open", opening, first, env),
        # The interview itself (its Next button), after the plain-data first page.
        Scenario("open-ready", opening, "Next ›", env),
        Scenario("open-plain-bound", [sys.executable, str(plain), bank_dir, file], first),
        *_before(store, bank_dir, file, bank.meta.title[:30], first, env),
    ]


def _before(
    store: str, bank_dir: str, file: str, title: str, first: str, env: dict[str, str]
) -> list[Scenario]:
    """With ``BENCH_BEFORE=SRC`` (an older checkout's ``src``): Home and open FILE from that code."""
    source = os.environ.get("BENCH_BEFORE")
    if not source:
        return []
    old = {**env, "PYTHONPATH": source, "SOCWIZARD_CACHE": env["SOCWIZARD_CACHE"] + "-before"}
    socwizard = str(BIN / "socwizard")
    return [
        Scenario("home-before", [socwizard, "--store", store, "--bank", bank_dir], title, old),
        Scenario("open-before", [socwizard, "--store", store, "--bank", bank_dir, "open", file], first, old),
    ]


def main() -> None:
    runs = int(sys.argv[1]) if len(sys.argv) > 1 else 5
    only = sys.argv[2].split(",") if len(sys.argv) > 2 else None
    with tempfile.TemporaryDirectory() as tmp:
        chosen = [s for s in scenarios(Path(tmp)) if only is None or s.name in only or s.name == "bare"]
        print(json.dumps(measure(chosen, runs)))


if __name__ == "__main__":
    main()
