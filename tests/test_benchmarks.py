"""The benchmarks' own generators produce what they claim to (a wrong store measures nothing)."""

from __future__ import annotations

import sys
import tomllib
from pathlib import Path

from socwizard.core.bank.loader import load_bank
from socwizard.core.store import Store

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "benchmarks"))

from home_list import make_store  # noqa: E402


def test_bench_store_copies_keep_their_bank_id(tmp_path: Path) -> None:
    """Each copy gets its own id and vendor; its ``[bank]`` id stays the bank's (it was rewritten)."""
    bank = load_bank(ROOT / "questions")
    store = Store(tmp_path / "store")
    store.import_file(ROOT / "tests" / "examples" / "team_chat.toml", bank)
    imported = store.files()[0].read_bytes()
    assert b"\n[bank]\n" in imported
    make_store(tmp_path / "bench", 3, imported)
    files = sorted((tmp_path / "bench").glob("[!.]*.toml"))
    datas = [tomllib.loads(p.read_text()) for p in files]
    assert [d["id"] for d in datas] == ["bench00000000", "bench00000001", "bench00000002"]
    assert [d["vendor"] for d in datas] == ["Vendor 00000", "Vendor 00001", "Vendor 00002"]
    assert {d["bank"]["id"] for d in datas} == {bank.id}
    entries = Store(tmp_path / "bench").list()
    assert len(entries) == 3 and not any(e.error for e in entries)
