"""Home page panels: an app may add one by setting ``dashboard_panel`` on its AppConfig to a
dotted path of ``panel(request) -> str | None`` (rendered HTML, or None to show nothing)."""

from django.apps import apps
from django.utils.module_loading import import_string
from django.utils.safestring import mark_safe


def dashboard_panels(request) -> list[str]:
    panels = []
    for config in apps.get_app_configs():
        path = getattr(config, "dashboard_panel", None)
        if not path:
            continue
        html = import_string(path)(request)
        if html:
            panels.append(mark_safe(html))
    return panels
