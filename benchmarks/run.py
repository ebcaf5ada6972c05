"""socwizard benchmarks: every figure measured side by side with its floor, in one run.

Runs are interleaved (A, B, A, B, …) and summarised by medians; the ratio is what
counts, because absolute times drift on shared machines. Prints a table and writes
``benchmarks/results/latest.json``. Usage: ``make bench`` (or ``python benchmarks/run.py
[--quick] [--only N,N]``).
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass
from pathlib import Path

inf = float("inf")
ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
PY = sys.executable
RESULTS = ROOT / "benchmarks" / "results"
sys.path.insert(0, str(ROOT / "benchmarks"))


@dataclass
class Row:
    """One line of the table."""

    figure: str
    socwizard: float
    floor: float
    unit: str
    target: float
    kind: str  # "ratio" (socwizard/floor ≤ target) or "absolute" (socwizard ≤ target)
    note: str = ""
    paired: float | None = None  # median of per-round ratios, when the runs were paired

    @property
    def ratio(self) -> float:
        if self.paired is not None:
            return self.paired
        return self.socwizard / self.floor if self.floor else float("nan")

    @property
    def passed(self) -> bool:
        value = self.ratio if self.kind == "ratio" else self.socwizard
        return value <= self.target


def run_process(cmd: list[str], env: dict[str, str] | None = None) -> tuple[float, float]:
    """Wall seconds and peak RSS (MB) of one child process."""
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=env)
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - start
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode != 0:
        err = proc.stderr.read().decode(errors="replace") if proc.stderr else ""
        raise SystemExit(f"benchmark command failed ({proc.returncode}): {' '.join(cmd)}\n{err}")
    if proc.stderr:
        proc.stderr.close()
    return wall, usage.ru_maxrss / 1024


def interleaved(
    a: list[str], b: list[str], runs: int, env: dict[str, str] | None = None
) -> tuple[list[tuple[float, float]], list[tuple[float, float]]]:
    """Run two commands alternately; return (wall, rss) samples of each."""
    run_process(a, env)  # warm the page cache for both
    run_process(b, env)
    sa, sb = [], []
    for _ in range(runs):
        sa.append(run_process(a, env))
        sb.append(run_process(b, env))
    return sa, sb


def med(samples: list[tuple[float, float]], i: int = 0) -> float:
    return statistics.median(s[i] for s in samples)


def paired(a: list[tuple[float, float]], b: list[tuple[float, float]], i: int = 0) -> float:
    """Median of the per-round ratios a/b (A and B of a round ran back to back)."""
    return statistics.median(x[i] / y[i] for x, y in zip(a, b, strict=True))


def timed(fn: Callable[[], object], repeat: int) -> list[float]:
    """Wall times of ``fn``, with the garbage collector paused as timeit does."""
    out = []
    gc.collect()
    gc.disable()
    try:
        for _ in range(repeat):
            start = time.perf_counter()
            fn()
            out.append(time.perf_counter() - start)
    finally:
        gc.enable()
    return out


def complete_assessment() -> Path:
    """A complete assessment of the built-in bank (a public example from the tests)."""
    examples = sorted((ROOT / "tests" / "examples").glob("*.toml"))
    preferred = [p for p in examples if "chat" in p.name] or examples
    if not preferred:
        raise SystemExit("no example assessment in tests/examples/")
    return preferred[0]


# --- figures ------------------------------------------------------------------------


def fig_version(runs: int) -> list[Row]:
    a, b = interleaved([str(BIN / "socwizard"), "--version"], [PY, "-c", "pass"], runs)
    return [
        Row(
            "1. socwizard --version vs python -c pass",
            med(a) * 1000,
            med(b) * 1000,
            "ms",
            3.0,
            "ratio",
            paired=paired(a, b),
        )
    ]


def fig_show(runs: int) -> list[Row]:
    """``show`` served from its output cache (warm), and computed (cold: that cache emptied)."""
    file = complete_assessment()
    show = [str(BIN / "socwizard"), "show", str(file)]
    pydantic_floor = [PY, "-c", "import pydantic, tomllib"]
    with tempfile.TemporaryDirectory() as tmp:
        env = {**os.environ, "SOCWIZARD_CACHE": f"{tmp}/cache", "SOCWIZARD_CONFIG": f"{tmp}/config"}
        a, b = interleaved(show, [PY, "-c", "pass"], runs, env)
        # Cold: the show cache is removed before every run (the validated-bank cache stays
        # warm, as after any earlier command); the floor pays the same shell and rm.
        empty = f"rm -rf {tmp}/cache/show; exec "
        cold = ["/bin/sh", "-c", empty + " ".join(show)]
        floor = ["/bin/sh", "-c", empty + f"{PY} -c 'import pydantic, tomllib'"]
        c, d = interleaved(cold, floor, runs, env)
        before = os.environ.get("BENCH_BEFORE")  # an older checkout's src: its cold show too
        if before:
            x, y = interleaved(cold, floor, runs, {**env, "PYTHONPATH": before})
    model = "from pydantic import BaseModel\nclass A(BaseModel):\n    x: int\nA(x=1)"
    minimum = [PY, "-c", model]
    e, f = interleaved(minimum, pydantic_floor, runs)
    # The same model with the cyclic GC as a computed show runs (off, then frozen at exit).
    quiet = [PY, "-c", f"import gc\ngc.disable()\n{model}\ngc.freeze()"]
    g, h = interleaved(quiet, pydantic_floor, runs)
    rows_before = []
    if before:
        rows_before.append(
            Row(
                "2b (before). the same, the code in BENCH_BEFORE",
                med(x) * 1000,
                med(y) * 1000,
                "ms",
                float("inf"),
                "ratio",
                note=before,
                paired=paired(x, y),
            )
        )
    return [
        Row(
            "2a. socwizard show, warm (cached output) vs python -c pass",
            med(a) * 1000,
            med(b) * 1000,
            "ms",
            2.5,
            "ratio",
            note=file.name,
            paired=paired(a, b),
        ),
        Row(
            "2b. socwizard show, cold (computed) vs import pydantic, tomllib",
            med(c) * 1000,
            med(d) * 1000,
            "ms",
            3.0,
            "ratio",
            note=file.name,
            paired=paired(c, d),
        ),
        Row(
            "2'. bound: one pydantic model defined + validated vs the same floor",
            med(e) * 1000,
            med(f) * 1000,
            "ms",
            float("inf"),
            "ratio",
            note="the least any pydantic validation costs",
        ),
        Row(
            "2''. bound: the same, the cyclic GC off as a computed show runs it",
            med(g) * 1000,
            med(h) * 1000,
            "ms",
            float("inf"),
            "ratio",
            note="gc.disable() first, gc.freeze() last (socwizard.launcher)",
        ),
        *rows_before,
    ]


def prepared_interview(tmp: Path) -> list[str]:
    """A store holding one in-progress assessment of the built-in bank, cursor on question 1."""
    from socwizard.core.bank.loader import load_bank
    from socwizard.core.recommendation import decide
    from socwizard.core.store import Store

    bank = load_bank(ROOT / "questions")
    store = Store(tmp / "store")
    path = store.import_file(complete_assessment(), bank)[0]
    opened = store.open(path, bank)
    assessment = opened.assessment.model_copy(
        update={"status": "in_progress", "cursor": bank.questions[0].id}
    )
    result = decide(bank, assessment.answers, assessment.reviewed_on, complete=False)
    store.save(assessment, bank, result, path, opened.fingerprint)
    return [str(store.root), str(ROOT / "questions"), str(path)]


def fig_tui_start(runs: int) -> list[Row]:
    """The first screen as a user meets it: a real pty at 80×24, read by a VT parser.

    With ``BENCH_BEFORE=OLD/src`` (an older checkout), its Home and ``open FILE`` are run
    interleaved with the rest and reported as "before" rows.
    """
    out = subprocess.run(
        [PY, str(ROOT / "benchmarks" / "pty_start.py"), str(runs)],
        capture_output=True,
        text=True,
        check=True,
    )
    data = json.loads(out.stdout.strip().splitlines()[-1])

    def row(figure: str, a: str, b: str, key: str, target: float, note: str = "") -> Row:
        # The ratio is the median of the rounds' ratios: A and B of one round ran back to
        # back, so a neighbour's load drifting between rounds cancels out.
        unit, samples = ("ms", "samples_ms") if key == "ms" else ("MB", "samples_rss_mb")
        pairs = [x / y for x, y in zip(data[a][samples], data[b][samples], strict=True) if y]
        paired = statistics.median(pairs) if pairs else None
        return Row(figure, data[a][key], data[b][key], unit, target, "ratio", note=note, paired=paired)

    return [
        row("3a. Home first frame (pty 80x24) vs bare Textual app (one Static)", "home", "bare", "ms", 1.4),
        row("3b. Home first frame, RSS then, vs bare Textual app", "home", "bare", "rss_mb", 1.2),
        row("3c. Home first frame, 5,000-question bank vs built-in bank", "home5000", "home", "ms", 1.05),
        row("3d. open FILE → first question on screen vs bare Textual app", "open", "bare", "ms", 1.6),
        row("3e. open FILE, RSS at the first question vs bare Textual app", "open", "bare", "rss_mb", inf),
        row(
            "3f. open FILE → the interview ready (its Next button) vs bare Textual app",
            "open-ready",
            "bare",
            "ms",
            inf,
            note="after the plain-data first page: the validated bank loaded",
        ),
        row(
            "3'. bound: bare app + one pydantic model vs bare app",
            "bare+pydantic",
            "bare",
            "ms",
            inf,
            note="the least validating a file with pydantic adds",
        ),
        row(
            "3''. bound: bare app + socwizard's core imported vs bare app",
            "bare+core",
            "bare",
            "ms",
            inf,
            note="the least reading an assessment adds",
        ),
        row(
            "3\u2034. bound: first question painted from plain data (no core) vs bare app",
            "open-plain-bound",
            "bare",
            "ms",
            inf,
            note="what a plain-data first page of open FILE could reach",
        ),
        *(
            [
                row(
                    "3a (before). Home first frame, older code vs bare app", "home-before", "bare", "ms", inf
                ),
                row("3b (before). Home RSS, older code vs bare app", "home-before", "bare", "rss_mb", inf),
                row(
                    "3d (before). open FILE → first question, older code vs bare app",
                    "open-before",
                    "bare",
                    "ms",
                    inf,
                ),
            ]
            if "home-before" in data
            else []
        ),
    ]


def fig_page_flip(runs: int) -> list[Row]:
    with tempfile.TemporaryDirectory() as tmp:
        args = prepared_interview(Path(tmp))
        out = subprocess.run(
            [PY, str(ROOT / "benchmarks" / "page_flip.py"), str(max(runs * 6, 60)), *args],
            capture_output=True,
            text=True,
            check=True,
        )
    data = json.loads(out.stdout.strip().splitlines()[-1])
    return [
        Row(
            "4a. page flip p50 vs bare screen swapping the same widgets",
            data["socwizard"]["p50"],
            data["floor"]["p50"],
            "ms",
            float("inf"),
            "ratio",
            note="reported; the target is on p95",
        ),
        Row(
            "4b. page flip p95 vs bare screen swapping the same widgets",
            data["socwizard"]["p95"],
            data["floor"]["p95"],
            "ms",
            1.5,
            "ratio",
        ),
    ]


def fig_home(runs: int) -> list[Row]:
    out = subprocess.run(
        [PY, str(ROOT / "benchmarks" / "home_list.py"), str(runs)], capture_output=True, text=True, check=True
    )
    data = json.loads(out.stdout.strip().splitlines()[-1])
    return [
        Row(
            "5a. Home first frame: 10,000 assessments vs 1",
            data["first_frame_10k"],
            data["first_frame_1"],
            "ms",
            1.5,
            "ratio",
        ),
        Row(
            "5b. Home: 10,000 assessments sortable and filterable",
            data["ready_10k"],
            data["first_frame_1"],
            "ms",
            1000.0,
            "absolute",
            note="floor column: 1 assessment",
        ),
    ]


def fig_big_bank(runs: int) -> list[Row]:
    import tomllib

    from gen_bank import full_answers, generate

    from socwizard.core.answers import Answer
    from socwizard.core.assessment import normalise
    from socwizard.core.bank.loader import load_bank
    from socwizard.core.recommendation import decide
    from socwizard.core.scoring import score, visibility

    with tempfile.TemporaryDirectory() as tmp:
        directory = Path(tmp) / "bank"
        generate(directory, 2000)
        texts = [p.read_text() for p in sorted(directory.glob("*.toml"))]
        load_times, parse_times = [], []
        for _ in range(max(3, runs // 3)):
            load_times += timed(lambda: load_bank(directory), 1)
            parse_times += timed(lambda: [tomllib.loads(t) for t in texts], 1)
        bank = load_bank(directory)
        answers = {}
        for qid, raw in full_answers(2000).items():
            question = bank.question(qid)
            assert question is not None
            answers[qid] = normalise(question, Answer(value=raw))
        import datetime as dt

        day = dt.date(2026, 11, 26)
        scoring = timed(lambda: score(bank, visibility(bank, answers, day)), 30)
        deciding = timed(lambda: decide(bank, answers, day), 30)
        floor_loop = timed(lambda: [a.value for a in answers.values()], 30)
    return [
        Row(
            "6a. 2,000-question bank: load + validate vs tomllib parse only",
            statistics.median(load_times) * 1000,
            statistics.median(parse_times) * 1000,
            "ms",
            float("inf"),
            "ratio",
            note="reported, no target",
        ),
        Row(
            "6b. 2,000-question bank: scoring a full set of answers",
            statistics.median(scoring) * 1000,
            statistics.median(floor_loop) * 1000,
            "ms",
            20.0,
            "absolute",
            note="floor column: a bare loop over the answers",
        ),
        Row(
            "6c. 2,000-question bank: full recommendation (rules, reasons)",
            statistics.median(deciding) * 1000,
            statistics.median(floor_loop) * 1000,
            "ms",
            float("inf"),
            "absolute",
            note="reported, no target",
        ),
    ]


def fig_autosave(runs: int) -> list[Row]:
    """Autosave as the interview does it: set one answer, recompute, save (locked, fsync)."""
    from socwizard.core.assessment import Assessment, to_toml
    from socwizard.core.bank.loader import load_bank
    from socwizard.core.recommendation import decide
    from socwizard.core.store import Store, write_private

    bank = load_bank(ROOT / "questions")
    rows = []
    for label, keep in (("complete", None), ("in progress, half answered", 0.5)):
        with tempfile.TemporaryDirectory() as tmp:
            store = Store(Path(tmp) / "store")
            imported = store.import_file(complete_assessment(), bank)[0]
            opened = store.open(imported, bank)
            assessment: Assessment = opened.assessment
            if keep is not None:
                answers = dict(list(assessment.answers.items())[: int(len(assessment.answers) * keep)])
                assessment = assessment.model_copy(update={"answers": answers, "status": "in_progress"})
            result = decide(bank, assessment.answers, assessment.reviewed_on)
            path, assessment, fingerprint = store.save(assessment, bank, result, imported, opened.fingerprint)
            qid = next(iter(assessment.answers))
            original = assessment.answers[qid]
            saves: list[float] = []
            floors: list[float] = []
            floor_file = Path(tmp) / "floor.toml"
            for i in range(max(50, runs * 5)):
                changed = assessment.with_answer(qid, original.model_copy(update={"note": f"autosave {i}"}))
                start = time.perf_counter()
                result = decide(
                    bank, changed.answers, changed.reviewed_on, complete=changed.status == "complete"
                )
                path, assessment, fingerprint = store.save(changed, bank, result, path, fingerprint)
                saves.append(time.perf_counter() - start)
                data = to_toml(assessment, result).encode()
                start = time.perf_counter()
                write_private(floor_file, data)
                floors.append(time.perf_counter() - start)
        rows.append(
            Row(
                f"7. autosave one answer, {label} (recompute + locked atomic save)",
                statistics.median(saves) * 1000,
                statistics.median(floors) * 1000,
                "ms",
                5.0,
                "absolute",
                note="floor column: bare temp+fsync+replace+dir fsync",
            )
        )
    return rows


def _store_ids(store: Path, n: int) -> str:
    """The id of the ``n``-th file of a generated store (by name)."""
    import re

    name = sorted(p.name for p in store.iterdir() if p.suffix == ".toml")[n]
    match = re.search(r'(?m)^id = "(.*)"$', (store / name).read_text())
    assert match is not None
    return match.group(1)


def _uncached_shows(
    a: list[str], b: list[str], runs: int
) -> tuple[list[tuple[float, float]], list[tuple[float, float]]]:
    """Interleaved runs with the show-output cache emptied before each (it answers a
    repeated ``show PATH`` before any lookup, so it would hide what is compared)."""
    import shutil

    from socwizard import showcache

    base = showcache.cache_dir()
    entries = Path(base) / showcache.SUBDIR if base else None
    sa: list[tuple[float, float]] = []
    sb: list[tuple[float, float]] = []
    for n in range(runs + 1):
        for cmd, out in ((a, sa), (b, sb)):
            if entries is not None:
                shutil.rmtree(entries, ignore_errors=True)
            sample = run_process(cmd)
            if n:  # the first pair warms the page cache
                out.append(sample)
    return sa, sb


def fig_register(runs: int) -> list[Row]:
    """Figure 10: list, register and show ID on 50,000 assessments of 10,000 vendors; 100,000."""
    from big_store import ensure

    bigger, cold100 = ensure(100_000, 20_000)
    big, cold50 = ensure(50_000, 10_000)  # derived from the 100,000 store when it is cached
    sw = str(BIN / "socwizard")
    n = max(3, runs // 3)
    floor = [PY, "-c", "pass"]
    list50, _ = interleaved([sw, "--store", str(big), "list"], floor, n)
    reg50, _ = interleaved([sw, "--store", str(big), "register"], floor, n)
    target = _store_ids(big, 25_000)
    path = big / sorted(p.name for p in big.iterdir() if p.suffix == ".toml")[25_000]
    by_id, by_path = _uncached_shows(
        [sw, "--store", str(big), "show", target], [sw, "--store", str(big), "show", str(path)], max(5, runs)
    )
    # As a user meets it: a repeated show, by id and by path, both from the show cache
    # (the id resolved through the store's index, no pydantic).
    warm_id, warm_path = interleaved(
        [sw, "--store", str(big), "show", target], [sw, "--store", str(big), "show", str(path)], max(5, runs)
    )
    list100, list50b = interleaved([sw, "--store", str(bigger), "list"], [sw, "--store", str(big), "list"], n)
    reg100, reg50b = interleaved(
        [sw, "--store", str(bigger), "register"], [sw, "--store", str(big), "register"], n
    )
    rows = [
        Row("10a. list, 50,000 assessments (warm index), wall", med(list50), 0, "s", 1.0, "absolute"),
        Row("10b. list, 50,000 assessments, peak RSS", med(list50, 1), 0, "MB", 150, "absolute"),
        Row("10c. register, 50,000 assessments / 10,000 vendors, wall", med(reg50), 0, "s", 1.0, "absolute"),
        Row("10d. register, 50,000 assessments, peak RSS", med(reg50, 1), 0, "MB", 150, "absolute"),
        Row(
            "10e. show ID vs show PATH, in the 50,000 store (show cache off)",
            med(by_id) * 1000,
            med(by_path) * 1000,
            "ms",
            1.1,
            "ratio",
            paired=paired(by_id, by_path),
        ),
        Row(
            "10i. show ID vs show PATH, warm (both from the show cache)",
            med(warm_id) * 1000,
            med(warm_path) * 1000,
            "ms",
            1.1,
            "ratio",
            paired=paired(warm_id, warm_path),
        ),
        Row(
            "10f. list: 100,000 vs 50,000 assessments, wall",
            med(list100),
            med(list50b),
            "s",
            2.0,
            "ratio",
            paired=paired(list100, list50b),
        ),
        Row(
            "10g. register: 100,000 vs 50,000, wall",
            med(reg100),
            med(reg50b),
            "s",
            2.0,
            "ratio",
            paired=paired(reg100, reg50b),
        ),
        Row(
            "10h. list: 100,000 vs 50,000, peak RSS",
            med(list100, 1),
            med(list50b, 1),
            "MB",
            2.0,
            "ratio",
            paired=paired(list100, list50b, 1),
        ),
    ]
    for count, cold in ((50_000, cold50), (100_000, cold100)):
        if cold is not None:
            rows.append(
                Row(
                    f"10'. cold index build, {count:,} files (first run only)",
                    cold,
                    0,
                    "s",
                    float("inf"),
                    "absolute",
                    note="reported once, when the cached store is generated",
                )
            )
    return rows


def fig_register_tui(runs: int) -> list[Row]:
    """Figure 11: the TUI's first frame and rows with 50,000 assessments vs one."""
    from big_store import ensure

    big, _ = ensure(50_000, 10_000)
    script = str(ROOT / "benchmarks" / "register_tui.py")
    bank = str(ROOT / "questions")
    samples: dict[str, list[dict[str, float]]] = {"one": [], "big": []}
    with tempfile.TemporaryDirectory() as tmp:
        one = Path(tmp) / "one"
        from socwizard.core.bank.loader import load_bank
        from socwizard.core.store import Store

        Store(one).import_file(complete_assessment(), load_bank(ROOT / "questions"))
        Store(one).list()
        for _ in range(max(3, runs // 3) + 1):
            for key, store, extra in (("one", one, ["one"]), ("big", big, [])):
                cmd = [PY, script, str(store), bank, *extra]
                out = subprocess.run(cmd, capture_output=True, text=True, check=True, timeout=300)
                samples[key].append(json.loads(out.stdout.strip().splitlines()[-1]))
    for key in samples:
        samples[key] = samples[key][1:]  # the first pair warms the page cache

    def m(key: str, mark: str) -> float:
        return statistics.median(s[mark] for s in samples[key]) * 1000

    return [
        Row(
            "11a. TUI first frame: 50,000 assessments vs 1",
            m("big", "first_frame"),
            m("one", "first_frame"),
            "ms",
            1.1,
            "ratio",
            note="'no slower': 1.1× allows for noise",
        ),
        Row(
            "11b. TUI: 10,000 vendor rows visible in the register (from start)",
            m("big", "rows"),
            m("one", "rows"),
            "ms",
            1000.0,
            "absolute",
            note="floor column: Home with 1 assessment",
        ),
        Row(
            "11c. TUI: the register's rows rebuilt from the files (from start)",
            m("big", "fresh"),
            m("one", "rows"),
            "ms",
            float("inf"),
            "absolute",
            note="11b shows the rows kept from the last run (.socwizard/register.json) until these",
        ),
    ]


def fig_unknown_ids(runs: int) -> list[Row]:
    """Loading 9,900 vs 990 unknown answer ids: linear means a ratio near 10."""
    from unknown_ids import load, with_unknown_ids

    from socwizard.core.bank.loader import load_bank

    bank = load_bank(ROOT / "questions")
    small = with_unknown_ids(complete_assessment(), 990)
    large = with_unknown_ids(complete_assessment(), 9900)  # 10,000 answers at most per file
    warnings = load(large, bank)
    big, little = [], []
    for _ in range(max(3, runs // 2)):
        big += timed(lambda: load(large, bank), 1)
        little += timed(lambda: load(small, bank), 1)
    return [
        Row(
            "8. load 9,900 unknown answer ids vs 990 (10x the ids)",
            statistics.median(big) * 1000,
            statistics.median(little) * 1000,
            "ms",
            15.0,
            "ratio",
            note=f"linear ~10x, quadratic ~100x; {len(large) // 1000} KB file, {warnings} warnings printed",
        )
    ]


def fig_evidence(runs: int) -> list[Row]:
    """Reading a vendor's 100-page SOC 2 report: end to end as the user runs it."""
    from evidence_report import write_report

    with tempfile.TemporaryDirectory() as tmp:
        pdf = write_report(Path(tmp) / "report-100.pdf")
        extract = (
            "import sys\nfrom pypdf import PdfReader\n"
            "[p.extract_text() for p in PdfReader(sys.argv[1]).pages]"
        )
        a, b = interleaved(
            [str(BIN / "socwizard"), "evidence", "read", str(pdf), "--format", "json"],
            [PY, "-c", extract, str(pdf)],
            max(3, runs // 3),
        )
        cpu = []
        for _ in range(3):
            proc = subprocess.Popen(
                [str(BIN / "socwizard"), "evidence", "read", str(pdf)], stdout=subprocess.DEVNULL
            )
            _, _, usage = os.wait4(proc.pid, 0)
            cpu.append(usage.ru_utime + usage.ru_stime)
    return [
        Row(
            "9. evidence read, 100-page SOC 2 report (child process, limits)",
            med(a),
            med(b),
            "s",
            3.0,
            "absolute",
            note="floor: pypdf extracting the same pages in one process",
        ),
        Row(
            "9'. the same, as a ratio to the pypdf-only floor",
            med(a),
            med(b),
            "s",
            float("inf"),
            "ratio",
        ),
        Row(
            "9''. its CPU time (both processes), what an idle machine's wall time is",
            statistics.median(cpu),
            med(b),
            "s",
            3.0,
            "absolute",
        ),
    ]


def fig_joint_unknowns(runs: int) -> list[Row]:
    """20 unknowns explored alone and together vs one evaluation, and vs 10 unknowns."""
    from joint_unknowns import answers_with_unknowns, runs_for

    from socwizard.core.bank.loader import load_bank
    from socwizard.core.recommendation import decide

    bank = load_bank(ROOT / "questions")
    known, reviewed_on, _ = answers_with_unknowns(bank, 0)
    ten, _, _ = answers_with_unknowns(bank, 10)
    twenty, _, _ = answers_with_unknowns(bank, 20)
    one, t10, t20 = [], [], []
    for _ in range(max(3, runs // 3)):
        one += timed(lambda: decide(bank, known, reviewed_on), 3)
        t10 += timed(lambda: decide(bank, ten, reviewed_on), 1)
        t20 += timed(lambda: decide(bank, twenty, reviewed_on), 1)
    evaluations = runs_for(bank, 20)
    return [
        Row(
            "12a. decide with 20 unknowns (alone + together) vs no unknown",
            statistics.median(t20) * 1000,
            statistics.median(one) * 1000,
            "ms",
            float(evaluations),
            "ratio",
            note=f"bound: {evaluations} rule evaluations (linear), never the product of the candidates",
        ),
        Row(
            "12b. decide with 20 unknowns vs 10 unknowns",
            statistics.median(t20) * 1000,
            statistics.median(t10) * 1000,
            "ms",
            3.0,
            "ratio",
            note=f"linear ~2x; {runs_for(bank, 10)} vs {evaluations} rule evaluations",
        ),
    ]


FIGURES: dict[int, Callable[[int], list[Row]]] = {
    1: fig_version,
    2: fig_show,
    3: fig_tui_start,
    4: fig_page_flip,
    5: fig_home,
    6: fig_big_bank,
    7: fig_autosave,
    8: fig_unknown_ids,
    9: fig_evidence,
    10: fig_register,
    11: fig_register_tui,
    12: fig_joint_unknowns,
}


def _format(row: Row) -> str:
    """One line of the table, with its target and verdict."""
    target = (
        "—"
        if row.target == float("inf")
        else (f"≤ {row.target:g}×" if row.kind == "ratio" else f"≤ {row.target:g} {row.unit}")
    )
    verdict = "info" if row.target == float("inf") else ("pass" if row.passed else "FAIL")
    return (
        f"| {row.figure:<66} | {row.socwizard:>7.1f} {row.unit:<2} | {row.floor:>6.1f} {row.unit:<2} "
        f"| {row.ratio:>5.2f}× | {target:>8} | {verdict:<6} |"
    )


def _save(rows: list[Row], runs: int, *, complete: bool) -> None:
    """``benchmarks/results/latest.json`` (rewritten after every figure; ``complete`` at the end)."""
    RESULTS.mkdir(parents=True, exist_ok=True)
    payload = {
        "machine": {
            "python": platform.python_version(),
            "platform": platform.platform(),
            "cpus": os.cpu_count(),
        },
        "when": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
        "runs": runs,
        "complete": complete,
        "rows": [{**asdict(r), "ratio": r.ratio, "passed": r.passed} for r in rows],
    }
    (RESULTS / "latest.json").write_text(json.dumps(payload, indent=2, default=str))


def compile_sources() -> None:
    """Bytecode for socwizard's sources, as an installed package has it (pip compiles at install).

    Without it, a checkout run with ``PYTHONDONTWRITEBYTECODE`` (or a read-only tree)
    compiles every module on every start while its floors (pydantic, textual: installed,
    compiled) do not — figure 2b measured 4.15× instead of ~3× that way.
    """
    import compileall

    compileall.compile_dir(ROOT / "src", quiet=1)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true", help="fewer runs (noisier)")
    parser.add_argument("--only", default="", help="comma-separated figure numbers")
    args = parser.parse_args()
    runs = 5 if args.quick else 15
    wanted = [int(x) for x in args.only.split(",") if x] or list(FIGURES)
    compile_sources()
    rows: list[Row] = []
    for number in wanted:
        print(f"… figure {number}", file=sys.stderr, flush=True)
        gc.collect()
        time.sleep(2)  # let the previous figure's disk and CPU work settle
        done = FIGURES[number](runs)
        rows += done
        for row in done:  # as soon as measured (a long run can be read as it goes)
            print(_format(row), file=sys.stderr, flush=True)
        _save(rows, runs, complete=False)
    header = f"| {'figure':<66} | {'socwizard':>10} | {'floor':>9} | {'ratio':>6} | {'target':>8} | result |"
    print(header)
    print("|" + "|".join("-" * (len(c)) for c in header.split("|")[1:-1]) + "|")
    for row in rows:
        print(_format(row))
    _save(rows, runs, complete=True)
    return 0 if all(r.passed or r.target == float("inf") for r in rows) else 1


if __name__ == "__main__":
    raise SystemExit(main())
