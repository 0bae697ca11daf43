"""Demo data of field work for Kabupaten Lebak: the PSKS registry, the 28 TKSK with their
assignments (linked to the demo accounts ``tksk.<kecamatan>``), daily entries, monthly reports,
and field forms in every state of the review (submitted, returned, resubmitted, approved,
rejected), among them approved disaster incidents and referrals. When the registry's (and the
programs') demo is there, the TKSK of Rangkasbitung has also visited a few of its households
(verification visits, a new PPKS, aid monitoring), so that their household pages show field
visits.

Idempotent (every field form has a fixed key, every record is looked up before it is made),
deterministic (``welfare.demo_data.seeded``) and made through the services, so that the demo
holds the same traces as real use. Dates follow today's date so that the demo looks current;
the time a demo monthly report was sent is set afterwards to the day it stands for."""

from __future__ import annotations

import datetime
import uuid

from django.apps import apps
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db.models import Q
from django.utils import timezone
from simple_history.utils import bulk_create_with_history

from accounts.access import Role
from accounts.demo import tksk_username
from accounts.models import User
from regions.models import District, Village
from welfare.demo_data import person_name, seeded

from . import services
from .kinds import (
    KIND_AID_MONITORING,
    KIND_DISASTER,
    KIND_MONTHLY_REPORT,
    KIND_NEW_PPKS,
    KIND_REFERRAL,
    KIND_REFERRAL_FOLLOWUP,
    KIND_VERIFICATION_VISIT,
    find_kind,
    get_kind,
)
from .models import (
    TKSK_KIND,
    ActivityEntry,
    PsksInstitution,
    PsksKind,
    PsksPerson,
    PsksService,
    Submission,
    TkskAssignment,
)

KEY_NAMESPACE = uuid.UUID("6f1c2d3e-0b5a-4c7e-9a1d-5e8f7a6b4c3d")
TKSK_DECREE = ("65/SK/DIRK.01/D/2024", datetime.date(2024, 2, 1))
PSM_DECREE = ("B-388/D.12/Kap.43-Dinasos/VIII/2024", datetime.date(2024, 8, 12))
CERTIFIED_TKSK = {
    "Leuwidamar",
    "Cibadak",
    "Muncang",
    "Sajira",
    "Banjarsari",
    "Sobang",
    "Cijaku",
    "Cigemblong",
    "Cilograng",
    "Cibeber",
    "Lebakgedong",
}
# LKS per kecamatan (how many, how many with a valid accreditation), after LKjIP table 3.13.
LKS = {
    "Rangkasbitung": (10, 2),
    "Leuwidamar": (2, 0),
    "Curugbitung": (1, 0),
    "Warunggunung": (2, 0),
    "Cibeber": (2, 0),
    "Cibadak": (2, 0),
    "Muncang": (3, 2),
    "Cipanas": (6, 1),
    "Cikulur": (1, 0),
    "Bojongmanik": (4, 0),
    "Sajira": (3, 0),
    "Banjarsari": (1, 0),
    "Bayah": (2, 0),
    "Maja": (1, 0),
}
LKS_WORDS = [
    "Bina Sejahtera",
    "Al-Hidayah",
    "Mitra Insan",
    "Sakti Jaya",
    "Dharma Bakti",
    "Nurul Iman",
    "Kasih Bunda",
    "Harapan Bangsa",
    "Al-Ikhlas",
    "Mandiri Sejahtera",
    "Darul Falah",
    "Cahaya Hati",
]


def _key(*parts) -> uuid.UUID:
    return uuid.uuid5(KEY_NAMESPACE, "|".join(str(p) for p in parts))


def _kind(code: str) -> PsksKind:
    return PsksKind.objects.get(code=code)


