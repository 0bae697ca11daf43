"""The TKSK's pages (forms, what they sent, daily entries) and the review of field forms."""

from __future__ import annotations

import datetime
import hashlib
import json

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.staticfiles import finders
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.templatetags.static import static
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from accounts.access import (
    Action,
    Domain,
    access_object,
    can_view_personal,
    has_permission,
    is_api_client,
    require,
    restrict,
    user_district_code,
)
from welfare.concurrency import ConcurrentUpdateError

from .. import selectors, services
from ..field_forms import month_label
from ..filters import AWAITING, ActivityEntryFilter, SubmissionFilter
from ..forms import ActivityEntryForm, ReviewForm, SubmissionMetaForm
from ..kinds import KIND_MONTHLY_REPORT, all_kinds, get_kind, kind_label
from ..models import ActivityEntry, Submission, SubmissionPhoto
from .common import (
    OFFLINE_HEADER,
    USER_HEADER,
    attach_errors,
    can_manage,
    can_review,
    offline_page,
    page_of,
    styled,
)


def _kind_form(kind, request, *, data=None, files=None, submission=None, initial=None):
    district = submission.district_id if submission else user_district_code(request.user)
    existing = {}
    if submission is not None:
        for photo in submission.photos.filter(superseded=False):
            existing[photo.field] = existing.get(photo.field, 0) + 1
    return kind.form_class(
        data,
        files,
        kind=kind,
        user=request.user,
        district_code=district,
        submission=submission,
        existing_photos=existing,
        initial=initial,
    )


def _offline_urls(request) -> list[str]:
    """The pages a TKSK's phone keeps for use without a connection."""
    return [
        reverse("fieldwork:home"),
        reverse("fieldwork:my_submissions"),
        reverse("fieldwork:activity_list"),
        *[reverse("fieldwork:form", kwargs={"kind": kind.code}) for kind in all_kinds()],
    ]


def _field_context(request) -> dict:
    return {
        "offline_urls": json.dumps(_offline_urls(request)),
        "api_submissions": reverse("api:fieldwork-submission-list"),
        "api_activities": reverse("api:fieldwork-activity-list"),
        "service_worker_url": reverse("fieldwork:service_worker"),
        "is_field_worker": bool(user_district_code(request.user)),
    }


# --- Hub ------------------------------------------------------------------------------------


@require_safe
@login_required
@offline_page
def home(request):
    require(request.user, Domain.FIELDWORK, Action.VIEW)
    context = _field_context(request)
    user = request.user
    if context["is_field_worker"]:
        mine = selectors.submission_list(user=user).filter(submitted_by=user)
        context.update(
            kinds=all_kinds(),
            counts=selectors.inbox_counts(mine),
            returned=list(mine.filter(status=Submission.Status.RETURNED)[:10]),
            report_month=_previous_month(),
        )
        context["report_due"] = selectors.month_due_date(context["report_month"])
        context["report_sent"] = (
            mine.filter(kind=KIND_MONTHLY_REPORT, period=context["report_month"])
            .exclude(status=Submission.Status.REJECTED)
            .first()
        )
    else:
        reviewable = selectors.submission_list(user=user, action=Action.APPROVE)
        context.update(
            can_review=can_review(user),
            reviewable_awaiting=reviewable.filter(status__in=Submission.AWAITING_REVIEW).count(),
            can_manage=can_manage(user),
        )
    return render(request, "fieldwork/home.html", context)


def _previous_month() -> datetime.date:
    first = timezone.localdate().replace(day=1)
    return (first - datetime.timedelta(days=1)).replace(day=1)


