"""``socwizard evidence read``: the JSON contract (checked by jsonschema), text output, errors."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest

from socwizard.cli import main
from socwizard.core.evidence.model import FACT_KEYS

from .conftest import NAMES
from .pdfgen import build_pdf, image_only_pdf

SCHEMA = json.loads(
    (Path(__file__).resolve().parents[2] / "schemas" / "evidence-read.schema.json").read_text()
)


def test_schema_is_valid_and_names_every_key() -> None:
    jsonschema.Draft202012Validator.check_schema(SCHEMA)
    assert SCHEMA["required"] == ["file", "sha256", "pages", *FACT_KEYS]


@pytest.mark.parametrize("name", NAMES)
def test_json_output_follows_the_schema(
    name: str, report_pdfs: dict[str, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["evidence", "read", str(report_pdfs[name]), "--format", "json"]) == 0
    out = capsys.readouterr().out
    data = json.loads(out)
    jsonschema.validate(data, SCHEMA, format_checker=jsonschema.FormatChecker())
    assert data["file"] == f"{name}.pdf"
    assert out.isascii()


def test_text_output_says_what_is_not_stated(
    report_pdfs: dict[str, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["evidence", "read", str(report_pdfs["soc2_type2_carveout"])]) == 0
    out = capsys.readouterr().out
    assert "kind: soc2  (page 1)" in out
    assert "legacy_label: not stated in the document" in out
    assert "    - CC6.2: Exception noted." in out


def test_failures_are_one_line_exit_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    scan = tmp_path / "scan.pdf"
    scan.write_bytes(image_only_pdf())
    locked = tmp_path / "locked.pdf"
    locked.write_bytes(build_pdf("## SOC 3 Report\nIn our opinion, fine.", password="pw"))
    for path, words in ((scan, "no text layer"), (locked, "encrypted")):
        before = sorted(tmp_path.iterdir())
        assert main(["evidence", "read", str(path)]) == 2
        captured = capsys.readouterr()
        assert captured.out == ""
        assert captured.err.count("\n") == 1 and words in captured.err
        assert captured.err.startswith("socwizard: error: ")
        assert sorted(tmp_path.iterdir()) == before  # nothing written
