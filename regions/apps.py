from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RegionsConfig(AppConfig):
    name = "regions"
    verbose_name = _("Regions")
    # Navigation entries: (label, url name, icon, domain, action); see welfare.navigation.
    nav_items = [(_("Regions"), "regions:district_list", "geo-alt", "regions", "view")]