def seed(*, stdout) -> None:
    home = settings.WELFARE_HOME_REGENCY
    admin = User.objects.filter(username="admin").first()
    if admin is None or not District.objects.filter(regency_id=home).exists():
        stdout.write("  fieldwork: the accounts demo comes first; nothing done")
        return
    districts = list(District.objects.filter(regency_id=home).order_by("code"))
    villages = {
        d.code: list(Village.objects.filter(district=d).order_by("code")) for d in districts
    }
    _tksk(districts, admin)
    _people(districts, villages)
    _institutions(districts, villages)
    made = _field_forms(districts, villages)
    stdout.write(
        f"  fieldwork: {PsksPerson.objects.count()} PSKS people, "
        f"{PsksInstitution.objects.count()} institutions, "
        f"{TkskAssignment.objects.filter(ended_on=None).count()} TKSK, "
        f"{Submission.objects.count()} field forms ({made} new)"
    )


# --- Registry -------------------------------------------------------------------------------


def _tksk(districts, admin) -> None:
    kind = _kind(TKSK_KIND)
    for district in districts:
        account = User.objects.filter(username=tksk_username(district), role=Role.TKSK).first()
        person = PsksPerson.objects.filter(kind=kind, district=district, user=account).first()
        if person is None:
            rng = seeded("fieldwork-tksk", district.code)
            certified = district.name in CERTIFIED_TKSK
            person = PsksPerson(
                kind=kind,
                name=account.get_full_name() if account else person_name(rng, "L"),
                sex=rng.choice("LP"),
                phone=f"0812{rng.randint(10000000, 99999999)}",
                district=district,
                position=f"TKSK Kecamatan {district.name}",
                decree_number=TKSK_DECREE[0],
                decree_date=TKSK_DECREE[1],
                certified_on=datetime.date(2023, rng.randint(3, 11), rng.randint(1, 28))
                if certified
                else None,
                certification_body="LSP Kementerian Sosial RI" if certified else "",
                user=account,
            )
            person._history_user = admin
            person.save()
        if not TkskAssignment.objects.filter(person=person, ended_on=None).exists():
            services.tksk_assign(
                actor=admin,
                person=person,
                district=district,
                decree_number=TKSK_DECREE[0],
                decree_date=TKSK_DECREE[1],
                start_date=datetime.date(2024, 3, 1),
                period_end=datetime.date(2029, 2, 28),
            )


def _people(districts, villages) -> None:
    if PsksPerson.objects.exclude(kind__code=TKSK_KIND).exists():
        return
    kinds = {code: _kind(code) for code in ("psm", "tagana", "pendamping_sosial", "wpks")}
    people = []
    for district in districts:
        rng = seeded("fieldwork-people", district.code)
        counts = {
            "psm": rng.randint(5, 12),
            "tagana": rng.randint(2, 5),
            "pendamping_sosial": rng.randint(2, 6),
            "wpks": rng.randint(0, 2),
        }
        for code, count in counts.items():
            for _i in range(count):
                sex = rng.choice("LP") if code != "wpks" else "P"
                village = rng.choice(villages[district.code]) if code == "psm" else None
                people.append(
                    PsksPerson(
                        kind=kinds[code],
                        name=person_name(rng, sex),
                        sex=sex,
                        phone=f"0813{rng.randint(10000000, 99999999)}",
                        district=district,
                        village=village,
                        position={
                            "psm": "PSM Desa",
                            "tagana": "Anggota Tagana",
                            "pendamping_sosial": rng.choice(
                                ["Pendamping PKH", "Pendamping PKH", "Pendamping Disabilitas"]
                            ),
                            "wpks": "Ketua PKK Desa",
                        }[code],
                        decree_number=PSM_DECREE[0] if code == "psm" else "",
                        decree_date=PSM_DECREE[1] if code == "psm" else None,
                        certified_on=datetime.date(2024, 10, 14)
                        if code == "pendamping_sosial" and rng.random() < 0.4
                        else None,
                        certification_body="LSP Kementerian Sosial RI"
                        if code == "pendamping_sosial"
                        else "",
                    )
                )
    rangkas = next(d for d in districts if d.name == "Rangkasbitung")
    rng = seeded("fieldwork-people", "dinas")
    for code, count, position in (
        ("pekerja_sosial", 4, "Pekerja Sosial Dinas Sosial"),
        ("penyuluh_sosial", 1, "Penyuluh Sosial"),
    ):
        for _i in range(count):
            sex = rng.choice("LP")
            people.append(
                PsksPerson(
                    kind=_kind(code),
                    name=person_name(rng, sex),
                    sex=sex,
                    district=rangkas,
                    position=position,
                    certified_on=datetime.date(2022, 9, 1) if code == "pekerja_sosial" else None,
                    certification_body="LSP Kementerian Sosial RI"
                    if code == "pekerja_sosial"
                    else "",
                )
            )
    # Certified people need a certification body; the others leave it empty.
    for person in people:
        if not person.certified_on:
            person.certification_body = ""
    bulk_create_with_history(people, PsksPerson)


