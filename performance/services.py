"""Every write of performance management, with its rules. Pages, the API, the imports and the
management commands all go through these functions.

Who: ``accounts.access`` decides. The plan, agreements, budget belong to the unit keeping the
Renstra (``check_bidang(actor, renstra.bidang_id)``); a realization to the indicator's bidang;
approval needs the APPROVE permission (a Kepala Bidang of that bidang, the Kepala Dinas, an
administrator); reopening a locked quarter and the settings are an administrator's.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Sequence
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.access import Action, Domain, check_bidang, require
from welfare.concurrency import check_version
from welfare.formatting import format_date

from . import calculations as calc
from . import clock, selectors
from .evidence import inspect_upload
from .models import (
    Agreement,
    AgreementTarget,
    Band,
    BudgetLine,
    BudgetRealization,
    Evidence,
    Indicator,
    PerformanceSettings,
    Program,
    QuarterReopen,
    Realization,
    Renstra,
    RenstraTarget,
    Sasaran,
    SasaranProgram,
    SpmAchievement,
    SpmService,
    Tujuan,
)
from .sources import get_source

QUARTER_NAMES = {1: "I", 2: "II", 3: "III", 4: "IV"}


def _assign(instance, data: dict[str, Any], allowed: Iterable[str]) -> None:
    allowed = set(allowed)
    for name, value in data.items():
        if name not in allowed:
            raise ValueError(f"unknown field {name!r} for {type(instance).__name__}")
        setattr(instance, name, value)


def _save(instance, actor) -> None:
    instance._history_user = actor
    instance.full_clean()
    instance.save()


def _save_realization(realization: Realization, actor) -> None:
    """A realization's fields are checked by the service (quarter, figures, the row lock keeps
    one entry per quarter): skip the per-field foreign-key and uniqueness queries of
    ``full_clean``; the database constraints stay the last guard."""
    realization._history_user = actor
    realization.full_clean(
        exclude=["indicator", "entered_by", "reviewed_by"],
        validate_unique=False,
        validate_constraints=False,
    )
    realization.save()


def _planner(actor, renstra: Renstra, action: str = Action.CHANGE) -> None:
    """The plan, agreements and budget are changed by the unit keeping the Renstra."""
    require(actor, Domain.PERFORMANCE, action)
    check_bidang(actor, renstra.bidang_id)


# --- Plan ------------------------------------------------------------------------------------

RENSTRA_FIELDS = ("name", "start_year", "end_year", "vision", "mission", "legal_basis", "bidang")


@transaction.atomic
def renstra_save(
    *, actor, data: dict[str, Any], renstra: Renstra | None = None, version: int | None = None
) -> Renstra:
    if renstra is None:
        require(actor, Domain.PERFORMANCE, Action.ADD)
        renstra = Renstra()
        _assign(renstra, data, RENSTRA_FIELDS)
        check_bidang(actor, renstra.bidang_id)
    else:
        _planner(actor, renstra)
        check_version(renstra, version)
        _assign(renstra, data, RENSTRA_FIELDS)
        check_bidang(actor, renstra.bidang_id)
    _check_no_overlap(renstra)
    _save(renstra, actor)
    return renstra


def _check_no_overlap(renstra: Renstra) -> None:
    if not (renstra.start_year and renstra.end_year):
        return
    overlapping = Renstra.objects.filter(
        start_year__lte=renstra.end_year, end_year__gte=renstra.start_year
    ).exclude(pk=renstra.pk)
    other = overlapping.first()
    if other is not None:
        raise ValidationError(
            {
                "start_year": _("The period overlaps %(other)s (%(start)s-%(end)s).")
                % {"other": other.name, "start": other.start_year, "end": other.end_year}
            }
        )
    outside = (
        Agreement.objects.filter(renstra=renstra)
        .exclude(year__gte=renstra.start_year, year__lte=renstra.end_year)
        .exists()
        if renstra.pk
        else False
    )
    if outside:
        raise ValidationError(
            {"end_year": _("An agreement of this Renstra falls outside the new period.")}
        )


@transaction.atomic
def tujuan_save(
    *, actor, renstra: Renstra, data: dict, tujuan: Tujuan | None = None, version=None
) -> Tujuan:
    _planner(actor, renstra, Action.ADD if tujuan is None else Action.CHANGE)
    if tujuan is None:
        tujuan = Tujuan(renstra=renstra)
    else:
        check_version(tujuan, version)
    _assign(tujuan, data, ("code", "name", "order"))
    _unique_code(Tujuan, tujuan, renstra)
    _save(tujuan, actor)
    return tujuan


def _unique_code(model, instance, renstra: Renstra) -> None:
    clash = model.objects.filter(renstra=renstra, code=instance.code).exclude(pk=instance.pk)
    if clash.exists():
        raise ValidationError(
            {
                "code": _("The code %(code)s is already used in this Renstra.")
                % {"code": instance.code}
            }
        )


@transaction.atomic
def sasaran_save(
    *,
    actor,
    renstra: Renstra,
    data: dict,
    programs: Sequence[Program] | None = None,
    sasaran: Sasaran | None = None,
    version=None,
) -> Sasaran:
    _planner(actor, renstra, Action.ADD if sasaran is None else Action.CHANGE)
    if sasaran is None:
        sasaran = Sasaran(renstra=renstra)
    else:
        check_version(sasaran, version)
    _assign(sasaran, data, ("tujuan", "code", "name", "order"))
    _unique_code(Sasaran, sasaran, renstra)
    _save(sasaran, actor)
    if programs is not None:
        sasaran_set_programs(actor=actor, sasaran=sasaran, programs=programs)
    return sasaran


def sasaran_set_programs(*, actor, sasaran: Sasaran, programs: Sequence[Program]) -> None:
    """The programs supporting a sasaran (each program supports one sasaran per Renstra)."""
    renstra = sasaran.renstra
    wanted = {p.pk for p in programs}
    taken = dict(
        SasaranProgram.objects.filter(renstra=renstra, program_id__in=wanted)
        .exclude(sasaran=sasaran)
        .values_list("program__code", "sasaran__code")
    )
    if taken:
        raise ValidationError(
            {
                "programs": [
                    _("Program %(program)s already supports sasaran %(sasaran)s.")
                    % {"program": program, "sasaran": other}
                    for program, other in sorted(taken.items())
                ]
            }
        )
    SasaranProgram.objects.filter(sasaran=sasaran).exclude(program_id__in=wanted).delete()
    existing = set(
        SasaranProgram.objects.filter(sasaran=sasaran).values_list("program_id", flat=True)
    )
    for program_id in wanted - existing:
        link = SasaranProgram(renstra=renstra, sasaran=sasaran, program_id=program_id)
        link._history_user = actor
        link.save()


INDICATOR_FIELDS = (
    "level",
    "tujuan",
    "sasaran",
    "program",
    "kegiatan",
    "sub_kegiatan",
    "code",
    "name",
    "definition",
    "formula",
    "unit",
    "data_source",
    "bidang",
    "direction",
    "lower_formula",
    "aggregation",
    "is_iku",
    "baseline_year",
    "baseline_value",
    "source_code",
    "continues",
    "order",
)


@transaction.atomic
def indicator_save(
    *,
    actor,
    renstra: Renstra,
    data: dict,
    targets: dict[int, Decimal | None] | None = None,
    indicator: Indicator | None = None,
    version=None,
) -> Indicator:
    """Create or change an indicator and its target for each Renstra year (None removes)."""
    _planner(actor, renstra, Action.ADD if indicator is None else Action.CHANGE)
    if indicator is None:
        indicator = Indicator(renstra=renstra)
    else:
        check_version(indicator, version)
    _assign(indicator, data, INDICATOR_FIELDS)
    _unique_code(Indicator, indicator, renstra)
    if indicator.pk and "aggregation" in data:
        previous = Indicator.objects.get(pk=indicator.pk).aggregation
        if previous != indicator.aggregation and _changes_ratio(previous, indicator):
            raise ValidationError(
                {
                    "aggregation": _(
                        "Realizations are recorded for this indicator: its rule cannot switch "
                        "between numerator/denominator and a single value."
                    )
                }
            )
    _save(indicator, actor)
    if targets is not None:
        _set_renstra_targets(actor, indicator, targets)
    return indicator


def _changes_ratio(previous: str, indicator: Indicator) -> bool:
    switching = (previous == calc.Aggregation.RATIO) != (
        indicator.aggregation == calc.Aggregation.RATIO
    )
    return switching and indicator.realizations.exists()


def _set_renstra_targets(actor, indicator: Indicator, targets: dict[int, Decimal | None]) -> None:
    years = set(indicator.renstra.years)
    outside = sorted(set(targets) - years)
    if outside:
        raise ValidationError(
            {"targets": _("Year %(year)s is outside the Renstra period.") % {"year": outside[0]}}
        )
    negative = {
        f"target_{year}": _("A target cannot be negative.")
        for year, value in targets.items()
        if value is not None and value < 0
    }
    if negative:
        raise ValidationError(negative)
    existing = {t.year: t for t in indicator.renstra_targets.all()}
    for year, value in targets.items():
        current = existing.get(year)
        if value is None:
            if current is not None:
                current._history_user = actor
                current.delete()
            continue
        if current is None:
            current = RenstraTarget(indicator=indicator, year=year, value=value)
        elif current.value == value:
            continue
        current.value = value
        current._history_user = actor
        current.save()


# --- Deleting a plan item or a budget line ----------------------------------------------------
#
# Only an item entered by mistake is deleted: one whose dependants carry no data (see
# ``selectors.<entity>_deletion``: children, targets in an agreement, realizations, evidence,
# budget realization). The check runs after the item's row is locked (``check_version``), so a
# child added at the same moment waits for this transaction (its foreign key locks the row) and
# is either counted or refused by the database: nothing is deleted by a cascade. Each deleted
# row gets a history entry with the user and the reason.

REASON_MAX = 100  # simple_history's history_change_reason


class DeletionRefused(ValidationError):
    """The item still has dependants that carry data; the message names them."""

    def __init__(self, message: str):
        super().__init__(message, code="protected")


def _deletion_reason(reason: str | None) -> str:
    reason = " ".join((reason or "").split())
    if not reason:
        raise ValidationError({"reason": _("Give the reason for deleting.")})
    if len(reason) > REASON_MAX:
        raise ValidationError(
            {
                "reason": _("Keep the reason to at most %(max)s characters (it has %(n)s).")
                % {"max": REASON_MAX, "n": len(reason)}
            }
        )
    return reason


def _delete(instance, actor, reason: str) -> None:
    instance._history_user = actor
    instance._change_reason = reason
    instance.delete()


def _delete_checked(instance, *, actor, version, reason: str, check) -> None:
    """Lock and version-check ``instance``, refuse it while ``check(instance)`` finds
    dependants, else delete it and ``check``'s parts that go with it (``_parts``)."""
    reason = _deletion_reason(reason)
    check_version(instance, version)
    found = check(instance)
    if not found.allowed:
        raise DeletionRefused(found.message)
    for part in _parts(instance):
        _delete(part, actor, reason)
    _delete(instance, actor, reason)


