"""Uploaded files: checked by their content (not their name), limited in size, and served back
only through access-checked views with a safe content type.

    kind = validate_upload(uploaded, allowed={"image", "pdf"}, max_bytes=5 * MB, field_label=...)
    return serve_file(record.evidence, filename="bukti.pdf")

Files are never served from MEDIA_URL by the app: a view checks access first.
"""

from __future__ import annotations

import io
import zipfile

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.http import FileResponse
from django.utils.translation import gettext as _

MB = 1024 * 1024

# What each kind is served as; anything else is served as a download of octet-stream.
CONTENT_TYPES = {
    "image/jpeg": "image/jpeg",
    "image/png": "image/png",
    "image/webp": "image/webp",
    "pdf": "application/pdf",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "csv": "text/csv; charset=utf-8",
}
KIND_LABELS = {
    "image": "JPEG/PNG/WEBP",
    "pdf": "PDF",
    "xlsx": "XLSX",
    "csv": "CSV",
}


def _head(file, size: int = 8192) -> bytes:
    position = file.tell() if hasattr(file, "tell") else 0
    file.seek(0)
    data = file.read(size)
    file.seek(position)
    return data


def detect_kind(file) -> str | None:
    """'image/jpeg', 'image/png', 'image/webp', 'pdf', 'xlsx', 'csv' or None, from the bytes."""
    head = _head(file)
    if head.startswith(b"\xff\xd8\xff"):
        return "image/jpeg"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "image/png"
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "image/webp"
    if head.startswith(b"%PDF-"):
        return "pdf"
    if head.startswith(b"PK\x03\x04"):
        file.seek(0)
        try:
            with zipfile.ZipFile(file) as archive:
                names = set(archive.namelist())
        except zipfile.BadZipFile:
            return None
        finally:
            file.seek(0)
        if "[Content_Types].xml" in names and any(n.startswith("xl/") for n in names):
            return "xlsx"
        return None
    if b"\x00" in head:
        return None
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            head.decode(encoding)
        except UnicodeDecodeError:
            continue
        return "csv"
    return None


def _verify_image(file) -> None:
    from PIL import Image, UnidentifiedImageError

    file.seek(0)
    try:
        with Image.open(file) as image:
            image.verify()
    except (UnidentifiedImageError, OSError, SyntaxError) as exc:
        raise ValidationError(_("The image file is damaged or is not a real image.")) from exc
    finally:
        file.seek(0)


def validate_upload(
    file: UploadedFile, *, allowed: set[str], max_bytes: int, field_label: str | None = None
) -> str:
    """Check an uploaded file; return its detected kind or raise ValidationError (Indonesian)."""
    label = field_label or _("The file")
    if file.size is not None and file.size > max_bytes:
        raise ValidationError(
            _("%(label)s is %(size)s MB; at most %(max)s MB is accepted.")
            % {
                "label": label,
                "size": f"{file.size / MB:.1f}".replace(".", ","),
                "max": f"{max_bytes / MB:g}".replace(".", ","),
            }
        )
    if file.size == 0:
        raise ValidationError(_("%(label)s is empty.") % {"label": label})
    kind = detect_kind(file)
    family = "image" if kind and kind.startswith("image/") else kind
    if family not in allowed:
        expected = ", ".join(KIND_LABELS[k] for k in sorted(allowed))
        raise ValidationError(
            _(
                "%(label)s is not an accepted file: expected %(expected)s (checked by its content, not its name)."
            )
            % {"label": label, "expected": expected}
        )
    if family == "image":
        _verify_image(file)
    return kind


def strip_image_metadata(file, *, max_side: int = 2000) -> io.BytesIO:
    """Re-encode an image as JPEG without its metadata (EXIF location, camera), scaled down to
    ``max_side`` pixels: what a phone photo needs before it is stored."""
    from PIL import Image, ImageOps

    file.seek(0)
    with Image.open(file) as image:
        image = ImageOps.exif_transpose(image).convert("RGB")
        image.thumbnail((max_side, max_side))
        out = io.BytesIO()
        image.save(out, format="JPEG", quality=85, optimize=True)
    out.seek(0)
    return out


def serve_file(field_file, *, filename: str | None = None, inline: bool = True) -> FileResponse:
    """Serve a stored file after the caller checked access. Images and PDF are shown inline with
    their real type; everything else is a download. The response can never run as a page."""
    with field_file.open("rb") as handle:
        kind = detect_kind(handle)
    content_type = CONTENT_TYPES.get(kind or "", "application/octet-stream")
    name = filename or field_file.name.rsplit("/", 1)[-1]
    show_inline = inline and kind in {"image/jpeg", "image/png", "image/webp", "pdf"}
    response = FileResponse(
        field_file.open("rb"),
        as_attachment=not show_inline,
        filename=name,
        content_type=content_type,
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response["Cache-Control"] = "private, no-store"
    return response