# --- Filling in a form ----------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
@offline_page
def submission_form(request, kind):
    kind = get_kind(kind)
    require(request.user, Domain.FIELDWORK, Action.ADD)
    if not user_district_code(request.user):
        raise PermissionDenied(
            _("Field forms are sent by a TKSK for the kecamatan they are assigned to.")
        )
    meta = SubmissionMetaForm(request.POST or None)
    form = _kind_form(kind, request, data=request.POST or None, files=request.FILES or None)
    photos_dropped = False
    if request.method == "POST":
        if meta.is_valid():
            existing = services.submission_by_key(
                actor=request.user, client_key=meta.cleaned_data["client_key"]
            )
            if existing is not None:  # sent twice (a double tap, a resend): nothing new
                messages.info(request, _("This form was already sent."))
                return redirect("fieldwork:submission_detail", pk=existing.pk)
        if meta.is_valid() and form.is_valid():
            try:
                submission, _created = services.submission_create(
                    actor=request.user,
                    kind=kind,
                    form=form,
                    client_key=meta.cleaned_data["client_key"],
                    client_created_at=meta.cleaned_data.get("client_created_at"),
                )
            except ValidationError as exc:
                attach_errors(form, exc)
            else:
                messages.success(
                    request,
                    _("Sent: %(summary)s. The office will review it.")
                    % {"summary": submission.summary},
                )
                return redirect("fieldwork:submission_detail", pk=submission.pk)
        if not meta.is_valid():
            form.add_error(None, _("The form is incomplete: reload the page and fill it again."))
        photos_dropped = bool(request.FILES)
    context = {
        **_field_context(request),
        "kind": kind,
        "form": form,
        "meta": meta,
        "photos_dropped": photos_dropped,
        "endpoint": reverse("api:fieldwork-submission-list"),
        "activity_entries": _month_entries(request, kind),
    }
    return render(request, "fieldwork/submission_form.html", context)


def _month_entries(request, kind):
    """For the monthly report: the daily entries of the default month (shown under the form)."""
    if not kind.periodic:
        return None
    month = _previous_month()
    return list(
        ActivityEntry.objects.filter(
            tksk=request.user, date__year=month.year, date__month=month.month
        ).order_by("date", "id")[:200]
    )


@login_required
@require_http_methods(["GET", "POST"])
@offline_page
def submission_edit(request, pk):
    """Correct a returned form and send it again."""
    submission = access_object(
        request.user, selectors.submission_list(user=request.user), Action.CHANGE, pk=pk
    )
    if submission.submitted_by_id != request.user.pk:
        raise PermissionDenied(_("Only the TKSK who sent a form can correct it."))
    if submission.status != Submission.Status.RETURNED:
        messages.info(request, _("This form is not waiting for a correction."))
        return redirect("fieldwork:submission_detail", pk=submission.pk)
    kind = get_kind(submission.kind)
    meta = SubmissionMetaForm(request.POST or None)
    form = _kind_form(
        kind,
        request,
        data=request.POST or None,
        files=request.FILES or None,
        submission=submission,
        initial=None if request.method == "POST" else submission.payload,
    )
    if request.method == "POST" and meta.is_valid() and form.is_valid():
        try:
            services.submission_resubmit(
                actor=request.user,
                submission=submission,
                form=form,
                client_key=meta.cleaned_data["client_key"],
            )
        except ValidationError as exc:
            attach_errors(form, exc)
        else:
            messages.success(request, _("Sent again with your corrections."))
            return redirect("fieldwork:submission_detail", pk=submission.pk)
    context = {
        **_field_context(request),
        "kind": kind,
        "form": form,
        "meta": meta,
        "submission": submission,
        "photos_dropped": request.method == "POST" and bool(request.FILES),
        "endpoint": reverse("api:fieldwork-submission-resubmit", kwargs={"pk": submission.pk}),
        "activity_entries": None,
    }
    return render(request, "fieldwork/submission_form.html", context)


# --- What was sent --------------------------------------------------------------------------


@require_safe
@login_required
@offline_page
def my_submissions(request):
    require(request.user, Domain.FIELDWORK, Action.VIEW)
    mine = selectors.submission_list(user=request.user).filter(submitted_by=request.user)
    context = {
        **_field_context(request),
        "page": page_of(request, mine),
        "counts": selectors.inbox_counts(mine),
    }
    return render(request, "fieldwork/my_submissions.html", context)