def _parts(instance) -> list:
    """The rows deleted with an item: entered on its own form, carrying no data of their own."""
    if isinstance(instance, Sasaran):
        return list(SasaranProgram.objects.filter(sasaran=instance))
    if isinstance(instance, Indicator):
        return [*instance.renstra_targets.all(), *QuarterReopen.objects.filter(indicator=instance)]
    if isinstance(instance, BudgetLine):
        return list(instance.months.filter(amount=0))
    return []


@transaction.atomic
def tujuan_delete(*, actor, tujuan: Tujuan, version: int | None, reason: str) -> None:
    """Delete a goal entered by mistake (refused while it has sasaran or indicators)."""
    _planner(actor, tujuan.renstra, Action.DELETE)
    _delete_checked(
        tujuan, actor=actor, version=version, reason=reason, check=selectors.tujuan_deletion
    )


@transaction.atomic
def sasaran_delete(*, actor, sasaran: Sasaran, version: int | None, reason: str) -> None:
    """Delete an objective entered by mistake (refused while it has indicators); its links to
    supporting programs go with it."""
    _planner(actor, sasaran.renstra, Action.DELETE)
    _delete_checked(
        sasaran, actor=actor, version=version, reason=reason, check=selectors.sasaran_deletion
    )


@transaction.atomic
def indicator_delete(*, actor, indicator: Indicator, version: int | None, reason: str) -> None:
    """Delete an indicator entered by mistake (refused while an agreement has a target for it,
    a realization was entered or a later indicator continues it); its Renstra targets and
    reopened quarters go with it."""
    _planner(actor, indicator.renstra, Action.DELETE)
    _delete_checked(
        indicator, actor=actor, version=version, reason=reason, check=selectors.indicator_deletion
    )


