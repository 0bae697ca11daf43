"""Photos from the field: checked by their content, not their name, and re-encoded.

A photo must be a real image (JPEG, PNG or WebP; phone cameras send JPEG) no larger than the
limit of the field work settings. It is turned upright (EXIF orientation), scaled to at most
``MAX_SIDE`` pixels and saved again as JPEG without any metadata, so that the position,
the phone model and the time stamp of the camera are never stored with the file. When the
form asks for a location, the GPS position found in the photo is kept as data (latitude and
longitude fields), not in the file.
"""

from __future__ import annotations

import io
import warnings
from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.utils.translation import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError

from welfare.formatting import format_number

ACCEPTED_FORMATS = {"JPEG", "MPO", "PNG", "WEBP", "GIF", "BMP"}
MAX_SIDE = 1600
JPEG_QUALITY = 82
MAX_PIXELS = 60_000_000  # a 60-megapixel picture is the largest a phone makes
GPS_IFD = 0x8825


@dataclass
class ProcessedPhoto:
    content: ContentFile
    original_name: str
    width: int
    height: int
    latitude: Decimal | None = None
    longitude: Decimal | None = None

    @property
    def size(self) -> int:
        return self.content.size


def _rational(value) -> float:
    try:
        return float(value)
    except (TypeError, ValueError, ZeroDivisionError):
        numerator, denominator = value
        return numerator / denominator


def _gps_position(image: Image.Image) -> tuple[Decimal, Decimal] | None:
    """The camera's GPS position in decimal degrees, if the photo carries one."""
    try:
        gps = image.getexif().get_ifd(GPS_IFD)
        lat_ref, lat, lon_ref, lon = gps.get(1), gps.get(2), gps.get(3), gps.get(4)
        if not (lat and lon):
            return None
        latitude = sum(_rational(v) / 60**i for i, v in enumerate(lat))
        longitude = sum(_rational(v) / 60**i for i, v in enumerate(lon))
    except Exception:
        return None
    if str(lat_ref).upper().startswith("S"):
        latitude = -latitude
    if str(lon_ref).upper().startswith("W"):
        longitude = -longitude
    if not (-90 <= latitude <= 90 and -180 <= longitude <= 180):
        return None
    return (
        Decimal(str(round(latitude, 6))),
        Decimal(str(round(longitude, 6))),
    )


def process_photo(upload, *, max_bytes: int, keep_location: bool, label: str) -> ProcessedPhoto:
    """Check one uploaded photo and re-encode it; ValidationError with a message naming the
    field and the file when it is not acceptable."""
    name = (getattr(upload, "name", "") or "").rsplit("/", 1)[-1][:200]
    size = getattr(upload, "size", None) or 0
    params = {"field": label, "name": name or _("(no name)")}
    if size > max_bytes:
        raise ValidationError(
            _(
                "%(field)s: the file %(name)s is %(size)s MB, larger than the limit of "
                "%(limit)s MB."
            ),
            code="too_large",
            params={
                **params,
                "size": format_number(size / 1024 / 1024, 1),
                "limit": format_number(max_bytes / 1024 / 1024, 0),
            },
        )
    not_an_image = ValidationError(
        _("%(field)s: the file %(name)s is not a photo (JPEG, PNG or WebP image)."),
        code="not_an_image",
        params=params,
    )
    try:
        upload.seek(0)
        data = upload.read()
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            probe = Image.open(io.BytesIO(data))
            if probe.format not in ACCEPTED_FORMATS:
                raise not_an_image
            if probe.width * probe.height > MAX_PIXELS:
                raise ValidationError(
                    _("%(field)s: the picture %(name)s has too many pixels."),
                    code="too_many_pixels",
                    params=params,
                )
            probe.verify()  # detects truncated or corrupt files
            image = Image.open(io.BytesIO(data))
            image.load()
    except ValidationError:
        raise
    except (
        UnidentifiedImageError,
        OSError,
        SyntaxError,
        ValueError,
        Image.DecompressionBombError,
        Image.DecompressionBombWarning,
    ) as exc:
        raise not_an_image from exc

    position = _gps_position(image) if keep_location else None
    image = ImageOps.exif_transpose(image)
    if image.mode not in ("RGB", "L"):
        background = Image.new("RGB", image.size, (255, 255, 255))
        rgba = image.convert("RGBA")
        background.paste(rgba, mask=rgba.getchannel("A"))
        image = background
    elif image.mode == "L":
        image = image.convert("RGB")
    image.thumbnail((MAX_SIDE, MAX_SIDE), Image.Resampling.LANCZOS)
    out = io.BytesIO()
    # No exif, no icc_profile, no comment: only the pixels are kept.
    image.save(out, format="JPEG", quality=JPEG_QUALITY, optimize=True)
    return ProcessedPhoto(
        content=ContentFile(out.getvalue(), name="photo.jpg"),
        original_name=name,
        width=image.width,
        height=image.height,
        latitude=position[0] if position else None,
        longitude=position[1] if position else None,
    )
