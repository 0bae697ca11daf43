"""Navigation by role.

Each app declares ``nav_items`` on its AppConfig as ``(label, url name, bootstrap icon, domain,
action)``; a user sees the entries their role permits."""

from dataclasses import dataclass

from django.apps import apps
from django.urls import reverse

from accounts.access import has_permission


@dataclass(frozen=True)
class NavItem:
    label: str
    url: str
    icon: str
    app_label: str
    active: bool = False


def navigation_for(user, path: str = "") -> list[NavItem]:
    items: list[NavItem] = []
    if not getattr(user, "is_authenticated", False):
        return items
    for config in apps.get_app_configs():
        for label, url_name, icon, domain, action in getattr(config, "nav_items", []):
            if not has_permission(user, domain, action):
                continue
            url = reverse(url_name)
            items.append(
                NavItem(
                    label=str(label),
                    url=url,
                    icon=icon,
                    app_label=config.label,
                    active=path.startswith(url),
                )
            )
    return items
