"""Pages of the registry: lists, the household and person pages, forms, duplicates, imports,
statistics. Thin: parse, call a service or selector, render."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from accounts.access import (
    Action,
    Domain,
    access_object,
    has_permission,
    is_api_client,
    require,
)
from welfare.audit import object_history
from welfare.concurrency import ConcurrentUpdateError
from welfare.forms import style_form
from welfare.jobs import job_start
from welfare.uploads import serve_file

from . import extensions, importer, selectors, services
from .filters import HouseholdFilter, PersonFilter
from .forms import (
    DeceasedForm,
    DeleteForm,
    HouseholdForm,
    ImportForm,
    MergeForm,
    PersonForm,
    PlacementForm,
    TransitionForm,
)
from .jobs import IMPORT_JOB
from .models import CategoryPlacement, Household, ImportBatch, Person, PpksCategory

STATES = ("active", "deceased", "deleted")


def _page(request, queryset, per_page: int = 50):
    if not queryset.ordered:  # a filter dropped the order: pages must not overlap
        queryset = queryset.order_by("pk")
    return Paginator(queryset, per_page).get_page(request.GET.get("page"))


def _state(request, allowed=STATES) -> str:
    state = request.GET.get("state", "active")
    if state not in allowed:
        state = "active"
    if state == "deleted" and not has_permission(request.user, Domain.REGISTRY, Action.DELETE):
        state = "active"
    return state


def _attach_errors(form, exc: ValidationError) -> None:
    if hasattr(exc, "error_dict"):
        for field, errors in exc.message_dict.items():
            target = field if field in form.fields else None
            if field == "household" and "household_no_kk" in form.fields:
                target = "household_no_kk"
            form.add_error(target, errors)
    else:
        form.add_error(None, exc.messages)


def _flags(user) -> dict:
    return {
        "can_add": has_permission(user, Domain.REGISTRY, Action.ADD),
        "can_change": has_permission(user, Domain.REGISTRY, Action.CHANGE),
        "can_delete": has_permission(user, Domain.REGISTRY, Action.DELETE),
        "can_import": has_permission(user, Domain.REGISTRY, Action.IMPORT),
    }


# --- Lists ----------------------------------------------------------------------------------


@require_safe
@login_required
def person_list(request):
    require(request.user, Domain.REGISTRY, Action.VIEW)
    state = _state(request)
    filterset = PersonFilter(
        request.GET or None,
        queryset=selectors.person_list(user=request.user, state=state),
        request=request,
    )
    style_form(filterset.form)
    queryset = filterset.qs if filterset.is_bound else filterset.queryset
    if filterset.is_bound and not filterset.is_valid():
        queryset = queryset.none()
    return render(
        request,
        "beneficiaries/person_list.html",
        {
            "filter": filterset,
            "page": _page(request, queryset),
            "state": state,
            **_flags(request.user),
        },
    )


@require_safe
@login_required
def household_list(request):
    require(request.user, Domain.REGISTRY, Action.VIEW)
    state = _state(request, ("active", "deleted"))
    filterset = HouseholdFilter(
        request.GET or None,
        queryset=selectors.with_member_counts(
            selectors.household_list(user=request.user, state=state)
        ),
        request=request,
    )
    style_form(filterset.form)
    queryset = filterset.qs if filterset.is_bound else filterset.queryset
    if filterset.is_bound and not filterset.is_valid():
        queryset = queryset.none()
    return render(
        request,
        "beneficiaries/household_list.html",
        {
            "filter": filterset,
            "page": _page(request, queryset),
            "state": state,
            **_flags(request.user),
        },
    )


# --- Households -----------------------------------------------------------------------------


def _household(request, pk, action=Action.VIEW) -> Household:
    return access_object(
        request.user,
        selectors.household_list(user=request.user, action=action, state="all"),
        action,
        pk=pk,
    )


@require_safe
@login_required
def household_detail(request, pk):
    household = _household(request, pk)
    members = list(selectors.household_members(household))
    return render(
        request,
        "beneficiaries/household_detail.html",
        {
            "household": household,
            "members": members,
            "placements": selectors.placements_of_household(household),
            "desil_records": household.desil_records.all()[:10],
            "panels": extensions.render_household_panels(request, household),
            "history": object_history(household, user=request.user),
            "placement_form": PlacementForm(unit="household"),
            "delete_form": DeleteForm(),
            "can_write": services.can_write(request.user, household),
            **_flags(request.user),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def household_add(request):
    require(request.user, Domain.REGISTRY, Action.ADD)
    form = HouseholdForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            household = services.household_create(actor=request.user, data=form.data_for_service())
        except ValidationError as exc:
            _attach_errors(form, exc)
        else:
            messages.success(
                request, _("The household %(kk)s was added.") % {"kk": household.no_kk}
            )
            return redirect(household)
    return render(request, "beneficiaries/form.html", {"form": form, "what": "household"})


@login_required
@require_http_methods(["GET", "POST"])
def household_edit(request, pk):
    household = _household(request, pk, Action.CHANGE)
    form = HouseholdForm(request.POST or None, instance=household, user=request.user)
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            services.household_update(
                actor=request.user,
                household=household,
                version=form.cleaned_data.get("version"),
                data=form.data_for_service(),
            )
        except ConcurrentUpdateError as exc:
            form.add_error(None, exc.message)
            status = 409
        except ValidationError as exc:
            _attach_errors(form, exc)
        else:
            messages.success(request, _("The household was saved."))
            return redirect(household)
    return render(
        request,
        "beneficiaries/form.html",
        {"form": form, "what": "household", "object": household},
        status=status,
    )


@login_required
@require_POST
def household_delete(request, pk):
    household = _household(request, pk, Action.DELETE)
    form = DeleteForm(request.POST)
    if form.is_valid():
        services.household_delete(
            actor=request.user, household=household, reason=form.cleaned_data["reason"]
        )
        messages.success(request, _("The household was deleted; it can be restored."))
    else:
        messages.error(request, _("Give the reason for deleting."))
    return redirect(household)


@login_required
@require_POST
def household_restore(request, pk):
    household = _household(request, pk, Action.DELETE)
    services.household_restore(actor=request.user, household=household)
    messages.success(request, _("The household was restored."))
    return redirect(household)


@login_required
@require_POST
def household_placement_add(request, pk):
    household = _household(request, pk, Action.ADD)
    form = PlacementForm(request.POST, unit="household")
    _placement_add(request, form, household=household)
    return redirect(household)


def _placement_add(request, form, **target) -> None:
    if not form.is_valid():
        messages.error(request, "; ".join(e for errs in form.errors.values() for e in errs))
        return
    try:
        services.placement_create(
            actor=request.user,
            category=form.cleaned_data["category"],
            source=form.cleaned_data["source"],
            identified_on=form.cleaned_data["identified_on"],
            notes=form.cleaned_data["notes"],
            **target,
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(
            request,
            _("Placed in %(category)s.") % {"category": form.cleaned_data["category"].name},
        )


# --- Persons --------------------------------------------------------------------------------


def _person(request, pk, action=Action.VIEW) -> Person:
    return access_object(
        request.user,
        selectors.person_list(user=request.user, action=action, state="all"),
        action,
        pk=pk,
    )


@require_safe
@login_required
def person_detail(request, pk):
    person = _person(request, pk)
    return render(
        request,
        "beneficiaries/person_detail.html",
        {
            "person": person,
            "placements": selectors.person_open_categories(person),
            "merged_from": person.merged_from.all(),
            "history": object_history(person, user=request.user),
            "placement_form": PlacementForm(unit="person"),
            "transition_statuses": CategoryPlacement.Status.choices,
            "delete_form": DeleteForm(),
            "deceased_form": DeceasedForm(initial={"version": person.version}),
            "can_write": services.can_write(request.user, person),
            **_flags(request.user),
        },
    )


def _duplicate_response(request, form, exc, template_context, status=200):
    template_context["existing_person"] = exc.existing
    _attach_errors(form, exc)
    return render(request, "beneficiaries/form.html", template_context, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def person_add(request):
    require(request.user, Domain.REGISTRY, Action.ADD)
    initial = {}
    household_pk = request.GET.get("household")
    if household_pk and household_pk.isdigit():
        household = Household.objects.filter(pk=household_pk).first()
        if household is not None:
            initial = {"household_no_kk": household.no_kk, "village": household.village_id}
    form = PersonForm(request.POST or None, initial=initial, user=request.user)
    context = {"form": form, "what": "person"}
    if request.method == "POST" and form.is_valid():
        try:
            person, notes = services.person_create(actor=request.user, data=form.data_for_service())
        except services.DuplicateNikError as exc:
            return _duplicate_response(request, form, exc, context)
        except ValidationError as exc:
            _attach_errors(form, exc)
        else:
            for note in notes:
                messages.info(request, note)
            messages.success(request, _("%(name)s was added.") % {"name": person.name})
            return redirect(person)
    if form.is_bound and form.is_valid() and form.cleaned_data.get("birth_date"):
        context["similar"] = selectors.same_identity(
            name=form.cleaned_data.get("name") or "", birth_date=form.cleaned_data["birth_date"]
        )[:5]
    return render(request, "beneficiaries/form.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def person_edit(request, pk):
    person = _person(request, pk, Action.CHANGE)
    form = PersonForm(request.POST or None, instance=person, user=request.user)
    context = {"form": form, "what": "person", "object": person}
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            _person_saved, notes = services.person_update(
                actor=request.user,
                person=person,
                version=form.cleaned_data.get("version"),
                data=form.data_for_service(),
            )
        except ConcurrentUpdateError as exc:
            form.add_error(None, exc.message)
            status = 409
        except services.DuplicateNikError as exc:
            return _duplicate_response(request, form, exc, context)
        except ValidationError as exc:
            _attach_errors(form, exc)
        else:
            for note in notes:
                messages.info(request, note)
            messages.success(request, _("%(name)s was saved.") % {"name": person.name})
            return redirect(person)
    return render(request, "beneficiaries/form.html", context, status=status)


@login_required
@require_POST
def person_deceased(request, pk):
    person = _person(request, pk, Action.CHANGE)
    form = DeceasedForm(request.POST)
    if form.is_valid():
        try:
            services.person_mark_deceased(
                actor=request.user,
                person=person,
                version=form.cleaned_data.get("version"),
                death_date=form.cleaned_data["death_date"],
            )
        except (ValidationError, ConcurrentUpdateError) as exc:
            messages.error(request, " ".join(getattr(exc, "messages", [str(exc)])))
        else:
            messages.success(request, _("Recorded as deceased; the person stays in the registry."))
    else:
        messages.error(request, _("Give the date of death."))
    return redirect(person)


@login_required
@require_POST
def person_delete(request, pk):
    person = _person(request, pk, Action.DELETE)
    form = DeleteForm(request.POST)
    if form.is_valid():
        services.person_delete(
            actor=request.user, person=person, reason=form.cleaned_data["reason"]
        )
        messages.success(request, _("The person was deleted; the record can be restored."))
    else:
        messages.error(request, _("Give the reason for deleting."))
    return redirect(person)


@login_required
@require_POST
def person_restore(request, pk):
    person = _person(request, pk, Action.DELETE)
    try:
        services.person_restore(actor=request.user, person=person)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("The person was restored."))
    return redirect(person)


@login_required
@require_POST
def person_placement_add(request, pk):
    person = _person(request, pk, Action.ADD)
    form = PlacementForm(request.POST, unit="person")
    _placement_add(request, form, person=person)
    return redirect(person)


@login_required
@require_POST
def placement_transition(request, pk):
    placement = access_object(
        request.user,
        CategoryPlacement.objects.select_related("person", "household"),
        Action.CHANGE,
        pk=pk,
    )
    form = TransitionForm(request.POST)
    if form.is_valid():
        try:
            services.placement_transition(
                actor=request.user,
                placement=placement,
                version=form.cleaned_data.get("version"),
                status=form.cleaned_data["status"],
                on=form.cleaned_data["on"],
                reason=form.cleaned_data["reason"],
            )
        except ConcurrentUpdateError as exc:
            messages.error(request, exc.message)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("The status was changed."))
    else:
        messages.error(request, "; ".join(e for errs in form.errors.values() for e in errs))
    return redirect(placement.person or placement.household)


# --- Duplicates -----------------------------------------------------------------------------


@require_safe
@login_required
def duplicates(request):
    require(request.user, Domain.REGISTRY, Action.CHANGE)
    district = request.GET.get("district") or None
    return render(
        request,
        "beneficiaries/duplicates.html",
        {
            "groups": selectors.duplicate_candidates(user=request.user, district_code=district),
            "merge_form": MergeForm(),
        },
    )


@login_required
@require_POST
def merge(request):
    require(request.user, Domain.REGISTRY, Action.CHANGE)
    form = MergeForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose the two records to merge."))
        return redirect("beneficiaries:duplicates")
    keep = _person(request, form.cleaned_data["keep"], Action.CHANGE)
    duplicate = _person(request, form.cleaned_data["duplicate"], Action.CHANGE)
    try:
        services.person_merge(
            actor=request.user, keep=keep, duplicate=duplicate, reason=form.cleaned_data["reason"]
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("beneficiaries:duplicates")
    messages.success(request, _("The records were merged; the history of both is kept."))
    return redirect(keep)


# --- Imports --------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def import_start(request):
    require(request.user, Domain.REGISTRY, Action.IMPORT)
    form = ImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        batch = ImportBatch.objects.create(
            file_name=upload.name[:255],
            created_by=request.user,
            mode=form.cleaned_data["mode"],
            source=form.cleaned_data["source"],
        )
        job = job_start(
            kind=IMPORT_JOB,
            title=_("Registry import: %(name)s") % {"name": upload.name[:120]},
            created_by=request.user,
            params={"batch": batch.pk, "commit": form.cleaned_data["commit"]},
            input_file=upload,
        )
        batch.job = job
        batch.save(update_fields=["job"])
        return redirect("job_detail", pk=job.pk)
    return render(
        request,
        "beneficiaries/import.html",
        {
            "form": form,
            "batches": selectors.import_batch_list(user=request.user)[:20],
            "columns": importer.COLUMNS,
        },
    )


@require_safe
@login_required
def import_detail(request, pk):
    batch = access_object(
        request.user, selectors.import_batch_list(user=request.user), Action.IMPORT, pk=pk
    )
    return render(request, "beneficiaries/import_detail.html", {"batch": batch})


@require_safe
@login_required
def import_download(request, pk, kind):
    batch = access_object(
        request.user, selectors.import_batch_list(user=request.user), Action.IMPORT, pk=pk
    )
    field = {"laporan": batch.report_file, "ditolak": batch.rejected_file}.get(kind)
    if not field:
        raise Http404(_("This file does not exist."))
    return serve_file(field, inline=False)


@require_safe
@login_required
def import_template(request):
    require(request.user, Domain.REGISTRY, Action.IMPORT)
    fmt = "csv" if request.GET.get("format") == "csv" else "xlsx"
    content_type = (
        "text/csv; charset=utf-8"
        if fmt == "csv"
        else "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    response = HttpResponse(importer.template_file(fmt), content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="templat-registri.{fmt}"'
    return response


@require_safe
@login_required
def import_example(request):
    require(request.user, Domain.REGISTRY, Action.IMPORT)
    response = HttpResponse(importer.example_file(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="contoh-impor-registri.csv"'
    return response


# --- Statistics and dashboard ---------------------------------------------------------------


@require_safe
@login_required
def stats(request):
    require(request.user, Domain.REGISTRY, Action.STATS)
    category = request.GET.get("category") or None
    if category and not (
        len(category) <= 40
        and category.isascii()
        and category.replace("_", "").isalnum()
        and PpksCategory.objects.filter(code=category).exists()
    ):
        category = None
    return render(
        request,
        "beneficiaries/stats.html",
        {
            "counts": selectors.ppks_counts(user=request.user, category_code=category),
            "recap": selectors.desil_recap(user=request.user),
            "categories": PpksCategory.objects.order_by("number"),
            "category": category,
            "desils": range(1, 11),
        },
    )


def dashboard_panel(request) -> str | None:
    user = request.user
    if not has_permission(user, Domain.REGISTRY, Action.VIEW) or is_api_client(user):
        return None
    counts = selectors.ppks_by_category(user=user)
    context = {
        "households": selectors.household_list(user=user).count(),
        "persons": selectors.person_list(user=user).count(),
        "ppks_total": counts["total"],
        "top_categories": sorted(counts["by_category"], key=lambda r: -(r["count"] or 0))[:4],
        "can_import": has_permission(user, Domain.REGISTRY, Action.IMPORT),
    }
    return render_to_string("beneficiaries/_dashboard_panel.html", context, request=request)


def _unused():  # pragma: no cover - keeps names referenced for linters
    return get_object_or_404, reverse, PermissionDenied