def _institutions(districts, villages) -> None:
    if PsksInstitution.objects.exists():
        return
    by_name = {d.name: d for d in districts}
    services_by_code = {s.code: s for s in PsksService.objects.all()}
    lks_kind = _kind("lks")
    today = timezone.localdate()
    made = []
    rng = seeded("fieldwork-lks")
    expired_left = 11
    for name, (count, accredited) in LKS.items():
        district = by_name.get(name)
        if district is None:
            continue
        for i in range(count):
            field = rng.choice(["anak", "lanjut_usia", "disabilitas", "anak", "napza"])
            label = {
                "anak": "LKSA",
                "lanjut_usia": "LKS Lansia",
                "disabilitas": "LKS Disabilitas",
                "napza": "IPWL",
            }[field]
            institution = PsksInstitution(
                kind=lks_kind,
                name=f"{label} {rng.choice(LKS_WORDS)} {district.name}",
                district=district,
                village=rng.choice(villages[district.code]),
                leader_name=person_name(rng, rng.choice("LP")),
                phone=f"0252{rng.randint(100000, 999999)}",
                registration_number=f"460/{rng.randint(100, 999)}-Dinsos/{2015 + i % 8}",
                registered_on=datetime.date(2015 + i % 8, rng.randint(1, 12), 1),
                residential=field != "napza",
                capacity=rng.randint(15, 60),
            )
            if i < accredited:
                institution.accreditation_grade = rng.choice("AB")
                institution.accredited_on = today - datetime.timedelta(days=rng.randint(200, 900))
                institution.accreditation_valid_until = (
                    institution.accredited_on + datetime.timedelta(days=5 * 365)
                )
            elif expired_left > 0 and rng.random() < 0.5:
                expired_left -= 1
                institution.accreditation_grade = rng.choice("BC")
                institution.accredited_on = datetime.date(2016, rng.randint(1, 12), 1)
                institution.accreditation_valid_until = institution.accredited_on.replace(
                    year=institution.accredited_on.year + 5
                )
            made.append((institution, [services_by_code[field]]))
    for district in districts:
        rng = seeded("fieldwork-kt", district.code)
        made.append(
            (
                PsksInstitution(
                    kind=_kind("karang_taruna"),
                    name=f"Karang Taruna Kecamatan {district.name}",
                    district=district,
                    village=villages[district.code][0],
                    leader_name=person_name(rng, "L"),
                    members=rng.randint(20, 60),
                ),
                [services_by_code["pemuda"]],
            )
        )
        if rng.random() < 0.4:
            made.append(
                (
                    PsksInstitution(
                        kind=_kind("wksbm"),
                        name=f"WKSBM {rng.choice(villages[district.code]).name}",
                        district=district,
                        village=rng.choice(villages[district.code]),
                        leader_name=person_name(rng, "P"),
                        members=rng.randint(8, 25),
                    ),
                    [services_by_code["keluarga"]],
                )
            )
    rangkas = by_name["Rangkasbitung"]
    made.append(
        (
            PsksInstitution(
                kind=_kind("lk3"),
                name="LK3 Multatuli Rangkasbitung",
                district=rangkas,
                village=villages[rangkas.code][0],
                leader_name="Dra. Hj. Euis Rahayu",
            ),
            [services_by_code["keluarga"]],
        )
    )
    for name in ("PT Semen Merah Putih (CSR)", "Bank Banten Cabang Rangkasbitung (CSR)"):
        made.append(
            (
                PsksInstitution(
                    kind=_kind("dunia_usaha"),
                    name=name,
                    district=rangkas,
                    village=villages[rangkas.code][1],
                ),
                [services_by_code["fakir_miskin"], services_by_code["bencana"]],
            )
        )
    institutions = bulk_create_with_history([item for item, _s in made], PsksInstitution)
    for institution, (_item, fields) in zip(institutions, made, strict=True):
        institution.services.set(fields)


