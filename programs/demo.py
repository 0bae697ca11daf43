"""Demo programs for Kabupaten Lebak, enrolling demo registry households and persons that meet
each program's rules, with quotas, stages and disbursements so that every figure is non-trivial.

The catalogue: PKH, BPNT/Program Sembako, ASPD (ASODK), KUBE, ASLUT, PKSA (national, APBN), the
district's cash aid for persons with disabilities paid in two tahap, permakanan for residents of
LKS, and aid for disaster victims from Belanja Tidak Terduga (APBD kabupaten).

The recipients chosen by the rules have been enrolled since January of last year, so that last
year (the year of the demo's LKjIP) has its stages paid in full and this year its stages paid so
far; exits, replacements, overrides and the disaster aid happen this year.

Made through the services (eligibility and quota checked as in real use), deterministic
(``welfare.demo_data.seeded`` and ordered ids) and idempotent (nothing is made when programs
hold enrollments already). A few households in desil 6-7 are enrolled in PKH by a Kepala Bidang
override (village deliberation), so that the targeting check finds inclusion cases; disaster
victims, whom the demo registry does not place in a category, are enrolled by override with the
emergency decree as justification.
"""

from __future__ import annotations

import datetime
import math
from collections import Counter
from decimal import Decimal

from django.db.models import F
from django.db.models.functions import Mod
from django.utils import timezone

from accounts.models import Bidang, User
from beneficiaries.models import Household, Person, PpksCategory
from welfare.demo_data import seeded

from . import eligibility, services, summary
from .models import (
    Disbursement,
    Enrollment,
    ExitReason,
    KubeGroup,
    KubeMember,
    Program,
    ProgramQuota,
    Stage,
)

MONTHS = [
    "Januari",
    "Februari",
    "Maret",
    "April",
    "Mei",
    "Juni",
    "Juli",
    "Agustus",
    "September",
    "Oktober",
    "November",
    "Desember",
]

# code, name, level, funding, funding note, bidang, unit, benefit, amount, schedule, stages,
# categories, max desil, min age, max age, severity, composition, share enrolled
CATALOGUE = [
    (
        "PKH",
        "Program Keluarga Harapan",
        "nasional",
        "apbn",
        "",
        "linjamsos",
        "household",
        "tunai",
        "750000",
        "tahap",
        4,
        [],
        4,
        None,
        None,
        "",
        ["balita", "anak_sekolah", "lansia", "disabilitas"],
        0.75,
    ),
    (
        "BPNT",
        "Bantuan Pangan Non Tunai / Program Sembako",
        "nasional",
        "apbn",
        "",
        "linjamsos",
        "household",
        "pangan",
        "200000",
        "bulanan",
        12,
        [],
        4,
        None,
        None,
        "",
        [],
        0.8,
    ),
    (
        "ASPD",
        "Asistensi Sosial Penyandang Disabilitas Berat (ASODK)",
        "nasional",
        "apbn",
        "",
        "rehsos",
        "person",
        "tunai",
        "3000000",
        "sekali",
        1,
        ["penyandang_disabilitas", "anak_kedisabilitasan"],
        5,
        None,
        None,
        "berat",
        [],
        0.5,
    ),
    (
        "KUBE",
        "Kelompok Usaha Bersama",
        "nasional",
        "apbn",
        "",
        "dayasos",
        "group",
        "modal_usaha",
        "20000000",
        "sekali",
        1,
        [],
        4,
        None,
        None,
        "",
        [],
        1.0,
    ),
    (
        "ASLUT",
        "Asistensi Sosial Lanjut Usia Terlantar",
        "nasional",
        "apbn",
        "",
        "rehsos",
        "person",
        "tunai",
        "1200000",
        "tahap",
        2,
        ["lanjut_usia_terlantar"],
        5,
        60,
        None,
        "",
        [],
        0.8,
    ),
    (
        "PKSA",
        "Program Kesejahteraan Sosial Anak",
        "nasional",
        "apbn",
        "",
        "rehsos",
        "person",
        "layanan",
        "1500000",
        "sekali",
        1,
        ["anak_terlantar", "anak_balita_terlantar", "anak_kedisabilitasan"],
        None,
        0,
        18,
        "",
        [],
        1.0,
    ),
    (
        "BSPD-KAB",
        "Bantuan Sosial Uang bagi Penyandang Disabilitas",
        "kabupaten",
        "apbd_kabupaten",
        "",
        "rehsos",
        "person",
        "tunai",
        "900000",
        "tahap",
        2,
        ["penyandang_disabilitas", "anak_kedisabilitasan"],
        7,
        None,
        None,
        "",
        [],
        0.95,
    ),
    (
        "PERMAKANAN",
        "Permakanan bagi Warga Binaan LKS",
        "kabupaten",
        "apbd_kabupaten",
        "",
        "rehsos",
        "person",
        "pangan",
        "450000",
        "bulanan",
        12,
        ["lanjut_usia_terlantar", "anak_terlantar"],
        None,
        None,
        None,
        "",
        [],
        0.4,
    ),
    (
        "BTT-BENCANA",
        "Bantuan Korban Bencana (Belanja Tidak Terduga)",
        "kabupaten",
        "apbd_kabupaten",
        "Belanja Tidak Terduga",
        "linjamsos",
        "household",
        "barang",
        "1500000",
        "sekali",
        1,
        ["korban_bencana_alam"],
        None,
        None,
        None,
        "",
        [],
        0.0,
    ),
]