@transaction.atomic
def budget_line_delete(*, actor, line: BudgetLine, version: int | None, reason: str) -> None:
    """Delete a budget line entered by mistake (refused while a month has a realization)."""
    _planner(actor, line.renstra, Action.DELETE)
    _delete_checked(
        line, actor=actor, version=version, reason=reason, check=selectors.budget_line_deletion
    )


# --- Agreements (Perjanjian Kinerja) ------------------------------------------------------------

AGREEMENT_FIELDS = ("signed_on", "first_party", "second_party", "reason")


@transaction.atomic
def agreement_create(*, actor, renstra: Renstra, year: int, data: dict | None = None) -> Agreement:
    """The original agreement (murni) of a year, its targets taken from the Renstra's targets
    for that year (to be adjusted)."""
    _planner(actor, renstra, Action.ADD)
    if Agreement.objects.filter(year=year).exists():
        raise ValidationError(
            {"year": _("The agreement of %(year)s already exists.") % {"year": year}}
        )
    agreement = Agreement(renstra=renstra, year=year, revision=0)
    _assign(agreement, data or {}, AGREEMENT_FIELDS)
    _save(agreement, actor)
    targets = [
        AgreementTarget(agreement=agreement, indicator_id=indicator_id, target=value)
        for indicator_id, value in RenstraTarget.objects.filter(
            indicator__renstra=renstra, year=year
        ).values_list("indicator_id", "value")
    ]
    _bulk_targets(targets, actor)
    return agreement


