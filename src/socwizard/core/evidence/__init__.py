"""Read a vendor's SOC report (PDF) locally: what it is, and its facts with page and quote.

The reader is pure: :func:`reader.read_pages` takes page texts; :mod:`sandbox` extracts
them from a PDF in a child process under time and memory limits.
"""
