"""Text of a PDF's pages with pypdf; every way a PDF can fail becomes a :class:`PdfProblem`.

This runs inside the child process of :mod:`sandbox` (under time and memory limits).
"""

from __future__ import annotations

import io

MIN_TEXT_CHARS = 40  # less text than this on (nearly) every page: a scan without a text layer


class PdfProblem(Exception):
    """Why a PDF cannot be read; ``reason`` is a stable code, the message one plain line."""

    def __init__(self, reason: str, message: str) -> None:
        super().__init__(message)
        self.reason = reason
        self.message = message


def extract_pages(data: bytes, *, password: str | None, max_pages: int, max_chars: int) -> list[str]:
    """Each page's text, in order; raise :class:`PdfProblem` when that is not possible."""
    from pypdf import PdfReader
    from pypdf.errors import DependencyError, FileNotDecryptedError, LimitReachedError, PyPdfError

    try:
        reader = PdfReader(io.BytesIO(data), strict=False)
        if reader.is_encrypted:
            if password is None:
                # Many PDFs carry only an owner password (no opening password): try the empty one.
                if not reader.decrypt(""):
                    raise PdfProblem(
                        "encrypted", "is encrypted (password-protected): give its password with --password"
                    )
            elif not reader.decrypt(password):
                raise PdfProblem("wrong_password", "is encrypted and the password given does not open it")
        count = len(reader.pages)
        if count == 0:
            raise PdfProblem("empty", "has no pages")
        if count > max_pages:
            raise PdfProblem("too_many_pages", f"has {count:,} pages; the limit is {max_pages:,}")
        pages: list[str] = []
        total = 0
        for page in reader.pages:
            text = page.extract_text() or ""
            total += len(text)
            if total > max_chars:
                raise PdfProblem("too_much_text", f"holds more than {max_chars:,} characters of text")
            pages.append(text)
    except PdfProblem:
        raise
    except FileNotDecryptedError:
        raise PdfProblem(
            "encrypted", "is encrypted (password-protected): give its password with --password"
        ) from None
    except DependencyError as exc:
        raise PdfProblem("unsupported", f"uses a feature this installation cannot read ({exc})") from None
    except LimitReachedError:
        raise PdfProblem(
            "bomb", "expands beyond the decompression limit (a decompression bomb?); it was not read"
        ) from None
    except RecursionError:
        raise PdfProblem("corrupt", "is damaged: its structure nests without end") from None
    except MemoryError:
        raise PdfProblem("memory", "needed more memory than the reader allows; it was not read") from None
    except (
        PyPdfError,
        ValueError,
        KeyError,
        TypeError,
        AttributeError,
        IndexError,
        OSError,
        AssertionError,
    ) as exc:
        raise PdfProblem("corrupt", f"is damaged and cannot be read ({type(exc).__name__}: {exc})") from None
    if sum(1 for text in pages if len(text.strip()) >= MIN_TEXT_CHARS) < max(1, len(pages) // 10):
        raise PdfProblem(
            "no_text",
            "has no text layer (a scanned document?): ask the vendor for the original PDF, "
            "or make a text copy with OCR, e.g. `ocrmypdf --sidecar report.txt in.pdf out.pdf`",
        )
    return pages
