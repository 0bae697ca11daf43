"""What approved field forms created: disaster incidents (and their recap) and referrals."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from accounts.access import Action, Domain, access_object, require
from welfare.audit import object_history
from welfare.params import query_year

from .. import selectors, services
from ..filters import DisasterIncidentFilter, ReferralFilter
from ..forms import FollowUpForm
from .common import attach_errors, can_manage, page_of, styled


def _year(request) -> int:
    return query_year(request, default=lambda: timezone.localdate().year, name="tahun")


@require_safe
@login_required
def incident_list(request):
    require(request.user, Domain.FIELDWORK, Action.VIEW)
    filterset = styled(
        DisasterIncidentFilter(
            request.GET or None,
            queryset=selectors.incident_list(user=request.user),
            request=request,
        )
    )
    return render(
        request,
        "fieldwork/incident_list.html",
        {"filter": filterset, "page": page_of(request, filterset.qs)},
    )


@require_safe
@login_required
def incident_detail(request, pk):
    incident = access_object(request.user, selectors.incident_list(user=request.user), pk=pk)
    return render(
        request,
        "fieldwork/incident_detail.html",
        {
            "incident": incident,
            "history": object_history(incident, user=request.user),
            "needs": _needs_labels(incident.urgent_needs),
        },
    )


def _needs_labels(codes) -> list[str]:
    from ..field_forms import UrgentNeed

    labels = dict(UrgentNeed.choices)
    return [str(labels.get(code, code)) for code in codes or []]


@require_safe
@login_required
def disaster_recap(request):
    require(request.user, Domain.FIELDWORK, Action.STATS)
    year = _year(request)
    measure = request.GET.get("ukuran", "persons_affected")
    if measure not in selectors.DISASTER_MEASURES:
        measure = "persons_affected"
    matrix = selectors.disaster_victims(user=request.user, year=year, measure=measure)
    return render(
        request,
        "fieldwork/disaster_recap.html",
        {
            "matrix": matrix,
            "year": year,
            "measure": measure,
            "measures": selectors.DISASTER_MEASURES.items(),
            "referrals": selectors.referral_stats(user=request.user, year=year),
        },
    )


@require_safe
@login_required
def referral_list(request):
    require(request.user, Domain.FIELDWORK, Action.VIEW)
    filterset = styled(
        ReferralFilter(
            request.GET or None,
            queryset=selectors.referral_list(user=request.user),
            request=request,
        )
    )
    return render(
        request,
        "fieldwork/referral_list.html",
        {"filter": filterset, "page": page_of(request, filterset.qs)},
    )


@login_required
@require_http_methods(["GET", "POST"])
def referral_detail(request, pk):
    action = Action.CHANGE if request.method == "POST" else Action.VIEW
    referral = access_object(
        request.user, selectors.referral_list(user=request.user), action, pk=pk
    )
    form = None
    if can_manage(request.user) and not referral.is_closed:
        form = FollowUpForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            try:
                services.referral_followup_add(
                    actor=request.user,
                    referral=referral,
                    date=form.cleaned_data["date"],
                    status=form.cleaned_data["status"],
                    note=form.cleaned_data["note"],
                )
            except ValidationError as exc:
                attach_errors(form, exc)
            else:
                messages.success(request, _("The follow-up was recorded."))
                return redirect("fieldwork:referral_detail", pk=referral.pk)
    elif request.method == "POST":
        if referral.is_closed:
            messages.error(request, _("This referral is closed."))
            return redirect("fieldwork:referral_detail", pk=referral.pk)
        raise PermissionDenied(_("A TKSK reports a follow-up with the follow-up form."))
    return render(
        request,
        "fieldwork/referral_detail.html",
        {
            "referral": referral,
            "followups": referral.followups.select_related("recorded_by", "source_submission"),
            "form": form,
            "history": object_history(referral, user=request.user),
        },
    )