@transaction.atomic
def agreement_revise(*, actor, year: int, reason: str, data: dict | None = None) -> Agreement:
    """A revision (PK Perubahan) of the year's latest agreement: a copy of its targets to be
    changed. The earlier agreement stays as it was."""
    latest = Agreement.objects.select_for_update().filter(year=year).order_by("-revision").first()
    if latest is None:
        raise ValidationError(
            {"year": _("There is no agreement for %(year)s to revise.") % {"year": year}}
        )
    _planner(actor, latest.renstra, Action.ADD)
    if not (reason or "").strip():
        raise ValidationError({"reason": _("Say why the agreement is revised.")})
    agreement = Agreement(
        renstra=latest.renstra,
        year=year,
        revision=latest.revision + 1,
        based_on=latest,
        first_party=latest.first_party,
        second_party=latest.second_party,
    )
    _assign(agreement, {**(data or {}), "reason": reason.strip()}, AGREEMENT_FIELDS)
    _save(agreement, actor)
    _bulk_targets(
        [
            AgreementTarget(
                agreement=agreement,
                indicator_id=t.indicator_id,
                target=t.target,
                q1=t.q1,
                q2=t.q2,
                q3=t.q3,
                q4=t.q4,
            )
            for t in latest.targets.all()
        ],
        actor,
    )
    return agreement


def _bulk_targets(targets: list[AgreementTarget], actor) -> None:
    created = AgreementTarget.objects.bulk_create(targets)
    AgreementTarget.history.bulk_history_create(created, default_user=actor)


@transaction.atomic
def agreement_update(*, actor, agreement: Agreement, version, data: dict) -> Agreement:
    _planner(actor, agreement.renstra)
    check_version(agreement, version)
    _assign(agreement, data, AGREEMENT_FIELDS)
    _save(agreement, actor)
    return agreement


TARGET_FIELDS = ("target", "q1", "q2", "q3", "q4")


def _validate_target(indicator: Indicator, values: dict) -> dict[str, str]:
    errors = {}
    if values.get("target") is None:
        errors["target"] = _("Give the yearly target.")
    for name in TARGET_FIELDS:
        value = values.get(name)
        if value is not None and value < 0:
            errors[name] = _("A target cannot be negative.")
    if not errors:
        problem = calc.quarter_targets_problem(
            indicator.aggregation, values["target"], [values.get(f"q{q}") for q in calc.QUARTERS]
        )
        if problem:
            errors["q4" if indicator.aggregation != calc.Aggregation.SUM else "target"] = problem
    return errors


@transaction.atomic
def agreement_targets_save(*, actor, agreement: Agreement, rows: Sequence[dict]) -> int:
    """Set the targets of several indicators of an agreement in one go. Each row:
    ``indicator`` (an Indicator), ``target``, ``q1``..``q4`` and, for an existing target, its
    ``version``. A row with no values removes the indicator from the agreement. All or nothing:
    the errors of every row are raised together, keyed by the indicator's code."""
    _planner(actor, agreement.renstra)
    existing = {
        t.indicator_id: t
        for t in AgreementTarget.objects.select_for_update().filter(agreement=agreement)
    }
    errors: dict[str, list[str]] = {}
    changed = 0
    for row in rows:
        indicator: Indicator = row["indicator"]
        if indicator.renstra_id != agreement.renstra_id:
            errors.setdefault(indicator.code, []).append(
                _("The indicator belongs to another Renstra.")
            )
            continue
        values = {name: row.get(name) for name in TARGET_FIELDS}
        current = existing.get(indicator.pk)
        if all(v is None for v in values.values()):
            if current is not None:
                check_version(current, row.get("version"))
                current._history_user = actor
                current.delete()
                changed += 1
            continue
        row_errors = _validate_target(indicator, values)
        if row_errors:
            errors.setdefault(indicator.code, []).extend(row_errors.values())
            continue
        if current is None:
            current = AgreementTarget(agreement=agreement, indicator=indicator)
        elif all(getattr(current, n) == values[n] for n in TARGET_FIELDS):
            continue
        else:
            check_version(current, row.get("version"))
        _assign(current, values, TARGET_FIELDS)
        current._history_user = actor
        current.save()
        changed += 1
    if errors:
        raise ValidationError(errors)
    return changed


