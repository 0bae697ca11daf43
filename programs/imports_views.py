"""The import page (disbursement results, enrollment lists): validate -> report -> commit."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.views.decorators.http import require_http_methods

from accounts.access import Action, Domain, require

from .forms import ImportForm


@login_required
@require_http_methods(["GET", "POST"])
def import_page(request):
    require(request.user, Domain.PROGRAMS, Action.IMPORT)
    form = ImportForm(request.POST or None, request.FILES or None)
    return render(request, "programs/import.html", {"form": form})
