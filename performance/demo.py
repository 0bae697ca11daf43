"""Demo: SAKIP of Dinas Sosial Kabupaten Lebak.

Two strategic plans (Renstra 2019-2024 and 2025-2029), the agreements of 2021-2026 (2025 with
its revision), the budget of every year in the Kemendagri nomenclature with monthly
realization, quarterly realizations of every indicator, and the SPM figures of 2024-2025.

The 2025 figures are those of the Lebak LKjIP 2025 (DOMAIN.md): IKM 84,61 of 85 (99,54 %),
Tingkat Kemiskinan 8,03 against 8,23 (102,49 %), Indeks Kesejahteraan Sosial 47,25 of 45,82
(103,12 %), Nilai SAKIP not in yet (0 %, the evaluation comes in March 2026): sasaran 1 = 49,77
(Sangat Rendah), sasaran 2 = 102,81 (Sangat Tinggi), the year 76,29 (Tinggi). The 2025 budget:
pagu Rp11.778.490.236 after revision (Rp11.358.438.794 before), realization Rp11.223.919.920;
sasaran 1 absorbs 95,09 %.

Deterministic (a seeded generator) and idempotent (nothing is done when the 2025-2029 Renstra
exists). Rows are written in bulk; the figures follow the same rules as the services.
"""

from __future__ import annotations

import datetime
import hashlib
from decimal import Decimal

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from accounts.models import Bidang, User
from welfare.demo_data import seeded

from . import calculations as calc
from .models import (
    Agreement,
    AgreementTarget,
    BudgetLine,
    BudgetRealization,
    Evidence,
    Indicator,
    Kegiatan,
    Program,
    Realization,
    Renstra,
    RenstraTarget,
    Sasaran,
    SasaranProgram,
    SpmAchievement,
    SpmService,
    SubKegiatan,
    Tujuan,
)
from .sources import budget_absorption

D = Decimal
APPROVED = Realization.Status.APPROVED

