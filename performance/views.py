"""Pages of performance management. Thin: parse input, call a selector or a service, render.
Access is decided by ``accounts.access`` (require / access_object / restrict)."""

from __future__ import annotations

from functools import wraps

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.http import FileResponse, Http404, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from accounts.access import (
    Action,
    Domain,
    access_object,
    check_bidang,
    has_permission,
    require,
    restrict,
)
from accounts.models import Bidang
from welfare.audit import object_history
from welfare.concurrency import ConcurrentUpdateError
from welfare.formatting import format_rupiah
from welfare.jobs import job_live_state
from welfare.models import Job
from welfare.params import query_quarter, query_year

from . import calculations as calc
from . import clock, exports, selectors, services, spreadsheets
from .forms import (
    AgreementCreateForm,
    AgreementForm,
    AgreementReviseForm,
    BandFormSet,
    BudgetLineForm,
    DeleteForm,
    ImportForm,
    IndicatorForm,
    RealizationForm,
    RenstraForm,
    ReopenForm,
    ReviewForm,
    SasaranForm,
    SettingsForm,
    SpmFormSet,
    TargetFormSet,
    TujuanForm,
    plain,
)
from .jobs import IMPORT_JOB
from .models import (
    Agreement,
    AgreementTarget,
    Band,
    BudgetLine,
    Evidence,
    Indicator,
    QuarterReopen,
    Realization,
    Renstra,
    Sasaran,
    SpmAchievement,
    SpmService,
    Tujuan,
)
from .sources import get_source, registered_sources

P = Domain.PERFORMANCE
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


# --- Helpers -----------------------------------------------------------------------------------


def needs(action: str, domain: str = P):
    """Refuse a role without the permission before anything else (also before the HTTP method
    check, so that a POST-only URL tells an outsider nothing)."""

    def decorator(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            require(request.user, domain, action)
            return view(request, *args, **kwargs)

        return wrapped

    return decorator


def _int(value, default=None, *, low=None, high=None):
    try:
        number = int(value)
    except (TypeError, ValueError):
        return default
    if (low is not None and number < low) or (high is not None and number > high):
        return default
    return number


def _year(request, *, warn: bool = True) -> int:
    return query_year(request, default=selectors.default_year, warn=warn)


def _basis(request) -> str:
    return selectors.normalize_basis(request.GET.get("basis"))


def _quarter(request, year: int) -> int:
    def current() -> int:
        today = clock.today()
        return calc.quarter_of_month(today.month) if today.year == year else 4

    return query_quarter(request, default=current)


def _attach(form, exc: ValidationError) -> None:
    if hasattr(exc, "error_dict"):
        for field, errors in exc.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc.messages)


def _save_or_errors(form, action):
    """Run a service; on a rule violation put the messages on the form. Returns (result,
    status)."""
    try:
        return action(), 200
    except ConcurrentUpdateError as exc:
        form.add_error(None, exc.message)
        return None, 409
    except ValidationError as exc:
        _attach(form, exc)
        return None, 200


