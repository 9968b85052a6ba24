"""The notice's format by its content (magic bytes), the extension only breaking ties, and the
reader for it. Only the chosen reader's library is imported."""

from __future__ import annotations

import shutil
import subprocess
import tempfile
import zipfile
from pathlib import Path

from minsheng_cli.errors import UsageError
from minsheng_cli.i18n import _
from minsheng_cli.notice.table import Notice

MAX_BYTES = 50 * 1024 * 1024
OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
HTML_MARKS = (b"<!doctype html", b"<html", b"<table", b"<meta", b"<head", b"<body")


def kind_of(raw: bytes, path: Path) -> str:
    """docx, xlsx, pdf, doc (Word 97 or WPS), html or text."""
    if raw.startswith(b"PK\x03\x04"):
        return zip_kind(path)
    if raw.startswith(b"%PDF"):
        return "pdf"
    if raw.startswith(OLE):
        return "doc"
    head = raw[:4096].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if head.startswith(HTML_MARKS) or b"<table" in raw[:65536].lower():
        return "html"
    if b"\x00" in raw[:4096] and not raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise UsageError(
            _("{file} is not a notice minsheng can read (.docx, .html, .xlsx, .pdf, .txt)").format(
                file=path
            )
        )
    return "text"


def zip_kind(path: Path) -> str:
    try:
        with zipfile.ZipFile(path) as archive:
            names = set(archive.namelist())
    except (zipfile.BadZipFile, OSError) as error:
        raise UsageError(_("{file} is damaged: {error}").format(file=path, error=error)) from None
    if "word/document.xml" in names:
        return "docx"
    if "xl/workbook.xml" in names:
        return "xlsx"
    if "EncryptedPackage" in names or "EncryptionInfo" in names:
        raise UsageError(_("{file} is encrypted; save it without a password").format(file=path))
    raise UsageError(_("{file} is a ZIP archive, not a Word or Excel file").format(file=path))


def read_notice(path: Path) -> Notice:
    try:
        size = path.stat().st_size
        if size > MAX_BYTES:
            raise UsageError(
                _("{file} is {size} MB; a notice over 50 MB is not read").format(
                    file=path, size=size // (1024 * 1024)
                )
            )
        raw = path.read_bytes()
    except OSError as error:
        raise UsageError(
            _("cannot read {file}: {error}").format(file=path, error=error.strerror)
        ) from None
    kind = kind_of(raw, path)
    if kind == "docx":
        from minsheng_cli.notice.readers.docx import read_docx

        return read_docx(path)
    if kind == "xlsx":
        from minsheng_cli.notice.readers.xlsx import read_xlsx

        return read_xlsx(path)
    if kind == "pdf":
        from minsheng_cli.notice.readers.pdf import read_pdf

        return read_pdf(path)
    if kind == "html":
        from minsheng_cli.notice.readers.html import read_html

        return read_html(path, raw)
    if kind == "doc":
        return read_converted(path)
    from minsheng_cli.notice.readers.text import read_text

    return read_text(path, raw)


def read_converted(path: Path) -> Notice:
    """A .doc or .wps through LibreOffice (`soffice --headless --convert-to docx`)."""
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None:
        raise UsageError(
            _("{file} is an old Word or WPS file: install LibreOffice, or save it as .docx").format(
                file=path
            )
        )
    from minsheng_cli.notice.readers.docx import read_docx

    with tempfile.TemporaryDirectory() as folder:
        done = subprocess.run(
            [soffice, "--headless", "--convert-to", "docx", "--outdir", folder, str(path)],
            capture_output=True,
            timeout=120,
            check=False,
        )
        converted = Path(folder) / (path.stem + ".docx")
        if done.returncode != 0 or not converted.exists():
            raise UsageError(
                _("LibreOffice could not convert {file}; save it as .docx").format(file=path)
            )
        notice = read_docx(converted)
    notice.source = path
    return notice
