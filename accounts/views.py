from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.urls import reverse_lazy
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from welfare.concurrency import ConcurrentUpdateError

from .access import Action, Domain, Role, access_object, require
from .forms import UserForm
from .models import User
from .selectors import user_list
from .services import api_token_rotate, user_create, user_update


class LoginView(auth_views.LoginView):
    template_name = "registration/login.html"
    redirect_authenticated_user = True


class PasswordChangeView(auth_views.PasswordChangeView):
    template_name = "registration/password_change_form.html"
    success_url = reverse_lazy("accounts:profile")

    def form_valid(self, form):
        # The password itself is never kept in the history; the row says what happened.
        form.user._change_reason = _("Password changed by its owner")
        messages.success(self.request, _("Your password has been changed."))
        return super().form_valid(form)


@require_safe
@login_required
def profile(request):
    return render(request, "accounts/profile.html", {"account": request.user})


@require_safe
@login_required
def user_index(request):
    require(request.user, Domain.ADMIN, Action.VIEW)
    users = user_list(
        user=request.user, search=request.GET.get("q") or None, role=request.GET.get("role") or None
    )
    page = Paginator(users, 50).get_page(request.GET.get("page"))
    return render(request, "accounts/user_list.html", {"page": page, "roles": Role.choices})


def _save_user_form(request, form, user=None):
    data = {name: form.cleaned_data[name] for name in form.Meta.fields if name != "username"}
    if user is None:
        return user_create(
            actor=request.user,
            username=form.cleaned_data["username"],
            password=form.cleaned_data.get("password"),
            **data,
        )
    return user_update(
        actor=request.user, user=user, version=form.cleaned_data.get("version"), **data
    )


@login_required
@require_http_methods(["GET", "POST"])
def user_add(request):
    require(request.user, Domain.ADMIN, Action.ADD)
    form = UserForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            user = _save_user_form(request, form)
        except ValidationError as exc:
            _attach_errors(form, exc)
        else:
            messages.success(request, _("User %(name)s was created.") % {"name": user.username})
            return redirect("accounts:user_edit", pk=user.pk)
    return render(request, "accounts/user_form.html", {"form": form})


@login_required
@require_http_methods(["GET", "POST"])
def user_edit(request, pk):
    require(request.user, Domain.ADMIN, Action.CHANGE)
    user = access_object(request.user, User.objects.all(), Action.CHANGE, pk=pk)
    form = UserForm(request.POST or None, instance=user)
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            _save_user_form(request, form, user)
        except ConcurrentUpdateError as exc:
            form.add_error(None, exc.message)
            status = 409
        except ValidationError as exc:
            _attach_errors(form, exc)
        else:
            messages.success(request, _("User %(name)s was saved.") % {"name": user.username})
            return redirect("accounts:user_edit", pk=user.pk)
    return render(
        request, "accounts/user_form.html", {"form": form, "account": user}, status=status
    )


@login_required
@require_POST
def user_token(request, pk):
    require(request.user, Domain.ADMIN, Action.CHANGE)
    user = access_object(request.user, User.objects.all(), Action.CHANGE, pk=pk)
    key = api_token_rotate(actor=request.user, user=user)
    return render(request, "accounts/token_issued.html", {"account": user, "key": key})


def _attach_errors(form, exc: ValidationError) -> None:
    if hasattr(exc, "error_dict"):
        for field, errors in exc.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc.messages)
