from django.db import migrations

# The 12 kinds of Potensi dan Sumber Kesejahteraan Sosial (Permensos 8/2012, UU 11/2009),
# and local kinds the office tracks besides them. Editable data (Django admin).
# code, name, abbreviation, unit, official, counts as social volunteer, accreditable, order
KINDS = [
    ("pekerja_sosial", "Pekerja Sosial Profesional", "Peksos", "person", True, False, False, 1),
    ("psm", "Pekerja Sosial Masyarakat", "PSM", "person", True, True, False, 2),
    ("tagana", "Taruna Siaga Bencana", "Tagana", "person", True, False, False, 3),
    ("lks", "Lembaga Kesejahteraan Sosial", "LKS", "institution", True, False, True, 4),
    ("karang_taruna", "Karang Taruna", "KT", "institution", True, False, False, 5),
    ("lk3", "Lembaga Konsultasi Kesejahteraan Keluarga", "LK3", "institution", True, False, False, 6),
    ("keluarga_pioner", "Keluarga Pioner", "", "person", True, False, False, 7),
    (
        "wksbm",
        "Wahana Kesejahteraan Sosial Keluarga Berbasis Masyarakat",
        "WKSBM",
        "institution",
        True,
        False,
        False,
        8,
    ),
    ("wpks", "Wanita Pemimpin Kesejahteraan Sosial", "WPKS", "person", True, False, False, 9),
    ("penyuluh_sosial", "Penyuluh Sosial", "", "person", True, False, False, 10),
    ("tksk", "Tenaga Kesejahteraan Sosial Kecamatan", "TKSK", "person", True, False, False, 11),
    ("dunia_usaha", "Dunia Usaha", "", "institution", True, False, False, 12),
    # Not one of the 12, but counted by the office (LKjIP: "pendamping sosial").
    ("pendamping_sosial", "Pendamping Sosial (PKH, anak, disabilitas)", "", "person", False, False, False, 20),
]

# Fields of service of welfare institutions (LKS: anak, lanjut usia, penyandang disabilitas ...).
SERVICES = [
    ("anak", "Anak", 1),
    ("lanjut_usia", "Lanjut usia", 2),
    ("disabilitas", "Penyandang disabilitas", 3),
    ("fakir_miskin", "Fakir miskin", 4),
    ("tuna_sosial", "Tuna sosial (gelandangan, pengemis)", 5),
    ("napza", "Korban penyalahgunaan NAPZA", 6),
    ("korban_kekerasan", "Korban tindak kekerasan dan perdagangan orang", 7),
    ("keluarga", "Keluarga (konsultasi dan ketahanan keluarga)", 8),
    ("bencana", "Korban bencana", 9),
    ("perempuan", "Perempuan rawan sosial ekonomi", 10),
    ("pemuda", "Kepemudaan dan usaha ekonomi produktif", 11),
]


def seed_kinds(apps, schema_editor):
    PsksKind = apps.get_model("fieldwork", "PsksKind")
    for code, name, abbreviation, unit, official, volunteer, accreditable, order in KINDS:
        PsksKind.objects.update_or_create(
            code=code,
            defaults={
                "name": name,
                "abbreviation": abbreviation,
                "unit": unit,
                "official": official,
                "counts_as_volunteer": volunteer,
                "accreditable": accreditable,
                "order": order,
            },
        )


def seed_services(apps, schema_editor):
    PsksService = apps.get_model("fieldwork", "PsksService")
    for code, name, order in SERVICES:
        PsksService.objects.update_or_create(code=code, defaults={"name": name, "order": order})


def seed(apps, schema_editor):
    seed_kinds(apps, schema_editor)
    seed_services(apps, schema_editor)


class Migration(migrations.Migration):
    dependencies = [("fieldwork", "0001_initial")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
