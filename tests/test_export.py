"""Exports (core/export.py and ``socwizard export``): content, escaping, file handling."""

from __future__ import annotations

import datetime as dt
import json
import os
import re
import stat
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path

import pytest

from socwizard.core.answers import Answer, State
from socwizard.core.assessment import Assessment, Loaded, evaluate_assessment, to_toml
from socwizard.core.bank.models import Bank
from socwizard.core.export import default_filename, md_text, render_export
from socwizard.core.report import assessment_json
from socwizard.core.store import Store

MINI = Path(__file__).parent / "fixtures" / "banks" / "mini"
HOSTILE = (
    '<script>alert("x")</script> [click](https://evil.example) *bold* `code` & # h1 <img src=x onerror=1>'
)


def make(bank: Bank, **fields: object) -> Loaded:
    data: dict[str, object] = {
        "id": "abc123def456",
        "title": "Payroll 2026",
        "vendor": "Acme Payroll",
        "assessor": "Jo Smith",
        "reviewed_on": dt.date(2026, 3, 31),
        "answers": {
            "data_types": Answer(value=("customer_pii", "confidential"), note='They said:\n"we encrypt"'),
            "financial": Answer(state=State.UNKNOWN, note="ask the CFO"),
            "sla": Answer(state=State.NOT_APPLICABLE),
            "report_end": Answer(value=dt.date(2024, 6, 30)),
            "notes": Answer(value="line one\nline two"),
        },
    }
    data.update(fields)
    return evaluate_assessment(Assessment.model_validate(data), bank, "test")


def run_cli(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ, SOCWIZARD_BANK=str(MINI))
    return subprocess.run(
        [sys.executable, "-m", "socwizard", *args],
        capture_output=True,
        text=True,
        env=env,
        cwd=cwd,
        timeout=60,
    )


class _Collector(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, list[tuple[str, str | None]]]] = []
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, attrs))

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def parse_html(text: str) -> _Collector:
    collector = _Collector()
    collector.feed(text)
    collector.close()
    return collector


# --- content ------------------------------------------------------------------------------


def test_markdown_has_everything_a_cfo_files(mini_bank: Bank) -> None:
    text = render_export(make(mini_bank), mini_bank, "markdown")
    assert text.startswith("# Vendor assessment: Payroll 2026\n")
    for needle in (
        "**Vendor:** Acme Payroll",
        "**Reviewed on:** 2026-03-31",
        "**Assessor:** Jo Smith",
        "**Tier: High · SOC 1: Required · SOC 2: Required (provisional)**",
        "| Tier | High |",
        "| SOC 1 | Required |",
        "| SOC 2 | Required |",
        "| Evidence | Conditional |",
        "**SOC 1: Required**",
        "## Evidence findings",
        "The report is stale",
        "## Follow-up questions for the vendor",
        "could change **SOC 1**: Required → Not needed",
        "### Basics",
        "### Evidence",
        "**Which data does the vendor hold?**",
        "Customers' personal data, Confidential business data",
        '*Note:* They said:  \n    "we encrypt"',
        "I don't know",
        "Doesn't apply",
        "line one  \n  line two",
    ):
        assert needle in text, needle
    # sections appear in bank order, answers in interview order
    assert text.index("### Basics") < text.index("### Evidence")
    answers = text[text.index("## Answers") :]
    assert answers.index("Which data") < answers.index("Does it process") < answers.index("Uptime commitment")


def test_html_is_self_contained_printable_and_complete(mini_bank: Bank) -> None:
    text = render_export(make(mini_bank), mini_bank, "html")
    parsed = parse_html(text)
    tags = [t for t, _ in parsed.tags]
    assert "script" not in tags and "link" not in tags and "iframe" not in tags and "img" not in tags
    for _, attrs in parsed.tags:
        for name, value in attrs:
            assert not name.startswith("on"), name
            assert "http" not in (value or "") or name == "content", (name, value)
    assert "@media print" in text
    assert "Content-Security-Policy" in text and "default-src 'none'" in text
    assert not re.search(r"(src|href)\s*=", text)
    assert "url(" not in text and "@import" not in text
    body = "".join(parsed.text)
    for needle in ("Acme Payroll", "Jo Smith", "2026-03-31", "SOC 2", "Required", "The report is stale"):
        assert needle in body, needle
    assert 'They said:\n"we encrypt"' in body  # the note, verbatim (pre-wrap keeps the newline)