# --- Field forms ----------------------------------------------------------------------------


def _account(district) -> User:
    return User.objects.get(username=tksk_username(district))


def _reviewer(code: str) -> User:
    head = User.objects.filter(role=Role.KEPALA_BIDANG, bidang__code=code, is_active=True).first()
    return head or User.objects.get(username="admin")


def _photo(rng) -> SimpleUploadedFile:
    import io

    from PIL import Image, ImageDraw

    image = Image.new("RGB", (800, 600), (rng.randint(90, 160), rng.randint(110, 170), 90))
    draw = ImageDraw.Draw(image)
    for _i in range(12):
        x, y = rng.randint(0, 760), rng.randint(200, 560)
        draw.rectangle([x, y, x + rng.randint(20, 90), y + rng.randint(20, 60)], fill=(120, 90, 60))
    out = io.BytesIO()
    image.save(out, format="JPEG", quality=70)
    return SimpleUploadedFile("foto.jpg", out.getvalue(), content_type="image/jpeg")


def _send(user, kind_code, payload, key, *, files=None, when=None):
    """Send a form as the TKSK would; returns (submission, created)."""
    existing = services.submission_by_key(actor=user, client_key=key)
    if existing is not None:
        return existing, False
    kind = get_kind(kind_code)
    form = kind.form_class(
        payload, files or {}, kind=kind, user=user, district_code=user.district_id
    )
    if not form.is_valid():
        raise ValueError(f"demo form {kind_code} is not valid: {form.errors.as_json()}")
    submission, created = services.submission_create(
        actor=user, kind=kind, form=form, client_key=key, client_created_at=when
    )
    if when is not None:
        # The demo stands for forms sent on earlier days.
        Submission.objects.filter(pk=submission.pk).update(
            submitted_at=when,
            last_submitted_at=when,
            is_late=bool(submission.due_date and timezone.localdate(when) > submission.due_date),
        )
        submission.events.update(at=when)
        submission.refresh_from_db()
    return submission, created


def _review(submission, decision, comment=""):
    submission.refresh_from_db()
    reviewer = _reviewer(submission.bidang.code if submission.bidang else "linjamsos")
    return services.submission_review(
        actor=reviewer,
        submission=submission,
        decision=decision,
        comment=comment,
        version=submission.version,
    )


def _disaster(village, days_ago, kind, persons, households, **extra):
    payload = {
        "incident_date": (timezone.localdate() - datetime.timedelta(days=days_ago)).isoformat(),
        "village": village.code,
        "location_detail": extra.pop("location_detail", "Kp. Cibeureum RT 02/04"),
        "disaster_type": kind,
        "disaster_type_other": extra.pop("disaster_type_other", ""),
        "description": extra.pop("description", "Hujan deras sejak sore menyebabkan kejadian."),
        "households_affected": households,
        "persons_affected": persons,
        "dead": 0,
        "missing": 0,
        "injured": extra.pop("injured", 0),
        "displaced": extra.pop("displaced", 0),
        "infants": extra.pop("infants", 0),
        "children": extra.pop("children", 0),
        "elderly": extra.pop("elderly", 0),
        "disabled": 0,
        "pregnant": 0,
        "houses_heavy": extra.pop("houses_heavy", 0),
        "houses_moderate": extra.pop("houses_moderate", 0),
        "houses_light": extra.pop("houses_light", 0),
        "urgent_needs": extra.pop("urgent_needs", ["food", "water"]),
        "urgent_needs_note": "",
        "latitude": "",
        "longitude": "",
    }
    payload.update(extra)
    return payload


