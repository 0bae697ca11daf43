"""A deterministic registry file the size of Kabupaten Lebak's DTSEN, for the import benchmark.

    .venv/bin/python benchmarks/registry_generate.py /tmp/lebak.csv \\
        [--persons 1188871] [--families 311965] [--seed 36]

One row per person in the import format (``beneficiaries.importer.COLUMNS``), ``;``-separated
UTF-8 with a BOM (what Excel in Indonesia writes). Families are spread over the real villages
of Lebak (``regions/data``), family sizes 1-9 (mean near 3.8; the last families are sized so
that the totals are exact), about half the families in desil 1-5, valid NIKs (kecamatan code,
DDMMYY with day + 40 for women, a serial unique per kecamatan and date) and No. KKs. The same
arguments give the same file, byte for byte.
"""

import argparse
import csv
import datetime
import gzip
import random
import sys
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
HOME = "36.02"
HEADERS = [
    "No. KK", "NIK", "Nama", "Jenis Kelamin", "Tempat Lahir", "Tanggal Lahir",
    "Hubungan Keluarga", "Kode Desa", "Alamat", "RT", "RW", "Desil", "Tanggal Desil",
    "Status Hidup", "Tanggal Meninggal", "Jenis Disabilitas", "Tingkat Disabilitas", "No. HP",
]  # fmt: skip
SIZE_WEIGHTS = [8, 16, 22, 23, 15, 8, 5, 2, 1]  # sizes 1..9, mean 3.81
DESIL_WEIGHTS = [6, 6, 5, 4, 4, 5, 5, 5, 5, 5]  # half the families in desil 1-5
MALE = ["Ahmad", "Asep", "Dede", "Ujang", "Budi", "Iwan", "Jajang", "Ade", "Rahmat", "Yusuf"]
FEMALE = ["Siti", "Neng", "Euis", "Nur", "Dewi", "Tuti", "Ai", "Imas", "Rina", "Yati"]
FAMILY = ["Sunarya", "Hidayat", "Suryana", "Saepudin", "Mulyana", "Rohman", "Permana", "Hasan"]
STREETS = ["Kp. Cibeureum", "Kp. Babakan", "Kp. Pasir", "Kp. Sukamaju", "Kp. Cilember"]
TODAY = datetime.date(2026, 11, 1)
DESIL_DATE = "01-08-2026"


def lebak_villages() -> list[tuple[str, str]]:
    with gzip.open(ROOT / "regions/data/villages.csv.gz", "rt", encoding="utf-8") as handle:
        reader = csv.DictReader(handle)
        return [
            (row["code"], row["district_code"])
            for row in reader
            if row["district_code"].startswith(HOME + ".")
        ]


def family_sizes(rng: random.Random, families: int, persons: int) -> list[int]:
    sizes = rng.choices(range(1, 10), weights=SIZE_WEIGHTS, k=families)
    diff = persons - sum(sizes)
    index = 0
    while diff != 0:  # adjust one person at a time, keeping sizes within 1..9
        i = index % families
        if diff > 0 and sizes[i] < 9:
            sizes[i] += 1
            diff -= 1
        elif diff < 0 and sizes[i] > 1:
            sizes[i] -= 1
            diff += 1
        index += 7919  # a prime stride spreads the adjustment
    return sizes


def birth(rng: random.Random, age: int) -> datetime.date:
    return TODAY - datetime.timedelta(days=age * 365 + rng.randint(0, 360))


def generate(path: Path, *, persons: int, families: int, seed: int) -> None:
    rng = random.Random(seed)
    villages = lebak_villages()
    sizes = family_sizes(rng, families, persons)
    nik_serial: dict[str, int] = defaultdict(int)
    kk_serial: dict[str, int] = defaultdict(int)
    with path.open("w", encoding="utf-8-sig", newline="") as handle:
        writer = csv.writer(handle, delimiter=";")
        writer.writerow(HEADERS)
        for number, size in enumerate(sizes):
            village, district = villages[number % len(villages)]
            prefix = district.replace(".", "")
            issued = datetime.date(
                2010 + rng.randint(0, 15), rng.randint(1, 12), rng.randint(1, 28)
            )
            kk_key = f"{prefix}{issued:%d%m%y}"
            kk_serial[kk_key] += 1
            no_kk = f"{kk_key}{kk_serial[kk_key]:04d}"
            desil = rng.choices(range(1, 11), weights=DESIL_WEIGHTS)[0]
            address = f"{rng.choice(STREETS)} No. {rng.randint(1, 200)}"
            rt, rw = f"{rng.randint(1, 15):03d}", f"{rng.randint(1, 8):03d}"
            head_sex = "L" if rng.random() < 0.85 else "P"
            head_age = rng.randint(22, 85)
            surname = rng.choice(FAMILY)
            for member in range(size):
                if member == 0:
                    sex, age, relation = head_sex, head_age, "Kepala Keluarga"
                elif member == 1 and head_sex == "L":
                    sex, age, relation = "P", max(18, head_age - rng.randint(0, 8)), "Istri"
                else:
                    sex = rng.choice("LP")
                    age = rng.randint(0, max(0, min(35, head_age - 18)))
                    relation = "Anak"
                born = birth(rng, age)
                day = born.day + (40 if sex == "P" else 0)
                nik_key = f"{prefix}{day:02d}{born:%m%y}"
                nik_serial[nik_key] += 1
                first = rng.choice(MALE if sex == "L" else FEMALE)
                disability = "fisik" if rng.random() < 0.02 else ""
                writer.writerow(
                    [
                        no_kk, f"{nik_key}{nik_serial[nik_key]:04d}", f"{first} {surname}", sex,
                        "Lebak", born.strftime("%d-%m-%Y"), relation, village, address, rt, rw,
                        desil, DESIL_DATE, "Hidup", "", disability,
                        "berat" if disability else "", "",
                    ]
                )  # fmt: skip


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("path", type=Path)
    parser.add_argument("--persons", type=int, default=1_188_871)
    parser.add_argument("--families", type=int, default=311_965)
    parser.add_argument("--seed", type=int, default=36)
    args = parser.parse_args()
    if not args.families <= args.persons <= args.families * 9:
        parser.error("persons must be between families and 9 x families")
    generate(args.path, persons=args.persons, families=args.families, seed=args.seed)
    print(f"{args.path}: {args.persons} persons in {args.families} families")
    return 0


if __name__ == "__main__":
    sys.exit(main())
