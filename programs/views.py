"""Pages of the programs: catalogue with figures, recipients (enrollments), targeting checks,
KUBE groups, exports. Thin: parse, call a selector or a service, render."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from accounts.access import (
    Action,
    Domain,
    access_object,
    check_bidang,
    has_permission,
    is_api_client,
    is_tksk,
    require,
    restrict,
)
from beneficiaries.models import Household, Person
from regions.models import District
from welfare.audit import object_history
from welfare.concurrency import ConcurrentUpdateError
from welfare.forms import style_form
from welfare.params import query_year

from . import eligibility, exports, selectors, services
from .filters import (
    CandidateHouseholdFilter,
    CandidatePersonFilter,
    EnrollmentFilter,
)
from .forms import BulkEnrollForm, EnrollmentForm, ReplaceForm, TransitionForm
from .models import Program, Stage, Unit

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _download(content: bytes, filename: str, kind: str) -> HttpResponse:
    content_type = XLSX if kind == "xlsx" else "application/pdf"
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}.{kind}"'
    return response


def _styled(filterset):
    style_form(filterset.form)
    return filterset


def _page(request, queryset, per_page=50):
    return Paginator(queryset, per_page).get_page(request.GET.get("page"))


def can_write(user, program: Program | None = None) -> bool:
    if not has_permission(user, Domain.PROGRAMS, Action.ADD) or is_tksk(user):
        return False
    if program is not None:
        try:
            check_bidang(user, program.bidang_id)
        except PermissionDenied:
            return False
    return True


def _errors(form, exc: ValidationError) -> None:
    if hasattr(exc, "error_dict"):
        for field, errors in exc.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc.messages)


class StatsParams:
    """year, tahap, group_by and kecamatan from the query string (bad values fall back; an
    unreadable year says so)."""

    def __init__(self, request, program: Program, *, warn: bool = True):
        today = timezone.localdate()
        years = selectors.program_years(program)
        self.year = query_year(request, default=years[0] if years else today.year, warn=warn)
        self.years = years or [today.year]
        self.stages = selectors.stages_of(program, self.year)
        number = request.GET.get("tahap") or ""
        self.stage: Stage | None = next((s for s in self.stages if str(s.number) == number), None)
        self.group_by = (
            request.GET.get("group_by")
            if request.GET.get("group_by") in selectors.GROUP_BY
            else "district"
        )
        code = request.GET.get("district") or ""
        self.district = District.objects.filter(code=code).first() if code else None
        if self.district is not None:
            self.group_by = "village"

    def query(self) -> str:
        parts = [f"year={self.year}"]
        if self.stage:
            parts.append(f"tahap={self.stage.number}")
        return "&".join(parts)


@require_safe
@login_required
def program_list(request):
    require(request.user, Domain.PROGRAMS, Action.VIEW)
    figures = {row.program.pk: row.active for row in selectors.dashboard_figures(user=request.user)}
    programs = list(selectors.program_list(user=request.user))
    for program in programs:
        program.active_count = figures.get(program.pk, 0)
    return render(request, "programs/program_list.html", {"programs": programs})


@require_safe
@login_required
def program_detail(request, code):
    program = selectors.program_get(user=request.user, code=code)
    params = StatsParams(request, program)
    stats = selectors.program_stats(
        user=request.user,
        program=program,
        year=params.year,
        stage=params.stage,
        group_by=params.group_by,
        district_code=params.district.code if params.district else None,
    )
    return render(
        request,
        "programs/program_detail.html",
        {
            "program": program,
            "params": params,
            "stats": stats,
            "village_query": params.query(),
            "can_write": can_write(request.user, program),
            "quota_count": program.quotas.filter(year=params.year).count(),
        },
    )


@require_safe
@login_required
def program_realization(request, code):
    program = selectors.program_get(user=request.user, code=code)
    params = StatsParams(request, program)
    rows = selectors.realization_by_area(
        program=program,
        year=params.year,
        stage=params.stage,
        group_by=params.group_by if request.GET.get("group_by") else "village",
        user=request.user,
    )
    return render(
        request,
        "programs/realization.html",
        {
            "program": program,
            "params": params,
            "rows": rows,
            "stages": rows[-1].stages if rows else [],
        },
    )


@require_safe
@login_required
def program_recap_export(request, code):
    require(request.user, Domain.PROGRAMS, Action.EXPORT)
    program = selectors.program_get(user=request.user, code=code)
    params = StatsParams(request, program, warn=False)
    stats = selectors.program_stats(
        user=request.user,
        program=program,
        year=params.year,
        stage=params.stage,
        group_by="village" if request.GET.get("group_by") != "district" else "district",
        district_code=params.district.code if params.district else None,
    )
    rows = selectors.realization_by_area(
        program=program,
        year=params.year,
        stage=params.stage,
        group_by="village",
        user=request.user,
    )
    kind = "pdf" if request.GET.get("as") == "pdf" else "xlsx"
    content = exports.recap_pdf(stats, rows) if kind == "pdf" else exports.recap_xlsx(stats, rows)
    return _download(content, f"rekap-{program.code}-{params.year}", kind)


# --- Recipients --------------------------------------------------------------------------------


def _enrollment_filter(request):
    return _styled(
        EnrollmentFilter(
            request.GET or None,
            queryset=selectors.enrollment_list(user=request.user),
            request=request,
        )
    )


@require_safe
@login_required
def enrollment_list(request):
    require(request.user, Domain.PROGRAMS, Action.VIEW)
    filterset = _enrollment_filter(request)
    queryset = filterset.qs if filterset.is_bound and filterset.is_valid() else filterset.queryset
    page = _page(request, selectors.bnba(queryset, order=request.GET.get("order") or "name"))
    return render(
        request,
        "programs/enrollment_list.html",
        {
            "filter": filterset,
            "page": page,
            "can_export": has_permission(request.user, Domain.PROGRAMS, Action.EXPORT),
        },
    )


@require_safe
@login_required
def enrollment_export(request):
    require(request.user, Domain.PROGRAMS, Action.EXPORT)
    filterset = _enrollment_filter(request)
    if filterset.is_bound and not filterset.is_valid():
        raise Http404(_("The filter is not valid."))
    queryset = filterset.qs if filterset.is_bound else filterset.queryset
    order = (
        request.GET.get("order") if request.GET.get("order") in selectors.BNBA_ORDERS else "name"
    )
    kind = "pdf" if request.GET.get("as") == "pdf" else "xlsx"
    builder = exports.bnba_pdf if kind == "pdf" else exports.bnba_xlsx
    return _download(builder(queryset, user=request.user, order=order), f"bnba-{order}", kind)


@require_safe
@login_required
def enrollment_detail(request, pk):
    enrollment = access_object(request.user, selectors.enrollment_list(user=request.user), pk=pk)
    writable = can_write(request.user, enrollment.program) and enrollment.is_open
    return render(
        request,
        "programs/enrollment_detail.html",
        {
            "enrollment": enrollment,
            "disbursements": enrollment.disbursements.select_related("stage").order_by(
                "stage__year", "stage__number"
            ),
            "history": object_history(enrollment, user=request.user),
            "transition_form": TransitionForm(enrollment=enrollment) if writable else None,
            "can_replace": writable and enrollment.program.unit != Unit.GROUP,
        },
    )


@login_required
@require_POST
def enrollment_transition(request, pk):
    enrollment = access_object(
        request.user, selectors.enrollment_list(user=request.user), Action.CHANGE, pk=pk
    )
    form = TransitionForm(request.POST, enrollment=enrollment)
    status = 200
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.enrollment_transition(
                actor=request.user,
                enrollment=enrollment,
                version=data["version"],
                status=data["status"],
                on=data["on"],
                exit_reason=data["exit_reason"],
                note=data["note"],
                decree_number=data["decree_number"],
                decree_date=data["decree_date"],
            )
        except ConcurrentUpdateError as exc:
            form.add_error(None, exc.message)
            status = 409
        except ValidationError as exc:
            _errors(form, exc)
        else:
            messages.success(request, _("The status was changed."))
            return redirect(enrollment.get_absolute_url())
    enrollment.refresh_from_db()
    return render(
        request,
        "programs/enrollment_detail.html",
        {
            "enrollment": enrollment,
            "disbursements": enrollment.disbursements.select_related("stage"),
            "history": object_history(enrollment, user=request.user),
            "transition_form": form,
            "can_replace": enrollment.program.unit != Unit.GROUP,
        },
        status=status if status != 200 else 400,
    )


@login_required
@require_http_methods(["GET", "POST"])
def enrollment_replace(request, pk):
    enrollment = access_object(
        request.user, selectors.enrollment_list(user=request.user), Action.CHANGE, pk=pk
    )
    if not can_write(request.user, enrollment.program):
        raise PermissionDenied(_("Your role may not do this."))
    form = ReplaceForm(request.POST or None, enrollment=enrollment)
    status = 200
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        unit = enrollment.program.unit
        try:
            new = services.enrollment_replace(
                actor=request.user,
                enrollment=enrollment,
                version=data["version"],
                exit_reason=data["exit_reason"],
                note=data["note"],
                on=data["on"],
                person=form.recipient if unit == Unit.PERSON else None,
                household=form.recipient if unit == Unit.HOUSEHOLD else None,
                override_justification=data["override_justification"],
            )
        except ConcurrentUpdateError as exc:
            form.add_error(None, exc.message)
            status = 409
        except ValidationError as exc:
            _errors(form, exc)
            status = 400
        else:
            messages.success(request, _("The recipient was replaced."))
            return redirect(new.get_absolute_url())
    elif request.method == "POST":
        status = 400
    return render(
        request,
        "programs/enrollment_replace.html",
        {"enrollment": enrollment, "form": form},
        status=status,
    )


@login_required
@require_http_methods(["GET", "POST"])
def enrollment_add(request, code):
    program = selectors.program_get(user=request.user, code=code)
    if program.unit == Unit.GROUP or not can_write(request.user, program):
        raise PermissionDenied(_("Your role may not do this."))
    form = EnrollmentForm(
        request.POST or None, program=program, initial={"start_date": timezone.localdate()}
    )
    status = 200
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            enrollment = services.enrollment_create(
                actor=request.user,
                program=program,
                person=form.recipient if program.unit == Unit.PERSON else None,
                household=form.recipient if program.unit == Unit.HOUSEHOLD else None,
                start_date=data["start_date"],
                end_date=data["end_date"],
                status=data["status"],
                decree_number=data["decree_number"],
                decree_date=data["decree_date"],
                override_justification=data["override_justification"],
            )
        except ValidationError as exc:
            _errors(form, exc)
            status = 400
        else:
            messages.success(request, _("The recipient was enrolled."))
            return redirect(enrollment.get_absolute_url())
    elif request.method == "POST":
        status = 400
    return render(
        request,
        "programs/enrollment_add.html",
        {"program": program, "form": form, "can_override": services.can_override(request.user)},
        status=status,
    )


@login_required
@require_http_methods(["GET", "POST"])
def candidates(request, code):
    """The registry filtered to those who meet the program's rules; select and enroll."""
    program = selectors.program_get(user=request.user, code=code)
    if program.unit == Unit.GROUP or not can_write(request.user, program):
        raise PermissionDenied(_("Your role may not do this."))
    today = timezone.localdate()
    if program.unit == Unit.PERSON:
        base = restrict(
            Person.objects.select_related("household", "village", "district"), request.user
        )
        filterset = _styled(
            CandidatePersonFilter(request.GET or None, queryset=base, request=request)
        )
        queryset = eligibility.eligible_persons(program, filterset.qs, today).order_by(
            "village__name", "name"
        )
    else:
        base = restrict(Household.objects.select_related("village", "district"), request.user)
        filterset = _styled(
            CandidateHouseholdFilter(request.GET or None, queryset=base, request=request)
        )
        queryset = eligibility.eligible_households(program, filterset.qs, today).order_by(
            "village__name", "no_kk"
        )
    form = BulkEnrollForm(request.POST or None, initial={"start_date": today})
    result = None
    status = 200
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            result = services.enrollment_bulk_create(
                actor=request.user,
                program=program,
                ids=data["ids"],
                start_date=data["start_date"],
                status=data["status"],
                decree_number=data["decree_number"],
                decree_date=data["decree_date"],
            )
        except ValidationError as exc:
            _errors(form, exc)
            status = 400
        else:
            messages.success(
                request,
                _("%(n)s enrolled, %(m)s refused.")
                % {"n": len(result.created), "m": len(result.refused)},
            )
    elif request.method == "POST":
        status = 400
    return render(
        request,
        "programs/candidates.html",
        {
            "program": program,
            "filter": filterset,
            "page": _page(request, queryset, 100),
            "form": form,
            "result": result,
        },
        status=status,
    )


