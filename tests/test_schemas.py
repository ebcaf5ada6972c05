"""The committed JSON Schemas (schemas/) match the models, and the #:schema directive is harmless.

Regenerate after changing a model:

    for k in bank section rules assessment; do
        socwizard bank schema --kind $k > schemas/$k.schema.json
    done
"""

from __future__ import annotations

import datetime as dt
import json
import os
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest
import tomli
import tomlkit

from socwizard.core.answers import Answer
from socwizard.core.assessment import SCHEMA_DIRECTIVE, Assessment, evaluate_assessment, to_toml
from socwizard.core.bank.models import Bank
from socwizard.core.schemas import KINDS, schema

SCHEMAS = Path(__file__).resolve().parent.parent / "schemas"
REGENERATE = (
    "regenerate: for k in bank section rules assessment; "
    "do socwizard bank schema --kind $k > schemas/$k.schema.json; done"
)


@pytest.mark.parametrize("kind", KINDS)
def test_committed_schema_matches_the_model(kind: str) -> None:
    path = SCHEMAS / f"{kind}.schema.json"
    assert path.is_file(), f"{path} is missing; {REGENERATE}"
    committed = path.read_text(encoding="utf-8")
    assert json.loads(committed) == schema(kind), f"{path.name} drifted from the model; {REGENERATE}"
    assert committed == json.dumps(schema(kind), indent=2) + "\n", f"{path.name} not canonical; {REGENERATE}"


def test_no_stray_schema_files() -> None:
    # evidence-read.schema.json is written by hand (tests/evidence/test_cli_read.py checks it).
    expected = [f"{k}.schema.json" for k in KINDS] + ["evidence-read.schema.json"]
    assert sorted(p.name for p in SCHEMAS.glob("*.json")) == sorted(expected)


@pytest.mark.parametrize("kind", KINDS)
def test_the_documented_command_reproduces_the_file(kind: str) -> None:
    proc = subprocess.run(
        [sys.executable, "-m", "socwizard", "bank", "schema", "--kind", kind],
        capture_output=True,
        text=True,
        env=dict(os.environ),
        timeout=60,
    )
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout == (SCHEMAS / f"{kind}.schema.json").read_text(encoding="utf-8")


def test_schema_ids_and_the_directive_agree() -> None:
    for kind in KINDS:
        assert schema(kind)["$id"].endswith(f"/{kind}.schema.json")
    assert SCHEMA_DIRECTIVE == "#:schema ./.socwizard/assessment.schema.json"


def test_the_directive_is_only_a_comment_to_every_parser(mini_bank: Bank) -> None:
    a = Assessment(vendor="Acme", reviewed_on=dt.date(2026, 1, 31), answers={"financial": Answer(value=True)})
    loaded = evaluate_assessment(a, mini_bank, "x")
    text = to_toml(loaded.assessment, loaded.result)
    assert text.splitlines()[0] == SCHEMA_DIRECTIVE
    without = "\n".join(text.splitlines()[1:]) + "\n"
    for parse in (tomllib.loads, tomli.loads, lambda t: tomlkit.parse(t).unwrap()):
        assert parse(text) == parse(without)
        assert "schema" not in parse(text)
    # tomlkit keeps the directive verbatim on a round trip (editors rewriting the file keep it)
    assert tomlkit.dumps(tomlkit.parse(text)) == text


def test_assessment_schema_describes_the_saved_keys(mini_bank: Bank) -> None:
    """Every top-level key of a saved file is a property of the schema (no editor warnings)."""
    a = Assessment(
        id="abc",
        title="t",
        vendor="v",
        assessor="me",
        reviewed_on=dt.date(2026, 1, 31),
        answers={"financial": Answer(value=True, note="n")},
    )
    loaded = evaluate_assessment(a, mini_bank, "x")
    from socwizard.core.assessment import stamp

    stamped = stamp(loaded.assessment, mini_bank, loaded.result)
    data = tomllib.loads(to_toml(stamped, loaded.result))
    properties = schema("assessment")["properties"]
    assert set(data) <= set(properties), set(data) - set(properties)
    assert schema("assessment").get("additionalProperties") is False