@transaction.atomic
def agreement_target_update(
    *, actor, target: AgreementTarget, version, data: dict
) -> AgreementTarget:
    _planner(actor, target.agreement.renstra)
    check_version(target, version)
    values = {name: data.get(name, getattr(target, name)) for name in TARGET_FIELDS}
    errors = _validate_target(target.indicator, values)
    if errors:
        raise ValidationError(errors)
    _assign(target, values, TARGET_FIELDS)
    _save(target, actor)
    return target


# --- Realizations --------------------------------------------------------------------------------


def quarter_label(year: int, quarter: int) -> str:
    return _("Quarter %(q)s %(year)s") % {"q": QUARTER_NAMES[quarter], "year": year}


def _check_open(indicator: Indicator, year: int, quarter: int) -> None:
    if quarter not in calc.QUARTERS:
        raise ValidationError({"quarter": _("The quarter must be 1, 2, 3 or 4.")})
    renstra = indicator.renstra
    if not renstra.start_year <= year <= renstra.end_year:
        raise ValidationError({"year": _("The year is outside the indicator's Renstra period.")})
    state = selectors.lock_state(indicator_id=indicator.pk, year=year, quarter=quarter)
    if state.not_started:
        raise ValidationError(
            _("%(quarter)s has not started yet.") % {"quarter": quarter_label(year, quarter)}
        )
    if state.locked:
        raise ValidationError(
            _(
                "%(quarter)s is locked since %(date)s. Ask an administrator to open it again for "
                "this indicator."
            )
            % {
                "quarter": quarter_label(year, quarter),
                "date": format_date(state.lock_date + datetime.timedelta(days=1)),
            }
        )


def _entry_permission(actor, indicator: Indicator, action: str) -> None:
    require(actor, Domain.PERFORMANCE, action)
    check_bidang(actor, indicator.bidang_id)


REALIZATION_TEXT_FIELDS = (
    "unavailable_reason",
    "obstacles",
    "supporting_factors",
    "solutions",
    "recommendations",
)
REALIZATION_FIGURE_FIELDS = ("value", "numerator", "denominator")


def _clean_figures(indicator: Indicator, data: dict) -> dict:
    """Check the figures the user gave for the indicator's rule; derive the value of a
    percentage from its numerator and denominator."""
    values = {name: data.get(name) for name in REALIZATION_FIGURE_FIELDS}
    errors = {}
    for name, value in values.items():
        if value is not None and value < 0:
            errors[name] = _("A realization cannot be negative.")
    if indicator.aggregation == calc.Aggregation.RATIO:
        if values["value"] is not None and values["numerator"] is None:
            errors["numerator"] = _(
                "This indicator is a percentage: give its numerator and denominator, not the %."
            )
        if (values["numerator"] is None) != (values["denominator"] is None):
            errors["denominator" if values["denominator"] is None else "numerator"] = _(
                "Give both the numerator and the denominator."
            )
        elif values["denominator"] == 0:
            errors["denominator"] = _("The denominator cannot be 0.")
        if errors:
            raise ValidationError(errors)
        if values["numerator"] is not None:
            values["value"], _reason = calc.quarter_percentage(
                values["numerator"], values["denominator"]
            )
        return values
    if values["numerator"] is not None or values["denominator"] is not None:
        errors["value"] = _("This indicator takes one value, not a numerator and denominator.")
    if errors:
        raise ValidationError(errors)
    values["numerator"] = values["denominator"] = None
    return values


@transaction.atomic
def realization_save(
    *,
    actor,
    indicator: Indicator,
    year: int,
    quarter: int,
    data: dict,
    version: int | None = None,
    uploads: Sequence = (),
    submit: bool = False,
) -> Realization:
    """Enter or correct a quarter's realization (a draft, or returned for correction), with
    its notes and evidence files; ``submit`` sends it for approval."""
    realization = (
        Realization.objects.select_for_update()
        .filter(indicator=indicator, year=year, quarter=quarter)
        .first()
    )
    _entry_permission(actor, indicator, Action.ADD if realization is None else Action.CHANGE)
    _check_open(indicator, year, quarter)
    if realization is None:
        realization = Realization(indicator=indicator, year=year, quarter=quarter)
    else:
        check_version(realization, version)
        if not realization.is_editable:
            raise ValidationError(
                _("This realization is %(status)s and cannot be changed.")
                % {"status": realization.get_status_display().lower()}
            )
    typed = {k: v for k, v in data.items() if k in REALIZATION_FIGURE_FIELDS}
    if indicator.source_code and any(v is not None for v in typed.values()):
        raise ValidationError(
            {"value": _("This indicator's realization is computed from operational data.")}
        )
    if not indicator.source_code:
        figures = _clean_figures(indicator, typed)
        _assign(realization, figures, REALIZATION_FIGURE_FIELDS)
    texts = {k: (data.get(k) or "").strip() for k in REALIZATION_TEXT_FIELDS if k in data}
    _assign(realization, texts, REALIZATION_TEXT_FIELDS)
    if realization.value is not None:
        realization.unavailable_reason = ""
    if realization.entered_by_id is None:
        realization.entered_by = actor
    _save_realization(realization, actor)
    for upload in uploads:
        _evidence_add(actor, realization, upload)
    if submit:
        _submit(actor, realization)
    return realization