def _xlsx(content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def _common(request, year: int | None = None) -> dict:
    user = request.user
    return {
        "years": selectors.available_years(),
        "year": year,
        "bases": list(selectors.BASIS_LABELS.items()),
        "can_change": has_permission(user, P, Action.CHANGE),
        "can_import": has_permission(user, P, Action.IMPORT),
        "can_export": has_permission(user, P, Action.EXPORT),
        "can_approve": has_permission(user, P, Action.APPROVE),
        "is_admin": has_permission(user, Domain.ADMIN, Action.CHANGE),
    }


# --- Dashboard -------------------------------------------------------------------------------


@require_safe
@login_required
def dashboard(request):
    require(request.user, P, Action.VIEW)
    year, basis = _year(request), _basis(request)
    summary = selectors.year_summary(year=year, basis=basis)
    trend = selectors.trend(end_year=year, basis=basis) if summary else None
    pending_quarters = (
        selectors.pending_by_quarter(user=request.user, year=year)
        if has_permission(request.user, P, Action.APPROVE)
        else []
    )
    return render(
        request,
        "performance/dashboard.html",
        {
            **_common(request, year),
            "summary": summary,
            "trend": trend,
            "basis": basis,
            "pending_quarters": pending_quarters,
            "pending": sum(q.count for q in pending_quarters),
            "chart_url": reverse("performance:chart_data") + f"?year={year}&basis={basis}",
        },
    )


@require_safe
@login_required
def chart_data(request):
    """The five-year trend as JSON for the dashboard chart (static/js/performance.js)."""
    require(request.user, P, Action.VIEW)
    year, basis = _year(request, warn=False), _basis(request)
    trend = selectors.trend(end_year=year, basis=basis)

    def figure(value):
        return float(value) if value is not None else None

    return JsonResponse(
        {
            "years": trend.years,
            "labels": {
                "capaian": _("Achievement of the year (%)"),
                "absorption": _("Budget absorption (%)"),
            },
            "capaian": [figure(p.capaian.value) if p.capaian else None for p in trend.points],
            "absorption": [
                figure(p.budget.absorption.value) if p.budget.pagu else None for p in trend.points
            ],
            "indicators": [
                {
                    "code": r.indicator.code,
                    "name": r.indicator.name,
                    "capaian": [
                        figure(p.capaian.value) if p.target is not None else None for p in r.history
                    ],
                }
                for r in trend.indicators
            ],
        }
    )


def dashboard_panel(request) -> str | None:
    """The home page panel: the current year's achievement and budget absorption."""
    user = request.user
    if not has_permission(user, P, Action.VIEW):
        return None
    year = selectors.default_year()
    summary = selectors.year_summary(year=year)
    # No realization yet this year: the last year's achievement beside this year's budget.
    previous = None
    if summary is not None and not summary.realized:
        previous = selectors.year_summary(year=year - 1)
        if previous is not None and not previous.realized:
            previous = None
    pending_quarters = (
        selectors.pending_by_quarter(user=user) if has_permission(user, P, Action.APPROVE) else []
    )
    return render_to_string(
        "performance/_panel.html",
        {
            "summary": summary,
            "year": year,
            "pending": sum(q.count for q in pending_quarters),
            "first_pending": pending_quarters[0] if pending_quarters else None,
            "previous": previous,
        },
        request=request,
    )


# --- Plan ------------------------------------------------------------------------------------


@require_safe
@login_required
def renstra_list(request):
    require(request.user, P, Action.VIEW)
    return render(
        request,
        "performance/renstra_list.html",
        {**_common(request), "plans": selectors.renstra_list(user=request.user)},
    )


@login_required
@require_http_methods(["GET", "POST"])
def renstra_add(request):
    require(request.user, P, Action.ADD)
    form = RenstraForm(request.POST or None)
    status = 200
    if request.method == "POST" and form.is_valid():
        data = {n: form.cleaned_data[n] for n in form.Meta.fields}
        renstra, status = _save_or_errors(
            form, lambda: services.renstra_save(actor=request.user, data=data)
        )
        if renstra:
            messages.success(request, _("The strategic plan was saved."))
            return redirect("performance:renstra_detail", pk=renstra.pk)
    return render(
        request,
        "performance/form.html",
        {
            "form": form,
            "title": _("New strategic plan (Renstra)"),
            "back": reverse("performance:renstra_list"),
        },
        status=status,
    )


@require_safe
@login_required
def renstra_detail(request, pk):
    renstra = access_object(
        request.user, Renstra.objects.select_related("bidang"), Action.VIEW, pk=pk
    )
    can_edit = restrict(Renstra.objects.filter(pk=pk), request.user, Action.CHANGE).exists()
    can_delete = restrict(Renstra.objects.filter(pk=pk), request.user, Action.DELETE).exists()
    return render(
        request,
        "performance/renstra_detail.html",
        {
            **_common(request),
            "renstra": renstra,
            "structure": selectors.renstra_structure(renstra),
            "can_edit": can_edit,
            "can_delete": can_delete,
            "agreements": renstra.agreements.all(),
            "history": object_history(renstra, user=request.user)[:20],
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def renstra_edit(request, pk):
    renstra = access_object(request.user, Renstra.objects.all(), Action.CHANGE, pk=pk)
    form = RenstraForm(request.POST or None, instance=renstra)
    status = 200
    if request.method == "POST" and form.is_valid():
        data = {n: form.cleaned_data[n] for n in form.Meta.fields}
        saved, status = _save_or_errors(
            form,
            lambda: services.renstra_save(
                actor=request.user, data=data, renstra=renstra, version=form.cleaned_data["version"]
            ),
        )
        if saved:
            messages.success(request, _("The strategic plan was saved."))
            return redirect("performance:renstra_detail", pk=pk)
    return render(
        request,
        "performance/form.html",
        {
            "form": form,
            "title": renstra.name,
            "back": reverse("performance:renstra_detail", args=[pk]),
        },
        status=status,
    )


def _plan_child(request, *, renstra, form, save, title, delete_url=None):
    status = 200
    if request.method == "POST" and form.is_valid():
        saved, status = _save_or_errors(form, save)
        if saved:
            messages.success(request, _("%(item)s was saved.") % {"item": saved})
            return redirect("performance:renstra_detail", pk=renstra.pk)
    return render(
        request,
        "performance/form.html",
        {
            "form": form,
            "title": title,
            "back": reverse("performance:renstra_detail", args=[renstra.pk]),
            "delete_url": delete_url,
        },
        status=status,
    )


def _may_delete(user, instance) -> bool:
    """Whether to offer "Delete" for this record: the role may delete and the record is in the
    user's scope (the service decides again, and refuses an item with dependants)."""
    return restrict(type(instance).objects.filter(pk=instance.pk), user, Action.DELETE).exists()


def _delete_page(request, *, item, check, delete, title, details, back, done):
    """The confirmation page of a deletion: GET shows the item, what goes with it or why it
    cannot be deleted (``check``: a ``selectors.<entity>_deletion``), and asks for the reason;
    POST deletes through the service (``delete(version=, reason=)``), which checks again."""
    form = DeleteForm(request.POST or None, instance=item)
    status = 200
    if request.method == "POST" and form.is_valid():
        label = str(item)
        try:
            delete(version=form.cleaned_data["version"], reason=form.cleaned_data["reason"])
        except ConcurrentUpdateError as exc:
            form.add_error(None, exc.message)
            status = 409
        except services.DeletionRefused:
            pass  # the page shows why, from the check below
        except ValidationError as exc:
            _attach(form, exc)
        else:
            messages.success(request, _("%(item)s was deleted.") % {"item": label})
            return redirect(done)
    return render(
        request,
        "performance/delete_confirm.html",
        {
            "form": form,
            "title": title,
            "item": item,
            "details": details,
            "check": check(item),
            "back": back,
        },
        status=status,
    )


@login_required
@require_http_methods(["GET", "POST"])
def tujuan_add(request, pk):
    renstra = access_object(request.user, Renstra.objects.all(), Action.ADD, pk=pk)
    form = TujuanForm(request.POST or None)
    return _plan_child(
        request,
        renstra=renstra,
        form=form,
        title=_("New goal (tujuan)"),
        save=lambda: services.tujuan_save(
            actor=request.user,
            renstra=renstra,
            data={n: form.cleaned_data[n] for n in form.Meta.fields},
        ),
    )


@login_required
@require_http_methods(["GET", "POST"])
def tujuan_edit(request, pk):
    tujuan = access_object(
        request.user, Tujuan.objects.select_related("renstra"), Action.CHANGE, pk=pk
    )
    form = TujuanForm(request.POST or None, instance=tujuan)
    return _plan_child(
        request,
        renstra=tujuan.renstra,
        form=form,
        title=str(tujuan),
        delete_url=reverse("performance:tujuan_delete", args=[pk])
        if _may_delete(request.user, tujuan)
        else None,
        save=lambda: services.tujuan_save(
            actor=request.user,
            renstra=tujuan.renstra,
            tujuan=tujuan,
            version=form.cleaned_data["version"],
            data={n: form.cleaned_data[n] for n in form.Meta.fields},
        ),
    )


@login_required
@require_http_methods(["GET", "POST"])
def sasaran_add(request, pk):
    renstra = access_object(request.user, Renstra.objects.all(), Action.ADD, pk=pk)
    form = SasaranForm(request.POST or None, renstra=renstra)
    return _plan_child(
        request,
        renstra=renstra,
        form=form,
        title=_("New strategic objective (sasaran)"),
        save=lambda: services.sasaran_save(
            actor=request.user,
            renstra=renstra,
            data={n: form.cleaned_data[n] for n in form.Meta.fields},
            programs=list(form.cleaned_data["programs"]),
        ),
    )


@login_required
@require_http_methods(["GET", "POST"])
def sasaran_edit(request, pk):
    sasaran = access_object(
        request.user, Sasaran.objects.select_related("renstra"), Action.CHANGE, pk=pk
    )
    form = SasaranForm(request.POST or None, instance=sasaran, renstra=sasaran.renstra)
    return _plan_child(
        request,
        renstra=sasaran.renstra,
        form=form,
        title=str(sasaran),
        delete_url=reverse("performance:sasaran_delete", args=[pk])
        if _may_delete(request.user, sasaran)
        else None,
        save=lambda: services.sasaran_save(
            actor=request.user,
            renstra=sasaran.renstra,
            sasaran=sasaran,
            version=form.cleaned_data["version"],
            data={n: form.cleaned_data[n] for n in form.Meta.fields},
            programs=list(form.cleaned_data["programs"]),
        ),
    )


@login_required
@needs(Action.DELETE)
@require_http_methods(["GET", "POST"])
def tujuan_delete(request, pk):
    tujuan = access_object(
        request.user, Tujuan.objects.select_related("renstra"), Action.DELETE, pk=pk
    )
    renstra = tujuan.renstra
    return _delete_page(
        request,
        item=tujuan,
        check=selectors.tujuan_deletion,
        delete=lambda **given: services.tujuan_delete(actor=request.user, tujuan=tujuan, **given),
        title=_("Delete a goal (tujuan)"),
        details=[
            (_("Renstra"), renstra.name),
            (_("Code"), tujuan.code),
            (_("Statement"), tujuan.name),
        ],
        back=reverse("performance:renstra_detail", args=[renstra.pk]),
        done=reverse("performance:renstra_detail", args=[renstra.pk]),
    )


@login_required
@needs(Action.DELETE)
@require_http_methods(["GET", "POST"])
def sasaran_delete(request, pk):
    sasaran = access_object(
        request.user, Sasaran.objects.select_related("renstra", "tujuan"), Action.DELETE, pk=pk
    )
    renstra = sasaran.renstra
    return _delete_page(
        request,
        item=sasaran,
        check=selectors.sasaran_deletion,
        delete=lambda **given: services.sasaran_delete(
            actor=request.user, sasaran=sasaran, **given
        ),
        title=_("Delete an objective (sasaran)"),
        details=[
            (_("Renstra"), renstra.name),
            (_("Goal"), str(sasaran.tujuan)),
            (_("Code"), sasaran.code),
            (_("Statement"), sasaran.name),
        ],
        back=reverse("performance:renstra_detail", args=[renstra.pk]),
        done=reverse("performance:renstra_detail", args=[renstra.pk]),
    )


@require_safe
@login_required
def indicator_list(request):
    require(request.user, P, Action.VIEW)
    year = _year(request)
    level = request.GET.get("level") or ""
    if level not in Indicator.Level.values:
        level = ""
    renstra = selectors.renstra_for_year(year)
    indicators = (
        selectors.indicator_list(user=request.user, renstra=renstra, level=level or None)
        if renstra
        else Indicator.objects.none()
    )
    bidang_id = _int(request.GET.get("bidang"))
    if bidang_id:
        indicators = indicators.filter(bidang_id=bidang_id)
    results = selectors.indicator_results(
        year=year, basis=_basis(request), indicators=indicators, with_history=False
    )
    results.sort(
        key=lambda r: (
            selectors.LEVEL_ORDER[r.indicator.level],
            r.indicator.order,
            r.indicator.code,
        )
    )
    return render(
        request,
        "performance/indicator_list.html",
        {
            **_common(request, year),
            "renstra": renstra,
            "can_add_indicator": renstra is not None
            and restrict(Renstra.objects.filter(pk=renstra.pk), request.user, Action.ADD).exists(),
            "results": results,
            "level": level,
            "levels": Indicator.Level.choices,
            "bidang_list": Bidang.objects.all(),
            "bidang_id": bidang_id,
            "basis": _basis(request),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def indicator_add(request, pk):
    renstra = access_object(request.user, Renstra.objects.all(), Action.ADD, pk=pk)
    initial = {"level": request.GET.get("level") or Indicator.Level.SASARAN}
    form = IndicatorForm(request.POST or None, renstra=renstra, initial=initial)
    status = 200
    if request.method == "POST" and form.is_valid():
        indicator, status = _save_or_errors(
            form,
            lambda: services.indicator_save(
                actor=request.user, renstra=renstra, data=form.model_data(), targets=form.targets()
            ),
        )
        if indicator:
            messages.success(request, _("%(item)s was saved.") % {"item": indicator})
            return redirect("performance:indicator_detail", pk=indicator.pk)
    return render(
        request,
        "performance/indicator_form.html",
        {"form": form, "renstra": renstra, "title": _("New indicator")},
        status=status,
    )


@login_required
@require_http_methods(["GET", "POST"])
def indicator_edit(request, pk):
    indicator = access_object(
        request.user, Indicator.objects.select_related("renstra"), Action.CHANGE, pk=pk
    )
    form = IndicatorForm(request.POST or None, instance=indicator, renstra=indicator.renstra)
    status = 200
    if request.method == "POST" and form.is_valid():
        saved, status = _save_or_errors(
            form,
            lambda: services.indicator_save(
                actor=request.user,
                renstra=indicator.renstra,
                indicator=indicator,
                version=form.cleaned_data["version"],
                data=form.model_data(),
                targets=form.targets(),
            ),
        )
        if saved:
            messages.success(request, _("%(item)s was saved.") % {"item": saved})
            return redirect("performance:indicator_detail", pk=pk)
    return render(
        request,
        "performance/indicator_form.html",
        {
            "form": form,
            "renstra": indicator.renstra,
            "indicator": indicator,
            "title": str(indicator),
            "can_delete": _may_delete(request.user, indicator),
        },
        status=status,
    )


@login_required
@needs(Action.DELETE)
@require_http_methods(["GET", "POST"])
def indicator_delete(request, pk):
    indicator = access_object(
        request.user,
        Indicator.objects.select_related(
            "renstra", "bidang", "tujuan", "sasaran", "program", "kegiatan", "sub_kegiatan"
        ),
        Action.DELETE,
        pk=pk,
    )
    renstra = indicator.renstra
    return _delete_page(
        request,
        item=indicator,
        check=selectors.indicator_deletion,
        delete=lambda **given: services.indicator_delete(
            actor=request.user, indicator=indicator, **given
        ),
        title=_("Delete an indicator"),
        details=[
            (_("Renstra"), renstra.name),
            (_("Level"), f"{indicator.get_level_display()}: {indicator.owner}"),
            (_("Code"), indicator.code),
            (_("Name"), indicator.name),
            # "Unit" alone is the programs' "Satuan penerima" (its catalogue comes first).
            (pgettext("indicator", "Unit"), indicator.unit),
            (_("Division responsible"), indicator.bidang.name),
        ],
        back=reverse("performance:indicator_detail", args=[pk]),
        done=reverse("performance:renstra_detail", args=[renstra.pk]),
    )


@require_safe
@login_required
def indicator_detail(request, pk):
    indicator = access_object(
        request.user,
        Indicator.objects.select_related(
            "renstra",
            "bidang",
            "tujuan",
            "sasaran",
            "program",
            "kegiatan",
            "sub_kegiatan",
            "continues",
        ),
        Action.VIEW,
        pk=pk,
    )
    renstra = indicator.renstra
    year = _int(request.GET.get("year"), low=renstra.start_year, high=renstra.end_year)
    if year is None:
        default = selectors.default_year()
        year = default if renstra.start_year <= default <= renstra.end_year else renstra.end_year
    result = selectors.indicator_results(year=year, basis=_basis(request), indicators=[indicator])[
        0
    ]
    reopen_form = None
    if has_permission(request.user, Domain.ADMIN, Action.CHANGE):
        reopen_form = ReopenForm(initial={"year": year, "quarter": _quarter(request, year)})
    return render(
        request,
        "performance/indicator_detail.html",
        {
            **_common(request, year),
            "indicator": indicator,
            "result": result,
            "renstra_years": renstra.years,
            "targets": {t.year: t.value for t in indicator.renstra_targets.all()},
            "source": get_source(indicator.source_code) if indicator.source_code else None,
            "reopenings": QuarterReopen.objects.filter(indicator=indicator).select_related(
                "opened_by"
            ),
            "reopen_form": reopen_form,
            "can_edit": restrict(
                Indicator.objects.filter(pk=pk), request.user, Action.CHANGE
            ).exists(),
            "can_delete": _may_delete(request.user, indicator),
            "history": object_history(indicator, user=request.user)[:20],
            "basis": _basis(request),
        },
    )


@login_required
@needs(Action.CHANGE, Domain.ADMIN)
@require_POST
def quarter_reopen(request, pk):
    require(request.user, Domain.ADMIN, Action.CHANGE)
    indicator = access_object(
        request.user, Indicator.objects.select_related("renstra"), Action.VIEW, pk=pk
    )
    form = ReopenForm(request.POST)
    if form.is_valid():
        try:
            services.quarter_reopen(
                actor=request.user,
                indicator=indicator,
                year=form.cleaned_data["year"],
                quarter=form.cleaned_data["quarter"],
                reason=form.cleaned_data["reason"],
                days=form.cleaned_data["days"],
            )
        except ValidationError as exc:
            for message in exc.messages:
                messages.error(request, message)
        else:
            messages.success(request, _("The quarter was opened again for this indicator."))
    else:
        for errors in form.errors.values():
            for message in errors:
                messages.error(request, message)
    year = form.cleaned_data.get("year") if form.is_valid() else ""
    return redirect(reverse("performance:indicator_detail", args=[pk]) + f"?year={year}")


# --- Agreements --------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def agreement_list(request):
    require(request.user, P, Action.VIEW)
    year = _year(request)
    form = AgreementCreateForm(request.POST or None, initial={"year": year})
    if request.method == "POST":
        require(request.user, P, Action.ADD)
        if form.is_valid():
            year = form.cleaned_data["year"]
            renstra = selectors.renstra_for_year(year)
            if renstra is None:
                form.add_error("year", _("No Renstra covers this year."))
            else:
                data = {
                    k: form.cleaned_data[k] for k in ("signed_on", "first_party", "second_party")
                }
                agreement, _status = _save_or_errors(
                    form,
                    lambda: services.agreement_create(
                        actor=request.user, renstra=renstra, year=year, data=data
                    ),
                )
                if agreement:
                    messages.success(
                        request, _("The agreement was created from the Renstra targets.")
                    )
                    return redirect("performance:agreement_detail", pk=agreement.pk)
    table = selectors.agreement_table(year=year)
    return render(
        request,
        "performance/agreement_list.html",
        {
            **_common(request, year),
            "agreements": selectors.agreement_list(user=request.user, year=year),
            "table": table,
            "form": form,
        },
    )


@require_safe
@login_required
def agreement_detail(request, pk):
    agreement = access_object(
        request.user, Agreement.objects.select_related("renstra", "based_on"), Action.VIEW, pk=pk
    )
    table = selectors.agreement_table(year=agreement.year)
    targets = (
        AgreementTarget.objects.filter(agreement=agreement)
        .select_related(
            "indicator__sasaran",
            "indicator__program",
            "indicator__kegiatan",
            "indicator__sub_kegiatan",
            "indicator__tujuan",
        )
        .order_by("indicator__order", "indicator__code")
    )
    grouped = {}
    for target in targets:
        grouped.setdefault(target.indicator.get_level_display(), []).append(target)
    return render(
        request,
        "performance/agreement_detail.html",
        {
            **_common(request, agreement.year),
            "agreement": agreement,
            "grouped": sorted(
                grouped.items(), key=lambda g: selectors.LEVEL_ORDER[g[1][0].indicator.level]
            ),
            "siblings": table["agreements"],
            "is_latest": not Agreement.objects.filter(
                year=agreement.year, revision__gt=agreement.revision
            ).exists(),
            "can_edit": restrict(
                Agreement.objects.filter(pk=pk), request.user, Action.CHANGE
            ).exists(),
            "history": object_history(agreement, user=request.user)[:20],
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def agreement_edit(request, pk):
    agreement = access_object(
        request.user, Agreement.objects.select_related("renstra"), Action.CHANGE, pk=pk
    )
    form = AgreementForm(request.POST or None, instance=agreement)
    status = 200
    if request.method == "POST" and form.is_valid():
        saved, status = _save_or_errors(
            form,
            lambda: services.agreement_update(
                actor=request.user,
                agreement=agreement,
                version=form.cleaned_data["version"],
                data={n: form.cleaned_data[n] for n in form.Meta.fields},
            ),
        )
        if saved:
            messages.success(request, _("The agreement was saved."))
            return redirect("performance:agreement_detail", pk=pk)
    return render(
        request,
        "performance/form.html",
        {
            "form": form,
            "title": str(agreement),
            "back": reverse("performance:agreement_detail", args=[pk]),
        },
        status=status,
    )


@login_required
@require_http_methods(["GET", "POST"])
def agreement_targets(request, pk):
    """Edit the targets of an agreement, one level at a time."""
    agreement = access_object(
        request.user, Agreement.objects.select_related("renstra"), Action.CHANGE, pk=pk
    )
    level = request.GET.get("level") or Indicator.Level.SASARAN
    if level not in Indicator.Level.values:
        raise Http404
    indicators = list(
        Indicator.objects.filter(renstra=agreement.renstra, level=level).order_by("order", "code")
    )
    existing = {t.indicator_id: t for t in AgreementTarget.objects.filter(agreement=agreement)}
    initial = []
    for indicator in indicators:
        target = existing.get(indicator.pk)
        row = {"indicator": indicator.pk, "version": target.version if target else None}
        if target:
            row |= {n: plain(getattr(target, n)) for n in ("target", "q1", "q2", "q3", "q4")}
        initial.append(row)
    formset = TargetFormSet(request.POST or None, initial=initial, prefix="t")
    status = 200
    if request.method == "POST" and formset.is_valid():
        by_id = {i.pk: i for i in indicators}
        rows = []
        for form in formset:
            indicator = by_id.get(form.cleaned_data.get("indicator"))
            if indicator is None:
                continue
            rows.append(
                {
                    "indicator": indicator,
                    **{
                        k: form.cleaned_data.get(k)
                        for k in ("target", "q1", "q2", "q3", "q4", "version")
                    },
                }
            )
        try:
            changed = services.agreement_targets_save(
                actor=request.user, agreement=agreement, rows=rows
            )
        except ConcurrentUpdateError as exc:
            messages.error(request, exc.message)
            status = 409
        except ValidationError as exc:
            codes = {i.code: n for n, i in enumerate(indicators)}
            for code, errors in exc.message_dict.items():
                if code in codes:
                    formset.forms[codes[code]].add_error(None, errors)
                else:
                    messages.error(request, "; ".join(errors))
        else:
            messages.success(request, _("%(n)s targets were saved.") % {"n": changed})
            return redirect(reverse("performance:agreement_targets", args=[pk]) + f"?level={level}")
    rows = list(zip(indicators, formset.forms, strict=True))
    return render(
        request,
        "performance/agreement_targets.html",
        {
            "agreement": agreement,
            "formset": formset,
            "rows": rows,
            "level": level,
            "levels": Indicator.Level.choices,
        },
        status=status,
    )


@login_required
@require_http_methods(["GET", "POST"])
def agreement_revise(request, pk):
    agreement = access_object(
        request.user, Agreement.objects.select_related("renstra"), Action.ADD, pk=pk
    )
    form = AgreementReviseForm(request.POST or None)
    status = 200
    if request.method == "POST" and form.is_valid():
        revision, status = _save_or_errors(
            form,
            lambda: services.agreement_revise(
                actor=request.user,
                year=agreement.year,
                reason=form.cleaned_data["reason"],
                data={"signed_on": form.cleaned_data["signed_on"]},
            ),
        )
        if revision:
            messages.success(request, _("The revised agreement was created; adjust its targets."))
            return redirect("performance:agreement_detail", pk=revision.pk)
    return render(
        request,
        "performance/form.html",
        {
            "form": form,
            "title": _("Revise the agreement %(year)s") % {"year": agreement.year},
            "intro": _(
                "The revision copies the targets of the latest agreement; the original stays "
                "unchanged and both can be used in reports."
            ),
            "back": reverse("performance:agreement_detail", args=[pk]),
        },
        status=status,
    )


# --- Realizations --------------------------------------------------------------------------------


@require_safe
@login_required
def realization_list(request):
    require(request.user, P, Action.VIEW)
    year = _year(request)
    quarter = _quarter(request, year)
    user = request.user
    bidang_param = request.GET.get("bidang")
    if (
        bidang_param is None
        and getattr(user, "bidang_id", None)
        and user.role in ("operator", "kepala_bidang")
    ):
        bidang_id = user.bidang_id  # by default an operator sees the own division's work
    else:
        bidang_id = _int(bidang_param)
    status = request.GET.get("status") or ""
    if status not in [*Realization.Status.values, "missing"]:
        status = ""
    level = request.GET.get("level") or ""
    if level not in Indicator.Level.values:
        level = ""
    pending_elsewhere = (
        [
            q
            for q in selectors.pending_by_quarter(user=user)
            if (q.year, q.quarter) != (year, quarter)
        ]
        if status == Realization.Status.SUBMITTED and has_permission(user, P, Action.APPROVE)
        else []
    )
    items = selectors.realization_worklist(
        user=user,
        year=year,
        quarter=quarter,
        bidang_id=bidang_id,
        status=status or None,
        level=level or None,
    )
    return render(
        request,
        "performance/realization_list.html",
        {
            **_common(request, year),
            "items": items,
            "quarter": quarter,
            "quarters": calc.QUARTERS,
            "bidang_list": Bidang.objects.all(),
            "bidang_id": bidang_id,
            "status": status,
            "statuses": [*Realization.Status.choices, ("missing", _("Not entered"))],
            "level": level,
            "levels": Indicator.Level.choices,
            "lock": selectors.lock_state(indicator_id=0, year=year, quarter=quarter, reopened={}),
            "pending_elsewhere": pending_elsewhere,
        },
    )


def _entry_indicator(request, indicator_id, year, quarter):
    indicator = access_object(
        request.user,
        Indicator.objects.select_related("renstra", "bidang"),
        Action.VIEW,
        pk=indicator_id,
    )
    if (
        not (indicator.renstra.start_year <= year <= indicator.renstra.end_year)
        or quarter not in calc.QUARTERS
    ):
        raise Http404(_("The quarter is outside the indicator's Renstra."))
    return indicator


@login_required
@require_http_methods(["GET", "POST"])
def realization_entry(request, indicator, year, quarter):
    indicator = _entry_indicator(request, indicator, year, quarter)
    user = request.user
    realization = selectors.realization_get(indicator=indicator, year=year, quarter=quarter)
    may_enter = _may_enter(user, indicator)
    form = RealizationForm(
        request.POST or None, request.FILES or None, indicator=indicator, instance=realization
    )
    status = 200
    if request.method == "POST":
        if not may_enter:
            raise PermissionDenied(_("This indicator belongs to another division (bidang)."))
        if form.is_valid():
            submit = "submit" in request.POST
            saved, status = _save_or_errors(
                form,
                lambda: services.realization_save(
                    actor=user,
                    indicator=indicator,
                    year=year,
                    quarter=quarter,
                    data=form.figure_data(),
                    version=form.cleaned_data.get("version"),
                    uploads=form.cleaned_data.get("evidence") or [],
                    submit=submit,
                ),
            )
            if saved:
                messages.success(
                    request,
                    _("The realization was submitted for approval.")
                    if submit
                    else _("The realization was saved as a draft."),
                )
                return redirect(
                    "performance:realization_entry",
                    indicator=indicator.pk,
                    year=year,
                    quarter=quarter,
                )
    result = selectors.indicator_results(year=year, indicators=[indicator], with_history=False)[0]
    quarter_result = result.quarters[quarter - 1]
    review_form = None
    if (
        realization
        and realization.status
        in (
            Realization.Status.SUBMITTED,
            Realization.Status.APPROVED,
        )
        and restrict(Realization.objects.filter(pk=realization.pk), user, Action.APPROVE).exists()
    ):
        review_form = ReviewForm(initial={"version": realization.version})
    return render(
        request,
        "performance/realization_entry.html",
        {
            "indicator": indicator,
            "year": year,
            "quarter": quarter,
            "realization": realization,
            "form": form,
            "result": result,
            "quarter_result": quarter_result,
            "lock": quarter_result.lock,
            "may_enter": may_enter and (realization is None or realization.is_editable),
            "review_form": review_form,
            "source": get_source(indicator.source_code) if indicator.source_code else None,
            "history": object_history(realization, user=user)[:20] if realization else [],
            "is_admin": has_permission(user, Domain.ADMIN, Action.CHANGE),
            "reopen_form": ReopenForm(initial={"year": year, "quarter": quarter}),
        },
        status=status,
    )


def _may_enter(user, indicator) -> bool:
    """Whether the user may enter this indicator's realization (its bidang's staff, admin)."""
    if not has_permission(user, P, Action.CHANGE):
        return False
    try:
        check_bidang(user, indicator.bidang_id)
    except PermissionDenied:
        return False
    return True


@login_required
@needs(Action.APPROVE)
@require_POST
def realization_review(request, indicator, year, quarter):
    indicator = _entry_indicator(request, indicator, year, quarter)
    realization = access_object(
        request.user,
        Realization.objects.select_related("indicator"),
        Action.APPROVE,
        indicator=indicator,
        year=year,
        quarter=quarter,
    )
    form = ReviewForm(request.POST)
    target = redirect(
        "performance:realization_entry", indicator=indicator.pk, year=year, quarter=quarter
    )
    if not form.is_valid():
        messages.error(request, _("The review could not be read; try again."))
        return target
    try:
        if form.cleaned_data["decision"] == "approve":
            services.realization_approve(
                actor=request.user,
                realization=realization,
                version=form.cleaned_data["version"],
                note=form.cleaned_data["note"],
            )
            messages.success(request, _("The realization was approved."))
        else:
            services.realization_return(
                actor=request.user,
                realization=realization,
                version=form.cleaned_data["version"],
                note=form.cleaned_data["note"],
            )
            messages.success(request, _("The realization was returned for correction."))
    except ConcurrentUpdateError as exc:
        messages.error(request, exc.message)
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    return target


@login_required
@needs(Action.CHANGE)
@require_POST
def realization_compute(request, indicator, year, quarter):
    indicator = _entry_indicator(request, indicator, year, quarter)
    require(request.user, P, Action.CHANGE)
    try:
        services.realization_compute(
            actor=request.user, indicator=indicator, year=year, quarter=quarter
        )
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("The realization was computed from operational data."))
    return redirect(
        "performance:realization_entry", indicator=indicator.pk, year=year, quarter=quarter
    )


@require_safe
@login_required
def evidence_download(request, pk):
    require(request.user, P, Action.VIEW)
    evidence = access_object(
        request.user, Evidence.objects.select_related("realization"), Action.VIEW, pk=pk
    )
    try:
        handle = evidence.file.open("rb")
    except FileNotFoundError as exc:
        raise Http404(_("The file is no longer stored.")) from exc
    response = FileResponse(
        handle,
        content_type=evidence.content_type,
        as_attachment=True,
        filename=evidence.original_name,
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response


@login_required
@needs(Action.DELETE)
@require_POST
def evidence_delete(request, pk):
    evidence = access_object(
        request.user,
        Evidence.objects.select_related("realization__indicator"),
        Action.DELETE,
        pk=pk,
    )
    realization = evidence.realization
    try:
        services.evidence_delete(actor=request.user, evidence=evidence)
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("The evidence file was removed."))
    return redirect(
        "performance:realization_entry",
        indicator=realization.indicator_id,
        year=realization.year,
        quarter=realization.quarter,
    )


# --- Budget ------------------------------------------------------------------------------------


@require_safe
@login_required
def budget_tree(request):
    require(request.user, P, Action.VIEW)
    year, basis = _year(request), _basis(request)
    tree = selectors.budget_tree(year=year, basis=basis)
    index_total = selectors.budget_totals(year=year, basis=basis)
    return render(
        request,
        "performance/budget_tree.html",
        {
            **_common(request, year),
            "tree": tree,
            "total": index_total,
            "basis": basis,
            "renstra": selectors.renstra_for_year(year),
            "can_edit_budget": restrict(
                BudgetLine.objects.filter(year=year), request.user, Action.CHANGE
            ).exists()
            or has_permission(request.user, Domain.ADMIN, Action.CHANGE),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def budget_add(request):
    require(request.user, P, Action.ADD)
    form = BudgetLineForm(request.POST or None, initial={"year": _year(request)})
    status = 200
    if request.method == "POST" and form.is_valid():
        line, status = _save_or_errors(
            form,
            lambda: services.budget_line_save(
                actor=request.user, data=form.model_data(), months=form.months()
            ),
        )
        if line:
            messages.success(request, _("The budget line was saved."))
            return redirect(reverse("performance:budget_tree") + f"?year={line.year}")
    return render(
        request,
        "performance/budget_form.html",
        {"form": form, "title": _("New budget line")},
        status=status,
    )


@login_required
@require_http_methods(["GET", "POST"])
def budget_edit(request, pk):
    line = access_object(
        request.user,
        BudgetLine.objects.select_related("renstra", "sub_kegiatan"),
        Action.CHANGE,
        pk=pk,
    )
    form = BudgetLineForm(request.POST or None, instance=line)
    status = 200
    if request.method == "POST" and form.is_valid():
        saved, status = _save_or_errors(
            form,
            lambda: services.budget_line_save(
                actor=request.user,
                data=form.model_data(),
                months=form.months(),
                line=line,
                version=form.cleaned_data["version"],
            ),
        )
        if saved:
            messages.success(request, _("The budget line was saved."))
            return redirect(reverse("performance:budget_tree") + f"?year={line.year}")
    return render(
        request,
        "performance/budget_form.html",
        {
            "form": form,
            "line": line,
            "title": str(line.sub_kegiatan),
            "history": object_history(line, user=request.user)[:20],
            "can_delete": _may_delete(request.user, line),
        },
        status=status,
    )


@login_required
@needs(Action.DELETE)
@require_http_methods(["GET", "POST"])
def budget_delete(request, pk):
    line = access_object(
        request.user,
        BudgetLine.objects.select_related("renstra", "sub_kegiatan", "bidang"),
        Action.DELETE,
        pk=pk,
    )
    return _delete_page(
        request,
        item=line,
        check=selectors.budget_line_deletion,
        delete=lambda **given: services.budget_line_delete(actor=request.user, line=line, **given),
        title=_("Delete a budget line"),
        details=[
            (_("Budget year"), str(line.year)),
            (_("Sub-activity (sub kegiatan)"), str(line.sub_kegiatan)),
            (_("Implementing division"), line.bidang.name),
            (_("Budget ceiling before revision"), format_rupiah(line.pagu_murni)),
            (_("Budget ceiling after revision"), format_rupiah(line.pagu_perubahan)),
        ],
        back=reverse("performance:budget_edit", args=[pk]),
        done=reverse("performance:budget_tree") + f"?year={line.year}",
    )


# --- SPM ---------------------------------------------------------------------------------------


@require_safe
@login_required
def spm(request):
    require(request.user, P, Action.VIEW)
    year = _year(request)
    return render(
        request,
        "performance/spm.html",
        {**_common(request, year), "spm": selectors.spm_summary(year=year)},
    )


@login_required
@require_http_methods(["GET", "POST"])
def spm_edit(request, year):
    require(request.user, P, Action.CHANGE)
    if not 2000 <= year <= 2100:
        raise Http404
    services_list = list(
        restrict(SpmService.objects.select_related("bidang"), request.user, Action.VIEW)
    )
    existing = {a.service_id: a for a in SpmAchievement.objects.filter(year=year)}
    initial = [
        {
            "service": s.pk,
            "version": existing[s.pk].version if s.pk in existing else None,
            "target_group_count": existing[s.pk].target_group_count if s.pk in existing else None,
            "served_count": existing[s.pk].served_count if s.pk in existing else None,
            "note": existing[s.pk].note if s.pk in existing else "",
        }
        for s in services_list
    ]
    formset = SpmFormSet(request.POST or None, initial=initial, prefix="spm")
    status = 200
    if request.method == "POST" and formset.is_valid():
        by_id = {s.pk: s for s in services_list}
        saved = 0
        problems = False
        for form in formset:
            service = by_id.get(form.cleaned_data.get("service"))
            if service is None or form.cleaned_data.get("target_group_count") is None:
                continue
            data = {
                k: form.cleaned_data.get(k) for k in ("target_group_count", "served_count", "note")
            }
            current = existing.get(service.pk)
            if current and all(getattr(current, k) == v for k, v in data.items()):
                continue
            try:
                services.spm_save(
                    actor=request.user,
                    service=service,
                    year=year,
                    data=data,
                    version=form.cleaned_data.get("version"),
                )
                saved += 1
            except PermissionDenied as exc:
                form.add_error(None, str(exc))
                problems = True
            except ConcurrentUpdateError as exc:
                form.add_error(None, exc.message)
                problems, status = True, 409
            except ValidationError as exc:
                form.add_error(None, exc.messages)
                problems = True
        if not problems:
            messages.success(request, _("%(n)s SPM figures were saved.") % {"n": saved})
            return redirect(reverse("performance:spm") + f"?year={year}")
    return render(
        request,
        "performance/spm_form.html",
        {
            "formset": formset,
            "rows": list(zip(services_list, formset.forms, strict=True)),
            "year": year,
        },
        status=status,
    )


# --- Settings ----------------------------------------------------------------------------------


def _band_initial(scale):
    return [
        {
            "label": b.label,
            "lower_bound": plain(b.lower_bound),
            "lower_inclusive": b.lower_inclusive,
            "tone": b.tone,
        }
        for b in selectors.band_rows(scale)
    ]


@login_required
@require_http_methods(["GET", "POST"])
def settings_view(request):
    require(request.user, Domain.ADMIN, Action.CHANGE)
    row = selectors.performance_settings()
    post = request.POST if request.method == "POST" else None
    form = SettingsForm(post, instance=row, prefix="s")
    rating = BandFormSet(post, initial=_band_initial(Band.Scale.RATING), prefix="rating")
    effectiveness = BandFormSet(post, initial=_band_initial(Band.Scale.EFFECTIVENESS), prefix="eff")
    status = 200
    if post is not None and form.is_valid() and rating.is_valid() and effectiveness.is_valid():
        try:
            services.settings_update(
                actor=request.user,
                version=form.cleaned_data["version"],
                data={n: form.cleaned_data[n] for n in form.Meta.fields},
            )
            for scale, formset in (
                (Band.Scale.RATING, rating),
                (Band.Scale.EFFECTIVENESS, effectiveness),
            ):
                bands = [f.cleaned_data for f in formset if f.cleaned_data.get("label")]
                try:
                    services.bands_replace(actor=request.user, scale=scale, bands=bands)
                except ValidationError as exc:
                    formset._non_form_errors = formset.error_class(exc.messages)
                    raise
        except ConcurrentUpdateError as exc:
            form.add_error(None, exc.message)
            status = 409
        except ValidationError as exc:
            if not (rating.non_form_errors() or effectiveness.non_form_errors()):
                _attach(form, exc)
        else:
            messages.success(request, _("The performance settings were saved."))
            return redirect("performance:settings")
    return render(
        request,
        "performance/settings.html",
        {"form": form, "rating": rating, "effectiveness": effectiveness, "sources": _sources()},
        status=status,
    )


def _sources():
    return registered_sources()


# --- Imports and exports -----------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def import_start(request):
    require(request.user, P, Action.IMPORT)
    form = ImportForm(
        request.POST or None, request.FILES or None, kinds=spreadsheets.kind_choices()
    )
    if request.method == "POST" and form.is_valid():
        try:
            job = services.import_start(
                actor=request.user,
                kind=form.cleaned_data["kind"],
                upload=form.cleaned_data["file"],
                commit=form.cleaned_data["commit"],
            )
        except ValidationError as exc:
            _attach(form, exc)
        else:
            return redirect("job_detail", pk=job.pk)
    return render(
        request,
        "performance/import_form.html",
        {
            **_common(request, selectors.default_year()),
            "form": form,
            "kinds": spreadsheets.IMPORTERS,
            "recent": restrict(Job.objects.filter(kind=IMPORT_JOB), request.user, Action.VIEW)[:10],
        },
    )


def _import_job(request, pk) -> Job:
    return access_object(request.user, Job.objects.filter(kind=IMPORT_JOB), Action.VIEW, pk=pk)


@require_safe
@login_required
def import_result(request, pk):
    job = _import_job(request, pk)
    result = job.result or {}
    return render(
        request,
        "performance/import_result.html",
        {
            "job": job,
            "state": job_live_state(job),
            "result": result,
            "problems": result.get("problems", []),
            "can_commit": job.status == Job.Status.SUCCEEDED
            and result.get("ok")
            and not result.get("committed")
            and result.get("rows")
            and has_permission(request.user, P, Action.IMPORT),
            "can_import": has_permission(request.user, P, Action.IMPORT),
        },
    )


@login_required
@needs(Action.IMPORT)
@require_POST
def import_commit(request, pk):
    """Save a workbook whose check found no problem: the same file is run again, saving."""
    require(request.user, P, Action.IMPORT)
    job = _import_job(request, pk)
    if job.created_by_id != request.user.pk or not job.input_file:
        raise PermissionDenied(_("Only the person who uploaded the file can save it."))
    with job.input_file.open("rb") as handle:
        upload = ContentFile(handle.read(), name=job.params.get("name") or "impor.xlsx")
    new_job = services.import_start(
        actor=request.user, kind=job.params.get("kind", ""), upload=upload, commit=True
    )
    return redirect("job_detail", pk=new_job.pk)


TEMPLATES = {"rencana": "plan", "anggaran": "budget", "realisasi": "realization"}


@require_safe
@login_required
def template_download(request, kind):
    require(request.user, P, Action.VIEW)
    if kind not in TEMPLATES:
        raise Http404
    filled = request.GET.get("filled") == "1"
    year = _year(request, warn=False)
    if TEMPLATES[kind] == "plan":
        content = spreadsheets.plan_template(selectors.renstra_for_year(year) if filled else None)
    elif TEMPLATES[kind] == "budget":
        content = spreadsheets.budget_template(year if filled else None)
    else:
        quarter = _int(request.GET.get("quarter"), low=1, high=4)
        content = spreadsheets.realization_template(
            user=request.user, year=year if filled else None, quarter=quarter
        )
    suffix = f"-{year}" if filled else ""
    return _xlsx(content, f"templat-{kind}{suffix}.xlsx")


@require_safe
@login_required
def export(request, table):
    require(request.user, P, Action.EXPORT)
    if table not in exports.EXPORTS:
        raise Http404
    year, basis = _year(request, warn=False), _basis(request)
    _label, build = exports.EXPORTS[table]
    kwargs = {"year": year, "basis": basis, "user": request.user}
    if table == "indikator":
        level = request.GET.get("level") or None
        kwargs["level"] = level if level in Indicator.Level.values else None
    content = build(**kwargs)
    return _xlsx(content, f"kinerja-{slugify(table)}-{year}.xlsx")
