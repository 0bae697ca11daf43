"""The targeting figures kept per desa instead of per kecamatan (a write makes only its desa
out of date). The tables are derived: they are replaced, and everything is marked out of date
so that the first read computes them (forwards with the new tables, backwards with the old)."""

import django.db.models.deletion
from django.db import migrations, models


def mark_all(apps, schema_editor):
    """Every desa (forwards) or kecamatan (backwards) out of date: the next read recomputes."""
    apps.get_model("programs", "TargetingStale").objects.create()


class Migration(migrations.Migration):

    dependencies = [
        ("programs", "0005_figures_summary"),
        ("regions", "0001_initial"),
    ]

    operations = [
        # Backwards this runs last, on the per-kecamatan tables created again (empty).
        migrations.RunPython(migrations.RunPython.noop, mark_all),
        migrations.DeleteModel(name="TargetingStale"),
        migrations.DeleteModel(name="TargetingSummary"),
        migrations.CreateModel(
            name="TargetingSummary",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("households", models.PositiveIntegerField()),
                ("covered", models.PositiveIntegerField()),
                ("inclusion", models.PositiveIntegerField()),
                ("district", models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name="+", to="regions.district")),
                ("village", models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name="+", to="regions.village")),
                ("program", models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.CASCADE, related_name="+", to="programs.program")),
            ],
            options={
                "verbose_name": "targeting figures",
                "verbose_name_plural": "targeting figures",
                "indexes": [models.Index(fields=["program", "district"], name="targeting_summary_idx")],
            },
        ),
        migrations.CreateModel(
            name="TargetingStale",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("village", models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.CASCADE, related_name="+", to="regions.village")),
            ],
            options={
                "verbose_name": "targeting figures out of date",
                "verbose_name_plural": "targeting figures out of date",
            },
        ),
        migrations.RunPython(mark_all, migrations.RunPython.noop),
    ]