@login_required
@require_POST
def stage_plan(request, code, stage_id):
    program = selectors.program_get(user=request.user, code=code)
    if not can_write(request.user, program):
        raise PermissionDenied(_("Your role may not do this."))
    stage = Stage.objects.filter(program=program, pk=stage_id).first()
    if stage is None:
        raise Http404(_("The data was not found or is outside your access."))
    count = services.disbursements_plan(actor=request.user, stage=stage)
    messages.success(
        request, _("%(n)s disbursements planned for %(stage)s.") % {"n": count, "stage": stage}
    )
    return redirect(f"{program.get_absolute_url()}?year={stage.year}&tahap={stage.number}")


# --- Targeting -----------------------------------------------------------------------------------


def _targeting_program(request):
    code = request.GET.get("program") or ""
    return selectors.program_list(user=request.user).filter(code=code).first() if code else None


@require_safe
@login_required
def targeting(request):
    require(request.user, Domain.PROGRAMS, Action.STATS)
    program = _targeting_program(request)
    rows = selectors.targeting_by_district(user=request.user, program=program)
    return render(
        request,
        "programs/targeting.html",
        {
            "rows": rows,
            "program": program,
            "programs": selectors.program_list(user=request.user),
            "total_exclusion": sum(r.exclusion or 0 for r in rows),
            "total_inclusion": sum(r.inclusion or 0 for r in rows),
            "can_list": not is_api_client(request.user),
        },
    )


