"""Files attached to a record (--attach): read, refused or kept, and stored once by content.

A file is read whole (no larger than ``evidence_limit_mb``), hashed, and stored as
``evidence/<2 hex>/<sha256><.ext>`` by an atomic write, before the record that names it; the
commit then carries both. A crash between the two leaves a stored file no record names: harmless
(it is never read), and the next attach of the same file uses it. The same content attached
again, to any record, is stored once.
"""

from __future__ import annotations

import hashlib
import re
import stat
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any, NamedTuple

from minsheng_cli.errors import UsageError, WriteRefused
from minsheng_cli.i18n import _
from minsheng_cli.ledger.model import EVIDENCE_DIR, Attachment, Workspace
from minsheng_cli.store.atomic import write_atomic
from minsheng_cli.text import file_size, format_amount

MB = 1024 * 1024
EVIDENCE_TRAILER = "Evidence"
"""The commit's trailer naming the stored files (evidence/3f/3f…9a.pdf, comma-separated)."""
SHA256 = re.compile(r"[0-9a-f]{64}")
LEFTOVER = re.compile(r"^\..+\.[A-Za-z0-9_]+\.tmp$")
"""A temporary file ``write_atomic`` made in an evidence folder and a killed write left there."""


class Attach(NamedTuple):
    """A file the clerk named: where it is, and the name to keep (its last part, made safe)."""

    source: Path
    name: str


class Evidence(NamedTuple):
    """A file read and accepted: what the record says of it, and its bytes."""

    attachment: Attachment
    content: bytes


def read_evidence(files: Sequence[Attach], workspace: Workspace) -> list[Evidence]:
    """Every file read whole, or a usage error naming the first that cannot be attached (missing,
    a folder, unreadable, over the limit). Nothing is written. The same content named twice is
    kept once."""
    limit = round(workspace.evidence_limit_mb * MB)
    found: dict[str, Evidence] = {}
    for attach in files:
        content = _read(attach.source, limit, workspace.evidence_limit_mb)
        digest = hashlib.sha256(content).hexdigest()
        found.setdefault(digest, Evidence(Attachment(attach.name, digest, len(content)), content))
    return list(found.values())


def _read(source: Path, limit: int, limit_mb: float) -> bytes:
    shown = str(source)
    try:
        info = source.stat()
        if stat.S_ISDIR(info.st_mode):
            raise UsageError(
                _("--attach {file}: that is a folder; name a file (nothing was recorded)").format(
                    file=shown
                )
            )
        if not stat.S_ISREG(info.st_mode):
            raise UsageError(
                _("--attach {file}: not a regular file; name a file (nothing was recorded)").format(
                    file=shown
                )
            )
        if info.st_size > limit:
            raise UsageError(too_large(shown, info.st_size, limit_mb))
        with source.open("rb") as handle:
            content = handle.read(limit + 1)
    except FileNotFoundError:
        raise UsageError(
            _("--attach {file}: no such file; check the name (nothing was recorded)").format(
                file=shown
            )
        ) from None
    except OSError as exc:
        raise UsageError(
            _("--attach {file}: cannot read it ({error}); nothing was recorded").format(
                file=shown, error=exc.strerror or exc
            )
        ) from None
    if len(content) > limit:  # it grew since it was looked at
        raise UsageError(too_large(shown, len(content), limit_mb))
    return content


def too_large(file: str, size: int, limit_mb: float) -> str:
    return _(
        "--attach {file}: {size} is more than the {limit} MB limit (evidence_limit_mb: in"
        " minsheng.yaml); attach a smaller copy (a scan at lower resolution, a compressed PDF)"
        " or raise the limit. Nothing was recorded"
    ).format(file=file, size=file_size(size), limit=format_amount(limit_mb))


def store_evidence(root: Path, evidence: Iterable[Evidence]) -> list[Path]:
    """Store each file under evidence/ unless the same content is there; the files this call
    wrote (for ``discard`` should the record be refused). The caller holds the workspace lock."""
    written: list[Path] = []
    for each in evidence:
        path = root / each.attachment.path
        if _holds(path, each.attachment):
            continue
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            write_atomic(path, each.content)
        except OSError as exc:
            discard(written)
            raise WriteRefused(
                _("could not store {file} as {path} ({error}); nothing was recorded").format(
                    file=each.attachment.name,
                    path=each.attachment.path,
                    error=exc.strerror or exc,
                )
            ) from exc
        written.append(path)
    return written


def _holds(path: Path, attachment: Attachment) -> bool:
    """Whether ``path`` already holds exactly this content (an earlier attach of the file)."""
    try:
        if not path.is_file() or path.stat().st_size != attachment.size:
            return False
        return hashlib.sha256(path.read_bytes()).hexdigest() == attachment.sha256
    except OSError:
        return False


def discard(written: Iterable[Path]) -> None:
    """Remove files this command stored, its record refused (none was there before it)."""
    for path in written:
        path.unlink(missing_ok=True)


def clear_evidence_leftovers(root: Path) -> None:
    """Remove the temporary files a killed write left in the evidence folders (under the lock)."""
    for path in evidence_leftovers(root):
        path.unlink(missing_ok=True)


def evidence_leftovers(root: Path) -> list[Path]:
    folder = root / EVIDENCE_DIR
    if not folder.is_dir():
        return []
    return sorted(
        path
        for sub in folder.iterdir()
        if sub.is_dir() and not sub.is_symlink()
        for path in sub.iterdir()
        if LEFTOVER.match(path.name) and path.is_file()
    )


def record_attachments(fields: Mapping[str, Any]) -> list[Attachment]:
    """The attachments a record's fields (as written, or read back from its line) name."""
    found = []
    for raw in fields.get("attachments") or ():
        digest = raw.get("sha256") if isinstance(raw, Mapping) else None
        if isinstance(digest, str) and SHA256.fullmatch(digest):
            found.append(Attachment(str(raw.get("name", "")), digest, 0))
    return found


def evidence_trailers(attachments: Sequence[Attachment]) -> dict[str, str]:
    """The trailer naming the stored files, none without attachments."""
    if not attachments:
        return {}
    return {EVIDENCE_TRAILER: ", ".join(a.path for a in attachments)}


def attachment_fields(evidence: Sequence[Evidence]) -> list[dict[str, Any]]:
    """The record's ``attachments:`` as written: name, sha256, size."""
    return [e.attachment._asdict() for e in evidence]
