"""DRF adapters of ``accounts.access``: a permission class and a queryset mixin."""

from django.utils.translation import gettext_lazy
from rest_framework.permissions import BasePermission

from accounts.access import Action, has_permission, policy_for, restrict

METHOD_ACTIONS = {
    "GET": Action.VIEW,
    "HEAD": Action.VIEW,
    "OPTIONS": Action.VIEW,
    "POST": Action.ADD,
    "PUT": Action.CHANGE,
    "PATCH": Action.CHANGE,
    "DELETE": Action.DELETE,
}


def view_action(request, view) -> str:
    """The access action of a request: the view's ``access_action`` (or a per-action mapping
    ``access_actions``), else derived from the HTTP method."""
    per_action = getattr(view, "access_actions", None) or {}
    drf_action = getattr(view, "action", None)
    if drf_action in per_action:
        return per_action[drf_action]
    explicit = getattr(view, "access_action", None)
    if explicit:
        return explicit
    return METHOD_ACTIONS.get(request.method, Action.CHANGE)


def view_domain(view) -> str:
    domain = getattr(view, "access_domain", None)
    if domain:
        return domain
    queryset = getattr(view, "queryset", None)
    if queryset is None:
        raise AssertionError(f"{type(view).__name__} needs access_domain or queryset")
    return policy_for(queryset.model).domain


class DomainPermission(BasePermission):
    """Authenticated, and the role holds the request's action in the view's domain."""

    message = gettext_lazy("Your role may not do this.")

    def has_permission(self, request, view) -> bool:
        user = request.user
        if not user or not user.is_authenticated:
            return False
        return has_permission(user, view_domain(view), view_action(request, view))


class RestrictedQuerysetMixin:
    """For (generic) API views: ``get_queryset`` passes through ``restrict``."""

    permission_classes = [DomainPermission]

    def get_queryset(self):
        queryset = super().get_queryset()
        return restrict(queryset, self.request.user, view_action(self.request, self))
