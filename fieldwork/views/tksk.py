"""TKSK assignments, the workload per kecamatan and the settings of field work."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from accounts.access import Action, Domain, access_object, require
from regions.models import District
from welfare.audit import object_history
from welfare.concurrency import ConcurrentUpdateError

from .. import selectors, services
from ..forms import AssignmentEndForm, AssignmentForm, SettingsForm
from ..models import FieldworkSettings
from .common import attach_errors, can_manage
from .psks import _require_manage


@require_safe
@login_required
def workload(request):
    require(request.user, Domain.FIELDWORK, Action.VIEW)
    manage = can_manage(request.user)
    return render(
        request,
        "fieldwork/workload.html",
        {
            "workload": selectors.tksk_workload(user=request.user),
            "mismatches": selectors.tksk_account_mismatches() if manage else [],
            "can_manage": manage,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def assignment_add(request):
    _require_manage(request.user)
    initial = {}
    if request.GET.get("kecamatan"):
        initial["district"] = request.GET["kecamatan"]
    form = AssignmentForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            assignment = services.tksk_assign(
                actor=request.user,
                person=data["person"],
                district=data["district"],
                decree_number=data["decree_number"],
                decree_date=data["decree_date"],
                start_date=data["start_date"],
                period_end=data.get("period_end"),
                end_current=data.get("end_current", False),
            )
        except ValidationError as exc:
            attach_errors(form, exc)
        else:
            messages.success(
                request,
                _("%(name)s is now the TKSK of Kecamatan %(district)s.")
                % {"name": assignment.person.name, "district": assignment.district.name},
            )
            return redirect("fieldwork:assignment_detail", pk=assignment.pk)
    return render(request, "fieldwork/assignment_form.html", {"form": form})


def _assignment_context(request, assignment, end_form=None):
    return {
        "assignment": assignment,
        "end_form": end_form
        or (
            AssignmentEndForm(instance=assignment, initial={"version": assignment.version})
            if assignment.is_active and can_manage(request.user)
            else None
        ),
        "history": object_history(assignment, user=request.user),
    }


@require_safe
@login_required
def assignment_detail(request, pk):
    assignment = access_object(request.user, selectors.assignment_list(user=request.user), pk=pk)
    return render(
        request, "fieldwork/assignment_detail.html", _assignment_context(request, assignment)
    )


@login_required
@require_POST
def assignment_end(request, pk):
    assignment = access_object(
        request.user, selectors.assignment_list(user=request.user), Action.CHANGE, pk=pk
    )
    _require_manage(request.user)
    form = AssignmentEndForm(request.POST, instance=assignment)
    status = 400
    if form.is_valid():
        try:
            services.tksk_assignment_end(
                actor=request.user,
                assignment=assignment,
                version=form.cleaned_data.get("version"),
                ended_on=form.cleaned_data["ended_on"],
                reason=form.cleaned_data["reason"],
            )
        except ConcurrentUpdateError as exc:
            form.add_error(None, exc.message)
            status = 409
        except ValidationError as exc:
            attach_errors(form, exc)
        else:
            messages.success(request, _("The assignment has ended."))
            return redirect("fieldwork:assignment_detail", pk=assignment.pk)
    assignment.refresh_from_db()
    return render(
        request,
        "fieldwork/assignment_detail.html",
        _assignment_context(request, assignment, end_form=form),
        status=status,
    )


@require_safe
@login_required
def district_assignments(request, code):
    require(request.user, Domain.FIELDWORK, Action.VIEW)
    district = access_object(
        request.user,
        District.objects.filter(regency_id=settings.WELFARE_HOME_REGENCY),
        code=code,
    )
    assignments = (
        selectors.assignment_list(user=request.user)
        .filter(district=district)
        .order_by("-start_date", "-id")
    )
    return render(
        request,
        "fieldwork/district_assignments.html",
        {"district": district, "assignments": assignments, "can_manage": can_manage(request.user)},
    )


@login_required
@require_http_methods(["GET", "POST"])
def settings_edit(request):
    require(request.user, Domain.FIELDWORK, Action.CHANGE)
    settings_obj = selectors.fieldwork_settings()
    settings_obj = access_object(
        request.user, FieldworkSettings.objects.all(), Action.CHANGE, pk=settings_obj.pk
    )
    form = SettingsForm(request.POST or None, instance=settings_obj)
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            services.fieldwork_settings_update(
                actor=request.user,
                settings_obj=settings_obj,
                version=form.cleaned_data.get("version"),
                data=form.cleaned_data,
            )
        except ConcurrentUpdateError as exc:
            form.add_error(None, exc.message)
            status = 409
        except ValidationError as exc:
            attach_errors(form, exc)
        else:
            messages.success(request, _("The settings were saved."))
            return redirect("fieldwork:settings")
    return render(request, "fieldwork/settings.html", {"form": form}, status=status)