def test_json_is_show_plus_answers(mini_bank: Bank) -> None:
    loaded = make(mini_bank)
    data = json.loads(render_export(loaded, mini_bank, "json"))
    show = json.loads(json.dumps(assessment_json(loaded)))
    for key, value in show.items():
        assert data[key] == value, key
    sections = {s["section"]: s for s in data["answers"]}
    assert list(sections) == ["basics", "evidence"]
    rows = {q["question"]: q for q in sections["basics"]["questions"]}
    assert rows["data_types"]["value"] == ["customer_pii", "confidential"]
    assert rows["data_types"]["note"] == 'They said:\n"we encrypt"'
    assert rows["financial"]["state"] == "unknown"
    assert rows["sla"]["answer"] == "Doesn't apply"
    assert rows["fye"]["state"] == "unanswered"
    assert sections["evidence"]["questions"][0]["value"] == "2024-06-30"
    assert data["answers_kept_aside"] == []


def test_answers_kept_aside_are_listed(mini_bank: Bank) -> None:
    # payroll_detail is hidden when financial is not true; "gone" is not in the bank
    loaded = make(
        mini_bank,
        answers={
            "financial": Answer(value=False),
            "payroll_detail": Answer(value="payroll"),
            "gone": Answer(value="old <answer>"),
        },
    )
    data = json.loads(render_export(loaded, mini_bank, "json"))
    kept = {r["question"]: r for r in data["answers_kept_aside"]}
    assert set(kept) == {"payroll_detail", "gone"}
    html_text = render_export(loaded, mini_bank, "html")
    assert "Answers kept aside" in html_text and "old &lt;answer&gt;" in html_text


# --- escaping -----------------------------------------------------------------------------


def hostile(bank: Bank) -> Loaded:
    return make(
        bank,
        title=HOSTILE,
        vendor=HOSTILE,
        assessor=HOSTILE,
        answers={
            "notes": Answer(value=HOSTILE + "\n# not a heading\n- not a list\n</td></tr></table>"),
            "data_types": Answer(value=("none",), note=HOSTILE + "\n\n```\n<b>x</b>"),
        },
    )


def test_html_escapes_every_file_value(mini_bank: Bank) -> None:
    text = render_export(hostile(mini_bank), mini_bank, "html")
    parsed = parse_html(text)
    tags = [t for t, _ in parsed.tags]
    assert "script" not in tags and "img" not in tags and "b" not in tags
    assert tags.count("table") == text.count("<table>")  # the note could not close a table
    body = "".join(parsed.text)
    assert HOSTILE in body  # shown literally, not interpreted
    assert "<script>" not in text and "&lt;script&gt;" in text


def test_markdown_escapes_every_file_value(mini_bank: Bank) -> None:
    text = render_export(hostile(mini_bank), mini_bank, "markdown")
    assert not re.search(r"(?<!\\)<", text), "an unescaped < reached the Markdown"
    assert "[click](" not in text and HOSTILE not in text
    escaped = md_text(HOSTILE)
    assert re.fullmatch(r"([^\\<\[\]`*_]|\\.)*", escaped), escaped  # inline syntax escaped
    assert text.count(escaped) >= 5  # title, vendor, assessor, note, text answer
    assert "\n# not a heading" not in text and "\n- not a list" not in text
    assert "\\# not a heading" in text and "\\- not a list" in text
    assert "\n```" not in text and "\\`\\`\\`" in text


def test_md_text_escapes_and_flattens() -> None:
    assert md_text("a*b_[c](d)<e>\n#f") == "a\\*b\\_\\[c\\](d)\\<e> #f"
    assert md_text("#f\na") == "\\#f a"
    assert md_text("x\x1b]52;c;AAAA\x07y") == "x\\]52;c;AAAAy"


def test_control_characters_never_reach_the_export(mini_bank: Bank) -> None:
    # bypass validation (a hand-built model): the renderers still clean
    a = Assessment.model_construct(
        **{**make(mini_bank).assessment.__dict__, "vendor": "evil\x1b[2J\u202e", "title": ""}
    )
    loaded = Loaded(a, make(mini_bank).result, ())
    for fmt in ("markdown", "html"):
        out = render_export(loaded, mini_bank, fmt)
        assert "\x1b" not in out and "\u202e" not in out


# --- filenames ----------------------------------------------------------------------------


@pytest.mark.parametrize(("fmt", "ext"), [("markdown", "md"), ("html", "html"), ("json", "json")])
def test_default_filename(mini_bank: Bank, fmt: str, ext: str) -> None:
    a = make(mini_bank).assessment
    assert default_filename(a, fmt) == f"acme-payroll-abc123def456.{ext}"


def test_default_filename_is_safe_for_hostile_values(mini_bank: Bank) -> None:
    a = make(mini_bank, vendor="../../etc/passwd\\..", title="", id=None).assessment
    name = default_filename(a, "html")
    assert re.fullmatch(r"[a-z0-9-]+\.html", name), name
    assert name == "etc-passwd-unsaved.html"
    with pytest.raises(ValueError):
        default_filename(a, "docx")


