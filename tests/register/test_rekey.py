"""A new vendor key for a vendor's whole history: in the store only, all files or none."""

from __future__ import annotations

import datetime as dt
import difflib
from pathlib import Path

import pytest

from socwizard.core import rekey
from socwizard.core import store as store_module
from socwizard.core.assessment import Assessment, evaluate_assessment, read_assessment_bytes, vendor_key_for
from socwizard.core.bank.models import Bank
from socwizard.core.errors import StoreError
from socwizard.core.register import build
from socwizard.core.rekey import rekey_files, rekey_vendor, with_key
from socwizard.core.store import Store

DAY = dt.date(2026, 1, 31)


def save_new(store: Store, bank: Bank, vendor: str, day: dt.date = DAY, **extra: object) -> Path:
    assessment = Assessment(vendor=vendor, reviewed_on=day, **extra)
    loaded = evaluate_assessment(assessment, bank, "x")
    return store.save(loaded.assessment, bank, loaded.result)[0]


@pytest.fixture
def acme(store: Store, mini_bank: Bank) -> list[Path]:
    """Three yearly assessments of Acme, one of Globex."""
    paths = [
        save_new(store, mini_bank, "Acme", dt.date(2024 + n, 1, 31), title=f"Acme {n}") for n in range(3)
    ]
    save_new(store, mini_bank, "Globex")
    return paths


def changed_lines(before: bytes, after: bytes) -> list[str]:
    diff = difflib.ndiff(before.decode().splitlines(), after.decode().splitlines())
    return [line for line in diff if line[:1] in "+-"]


def test_the_whole_history_gets_the_new_key_and_nothing_else_changes(store: Store, acme: list[Path]) -> None:
    old = vendor_key_for("Acme")
    before = {p: p.read_bytes() for p in store.files()}
    done = rekey_vendor(store, old, "acme-group")
    assert set(done.rekeyed.changed) == {p.resolve() for p in acme} and done.joined == ()
    for path in store.files():
        after = path.read_bytes()
        if path in acme:
            assert changed_lines(before[path], after) == [
                f'- vendor_key = "{old}"',
                '+ vendor_key = "acme-group"',
            ]
            assert (store.housekeeping / "backups" / path.name).read_bytes() == before[path]
        else:
            assert after == before[path]  # Globex untouched
    rows = build(store.list())
    assert {r.key: len(r.history) for r in rows} == {"acme-group": 3, vendor_key_for("Globex"): 1}
    assert rekey_vendor(store, "acme-group", "acme-group").rekeyed.changed == ()


def test_joining_another_vendors_key_says_so(store: Store, acme: list[Path]) -> None:
    done = rekey_vendor(store, vendor_key_for("Acme"), vendor_key_for("Globex"))
    assert done.joined == ("Globex",)
    assert [len(r.history) for r in build(store.list())] == [4]


def test_a_hand_written_file_keeps_its_comments_and_layout(store: Store, mini_bank: Bank) -> None:
    path = store.root / "acme-by-hand.toml"
    text = (
        "# written by hand\n"
        'vendor = "Acme"   # the legal name\n'
        "reviewed_on = 2026-01-31\n"
        "\n"
        "[answers]\n"
        "# nothing yet\n"
    )
    path.write_text(text)
    rekey_files(store, [path], "acme-group")
    after = path.read_text()
    assert after == text.replace("# the legal name\n", '# the legal name\nvendor_key = "acme-group"\n')
    assert store.open(path, mini_bank).assessment.vendor_key == "acme-group"


