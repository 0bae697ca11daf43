"""Home page panels: an app may add one by setting ``dashboard_panel`` on its AppConfig to a
dotted path of ``panel(request) -> str | None`` (rendered HTML, or None to show nothing).

Panels follow the order of INSTALLED_APPS, except that an app may put its panel first for the
roles whose daily work it is (``dashboard_first_for``: role values), as field work for a TKSK."""

from django.apps import apps
from django.utils.module_loading import import_string
from django.utils.safestring import mark_safe


def dashboard_panels(request) -> list[str]:
    role = getattr(request.user, "role", None)
    panels = []
    for config in apps.get_app_configs():
        path = getattr(config, "dashboard_panel", None)
        if not path:
            continue
        html = import_string(path)(request)
        if html:
            first = role in getattr(config, "dashboard_first_for", ())
            panels.append((not first, mark_safe(html)))
    return [html for _later, html in sorted(panels, key=lambda item: item[0])]