# Sub kegiatan with a budget: code -> (indicator, unit, yearly target 2025, rule,
# pagu after revision 2025 or None for the program's remainder).
LINES = {
    "1.06.01.2.01.0001": ("Jumlah dokumen perencanaan perangkat daerah", "Dokumen", 3, "sum", 32662000),
    "1.06.01.2.01.0006": ("Jumlah laporan capaian kinerja dan ikhtisar realisasi kinerja SKPD", "Laporan", 12, "sum", 174270000),
    "1.06.01.2.02.0001": ("Jumlah ASN yang menerima gaji dan tunjangan", "Orang/Bulan", 29, "last", 3498175536),
    "1.06.01.2.06.0001": ("Jumlah paket komponen instalasi listrik/penerangan kantor", "Paket", 1, "sum", 3454200),
    "1.06.01.2.06.0002": ("Jumlah paket peralatan dan perlengkapan kantor", "Paket", 3, "sum", 60320000),
    "1.06.01.2.06.0004": ("Jumlah paket bahan logistik kantor", "Paket", 702, "sum", 12428000),
    "1.06.01.2.06.0005": ("Jumlah paket barang cetakan dan penggandaan", "Paket", 4, "sum", 22700700),
    "1.06.01.2.06.0006": ("Jumlah dokumen bahan bacaan dan peraturan perundang-undangan", "Dokumen", 24, "sum", 1100000),
    "1.06.01.2.06.0007": ("Jumlah paket bahan/material", "Paket", 4, "sum", 27924000),
    "1.06.01.2.06.0009": ("Jumlah laporan rapat koordinasi dan konsultasi SKPD", "Laporan", 12, "sum", 54050000),
    "1.06.01.2.08.0002": ("Jumlah laporan jasa komunikasi, sumber daya air dan listrik", "Laporan", 12, "sum", 132610200),
    "1.06.01.2.08.0004": ("Jumlah laporan jasa pelayanan umum kantor", "Laporan", 12, "sum", 307011239),
    "1.06.01.2.09.0002": ("Jumlah kendaraan dinas operasional yang dipelihara", "Unit", 7, "last", 118883650),
    "1.06.01.2.09.0006": ("Jumlah peralatan dan mesin yang dipelihara", "Unit", 18, "last", 11370000),
    "1.06.01.2.09.0009": ("Jumlah gedung kantor yang dipelihara/direhabilitasi", "Unit", 2, "last", None),
    "1.06.02.2.03.0001": ("Jumlah PSM yang meningkat kapasitasnya", "Orang", 100, "sum", 65000000),
    "1.06.02.2.03.0002": ("Jumlah TKSK yang meningkat kapasitasnya", "Orang", 28, "sum", 266565000),
    "1.06.02.2.03.0003": ("Jumlah keluarga pioner yang meningkat kapasitasnya", "Keluarga", 10, "sum", 11350000),
    "1.06.02.2.03.0004": ("Jumlah lembaga kesejahteraan sosial yang meningkat kapasitasnya", "Lembaga", 20, "sum", None),
    "1.06.03.2.01.0001": ("Jumlah warga negara migran korban tindak kekerasan yang dipulangkan", "Orang", 10, "sum", None),
    "1.06.04.2.01.0001": ("Jumlah PPKS yang mendapatkan permakanan", "Orang", 275, "sum", 60025000),
    "1.06.04.2.01.0002": ("Jumlah PPKS yang mendapatkan sandang", "Orang", 68, "sum", 24280000),
    "1.06.04.2.01.0003": ("Jumlah PPKS yang mendapatkan alat bantu", "Orang", 24, "sum", 40000000),
    "1.06.04.2.01.0005": ("Jumlah PPKS yang mendapatkan bimbingan fisik, mental, spiritual dan sosial", "Orang", 45, "sum", 8925000),
    "1.06.04.2.01.0009": ("Jumlah PPKS yang mendapatkan layanan data dan pengaduan", "Orang", 120, "sum", 12070000),
    "1.06.04.2.01.0011": ("Jumlah PPKS yang mendapatkan layanan penelusuran keluarga", "Orang", 10, "sum", 4200000),
    "1.06.04.2.01.0012": ("Jumlah PPKS yang mendapatkan layanan reunifikasi keluarga", "Orang", 10, "sum", 4000000),
    "1.06.04.2.02.0001": ("Jumlah PMKS lainnya yang mendapatkan layanan data dan pengaduan", "Orang", 20, "sum", 9900000),
    "1.06.04.2.02.0003": ("Jumlah PMKS lainnya yang mendapatkan permakanan", "Orang", 220, "sum", 140100000),
    "1.06.04.2.02.0007": ("Jumlah PMKS lainnya yang mendapatkan bimbingan fisik, mental, spiritual dan sosial", "Orang", 20, "sum", 4100000),
    "1.06.04.2.02.0008": ("Jumlah keluarga PMKS lainnya yang mendapatkan bimbingan sosial", "Keluarga", 20, "sum", None),
    "1.06.05.2.02.0001": ("Jumlah rumah tangga miskin yang didata", "Rumah Tangga", 10002, "sum", 29665000),
    "1.06.05.2.02.0002": ("Jumlah data keluarga miskin yang dikelola", "Keluarga", 25212, "last", 381088200),
    "1.06.05.2.02.0003": ("Jumlah keluarga yang difasilitasi bantuan sosial kesejahteraan keluarga", "Keluarga", 4229, "sum", None),
    "1.06.06.2.01.0001": ("Jumlah korban bencana yang mendapatkan makanan", "Orang", 600, "sum", 186367000),
    "1.06.06.2.01.0002": ("Jumlah korban bencana yang mendapatkan sandang", "Orang", 600, "sum", None),
    "1.06.07.2.01.0002": ("Jumlah taman makam pahlawan yang dipelihara", "Makam", 1, "last", None),
}  # fmt: skip

# Pagu after revision 2025 per program (sasaran 1 = 1.06.01; sasaran 2 = the others).
PROGRAM_PAGU_2025 = {
    "1.06.01": 4574317536,
    "1.06.02": 396935000,
    "1.06.03": 15000000,
    "1.06.04": 478204000,
    "1.06.05": 5957953700,
    "1.06.06": 344367000,
    "1.06.07": 11713000,
}
PAGU_MURNI_2025 = 11358438794
REALIZATION_2025 = 11223919920
REALIZATION_SASARAN_1_2025 = 4349718545  # 95,09 % of the program 1.06.01
PROGRAM_BIDANG = {
    "1.06.01": "sekretariat",
    "1.06.02": "dayasos",
    "1.06.03": "rehsos",
    "1.06.04": "rehsos",
    "1.06.05": "linjamsos",
    "1.06.06": "linjamsos",
    "1.06.07": "dayasos",
}
PROGRAM_INDICATORS = {
    "1.06.01": "Persentase capaian kinerja dan pelayanan administrasi perangkat daerah",
    "1.06.02": "Persentase PSKS yang meningkat kapasitasnya",
    "1.06.03": "Persentase warga negara migran korban tindak kekerasan yang dipulangkan",
    "1.06.04": "Persentase PPKS yang mendapatkan rehabilitasi sosial dasar di luar panti",
    "1.06.05": "Persentase KPM yang terpenuhi perlindungan dan jaminan sosialnya",
    "1.06.06": "Persentase korban bencana yang terpenuhi kebutuhan dasarnya",
    "1.06.07": "Persentase taman makam pahlawan yang terpelihara",
}
# Budget of the earlier years: (pagu after revision, absorption %).
EARLIER_BUDGETS = {
    2021: (9812400000, D("93.12")),
    2022: (10215000000, D("94.47")),
    2023: (10904500000, D("95.96")),
    2024: (11106800000, D("96.81")),
}
QUARTER_SHARES = (D("0.2"), D("0.3"), D("0.3"), D("0.2"))