@pytest.mark.parametrize(
    "header",
    [
        'vendor = "Acme"\ntitle = """two\n[not a table]\nvendor_key = "x" is text"""\n',
        'title = """Acme\nvendor_key = "x"\n"""\nvendor = "Acme"\n',  # the patch's line is in a string
        'vendor = """Acme\n"""\n',  # inserted after "vendor =", it would land in the string
    ],
)
def test_a_header_the_patch_cannot_place_still_means_the_same(header: str) -> None:
    data = (header + "reviewed_on = 2026-01-31\n[answers]\n").encode()
    new = with_key(data, "f.toml", "acme-group")
    before, _ = read_assessment_bytes(data, "f.toml")
    after, _ = read_assessment_bytes(new, "f.toml")
    assert after.model_dump() == before.model_copy(update={"vendor_key": "acme-group"}).model_dump()


def test_a_crlf_file_with_a_bom_stays_so(store: Store) -> None:
    path = store.root / "crlf.toml"
    path.write_bytes(
        b'\xef\xbb\xbfvendor = "Acme"\r\nvendor_key = "old"\r\nreviewed_on = 2026-01-31\r\n[answers]\r\n'
    )
    rekey_files(store, [path], "new-key")
    assert path.read_bytes() == (
        b'\xef\xbb\xbfvendor = "Acme"\r\nvendor_key = "new-key"\r\nreviewed_on = 2026-01-31\r\n[answers]\r\n'
    )


def test_a_failed_write_puts_every_file_back(
    store: Store, acme: list[Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    before = {p: p.read_bytes() for p in acme}
    real = store_module.write_private
    calls = []

    def fail_second(target: Path, data: bytes) -> None:
        calls.append(target)
        if len(calls) == 2:
            raise OSError(28, "No space left on device", str(target))
        real(target, data)

    monkeypatch.setattr(rekey, "write_private", fail_second)
    with pytest.raises(StoreError) as info:
        rekey_vendor(store, vendor_key_for("Acme"), "acme-group")
    assert "no vendor key was changed" in info.value.first_line and "\n" not in info.value.first_line
    assert {p: p.read_bytes() for p in acme} == before


def test_a_locked_or_broken_file_changes_nothing(
    store: Store, acme: list[Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    before = {p: p.read_bytes() for p in acme}
    monkeypatch.setattr(store_module, "LOCK_TIMEOUT_S", 0.05)
    with store.lock(acme[1].resolve()), pytest.raises(StoreError) as info:
        rekey_files(store, acme, "acme-group")
    assert "locked" in info.value.first_line
    assert {p: p.read_bytes() for p in acme} == before
    acme[2].write_text("not = [valid")
    before[acme[2]] = acme[2].read_bytes()
    with pytest.raises(StoreError) as broken:
        rekey_files(store, acme, "acme-group")
    assert acme[2].name in broken.value.first_line
    assert {p: p.read_bytes() for p in acme} == before


def test_never_a_write_outside_the_store(store: Store, acme: list[Path], tmp_path: Path) -> None:
    outside = tmp_path / "elsewhere.toml"
    outside.write_bytes(acme[0].read_bytes())
    before = outside.read_bytes()
    with pytest.raises(StoreError):
        rekey_files(store, [acme[1], outside], "acme-group")
    link = store.root / "link.toml"
    link.symlink_to(outside)
    with pytest.raises(StoreError) as info:
        rekey_files(store, [link], "acme-group")
    assert "regular file" in info.value.first_line
    nested = store.root / "sub"
    nested.mkdir()
    (nested / "x.toml").write_bytes(before)
    with pytest.raises(StoreError):
        rekey_files(store, [nested / "x.toml"], "acme-group")
    assert outside.read_bytes() == before and (nested / "x.toml").read_bytes() == before
    assert all(vendor_key_for("Acme") in p.read_text() for p in acme)


@pytest.mark.parametrize("key", ["", "a b", "../x", "[bold]", "a" * 65, "ok\x1b"])
def test_a_key_the_core_refuses_changes_nothing(store: Store, acme: list[Path], key: str) -> None:
    before = {p: p.read_bytes() for p in acme}
    with pytest.raises(StoreError):
        rekey_files(store, acme, key)
    assert {p: p.read_bytes() for p in acme} == before
