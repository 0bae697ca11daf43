"""Numbers read from a page's query string (a year, a quarter). The pages offer them as choices;
one typed by hand into the address that cannot be read is not ignored in silence: the page says
so and shows its default instead. The API refuses such a value (see ``welfare.api.params``)."""

from collections.abc import Callable

from django.contrib import messages
from django.utils.translation import gettext as _

from welfare.api.params import YEAR_MAX, YEAR_MIN


def _query_int(request, name: str, *, low: int, high: int) -> tuple[str, int | None]:
    raw = (request.GET.get(name) or "").strip()
    try:
        number = int(raw)
    except ValueError:
        return raw, None
    return raw, number if low <= number <= high else None


def query_year(
    request, *, default: int | Callable[[], int], name: str = "year", warn: bool = True
) -> int:
    """The year asked for, or ``default`` (a value or a function giving it) with a warning
    when the one asked for is not a year between 2000 and 2100 (``warn=False`` for a download,
    which shows no page to warn on)."""
    raw, year = _query_int(request, name, low=YEAR_MIN, high=YEAR_MAX)
    if year is not None:
        return year
    shown = default() if callable(default) else default
    if raw and warn:
        messages.warning(
            request,
            _(
                "The year “%(value)s” in the address is not a year between 2000 and 2100; "
                "the page shows %(shown)s."
            )
            % {"value": raw[:20], "shown": shown},
        )
    return shown


def query_quarter(request, *, default: int | Callable[[], int], name: str = "quarter") -> int:
    """The quarter asked for (1 to 4), or ``default`` with a warning for any other value."""
    raw, quarter = _query_int(request, name, low=1, high=4)
    if quarter is not None:
        return quarter
    shown = default() if callable(default) else default
    if raw:
        messages.warning(
            request,
            _(
                "The quarter “%(value)s” in the address is not 1 to 4; the page shows quarter "
                "%(shown)s."
            )
            % {"value": raw[:20], "shown": shown},
        )
    return shown