def seed(*, stdout) -> None:
    if Renstra.objects.filter(start_year=2025).exists():
        return
    with transaction.atomic():
        Demo().run()
    stdout.write(
        "  kinerja: Renstra 2019-2024 dan 2025-2029, PK 2021-2026, anggaran, realisasi, SPM"
    )


class Demo:
    def __init__(self) -> None:
        self.rng = seeded("performance-demo")
        self.bidang = {b.code: b for b in Bidang.objects.all()}
        users = {u.username: u for u in User.objects.filter(username__in=self._usernames())}
        self.operator = {code: users.get(f"operator.{code}") for code in self.bidang}
        self.head = {code: users.get(f"kabid.{code}") for code in self.bidang}
        self.head["sekretariat"] = users.get("kasubag.program")
        self.admin = users.get("admin")
        self.programs = {p.code: p for p in Program.objects.all()}
        self.kegiatan = {k.code: k for k in Kegiatan.objects.all()}
        self.subs = {s.code: s for s in SubKegiatan.objects.all()}
        self.indicator_targets: dict[int, dict[int, Decimal]] = {}
        self.realizations: list[Realization] = []

    @staticmethod
    def _usernames() -> list[str]:
        codes = ("sekretariat", "dayasos", "rehsos", "linjamsos")
        return [
            *(f"operator.{c}" for c in codes),
            *(f"kabid.{c}" for c in codes),
            "kasubag.program",
            "admin",
        ]

    # --- plans ---------------------------------------------------------------------------------

    def run(self) -> None:
        old = self._renstra_2019()
        new = self._renstra_2025(old)
        for year in range(2021, 2025):
            self._budget(old, year)
        self._budget(new, 2025)
        self._budget(new, 2026)
        self._agreements(old, range(2021, 2025), revised={2024})
        self._agreements(new, (2025, 2026), revised={2025})
        self._earlier_realizations(old)
        self._realizations_2025(new)
        self._realizations_2026(new)
        created = Realization.objects.bulk_create(self.realizations)
        Realization.history.bulk_history_create(created)
        self._evidence(created)
        self._computed_absorption(new)
        self._spm()

    def _renstra(self, name: str, start: int, end: int, vision: str) -> Renstra:
        return Renstra.objects.create(
            name=name,
            start_year=start,
            end_year=end,
            vision=vision,
            mission=(
                "1. Mewujudkan tata kelola pemerintahan yang baik dan bersih serta layanan "
                "publik berbasis digitalisasi.\n2. Meningkatkan kinerja ekonomi daerah yang "
                "berkelanjutan berbasis potensi lokal."
            ),
            legal_basis=f"Peraturan Bupati Lebak tentang Renstra Dinas Sosial {start}-{end}",
            bidang=self.bidang["sekretariat"],
        )

    def _indicator(self, renstra, targets: dict[int, object], **fields) -> Indicator:
        indicator = Indicator.objects.create(renstra=renstra, **fields)
        RenstraTarget.objects.bulk_create(
            RenstraTarget(indicator=indicator, year=year, value=D(str(value)))
            for year, value in targets.items()
        )
        self.indicator_targets[indicator.pk] = {y: D(str(v)) for y, v in targets.items()}
        return indicator

    def _renstra_2019(self) -> Renstra:
        renstra = self._renstra(
            "Renstra Dinas Sosial Kabupaten Lebak 2019-2024",
            2019,
            2024,
            "Lebak Sejahtera Berbasis Pedesaan",
        )
        t1 = Tujuan.objects.create(
            renstra=renstra,
            code="T1",
            name="Meningkatnya kualitas tata kelola pemerintahan",
            order=1,
        )
        t2 = Tujuan.objects.create(
            renstra=renstra,
            code="T2",
            name="Menurunnya angka kemiskinan dan meningkatnya kesejahteraan sosial",
            order=2,
        )
        s1 = Sasaran.objects.create(
            renstra=renstra,
            tujuan=t1,
            code="S1",
            order=1,
            name="Meningkatnya penyelenggaraan pemerintahan yang transparan dan akuntabel",
        )
        s2 = Sasaran.objects.create(
            renstra=renstra,
            tujuan=t2,
            code="S2",
            order=2,
            name="Meningkatnya penanganan Pemerlu Pelayanan Kesejahteraan Sosial (PPKS)",
        )
        self._link_programs(renstra, s1, s2)
        years = range(2019, 2025)
        self.old_iku = {
            "sakip": self._indicator(
                renstra,
                dict(zip(years, (62, 64, 65, 67, 70, 80), strict=True)),
                level="sasaran",
                sasaran=s1,
                code="IKU-1",
                name="Nilai SAKIP Perangkat Daerah",
                unit="Poin",
                bidang=self.bidang["sekretariat"],
                aggregation="last",
                is_iku=True,
                data_source="LHE SAKIP Inspektorat Kabupaten Lebak",
                order=1,
            ),
            "ikm": self._indicator(
                renstra,
                dict(zip(years, (78, 79, 80, 81, 82, 84), strict=True)),
                level="sasaran",
                sasaran=s1,
                code="IKU-2",
                name="Indeks Kepuasan Masyarakat (IKM) Perangkat Daerah",
                unit="Poin",
                bidang=self.bidang["sekretariat"],
                aggregation="last",
                is_iku=True,
                data_source="Survei Kepuasan Masyarakat",
                order=2,
            ),
            "miskin": self._indicator(
                renstra,
                dict(zip(years, ("9.5", "9.8", "10.5", "9.8", "9.0", "8.5"), strict=True)),
                level="sasaran",
                sasaran=s2,
                code="IKU-3",
                name="Tingkat Kemiskinan",
                unit="%",
                bidang=self.bidang["linjamsos"],
                direction="lower",
                lower_formula="ratio",
                aggregation="last",
                is_iku=True,
                data_source="BPS Kabupaten Lebak",
                order=3,
            ),
            "ppks": self._indicator(
                renstra,
                dict(zip(years, (70, 72, 75, 78, 80, 82), strict=True)),
                level="sasaran",
                sasaran=s2,
                code="IKU-4",
                name="Persentase PPKS yang tertangani",
                unit="%",
                bidang=self.bidang["rehsos"],
                aggregation="ratio",
                is_iku=True,
                formula="PPKS yang tertangani / PPKS yang terdata x 100%",
                data_source="Bidang Rehabilitasi Sosial",
                order=4,
            ),
        }
        return renstra

    def _link_programs(self, renstra, s1, s2) -> None:
        SasaranProgram.objects.bulk_create(
            SasaranProgram(
                renstra=renstra, sasaran=s1 if code == "1.06.01" else s2, program=program
            )
            for code, program in self.programs.items()
        )

    def _renstra_2025(self, old: Renstra) -> Renstra:
        renstra = self._renstra(
            "Renstra Dinas Sosial Kabupaten Lebak 2025-2029",
            2025,
            2029,
            "Mewujudkan Kabupaten Lebak yang Rukun, Unggul, Hebat, Aman dan Yakin",
        )
        t1 = Tujuan.objects.create(
            renstra=renstra,
            code="T1",
            order=1,
            name=(
                "Meningkatnya akuntabilitas penyelenggaraan pemerintahan serta kualitas "
                "pelayanan publik berbasis digital"
            ),
        )
        t2 = Tujuan.objects.create(
            renstra=renstra,
            code="T2",
            order=2,
            name="Meningkatnya pertumbuhan ekonomi yang berkualitas",
        )
        s1 = Sasaran.objects.create(
            renstra=renstra,
            tujuan=t1,
            code="S1",
            order=1,
            name="Meningkatnya penyelenggaraan pemerintahan yang transparan dan akuntabel",
        )
        s2 = Sasaran.objects.create(
            renstra=renstra,
            tujuan=t2,
            code="S2",
            order=2,
            name="Meningkatnya kesejahteraan sosial yang inklusif",
        )
        self._link_programs(renstra, s1, s2)
        years = range(2025, 2030)
        sek, linjam, dayasos = (self.bidang[c] for c in ("sekretariat", "linjamsos", "dayasos"))
        self.iku = {
            "sakip": self._indicator(
                renstra,
                dict(zip(years, ("81.08", 82, "82.5", 83, "83.5"), strict=True)),
                level="sasaran",
                sasaran=s1,
                code="IKU-1",
                name="Nilai SAKIP Perangkat Daerah",
                unit="Poin",
                bidang=sek,
                aggregation="last",
                is_iku=True,
                definition="Hasil evaluasi akuntabilitas kinerja perangkat daerah oleh Inspektorat.",
                formula="Nilai hasil evaluasi SAKIP (skala 0-100)",
                data_source="LHE SAKIP Inspektorat Kabupaten Lebak",
                baseline_year=2024,
                baseline_value=D("80.01"),
                continues=self.old_iku["sakip"],
                order=1,
            ),
            "ikm": self._indicator(
                renstra,
                dict(zip(years, (85, "85.5", 86, "86.5", 87), strict=True)),
                level="sasaran",
                sasaran=s1,
                code="IKU-2",
                name="Indeks Kepuasan Masyarakat (IKM) Perangkat Daerah",
                unit="Poin",
                bidang=sek,
                aggregation="last",
                is_iku=True,
                formula="IKM = jumlah (nilai unsur x bobot) / jumlah bobot x 25",
                data_source="Survei Kepuasan Masyarakat (Bagian Organisasi)",
                baseline_year=2024,
                baseline_value=D("84.15"),
                continues=self.old_iku["ikm"],
                order=2,
            ),
            "miskin": self._indicator(
                renstra,
                dict(zip(years, ("8.27", "8.02", "7.81", "7.60", "7.39"), strict=True)),
                level="sasaran",
                sasaran=s2,
                code="IKU-3",
                name="Tingkat Kemiskinan",
                unit="%",
                bidang=linjam,
                direction="lower",
                lower_formula="ratio",
                aggregation="last",
                is_iku=True,
                formula="Penduduk di bawah garis kemiskinan / jumlah penduduk x 100%",
                data_source="BPS Kabupaten Lebak",
                baseline_year=2024,
                baseline_value=D("8.44"),
                continues=self.old_iku["miskin"],
                order=3,
            ),
            "iks": self._indicator(
                renstra,
                dict(zip(years, ("45.82", "46.5", "47.2", "47.9", "48.6"), strict=True)),
                level="sasaran",
                sasaran=s2,
                code="IKU-4",
                name="Indeks Kesejahteraan Sosial",
                unit="Poin",
                bidang=dayasos,
                aggregation="last",
                is_iku=True,
                formula="Jumlah (bobot indikator x nilai indikator)",
                data_source="Kementerian Sosial",
                order=4,
            ),
        }
        self.program_indicators = {}
        for order, (code, name) in enumerate(PROGRAM_INDICATORS.items(), start=1):
            self.program_indicators[code] = self._indicator(
                renstra,
                dict.fromkeys(years, 100),
                level="program",
                program=self.programs[code],
                code=f"P-{code}",
                name=name,
                unit="%",
                bidang=self.bidang[PROGRAM_BIDANG[code]],
                aggregation="last" if code == "1.06.07" else "ratio",
                order=10 + order,
                data_source="Laporan bidang",
            )
        self.kegiatan_indicators = {}
        kegiatan_codes = sorted({code[:12] for code in LINES})
        for order, code in enumerate(kegiatan_codes, start=1):
            kegiatan = self.kegiatan[code]
            if code == "1.06.01.2.02":
                self.kegiatan_indicators[code] = self._indicator(
                    renstra,
                    dict.fromkeys(years, 95),
                    level="kegiatan",
                    kegiatan=kegiatan,
                    code=f"K-{code}",
                    name="Persentase serapan anggaran perangkat daerah",
                    unit="%",
                    bidang=sek,
                    aggregation="last",
                    order=100 + order,
                    source_code="performance.budget_absorption",
                    data_source="Realisasi anggaran (SP2D) yang tercatat di sistem",
                )
                continue
            self.kegiatan_indicators[code] = self._indicator(
                renstra,
                dict.fromkeys(years, 100),
                level="kegiatan",
                kegiatan=kegiatan,
                code=f"K-{code}",
                name=f"Persentase terlaksananya kegiatan {kegiatan.name[0].lower()}{kegiatan.name[1:]}",
                unit="%",
                bidang=self.bidang[PROGRAM_BIDANG[code[:7]]],
                aggregation="ratio",
                order=100 + order,
            )
        self.sub_indicators = {}
        for order, (code, (name, unit, target, rule, _pagu)) in enumerate(LINES.items(), start=1):
            if rule == "sum" and target >= 20:  # services grow 2 % a year
                targets = {y: round(target * (1 + 0.02 * i)) for i, y in enumerate(years)}
            else:
                targets = dict.fromkeys(years, target)
            self.sub_indicators[code] = self._indicator(
                renstra,
                targets,
                level="sub_kegiatan",
                sub_kegiatan=self.subs[code],
                code=f"SK-{code}",
                name=name,
                unit=unit,
                bidang=self.bidang[PROGRAM_BIDANG[code[:7]]],
                aggregation=rule,
                order=200 + order,
            )
        return renstra

    # --- budget --------------------------------------------------------------------------------

    def _pagu_2025(self) -> dict[str, int]:
        pagu = {}
        for program, total in PROGRAM_PAGU_2025.items():
            codes = [c for c in LINES if c.startswith(program)]
            known = sum(LINES[c][4] or 0 for c in codes)
            for code in codes:
                pagu[code] = LINES[code][4] if LINES[code][4] is not None else total - known
        return pagu

    def _split(self, total: int, weights: list[Decimal]) -> list[int]:
        """Split a whole amount by weights; the last part takes the rounding remainder."""
        share = sum(weights)
        parts = [int(total * w / share) for w in weights[:-1]]
        return [*parts, total - sum(parts)]

    def _budget(self, renstra: Renstra, year: int) -> None:
        pagu_2025 = self._pagu_2025()
        codes = list(LINES)
        if year == 2025:
            revised = [pagu_2025[c] for c in codes]
            murni = self._split(
                PAGU_MURNI_2025,
                [D(pagu_2025[c]) * (D("0.93") + D(self.rng.randint(0, 14)) / 100) for c in codes],
            )
            s1 = [c for c in codes if c.startswith("1.06.01")]
            s2 = [c for c in codes if not c.startswith("1.06.01")]
            realized = dict(
                zip(
                    s1,
                    self._split(REALIZATION_SASARAN_1_2025, self._absorb(s1, pagu_2025)),
                    strict=True,
                )
            )
            realized |= dict(
                zip(
                    s2,
                    self._split(
                        REALIZATION_2025 - REALIZATION_SASARAN_1_2025, self._absorb(s2, pagu_2025)
                    ),
                    strict=True,
                )
            )
            last_month = 12
        elif year == 2026:
            revised = [int(pagu_2025[c] * D("1.03")) // 1000 * 1000 for c in codes]
            murni = [int(v * D("0.98")) // 1000 * 1000 for v in revised]
            realized = {
                c: int(v * D("0.78") * self._noise()) for c, v in zip(codes, revised, strict=True)
            }
            last_month = 10
        else:
            total, rate = EARLIER_BUDGETS[year]
            revised = self._split(total, [D(pagu_2025[c]) for c in codes])
            murni = [int(v * D("0.97")) // 1000 * 1000 for v in revised]
            realized = {
                c: min(v, int(v * rate / 100 * self._noise()))
                for c, v in zip(codes, revised, strict=True)
            }
            last_month = 12
        lines = BudgetLine.objects.bulk_create(
            BudgetLine(
                renstra=renstra,
                year=year,
                sub_kegiatan=self.subs[code],
                bidang=self.bidang[PROGRAM_BIDANG[code[:7]]],
                pagu_murni=D(m),
                pagu_perubahan=D(r),
            )
            for code, m, r in zip(codes, murni, revised, strict=True)
        )
        BudgetLine.history.bulk_history_create(lines)
        months = []
        for line, code in zip(lines, codes, strict=True):
            weights = [D(1) + D(self.rng.randint(0, 6)) / 10 for _m in range(last_month)]
            weights[-1] += D(2) if last_month == 12 else 0  # December closes the year
            for month, amount in enumerate(self._split(realized[code], weights), start=1):
                months.append(BudgetRealization(line=line, month=month, amount=D(amount)))
        BudgetRealization.objects.bulk_create(months)

    def _absorb(self, codes, pagu) -> list[Decimal]:
        return [D(pagu[c]) * (D("0.9") + D(self.rng.randint(0, 10)) / 100) for c in codes]

    def _noise(self) -> Decimal:
        return D("0.97") + D(self.rng.randint(0, 6)) / 100

    # --- agreements ----------------------------------------------------------------------------

    def _agreements(self, renstra: Renstra, years, revised: set[int]) -> None:
        indicators = list(Indicator.objects.filter(renstra=renstra))
        for year in years:
            murni = Agreement.objects.create(
                renstra=renstra,
                year=year,
                revision=0,
                signed_on=datetime.date(year, 1, 31),
                first_party="Kepala Dinas Sosial Kabupaten Lebak",
                second_party="Bupati Lebak",
            )
            self._targets(murni, indicators, revised_year=False)
            if year in revised:
                perubahan = Agreement.objects.create(
                    renstra=renstra,
                    year=year,
                    revision=1,
                    based_on=murni,
                    signed_on=datetime.date(year, 10, 15),
                    first_party=murni.first_party,
                    second_party=murni.second_party,
                    reason=(
                        "Penyesuaian target setelah Perubahan APBD dan rilis data BPS "
                        f"tahun {year}."
                    ),
                )
                self._targets(perubahan, indicators, revised_year=True)

    def _targets(self, agreement: Agreement, indicators, *, revised_year: bool) -> None:
        rows = []
        year = agreement.year
        for indicator in indicators:
            target = self.indicator_targets[indicator.pk].get(year)
            if target is None:
                continue
            if year == 2025 and indicator.code == "IKU-2":
                target = D(85) if revised_year else D(86)
            if year == 2025 and indicator.code == "IKU-3":
                target = D("8.23") if revised_year else D("8.27")
            if indicator.level in ("tujuan", "sasaran"):
                quarters = [None, None, None, target]
                if indicator.aggregation == "ratio":
                    quarters = [target] * 4
            elif indicator.aggregation == "sum":
                quarters = [D(v) for v in self._split(int(target), list(QUARTER_SHARES))]
            else:
                quarters = [target] * 4
            rows.append(
                AgreementTarget(
                    agreement=agreement,
                    indicator=indicator,
                    target=target,
                    q1=quarters[0],
                    q2=quarters[1],
                    q3=quarters[2],
                    q4=quarters[3],
                )
            )
        created = AgreementTarget.objects.bulk_create(rows)
        AgreementTarget.history.bulk_history_create(created)
        self.agreement_targets = getattr(self, "agreement_targets", {})
        for row in created:
            self.agreement_targets[(row.indicator_id, year)] = row

    # --- realizations --------------------------------------------------------------------------

    def _row(self, indicator: Indicator, year: int, quarter: int, status=APPROVED, **figures):
        bidang_code = next(c for c, b in self.bidang.items() if b.pk == indicator.bidang_id)
        end = calc.quarter_end(year, quarter)
        submitted = timezone.make_aware(datetime.datetime.combine(end, datetime.time(10)))
        reviewed = status in (APPROVED, Realization.Status.RETURNED)
        row = Realization(
            indicator=indicator,
            year=year,
            quarter=quarter,
            status=status,
            entered_by=self.operator.get(bidang_code),
            submitted_at=submitted + datetime.timedelta(days=5) if status != "draft" else None,
            reviewed_by=self.head.get(bidang_code) if reviewed else None,
            reviewed_at=submitted + datetime.timedelta(days=8) if reviewed else None,
            **figures,
        )
        self.realizations.append(row)
        return row

    def _earlier_realizations(self, old: Renstra) -> None:
        values = {
            "sakip": ("66.5", "68.2", "70.1", "80.01"),
            "ikm": ("82.45", "83.1", "84.0", "84.15"),
            "miskin": ("10.29", "8.91", "8.60", "8.44"),
        }
        for key, series in values.items():
            for year, value in zip(range(2021, 2025), series, strict=True):
                self._row(self.old_iku[key], year, 4, value=D(value))
        for year in range(2021, 2025):
            for quarter in calc.QUARTERS:
                denominator = D(self.rng.randint(180, 260))
                share = D(70 + (year - 2021) * 3 + self.rng.randint(0, 6)) / 100
                numerator = (denominator * share).quantize(D(1))
                self._row(
                    self.old_iku["ppks"],
                    year,
                    quarter,
                    numerator=numerator,
                    denominator=denominator,
                    value=calc.quarter_percentage(numerator, denominator)[0],
                )

    def _realizations_2025(self, new: Renstra) -> None:
        self._row(
            self.iku["sakip"],
            2025,
            4,
            value=None,
            unavailable_reason=(
                "Hasil evaluasi SAKIP Tahun 2025 oleh Inspektorat baru terbit pada bulan "
                "Maret 2026."
            ),
            obstacles="Jadwal evaluasi SAKIP oleh Inspektorat jatuh setelah tahun anggaran berakhir.",
            solutions="Evaluasi internal (self assessment) dilakukan setiap semester.",
            recommendations="Meminta jadwal evaluasi SAKIP yang lebih awal kepada Inspektorat.",
        )
        self._row(
            self.iku["ikm"],
            2025,
            4,
            value=D("84.61"),
            obstacles="Belum ada petugas khusus pelayanan publik.",
            supporting_factors="Pengaduan masyarakat ditangani melalui aplikasi pengaduan daerah.",
            solutions="Menetapkan petugas layanan dan standar pelayanan.",
            recommendations="Mengoptimalkan kanal pengaduan dan survei kepuasan berkala.",
        )
        self._row(
            self.iku["miskin"],
            2025,
            4,
            value=D("8.03"),
            obstacles="Rilis data BPS hanya sekali setahun.",
            supporting_factors="Data BPS adalah data statistik resmi.",
            solutions="Memperkuat pemutakhiran DTSEN dan bantuan sosial produktif.",
            recommendations="Meningkatkan usaha produktif keluarga miskin.",
        )
        self._row(
            self.iku["iks"],
            2025,
            4,
            value=D("47.25"),
            obstacles="Ketimpangan pendapatan dan akses layanan dasar yang belum merata.",
            supporting_factors="Penguatan data mikro dan program perlindungan sosial.",
            solutions="Sistem perlindungan sosial sepanjang hayat.",
            recommendations="Bantuan sosial disertai pelatihan kewirausahaan.",
        )
        self._operational(new, 2025, quarters=(1, 2, 3, 4))

    def _operational(self, renstra: Renstra, year: int, quarters, statuses=None) -> None:
        """Program, kegiatan and sub kegiatan indicators: counts near their quarter targets,
        percentages as numerator and denominator."""
        statuses = statuses or {}
        groups = (
            list(self.program_indicators.values())
            + [i for c, i in self.kegiatan_indicators.items() if c != "1.06.01.2.02"]
            + list(self.sub_indicators.values())
        )
        for indicator in groups:
            target = self.agreement_targets.get((indicator.pk, year))
            for quarter in quarters:
                status = statuses.get((indicator.code, quarter), APPROVED)
                if indicator.aggregation == "ratio":
                    denominator = D(self.rng.randint(20, 80))
                    numerator = denominator - D(self.rng.choice((0, 0, 0, 1, 2)))
                    self._row(
                        indicator,
                        year,
                        quarter,
                        status,
                        numerator=numerator,
                        denominator=denominator,
                        value=calc.quarter_percentage(numerator, denominator)[0],
                    )
                elif indicator.aggregation == "last":
                    self._row(indicator, year, quarter, status, value=target.target)
                else:
                    planned = target.quarter_targets[quarter - 1] or D(0)
                    factor = D(1) if self.rng.random() < 0.7 else D("0.9")
                    self._row(
                        indicator,
                        year,
                        quarter,
                        status,
                        value=(planned * factor).quantize(D(1)),
                    )

    def _realizations_2026(self, new: Renstra) -> None:
        statuses = {
            ("SK-1.06.04.2.01.0001", 3): Realization.Status.SUBMITTED,
            ("SK-1.06.04.2.01.0002", 3): Realization.Status.SUBMITTED,
            ("SK-1.06.05.2.02.0003", 3): Realization.Status.SUBMITTED,
            ("SK-1.06.02.2.03.0002", 3): Realization.Status.RETURNED,
        }
        self._operational(new, 2026, quarters=(1, 2, 3), statuses=statuses)
        for row in self.realizations:
            if row.status == Realization.Status.RETURNED:
                row.review_note = "Lampirkan daftar hadir pelatihan TKSK sebagai bukti dukung."

    def _computed_absorption(self, new: Renstra) -> None:
        indicator = self.kegiatan_indicators["1.06.01.2.02"]
        rows = []
        for year, quarters in ((2025, (1, 2, 3, 4)), (2026, (1, 2, 3))):
            for quarter in quarters:
                result = budget_absorption(year, quarter)
                row = self._row(indicator, year, quarter, value=result.value)
                row.source_code = "performance.budget_absorption"
                row.provenance = result.provenance
                row.computed_at = row.submitted_at
                rows.append(row)
        created = Realization.objects.bulk_create(rows)
        Realization.history.bulk_history_create(created)

    def _evidence(self, rows) -> None:
        """A small PDF as the evidence of the 2025 IKU and of what awaits approval."""
        wanted = [
            r
            for r in rows
            if (r.year == 2025 and r.indicator.is_iku and r.value is not None)
            or r.status == Realization.Status.SUBMITTED
        ]
        for row in wanted:
            uploader = row.entered_by or self.admin
            if uploader is None:  # the demo users are missing (a test): no file
                continue
            title = f"Bukti dukung {row.indicator.code} triwulan {row.quarter} {row.year}"
            content = demo_pdf(title)
            evidence = Evidence(
                realization=row,
                original_name=f"bukti-{row.indicator.code.lower()}-tw{row.quarter}-{row.year}.pdf",
                content_type="application/pdf",
                size=len(content),
                sha256=hashlib.sha256(content).hexdigest(),
                uploaded_by=uploader,
            )
            evidence.file.save(evidence.original_name, ContentFile(content), save=False)
            evidence.save()

    # --- SPM -----------------------------------------------------------------------------------

    def _spm(self) -> None:
        figures = {
            2024: {"SPM-1": (260, 252), "SPM-2": (64, 60), "SPM-3": (210, 200), "SPM-4": (22, 20), "SPM-5": (450, 450)},
            2025: {"SPM-1": (275, 275), "SPM-2": (68, 68), "SPM-3": (220, 215), "SPM-4": (20, 20), "SPM-5": (600, 600)},
        }  # fmt: skip
        services = {s.code: s for s in SpmService.objects.all()}
        SpmAchievement.objects.bulk_create(
            SpmAchievement(
                service=services[code], year=year, target_group_count=group, served_count=served
            )
            for year, rows in figures.items()
            for code, (group, served) in rows.items()
        )


def demo_pdf(text: str) -> bytes:
    """A one-page PDF showing ``text`` (ASCII), built by hand: a valid file for the demo."""
    stream = f"BT /F1 14 Tf 72 760 Td ({text}) Tj ET".encode("ascii")
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length " + str(len(stream)).encode() + b" >>\nstream\n" + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += f"{number} 0 obj\n".encode() + body + b"\nendobj\n"
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    for offset in offsets:
        out += f"{offset:010d} 00000 n \n".encode()
    out += (
        f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode()
    )
    return bytes(out)
