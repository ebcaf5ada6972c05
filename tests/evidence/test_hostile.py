"""Hostile and broken documents: one clear line each, nothing written, bounded time and memory."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from socwizard.core.evidence.sandbox import EvidenceError, Limits, read_report

from .pdfgen import bomb_pdf, build_pdf, image_only_pdf, raw_pdf

SOC3 = (Path(__file__).parent / "reports" / "soc3.txt").read_text()


def _reason(path: Path, **kwargs: object) -> tuple[str, str]:
    with pytest.raises(EvidenceError) as info:
        read_report(path, **kwargs)  # type: ignore[arg-type]
    message = info.value.first_line
    assert "\n" not in message and "Traceback" not in message
    assert message.startswith(str(path)), message
    return info.value.reason, message


def test_not_a_pdf(tmp_path: Path) -> None:
    path = tmp_path / "report.pdf"
    path.write_text("title = 'not a pdf'\n")
    reason, message = _reason(path)
    assert reason == "not_pdf" and "not a PDF" in message


def test_empty_file(tmp_path: Path) -> None:
    path = tmp_path / "empty.pdf"
    path.write_bytes(b"")
    assert _reason(path)[0] == "empty"


def test_truncated(tmp_path: Path) -> None:
    data = build_pdf(SOC3)
    path = tmp_path / "cut.pdf"
    path.write_bytes(data[: len(data) // 2])
    reason, message = _reason(path)
    assert reason == "truncated" and "download" in message


def test_corrupt_body(tmp_path: Path) -> None:
    path = tmp_path / "corrupt.pdf"
    path.write_bytes(b"%PDF-1.7\n" + bytes(range(256)) * 40 + b"\n%%EOF\n")
    reason, message = _reason(path)
    assert reason in ("corrupt", "empty"), message


def test_encrypted_needs_its_password(tmp_path: Path) -> None:
    path = tmp_path / "nda.pdf"
    path.write_bytes(build_pdf(SOC3, password="s3cret"))
    reason, message = _reason(path)
    assert reason == "encrypted" and "--password" in message
    assert _reason(path, password="wrong")[0] == "wrong_password"
    report = read_report(path, password="s3cret")
    assert report.value("kind") == "soc3"


def test_scan_without_text_layer(tmp_path: Path) -> None:
    path = tmp_path / "scan.pdf"
    path.write_bytes(image_only_pdf())
    reason, message = _reason(path)
    assert reason == "no_text" and "OCR" in message and "text layer" in message


def test_decompression_bomb(tmp_path: Path) -> None:
    path = tmp_path / "bomb.pdf"
    path.write_bytes(bomb_pdf())
    reason, message = _reason(path)
    assert reason == "bomb", message


def test_page_and_byte_caps(tmp_path: Path) -> None:
    path = tmp_path / "report.pdf"
    path.write_bytes(build_pdf(SOC3))
    reason, message = _reason(path, limits=Limits(max_pages=2))
    assert reason == "too_many_pages" and "3 pages" in message
    reason, message = _reason(path, limits=Limits(max_bytes=1000))
    assert "too large" in message


def test_wall_timeout_kills_the_child(tmp_path: Path) -> None:
    path = tmp_path / "report.pdf"
    path.write_bytes(build_pdf(SOC3))
    reason, message = _reason(path, limits=Limits(wall_seconds=0.01))
    assert reason == "timeout" and "stopped" in message


def test_memory_cap_is_enforced(tmp_path: Path) -> None:
    """With too little address space the child fails; the parent reports one line."""
    path = tmp_path / "report.pdf"
    path.write_bytes(build_pdf(SOC3))
    reason, _ = _reason(path, limits=Limits(memory_bytes=8 * 1024 * 1024))
    assert reason in ("memory", "crashed")


def test_not_a_regular_file(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe.pdf"
    os.mkfifo(fifo)
    assert "not a regular file" in _reason(fifo)[1]
    assert "not found" in _reason(tmp_path / "missing.pdf")[1]
    assert "not a regular file" in _reason(tmp_path)[1]


def test_hand_written_pdf_reads(tmp_path: Path) -> None:
    path = tmp_path / "tiny.pdf"
    text = b"(SOC 3 Report on the controls of Tiny Co. relevant to security, a general use report.) Tj"
    path.write_bytes(raw_pdf(b"BT /F1 12 Tf 72 720 Td " + text + b" ET"))
    report = read_report(path)
    assert report.pages == 1 and report.value("kind") == "soc3"
    assert len(report.sha256) == 64
