"""The import pages: disbursement results and recipient lists, validate -> report -> commit, run
as background jobs (the job page shows the progress and links to the import's result page)."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from accounts.access import Action, Domain, access_object, require, restrict
from welfare.uploads import serve_file

from . import imports
from .forms import ImportForm
from .models import Program, ProgramImport, Unit


def _imports(user):
    return restrict(
        ProgramImport.objects.select_related("created_by", "program", "job"), user, Action.IMPORT
    )


@login_required
@require_http_methods(["GET", "POST"])
def import_page(request):
    require(request.user, Domain.PROGRAMS, Action.IMPORT)
    form = ImportForm(request.POST or None, request.FILES or None, user=request.user)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            data = form.cleaned_data
            upload = data["file"]
            try:
                record = imports.import_start(
                    actor=request.user,
                    kind=data["kind"],
                    file=upload,
                    file_name=upload.name,
                    program=data["program"],
                    mode=data["mode"],
                    commit=data["commit"],
                )
            except (PermissionDenied, ValidationError) as exc:
                form.add_error("program", getattr(exc, "messages", None) or [str(exc)])
            else:
                return redirect("job_detail", pk=record.job_id)
    return render(
        request,
        "programs/import.html",
        {
            "form": form,
            "imports": _imports(request.user)[:20],
            "disbursement_columns": imports.columns(imports.DISBURSEMENT_COLUMNS),
            "enrollment_columns": imports.columns(imports.ENROLLMENT_COLUMNS),
        },
        status=status,
    )


@require_safe
@login_required
def import_detail(request, pk):
    record = access_object(request.user, _imports(request.user), Action.IMPORT, pk=pk)
    return render(request, "programs/import_detail.html", {"record": record})


@require_safe
@login_required
def import_download(request, pk, kind):
    record = access_object(request.user, _imports(request.user), Action.IMPORT, pk=pk)
    field = {"laporan": record.report_file, "ditolak": record.rejected_file}.get(kind)
    if not field:
        raise Http404(_("This file does not exist."))
    return serve_file(field, inline=False)


@require_safe
@login_required
def import_template(request):
    """An empty template: ``?jenis=hasil`` (results) or ``?jenis=penerima&program=CODE``;
    ``format=csv`` for CSV."""
    require(request.user, Domain.PROGRAMS, Action.IMPORT)
    fmt = "csv" if request.GET.get("format") == "csv" else "xlsx"
    if request.GET.get("jenis") == "penerima":
        kind, name = ProgramImport.Kind.ENROLLMENTS, "templat-penerima"
        code = request.GET.get("program", "")
        program = (
            Program.objects.exclude(unit=Unit.GROUP).filter(code=code).first()
            if code.isascii() and len(code) <= 30
            else None
        )
    else:
        kind, name, program = ProgramImport.Kind.DISBURSEMENTS, "templat-hasil-penyaluran", None
    content_type = (
        "text/csv; charset=utf-8"
        if fmt == "csv"
        else "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    response = HttpResponse(imports.template_file(kind, program, fmt), content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{name}.{fmt}"'
    return response