TAHAP_MONTHS = {1: [6], 2: [5, 11], 4: [2, 5, 8, 11]}


def seed(*, stdout) -> None:
    if not Household.objects.exists():
        stdout.write("  programs: no registry households; nothing done")
        return
    if Enrollment.objects.exists():
        stdout.write(f"  programs: {Enrollment.objects.count()} enrollments (already there)")
        return
    actor = (
        User.objects.filter(is_superuser=True).order_by("pk").first()
        or User.objects.filter(role="admin").order_by("pk").first()
    )
    if actor is None:
        stdout.write("  programs: no administrator account; nothing done")
        return
    # One refresh of the figures per program at the end, not one per enrollment written.
    with summary.batch():
        figures = _seed(actor)
    stdout.write(
        "  programs: {programs} programs, {enrollments} enrollments, {disbursements} "
        "disbursements, {groups} KUBE groups".format(**figures)
    )


def _seed(actor) -> dict:
    today = timezone.localdate()
    year = today.year
    categories = {c.code: c for c in PpksCategory.objects.all()}
    bidang = {b.code: b for b in Bidang.objects.all()}
    programs = {}
    for (
        code,
        name,
        level,
        funding,
        note,
        bidang_code,
        unit,
        benefit,
        amount,
        schedule,
        stages,
        cats,
        max_desil,
        min_age,
        max_age,
        severity,
        composition,
        _share,
    ) in CATALOGUE:
        program, _created = Program.objects.update_or_create(
            code=code,
            defaults={
                "name": name,
                "level": level,
                "funding": funding,
                "funding_note": note,
                "bidang": bidang[bidang_code],
                "unit": unit,
                "benefit": benefit,
                "amount_per_stage": Decimal(amount),
                "schedule": schedule,
                "stages_per_year": stages,
                "max_desil": max_desil,
                "min_age": min_age,
                "max_age": max_age,
                "min_disability_severity": severity,
                "composition": composition,
            },
        )
        program.categories.set([categories[c] for c in cats if c in categories])
        programs[code] = program
        _stages(program, year, stages, schedule)

    ongoing = []
    for spec in CATALOGUE:
        code, share = spec[0], spec[-1]
        program = programs[code]
        if program.unit == "group" or share == 0:
            continue
        _stages(program, year - 1, program.stages_per_year, program.schedule)
        _enroll_eligible(actor, program, year, share)
        ongoing.append(program)
    # Last year is over: every stage of it is paid before this year's exits and replacements.
    disbursements = _disburse(actor, ongoing, year - 1, today)
    _kube(actor, programs["KUBE"], year)
    _disaster(actor, programs["BTT-BENCANA"], year)
    _inclusion_cases(actor, programs["PKH"], year)
    _exits_and_replacements(actor, programs, year)
    disbursements += _disburse(actor, list(programs.values()), year, today)
    return {
        "programs": len(programs),
        "enrollments": Enrollment.objects.count(),
        "disbursements": disbursements,
        "groups": KubeGroup.objects.count(),
    }


def _stages(program: Program, year: int, count: int, schedule: str) -> None:
    for number in range(1, count + 1):
        if schedule == "bulanan":
            month, name = number, f"{MONTHS[number - 1]} {year}"
        else:
            month = TAHAP_MONTHS.get(count, [6] * count)[number - 1]
            name = (
                f"Tahap {'I' * number if number < 4 else 'IV'} {year}" if count > 1 else f"{year}"
            )
        Stage.objects.get_or_create(
            program=program,
            year=year,
            number=number,
            defaults={"name": name, "planned_on": datetime.date(year, month, 15)},
        )


