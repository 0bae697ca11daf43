"""Where other modules plug into the registry (documented in docs/beneficiaries.md).

The registry does not import the modules that use it (programs, field work). They register,
in their ``AppConfig.ready()``:

* a **household panel**, shown on the household page (e.g. the household's programs, its field
  visits)::

      from beneficiaries import extensions

      extensions.register_household_panel(
          "programs",
          title=_("Programs"),
          render=programs_panel,      # (request, household) -> html (str) or None (not shown)
          order=10,
      )

  ``render`` checks its own access (``accounts.access``) and returns None when the user may
  see nothing; its output is inserted as safe HTML, so it must escape what it renders (use a
  template). A panel that raises is logged and replaced by a short notice: one module's bug
  does not take the household page down.

* a **list filter**, added to the FilterSets of persons and households, so that the page, the
  API and the exports all get it::

      extensions.register_list_filter(
          "program",
          label=_("Program"),
          choices=program_choices,    # () -> [(value, label)], called per request
          apply=filter_by_program,    # (queryset, value) -> queryset (Person or Household)
          models=("person", "household"),
      )

  ``apply`` receives a queryset of ``Person`` or ``Household`` (look at ``queryset.model``) and
  must stay set-based (a subquery or a join, no Python loop). A value outside ``choices()`` is
  refused by the form (HTTP 400 in the API).
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class HouseholdPanel:
    key: str
    title: Any
    render: Callable
    order: int = 100


@dataclass(frozen=True)
class ListFilter:
    name: str
    label: Any
    choices: Callable[[], Iterable[tuple[str, Any]]]
    apply: Callable
    models: tuple[str, ...] = ("person", "household")


_PANELS: dict[str, HouseholdPanel] = {}
_FILTERS: dict[str, ListFilter] = {}
RESERVED_FILTER_NAMES = frozenset(
    {
        "district",
        "village",
        "category",
        "desil",
        "status",
        "sex",
        "age_band",
        "q",
        "deleted",
        "page",
        "cursor",
        "page_size",
    }
)


def register_household_panel(
    key: str, *, title, render: Callable, order: int = 100
) -> HouseholdPanel:
    panel = HouseholdPanel(key=key, title=title, render=render, order=order)
    _PANELS[key] = panel
    return panel


def unregister_household_panel(key: str) -> None:
    _PANELS.pop(key, None)


def household_panels() -> list[HouseholdPanel]:
    return sorted(_PANELS.values(), key=lambda p: (p.order, p.key))


def render_household_panels(request, household) -> list[dict]:
    """[{key, title, html}] of the panels that have something for this user and household."""
    rendered = []
    for panel in household_panels():
        try:
            html = panel.render(request, household)
        except Exception:
            logger.exception("household panel %s failed", panel.key)
            html = format_html(
                '<p class="text-danger small">{}</p>', _("This panel could not be shown.")
            )
        if html is None:
            continue
        rendered.append(
            {
                "key": panel.key,
                "title": panel.title,
                "html": html if isinstance(html, SafeString) else mark_safe(html),
            }
        )
    return rendered


def register_list_filter(
    name: str,
    *,
    label,
    choices: Callable[[], Iterable[tuple[str, Any]]],
    apply: Callable,
    models: tuple[str, ...] = ("person", "household"),
) -> ListFilter:
    if name in RESERVED_FILTER_NAMES:
        raise ValueError(f"{name!r} is a filter of the registry itself")
    list_filter = ListFilter(name=name, label=label, choices=choices, apply=apply, models=models)
    _FILTERS[name] = list_filter
    return list_filter


def unregister_list_filter(name: str) -> None:
    _FILTERS.pop(name, None)


def list_filters(model_name: str) -> list[ListFilter]:
    """The registered filters for ``"person"`` or ``"household"`` lists, by name."""
    return [f for _name, f in sorted(_FILTERS.items()) if model_name in f.models]
