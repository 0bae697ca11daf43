"""Permission checks in templates, through the one place that decides them."""

from django import template
from django.apps import apps

from accounts.access import can_open as role_can_open
from accounts.access import has_permission

register = template.Library()


@register.simple_tag(takes_context=True)
def permitted(context, domain: str, action: str) -> bool:
    """``{% permitted "programs" "import" as can_import %}``: whether the page's user may."""
    request = context.get("request")
    return request is not None and has_permission(request.user, domain, action)


@register.simple_tag(takes_context=True)
def can_open(context, model_label: str) -> bool:
    """``{% can_open "fieldwork.Submission" as can_open_submission %}``: whether the page's user
    may open records of that kind, so that a page links only to what its user can open."""
    request = context.get("request")
    return request is not None and role_can_open(request.user, apps.get_model(model_label))
