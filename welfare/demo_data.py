"""Deterministic Indonesian-looking names for demo data and benchmark generators.

Never real people: combinations of common given names, drawn from a seeded random generator."""

import random

MALE_NAMES = [
    "Ahmad",
    "Agus",
    "Asep",
    "Budi",
    "Dedi",
    "Dadang",
    "Deni",
    "Eko",
    "Endang",
    "Fajar",
    "Hendra",
    "Iwan",
    "Jajang",
    "Joko",
    "Kurnia",
    "Mulyadi",
    "Nana",
    "Rahmat",
    "Ridwan",
    "Rudi",
    "Saepul",
    "Sarip",
    "Slamet",
    "Sukarna",
    "Supriadi",
    "Taufik",
    "Ujang",
    "Wahyu",
    "Yayan",
    "Yusuf",
]
FEMALE_NAMES = [
    "Aisyah",
    "Ani",
    "Cucu",
    "Dewi",
    "Eneng",
    "Euis",
    "Fitri",
    "Ida",
    "Imas",
    "Iis",
    "Lilis",
    "Mimin",
    "Neneng",
    "Nur",
    "Nurhayati",
    "Popon",
    "Ratna",
    "Rina",
    "Rohmah",
    "Siti",
    "Sri",
    "Titin",
    "Tuti",
    "Umi",
    "Wati",
    "Yati",
    "Yeni",
    "Yuli",
    "Entin",
    "Onah",
]
FAMILY_NAMES = [
    "Hidayat",
    "Saputra",
    "Rahayu",
    "Suryani",
    "Maulana",
    "Permana",
    "Kurniawan",
    "Nurjanah",
    "Setiawan",
    "Hasanah",
    "Sopian",
    "Mulyani",
    "Wijaya",
    "Fauzi",
    "Anwar",
    "Rohman",
    "Jaelani",
    "Sukmawati",
    "Hermawan",
    "Pratama",
    "Lestari",
    "Firmansyah",
    "Rosita",
    "Sunarya",
    "Ramdani",
]


def person_name(rng: random.Random, sex: str) -> str:
    given = rng.choice(MALE_NAMES if sex == "L" else FEMALE_NAMES)
    return f"{given} {rng.choice(FAMILY_NAMES)}"


def seeded(*parts) -> random.Random:
    """A random generator whose sequence depends only on ``parts`` (deterministic demos)."""
    return random.Random("|".join(str(p) for p in parts))
