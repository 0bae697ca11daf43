"""The registry of field form kinds.

A *kind* is one field form a TKSK can send (a disaster incident, a case referral, the monthly
report ...). Everything specific to a kind lives in its ``SubmissionKind``: the Django form that
validates the payload (the same for the page, the offline outbox and the API), its photos, the
bidang that reviews it, and what approval does (``apply``, run in the approval's transaction).
The framework (``Submission``, review, offline sending, API, inbox) knows nothing else.

Another app adds a kind in its ``AppConfig.ready()``::

    from fieldwork.kinds import PhotoField, SubmissionKind, register_kind

    register_kind(SubmissionKind(
        code="new_ppks",
        label=_("New PPKS found"),
        description=_("A person or household needing welfare services."),
        icon="person-plus",
        form_class=NewPpksForm,            # a fieldwork.field_forms.FieldForm
        bidang_code="linjamsos",
        photos=(PhotoField("photo", _("Photo"), required=True),),
        apply=new_ppks_apply,              # (submission, actor) -> None
        figure=count_persons_created,      # optional, see fieldwork.selectors.kind_figure
        subject_fields=(("no_kk", SUBJECT_NO_KK), ("nik", SUBJECT_NIK)),  # optional, below
    ))

``subject_fields`` names the payload fields that hold a No. KK or a NIK of the registry (or
the id of a referral): the registry's household page then lists the form among the household's
field visits (``selectors.household_visits``).

``apply`` writes through the other app's services and records each change with
``fieldwork.services.applied_change_record(submission=..., target=..., action=...,
description=...)`` so that every change is traced to its submission.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.http import Http404
from django.utils.translation import gettext as _

if TYPE_CHECKING:
    from .models import Submission


@dataclass(frozen=True)
class PhotoField:
    """A photo input of a form. Photos are checked by content (Pillow) and re-encoded without
    EXIF; with ``keep_location`` the GPS position of the photo is kept as data."""

    name: str
    label: Any
    required: bool = False
    max_count: int = 3
    keep_location: bool = False
    help_text: Any = ""


# What a payload field named in ``SubmissionKind.subject_fields`` holds.
SUBJECT_NO_KK = "no_kk"  # the No. KK of a household
SUBJECT_NIK = "nik"  # the NIK of a person
SUBJECT_NIK_OR_NO_KK = "nik_or_no_kk"  # either (a recipient of a program)
SUBJECT_REFERRAL = "referral"  # the id of a Referral, whose NIK names the person
SUBJECTS = (SUBJECT_NO_KK, SUBJECT_NIK, SUBJECT_NIK_OR_NO_KK, SUBJECT_REFERRAL)


@dataclass(frozen=True)
class SubmissionKind:
    code: str
    label: Any
    description: Any
    icon: str
    form_class: type
    bidang_code: str
    photos: tuple[PhotoField, ...] = ()
    # Runs when a reviewer approves, inside the approval's transaction: writes to the modules
    # and records each change (fieldwork.services.applied_change_record).
    apply: Callable[[Submission, Any], None] | None = None
    # Runs after the submission is stored (first sending and resubmission), in its transaction.
    on_submit: Callable[[Submission, Any], None] | None = None
    # Runs when a reviewer rejects, in the same transaction.
    on_reject: Callable[[Submission, Any], None] | None = None
    # A periodic report (one per TKSK and month, due by a settable day of the next month).
    periodic: bool = False
    # Per-kecamatan figure for the reports: (approved submissions queryset) -> {code: number}.
    # Without it the figure is the number of approved submissions (see selectors.kind_figure).
    figure: Callable[[Any], dict[str, int]] | None = None
    figure_label: Any = None
    # Payload fields that name a record of the registry: (field, SUBJECT_*) pairs. The
    # registry's household page lists the forms whose payload names the household or one of
    # its members this way (selectors.household_visits).
    subject_fields: tuple[tuple[str, str], ...] = ()
    order: int = 100
    extra: dict[str, Any] = field(default_factory=dict)


_KINDS: dict[str, SubmissionKind] = {}


def register_kind(kind: SubmissionKind) -> SubmissionKind:
    if kind.code in _KINDS and _KINDS[kind.code] != kind:
        raise ValueError(f"field form kind {kind.code!r} is registered twice")
    if len(kind.code) > 40:
        raise ValueError(f"field form kind code {kind.code!r} is longer than 40 characters")
    for name, subject in kind.subject_fields:
        if subject not in SUBJECTS:
            raise ValueError(f"field form kind {kind.code!r}: {name} names {subject!r}")
    _KINDS[kind.code] = kind
    return kind


def unregister_kind(code: str) -> None:
    """For tests that register a kind of their own."""
    _KINDS.pop(code, None)


def all_kinds() -> list[SubmissionKind]:
    return sorted(_KINDS.values(), key=lambda k: (k.order, k.code))


def get_kind(code: str) -> SubmissionKind:
    """The kind of this code; Http404 for an unknown code (a URL or an API request)."""
    try:
        return _KINDS[code]
    except KeyError:
        raise Http404(_("There is no field form %(kind)s.") % {"kind": code}) from None


def find_kind(code: str) -> SubmissionKind | None:
    return _KINDS.get(code)


def kind_label(code: str) -> str:
    kind = _KINDS.get(code)
    return str(kind.label) if kind else code


def kind_choices() -> list[tuple[str, str]]:
    return [(kind.code, kind.label) for kind in all_kinds()]


def periodic_kind_codes() -> list[str]:
    return [kind.code for kind in all_kinds() if kind.periodic]


# Codes kept for the kinds that come with the registry and the programs (issues 3 and 4): the
# report selectors (selectors.ppks_identified_by_district, verification_visits_by_district)
# already ask for them and say "not available" until a module registers them.
KIND_NEW_PPKS = "new_ppks"
KIND_VERIFICATION_VISIT = "verification_visit"
KIND_AID_MONITORING = "aid_monitoring"

# The kinds built here (fieldwork.builtin_kinds).
KIND_DISASTER = "disaster_incident"
KIND_REFERRAL = "case_referral"
KIND_REFERRAL_FOLLOWUP = "referral_followup"
KIND_MONTHLY_REPORT = "monthly_report"