def _evidence_add(actor, realization: Realization, upload) -> Evidence:
    max_mb = selectors.performance_settings().evidence_max_mb
    inspected = inspect_upload(upload, max_bytes=max_mb * 1024 * 1024)
    evidence = Evidence(
        realization=realization,
        original_name=upload.name[:255],
        content_type=inspected.kind.content_type,
        size=inspected.size,
        sha256=inspected.sha256,
        uploaded_by=actor,
    )
    evidence.file.save(upload.name, upload, save=False)
    evidence._history_user = actor
    evidence.save()
    return evidence


@transaction.atomic
def evidence_add(*, actor, realization: Realization, uploads: Sequence) -> list[Evidence]:
    indicator = realization.indicator
    _entry_permission(actor, indicator, Action.CHANGE)
    _check_open(indicator, realization.year, realization.quarter)
    if not realization.is_editable:
        raise ValidationError(_("Evidence can be added while the realization is a draft."))
    return [_evidence_add(actor, realization, upload) for upload in uploads]


@transaction.atomic
def evidence_delete(*, actor, evidence: Evidence) -> None:
    realization = evidence.realization
    _entry_permission(actor, realization.indicator, Action.DELETE)
    _check_open(realization.indicator, realization.year, realization.quarter)
    if not realization.is_editable:
        raise ValidationError(_("Evidence can be removed while the realization is a draft."))
    stored = evidence.file.name
    evidence._history_user = actor
    evidence.delete()
    transaction.on_commit(lambda: evidence.file.storage.delete(stored))


def _submit(actor, realization: Realization) -> None:
    indicator = realization.indicator
    has_figure = realization.value is not None
    if not has_figure and not realization.unavailable_reason:
        field = "numerator" if indicator.aggregation == calc.Aggregation.RATIO else "value"
        raise ValidationError(
            {
                field: _(
                    "Give the realization, or say why it is not available yet, before submitting."
                )
            }
        )
    if has_figure and not realization.source_code and not realization.evidence.exists():
        raise ValidationError(
            {"evidence": _("Attach at least one evidence file before submitting.")}
        )
    realization.status = Realization.Status.SUBMITTED
    realization.submitted_at = timezone.now()
    realization.review_note = ""
    _save_realization(realization, actor)


@transaction.atomic
def realization_submit(*, actor, realization: Realization, version) -> Realization:
    realization = Realization.objects.select_for_update().get(pk=realization.pk)
    _entry_permission(actor, realization.indicator, Action.CHANGE)
    _check_open(realization.indicator, realization.year, realization.quarter)
    check_version(realization, version)
    if not realization.is_editable:
        raise ValidationError(_("Only a draft or a returned realization can be submitted."))
    _submit(actor, realization)
    return realization


@transaction.atomic
def realization_approve(*, actor, realization: Realization, version, note: str = "") -> Realization:
    """Approve a submitted realization: it counts from now on. Allowed after the quarter locks
    (approving changes no figure)."""
    realization = Realization.objects.select_for_update().get(pk=realization.pk)
    require(actor, Domain.PERFORMANCE, Action.APPROVE)
    check_bidang(actor, realization.indicator.bidang_id)
    check_version(realization, version)
    if realization.status != Realization.Status.SUBMITTED:
        raise ValidationError(_("Only a submitted realization can be approved."))
    realization.status = Realization.Status.APPROVED
    realization.reviewed_by = actor
    realization.reviewed_at = timezone.now()
    realization.review_note = (note or "").strip()
    _save_realization(realization, actor)
    return realization


@transaction.atomic
def realization_return(*, actor, realization: Realization, version, note: str) -> Realization:
    """Send a submitted (or approved) realization back to the bidang for correction."""
    realization = Realization.objects.select_for_update().get(pk=realization.pk)
    require(actor, Domain.PERFORMANCE, Action.APPROVE)
    check_bidang(actor, realization.indicator.bidang_id)
    check_version(realization, version)
    if realization.status not in (Realization.Status.SUBMITTED, Realization.Status.APPROVED):
        raise ValidationError(_("Only a submitted or approved realization can be returned."))
    if not (note or "").strip():
        raise ValidationError({"note": _("Say what must be corrected.")})
    _check_open(realization.indicator, realization.year, realization.quarter)
    realization.status = Realization.Status.RETURNED
    realization.reviewed_by = actor
    realization.reviewed_at = timezone.now()
    realization.review_note = note.strip()
    _save_realization(realization, actor)
    return realization


