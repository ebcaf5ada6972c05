"""Big stores for figures 10 and 11: 50,000 assessments of 10,000 vendors (and 100,000 of 20,000).

Generated once into ``benchmarks/results/cache/`` (git-ignored) and reused while the
generator and the template are unchanged: writing 150,000 files and building their
index takes minutes on two cores. Each vendor has five yearly assessments; tiers and
review dates vary, so the register has overdue, due-soon and later vendors.

``python big_store.py COUNT VENDORS`` prints the store's path (generating it if needed).
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CACHE = ROOT / "benchmarks" / "results" / "cache"
GENERATOR_VERSION = "3"
TIERS = ("high", "medium", "low")


def template() -> str:
    """A complete assessment of the built-in bank, as the store saves it."""
    sys.path.insert(0, str(ROOT / "src"))
    from socwizard.core.bank.loader import load_bank
    from socwizard.core.store import Store

    bank = load_bank(ROOT / "questions")
    with tempfile.TemporaryDirectory() as tmp:
        store = Store(Path(tmp) / "store")
        path, _ = store.import_file(ROOT / "tests" / "examples" / "team_chat.toml", bank)
        return path.read_text(encoding="utf-8")


def _fields(text: str) -> str:
    """The template with placeholders for what varies per file."""
    subs = [
        (r'(?m)^id = ".*"$', 'id = "{id}"'),
        (r'(?m)^vendor = ".*"$', 'vendor = "{vendor}"'),
        (r'(?m)^vendor_key = ".*"$', 'vendor_key = "{key}"'),
        (r"(?m)^reviewed_on = .*$", "reviewed_on = {reviewed}"),
        (r"(?m)^next_review = .*$", "next_review = {next}"),
        (r'(?m)^tier = ".*"$', 'tier = "{tier}"'),
    ]
    body = text.replace("{", "{{").replace("}", "}}")
    for pattern, replacement in subs:
        body, n = re.subn(pattern, replacement, body, count=1)
        assert n == 1, f"template has no {pattern}"
    return body


def generate(directory: Path, count: int, vendors: int, text: str) -> None:
    """Write ``count`` files, ``count // vendors`` per vendor, as fast as plain writes go."""
    import datetime as dt

    form = _fields(text)
    per_vendor = count // vendors
    base = dt.date(2025, 1, 1)  # latest reviews: 2025-01 to 2026-06, so about a third are overdue
    directory.mkdir(parents=True, exist_ok=True)
    flags = os.O_WRONLY | os.O_CREAT | os.O_TRUNC
    for v in range(vendors):
        key = f"vendor-{v:06d}"
        latest = base + dt.timedelta(days=(v * 37) % 540)
        for k in range(per_vendor):
            reviewed = latest - dt.timedelta(days=365 * (per_vendor - 1 - k))
            body = form.format(
                id=f"b{v:06d}x{k}",
                vendor=f"Vendor {v:06d}",
                key=key,
                reviewed=reviewed.isoformat(),
                next=(reviewed + dt.timedelta(days=365)).isoformat(),
                tier=TIERS[v % 3],
            )
            fd = os.open(directory / f"vendor-{v:06d}-{k:02d}{v:06x}.toml", flags, 0o600)
            try:
                os.write(fd, body.encode("utf-8"))
            finally:
                os.close(fd)


def derive(source: Path, directory: Path, vendors: int) -> None:
    """A smaller store from a bigger cached one: its first ``vendors`` vendors, hard-linked.

    Hard links keep each file's inode, so mtime_ns and size — the index's stamps — are
    the bigger store's; its index (built by socwizard) is copied, and the first listing
    drops the rows of the files left out (no file is parsed again).
    """
    directory.mkdir(parents=True)
    for item in os.scandir(source):
        if item.name.endswith(".toml") and int(item.name.split("-")[1]) < vendors:
            os.link(item.path, directory / item.name)
    shutil.copytree(source / ".socwizard", directory / ".socwizard", symlinks=True)


def ensure(count: int, vendors: int) -> tuple[Path, float | None]:
    """The cached store (generated and indexed when missing); the cold index build in s, if built.

    A store is reused while the generator is unchanged (the template's exact text does not
    matter for listing speed). A smaller store is derived from a bigger cached one.
    """
    stamp = f"{GENERATOR_VERSION}:{count}:{vendors}"
    directory = CACHE / f"store-{count}-{vendors}"
    marker = CACHE / f"store-{count}-{vendors}.ok"
    if marker.is_file() and marker.read_text() == stamp and directory.is_dir():
        return directory, None
    shutil.rmtree(directory, ignore_errors=True)
    socwizard = str(Path(sys.executable).parent / "socwizard")
    bigger = CACHE / f"store-{count * 2}-{vendors * 2}"
    if (CACHE / f"store-{count * 2}-{vendors * 2}.ok").is_file() and bigger.is_dir():
        derive(bigger, directory, vendors)
        subprocess.run(
            [socwizard, "--store", str(directory), "list", "--json"], check=True, stdout=subprocess.DEVNULL
        )
        marker.write_text(stamp)
        return directory, None
    start = time.perf_counter()
    generate(directory, count, vendors, template())
    print(f"big_store: wrote {count} files in {time.perf_counter() - start:.1f} s", file=sys.stderr)
    start = time.perf_counter()
    subprocess.run(
        [socwizard, "--store", str(directory), "list", "--json"], check=True, stdout=subprocess.DEVNULL
    )
    cold = time.perf_counter() - start
    print(f"big_store: cold index build of {count} files: {cold:.1f} s", file=sys.stderr)
    marker.write_text(stamp)
    return directory, cold


if __name__ == "__main__":
    print(ensure(int(sys.argv[1]), int(sys.argv[2]))[0])
