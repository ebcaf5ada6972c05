"""The schemas, checked by real validators: the jsonschema library and taplo (issue 9).

- every example, fixture and saved file validates against the generic assessment schema
  and against the schema of its bank; the built-in and fixture banks validate against
  the bank, section and rules schemas (``policy:`` references included);
- a wrong answer type fails; for each question of the built-in bank, the schema accepts a
  value exactly when socwizard's reader does;
- taplo (the engine of Even Better TOML) lints saved files in a store with 0 errors, and
  with the store's ``.taplo.toml`` its formatter leaves socwizard's layout unchanged.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from socwizard.core.answer_schema import assessment_schema_for
from socwizard.core.answers import Answer, State
from socwizard.core.assessment import (
    evaluate_assessment,
    normalise,
    read_assessment_file,
    stamp,
    to_toml,
)
from socwizard.core.bank.loader import load_bank
from socwizard.core.bank.models import Bank
from socwizard.core.errors import AssessmentError
from socwizard.core.schemas import schema
from socwizard.core.store import Store
from socwizard.paths import builtin_bank_dir

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = sorted((ROOT / "tests" / "examples").rglob("*.toml"))
MINI = ROOT / "tests" / "fixtures" / "banks" / "mini"
ACCEPTED_FIXTURES = sorted((ROOT / "tests" / "fixtures" / "bad").glob("accept-*.toml"))
TAPLO = Path(sys.executable).parent / "taplo"


def as_json(value: Any) -> Any:
    """TOML data as a JSON validator sees it (taplo does the same): dates become strings."""
    if isinstance(value, dict):
        return {k: as_json(v) for k, v in value.items()}
    if isinstance(value, list):
        return [as_json(v) for v in value]
    if isinstance(value, dt.datetime | dt.date | dt.time):
        return value.isoformat()
    return value


def validator(data: dict[str, Any]) -> jsonschema.protocols.Validator:
    cls = jsonschema.validators.validator_for(data)
    cls.check_schema(data)
    return cls(data, format_checker=cls.FORMAT_CHECKER)


@pytest.fixture(scope="module")
def builtin() -> Bank:
    return load_bank(builtin_bank_dir())


@pytest.fixture(scope="module")
def mini() -> Bank:
    return load_bank(MINI)


def errors(data: dict[str, Any], value: dict[str, Any]) -> list[str]:
    return [e.message for e in validator(data).iter_errors(as_json(value))]


def saved_text(path: Path, bank: Bank) -> str:
    loaded = read_assessment_file(path, bank)
    return to_toml(stamp(loaded.assessment, bank, loaded.result), loaded.result)


# --- every file socwizard reads or writes validates --------------------------------------


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.name)
def test_examples_and_their_saved_form_validate(path: Path, builtin: Bank) -> None:
    generic = schema("assessment")
    specific = assessment_schema_for(generic, builtin)
    raw = tomllib.loads(path.read_text(encoding="utf-8"))
    saved = tomllib.loads(saved_text(path, builtin))
    for data in (raw, saved):
        assert errors(generic, data) == []
        assert errors(specific, data) == []


@pytest.mark.parametrize("path", ACCEPTED_FIXTURES, ids=lambda p: p.name)
def test_accepted_fixtures_validate(path: Path, mini: Bank) -> None:
    generic = schema("assessment")
    specific = assessment_schema_for(generic, mini)
    raw = tomllib.loads(path.read_text(encoding="utf-8-sig"))
    assert errors(generic, raw) == []
    assert errors(specific, raw) == []
    assert errors(specific, tomllib.loads(saved_text(path, mini))) == []


def test_every_answer_form_socwizard_writes_validates(mini: Bank) -> None:
    from socwizard.core.assessment import Assessment

    answers = {
        "data_types": Answer(value=("customer_pii", "confidential"), note="from the DPA"),
        "financial": Answer(value=True),
        "sla": Answer(state=State.NOT_APPLICABLE),
        "fye": Answer(value=dt.date(2026, 12, 31)),
        "notes": Answer(state=State.UNKNOWN, note="ask them"),
    }
    a = Assessment(title="t", vendor="v", reviewed_on=dt.date(2026, 1, 31), answers=answers)
    loaded = evaluate_assessment(a, mini, "x")
    data = tomllib.loads(to_toml(stamp(loaded.assessment, mini, loaded.result), loaded.result))
    assert isinstance(data["answers"]["data_types"], dict) and isinstance(data["answers"]["financial"], bool)
    generic = schema("assessment")
    assert errors(generic, data) == []
    assert errors(assessment_schema_for(generic, mini), data) == []


@pytest.mark.parametrize(
    ("bank_dir", "files"),
    [(builtin_bank_dir(), None), (MINI, None)],
    ids=["builtin", "mini"],
)
def test_banks_validate_against_the_bank_schemas(bank_dir: Path, files: None) -> None:
    meta = tomllib.loads((bank_dir / "bank.toml").read_text(encoding="utf-8"))
    assert errors(schema("bank"), meta) == []
    sections = [s.get("file") or f"{s['id']}.toml" for s in meta["sections"]]
    for name in sections:
        data = tomllib.loads((bank_dir / name).read_text(encoding="utf-8"))
        assert errors(schema("section"), data) == [], name
    for name in meta.get("rule_files", []):
        data = tomllib.loads((bank_dir / name).read_text(encoding="utf-8"))
        assert errors(schema("rules"), data) == [], name


def test_policy_references_are_accepted_where_the_loader_takes_them() -> None:
    bank_toml = (builtin_bank_dir() / "bank.toml").read_text(encoding="utf-8")
    assert '"policy:' in bank_toml  # the built-in bank uses them (issue 9: the schema refused them)
    rules = {
        "rules": [{"id": "r", "set": {"tier": "high"}, "reason": "x", "when": {"question": "q", "equals": 1}}]
    }
    assert errors(schema("rules"), rules) == []
    review = {"next_review": [{"plus_months": "policy:review_months_high", "reason": "x"}]}
    meta = tomllib.loads(bank_toml)
    meta.update(review)
    assert errors(schema("bank"), meta) == []
    meta["next_review"] = [{"plus_months": "twelve", "reason": "x"}]
    assert errors(schema("bank"), meta) != []


# --- a wrong type fails -------------------------------------------------------------------


@pytest.mark.parametrize(
    "answers",
    [
        {"uptime_sla": {"value": "high"}},
        {"uptime_sla": "high"},
        {"uptime_sla": 101},
        {"criticality": "catastrophic"},
        {"data_types": ["confidential", "confidential"]},
        {"data_types": ["no_such_kind"]},
        {"direct_collection": "maybe"},
        {"soc2_period_end": "last year"},
        {"uptime_sla": {"state": "unknown", "value": 99.9}},
        {"uptime_sla": {"value": 99.9, "extra": 1}},
    ],
)
def test_a_wrong_answer_type_fails_the_bank_schema(answers: dict[str, Any], builtin: Bank) -> None:
    data = {"reviewed_on": dt.date(2026, 1, 1), "answers": answers}
    assert errors(assessment_schema_for(schema("assessment"), builtin), data) != []


@pytest.mark.parametrize(
    "bad",
    [
        {"reviewed_on": "2026-01-01", "format": True},
        {"reviewed_on": "2026-01-01", "format": "1"},
        {"reviewed_on": "2026-01-01", "answers": {"x": {"state": "unknown", "value": 1}}},
        {"reviewed_on": "2026-01-01", "answers": {"x": {"state": "maybe"}}},
        {"reviewed_on": "2026-01-01", "answers": {"x": {"note": "no value"}}},
        {"reviewed_on": "2026-01-01", "answers": {"x": {"value": 1, "colour": "red"}}},
    ],
)
def test_the_generic_schema_refuses_what_the_reader_refuses(bad: dict[str, Any]) -> None:
    assert errors(schema("assessment"), bad) != []


def _candidates() -> list[Any]:
    return [
        True,
        False,
        "yes",
        "No",
        "maybe",
        0,
        1,
        2.5,
        -1,
        99.9,
        100,
        101,
        1000,
        5000,
        dt.date(2026, 1, 31),
        "2026-01-31",
        "",
        "x" * 5000,
        [],
        ["none"],
        ["none", "confidential"],
    ]


def test_the_bank_schema_agrees_with_the_reader_on_every_question(builtin: Bank) -> None:
    """For every question and a spread of values (including each choice), schema == reader."""
    specific = assessment_schema_for(schema("assessment"), builtin)
    check = validator(specific)
    disagreements: list[str] = []
    for question in builtin.questions:
        values = _candidates()
        choices = [c.value for c in getattr(question, "choices", [])]
        values += [*choices, choices[:2], choices[:1], "not_a_choice"] if choices else []
        forms: list[Any] = []
        for value in values:
            forms += [value, {"value": value}, {"value": value, "note": "n"}]
        forms += [{"state": "unknown"}, {"state": "not_applicable", "note": "n"}]
        for form in forms:
            raw = form.get("value") if isinstance(form, dict) else form
            if isinstance(raw, dt.date) and question.type == "text":
                continue  # JSON has no date type: a TOML date is a string to a JSON validator
            try:
                answer = Answer.model_validate(form)
                normalise(question, answer)
                accepted = True
            except (ValueError, TypeError):
                accepted = False
            data: dict[str, Any] = {"reviewed_on": "2026-01-01", "answers": {question.id: as_json(form)}}
            valid = check.is_valid(data)
            if valid != accepted:
                disagreements.append(f"{question.id}={form!r}: schema {valid}, reader {accepted}")
    assert disagreements == [], disagreements[:40]


# --- the store's schema is the bank's, and taplo agrees ------------------------------------


def test_the_store_schema_is_the_schema_of_the_bank_in_use(tmp_path: Path, builtin: Bank, mini: Bank) -> None:
    store = Store(tmp_path / "store")
    path, _ = store.import_file(EXAMPLES[0], builtin)
    installed = json.loads((store.housekeeping / "assessment.schema.json").read_text())
    assert installed == assessment_schema_for(schema("assessment"), builtin)
    assert "uptime_sla" in installed["properties"]["answers"]["properties"]
    store.ensure(mini)
    installed = json.loads((store.housekeeping / "assessment.schema.json").read_text())
    assert "sla" in installed["properties"]["answers"]["properties"]
    assert (store.root / ".taplo.toml").is_file()
    assert path.exists()


taplo_needed = pytest.mark.skipif(not TAPLO.exists(), reason="taplo (pip install taplo) is a test dependency")


def _store_with_saved_files(tmp_path: Path, builtin: Bank) -> Store:
    store = Store(tmp_path / "store")
    for example in EXAMPLES:
        store.import_file(example, builtin)
    return store


@taplo_needed
def test_taplo_lints_saved_files_with_no_errors(tmp_path: Path, builtin: Bank) -> None:
    store = _store_with_saved_files(tmp_path, builtin)
    files = sorted(p.name for p in store.files())
    proc = subprocess.run(
        [str(TAPLO), "lint", "--no-auto-config", *files], cwd=store.root, capture_output=True, text=True
    )
    assert proc.returncode == 0, proc.stderr[-3000:]
    wrong = store.root / "wrong.toml"
    text = next(t for f in files if "\nuptime_sla = " in (t := (store.root / f).read_text()))
    wrong.write_text(re.sub(r"\nuptime_sla = [0-9.]+\n", '\nuptime_sla = { value = "high" }\n', text))
    assert "uptime_sla = { value" in wrong.read_text()
    proc = subprocess.run(
        [str(TAPLO), "lint", "--no-auto-config", "wrong.toml"], cwd=store.root, capture_output=True, text=True
    )
    assert proc.returncode != 0 and "uptime_sla" in proc.stderr


@taplo_needed
def test_taplo_format_leaves_saved_files_unchanged(tmp_path: Path, builtin: Bank) -> None:
    store = _store_with_saved_files(tmp_path, builtin)
    before = {p.name: p.read_bytes() for p in store.files()}
    proc = subprocess.run([str(TAPLO), "fmt", "--check"], cwd=store.root, capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr[-3000:]
    proc = subprocess.run([str(TAPLO), "fmt"], cwd=store.root, capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr
    assert {p.name: p.read_bytes() for p in store.files()} == before
    # and a file taplo formatted without socwizard's settings still reads the same
    other = tmp_path / "plain"
    other.mkdir()
    source = store.files()[0]
    shutil.copy(source, other / source.name)
    subprocess.run([str(TAPLO), "fmt", "--no-auto-config", source.name], cwd=other, capture_output=True)
    try:
        again = read_assessment_file(other / source.name, builtin)
    except AssessmentError as exc:  # pragma: no cover - would be a bug
        raise AssertionError(exc.first_line) from None
    assert again.assessment.answers == read_assessment_file(source, builtin).assessment.answers
