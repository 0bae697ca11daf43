"""Pages of the reports: list with versions, check and generate, narratives, approve, download.
Thin: parse input, call a selector or a service, render."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from accounts.access import Action, Domain, access_object, has_permission, require, role_of
from performance import selectors as perf
from welfare.concurrency import ConcurrentUpdateError
from welfare.uploads import serve_file

from . import selectors, services
from .document import document_table, document_tables
from .forms import GenerateForm, NarrativeForm, OpenReportForm
from .kinds import detail_url, get_kind, kinds
from .models import Report, ReportVersion
from .narratives import SASARAN_PREFIX, section_keys, section_label, template_for
from .tables import table_xlsx, tables_xlsx


def _kind(key: str):
    kind = get_kind(key)
    if kind is None:
        raise Http404(_("Unknown report kind."))
    return kind


def _year(value) -> int:
    year = int(value)
    if not 2000 <= year <= 2100:
        raise Http404(_("Unknown year."))
    return year


def _raw_params(data, report_kind) -> dict:
    """The kind's parameters (the fields of its ``params_form``) from a GET or POST; the
    service validates them."""
    if report_kind.params_form is None:
        return {}
    return {name: data.get(name, "") for name in report_kind.params_form.base_fields}


def _params_forms(user) -> list[tuple]:
    """(kind, unbound parameter form) for every kind that takes parameters: the reports page
    shows a kind's form when that kind is chosen."""
    return [(kind, kind.params_form(user=user)) for kind in kinds() if kind.params_form]


@login_required
@require_safe
def report_list(request):
    require(request.user, Domain.REPORTS, Action.VIEW)
    reports = list(selectors.report_list(user=request.user))
    versions = selectors.version_list(user=request.user).filter(report__in=reports)
    by_report: dict[int, list] = {}
    for version in versions:
        by_report.setdefault(version.report_id, []).append(version)
    for report in reports:
        report.version_rows = by_report.get(report.pk, [])
    years = perf.available_years() or [perf.default_year()]
    # the LKjIP reports on the year that ended: open it by default
    current = perf.default_year()
    form = OpenReportForm(
        initial={"kind": "lkjip", "year": current - 1 if current - 1 in years else current}
    )
    return render(
        request,
        "reports/report_list.html",
        {
            "reports": reports,
            "kinds": kinds(),
            "years": years,
            "form": form,
            "params_forms": _params_forms(request.user),
        },
    )


