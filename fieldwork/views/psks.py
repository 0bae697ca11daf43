"""The PSKS registry: people, institutions and the per-kecamatan recaps."""

from __future__ import annotations

import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from accounts.access import Action, Domain, access_object, require
from welfare.audit import object_history
from welfare.concurrency import ConcurrentUpdateError

from .. import selectors, services
from ..filters import PsksInstitutionFilter, PsksPersonFilter
from ..forms import PsksInstitutionForm, PsksPersonForm
from .common import attach_errors, can_manage, page_of, styled


def _require_manage(user) -> None:
    require(user, Domain.FIELDWORK, Action.CHANGE)
    if not can_manage(user):
        raise PermissionDenied(
            _("The PSKS registry and the TKSK assignments are kept by the office.")
        )


@require_safe
@login_required
def people(request):
    require(request.user, Domain.FIELDWORK, Action.VIEW)
    filterset = styled(
        PsksPersonFilter(
            request.GET or None,
            queryset=selectors.psks_person_list(user=request.user),
            request=request,
        )
    )
    return render(
        request,
        "fieldwork/psks_people.html",
        {
            "filter": filterset,
            "page": page_of(request, filterset.qs, 50),
            "can_manage": can_manage(request.user),
        },
    )


def _save_person(request, form, person=None):
    data = form.data_for_service()
    if person is None:
        return services.psks_person_create(actor=request.user, data=data)
    return services.psks_person_update(
        actor=request.user, person=person, version=form.cleaned_data.get("version"), data=data
    )


@login_required
@require_http_methods(["GET", "POST"])
def person_add(request):
    _require_manage(request.user)
    form = PsksPersonForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            person = _save_person(request, form)
        except ValidationError as exc:
            attach_errors(form, exc)
        else:
            messages.success(request, _("%(name)s was added.") % {"name": person.name})
            return redirect("fieldwork:psks_person_detail", pk=person.pk)
    return render(request, "fieldwork/psks_form.html", {"form": form, "what": "person"})


@login_required
@require_http_methods(["GET", "POST"])
def person_edit(request, pk):
    person = access_object(
        request.user, selectors.psks_person_list(user=request.user), Action.CHANGE, pk=pk
    )
    _require_manage(request.user)
    form = PsksPersonForm(request.POST or None, instance=person)
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            _save_person(request, form, person)
        except ConcurrentUpdateError as exc:
            form.add_error(None, exc.message)
            status = 409
        except ValidationError as exc:
            attach_errors(form, exc)
        else:
            messages.success(request, _("%(name)s was saved.") % {"name": person.name})
            return redirect("fieldwork:psks_person_detail", pk=person.pk)
    return render(
        request,
        "fieldwork/psks_form.html",
        {"form": form, "what": "person", "object": person},
        status=status,
    )


@require_safe
@login_required
def person_detail(request, pk):
    person = access_object(request.user, selectors.psks_person_list(user=request.user), pk=pk)
    return render(
        request,
        "fieldwork/psks_person_detail.html",
        {
            "person": person,
            "assignments": person.assignments.select_related("district").order_by("-start_date"),
            "history": object_history(person, user=request.user),
            "can_manage": can_manage(request.user),
        },
    )


@require_safe
@login_required
def institutions(request):
    require(request.user, Domain.FIELDWORK, Action.VIEW)
    filterset = styled(
        PsksInstitutionFilter(
            request.GET or None,
            queryset=selectors.psks_institution_list(user=request.user),
            request=request,
        )
    )
    return render(
        request,
        "fieldwork/psks_institutions.html",
        {
            "filter": filterset,
            "page": page_of(request, filterset.qs, 50),
            "can_manage": can_manage(request.user),
            "today": timezone.localdate(),
        },
    )


def _save_institution(request, form, institution=None):
    data = form.data_for_service()
    services_chosen = list(form.cleaned_data.get("services") or [])
    if institution is None:
        return services.psks_institution_create(
            actor=request.user, data=data, services=services_chosen
        )
    return services.psks_institution_update(
        actor=request.user,
        institution=institution,
        version=form.cleaned_data.get("version"),
        data=data,
        services=services_chosen,
    )


@login_required
@require_http_methods(["GET", "POST"])
def institution_add(request):
    _require_manage(request.user)
    form = PsksInstitutionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            institution = _save_institution(request, form)
        except ValidationError as exc:
            attach_errors(form, exc)
        else:
            messages.success(request, _("%(name)s was added.") % {"name": institution.name})
            return redirect("fieldwork:psks_institution_detail", pk=institution.pk)
    return render(request, "fieldwork/psks_form.html", {"form": form, "what": "institution"})


@login_required
@require_http_methods(["GET", "POST"])
def institution_edit(request, pk):
    institution = access_object(
        request.user, selectors.psks_institution_list(user=request.user), Action.CHANGE, pk=pk
    )
    _require_manage(request.user)
    form = PsksInstitutionForm(request.POST or None, instance=institution)
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            _save_institution(request, form, institution)
        except ConcurrentUpdateError as exc:
            form.add_error(None, exc.message)
            status = 409
        except ValidationError as exc:
            attach_errors(form, exc)
        else:
            messages.success(request, _("%(name)s was saved.") % {"name": institution.name})
            return redirect("fieldwork:psks_institution_detail", pk=institution.pk)
    return render(
        request,
        "fieldwork/psks_form.html",
        {"form": form, "what": "institution", "object": institution},
        status=status,
    )


@require_safe
@login_required
def institution_detail(request, pk):
    institution = access_object(
        request.user, selectors.psks_institution_list(user=request.user), pk=pk
    )
    return render(
        request,
        "fieldwork/psks_institution_detail.html",
        {
            "institution": institution,
            "state": institution.accreditation_state(),
            "people": institution.people.select_related("kind").order_by("name"),
            "history": object_history(institution, user=request.user),
            "can_manage": can_manage(request.user),
        },
    )


@require_safe
@login_required
def recap(request):
    require(request.user, Domain.FIELDWORK, Action.STATS)
    on = timezone.localdate()
    value = request.GET.get("tanggal")
    if value:
        try:
            on = min(datetime.date.fromisoformat(value), on)
        except ValueError:
            messages.error(request, _("Enter the date as year-month-day, e.g. 2025-12-31."))
    return render(
        request,
        "fieldwork/psks_recap.html",
        {
            "on": on,
            "workers": selectors.psks_worker_recap(user=request.user, on=on),
            "lks": selectors.lks_recap(user=request.user, on=on),
        },
    )
