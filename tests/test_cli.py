"""The CLI through a real subprocess (isolation comes from the inherited environment)."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
MINI = ROOT / "tests" / "fixtures" / "banks" / "mini"
BAD = ROOT / "tests" / "fixtures" / "bad"

ASSESSMENT = """reviewed_on = 2026-03-31
title = "Acme payroll"
vendor = "Acme"

[answers]
financial = true
data_types = ["customer_pii"]
"""


def run(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ)
    env["PYTHONPATH"] = str(ROOT / "src") + os.pathsep + env.get("PYTHONPATH", "")
    env.pop("SOCWIZARD_DEBUG", None)
    return subprocess.run(
        [sys.executable, "-m", "socwizard", *args],
        capture_output=True,
        text=True,
        env=env,
        cwd=cwd or ROOT,
        timeout=60,
    )


def one_error_line(proc: subprocess.CompletedProcess[str]) -> str:
    assert proc.returncode == 2, proc
    lines = proc.stderr.splitlines()
    assert len(lines) == 1, proc.stderr
    assert "Traceback" not in proc.stderr
    assert "\x1b" not in proc.stderr
    return lines[0]


def write(tmp_path: Path, text: str, name: str = "acme.toml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_version() -> None:
    proc = run("--version")
    assert proc.returncode == 0
    assert proc.stdout.startswith("socwizard ")


def test_help() -> None:
    proc = run("--help")
    assert proc.returncode == 0
    for command in ("list", "show", "import", "where", "bank"):
        assert command in proc.stdout


def test_list_empty_store(isolated_home: Path) -> None:
    proc = run("list")
    assert proc.returncode == 0
    assert proc.stdout.startswith("No assessments yet in ")
    assert str(isolated_home / "store") in proc.stdout
    proc = run("list", "--json")
    assert proc.returncode == 0
    assert json.loads(proc.stdout) == []


def test_import_list_show(tmp_path: Path, isolated_home: Path) -> None:
    source = write(tmp_path, ASSESSMENT)
    before = (source.read_bytes(), source.stat().st_mtime_ns)
    proc = run("--bank", str(MINI), "import", str(source))
    assert proc.returncode == 0, proc.stderr
    assert (source.read_bytes(), source.stat().st_mtime_ns) == before
    stored = list((isolated_home / "store").glob("[!.]*.toml"))
    assert len(stored) == 1
    assert stored[0].name.startswith("acme-")
    assert str(stored[0]) in proc.stdout

    listing = run("list")
    assert listing.returncode == 0
    assert "Acme payroll" in listing.stdout
    assert "In progress" in listing.stdout and "in_progress" not in listing.stdout  # a label
    reworded = run("--bank", str(MINI), "list")
    assert "Tier: High · SOC 1: Required" in reworded.stdout, reworded.stdout
    rows = json.loads(run("list", "--json").stdout)
    assert len(rows) == 1
    assert rows[0]["vendor"] == "Acme"
    assert rows[0]["file"] == str(stored[0])

    for target in (str(stored[0]), rows[0]["id"]):
        text = run("--bank", str(MINI), "show", target)
        assert text.returncode == 0, text.stderr
        assert "Acme payroll" in text.stdout
        assert "provisional" in text.stdout  # in progress
    markdown = run("--bank", str(MINI), "show", rows[0]["id"], "--format", "markdown")
    assert markdown.returncode == 0
    assert markdown.stdout.startswith("# Vendor assessment: Acme payroll")
    exported = run("--bank", str(MINI), "export", rows[0]["id"], "--format", "markdown")
    assert markdown.stdout == exported.stdout  # one Markdown renderer
    data = json.loads(run("--bank", str(MINI), "show", rows[0]["id"], "--format", "json").stdout)
    assert data["provisional"] is True
    assert data["recommendation"]["soc1"]["level"] == "required"


def test_show_a_file_outside_the_store(tmp_path: Path) -> None:
    path = write(tmp_path, ASSESSMENT)
    proc = run("--bank", str(MINI), "show", str(path), "--format", "json")
    assert proc.returncode == 0
    assert json.loads(proc.stdout)["assessment"]["vendor"] == "Acme"
    assert path.read_text() == ASSESSMENT  # show never writes


def test_show_warnings_go_to_stderr(tmp_path: Path) -> None:
    path = write(tmp_path, ASSESSMENT + 'gone_question = "x"\n')
    proc = run("--bank", str(MINI), "show", str(path))
    assert proc.returncode == 0
    assert "warning" in proc.stderr
    assert "answers.gone_question" in proc.stderr


def test_where(isolated_home: Path) -> None:
    proc = run("where")
    assert proc.returncode == 0
    assert str(isolated_home / "store") in proc.stdout
    assert str(isolated_home / "config") in proc.stdout


def test_bank_validate_ok() -> None:
    proc = run("bank", "validate", str(MINI))
    assert proc.returncode == 0
    assert proc.stdout.startswith("OK: Mini bank for tests (mini 1.0): 7 questions")


def test_bank_validate_lists_every_problem(tmp_path: Path) -> None:
    bank = tmp_path / "bank"
    shutil.copytree(MINI, bank)
    basics = bank / "basics.toml"
    basics.write_text(basics.read_text().replace("finance = 100 }", "money = 100 }", 1))
    bank_toml = bank / "bank.toml"
    bank_toml.write_text(bank_toml.read_text().replace('"confidential"]', '"secret"]'))
    proc = run("bank", "validate", str(bank))
    assert proc.returncode == 2
    lines = proc.stderr.splitlines()
    assert len(lines) == 3
    assert "unknown dimension" in lines[0] or "unknown dimension" in lines[1]
    assert any("'secret' is not a choice" in line for line in lines)
    assert lines[-1].endswith(f"2 problem(s) in the bank at {bank}")
    assert "Traceback" not in proc.stderr


def test_bank_schema_is_json() -> None:
    proc = run("bank", "schema")
    assert proc.returncode == 0
    data = json.loads(proc.stdout)
    assert {"bank", "section", "rules", "assessment"} <= set(data)
    one = json.loads(run("bank", "schema", "--kind", "assessment").stdout)
    assert one["$id"].endswith("assessment.schema.json")


def test_usage_error_subprocess() -> None:
    line = one_error_line(run("list", "\x1b]52;c;aGk=\x07", "evil\nsecond line"))
    assert line.startswith("socwizard: error: unrecognized arguments")


@pytest.mark.parametrize(
    "args",
    [
        ("frobnicate",),
        ("list", "--bogus"),
        ("show",),
        ("show", "x", "--format", "pdf"),
        ("bank",),
        ("bank", "schema", "--kind", "\x1b[2J"),
    ],
)
def test_usage_errors_are_one_line(args: tuple[str, ...], capsys: pytest.CaptureFixture[str]) -> None:
    line = one_error_line(run_in_process(capsys, *args))
    assert line.startswith("socwizard")


def run_in_process(capsys: pytest.CaptureFixture[str], *args: str) -> subprocess.CompletedProcess[str]:
    """The same contract in-process (fast, for loops over many inputs)."""
    from socwizard.cli import main

    try:
        code = main(list(args))
    except SystemExit as exc:
        code = int(exc.code or 0)
    out, err = capsys.readouterr()
    return subprocess.CompletedProcess(list(args), code, out, err)


def test_bad_inputs_subprocess(tmp_path: Path) -> None:
    line = one_error_line(run("--bank", str(MINI), "show", str(tmp_path / "nope.toml")))
    assert line.startswith("socwizard: error: ")
    assert "upgrade" in one_error_line(
        run("--bank", str(MINI), "show", str(BAD / "reject-newer-format.toml"))
    )


def test_bad_inputs_are_one_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    cases = {
        "missing": tmp_path / "nope.toml",
        "not toml": write(tmp_path, "this is = = not toml", "a.toml"),
        "bad utf8": tmp_path / "b.toml",
        "many problems": write(
            tmp_path, "reviewed_on = 2026-03-31\n[answers]\nfinancial = 3\nsla = 'x'\n", "c.toml"
        ),
        "hostile": write(
            tmp_path, 'title = "\\u001b]52;c;aGk=\\u0007"\nreviewed_on = 2026-03-31\n', "d.toml"
        ),
        "newer": write(tmp_path, "format = 9\nreviewed_on = 2026-03-31\n", "e.toml"),
        "directory": tmp_path,
    }
    cases["bad utf8"].write_bytes(b"title = '\xff'\n")
    for name, path in cases.items():
        line = one_error_line(run_in_process(capsys, "--bank", str(MINI), "show", str(path)))
        assert line.startswith("socwizard: error: "), name
    assert "upgrade" in one_error_line(
        run_in_process(capsys, "--bank", str(MINI), "show", str(cases["newer"]))
    )
    many = one_error_line(run_in_process(capsys, "--bank", str(MINI), "show", str(cases["many problems"])))
    assert "(and 1 more problem)" in many


def test_import_errors_are_one_line(tmp_path: Path) -> None:
    real = write(tmp_path, ASSESSMENT)
    link = tmp_path / "link.toml"
    link.symlink_to(real)
    assert "symbolic link" in one_error_line(run("--bank", str(MINI), "import", str(link)))
    one_error_line(run("--bank", str(MINI), "import", str(tmp_path / "nope.toml")))


def test_broken_bank_for_show_is_one_line(tmp_path: Path) -> None:
    path = write(tmp_path, ASSESSMENT)
    one_error_line(run("--bank", str(tmp_path / "no-bank"), "show", str(path)))


def test_list_shows_broken_files(isolated_home: Path) -> None:
    store = isolated_home / "store"
    store.mkdir(parents=True)
    (store / "broken.toml").write_bytes(b"\xff")
    (store / "evil.toml").write_text('title = "\\u001b[2J"\nreviewed_on = 2026-03-31\n')
    proc = run("list")
    assert proc.returncode == 0
    assert "broken.toml" in proc.stdout
    assert "\x1b" not in proc.stdout
    rows = json.loads(run("list", "--json").stdout)
    assert {r["status"] for r in rows} == {"broken"}
    assert all(r["error"] for r in rows)


def test_hostile_fixture_files_are_refused(capsys: pytest.CaptureFixture[str]) -> None:
    rejected = sorted(BAD.glob("reject-*.toml"))
    assert len(rejected) >= 8
    for path in rejected:
        line = one_error_line(run_in_process(capsys, "--bank", str(MINI), "show", str(path)))
        assert "\x1b" not in line and "\u202e" not in line and "\x9b" not in line, path


def test_accepted_fixture_files_show_text_literally(capsys: pytest.CaptureFixture[str]) -> None:
    bom = run_in_process(capsys, "--bank", str(MINI), "show", str(BAD / "accept-bom.toml"))
    assert bom.returncode == 0
    assert "Saved by Notepad (BOM)" in bom.stdout
    markup = run_in_process(capsys, "--bank", str(MINI), "show", str(BAD / "accept-markup-text.toml"))
    assert markup.returncode == 0
    assert "[bold]Markup[/] [@click=app.quit]click[/]" in markup.stdout