@transaction.atomic
def realization_compute(*, actor, indicator: Indicator, year: int, quarter: int) -> Realization:
    """Compute a quarter's realization from the indicator's data source and keep where it came
    from. The result is a draft the bidang submits like any other."""
    source = get_source(indicator.source_code) if indicator.source_code else None
    if source is None:
        raise ValidationError(_("This indicator is not computed from operational data."))
    realization = (
        Realization.objects.select_for_update()
        .filter(indicator=indicator, year=year, quarter=quarter)
        .first()
    )
    _entry_permission(actor, indicator, Action.ADD if realization is None else Action.CHANGE)
    _check_open(indicator, year, quarter)
    if realization is None:
        realization = Realization(indicator=indicator, year=year, quarter=quarter, entered_by=actor)
    elif not realization.is_editable:
        raise ValidationError(
            _("This realization is %(status)s and cannot be changed.")
            % {"status": realization.get_status_display().lower()}
        )
    else:
        realization.version += 1  # a recomputation: an open form on the old figure is stale
    result = source.compute(year, quarter)
    if indicator.aggregation == calc.Aggregation.RATIO:
        if result.value is not None and result.numerator is None:
            raise ValidationError(
                _(
                    "The source gives a single value but the indicator combines numerators and "
                    "denominators: change the indicator's rule to the latest quarter's value."
                )
            )
        figures = _clean_figures(
            indicator, {"numerator": result.numerator, "denominator": result.denominator}
        )
    else:
        value = result.value
        if value is None and result.numerator is not None and result.denominator:
            value, _reason = calc.quarter_percentage(result.numerator, result.denominator)
        figures = {"value": value, "numerator": None, "denominator": None}
    _assign(realization, figures, REALIZATION_FIGURE_FIELDS)
    realization.source_code = source.code
    realization.provenance = result.provenance or str(source.label)
    realization.computed_at = timezone.now()
    if realization.value is None:
        realization.unavailable_reason = result.provenance or _("The source has no data yet.")
    else:
        realization.unavailable_reason = ""
    _save_realization(realization, actor)
    return realization


@transaction.atomic
def quarter_reopen(
    *, actor, indicator: Indicator, year: int, quarter: int, reason: str, days: int
) -> QuarterReopen:
    """An administrator opens a locked quarter again for one indicator, for ``days`` days."""
    require(actor, Domain.ADMIN, Action.CHANGE)
    if not (reason or "").strip():
        raise ValidationError({"reason": _("Give the reason for opening the quarter again.")})
    if not 1 <= days <= 90:
        raise ValidationError({"days": _("Open it for 1 to 90 days.")})
    state = selectors.lock_state(indicator_id=indicator.pk, year=year, quarter=quarter)
    if not state.locked:
        raise ValidationError(
            _("%(quarter)s is not locked for this indicator.")
            % {"quarter": quarter_label(year, quarter)}
        )
    reopen = QuarterReopen(
        indicator=indicator,
        year=year,
        quarter=quarter,
        reason=reason.strip(),
        open_until=clock.today() + datetime.timedelta(days=days),
        opened_by=actor,
    )
    _save(reopen, actor)
    return reopen


# --- Budget ------------------------------------------------------------------------------------


def renstra_of_year(year: int, field: str = "year") -> Renstra:
    renstra = selectors.renstra_for_year(year)
    if renstra is None:
        raise ValidationError(
            {
                field: _("No Renstra covers the year %(year)s: enter the plan first.")
                % {"year": year}
            }
        )
    return renstra


@transaction.atomic
def budget_line_save(
    *,
    actor,
    data: dict,
    months: dict[int, Decimal | None] | None = None,
    line: BudgetLine | None = None,
    version=None,
) -> BudgetLine:
    """Create or change a sub kegiatan's budget of a year: pagu before/after revision and the
    realization of each month (a month given as None is left as it is; 0 clears it)."""
    if line is None:
        renstra = renstra_of_year(data.get("year") or 0)
        _planner(actor, renstra, Action.ADD)
        if BudgetLine.objects.filter(year=data["year"], sub_kegiatan=data["sub_kegiatan"]).exists():
            raise ValidationError(
                {
                    "sub_kegiatan": _("This sub-activity already has a budget in %(year)s.")
                    % {"year": data["year"]}
                }
            )
        line = BudgetLine(renstra=renstra)
        _assign(line, data, ("year", "sub_kegiatan", "bidang", "pagu_murni", "pagu_perubahan"))
    else:
        _planner(actor, line.renstra)
        check_version(line, version)
        _assign(line, data, ("bidang", "pagu_murni", "pagu_perubahan"))
    for name in ("pagu_murni", "pagu_perubahan"):
        value = getattr(line, name)
        if value is not None and value < 0:
            raise ValidationError({name: _("A budget ceiling cannot be negative.")})
    _save(line, actor)
    if months:
        _set_months(actor, line, months)
    return line