def _payload_rows(submission: Submission, user, events) -> list[tuple[str, str, str | None]]:
    """(label, value, value sent before) for the content; the earlier value only where the
    last correction changed it, so that a reviewer sees what was corrected."""
    kind = get_kind(submission.kind)
    form = kind.form_class(
        kind=kind,
        user=submission.submitted_by,
        district_code=submission.district_id,
        submission=submission,
        max_photo_bytes=1,
    )
    mask = not can_view_personal(user)
    rows = form.display_rows(submission.payload, mask=mask)
    sent = [event.payload for event in events if event.payload is not None]
    if len(sent) < 2:
        return [(label, value, None) for label, value in rows]
    before = dict(form.display_rows(sent[-2], mask=mask))
    return [
        (label, value, before.get(label) if before.get(label, value) != value else None)
        for label, value in rows
    ]


def _detail_context(request, submission: Submission, review_form=None) -> dict:
    reviewable = (
        submission.awaiting_review
        and restrict(
            Submission.objects.filter(pk=submission.pk), request.user, Action.APPROVE
        ).exists()
    )
    detail = selectors.submission_detail(submission)
    return {
        "submission": submission,
        "rows": _payload_rows(submission, request.user, detail["events"]),
        **detail,
        "review_form": review_form or (ReviewForm(instance=submission) if reviewable else None),
        "reviewable": reviewable,
        "is_owner": submission.submitted_by_id == request.user.pk,
        "month_label": month_label(submission.period) if submission.period else None,
    }


@require_safe
@login_required
def submission_detail(request, pk):
    submission = access_object(
        request.user, selectors.submission_list(user=request.user), Action.VIEW, pk=pk
    )
    return render(request, "fieldwork/submission_detail.html", _detail_context(request, submission))


@login_required
@require_POST
def submission_review(request, pk):
    require(request.user, Domain.FIELDWORK, Action.APPROVE)
    submission = access_object(
        request.user, selectors.submission_list(user=request.user), Action.APPROVE, pk=pk
    )
    form = ReviewForm(request.POST, instance=submission)
    status = 200
    if form.is_valid():
        try:
            services.submission_review(
                actor=request.user,
                submission=submission,
                decision=form.cleaned_data["decision"],
                comment=form.cleaned_data["comment"],
                version=form.cleaned_data.get("version"),
            )
        except ConcurrentUpdateError as exc:
            form.add_error(None, exc.message)
            status = 409
        except ValidationError as exc:
            attach_errors(form, exc)
            status = 400
        else:
            submission.refresh_from_db()
            messages.success(
                request,
                _("%(form)s #%(id)s: %(status)s.")
                % {
                    "form": submission.kind_label,
                    "id": submission.pk,
                    "status": submission.get_status_display().lower(),
                },
            )
            return redirect(f"{reverse('fieldwork:inbox')}?status={AWAITING}")
    else:
        status = 400
    submission.refresh_from_db()
    context = _detail_context(request, submission, review_form=form)
    return render(request, "fieldwork/submission_detail.html", context, status=status)


@require_safe
@login_required
def submission_photo(request, pk):
    photo = access_object(
        request.user, SubmissionPhoto.objects.select_related("submission"), Action.VIEW, pk=pk
    )
    # The photo's submission must be reachable too (owner scope, bidang...).
    access_object(request.user, Submission.objects.all(), Action.VIEW, pk=photo.submission_id)
    response = FileResponse(photo.image.open("rb"), content_type="image/jpeg")
    response["Cache-Control"] = "private, max-age=86400"
    return response


# --- The office's inbox ---------------------------------------------------------------------


