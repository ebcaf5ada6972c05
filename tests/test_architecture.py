"""The core never imports textual; UI-less commands never load it."""

from __future__ import annotations

import ast
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CORE = ROOT / "src" / "socwizard" / "core"
MINI = ROOT / "tests" / "fixtures" / "banks" / "mini"


def test_no_core_file_imports_textual() -> None:
    files = sorted(CORE.rglob("*.py"))
    assert files
    for path in files:
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        for node in ast.walk(tree):
            names: list[str] = []
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module:
                names = [node.module]
            elif isinstance(node, ast.Call) and getattr(node.func, "id", "") == "__import__":
                names = [
                    a.value for a in node.args if isinstance(a, ast.Constant) and isinstance(a.value, str)
                ]
            for name in names:
                assert not name.startswith(("textual", "socwizard.tui")), f"{path}: imports {name}"


SCRIPT = """
import importlib, pkgutil, sys
import socwizard.core
for info in pkgutil.walk_packages(socwizard.core.__path__, "socwizard.core."):
    importlib.import_module(info.name)
import socwizard.cli as cli
argv = sys.argv[1:]
code = 0
if argv:
    try:
        code = cli.main(argv)
    except SystemExit as exc:
        code = exc.code or 0
loaded = sorted(m for m in sys.modules if m == "textual" or m.startswith("textual."))
assert not loaded, loaded
print("clean", code)
"""


def run(*args: str) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ)
    env["PYTHONPATH"] = str(ROOT / "src") + os.pathsep + env.get("PYTHONPATH", "")
    return subprocess.run(
        [sys.executable, "-c", SCRIPT, *args], capture_output=True, text=True, env=env, timeout=60, cwd=ROOT
    )


def test_commands_without_ui_never_import_textual(tmp_path: Path) -> None:
    assessment = tmp_path / "a.toml"
    assessment.write_text("reviewed_on = 2026-03-31\n[answers]\nfinancial = true\n")
    for args in (
        (),
        ("--version",),
        ("list",),
        ("list", "--json"),
        ("--bank", str(MINI), "show", str(assessment)),
        ("--bank", str(MINI), "show", str(assessment), "--format", "json"),
        ("bank", "validate", str(MINI)),
        ("where",),
    ):
        proc = run(*args)
        assert proc.returncode == 0, (args, proc.stderr)
        assert proc.stdout.strip().splitlines()[-1].startswith("clean"), (args, proc.stdout)


def test_evidence_read_never_imports_textual(tmp_path: Path) -> None:
    from evidence.pdfgen import raw_pdf

    pdf = tmp_path / "report.pdf"
    pdf.write_bytes(raw_pdf(b"BT /F1 12 Tf 72 720 Td (SOC 3 Report on controls relevant to security.) Tj ET"))
    proc = run("evidence", "read", str(pdf), "--format", "json")
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.strip().splitlines()[-1].startswith("clean"), proc.stdout