# Last year's incidents (the year of the demo's LKjIP): (kecamatan, type, month, day,
# persons, households, extra), each sent the next day and approved two days later.
LAST_YEAR_DISASTERS = [
    ("Cibeber", "banjir", 1, 14, 86, 24, {"displaced": 30, "houses_light": 12, "infants": 7}),
    ("Cilograng", "tanah_longsor", 2, 3, 19, 5, {"houses_heavy": 4, "children": 6}),
    ("Leuwidamar", "puting_beliung", 3, 21, 27, 8, {"houses_moderate": 6, "houses_light": 2}),
    ("Rangkasbitung", "kebakaran", 5, 9, 6, 2, {"houses_heavy": 2}),
    ("Bayah", "gempa", 6, 30, 42, 12, {"houses_moderate": 7, "houses_light": 9, "elderly": 6}),
    ("Malingping", "banjir", 11, 18, 64, 19, {"displaced": 18, "houses_light": 11}),
    ("Sajira", "tanah_longsor", 12, 2, 11, 3, {"houses_heavy": 2, "injured": 1}),
    (
        "Panggarangan",
        "lainnya",
        12,
        20,
        9,
        3,
        {"disaster_type_other": "Abrasi pantai", "houses_moderate": 3},
    ),
]


def _last_year_disasters(by_name, first_village, rng) -> int:
    made = 0
    today = timezone.localdate()
    for name, kind, month, day, persons, households, extra in LAST_YEAR_DISASTERS:
        district = by_name.get(name)
        if district is None:
            continue
        occurred = datetime.date(today.year - 1, month, day)
        user = _account(district)
        payload = _disaster(
            first_village(name), (today - occurred).days, kind, persons, households, **extra
        )
        sent = timezone.make_aware(datetime.datetime.combine(occurred, datetime.time(10)))
        sent += datetime.timedelta(days=1)
        submission, created = _send(
            user,
            KIND_DISASTER,
            payload,
            _key("disaster", district.code, occurred.isoformat()),
            files={"photos": [_photo(rng)]},
            when=sent,
        )
        if not created:
            continue
        made += 1
        _review(submission, "approve")
        reviewed = sent + datetime.timedelta(days=2)
        Submission.objects.filter(pk=submission.pk).update(
            reviewed_at=reviewed, applied_at=reviewed
        )
        submission.events.filter(at__gt=sent).update(at=reviewed)
    return made


def _referral(village, days_ago, name, sex, age, service, situation, referred_to):
    return {
        "referral_date": (timezone.localdate() - datetime.timedelta(days=days_ago)).isoformat(),
        "village": village.code,
        "person_name": name,
        "nik": "",
        "sex": sex,
        "age": age,
        "address": "Kp. Pasir Eurih RT 01/03",
        "situation": situation,
        "ppks_category": "",
        "service": service,
        "service_other": "",
        "referred_to": referred_to,
        "institution": "",
        "urgency": "urgent",
    }


