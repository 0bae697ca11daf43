from django.db import migrations

# The 26 kinds of PPKS (Permensos 8/2012, renamed by Permensos 5/2019) with the rules used in
# practice. Editable data (Django admin): the ministry changes the list.
# number, code, name, abbreviation, unit, min age, max age, sex, requires a disability type
CATEGORIES = [
    (1, "anak_balita_terlantar", "Anak Balita Terlantar", "ABT", "person", 0, 5, "", False),
    (2, "anak_terlantar", "Anak Terlantar", "AT", "person", 6, 18, "", False),
    (3, "anak_berhadapan_hukum", "Anak yang Berhadapan dengan Hukum", "ABH", "person", 6, 18, "", False),
    (4, "anak_jalanan", "Anak Jalanan", "Anjal", "person", 6, 18, "", False),
    (5, "anak_kedisabilitasan", "Anak dengan Kedisabilitasan", "ADK", "person", 6, 18, "", True),
    (6, "anak_korban_kekerasan", "Anak yang Menjadi Korban Tindak Kekerasan atau Diperlakukan Salah", "AKTK", "person", 6, 18, "", False),
    (7, "anak_perlindungan_khusus", "Anak yang Memerlukan Perlindungan Khusus", "AMPK", "person", 6, 18, "", False),
    (8, "lanjut_usia_terlantar", "Lanjut Usia Terlantar", "LUT", "person", 60, None, "", False),
    (9, "penyandang_disabilitas", "Penyandang Disabilitas", "PD", "person", None, None, "", True),
    (10, "tuna_susila", "Tuna Susila", "TS", "person", None, None, "", False),
    (11, "gelandangan", "Gelandangan", "", "person", None, None, "", False),
    (12, "pengemis", "Pengemis", "", "person", None, None, "", False),
    (13, "pemulung", "Pemulung", "", "person", None, None, "", False),
    (14, "kelompok_minoritas", "Kelompok Minoritas", "", "person", None, None, "", False),
    (15, "bekas_warga_binaan", "Bekas Warga Binaan Lembaga Pemasyarakatan", "BWBLP", "person", None, None, "", False),
    (16, "odha", "Orang dengan HIV/AIDS", "ODHA", "person", None, None, "", False),
    (17, "korban_napza", "Korban Penyalahgunaan NAPZA", "", "person", None, None, "", False),
    (18, "korban_trafficking", "Korban Perdagangan Orang", "", "person", None, None, "", False),
    (19, "korban_tindak_kekerasan", "Korban Tindak Kekerasan", "KTK", "person", None, None, "", False),
    (20, "pmbs", "Pekerja Migran Bermasalah Sosial", "PMBS", "person", None, None, "", False),
    (21, "korban_bencana_alam", "Korban Bencana Alam", "KBA", "both", None, None, "", False),
    (22, "korban_bencana_sosial", "Korban Bencana Sosial", "KBS", "both", None, None, "", False),
    (23, "perempuan_rawan_sosek", "Perempuan Rawan Sosial Ekonomi", "PRSE", "person", None, None, "P", False),
    (24, "fakir_miskin", "Fakir Miskin", "FM", "household", None, None, "", False),
    (25, "keluarga_bermasalah_psikologis", "Keluarga Bermasalah Sosial Psikologis", "KBSP", "household", None, None, "", False),
    (26, "komunitas_adat_terpencil", "Komunitas Adat Terpencil", "KAT", "household", None, None, "", False),
]


def seed_categories(apps, schema_editor):
    PpksCategory = apps.get_model("beneficiaries", "PpksCategory")
    for number, code, name, abbreviation, unit, min_age, max_age, sex, disability in CATEGORIES:
        PpksCategory.objects.update_or_create(
            code=code,
            defaults={
                "number": number,
                "name": name,
                "abbreviation": abbreviation,
                "unit": unit,
                "min_age": min_age,
                "max_age": max_age,
                "sex": sex,
                "requires_disability": disability,
            },
        )


class Migration(migrations.Migration):
    dependencies = [("beneficiaries", "0001_initial")]

    operations = [migrations.RunPython(seed_categories, migrations.RunPython.noop)]
