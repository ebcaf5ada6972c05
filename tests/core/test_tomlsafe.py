"""tomlsafe: reading untrusted TOML (size, file kinds, BOM, UTF-8, nesting, lines)."""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest

from socwizard.core.tomlsafe import FileProblems, LineFinder, load, parse, read_bytes, read_text


def fail(path: Path, **kw: object) -> str:
    with pytest.raises(FileProblems) as info:
        load(path, max_bytes=kw.pop("max_bytes", 10_000), **kw)  # type: ignore[arg-type]
    assert len(info.value.problems) == 1
    return str(info.value.problems[0])


def test_plain_file(tmp_path: Path) -> None:
    path = tmp_path / "a.toml"
    path.write_text('a = 1\n[t]\nb = "x"\n')
    data, text = load(path, max_bytes=1000)
    assert data == {"a": 1, "t": {"b": "x"}}
    assert text.startswith("a = 1")


def test_bom_is_stripped(tmp_path: Path) -> None:
    path = tmp_path / "bom.toml"
    path.write_bytes(b"\xef\xbb\xbfa = 1\n")
    assert load(path, max_bytes=1000)[0] == {"a": 1}


def test_only_one_bom_is_stripped(tmp_path: Path) -> None:
    path = tmp_path / "bom2.toml"
    path.write_bytes(b"\xef\xbb\xbf\xef\xbb\xbfa = 1\n")
    assert "invalid TOML" in fail(path)


def test_invalid_utf8_names_line(tmp_path: Path) -> None:
    path = tmp_path / "bad.toml"
    path.write_bytes(b'a = 1\nb = 2\nc = "\xff"\n')
    message = fail(path)
    assert message.startswith(f"{path}:3: ")
    assert "not valid UTF-8" in message


def test_invalid_toml_names_line(tmp_path: Path) -> None:
    path = tmp_path / "bad.toml"
    path.write_text('a = 1\n\nb = "unterminated\n')
    message = fail(path)
    assert message.startswith(f"{path}:3: invalid TOML: ")


def test_duplicate_key_is_invalid_toml(tmp_path: Path) -> None:
    path = tmp_path / "dup.toml"
    path.write_text("a = 1\na = 2\n")
    assert fail(path).startswith(f"{path}:2: a: is given twice (invalid TOML)")


def test_size_cap(tmp_path: Path) -> None:
    path = tmp_path / "big.toml"
    path.write_bytes(b"#" * 2000)
    assert "is too large" in fail(path, max_bytes=1000)
    assert load(path, max_bytes=2000)[0] == {}


@pytest.mark.parametrize(
    "text",
    [
        "a = " + "[" * 50_000 + "]" * 50_000,
        "a = " + "{b=" * 3000 + "1" + "}" * 3000,
        "a" + ".a" * 20_000 + " = 1",
    ],
    ids=["arrays", "inline-tables", "dotted-key"],
)
def test_deep_nesting_is_one_clean_error(text: str) -> None:
    start = time.monotonic()
    with pytest.raises(FileProblems) as info:
        parse(text, "deep.toml")
    assert time.monotonic() - start < 5
    assert str(info.value.problems[0]).startswith("deep.toml: invalid TOML")


def test_huge_integer_is_one_clean_error() -> None:
    with pytest.raises(FileProblems) as info:
        parse("a = " + "9" * 5000, "int.toml")
    assert str(info.value.problems[0]).startswith("int.toml")


def test_missing_file(tmp_path: Path) -> None:
    assert fail(tmp_path / "nope.toml").endswith("file not found")


def test_directory_is_refused(tmp_path: Path) -> None:
    message = fail(tmp_path)
    assert "directory" in message or "not a regular file" in message


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="POSIX only")
def test_fifo_is_refused_without_hanging(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe.toml"
    os.mkfifo(fifo)
    assert fail(fifo).endswith("is not a regular file")


@pytest.mark.skipif(not Path("/dev/zero").exists(), reason="POSIX only")
def test_device_is_refused() -> None:
    with pytest.raises(FileProblems):
        read_bytes(Path("/dev/zero"), max_bytes=100)


def test_symlink_refused_when_asked(tmp_path: Path) -> None:
    real = tmp_path / "real.toml"
    real.write_text("a = 1\n")
    link = tmp_path / "link.toml"
    link.symlink_to(real)
    assert load(link, max_bytes=100)[0] == {"a": 1}
    message = fail(link, allow_symlink=False)
    assert "symbolic link" in message
    assert read_text(real, max_bytes=100, allow_symlink=False) == "a = 1\n"


def test_permission_denied(tmp_path: Path) -> None:
    if os.geteuid() == 0:
        pytest.skip("root reads everything")
    path = tmp_path / "secret.toml"
    path.write_text("a = 1\n")
    path.chmod(0)
    assert fail(path).endswith("permission denied")


def test_line_finder_top_level_and_tables() -> None:
    text = 'a = 1\n"b" = 2\n\n[answers]\nq = 1\n r = { value = 2 }\n[other]\nq = 3\n'
    lines = LineFinder(text)
    assert lines.key_in_table(None, "a") == 1
    assert lines.key_in_table(None, "b") == 2
    assert lines.key_in_table("answers", "q") == 5
    assert lines.key_in_table("answers", "r") == 6
    assert lines.key_in_table("other", "q") == 8
    assert lines.key_in_table("answers", "missing") is None


def test_line_finder_is_silent_when_ambiguous() -> None:
    lines = LineFinder("[[q]]\nid = 1\n[[q]]\nid = 2\n")
    assert lines.key_in_table("q", "id") is None
    assert lines.array_item("q", 0) == 1
    assert lines.array_item("q", 1) == 3
    assert lines.array_item("q", 2) is None


def test_line_finder_counts_only_newlines() -> None:
    # U+2028 and form feeds inside strings are not TOML line ends.
    text = 'a = "x\u2028y\x0cz"\n[answers]\nq = 1\n'
    assert LineFinder(text).key_in_table("answers", "q") == 3