@require_safe
@login_required
def inbox(request):
    require(request.user, Domain.FIELDWORK, Action.VIEW)
    base = selectors.submission_list(user=request.user)
    params = request.GET.copy()
    if "status" not in params:
        params["status"] = AWAITING
        if can_review(request.user) and request.user.bidang_id:
            params["mine"] = "yes"  # a head of division starts with the forms of their bidang
    filterset = styled(SubmissionFilter(params, queryset=base, request=request))
    household = _filtered_household(filterset)
    without_status = params.copy()
    without_status.pop("status", None)
    counts = selectors.inbox_counts(
        SubmissionFilter(without_status, queryset=base, request=request).qs
    )
    context = {
        "filter": filterset,
        "page": page_of(request, filterset.qs),
        "counts": counts,
        "status": params.get("status"),
        "statuses": [(AWAITING, _("Waiting for review"), counts.awaiting)]
        + [
            (value, label, counts.by_status.get(value, 0))
            for value, label in Submission.Status.choices
        ],
        "query_without_status": without_status.urlencode(),
        "kind_counts": [(kind_label(code), n) for code, n in sorted(counts.by_kind.items())],
        "can_review": can_review(request.user),
        "household": household,
        "query_without_household": _without(params, "household", "page"),
    }
    return render(request, "fieldwork/inbox.html", context)


def _filtered_household(filterset):
    """The registry household the inbox is filtered on (from its household page), if any; a
    household that is missing or outside the user's access is a 404, as on its own page."""
    if not filterset.data.get("household"):
        return None
    filterset.form.is_valid()
    household = filterset.form.cleaned_data.get("household")
    if household is None:
        raise Http404(_("The data was not found or is outside your access."))
    return household


def _without(params, *keys) -> str:
    params = params.copy()
    for key in keys:
        params.pop(key, None)
    return params.urlencode()


# --- Daily activity entries -----------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
@offline_page
def activity_list(request):
    require(request.user, Domain.FIELDWORK, Action.VIEW)
    district = user_district_code(request.user)
    form = None
    if district and has_permission(request.user, Domain.FIELDWORK, Action.ADD):
        form = ActivityEntryForm(
            request.POST or None,
            request.FILES or None,
            district_code=district,
            max_photo_bytes=selectors.fieldwork_settings().photo_max_mb * 1024 * 1024,
        )
        if request.method == "POST" and form.is_valid():
            data = form.cleaned_data
            try:
                _entry, created = services.activity_entry_create(
                    actor=request.user,
                    client_key=data["client_key"],
                    date=data["date"],
                    activity_type=data["activity_type"],
                    description=data["description"],
                    people_served=data.get("people_served") or 0,
                    village=data.get("village"),
                    photo=(data.get("photo") or [None])[0],
                )
            except ValidationError as exc:
                attach_errors(form, exc)
            else:
                messages.success(
                    request,
                    _("The entry was saved.") if created else _("This entry was already saved."),
                )
                return redirect("fieldwork:activity_list")
    elif request.method == "POST":
        raise PermissionDenied(_("Daily entries are written by a TKSK."))
    filterset = styled(
        ActivityEntryFilter(
            request.GET or None,
            queryset=selectors.activity_list(user=request.user),
            request=request,
        )
    )
    context = {
        **_field_context(request),
        "form": form,
        "filter": filterset,
        "page": page_of(request, filterset.qs),
        "photos_dropped": request.method == "POST" and bool(request.FILES),
    }
    return render(request, "fieldwork/activity_list.html", context)


@login_required
@require_POST
def activity_delete(request, pk):
    entry = access_object(
        request.user, selectors.activity_list(user=request.user), Action.CHANGE, pk=pk
    )
    try:
        services.activity_entry_delete(actor=request.user, entry=entry)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("The entry was deleted."))
    return redirect("fieldwork:activity_list")


@require_safe
@login_required
def activity_photo(request, pk):
    entry = access_object(request.user, selectors.activity_list(user=request.user), pk=pk)
    if not entry.photo:
        raise Http404(_("This entry has no photo."))
    response = FileResponse(entry.photo.open("rb"), content_type="image/jpeg")
    response["Cache-Control"] = "private, max-age=86400"
    return response


# --- Monthly reports ------------------------------------------------------------------------


