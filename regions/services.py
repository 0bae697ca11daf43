"""Loading the Kemendagri region tables shipped in regions/data."""

import csv
import gzip
import io
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from django.db import transaction

from .models import District, Province, Regency, Village

DATA_DIR = Path(__file__).resolve().parent / "data"
BATCH_SIZE = 5000


@dataclass(frozen=True)
class RegionLoadResult:
    provinces: int
    regencies: int
    districts: int
    villages: int


def _rows(name: str) -> Iterator[dict[str, str]]:
    with gzip.open(DATA_DIR / f"{name}.csv.gz", "rb") as raw:
        yield from csv.DictReader(io.TextIOWrapper(raw, encoding="utf-8", newline=""))


def _upsert(model, objects: list, update_fields: list[str]) -> int:
    for start in range(0, len(objects), BATCH_SIZE):
        model.objects.bulk_create(
            objects[start : start + BATCH_SIZE],
            update_conflicts=True,
            unique_fields=["code"],
            update_fields=update_fields,
        )
    return len(objects)


def _regency_kind(name: str) -> str:
    return Regency.Kind.KOTA if name.lower().startswith("kota") else Regency.Kind.KABUPATEN


@transaction.atomic
def regions_load(*, regency_codes: list[str] | None = None) -> RegionLoadResult:
    """Insert or update the region tables; idempotent.

    All provinces, regencies and kecamatan are always loaded (a NIK's region prefix is checked
    against every kecamatan of Indonesia). Villages are loaded for the given regencies only, or
    for the whole country when ``regency_codes`` is None.
    """
    provinces = [Province(code=r["code"], name=r["name"]) for r in _rows("provinces")]
    regencies = [
        Regency(
            code=r["code"],
            province_id=r["province_code"],
            name=r["name"],
            kind=_regency_kind(r["name"]),
        )
        for r in _rows("regencies")
    ]
    districts = [
        District(code=r["code"], regency_id=r["regency_code"], name=r["name"])
        for r in _rows("districts")
    ]
    wanted = tuple(f"{code}." for code in regency_codes) if regency_codes else None
    villages = [
        Village(
            code=r["code"],
            district_id=r["district_code"],
            name=r["name"],
            kind=Village.kind_for_code(r["code"]),
        )
        for r in _rows("villages")
        if wanted is None or r["code"].startswith(wanted)
    ]
    return RegionLoadResult(
        provinces=_upsert(Province, provinces, ["name"]),
        regencies=_upsert(Regency, regencies, ["name", "province", "kind"]),
        districts=_upsert(District, districts, ["name", "regency"]),
        villages=_upsert(Village, villages, ["name", "district", "kind"]),
    )