def _field_forms(districts, villages) -> int:
    by_name = {d.name: d for d in districts}
    made = 0
    now = timezone.now()
    rng = seeded("fieldwork-forms")

    def first_village(name):
        return villages[by_name[name].code][0]

    # Disaster incidents: approved (two), waiting, returned, resubmitted, rejected.
    plans = [
        (
            "Rangkasbitung",
            "banjir",
            6,
            58,
            17,
            "approve",
            {"displaced": 22, "houses_light": 9, "infants": 6, "elderly": 5},
        ),
        (
            "Cibeber",
            "tanah_longsor",
            12,
            14,
            4,
            "approve",
            {"houses_heavy": 3, "houses_moderate": 1, "children": 4},
        ),
        ("Malingping", "puting_beliung", 2, 23, 7, None, {"houses_moderate": 5, "houses_light": 2}),
        ("Maja", "kebakaran", 4, 5, 1, "return", {"houses_heavy": 1}),
        ("Wanasalam", "banjir", 3, 31, 9, "resubmit", {"displaced": 12}),
        ("Bayah", "puting_beliung", 9, 9, 3, "reject", {"houses_light": 3}),
    ]
    for name, kind, days_ago, persons, households, step, extra in plans:
        district = by_name[name]
        user = _account(district)
        village = first_village(name)
        payload = _disaster(village, days_ago, kind, persons, households, **extra)
        submission, created = _send(
            user,
            KIND_DISASTER,
            payload,
            _key("disaster", district.code),
            files={"photos": [_photo(rng)]},
            when=now - datetime.timedelta(days=max(days_ago - 1, 0), hours=3),
        )
        if not created:
            continue
        made += 1
        if step == "approve":
            _review(submission, "approve")
        elif step == "return":
            _review(
                submission, "return", "Foto rumah yang terbakar belum terlihat jelas; kirim ulang."
            )
        elif step == "reject":
            _review(submission, "reject", "Sudah dilaporkan oleh BPBD pada hari yang sama.")
        elif step == "resubmit":
            _review(submission, "return", "Jumlah KK terdampak tidak sesuai data desa.")
            kind_obj = get_kind(KIND_DISASTER)
            form = kind_obj.form_class(
                {**payload, "households_affected": 11},
                {},
                kind=kind_obj,
                user=user,
                district_code=user.district_id,
                submission=submission,
            )
            form.is_valid()
            services.submission_resubmit(
                actor=user, submission=submission, form=form, client_key=_key("fix", district.code)
            )

    made += _last_year_disasters(by_name, first_village, rng)

    # Referrals: one approved with a follow-up, one waiting, one returned.
    referral_plans = [
        (
            "Rangkasbitung",
            "approve",
            (
                "Mak Onah",
                "P",
                74,
                "health",
                "Lansia sakit menahun tinggal sendiri, belum memiliki BPJS.",
                "RSUD dr. Adjidarmo",
            ),
        ),
        (
            "Cipanas",
            None,
            (
                "Ujang Sopian",
                "L",
                12,
                "rehabilitation",
                "Anak putus sekolah, sering dipukul orang tua.",
                "UPTD PPA Kabupaten Lebak",
            ),
        ),
        (
            "Sajira",
            "return",
            (
                "Nana Hermawan",
                "L",
                51,
                "rtlh",
                "Rumah berdinding bilik, atap bocor, dihuni 6 orang.",
                "Dinas Perkim",
            ),
        ),
    ]
    for name, step, (person, sex, age, service, situation, to) in referral_plans:
        district = by_name[name]
        user = _account(district)
        payload = _referral(first_village(name), 8, person, sex, age, service, situation, to)
        submission, created = _send(
            user,
            KIND_REFERRAL,
            payload,
            _key("referral", district.code),
            when=now - datetime.timedelta(days=7, hours=2),
        )
        if not created:
            continue
        made += 1
        if step == "approve":
            _review(submission, "approve")
            submission.refresh_from_db()
            followup, _c = _send(
                user,
                KIND_REFERRAL_FOLLOWUP,
                {
                    "referral": str(submission.referral.pk),
                    "followup_date": (
                        timezone.localdate() - datetime.timedelta(days=2)
                    ).isoformat(),
                    "status": "in_progress",
                    "note": "Sudah diantar ke IGD, menunggu pendaftaran PBI-JK.",
                },
                _key("followup", district.code),
            )
            _review(followup, "approve")
        elif step == "return":
            _review(submission, "return", "Lampirkan foto kondisi rumah.")

    made += _registry_forms(by_name["Rangkasbitung"], now, rng)

    # Daily entries and the monthly report of last month.
    first = timezone.localdate().replace(day=1)
    month = (first - datetime.timedelta(days=1)).replace(day=1)
    activity_types = [
        "identification",
        "verification",
        "aid_distribution",
        "outreach",
        "coordination",
        "administration",
        "referral",
    ]
    for index, district in enumerate(districts):
        user = _account(district)
        local = seeded("fieldwork-entries", district.code)
        for n in range(local.randint(4, 9)):
            day = month + datetime.timedelta(days=local.randint(0, 27))
            key = _key("entry", district.code, month.isoformat(), n)
            if ActivityEntry.objects.filter(tksk=user, client_key=key).exists():
                continue
            if Submission.objects.filter(
                submitted_by=user, kind=KIND_MONTHLY_REPORT, period=month
            ).exists():
                break
            services.activity_entry_create(
                actor=user,
                client_key=key,
                date=day,
                activity_type=local.choice(activity_types),
                description=local.choice(
                    [
                        "Pendataan PPKS di desa bersama aparat desa.",
                        "Verifikasi lapangan usulan DTSEN.",
                        "Pendampingan penyaluran BPNT di e-Warong.",
                        "Sosialisasi layanan rehabilitasi sosial di posyandu.",
                        "Rapat koordinasi di kantor kecamatan.",
                    ]
                ),
                people_served=local.randint(0, 40),
                village=local.choice(villages[district.code]),
            )
        if index % 4 == 3:
            continue  # a quarter of the kecamatan have not sent last month's report
        sent_day = first + datetime.timedelta(days=local.choice([1, 3, 6, 8, 12, 15]))
        when = timezone.make_aware(
            datetime.datetime.combine(min(sent_day, timezone.localdate()), datetime.time(10, 30))
        )
        report, created = _send(
            user,
            KIND_MONTHLY_REPORT,
            {
                "period": month.strftime("%Y-%m"),
                "summary_text": "Melaksanakan pendataan PPKS, verifikasi DTSEN dan pendampingan "
                "penyaluran bantuan sosial di wilayah kecamatan.",
                "problems": local.choice(
                    ["Sinyal lemah di desa pegunungan.", "Jarak antar desa jauh.", ""]
                ),
                "plans": "Melanjutkan verifikasi dan validasi data.",
            },
            _key("monthly", district.code, month.isoformat()),
            when=when,
        )
        if created:
            made += 1
            if index % 3 == 0:
                _review(report, "approve")
            elif index % 7 == 1:
                _review(report, "return", "Lengkapi jumlah KPM yang didampingi.")
    return made


