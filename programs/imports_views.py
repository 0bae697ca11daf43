"""The import page: disbursement results and recipient lists, validate -> report -> commit."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import render
from django.views.decorators.http import require_http_methods

from accounts.access import Action, Domain, require

from . import imports
from .forms import ImportForm


@login_required
@require_http_methods(["GET", "POST"])
def import_page(request):
    require(request.user, Domain.PROGRAMS, Action.IMPORT)
    form = ImportForm(request.POST or None, request.FILES or None)
    report = None
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            data = form.cleaned_data
            upload = data["file"]
            content = upload.read()
            try:
                if data["kind"] == "disbursements":
                    report = imports.disbursement_results_import(
                        actor=request.user,
                        content=content,
                        filename=upload.name,
                        commit=data["commit"],
                    )
                else:
                    report = imports.enrollment_import(
                        actor=request.user,
                        program=data["program"],
                        content=content,
                        filename=upload.name,
                        commit=data["commit"],
                    )
            except ValidationError as exc:
                form.add_error("file", exc.messages)
            else:
                status = 200 if report.ok else 400
    return render(request, "programs/import.html", {"form": form, "report": report}, status=status)
