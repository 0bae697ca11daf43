"""Template filters for Indonesian formats and masked personal data (a builtin library).

{{ amount|rupiah }}  {{ count|num }}  {{ ratio|num:2 }}  {{ capaian|pct }}  {{ day|tanggal }}
{% personal person.nik "nik" %}  {% personal person.name "name" %}
"""

from django import template

from accounts.access import can_view_personal
from welfare import formatting

register = template.Library()


@register.filter
def num(value, decimals=0):
    return formatting.format_number(value, int(decimals))


@register.filter
def rupiah(value, decimals=0):
    return formatting.format_rupiah(value, int(decimals))


@register.filter
def pct(value, decimals=2):
    return formatting.format_percent(value, int(decimals))


@register.filter
def tanggal(value):
    return formatting.format_date(value)


@register.filter
def tanggal_waktu(value):
    return formatting.format_datetime(value)


_MASKS = {
    "nik": formatting.mask_identity_number,
    "kk": formatting.mask_identity_number,
    "name": formatting.mask_name,
    "text": formatting.mask_text,
}


@register.simple_tag(takes_context=True)
def personal(context, value, kind="text"):
    """Show personal data in full to roles that need it, masked to the others."""
    request = context.get("request")
    user = getattr(request, "user", None)
    if value in (None, ""):
        return ""
    if user is not None and can_view_personal(user):
        return value
    return _MASKS[kind](value)


@register.simple_tag(takes_context=True)
def querystring_without(context, *keys):
    """The current query string without the given keys (for pagination and filter links)."""
    request = context["request"]
    params = request.GET.copy()
    for key in keys:
        params.pop(key, None)
    return params.urlencode()