def _district_param(request, queryset):
    code = request.GET.get("district") or ""
    return queryset.filter(district_id=code) if code else queryset


@require_safe
@login_required
def targeting_exclusion(request):
    require(request.user, Domain.PROGRAMS, Action.VIEW)
    program = _targeting_program(request)
    queryset = _district_param(
        request, selectors.possible_exclusion(user=request.user, program=program)
    )
    return render(
        request,
        "programs/targeting_exclusion.html",
        {
            "page": _page(
                request, queryset.order_by("district__name", "village__name", "desil", "no_kk")
            ),
            "program": program,
        },
    )


@require_safe
@login_required
def targeting_inclusion(request):
    require(request.user, Domain.PROGRAMS, Action.VIEW)
    program = _targeting_program(request)
    queryset = _district_param(
        request, selectors.possible_inclusion(user=request.user, program=program)
    )
    return render(
        request,
        "programs/targeting_inclusion.html",
        {"page": _page(request, selectors.bnba(queryset)), "program": program},
    )


# --- KUBE ----------------------------------------------------------------------------------------


@require_safe
@login_required
def group_list(request):
    require(request.user, Domain.PROGRAMS, Action.VIEW)
    groups = selectors.group_list(user=request.user).order_by(
        "district__name", "village__name", "name"
    )
    return render(request, "programs/group_list.html", {"page": _page(request, groups)})


@require_safe
@login_required
def group_detail(request, pk):
    group = access_object(request.user, selectors.group_list(user=request.user), pk=pk)
    members = group.members.select_related("household").order_by("left_on", "role", "pk")
    heads = dict(
        Person.objects.filter(
            household__in=[m.household_id for m in members], relationship="kepala"
        ).values_list("household_id", "name")
    )
    for member in members:
        member.head_name = heads.get(member.household_id, "")
    return render(
        request,
        "programs/group_detail.html",
        {
            "group": group,
            "members": members,
            "reports": group.reports.all(),
            "enrollments": group.enrollments.select_related("program"),
        },
    )


# --- Home page panel -----------------------------------------------------------------------------


def dashboard_panel(request) -> str | None:
    user = request.user
    if not has_permission(user, Domain.PROGRAMS, Action.STATS) or is_api_client(user):
        return None
    rows = [r for r in selectors.dashboard_figures(user=user) if r.active]
    return render_to_string("programs/_dashboard_panel.html", {"rows": rows}, request=request)
