from django.db import migrations

# The divisions of a Dinas Sosial Kabupaten/Kota (Perbup on its organisation); editable later.
BIDANG = [
    ("sekretariat", "Sekretariat", "Sekretariat", 1),
    ("dayasos", "Bidang Pemberdayaan Sosial", "Dayasos", 2),
    ("rehsos", "Bidang Rehabilitasi Sosial", "Rehsos", 3),
    ("linjamsos", "Bidang Penanganan Fakir Miskin, Perlindungan dan Jaminan Sosial", "Linjamsos", 4),
]


def seed(apps, schema_editor):
    Bidang = apps.get_model("accounts", "Bidang")
    for code, name, short_name, order in BIDANG:
        Bidang.objects.update_or_create(code=code, defaults={"name": name, "short_name": short_name, "order": order})


class Migration(migrations.Migration):
    dependencies = [("accounts", "0001_initial")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