@require_safe
@login_required
def monthly_reports(request):
    require(request.user, Domain.FIELDWORK, Action.VIEW)
    period = _previous_month()
    value = request.GET.get("bulan", "")
    if value:
        try:
            year, month = (int(part) for part in value.split("-"))
            period = datetime.date(year, month, 1)
        except ValueError:
            messages.error(request, _("Enter the month as year-month, e.g. 2026-10."))
    compliance = selectors.monthly_report_compliance(user=request.user, period=period)
    context = {
        **compliance,
        "month": period.strftime("%Y-%m"),
        "month_label": month_label(period),
        "year_stats": selectors.monthly_report_stats(user=request.user, year=period.year),
        "settings": selectors.fieldwork_settings(),
    }
    return render(request, "fieldwork/monthly_reports.html", context)


# --- The service worker ---------------------------------------------------------------------

SW_SOURCE = "js/fieldwork-sw.js"
PRECACHE_STATIC = [
    "vendor/bootstrap/bootstrap.min.css",
    "vendor/bootstrap-icons/bootstrap-icons.min.css",
    "vendor/bootstrap-icons/fonts/bootstrap-icons.woff2",
    "vendor/bootstrap/bootstrap.bundle.min.js",
    "vendor/htmx/htmx.min.js",
    "css/app.css",
    "img/favicon.svg",
    "js/app.js",
    "js/fieldwork.js",
]


def _read_static(path: str) -> bytes:
    found = finders.find(path)
    if not found:
        raise Http404(path)
    with open(found, "rb") as handle:
        return handle.read()


@require_safe
@login_required
def service_worker(request):
    """The offline service worker, served under /lapangan/ so that it may control the field
    pages (a worker's scope is the path it is served from). The static script gets the list of
    files to keep and a version that changes with any of them."""
    source = _read_static(SW_SOURCE)
    precache = [static(path) for path in PRECACHE_STATIC] + [reverse("javascript-catalog")]
    digest = hashlib.sha256(source)
    for path in PRECACHE_STATIC:
        digest.update(_read_static(path))
    config = {
        "version": digest.hexdigest()[:16],
        "precache": precache,
        "scope": reverse("fieldwork:home"),
        "offlinePage": reverse("fieldwork:my_submissions"),
        "offlineHeader": OFFLINE_HEADER,
        "userHeader": USER_HEADER,
        "offlineText": str(
            _("No connection, and this page was not kept on the phone. Open the field work pages.")
        ),
    }
    body = f"self.FIELDWORK_SW = {json.dumps(config)};\n".encode() + source
    response = HttpResponse(body, content_type="application/javascript; charset=utf-8")
    response["Cache-Control"] = "no-cache"
    response["Service-Worker-Allowed"] = reverse("fieldwork:home")
    return response


# --- Home page panel ------------------------------------------------------------------------


def dashboard_panel(request) -> str | None:
    user = request.user
    if not has_permission(user, Domain.FIELDWORK, Action.VIEW) or is_api_client(user):
        return None
    context = {"is_field_worker": bool(user_district_code(user))}
    if context["is_field_worker"]:
        mine = selectors.submission_list(user=user).filter(submitted_by=user)
        month = _previous_month()
        context.update(
            counts=selectors.inbox_counts(mine),
            report_month=month,
            report_due=selectors.month_due_date(month),
            report_sent=mine.filter(kind=KIND_MONTHLY_REPORT, period=month)
            .exclude(status=Submission.Status.REJECTED)
            .first(),
            **_field_context(request),
        )
    else:
        workload = selectors.tksk_workload(user=user)
        context.update(
            awaiting=selectors.submission_list(user=user, action=Action.APPROVE)
            .filter(status__in=Submission.AWAITING_REVIEW)
            .count()
            if can_review(user)
            else selectors.submission_list(user=user)
            .filter(status__in=Submission.AWAITING_REVIEW)
            .count(),
            late=selectors.submission_list(user=user)
            .filter(kind=KIND_MONTHLY_REPORT, is_late=True, status__in=Submission.AWAITING_REVIEW)
            .count(),
            without_tksk=workload.summary["without_tksk"],
            over_limit=workload.summary["over_limit"],
        )
    return render_to_string("fieldwork/_dashboard_panel.html", context, request=request)
