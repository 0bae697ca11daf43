"""Template helpers of the performance pages: figures as entered, bands as badges."""

from django import template
from django.utils.html import format_html

from welfare import formatting

register = template.Library()
ROMAN = {1: "I", 2: "II", 3: "III", 4: "IV"}


@register.filter
def val(value, empty="-"):
    """A target or realization with the decimals it was given (8,03; 10.002; 84,61)."""
    return formatting.format_figure(value, empty=empty)


@register.filter
def roman(quarter):
    return ROMAN.get(quarter, quarter)


@register.simple_tag
def band(spec, empty="-", percent=None):
    """A rating or effectiveness band as a coloured badge. When the figure behind it has no
    realization yet (``percent`` with reason *no_realization*), the band is drawn muted with
    the reason: it still counts (as 0 %) in the averages, but it is no alarm of its own."""
    if spec is None:
        return empty
    if percent is not None and getattr(percent, "reason", "") == "no_realization":
        return format_html(
            '<span class="badge text-bg-light border text-secondary" title="{}">{}</span>',
            percent.message,
            spec.label,
        )
    text_class = " text-dark" if spec.tone in ("warning", "info") else ""
    return format_html(
        '<span class="badge text-bg-{}{}">{}</span>', spec.tone, text_class, spec.label
    )


@register.filter
def get(mapping, key):
    return mapping.get(key) if mapping else None


@register.filter
def month_name(number):
    from performance.forms import MONTHS

    return MONTHS[int(number) - 1]


_SECTIONS = (
    ("indicator", ("indicator_", "quarter_reopen")),
    ("renstra", ("renstra_", "tujuan_", "sasaran_")),
    ("agreement", ("agreement_",)),
    ("realization", ("realization_", "evidence_")),
    ("budget", ("budget_",)),
    ("spm", ("spm",)),
    ("import", ("import_", "template_download")),
    ("settings", ("settings",)),
    ("dashboard", ("dashboard",)),
)


@register.filter
def perf_section(url_name: str | None) -> str:
    """The performance menu entry a page (by its URL name) belongs to."""
    for section, prefixes in _SECTIONS:
        if url_name and url_name.startswith(prefixes):
            return section
    return ""
