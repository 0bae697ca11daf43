"""Demo regions and users of every role for Kabupaten Lebak."""

import functools
import io

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.core.files.base import ContentFile
from django.utils.text import slugify
from django.utils.translation import gettext as _
from rest_framework.authtoken.models import Token

from regions.models import District
from regions.services import regions_load
from welfare.demo_data import person_name, seeded
from welfare.selectors import agency_get

from .access import Role
from .models import Bidang, User

DEMO_PASSWORD = "Demo-Lebak-2026"
DEMO_API_TOKEN = "demo0api0token0lebak00000000000000000000"

STAFF = [
    # username, role, bidang code, first name, last name, position
    ("admin", Role.ADMIN, None, "Admin", "Sistem", "Pranata Komputer"),
    ("kadis", Role.KEPALA_DINAS, None, "Kepala", "Dinas", "Kepala Dinas Sosial"),
    (
        "kabid.dayasos",
        Role.KEPALA_BIDANG,
        "dayasos",
        "Kabid",
        "Dayasos",
        "Kepala Bidang Pemberdayaan Sosial",
    ),
    (
        "kabid.rehsos",
        Role.KEPALA_BIDANG,
        "rehsos",
        "Kabid",
        "Rehsos",
        "Kepala Bidang Rehabilitasi Sosial",
    ),
    (
        "kabid.linjamsos",
        Role.KEPALA_BIDANG,
        "linjamsos",
        "Kabid",
        "Linjamsos",
        "Kepala Bidang Linjamsos",
    ),
    (
        "kasubag.program",
        Role.KEPALA_BIDANG,
        "sekretariat",
        "Kasubag",
        "Program",
        "Kepala Subbagian Program",
    ),
    (
        "operator.sekretariat",
        Role.OPERATOR,
        "sekretariat",
        "Operator",
        "Sekretariat",
        "Operator Subbagian Program",
    ),
    (
        "operator.dayasos",
        Role.OPERATOR,
        "dayasos",
        "Operator",
        "Dayasos",
        "Operator Bidang Pemberdayaan Sosial",
    ),
    (
        "operator.rehsos",
        Role.OPERATOR,
        "rehsos",
        "Operator",
        "Rehsos",
        "Operator Bidang Rehabilitasi Sosial",
    ),
    (
        "operator.linjamsos",
        Role.OPERATOR,
        "linjamsos",
        "Operator",
        "Linjamsos",
        "Operator Bidang Linjamsos",
    ),
    ("auditor", Role.AUDITOR, None, "Auditor", "Inspektorat", "Auditor Inspektorat"),
    ("api", Role.API_CLIENT, None, "Dasbor", "Bappeda", "Klien API"),
]


def tksk_username(district: District) -> str:
    return "tksk." + slugify(district.name).replace("-", "")


def seed(*, stdout) -> None:
    home = settings.WELFARE_HOME_REGENCY
    if not District.objects.filter(regency_id=home).exists():
        result = regions_load(regency_codes=[home])
        stdout.write(f"  wilayah: {result.districts} kecamatan, {result.villages} desa/kelurahan")

    agency = agency_get()
    if not agency.head_name:
        agency.name = "Dinas Sosial Kabupaten Lebak"
        agency.regency_id = home
        agency.address = "Jl. Siti Rohmah Subroto No. 1, Rangkasbitung, Lebak, Banten"
        agency.phone = "(0252) 201234"
        agency.email = "dinsos@lebakkab.go.id"
        agency.head_name = "Dr. H. Contoh Kepala, M.Si."
        agency.head_nip = "197001011995031001"
        agency.head_title = "Kepala Dinas Sosial Kabupaten Lebak"
        agency.save()
    if not agency.logo:
        # A plain emblem of the demo's own making (the office uploads its real logo on the
        # agency page), so that the demo LKjIP has a cover as the report's would.
        agency.logo.save("logo-demo.png", ContentFile(_demo_logo()), save=True)

    bidang = {b.code: b for b in Bidang.objects.all()}
    for username, role, bidang_code, first, last, position in STAFF:
        _ensure_user(
            username,
            role=role,
            bidang=bidang.get(bidang_code) if bidang_code else None,
            first_name=first,
            last_name=last,
            position=position,
            is_staff=role == Role.ADMIN,
            is_superuser=role == Role.ADMIN,
        )
    Token.objects.get_or_create(
        user=User.objects.get(username="api"), defaults={"key": DEMO_API_TOKEN}
    )

    for district in District.objects.filter(regency_id=home).order_by("code"):
        rng = seeded("tksk", district.code)
        sex = rng.choice("LP")
        first, _sep, last = person_name(rng, sex).partition(" ")
        _ensure_user(
            tksk_username(district),
            role=Role.TKSK,
            district=district,
            first_name=first,
            last_name=last,
            position=f"TKSK Kecamatan {district.name}",
        )


@functools.cache
def _demo_password_hash() -> str:
    # Hashing is deliberately slow; hash once and give every demo account the same hash.
    return make_password(DEMO_PASSWORD)


def _ensure_user(username: str, **fields) -> User:
    user = User.objects.filter(username=username).first()
    if user is None:
        user = User(username=username, password=_demo_password_hash(), **fields)
        user.save()
    return user


def print_logins(stdout) -> None:
    stdout.write("")
    stdout.write(
        _("Demo accounts (the password of every account: %(password)s):")
        % {"password": DEMO_PASSWORD}
    )
    for username, role, *_rest in STAFF:
        stdout.write(f"  {username:<22} {Role(role).label}")
    example = User.objects.filter(role=Role.TKSK).order_by("district_id").first()
    if example:
        note = _("one per kecamatan: tksk.<kecamatan name>")
        stdout.write(f"  {example.username:<22} {Role.TKSK.label} ({note})")
    stdout.write(_("API token of the API client: %(token)s") % {"token": DEMO_API_TOKEN})


def _demo_logo() -> bytes:
    """A 240 x 280 PNG: a blue shield with a gold border and a gold five-pointed star."""
    import math

    from PIL import Image, ImageDraw

    image = Image.new("RGBA", (240, 280), (255, 255, 255, 0))
    draw = ImageDraw.Draw(image)
    shield = [(20, 20), (220, 20), (220, 150), (120, 265), (20, 150)]
    draw.polygon(shield, fill=(13, 71, 161), outline=(255, 193, 7), width=8)
    star = [
        (
            120 + (60 if k % 2 == 0 else 25) * math.sin(math.pi * k / 5),
            120 - (60 if k % 2 == 0 else 25) * math.cos(math.pi * k / 5),
        )
        for k in range(10)
    ]
    draw.polygon(star, fill=(255, 193, 7))
    buffer = io.BytesIO()
    image.save(buffer, format="PNG", optimize=True)
    return buffer.getvalue()
