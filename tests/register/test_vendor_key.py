"""The vendor key: set on first save, kept on re-save and import, hostile values refused."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from socwizard.core.assessment import Assessment, evaluate_assessment, read_assessment_bytes, vendor_key_for
from socwizard.core.bank.models import Bank
from socwizard.core.errors import AssessmentError
from socwizard.core.store import Store

DAY = dt.date(2026, 1, 31)


def save_new(store: Store, bank: Bank, vendor: str, **extra: object) -> Path:
    assessment = Assessment(vendor=vendor, reviewed_on=DAY, **extra)
    loaded = evaluate_assessment(assessment, bank, "x")
    return store.save(loaded.assessment, bank, loaded.result)[0]


def test_key_is_derived_from_the_name_and_stable(store: Store, mini_bank: Bank) -> None:
    assert vendor_key_for("Acme Payroll") == vendor_key_for("  acme   PAYROLL ")
    assert vendor_key_for("Acme Payroll") != vendor_key_for("Acme Payrol")
    assert vendor_key_for("Acme Payroll").startswith("acme-payroll-")
    assert vendor_key_for("株式会社") != vendor_key_for("有限会社")  # romanised, never empty
    assert vendor_key_for("😀").startswith("vendor-")
    assert vendor_key_for("") != vendor_key_for("")  # no name: a fresh key each time
    path = save_new(store, mini_bank, "Acme Payroll")
    text = path.read_text()
    assert f'vendor_key = "{vendor_key_for("Acme Payroll")}"' in text
    opened = store.open(path, mini_bank)
    renamed = opened.assessment.model_copy(update={"vendor": "Acme Payroll GmbH"})
    store.save(renamed, mini_bank, opened.result, path, opened.fingerprint)
    assert store.open(path, mini_bank).assessment.vendor_key == vendor_key_for("Acme Payroll")


def test_key_is_editable_and_listed(store: Store, mini_bank: Bank) -> None:
    path = save_new(store, mini_bank, "Acme", vendor_key="acme-hq")
    assert store.open(path, mini_bank).assessment.vendor_key == "acme-hq"
    assert [e.vendor_key for e in store.list()] == ["acme-hq"]


def test_missing_key_is_derived_when_listing(store: Store) -> None:
    (store.root / "a.toml").write_text('vendor = "Acme"\nreviewed_on = 2026-01-31\n[answers]\n')
    (store.root / "b.toml").write_text("reviewed_on = 2026-01-31\n[answers]\n")
    keys = {e.path.name: e.vendor_key for e in store.list()}
    assert keys == {"a.toml": vendor_key_for("Acme"), "b.toml": "file-b"}


@pytest.mark.parametrize(
    "value",
    [
        '"../../etc/passwd"',
        '"a b"',
        '"[bold]x"',
        '"\\u001b]52;c;x\\u0007"',
        '""',
        "42",
        '"' + "a" * 65 + '"',
        '"' + "a" * 10_240 + '"',
        '"ok\\u0000x"',
        '"\\u202egnp.exe"',
    ],
)
def test_hostile_key_is_one_line_error(value: str) -> None:
    data = f'vendor = "Acme"\nvendor_key = {value}\nreviewed_on = 2026-01-31\n[answers]\n'.encode()
    with pytest.raises(AssessmentError) as info:
        read_assessment_bytes(data, "colleague.toml")
    line = info.value.first_line
    assert "\n" not in line and "\x1b" not in line and "\x00" not in line and len(line) < 400
    assert "colleague.toml" in line and "vendor_key" in line and "colleague.toml:2:" in line


def test_a_key_given_twice_is_one_line_naming_it() -> None:
    data = (
        b'vendor = "Acme"\nvendor_key = "acme"\nvendor_key = "globex"\nreviewed_on = 2026-01-31\n[answers]\n'
    )
    with pytest.raises(AssessmentError) as info:
        read_assessment_bytes(data, "colleague.toml")
    assert info.value.first_line == "colleague.toml:3: vendor_key: is given twice (invalid TOML)"


def test_import_preserves_key(store: Store, mini_bank: Bank, tmp_path: Path) -> None:
    source = tmp_path / "colleague.toml"
    source.write_text('vendor = "Acme"\nvendor_key = "acme-eu"\nreviewed_on = 2026-01-31\n[answers]\n')
    path, loaded = store.import_file(source, mini_bank)
    assert loaded.assessment.vendor_key == "acme-eu"
    assert 'vendor_key = "acme-eu"' in path.read_text()
    assert not [w for w in loaded.warnings if w.key == "vendor_key"]
    # a second assessment of the same vendor joins its history
    again = tmp_path / "again.toml"
    again.write_text('vendor = "ACME"\nvendor_key = "acme-eu"\nreviewed_on = 2027-01-31\n[answers]\n')
    _, loaded = store.import_file(again, mini_bank)
    assert loaded.assessment.vendor_key == "acme-eu"


def test_import_with_a_key_taken_by_another_vendor_gets_a_fresh_one(
    store: Store, mini_bank: Bank, tmp_path: Path
) -> None:
    save_new(store, mini_bank, "Acme", vendor_key="shared")
    source = tmp_path / "colleague.toml"
    source.write_text('vendor = "Globex"\nvendor_key = "shared"\nreviewed_on = 2026-01-31\n[answers]\n')
    _, loaded = store.import_file(source, mini_bank)
    assert loaded.assessment.vendor_key == vendor_key_for("Globex")
    (warning,) = [w for w in loaded.warnings if w.key == "vendor_key"]
    assert "already used by 'Acme'" in str(warning)
    assert sorted(e.vendor_key for e in store.list()) == sorted(["shared", vendor_key_for("Globex")])