def _set_months(actor, line: BudgetLine, months: dict[int, Decimal | None]) -> None:
    existing = {m.month: m for m in line.months.all()}
    for month, amount in months.items():
        if amount is None:
            continue
        if not 1 <= month <= 12:
            raise ValidationError({"months": _("A month is 1 to 12.")})
        if amount < 0:
            raise ValidationError({f"m{month}": _("A realization cannot be negative.")})
        row = existing.get(month)
        if row is None:
            row = BudgetRealization(line=line, month=month, amount=amount)
        elif row.amount == amount:
            continue
        row.amount = amount
        row._history_user = actor
        row.save()


# --- SPM ---------------------------------------------------------------------------------------


@transaction.atomic
def spm_save(*, actor, service: SpmService, year: int, data: dict, version=None) -> SpmAchievement:
    require(actor, Domain.PERFORMANCE, Action.CHANGE)
    check_bidang(actor, service.bidang_id)
    achievement = (
        SpmAchievement.objects.select_for_update().filter(service=service, year=year).first()
    )
    if achievement is None:
        achievement = SpmAchievement(service=service, year=year)
    else:
        check_version(achievement, version)
    _assign(achievement, data, ("target_group_count", "served_count", "note"))
    _save(achievement, actor)
    return achievement


# --- Settings ----------------------------------------------------------------------------------


@transaction.atomic
def settings_update(*, actor, version, data: dict) -> PerformanceSettings:
    require(actor, Domain.ADMIN, Action.CHANGE)
    row = selectors.performance_settings()
    check_version(row, version)
    _assign(row, data, ("lock_days", "evidence_max_mb"))
    _save(row, actor)
    return row


@transaction.atomic
def bands_replace(*, actor, scale: str, bands: Sequence[dict]) -> list[Band]:
    """Replace the bands of a scale (rating or effectiveness). Each: label, lower_bound (None
    for the lowest band), lower_inclusive, tone."""
    require(actor, Domain.ADMIN, Action.CHANGE)
    if scale not in Band.Scale.values:
        raise ValueError(scale)
    specs = [
        calc.BandSpec(
            label=(b.get("label") or "").strip(),
            lower=b.get("lower_bound"),
            inclusive=bool(b.get("lower_inclusive", True)),
            tone=b.get("tone") or "secondary",
        )
        for b in bands
    ]
    problems = calc.bands_problems(specs)
    if problems:
        raise ValidationError(problems)
    old = list(Band.objects.select_for_update().filter(scale=scale))
    for band in old:
        band._history_user = actor
        band.delete()
    ordered = sorted(specs, key=lambda s: (s.lower is None, -(s.lower or 0), s.inclusive))
    created = []
    for order, spec in enumerate(ordered, start=1):
        band = Band(
            scale=scale,
            label=spec.label,
            lower_bound=spec.lower,
            lower_inclusive=spec.inclusive,
            tone=spec.tone,
            order=order,
        )
        _save(band, actor)
        created.append(band)
    return created


# --- Imports -----------------------------------------------------------------------------------


def import_start(*, actor, kind: str, upload, commit: bool):
    """Queue the check (and, with ``commit``, the saving) of an XLSX workbook as a background
    job; the same steps as ``manage.py performance_import`` and the API."""
    from welfare.jobs import job_start

    from .jobs import IMPORT_JOB
    from .spreadsheets import IMPORTERS, validate_workbook_upload

    require(actor, Domain.PERFORMANCE, Action.IMPORT)
    if kind not in IMPORTERS:
        raise ValidationError({"kind": _("Unknown kind of import.")})
    try:
        validate_workbook_upload(upload)
    except ValidationError as exc:
        raise ValidationError({"file": exc.messages}) from exc
    title = _("Import %(kind)s: %(name)s") % {
        "kind": IMPORTERS[kind].label,
        "name": getattr(upload, "name", "xlsx"),
    }
    if commit:
        title = _("%(title)s (check and save)") % {"title": title}
    return job_start(
        kind=IMPORT_JOB,
        title=title[:200],
        created_by=actor,
        params={"kind": kind, "commit": bool(commit), "name": getattr(upload, "name", "")},
        input_file=upload,
        input_name=getattr(upload, "name", "impor.xlsx"),
    )