def _enroll_eligible(actor, program: Program, year: int, share: float) -> None:
    """Enroll a share of the eligible since January of last year, with a quota for last year
    and this year."""
    start = datetime.date(year - 1, 1, 2)
    rng = seeded("programs", program.code)
    if program.unit == "person":
        candidates = eligibility.eligible_persons(program, Person.objects.all(), start)
    else:
        candidates = eligibility.eligible_households(program, Household.objects.all(), start)
    rows = list(candidates.order_by("pk").values_list("pk", "district_id"))
    chosen = [pk for pk, _d in rows if rng.random() < share]
    # Quota per kecamatan: the eligible, rounded up to the ten (so that some room is left).
    per_district = Counter(d for _pk, d in rows)
    ProgramQuota.objects.bulk_create(
        [
            ProgramQuota(program=program, year=y, district_id=d, quota=math.ceil(n / 10) * 10)
            for d, n in per_district.items()
            for y in (year - 1, year)
        ]
    )
    if not chosen:
        return
    services.enrollment_bulk_create(
        actor=actor,
        program=program,
        ids=chosen,
        start_date=start,
        status=Enrollment.Status.ACTIVE,
        decree_number=f"460/Kep.{program.code}/Dinsos/{start.year}",
        decree_date=start,
    )
    # Some stay proposed or verified (waiting for the next decree).
    waiting = [pk for pk, _d in rows if pk not in set(chosen) and rng.random() < 0.3]
    if waiting:
        services.enrollment_bulk_create(
            actor=actor,
            program=program,
            ids=waiting,
            start_date=start,
            status=Enrollment.Status.PROPOSED,
        )


def _kube(actor, program: Program, year: int) -> None:
    """Groups of ten poor families in the villages with enough of them."""
    rng = seeded("programs", "kube")
    businesses = [
        "Ternak kambing",
        "Warung sembako",
        "Kerajinan anyaman bambu",
        "Budidaya ikan lele",
        "Produksi gula aren",
        "Bengkel sepeda motor",
    ]
    eligible = eligibility.eligible_households(
        program, Household.objects.all(), datetime.date(year, 1, 2)
    ).order_by("village_id", "pk")
    by_village: dict[str, list[Household]] = {}
    for household in eligible.select_related("village"):
        by_village.setdefault(household.village_id, []).append(household)
    made = 0
    for households in by_village.values():
        if len(households) < 5 or rng.random() > 0.15:
            continue
        members = households[:10]
        village = members[0].village
        group = services.group_create(
            actor=actor,
            program=program,
            name=f"KUBE {village.name.title()} {made + 1}",
            village=village,
            business_type=rng.choice(businesses),
            formed_on=datetime.date(year - 1, 10, 1),
            households=members,
            chair=members[0],
        )
        services.enrollment_create(
            actor=actor,
            program=program,
            group=group,
            start_date=datetime.date(year, 1, 2),
            status=Enrollment.Status.ACTIVE,
            decree_number=f"460/Kep.KUBE/Dinsos/{year}",
            decree_date=datetime.date(year, 1, 2),
        )
        services.group_report_add(
            actor=actor,
            group=group,
            reported_on=datetime.date(year, 3, 31),
            state=KubeGroup.BusinessState.STARTING,
            revenue=Decimal(1500000 + made * 100000),
        )
        services.group_report_add(
            actor=actor,
            group=group,
            reported_on=datetime.date(year, 9, 30),
            state=rng.choice(
                [
                    KubeGroup.BusinessState.GROWING,
                    KubeGroup.BusinessState.STABLE,
                    KubeGroup.BusinessState.DECLINING,
                ]
            ),
            revenue=Decimal(2500000 + made * 150000),
            capital_received=program.amount_per_stage,
        )
        made += 1
    assert KubeMember.objects.filter(group__program=program).exists() or made == 0


def _kabid(code: str):
    return User.objects.filter(role="kepala_bidang", bidang__code=code).order_by("pk").first()


