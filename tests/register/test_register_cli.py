"""The vendor register from the command line, with the public examples (today: 2026-12-01).

Every exported format is read back by a real consumer: csv, openpyxl, icalendar.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import os
import subprocess
import sys
from pathlib import Path

import icalendar
import openpyxl
import pytest

ROOT = Path(__file__).resolve().parent.parent.parent
EXAMPLES = sorted((ROOT / "tests" / "examples").glob("*.toml"))
TODAY = "2026-12-01"
OVERDUE = {"Example Payroll Inc.", "Example Chat Co."}
VENDORS = {"Example Payroll Inc.", "Example Chat Co.", "Example Mailer Ltd.", "Example Office Supplies"}


def run(*args: str, today: str = TODAY) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ, SOCWIZARD_TODAY=today)
    env["PYTHONPATH"] = str(ROOT / "src") + os.pathsep + env.get("PYTHONPATH", "")
    env.pop("SOCWIZARD_DEBUG", None)
    return subprocess.run(
        [sys.executable, "-m", "socwizard", *args], capture_output=True, text=True, env=env, timeout=120
    )


def ok(*args: str) -> str:
    proc = run(*args)
    assert proc.returncode == 0, proc.stderr
    assert "Traceback" not in proc.stderr
    return proc.stdout


@pytest.fixture
def examples() -> None:
    """The five public example files imported into the (isolated) store."""
    for path in EXAMPLES:
        ok("import", str(path))


def overdue_vendors(text: str) -> set[str]:
    return {line[2:28].strip() for line in text.splitlines() if line.startswith("! ")}


@pytest.mark.usefixtures("examples")
def test_register_overdue_names_the_overdue_vendors() -> None:
    out = ok("register", "--overdue")
    assert overdue_vendors(out) == OVERDUE
    assert "Example Mailer" not in out
    assert "2 of 4 vendors · 2 overdue" in out
    every = ok("register")
    assert {line[2:28].strip() for line in every.splitlines()[1:-1]} == VENDORS
    assert "overdue by 230 days" in every
    payroll = next(line for line in every.splitlines() if "Payroll" in line)
    assert payroll.rstrip().endswith(" 2")  # two assessments: its history


@pytest.mark.usefixtures("examples")
def test_list_shows_next_review_and_marks_overdue() -> None:
    out = ok("list")
    marked = [line for line in out.splitlines() if line.startswith("! ")]
    assert len(marked) == 2 and all("OVERDUE" in line for line in marked)
    assert "2027-01-15 in 45d" in out
    assert "2 overdue (marked !) as of 2026-12-01" in out


@pytest.mark.usefixtures("examples")
def test_filters_by_due_date_and_tier() -> None:
    assert overdue_vendors(ok("register", "--due-within", "60")) == OVERDUE
    due = ok("register", "--due-within", "60")
    assert "Example Mailer" in due and "Office Supplies" not in due  # 45 days vs 3 years
    low = ok("register", "--tier", "low")
    assert "Example Office Supplies" in low and "Payroll" not in low
    proc = run("register", "--due-within", "soon")
    assert proc.returncode == 2 and len(proc.stderr.splitlines()) == 1


@pytest.mark.usefixtures("examples")
def test_json_format() -> None:
    data = json.loads(ok("register", "--format", "json"))
    assert data["today"] == TODAY
    assert data["summary"]["total"] == 4 and data["summary"]["overdue"] == 2
    payroll = next(v for v in data["vendors"] if v["vendor"] == "Example Payroll Inc.")
    assert payroll["evidence"] == "conditional" and payroll["overdue"] is True
    # JSON keeps the ids and adds the labels beside them.
    assert (payroll["tier"], payroll["tier_label"]) == ("high", "High")
    assert (payroll["evidence_label"], payroll["soc1_label"], payroll["soc1_type_label"]) == (
        "Conditional",
        "Required",
        "Type II",
    )
    assert payroll["status_label"] == "Complete"
    assert all(h["status_label"] for h in payroll["history"])
    assert len(payroll["history"]) == 2 and payroll["next_review"] == "2026-04-15"


@pytest.mark.usefixtures("examples")
def test_csv_reads_back_with_the_csv_module(tmp_path: Path) -> None:
    out = tmp_path / "register.csv"
    ok("register", "--format", "csv", "-o", str(out))
    rows = list(csv.DictReader(io.StringIO(out.read_text(encoding="utf-8"), newline="")))
    assert {r["Vendor"] for r in rows} == VENDORS
    assert {r["Vendor"] for r in rows if r["Overdue"] == "yes"} == OVERDUE
    chat = next(r for r in rows if r["Vendor"] == "Example Chat Co.")
    assert chat["Next review"] == "2026-04-15" and chat["Days left"] == "-230"
    # For people: labels, never the stored ids.
    assert (chat["Tier"], chat["SOC 1"], chat["SOC 2"], chat["SOC 2 type"]) == (
        "High",
        "Not needed",
        "Required",
        "Type II",
    )
    payroll = next(r for r in rows if r["Vendor"] == "Example Payroll Inc.")
    assert payroll["Evidence"] == "Conditional" and payroll["Status"] == "Complete"
    proc = run("register", "--format", "csv", "-o", str(out))
    assert proc.returncode == 2 and "--force" in proc.stderr


@pytest.mark.usefixtures("examples")
def test_xlsx_loads_with_openpyxl(tmp_path: Path) -> None:
    out = tmp_path / "register.xlsx"
    ok("register", "--format", "xlsx", "-o", str(out))
    book = openpyxl.load_workbook(out)
    sheet = book["Register"]
    header = [c.value for c in sheet[1]]
    assert header[:3] == ["Vendor", "Vendor key", "Tier"]
    assert sheet.freeze_panes == "A2"
    assert sheet.auto_filter.ref == f"A1:Q{sheet.max_row}"
    assert sheet.max_row == 5
    col = {name: n for n, name in enumerate(header)}
    rows = list(sheet.iter_rows(min_row=2))
    chat = next(r for r in rows if r[col["Vendor"]].value == "Example Chat Co.")
    assert chat[col["Next review"]].is_date
    assert chat[col["Next review"]].value == dt.datetime(2026, 4, 15)
    assert chat[col["Days left"]].value == -230
    assert (chat[col["Tier"]].value, chat[col["SOC 2"]].value, chat[col["SOC 1 type"]].value) == (
        "High",
        "Required",
        "None",
    )
    payroll = next(r for r in rows if r[col["Vendor"]].value == "Example Payroll Inc.")
    assert payroll[col["Evidence"]].value == "Conditional"
    assert sheet.column_dimensions["A"].width == 32


def test_xlsx_and_csv_never_carry_formulas(tmp_path: Path) -> None:
    store = tmp_path / "home" / "store"
    store.mkdir(parents=True, exist_ok=True)
    (store / "evil.toml").write_text(
        'vendor = "=HYPERLINK(\\"http://x\\",\\"y\\")"\nreviewed_on = 2026-01-31\n[answers]\n'
    )
    out = tmp_path / "r.xlsx"
    ok("register", "--format", "xlsx", "-o", str(out))
    cell = openpyxl.load_workbook(out)["Register"]["A2"]
    assert cell.data_type == "s" and str(cell.value).startswith("'=")
    rows = list(csv.reader(io.StringIO(ok("register", "--format", "csv"))))
    assert rows[1][0].startswith("'=")


@pytest.mark.usefixtures("examples")
def test_calendar_parses_with_icalendar(tmp_path: Path) -> None:
    out = tmp_path / "reviews.ics"
    printed = ok("calendar", "-o", str(out))
    assert "4 vendors" in printed
    calendar = icalendar.Calendar.from_ical(out.read_bytes())
    events = list(calendar.walk("VEVENT"))
    assert len(events) == 4
    by_summary = {str(e["SUMMARY"]): e for e in events}
    chat = by_summary["Vendor review due: Example Chat Co."]
    assert chat.decoded("DTSTART") == dt.date(2026, 4, 15)
    assert chat.decoded("DTEND") == dt.date(2026, 4, 16)
    uids = {str(e["UID"]) for e in events}
    assert len(uids) == 4
    # stable: the same UIDs on another run, another day
    again = icalendar.Calendar.from_ical(ok("calendar").encode())
    assert {str(e["UID"]) for e in again.walk("VEVENT")} == uids


def test_empty_store() -> None:
    assert "No assessments yet" in ok("register")
    calendar = icalendar.Calendar.from_ical(ok("calendar").encode())
    assert list(calendar.walk("VEVENT")) == []


def test_bad_today_is_one_line() -> None:
    proc = run("register", today="someday")
    assert proc.returncode == 2 and len(proc.stderr.splitlines()) == 1 and "SOCWIZARD_TODAY" in proc.stderr


def test_register_does_not_import_textual(tmp_path: Path) -> None:
    code = (
        "import sys; from socwizard.cli import main; "
        "[main(a) for a in (['register'], ['register', '--format', 'xlsx', '-o', sys.argv[1]], "
        "['register', '--format', 'html'], ['calendar'], ['list'])]; "
        "assert 'textual' not in sys.modules, 'textual imported'"
    )
    env = dict(os.environ, PYTHONPATH=str(ROOT / "src"))
    proc = subprocess.run(
        [sys.executable, "-c", code, str(tmp_path / "x.xlsx")],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
    )
    assert proc.returncode == 0, proc.stderr


@pytest.mark.usefixtures("examples")
def test_html_page_has_the_chart_and_is_escaped(tmp_path: Path) -> None:
    page = ok("register", "--format", "html")
    assert page.startswith("<!DOCTYPE html>")
    assert "<svg" in page and "2 of 4 overdue" in page
    assert page.count('<tr class="overdue">') == 2
    assert "<script" not in page and "http://" not in page.replace('xmlns="http://www.w3.org/2000/svg"', "")


@pytest.mark.usefixtures("examples")
def test_warm_register_and_lookup_import_no_pydantic() -> None:
    """Structural speed check: a warm register (and an id lookup) never loads the models."""
    ok("list")  # warms the index
    code = (
        "import io, sys, contextlib; from socwizard.cli import main; from socwizard import paths\n"
        "from socwizard.core.store import Store\n"
        "with contextlib.redirect_stdout(io.TextIOWrapper(io.BytesIO())):\n"
        "    assert main(['register']) == 0 and main(['calendar']) == 0\n"
        "store = Store(paths.store_dir())\n"
        "entry = store.list()[0]\n"
        "assert store.find_by_id(entry.id) == entry.path\n"
        "assert 'pydantic' not in sys.modules, 'pydantic imported'\n"
    )
    env = dict(os.environ, PYTHONPATH=str(ROOT / "src"), SOCWIZARD_TODAY=TODAY)
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, timeout=120)
    assert proc.returncode == 0, proc.stderr


@pytest.mark.usefixtures("examples")
def test_hostile_vendor_keys_in_a_colleagues_files_cost_one_line_each(tmp_path: Path) -> None:
    store = tmp_path / "home" / "store"
    head = 'vendor = "Globex"\nreviewed_on = 2026-01-31\n'
    files = {
        "long.toml": head + 'vendor_key = "' + "k" * 10_240 + '"\n[answers]\n',
        "control.toml": head + 'vendor_key = "\\u001b]52;c;eA==\\u0007"\n[answers]\n',
        "twice.toml": head + 'vendor_key = "globex"\nvendor_key = "initech"\n[answers]\n',
        "missing.toml": 'vendor = "Initech"\nreviewed_on = 2026-01-31\n[answers]\n',
    }
    for name, text in files.items():
        (store / name).write_text(text, encoding="utf-8")
    proc = run("register", "--format", "csv")
    assert proc.returncode == 0 and "Traceback" not in proc.stderr
    rows = list(csv.DictReader(io.StringIO(proc.stdout, newline="")))
    assert VENDORS | {"Initech"} <= {r["Vendor"] for r in rows}  # nothing lost
    initech = next(r for r in rows if r["Vendor"] == "Initech")
    assert initech["Vendor key"].startswith("initech-")  # a missing key is derived
    for text in (proc.stdout, proc.stderr):
        assert "\x1b" not in text and "\x07" not in text and "k" * 200 not in text
    shown = run("register")
    assert shown.returncode == 0 and "Traceback" not in shown.stderr
    for line in shown.stderr.splitlines():
        assert len(line) < 500
    # Each hostile file is named once, on one line, with the key and its line.
    for name, line_no in (("long.toml", 3), ("control.toml", 3), ("twice.toml", 4)):
        (message,) = [x for x in shown.stderr.splitlines() if name in x]
        assert f"{name}:{line_no}:" in message and "vendor_key" in message, message
