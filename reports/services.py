"""Writes of the reports app: start a generation, save a narrative, approve a version."""

from __future__ import annotations

from collections.abc import Mapping

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.access import Action, Domain, Role, require, role_of
from welfare.concurrency import check_version
from welfare.jobs import job_start

from .kinds import Problem, get_kind
from .models import Narrative, Report, ReportVersion

APPROVER_ROLES = frozenset({Role.KEPALA_DINAS, Role.ADMIN})


class CheckFailed(ValidationError):
    """The check before generation found problems and the user did not ask for a draft."""

    def __init__(self, problems: list[Problem]):
        self.problems = problems
        super().__init__(
            _("The check found %(n)s problems. Generate anyway as a draft, or correct the data.")
            % {"n": len([p for p in problems if p.severity == "error"])}
        )


def _kind_or_error(kind: str):
    report_kind = get_kind(kind)
    if report_kind is None:
        raise ValidationError({"kind": _("Unknown report kind.")})
    return report_kind


def report_params(*, actor, kind: str, params: Mapping | None = None) -> tuple[dict, str]:
    """The kind's parameters checked with its ``params_form`` for this user: (the clean,
    JSON-able parameters, the report's scope). A parameter the kind does not take, or a value
    the user may not choose (an unknown program, one outside their access), is refused with a
    message naming the field."""
    report_kind = _kind_or_error(kind)
    raw = dict(params or {})
    given = [name for name, value in raw.items() if value not in (None, "")]
    form = report_kind.params_form(data=raw, user=actor) if report_kind.params_form else None
    unknown = [name for name in given if form is None or name not in form.fields]
    if unknown:
        raise ValidationError(
            {
                name: _("%(field)s: the report %(kind)s takes no such parameter.")
                % {"field": name, "kind": report_kind.label}
                for name in unknown
            }
        )
    if form is None:
        return {}, ""
    if not form.is_valid():
        raise ValidationError({name: list(errors) for name, errors in form.errors.items()})
    clean = dict(form.cleaned_data)
    scope = str(clean.get(report_kind.scope_param) or "") if report_kind.scope_param else ""
    return clean, scope


def report_check(*, actor, kind: str, year: int, params: Mapping | None = None) -> list[Problem]:
    require(actor, Domain.REPORTS, Action.VIEW)
    report_kind = _kind_or_error(kind)
    clean, _scope = report_params(actor=actor, kind=kind, params=params)
    if report_kind.check is None:
        return []
    return report_kind.check(year, actor, clean)


@transaction.atomic
def report_generate(
    *, actor, kind: str, year: int, allow_draft: bool = False, params: Mapping | None = None
) -> ReportVersion:
    """Check the parameters (they choose the report: e.g. one program's statistics), run the
    check, then queue the generation of a new version of that report (a background job)."""
    require(actor, Domain.REPORTS, Action.ADD)
    report_kind = _kind_or_error(kind)
    params, scope = report_params(actor=actor, kind=kind, params=params)
    report, _created = Report.objects.get_or_create(kind=kind, year=year, scope=scope)
    report = Report.objects.select_for_update().get(pk=report.pk)
    if report.is_frozen:
        raise ValidationError(
            _("This report was approved on %(date)s; the approved version is frozen.")
            % {"date": timezone.localtime(report.approved_at).date()}
        )
    problems = report_kind.check(year, actor, params) if report_kind.check else []
    if any(p.severity == "error" for p in problems) and not allow_draft:
        raise CheckFailed(problems)
    number = (report.versions.aggregate(n=Max("number"))["n"] or 0) + 1
    version = ReportVersion.objects.create(
        report=report,
        number=number,
        created_by=actor,
        problems=[p.as_dict() for p in problems],
    )
    version.job = job_start(
        kind="report_generate",
        title=_("Generate %(report)s (version %(n)s)") % {"report": report, "n": number},
        created_by=actor,
        params={"version": version.pk, **params},
    )
    version.save(update_fields=["job"])
    return version


@transaction.atomic
def narrative_save(
    *, actor, year: int, section: str, text: str, expected_version: int | None, kind="lkjip"
) -> Narrative:
    require(actor, Domain.REPORTS, Action.CHANGE)
    frozen = Report.objects.filter(kind=kind, year=year, scope="", approved_version__isnull=False)
    if frozen.exists():
        raise ValidationError(_("The report of this year is approved: its texts are frozen."))
    narrative, created = Narrative.objects.select_for_update().get_or_create(
        kind=kind, year=year, section=section
    )
    if not created:
        check_version(narrative, expected_version)
    narrative.text = text.replace("\r\n", "\n").strip()
    narrative.updated_by = actor
    narrative._history_user = actor
    narrative.save()
    return narrative


@transaction.atomic
def report_approve(*, actor, version: ReportVersion) -> ReportVersion:
    """The Kepala Dinas approves a finished version: it is rendered once more from its own
    stored data without the DRAFT mark, and the report is frozen."""
    require(actor, Domain.REPORTS, Action.APPROVE)
    if role_of(actor) not in APPROVER_ROLES:
        raise PermissionDenied(_("Only the Kepala Dinas approves a report."))
    version = ReportVersion.objects.select_for_update().select_related("report").get(pk=version.pk)
    report = Report.objects.select_for_update().get(pk=version.report_id)
    if report.is_frozen:
        raise ValidationError(_("This report is already approved."))
    if version.status != ReportVersion.Status.DONE:
        raise ValidationError(_("Only a finished version can be approved."))
    from .rendering import render_pdf

    pdf, _pages = render_pdf(version.snapshot, draft=False)
    kind = get_kind(report.kind)
    name = kind.file_stem(report.year, report.scope) if kind else f"{report.kind}-{report.year}"
    version.final_file.save(f"{name}-v{version.number}-final.pdf", ContentFile(pdf), save=False)
    version.draft = False
    version.save(update_fields=["final_file", "draft"])
    report.approved_version = version
    report.approved_by = actor
    report.approved_at = timezone.now()
    report._history_user = actor
    report.save()
    return version