@login_required
@require_safe
def report_open(request):
    require(request.user, Domain.REPORTS, Action.VIEW)
    form = OpenReportForm(request.GET)
    if not form.is_valid():
        messages.error(request, _("Choose a kind and a year between 2000 and 2100."))
        return redirect("reports:report_list")
    kind, year = form.cleaned_data["kind"], form.cleaned_data["year"]
    try:
        _params, scope = services.report_params(
            actor=request.user, kind=kind, params=_raw_params(request.GET, get_kind(kind))
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("reports:report_list")
    return redirect(detail_url(kind, year, scope))


@login_required
@require_safe
def report_detail(request, kind, year):
    require(request.user, Domain.REPORTS, Action.VIEW)
    report_kind, year = _kind(kind), _year(year)
    try:
        params, scope = services.report_params(
            actor=request.user, kind=kind, params=_raw_params(request.GET, report_kind)
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("reports:report_list")
    params_form = scope_label = None
    if report_kind.params_form is not None:
        params_form = report_kind.params_form(initial=params, user=request.user)
        if scope:
            choices = dict(params_form.fields[report_kind.scope_param].choices)
            scope_label = choices.get(scope, scope)
    report = (
        selectors.report_list(user=request.user).filter(kind=kind, year=year, scope=scope).first()
    )
    versions = list(selectors.version_list(user=request.user, report=report)) if report else []
    can_generate = has_permission(request.user, Domain.REPORTS, Action.ADD)
    problems = []
    if can_generate and not (report and report.is_frozen):
        problems = services.report_check(actor=request.user, kind=kind, year=year, params=params)
    latest = next((v for v in versions if v.status == ReportVersion.Status.DONE), None)
    tables = []
    if latest is not None:
        snapshot = ReportVersion.objects.only("snapshot").get(pk=latest.pk).snapshot
        tables = document_tables(snapshot)
    return render(
        request,
        "reports/report_detail.html",
        {
            "kind": report_kind,
            "year": year,
            "scope": scope,
            "scope_label": scope_label,
            "params": params,
            "params_form": params_form,
            "report": report,
            "versions": versions,
            "problems": problems,
            "errors": [p for p in problems if p.severity == "error"],
            "form": GenerateForm(),
            "can_generate": can_generate,
            "can_approve": role_of(request.user) in services.APPROVER_ROLES,
            "latest": latest,
            "tables": tables,
        },
    )


@login_required
@require_POST
def report_generate(request, kind, year):
    require(request.user, Domain.REPORTS, Action.ADD)
    report_kind = _kind(kind)
    year = _year(year)
    form = GenerateForm(request.POST)
    allow_draft = form.is_valid() and form.cleaned_data["allow_draft"]
    raw = _raw_params(request.POST, report_kind)
    try:
        version = services.report_generate(
            actor=request.user, kind=kind, year=year, allow_draft=allow_draft, params=raw
        )
    except services.CheckFailed as exc:
        messages.error(request, exc.messages[0])
        scope = raw.get(report_kind.scope_param, "") if report_kind.scope_param else ""
        return redirect(detail_url(kind, year, scope))
    except ValidationError as exc:
        # the parameters may be the bad input: back to the whole kind's page
        messages.error(request, " ".join(exc.messages))
        return redirect(detail_url(kind, year))
    return redirect("job_detail", version.job_id)


@login_required
@require_safe
def version_download(request, pk):
    version = access_object(
        request.user, ReportVersion.objects.select_related("report"), Action.VIEW, pk=pk
    )
    if version.status != ReportVersion.Status.DONE or not version.file:
        raise Http404(_("This version has no file yet."))
    field = version.final_file if version.final_file else version.file
    return serve_file(field, inline=False)


@login_required
@require_safe
def version_table(request, pk, key):
    require(request.user, Domain.REPORTS, Action.EXPORT)
    version = access_object(
        request.user, ReportVersion.objects.select_related("report"), Action.VIEW, pk=pk
    )
    report = version.report
    scope = f"-{report.scope}" if report.scope else ""  # the program code
    if key == "semua":  # every table of the version, one sheet each
        tables = document_tables(version.snapshot or {})
        content = tables_xlsx(tables) if tables else None
        name = f"tabel-{report.kind}-{report.year}{scope}-v{version.number}.xlsx"
    else:
        table = document_table(version.snapshot or {}, key)
        content = table_xlsx(table) if table else None
        name = f"tabel-{table['number'] or table['key']}-{report.year}{scope}.xlsx" if table else ""
    if version.status != ReportVersion.Status.DONE or content is None:
        raise Http404(_("This table is not in the version."))
    response = HttpResponse(
        content,
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@login_required
@require_POST
def version_approve(request, pk):
    version = access_object(
        request.user, ReportVersion.objects.select_related("report"), Action.APPROVE, pk=pk
    )
    try:
        services.report_approve(actor=request.user, version=version)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("The report is approved; this version is frozen."))
    return redirect(version.report.get_absolute_url())


def _sections(kind: str, year: int):
    summary_renstra = perf.renstra_for_year(year)
    sasaran = list(summary_renstra.sasaran.order_by("order", "code")) if summary_renstra else []
    names = {s.code: s.name for s in sasaran}
    return section_keys([s.code for s in sasaran]), names


@login_required
@require_safe
def narrative_list(request, kind, year):
    require(request.user, Domain.REPORTS, Action.VIEW)
    report_kind, year = _kind(kind), _year(year)
    keys, names = _sections(kind, year)
    saved = selectors.narratives_for(kind=kind, year=year)
    rows = [
        {"key": key, "label": section_label(key, names), "narrative": saved.get(key)}
        for key in keys
    ]
    frozen = Report.objects.filter(
        kind=kind, year=year, scope="", approved_version__isnull=False
    ).exists()
    return render(
        request,
        "reports/narrative_list.html",
        {"kind": report_kind, "year": year, "rows": rows, "frozen": frozen},
    )


@login_required
@require_http_methods(["GET", "POST"])
def narrative_edit(request, kind, year, section):
    require(request.user, Domain.REPORTS, Action.VIEW)
    report_kind, year = _kind(kind), _year(year)
    keys, names = _sections(kind, year)
    if section not in keys:
        raise Http404(_("Unknown section."))
    narrative = selectors.narratives_for(kind=kind, year=year).get(section)
    agency = perf_context(year)
    if request.method == "POST":
        require(request.user, Domain.REPORTS, Action.CHANGE)
        form = NarrativeForm(request.POST)
        if form.is_valid():
            try:
                services.narrative_save(
                    actor=request.user,
                    kind=kind,
                    year=year,
                    section=section,
                    text=form.cleaned_data["text"],
                    expected_version=form.cleaned_data.get("version"),
                )
            except ConcurrentUpdateError as exc:
                form.add_error(None, str(exc))
                return render(
                    request,
                    "reports/narrative_edit.html",
                    {
                        "form": form,
                        "kind": report_kind,
                        "year": year,
                        "label": section_label(section, names),
                    },
                    status=409,
                )
            except ValidationError as exc:
                form.add_error(None, " ".join(exc.messages))
            else:
                messages.success(request, _("The text is saved."))
                return redirect(reverse("reports:narrative_list", args=[kind, year]))
    else:
        # start from this year's text, else last year's, else the template
        last_year = selectors.narratives_for(kind=kind, year=year - 1).get(section)
        if narrative and narrative.text:
            start = narrative.text
        elif last_year and last_year.text:
            start = last_year.text
        else:
            start = template_for(section, agency)
        initial = {"text": start, "version": narrative.version if narrative else None}
        form = NarrativeForm(initial=initial)
    return render(
        request,
        "reports/narrative_edit.html",
        {
            "form": form,
            "kind": report_kind,
            "year": year,
            "label": section_label(section, names),
            "is_sasaran": section.startswith(SASARAN_PREFIX),
            "can_change": has_permission(request.user, Domain.REPORTS, Action.CHANGE),
        },
    )


def perf_context(year: int) -> dict:
    from welfare.selectors import agency_get

    agency = agency_get()
    renstra = perf.renstra_for_year(year)
    return {
        "agency": agency.name,
        "regency": agency.regency.name.title() if agency.regency_id else "-",
        "year": year,
        "next_year": year + 1,
        "renstra": f"Renstra {renstra.start_year}-{renstra.end_year}" if renstra else "Renstra",
    }
