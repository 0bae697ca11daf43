"""Evidence files (bukti dukung) are checked by their content, not by their name: a PDF must
start like a PDF, an XLSX must be an Office Open XML workbook, and so on."""

from __future__ import annotations

import hashlib
import zipfile
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from welfare.formatting import format_number


@dataclass(frozen=True)
class Kind:
    content_type: str
    extensions: tuple[str, ...]
    label: str


PDF = Kind("application/pdf", (".pdf",), "PDF")
JPEG = Kind("image/jpeg", (".jpg", ".jpeg"), "JPEG")
PNG = Kind("image/png", (".png",), "PNG")
XLSX = Kind("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", (".xlsx",), "XLSX")
DOCX = Kind(
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document", (".docx",), "DOCX"
)
ACCEPTED = (PDF, JPEG, PNG, XLSX, DOCX)
ACCEPT_ATTRIBUTE = ",".join(ext for kind in ACCEPTED for ext in kind.extensions)


@dataclass(frozen=True)
class Inspected:
    kind: Kind
    size: int
    sha256: str


def _detect(upload) -> Kind | None:
    upload.seek(0)
    head = upload.read(8)
    upload.seek(0)
    if head.startswith(b"%PDF-"):
        return PDF
    if head.startswith(b"\xff\xd8\xff"):
        return JPEG
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return PNG
    if head.startswith(b"PK\x03\x04"):
        try:
            with zipfile.ZipFile(upload) as archive:
                names = set(archive.namelist())
        except (zipfile.BadZipFile, OSError):
            return None
        finally:
            upload.seek(0)
        if "[Content_Types].xml" in names:
            if any(n.startswith("xl/") for n in names):
                return XLSX
            if any(n.startswith("word/") for n in names):
                return DOCX
    return None


def inspect_upload(upload, *, max_bytes: int) -> Inspected:
    """Check an uploaded evidence file; raise ValidationError with a message in Bahasa
    Indonesia naming the file when it is not acceptable."""
    name = getattr(upload, "name", "") or ""
    size = getattr(upload, "size", None) or 0
    if size == 0:
        raise ValidationError(_("The file %(name)s is empty.") % {"name": name})
    if size > max_bytes:
        raise ValidationError(
            _("The file %(name)s is %(size)s MB; at most %(max)s MB is accepted.")
            % {
                "name": name,
                "size": format_number(size / 1024 / 1024, 1),
                "max": format_number(max_bytes / 1024 / 1024, 0),
            }
        )
    kind = _detect(upload)
    if kind is None:
        raise ValidationError(
            _(
                "The file %(name)s is not a PDF, JPEG, PNG, XLSX or DOCX document (its content "
                "was checked, not only its name)."
            )
            % {"name": name}
        )
    extension = "." + name.rsplit(".", 1)[-1].lower() if "." in name else ""
    if extension not in kind.extensions:
        raise ValidationError(
            _("The file %(name)s holds a %(kind)s document but its name does not end in %(ext)s.")
            % {"name": name, "kind": kind.label, "ext": kind.extensions[0]}
        )
    digest = hashlib.sha256()
    upload.seek(0)
    for chunk in upload.chunks() if hasattr(upload, "chunks") else [upload.read()]:
        digest.update(chunk)
    upload.seek(0)
    return Inspected(kind=kind, size=size, sha256=digest.hexdigest())