def _disaster(actor, program: Program, year: int) -> None:
    """Households of one village hit by a flood, enrolled by the Kepala Bidang's override."""
    kabid = _kabid("linjamsos") or actor
    village_households = list(
        Household.objects.filter(district__name__iexact="CIBEBER").order_by("village_id", "pk")[:6]
    ) or list(Household.objects.order_by("pk")[:6])
    for household in village_households:
        services.enrollment_create(
            actor=kabid,
            program=program,
            household=household,
            start_date=datetime.date(year, 2, 10),
            status=Enrollment.Status.ACTIVE,
            decree_number=f"360/Kep.12-BPBD/{year}",
            decree_date=datetime.date(year, 2, 9),
            override_justification=(
                "Korban banjir bandang 8 Februari; status tanggap darurat ditetapkan SK Bupati, "
                "pendataan PPKS menyusul."
            ),
        )


def _inclusion_cases(actor, program: Program, year: int) -> None:
    kabid = _kabid("linjamsos") or actor
    for household in Household.objects.filter(desil__in=[6, 7]).order_by("pk")[:12:3]:
        services.enrollment_create(
            actor=kabid,
            program=program,
            household=household,
            start_date=datetime.date(year, 1, 2),
            status=Enrollment.Status.ACTIVE,
            decree_number=f"460/Kep.PKH/Dinsos/{year}",
            decree_date=datetime.date(year, 1, 2),
            override_justification=(
                "Hasil musyawarah desa: kepala keluarga sakit menahun, data desil belum diperbarui."
            ),
        )


def _exits_and_replacements(actor, programs, year: int) -> None:
    rng = seeded("programs", "exits")
    reasons = [ExitReason.DIED, ExitReason.MOVED, ExitReason.DOUBLE_NIK, ExitReason.NOT_FOUND]
    for code in ("BSPD-KAB", "PKH", "BPNT"):
        program = programs[code]
        active = list(
            Enrollment.objects.filter(program=program, status=Enrollment.Status.ACTIVE).order_by(
                "pk"
            )[:400]
        )
        leaving = active[5::37]
        for enrollment in leaving:
            services.enrollment_transition(
                actor=actor,
                enrollment=enrollment,
                version=enrollment.version,
                status=Enrollment.Status.EXITED,
                on=datetime.date(year, 7, 1),
                exit_reason=rng.choice(reasons),
                note="Hasil verifikasi pendamping.",
            )
        for enrollment in [e for e in active[9::61] if e not in leaving]:
            services.enrollment_transition(
                actor=actor,
                enrollment=enrollment,
                version=enrollment.version,
                status=Enrollment.Status.SUSPENDED,
                note="Tidak memenuhi komitmen kehadiran.",
            )
    # One replacement in PKH: the place of a family that moved goes to an eligible family.
    pkh = programs["PKH"]
    candidate = (
        eligibility.eligible_households(pkh, Household.objects.all(), datetime.date(year, 7, 1))
        .order_by("pk")
        .first()
    )
    old = (
        Enrollment.objects.filter(program=pkh, status=Enrollment.Status.ACTIVE)
        .order_by("-pk")
        .first()
    )
    if candidate and old:
        services.enrollment_replace(
            actor=actor,
            enrollment=old,
            version=old.version,
            exit_reason=ExitReason.MOVED,
            note="Pindah ke luar kabupaten.",
            on=datetime.date(year, 7, 1),
            household=candidate,
        )


def _disburse(actor, programs, year: int, today: datetime.date) -> int:
    made = 0
    channels = {"BPNT": "e_warong", "PKH": "bank", "PERMAKANAN": "tunai", "BTT-BENCANA": "tunai"}
    for program in programs:
        for stage in Stage.objects.filter(program=program, year=year).order_by("number"):
            if stage.planned_on and stage.planned_on > today:
                continue
            made += services.disbursements_plan(actor=actor, stage=stage)
            # Deterministic outcomes, set-based: 95 % paid, 3 % failed, 2 % postponed.
            rows = Disbursement.objects.filter(stage=stage).annotate(bucket=Mod("id", 100))
            channel = channels.get(program.code, "bank" if stage.number % 2 else "pos")
            rows.filter(bucket__lt=95).update(
                status=Disbursement.Status.PAID,
                paid_amount=F("planned_amount"),
                paid_on=stage.planned_on + datetime.timedelta(days=3 + stage.number % 5),
                channel=channel,
            )
            rows.filter(bucket__gte=95, bucket__lt=98).update(
                status=Disbursement.Status.FAILED,
                channel=channel,
                reason="Rekening tidak aktif" if channel == "bank" else "KPM tidak hadir",
            )
            rows.filter(bucket__gte=98).update(
                status=Disbursement.Status.POSTPONED, reason="Menunggu perbaikan data NIK"
            )
    return made
