"""factory_boy factories for performance management, and a small plan to test against."""

from __future__ import annotations

import io
from dataclasses import dataclass
from decimal import Decimal

import factory
from django.core.files.base import ContentFile

from accounts.models import Bidang
from performance.models import (
    Agreement,
    AgreementTarget,
    BudgetLine,
    BudgetRealization,
    Evidence,
    Indicator,
    Program,
    Realization,
    Renstra,
    RenstraTarget,
    Sasaran,
    SasaranProgram,
    SubKegiatan,
    Tujuan,
)

D = Decimal
PDF_BYTES = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def bidang(code: str) -> Bidang:
    return Bidang.objects.get(code=code)


class RenstraFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Renstra

    name = factory.LazyAttribute(lambda o: f"Renstra Uji {o.start_year}-{o.end_year}")
    start_year = 2025
    end_year = factory.LazyAttribute(lambda o: o.start_year + 4)
    bidang = factory.LazyFunction(lambda: bidang("sekretariat"))


class TujuanFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Tujuan

    renstra = factory.SubFactory(RenstraFactory)
    code = factory.Sequence(lambda n: f"T{n + 1}")
    name = factory.Sequence(lambda n: f"Tujuan uji {n + 1}")


class SasaranFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Sasaran

    tujuan = factory.SubFactory(TujuanFactory)
    renstra = factory.LazyAttribute(lambda o: o.tujuan.renstra)
    code = factory.Sequence(lambda n: f"S{n + 1}")
    name = factory.Sequence(lambda n: f"Sasaran uji {n + 1}")


class IndicatorFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Indicator

    sasaran = factory.SubFactory(SasaranFactory)
    renstra = factory.LazyAttribute(lambda o: o.sasaran.renstra)
    level = "sasaran"
    code = factory.Sequence(lambda n: f"IND-{n + 1}")
    name = factory.Sequence(lambda n: f"Indikator uji {n + 1}")
    unit = "Orang"
    bidang = factory.LazyFunction(lambda: bidang("linjamsos"))
    aggregation = "sum"
    is_iku = True


def renstra_targets(indicator: Indicator, values: dict[int, object]) -> None:
    RenstraTarget.objects.bulk_create(
        RenstraTarget(indicator=indicator, year=y, value=D(str(v))) for y, v in values.items()
    )


def agreement(renstra: Renstra, year: int, revision: int = 0, **kwargs) -> Agreement:
    return Agreement.objects.create(renstra=renstra, year=year, revision=revision, **kwargs)


def target(agreement_row: Agreement, indicator: Indicator, yearly, quarters=(None,) * 4):
    q = [D(str(v)) if v is not None else None for v in quarters]
    return AgreementTarget.objects.create(
        agreement=agreement_row,
        indicator=indicator,
        target=D(str(yearly)),
        q1=q[0],
        q2=q[1],
        q3=q[2],
        q4=q[3],
    )


def realization(indicator, year, quarter, status="approved", **figures) -> Realization:
    numeric = ("value", "numerator", "denominator")
    figures = {
        k: D(str(v)) if k in numeric and isinstance(v, int | float | str) else v
        for k, v in figures.items()
    }  # fmt: skip
    return Realization.objects.create(
        indicator=indicator, year=year, quarter=quarter, status=status, **figures
    )


def evidence(realization_row: Realization, user, name="bukti.pdf") -> Evidence:
    row = Evidence(
        realization=realization_row,
        original_name=name,
        content_type="application/pdf",
        size=len(PDF_BYTES),
        sha256="0" * 64,
        uploaded_by=user,
    )
    row.file.save(name, ContentFile(PDF_BYTES), save=False)
    row.save()
    return row


def budget_line(renstra, year, sub_code, pagu, months=(), revised=None, bidang_code="rehsos"):
    line = BudgetLine.objects.create(
        renstra=renstra,
        year=year,
        sub_kegiatan=SubKegiatan.objects.get(code=sub_code),
        bidang=bidang(bidang_code),
        pagu_murni=D(str(pagu)),
        pagu_perubahan=D(str(revised)) if revised is not None else None,
    )
    for month, amount in months:
        BudgetRealization.objects.create(line=line, month=month, amount=D(str(amount)))
    return line


@dataclass
class Plan:
    renstra: Renstra
    tujuan: Tujuan
    sasaran: Sasaran
    count: Indicator  # a count, summed over quarters (linjamsos)
    rate: Indicator  # a level where less is better (linjamsos)
    agreement: Agreement


def small_plan(start_year: int = 2025, year: int = 2025) -> Plan:
    """A Renstra with one sasaran (supported by program 1.06.04) and two indicators, and the
    agreement of ``year`` with targets."""
    renstra = RenstraFactory(start_year=start_year)
    tujuan = TujuanFactory(renstra=renstra, code="T1")
    sasaran = SasaranFactory(tujuan=tujuan, renstra=renstra, code="S1")
    SasaranProgram.objects.create(
        renstra=renstra, sasaran=sasaran, program=Program.objects.get(code="1.06.04")
    )
    count = IndicatorFactory(
        sasaran=sasaran, code="IND-A", name="Jumlah PPKS yang dilayani", unit="Orang",
        aggregation="sum",
    )  # fmt: skip
    rate = IndicatorFactory(
        sasaran=sasaran, code="IND-B", name="Tingkat kemiskinan", unit="%", aggregation="last",
        direction="lower", lower_formula="ratio",
    )  # fmt: skip
    renstra_targets(count, dict.fromkeys(renstra.years, 100))
    renstra_targets(rate, dict.fromkeys(renstra.years, "8.5"))
    pk = agreement(renstra, year)
    target(pk, count, 100, (20, 30, 30, 20))
    target(pk, rate, "8.23", (None, None, None, "8.23"))
    return Plan(renstra, tujuan, sasaran, count, rate, pk)


def xlsx(sheets: dict[str, list[list]]) -> io.BytesIO:
    """A workbook in memory: {sheet name: rows (the first is the header)}."""
    from openpyxl import Workbook

    workbook = Workbook()
    workbook.remove(workbook.active)
    for name, rows in sheets.items():
        sheet = workbook.create_sheet(name)
        for row in rows:
            sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    buffer.seek(0)
    buffer.name = "uji.xlsx"
    return buffer
