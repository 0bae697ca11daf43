import sys

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import (
    Http404,
    HttpResponse,
    HttpResponsePermanentRedirect,
    HttpResponseServerError,
    JsonResponse,
)
from django.shortcuts import redirect, render
from django.template import loader
from django.template.response import TemplateResponse
from django.templatetags.static import static
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from accounts.access import Action, Domain, access_object, has_permission, require

from . import audit
from .concurrency import ConcurrentUpdateError
from .dashboard import dashboard_panels
from .forms import AgencyForm
from .jobs import JobError, job_live_state, job_retry
from .models import Job
from .selectors import agency_get, job_list
from .services import agency_update
from .uploads import serve_file


@require_safe
@login_required
def home(request):
    return render(request, "welfare/home.html", {"panels": dashboard_panels(request)})


@login_required
@require_http_methods(["GET", "POST"])
def agency_edit(request):
    require(request.user, Domain.ADMIN, Action.CHANGE)
    agency = agency_get()
    form = AgencyForm(request.POST or None, request.FILES or None, instance=agency)
    if request.method == "POST" and form.is_valid():
        data = {name: form.cleaned_data[name] for name in form.Meta.fields}
        try:
            agency_update(
                agency=agency,
                actor=request.user,
                version=form.cleaned_data.get("version"),
                data=data,
            )
        except ConcurrentUpdateError as exc:
            form.add_error(None, exc.message)
            return render(request, "welfare/agency_form.html", {"form": form}, status=409)
        messages.success(request, _("The agency profile was saved."))
        return redirect("agency_edit")
    return render(request, "welfare/agency_form.html", {"form": form})


@require_safe
@login_required
def agency_logo(request):
    """The logo as the agency page shows it (uploaded files are not served from /media/)."""
    require(request.user, Domain.ADMIN, Action.CHANGE)
    agency = agency_get()
    if not agency.logo:
        raise Http404(_("No logo has been uploaded."))
    return serve_file(agency.logo)


@require_safe
@login_required
def job_detail(request, pk):
    job = access_object(request.user, Job.objects.all(), Action.VIEW, pk=pk)
    state = job_live_state(job)
    if request.headers.get("HX-Request"):
        return render(request, "welfare/_job_progress.html", {"job": job, "state": state})
    return render(request, "welfare/job_detail.html", {"job": job, "state": state})


@login_required
@require_POST
def job_retry_view(request, pk):
    job = access_object(request.user, Job.objects.all(), Action.VIEW, pk=pk)
    require(request.user, Domain.JOBS, Action.ADD)
    if job.created_by_id != request.user.pk and not has_permission(
        request.user, Domain.ADMIN, Action.CHANGE
    ):
        raise PermissionDenied(_("Only the person who started this job can start it again."))
    try:
        retry = job_retry(job=job, actor=request.user)
    except JobError as exc:
        messages.error(request, str(exc))
        return redirect("job_detail", pk=job.pk)
    return redirect("job_detail", pk=retry.pk)


@require_safe
@login_required
def job_download(request, pk):
    job = access_object(request.user, Job.objects.all(), Action.VIEW, pk=pk)
    if not job.result_file or job.status != Job.Status.SUCCEEDED:
        raise Http404(_("This job has no file to download."))
    return serve_file(job.result_file, inline=False)


@require_safe
@login_required
def job_index(request):
    require(request.user, Domain.JOBS, Action.VIEW)
    page = Paginator(job_list(user=request.user), 25).get_page(request.GET.get("page"))
    return render(request, "welfare/job_list.html", {"page": page})


@require_safe
@login_required
def audit_trail_view(request):
    require(request.user, Domain.AUDIT, Action.VIEW)
    per_page = 50
    try:
        page_number = max(1, int(request.GET.get("page", "1")))
    except ValueError:
        page_number = 1
    model_label = request.GET.get("model") or None
    username = request.GET.get("user") or None
    entries = audit.audit_trail(
        user=request.user,
        model_label=model_label,
        username=username,
        date_from=request.GET.get("from") or None,
        date_to=request.GET.get("to") or None,
        offset=(page_number - 1) * per_page,
        limit=per_page + 1,
    )
    models = [
        (m.instance_type._meta.label, m.instance_type._meta.verbose_name)
        for m in audit.history_models()
    ]
    return render(
        request,
        "welfare/audit_trail.html",
        {
            "entries": entries[:per_page],
            "has_next": len(entries) > per_page,
            "page_number": page_number,
            "models": models,
            "selected_model": model_label,
            "selected_user": username or "",
        },
    )


def _wants_json(request) -> bool:
    return request.path.startswith("/api/") or request.headers.get("Accept", "").startswith(
        "application/json"
    )


def error_403(request, exception=None):
    message = (
        str(exception)
        if exception and str(exception)
        else _("You do not have access to this page.")
    )
    if _wants_json(request):
        return JsonResponse({"detail": message, "code": "permission_denied"}, status=403)
    return TemplateResponse(request, "403.html", {"message": message}, status=403)


def error_404(request, exception=None):
    if _wants_json(request):
        return JsonResponse({"detail": _("Not found."), "code": "not_found"}, status=404)
    return TemplateResponse(request, "404.html", status=404)


def _database_unavailable() -> bool:
    from django.db import InterfaceError, OperationalError

    exc = sys.exc_info()[1]
    return isinstance(exc, OperationalError | InterfaceError)


def error_500(request):
    if _database_unavailable():
        # The connection is broken: drop it so that the next request reconnects.
        from django.db import connections

        for connection in connections.all(initialized_only=True):
            connection.close_if_unusable_or_obsolete()
        if _wants_json(request):
            return JsonResponse(
                {
                    "detail": _("The database cannot be reached. Try again in a few minutes."),
                    "code": "database_unavailable",
                },
                status=503,
            )
        html = loader.get_template("503.html").render({"request_path": request.path})
        return HttpResponse(html, status=503)
    if _wants_json(request):
        return JsonResponse(
            {
                "detail": _("A server error occurred. The team has been notified."),
                "code": "server_error",
            },
            status=500,
        )
    # No context processors here: the failure may be in one of them.
    return HttpResponseServerError(
        loader.get_template("500.html").render({"request_path": request.path})
    )


def csrf_failure(request, reason=""):
    if _wants_json(request):
        return JsonResponse(
            {
                "detail": _("The security token of the form is missing or expired."),
                "code": "csrf_failed",
            },
            status=403,
        )
    return TemplateResponse(request, "403_csrf.html", status=403)


@require_safe
def favicon(request):
    """Pages without the app's icon link (the admin, the API docs) ask for /favicon.ico."""
    return HttpResponsePermanentRedirect(static("img/favicon.svg"))