# --- Field forms about the registry's households ---------------------------------------------


def _registry_forms(district, now, rng) -> int:
    """Verification visits (approved, waiting, returned), a new PPKS found in a visited family
    (approved: a new member in the category Lanjut Usia Terlantar) and an aid monitoring that
    confirms a recorded payment (approved), all by the TKSK of ``district`` about households of
    the registry's demo. Nothing when the registry has no households there (its demo did not
    run) or a kind is not registered."""
    if not apps.is_installed("beneficiaries") or find_kind(KIND_VERIFICATION_VISIT) is None:
        return 0
    from beneficiaries.models import CategoryPlacement, Household

    households = Household.objects.filter(district=district, deleted_at=None).order_by("no_kk")
    identified = CategoryPlacement.Status.IDENTIFIED
    first = (
        households.filter(
            Q(placements__status=identified) | Q(members__placements__status=identified)
        ).first()
        or households.first()
    )
    others = list(households.exclude(pk=getattr(first, "pk", None))[:2])
    if first is None or len(others) < 2:
        return 0
    user = _account(district)
    today = timezone.localdate()
    made = 0
    plans = [
        (first, 12, {"finding": "found", "still_eligible": "yes"}, "approve"),
        (others[0], 3, {"finding": "moved", "still_eligible": ""}, None),
        (others[1], 5, {"finding": "found", "still_eligible": "unsure"}, "return"),
    ]
    for n, (household, days_ago, finding, step) in enumerate(plans):
        payload = {
            "visit_date": (today - datetime.timedelta(days=days_ago)).isoformat(),
            "no_kk": household.no_kk,
            **finding,
            "latitude": "",
            "longitude": "",
            "note": "Rumah semi permanen, dinding bilik." if n == 0 else "",
        }
        submission, created = _send(
            user,
            KIND_VERIFICATION_VISIT,
            payload,
            _key("visit", district.code, n),
            files={"house_photo": [_photo(rng)]},
            when=now - datetime.timedelta(days=days_ago),
        )
        if not created:
            continue
        made += 1
        if step == "approve":
            _review(submission, "approve")
        elif step == "return":
            _review(submission, "return", "Sebutkan alasan ragu: penghasilan atau kondisi rumah?")
    made += _new_ppks_in(first, user, now, rng)
    if apps.is_installed("programs") and find_kind(KIND_AID_MONITORING) is not None:
        made += _aid_monitoring(district, user, now)
    return made


