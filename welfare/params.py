"""Numbers read from a page's query string (a year, a quarter). The pages offer them as choices;
one typed by hand into the address that cannot be read is not ignored in silence: the page says
so and shows its default instead. The API refuses such a value (see ``welfare.api.params``)."""

from collections.abc import Callable

from django.contrib import messages
from django.utils.translation import gettext as _

from welfare.api.params import YEAR_MAX, YEAR_MIN

Default = int | Callable[[], int]


def _query_int(request, name: str, *, low: int, high: int, default: Default, warning: str) -> int:
    """``name`` from the query string when it is a whole number from ``low`` to ``high``;
    otherwise ``default`` (a value or a function giving it), with ``warning`` (formatted with
    the value and the default) shown when a value was given."""
    raw = (request.GET.get(name) or "").strip()
    try:
        number = int(raw)
    except ValueError:
        number = None
    if number is not None and low <= number <= high:
        return number
    shown = default() if callable(default) else default
    if raw and warning:
        messages.warning(request, warning % {"value": raw[:20], "shown": shown})
    return shown


def query_year(request, *, default: Default, name: str = "year", warn: bool = True) -> int:
    """The year asked for (2000 to 2100) or the default; ``warn=False`` for a download, which
    shows no page to warn on."""
    warning = _(
        "The year “%(value)s” in the address is not a year between 2000 and 2100; "
        "the page shows %(shown)s."
    )
    return _query_int(
        request, name, low=YEAR_MIN, high=YEAR_MAX, default=default, warning=warning if warn else ""
    )


def query_quarter(request, *, default: Default, name: str = "quarter") -> int:
    """The quarter asked for (1 to 4) or the default."""
    warning = _(
        "The quarter “%(value)s” in the address is not 1 to 4; the page shows quarter %(shown)s."
    )
    return _query_int(request, name, low=1, high=4, default=default, warning=warning)
