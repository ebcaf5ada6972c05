"""``show`` computed by the launcher (its cache missed) prints what the full command line prints.

The launcher answers ``socwizard show`` without argparse and with the cyclic garbage
collector off (BENCHMARKS.md, figure 2b); these tests hold it to the full command line's
output, byte for byte, for every example assessment and for files that must fail.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import TypedDict

import pytest

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = sorted((ROOT / "tests" / "examples").rglob("*.toml"))

# Runs each case twice in one process: through the launcher (the show cache emptied
# first, so the command is computed) and through the full command line (argparse).
RUNNER = """
import contextlib, gc, io, json, shutil, sys
from socwizard import launcher
from socwizard.cli import main as full
cases, cache = json.loads(sys.argv[1]), sys.argv[2]

def run(call):
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            code = call()
        except SystemExit as exc:
            code = exc.code
    return [out.getvalue(), err.getvalue(), code]

results = []
for argv in cases:
    shutil.rmtree(cache + "/show", ignore_errors=True)
    sys.argv = ["socwizard", *argv]
    computed = run(launcher.main)
    results.append({"argv": argv, "launcher": computed, "full": run(lambda: full(argv)),
                    "gc": gc.isenabled()})
print(json.dumps(results))
"""


class Both(TypedDict):
    """One case: the argv, what the launcher and the full command line gave (out, err, code)."""

    argv: list[str]
    launcher: tuple[str, str, int]
    full: tuple[str, str, int]
    gc: bool


def run_both(cases: list[list[str]], home: Path) -> list[Both]:
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    env.pop("SOCWIZARD_DEBUG", None)
    proc = subprocess.run(
        [sys.executable, "-c", RUNNER, json.dumps(cases), str(home / "cache")],
        capture_output=True,
        text=True,
        env=env,
        cwd=ROOT,
        timeout=600,
        check=True,
    )
    results: list[Both] = json.loads(proc.stdout)
    return results


def test_every_example_prints_the_same_either_way(isolated_home: Path) -> None:
    """Text, Markdown and JSON of every example (review/ and v2/ included), stdout and stderr."""
    assert len(EXAMPLES) >= 30
    formats = ("text", "markdown", "json")
    cases = [["show", str(path), "--format", fmt] for path in EXAMPLES for fmt in formats]
    results = run_both(cases, isolated_home)
    assert len(results) == len(cases)
    for result in results:
        assert result["launcher"] == result["full"], result["argv"]
        out, _, code = result["launcher"]
        assert code == 0 and out, result["argv"]
        assert result["gc"], "the launcher restores the garbage collector"


@pytest.mark.parametrize(
    "text",
    [
        'reviewed_on = 2026-03-31\n[answers]\nhosting = ["a", 1]\n',
        "reviewed_on = 2026-03-31\nbogus = 1\n",
        'reviewed_on = "2026-03-31"\n',
        "reviewed_on = 2026-03-31\n[answers\n",
        "format = 99\nreviewed_on = 2026-03-31\n",
        'reviewed_on = 2026-03-31\ntitle = "\\u001b[31m"\n',
    ],
)
def test_a_malformed_file_fails_the_same_way(tmp_path: Path, isolated_home: Path, text: str) -> None:
    """The same one line on stderr and the same exit code, nothing on stdout."""
    path = tmp_path / "bad.toml"
    path.write_text(text)
    (result,) = run_both([["show", str(path)]], isolated_home)
    assert result["launcher"] == result["full"]
    out, err, code = result["launcher"]
    assert out == "" and code != 0
    assert err.count("\n") == 1 and err.startswith("socwizard: error: ") and "bad.toml" in err


def test_a_computed_show_imports_no_loader_and_no_writer(isolated_home: Path) -> None:
    """Structural: with the bank cache warm, a computed show needs neither the bank loader
    (its validators), nor the TOML writer, nor argparse."""
    example = str(ROOT / "tests" / "examples" / "team_chat.toml")
    probe = (
        "import sys\n"
        "from socwizard import launcher\n"
        "sys.argv = ['socwizard', 'show', sys.argv[1]]\n"
        "assert launcher.main() == 0\n"
        "names = ('socwizard.core.bank.loader', 'tomli_w', 'argparse', 'socwizard.core.assessment')\n"
        "print('LOADED', *[m for m in names if m in sys.modules])\n"
    )
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    for _ in range(2):  # the first run fills the bank cache
        shutil.rmtree(isolated_home / "cache" / "show", ignore_errors=True)
        proc = subprocess.run(
            [sys.executable, "-c", probe, example],
            capture_output=True,
            text=True,
            env=env,
            cwd=ROOT,
            timeout=120,
            check=True,
        )
    assert proc.stdout.splitlines()[-1] == "LOADED socwizard.core.assessment"