def test_render_export_rejects_unknown_format(mini_bank: Bank) -> None:
    with pytest.raises(ValueError):
        render_export(make(mini_bank), mini_bank, "docx")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="binary"):
        render_export(make(mini_bank), mini_bank, "pdf")  # a PDF is bytes: render_export_bytes


# --- the CLI ------------------------------------------------------------------------------


@pytest.fixture
def saved(store: Store, mini_bank: Bank) -> Path:
    loaded = make(mini_bank)
    path, _, _ = store.save(loaded.assessment, mini_bank, loaded.result)
    return path


def test_cli_export_to_stdout_matches_render(saved: Path, mini_bank: Bank, store: Store) -> None:
    opened = store.open(saved, mini_bank)
    for fmt in ("markdown", "html", "json"):
        proc = run_cli("export", str(saved), "--format", fmt)
        assert proc.returncode == 0, proc.stderr
        assert proc.stdout == render_export(opened.loaded, mini_bank, fmt)


def test_cli_export_by_id_to_a_file(saved: Path, tmp_path: Path) -> None:
    out = tmp_path / "report.html"
    proc = run_cli("export", "abc123def456", "--format", "html", "-o", str(out))
    assert proc.returncode == 0, proc.stderr
    assert out.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
    assert stat.S_IMODE(out.stat().st_mode) == 0o600
    assert [p.name for p in tmp_path.iterdir() if p.name.endswith(".tmp")] == []


def test_cli_export_never_overwrites_without_force(saved: Path, tmp_path: Path) -> None:
    out = tmp_path / "report.md"
    out.write_text("precious", encoding="utf-8")
    proc = run_cli("export", str(saved), "-o", str(out))
    assert proc.returncode == 2
    assert proc.stderr.count("\n") == 1 and "already exists" in proc.stderr and "--force" in proc.stderr
    assert out.read_text(encoding="utf-8") == "precious"
    proc = run_cli("export", str(saved), "-o", str(out), "--force")
    assert proc.returncode == 0, proc.stderr
    assert out.read_text(encoding="utf-8").startswith("# Vendor assessment")


def test_cli_export_to_a_directory_uses_the_default_name(saved: Path, tmp_path: Path) -> None:
    proc = run_cli("export", str(saved), "--format", "json", "-o", str(tmp_path))
    assert proc.returncode == 0, proc.stderr
    assert json.loads((tmp_path / "acme-payroll-abc123def456.json").read_text(encoding="utf-8"))["answers"]


def test_cli_export_missing_directory_and_bad_file(tmp_path: Path) -> None:
    good = tmp_path / "a.toml"
    good.write_text("reviewed_on = 2026-01-01\n[answers]\nfinancial = true\n", encoding="utf-8")
    proc = run_cli("export", str(good), "-o", str(tmp_path / "nope" / "x.md"))
    assert proc.returncode == 2 and "no such directory" in proc.stderr
    bad = tmp_path / "bad.toml"
    bad.write_text("reviewed_on = [\n", encoding="utf-8")
    proc = run_cli("export", str(bad))
    assert proc.returncode == 2 and proc.stderr.count("\n") == 1 and proc.stdout == ""


def test_cli_export_of_a_hand_written_file_does_not_modify_it(tmp_path: Path, mini_bank: Bank) -> None:
    source = tmp_path / "colleague.toml"
    source.write_text(to_toml(make(mini_bank).assessment), encoding="utf-8")
    before = source.read_bytes()
    assert run_cli("export", str(source), "--format", "html").returncode == 0
    assert source.read_bytes() == before


def test_export_does_not_import_textual(saved: Path) -> None:
    code = (
        "import sys, socwizard.cli as c; c.main(['export', sys.argv[1], '--format', 'html']); "
        "assert 'textual' not in sys.modules, 'textual imported'"
    )
    env = dict(os.environ, SOCWIZARD_BANK=str(MINI))
    proc = subprocess.run(
        [sys.executable, "-c", code, str(saved)], capture_output=True, text=True, env=env, timeout=60
    )
    assert proc.returncode == 0, proc.stderr


def test_default_filename_reads_in_any_script(mini_bank: Bank) -> None:
    a = make(mini_bank, vendor="Société Générale").assessment
    assert default_filename(a, "pdf") == "societe-generale-abc123def456.pdf"
    b = make(mini_bank, vendor="株式会社サンプル").assessment
    name = default_filename(b, "markdown")
    assert re.fullmatch(r"[a-z0-9-]+\.md", name) and not name.startswith("assessment"), name
