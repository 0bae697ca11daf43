"""The registry behind tests/test_permission_matrix.py.

Every URL pattern of the project (pages and API) is walked for every role. A pattern that needs
arguments, or whose data is tied to a kecamatan, registers a *sample* in a module
``tests/samples_<app>.py``: a function that creates data in kecamatan B and returns how to
reach it. A pattern with arguments and no sample fails the matrix test, so a new page or
endpoint cannot escape it.

    @sample("beneficiaries:household_detail", "api:household-detail")
    def household_in_b(ctx):
        household = HouseholdFactory(village=ctx.village_b)
        return Sample(kwargs={"pk": household.pk}, scoped=True)

    @sample("beneficiaries:household_list")
    def household_list(ctx):
        household = HouseholdFactory(village=ctx.village_b)
        return Sample(scoped=True, marker=household.no_kk)   # must not show for TKSK A
"""

import importlib
import pkgutil
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.urls import URLPattern, URLResolver, get_resolver

# URL namespaces that are not the product's own pages (Django admin has its own checks).
SKIP_NAMESPACES = {"admin"}
# Names reachable without logging in.
PUBLIC_URLS = {
    "accounts:login",
    "accounts:logout",
    "api:health",
    "api:health-live",
    "schema",
    "api_docs",
    "api_redoc",
    "set_language",
    "javascript-catalog",
    "favicon",
}


@dataclass
class Sample:
    kwargs: dict[str, Any] = field(default_factory=dict)
    scoped: bool = False  # the data belongs to kecamatan B: TKSK A must not reach it
    marker: str | None = None  # text of B's data that must not appear for TKSK A (lists)
    query: str = ""  # query string to add (e.g. "?year=2025")
    personal: list[str] = field(default_factory=list)  # NIK, names...: never sent to API clients


@dataclass
class Context:
    users: dict
    district_a: Any
    district_b: Any
    village_a: Any
    village_b: Any


SampleFunc = Callable[[Context], Sample]
SAMPLES: dict[str, SampleFunc] = {}


def sample(*names: str) -> Callable[[SampleFunc], SampleFunc]:
    def decorator(func: SampleFunc) -> SampleFunc:
        for name in names:
            if name in SAMPLES:
                raise AssertionError(f"two samples for {name}")
            SAMPLES[name] = func
        return func

    return decorator


def load_samples() -> None:
    tests_dir = Path(__file__).parent
    for module in pkgutil.iter_modules([str(tests_dir)]):
        if module.name.startswith("samples_"):
            importlib.import_module(f"tests.{module.name}")


def _pattern_args(pattern: URLPattern) -> set[str]:
    converters = getattr(pattern.pattern, "converters", None)
    if converters:
        return set(converters)
    regex = getattr(pattern.pattern, "regex", None)
    return set(regex.groupindex) if regex is not None else set()


def url_patterns() -> dict[str, set[str]]:
    """Every named URL of the project -> the arguments it needs (format suffixes excluded)."""
    found: dict[str, set[str]] = {}

    def walk(patterns, namespaces: list[str], inherited: set[str]):
        for entry in patterns:
            if isinstance(entry, URLResolver):
                if entry.namespace in SKIP_NAMESPACES:
                    continue
                args = inherited | set(getattr(entry.pattern, "converters", {}) or {})
                walk(
                    entry.url_patterns,
                    [*namespaces, entry.namespace] if entry.namespace else namespaces,
                    args,
                )
            elif isinstance(entry, URLPattern) and entry.name:
                args = inherited | _pattern_args(entry)
                if "format" in args:
                    continue
                name = ":".join([*namespaces, entry.name])
                found.setdefault(name, args)

    walk(get_resolver().url_patterns, [], set())
    return found