def _new_ppks_in(household, user, now, rng) -> int:
    """An elderly parent found living with a visited family, not yet in the registry."""
    from beneficiaries.demo import nik_for
    from beneficiaries.models import PpksCategory

    category = PpksCategory.objects.filter(code="lanjut_usia_terlantar").first()
    if category is None:
        return 0
    local = seeded("fieldwork-new-ppks", household.district_id)
    birth = datetime.date(1946, 3, 17)
    found_on = timezone.localdate() - datetime.timedelta(days=11)
    submission, created = _send(
        user,
        KIND_NEW_PPKS,
        {
            "found_on": found_on.isoformat(),
            "unit": "person",
            "category": str(category.pk),
            "village": household.village_id,
            "no_kk": household.no_kk,
            "address": household.address,
            "rt": household.rt,
            "rw": household.rw,
            "nik": nik_for(household.district_id, birth, "P", 9901),
            "name": person_name(local, "P"),
            "sex": "P",
            "birth_place": "Lebak",
            "birth_date": birth.isoformat(),
            "relationship": "orang_tua",
            "disability_types": [],
            "disability_severity": "",
            "situation": "Lansia tinggal bersama anak yang tidak mampu merawat, sering sakit.",
        },
        _key("new_ppks", household.district_id),
        files={"photo": [_photo(rng)]},
        when=now - datetime.timedelta(days=11),
    )
    if created:
        _review(submission, "approve")
    return int(created)


def _aid_monitoring(district, user, now) -> int:
    """A monitoring of a payment the records show as received (confirmed on approval)."""
    from programs.models import Disbursement

    today = timezone.localdate()
    disbursement = (
        Disbursement.objects.filter(
            district=district,
            year=today.year,
            status=Disbursement.Status.PAID,
            paid_on__lte=today,
            enrollment__household__isnull=False,
            enrollment__household__deleted_at=None,
        )
        .select_related("stage", "enrollment__household")
        .order_by("stage__planned_on", "pk")
        .first()
    )
    if disbursement is None:
        return 0
    submission, created = _send(
        user,
        KIND_AID_MONITORING,
        {
            "monitored_on": (today - datetime.timedelta(days=1)).isoformat(),
            "program": str(disbursement.program_id),
            "year": disbursement.year,
            "stage_number": disbursement.stage.number,
            "recipient_number": disbursement.enrollment.household.no_kk,
            "received": "yes",
            "received_on": disbursement.paid_on.isoformat(),
            "amount_received": str(int(disbursement.paid_amount)),
            "channel": disbursement.channel or "pos",
            "reason": "",
            "note": "",
        },
        _key("aid_monitoring", district.code),
        when=now - datetime.timedelta(days=1),
    )
    if created:
        _review(submission, "approve")
    return int(created)
