"""Class-based view adapters of ``accounts.access`` (the checks themselves live there)."""

from django.contrib.auth.mixins import LoginRequiredMixin

from .access import Action, policy_for, require, restrict


class DomainPermissionMixin(LoginRequiredMixin):
    """Log-in required, then the role must hold ``access_action`` in ``access_domain``."""

    access_domain: str | None = None
    access_action: str = Action.VIEW

    def get_access_domain(self) -> str:
        if self.access_domain:
            return self.access_domain
        return policy_for(self.model).domain

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        require(request.user, self.get_access_domain(), self.access_action)
        return super().dispatch(request, *args, **kwargs)


class RestrictedQuerysetMixin(DomainPermissionMixin):
    """The view's queryset passes through ``restrict``: out-of-scope objects are 404."""

    def get_queryset(self):
        return restrict(super().get_queryset(), self.request.user, self.access_action)
