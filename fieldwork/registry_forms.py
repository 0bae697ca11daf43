"""The forms of the kinds that feed the registry and the programs (issue 5, kinds a-c).

* (a) ``NewPpksForm``: a person or a household needing welfare services, its PPKS category.
* (b) ``VerificationVisitForm``: a visit to a registered household of the kecamatan.
* (c) ``AidMonitoringForm``: whether a recipient received a stage (tahap) of a program.

Validation uses the registry's own rules (``beneficiaries.services.check_person``,
``beneficiaries.identity``, ``category_rule_errors``) and reads only through the registry's and
the programs' selectors, limited to what the TKSK may see (their kecamatan). Nothing is written
here: the approval (``fieldwork.registry_kinds``) writes through the owning app's services.
"""

from __future__ import annotations

import re
from decimal import Decimal

from django import forms
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from beneficiaries import identity
from beneficiaries import selectors as registry
from beneficiaries.models import DisabilitySeverity, Household, Person, Relationship, Sex
from beneficiaries.services import DuplicateNikError, category_rule_errors, check_person
from programs import selectors as program_selectors
from programs.models import Channel, Enrollment, Program
from welfare.formatting import format_date

from .field_forms import FieldForm, PastDateField

DISABILITY_FIELDS = {
    "physical": "disability_physical",
    "intellectual": "disability_intellectual",
    "mental": "disability_mental",
    "sensory": "disability_sensory",
}


class DisabilityType(models.TextChoices):
    PHYSICAL = "physical", gettext_lazy("Physical")
    INTELLECTUAL = "intellectual", gettext_lazy("Intellectual")
    MENTAL = "mental", gettext_lazy("Mental")
    SENSORY = "sensory", gettext_lazy("Sensory (sight, hearing, speech)")


class PpksUnit(models.TextChoices):
    PERSON = "person", gettext_lazy("A person")
    HOUSEHOLD = "household", gettext_lazy("A household (family)")


class BirthDateField(PastDateField):
    """A date of birth: not in the future, not before 1900."""

    def validate(self, value):
        forms.DateField.validate(self, value)
        if value is None:
            return
        if value > timezone.localdate():
            raise ValidationError(
                _("%(label)s cannot be in the future (today is %(today)s)."),
                code="future",
                params={"label": self.label, "today": format_date(timezone.localdate())},
            )
        if value.year < 1900:
            raise ValidationError(
                _("%(label)s is too far in the past: check the year."),
                code="too_old",
                params={"label": self.label},
            )


def _digits(value) -> str:
    return re.sub(r"\s", "", str(value or ""))


def _first(messages) -> str:
    return " ".join(str(m) for m in messages)


def _number_field(label, *, required=False, help_text=""):
    return forms.CharField(
        label=label,
        required=required,
        max_length=20,
        help_text=help_text,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )


def _outside_message(district_name: str, own_name: str) -> str:
    return _(
        "This record is registered in Kecamatan %(district)s, outside your working area "
        "(Kecamatan %(own)s)."
    ) % {"district": district_name, "own": own_name}


def _district_name(code: str | None) -> str:
    from regions.models import District

    district = District.objects.filter(code=code).first()
    return district.name if district else "-"


class LocationMixin:
    """Optional latitude/longitude, both or neither, inside Indonesia."""

    def clean_location(self, data) -> None:
        latitude, longitude = data.get("latitude"), data.get("longitude")
        if (latitude is None) != (longitude is None):
            self.add_error("longitude", _("Enter both latitude and longitude, or neither."))
        elif latitude is not None:
            if not (Decimal(-11) <= latitude <= Decimal(6)):
                self.add_error("latitude", _("The latitude is outside Indonesia."))
            if not (Decimal(94) <= longitude <= Decimal(142)):
                self.add_error("longitude", _("The longitude is outside Indonesia."))


def _coordinate(label, geo):
    return forms.DecimalField(
        label=label,
        max_digits=9,
        decimal_places=6,
        required=False,
        widget=forms.NumberInput(attrs={"step": "any", "data-geo": geo}),
    )


# --- (a) New PPKS found ------------------------------------------------------------------------


class NewPpksForm(FieldForm):
    date_field = "found_on"
    personal_fields = ("nik", "name", "no_kk", "address", "situation", "birth_place")
    field_order = ["found_on", "unit", "category", "village"]

    found_on = PastDateField(label=gettext_lazy("Date found"))
    unit = forms.ChoiceField(label=gettext_lazy("Who was found"), choices=PpksUnit.choices)
    category = forms.ModelChoiceField(
        label=capfirst(gettext_lazy("PPKS category")),
        queryset=registry.categories_for("person").none(),
        empty_label=gettext_lazy("Choose the category"),
    )
    no_kk = _number_field(
        gettext_lazy("No. KK"),
        help_text=gettext_lazy("16 digits. Required for a household; for a person, if known."),
    )
    address = forms.CharField(label=gettext_lazy("Address"), max_length=255, required=False)
    rt = forms.CharField(label=gettext_lazy("RT"), max_length=3, required=False)
    rw = forms.CharField(label=gettext_lazy("RW"), max_length=3, required=False)
    nik = _number_field(gettext_lazy("NIK"), help_text=gettext_lazy("16 digits (for a person)."))
    name = forms.CharField(label=gettext_lazy("Name"), max_length=200, required=False)
    sex = forms.ChoiceField(
        label=gettext_lazy("Sex"), choices=[("", "---------"), *Sex.choices], required=False
    )
    birth_place = forms.CharField(
        label=gettext_lazy("Place of birth"), max_length=100, required=False
    )
    birth_date = BirthDateField(label=gettext_lazy("Date of birth"), required=False)
    relationship = forms.ChoiceField(
        label=gettext_lazy("Relationship in the family"),
        choices=[("", "---------"), *Relationship.choices],
        required=False,
    )
    disability_types = forms.MultipleChoiceField(
        label=gettext_lazy("Disability types"),
        choices=DisabilityType.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple(attrs={"class": "form-check-input"}),
    )
    disability_severity = forms.ChoiceField(
        label=gettext_lazy("Severity of the disability"),
        choices=[("", "---------"), *DisabilitySeverity.choices],
        required=False,
    )
    situation = forms.CharField(
        label=gettext_lazy("Situation and problem"),
        max_length=3000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def setup(self) -> None:
        from beneficiaries.models import PpksCategory

        self.fields["category"].queryset = PpksCategory.objects.filter(active=True).order_by(
            "number"
        )
        self.fields["category"].error_messages["invalid_choice"] = _(
            "Choose a PPKS category from the list."
        )

    # Registry rows found by the identity numbers (within what this TKSK may see).
    existing_person: Person | None = None
    existing_household: Household | None = None

    def _find_household(self, no_kk: str) -> Household | None:
        household = Household.objects.filter(no_kk=no_kk).only("pk", "district_id").first()
        if household is None:
            return None
        if household.district_id != self.district_code:
            raise ValidationError(
                _outside_message(
                    _district_name(household.district_id), _district_name(self.district_code)
                ),
                code="outside_district",
            )
        return registry.household_list(user=self.user, state="all").filter(pk=household.pk).first()

    def clean(self):
        data = super().clean()
        unit = data.get("unit")
        category = data.get("category")
        village = data.get("village")
        no_kk = _digits(data.get("no_kk"))
        data["no_kk"] = no_kk
        if no_kk:
            if problems := identity.no_kk_errors(no_kk):
                self.add_error("no_kk", _first(problems))
            else:
                try:
                    self.existing_household = self._find_household(no_kk)
                except ValidationError as exc:
                    self.add_error("no_kk", exc)
        if unit == PpksUnit.HOUSEHOLD:
            if not no_kk:
                self.add_error("no_kk", _("No. KK: enter the family card number."))
            if category and (problems := category_rule_errors(category, household=Household())):
                self.add_error("category", _first(problems))
            if category and self.existing_household and not self.errors:
                self._refuse_open(category, household=self.existing_household)
        elif unit == PpksUnit.PERSON:
            self._clean_person(data, category, village)
        return data

    def _clean_person(self, data, category, village) -> None:
        for name in ("nik", "name", "sex", "birth_date"):
            if not data.get(name) and name not in self.errors:
                self.add_error(
                    name,
                    _("%(field)s: this is needed for a person.")
                    % {"field": self.fields[name].label},
                )
        nik = _digits(data.get("nik"))
        data["nik"] = nik
        if nik and (problems := identity.nik_errors(nik)):
            self.add_error("nik", _first(problems))
        person_fields = ("nik", "name", "sex", "birth_date", "village", "found_on")
        if village is None or any(name in self.errors for name in person_fields):
            return
        person = Person(
            nik=nik,
            name=data["name"].strip(),
            sex=data["sex"],
            birth_date=data["birth_date"],
            village=village,
            disability_severity=data.get("disability_severity") or "",
            **{DISABILITY_FIELDS[t]: True for t in data.get("disability_types") or []},
        )
        try:
            check_person(person)
        except DuplicateNikError as exc:
            existing = exc.existing
            if existing.district_id != self.district_code:
                self.add_error(
                    "nik",
                    _outside_message(
                        _district_name(existing.district_id), _district_name(self.district_code)
                    ),
                )
                return
            if existing.deceased:
                self.add_error("nik", _("The registry records this person as deceased."))
                return
            self.existing_person = existing
            person = existing
        except ValidationError as exc:
            for field, messages in exc.message_dict.items():
                target = field if field in self.fields else None
                self.add_error(target, _first(messages))
            return
        if category is None:
            return
        if problems := category_rule_errors(category, person=person, on=data["found_on"]):
            self.add_error("category", _first(problems))
        elif self.existing_person:
            self._refuse_open(category, person=self.existing_person)

    def _refuse_open(self, category, *, person=None, household=None) -> None:
        placements = (
            registry.person_open_categories(person)
            if person
            else registry.placements_of_household(household)
        )
        if any(p.category_id == category.pk and p.is_open for p in placements):
            self.add_error(
                "category",
                _("The registry already has this record in %(name)s (still open).")
                % {"name": category.name},
            )

    def summary(self) -> str:
        data = self.cleaned_data
        return _("%(category)s, %(village)s") % {
            "category": data["category"].name,
            "village": self.village().name,
        }


# --- (b) Household verification visit ---------------------------------------------------------


class VisitFinding(models.TextChoices):
    FOUND = "found", gettext_lazy("Found at the address")
    MOVED = "moved", gettext_lazy("Moved away")
    NOT_FOUND = "not_found", gettext_lazy("Not found")


class Eligibility(models.TextChoices):
    YES = "yes", gettext_lazy("Yes, still eligible")
    NO = "no", gettext_lazy("No longer eligible")
    UNSURE = "unsure", gettext_lazy("Not sure")


class VerificationVisitForm(LocationMixin, FieldForm):
    date_field = "visit_date"
    village_field = None
    personal_fields = (
        "no_kk",
        "deceased_nik",
        "new_member_nik",
        "new_member_name",
        "note",
    )

    visit_date = PastDateField(label=gettext_lazy("Date of the visit"))
    no_kk = _number_field(gettext_lazy("No. KK"), required=True)
    finding = forms.ChoiceField(
        label=gettext_lazy("Was the household found?"), choices=VisitFinding.choices
    )
    still_eligible = forms.ChoiceField(
        label=gettext_lazy("Still eligible?"),
        choices=[("", "---------"), *Eligibility.choices],
        required=False,
    )
    deceased_nik = _number_field(
        gettext_lazy("NIK of a member who died"),
        help_text=gettext_lazy("Leave empty when no member died."),
    )
    death_date = PastDateField(label=gettext_lazy("Date of death"), required=False)
    new_member_nik = _number_field(gettext_lazy("NIK of a new member"))
    new_member_name = forms.CharField(
        label=gettext_lazy("Name of the new member"), max_length=200, required=False
    )
    new_member_sex = forms.ChoiceField(
        label=gettext_lazy("Sex of the new member"),
        choices=[("", "---------"), *Sex.choices],
        required=False,
    )
    new_member_birth_date = BirthDateField(
        label=gettext_lazy("Date of birth of the new member"), required=False
    )
    new_member_relationship = forms.ChoiceField(
        label=gettext_lazy("Relationship of the new member"),
        choices=[("", "---------"), *Relationship.choices],
        required=False,
    )
    latitude = _coordinate(gettext_lazy("Latitude"), "latitude")
    longitude = _coordinate(gettext_lazy("Longitude"), "longitude")
    note = forms.CharField(
        label=gettext_lazy("Note"),
        max_length=3000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    household: Household | None = None
    deceased_person: Person | None = None
    new_member_existing: Person | None = None

    def clean_no_kk(self) -> str:
        no_kk = _digits(self.cleaned_data.get("no_kk"))
        if problems := identity.no_kk_errors(no_kk):
            raise ValidationError(_first(problems))
        household = Household.objects.filter(no_kk=no_kk).only("pk", "district_id").first()
        if household is None:
            raise ValidationError(
                _("No household with this No. KK is in the registry of your kecamatan."),
                code="unknown",
            )
        if household.district_id != self.district_code:
            raise ValidationError(
                _outside_message(
                    _district_name(household.district_id), _district_name(self.district_code)
                ),
                code="outside_district",
            )
        self.household = registry.household_list(user=self.user).filter(pk=household.pk).first()
        if self.household is None:  # deleted from the registry
            raise ValidationError(
                _("No household with this No. KK is in the registry of your kecamatan."),
                code="unknown",
            )
        return no_kk

    def clean(self):
        data = super().clean()
        self.clean_location(data)
        if data.get("finding") == VisitFinding.FOUND and not data.get("still_eligible"):
            self.add_error("still_eligible", _("Say whether the household is still eligible."))
        household = self.household
        if household is None:
            return data
        members = registry.household_members(household)
        deceased_nik = _digits(data.get("deceased_nik"))
        data["deceased_nik"] = deceased_nik
        if deceased_nik:
            self.deceased_person = members.filter(nik=deceased_nik).first()
            if self.deceased_person is None:
                self.add_error("deceased_nik", _("No member of this household has this NIK."))
            elif self.deceased_person.deceased:
                self.add_error(
                    "deceased_nik", _("The registry already records this member as deceased.")
                )
            if not data.get("death_date"):
                self.add_error("death_date", _("Give the date of death."))
            elif (
                self.deceased_person
                and self.deceased_person.birth_date
                and data["death_date"] < self.deceased_person.birth_date
            ):
                self.add_error("death_date", _("The date of death is before the date of birth."))
        self._clean_new_member(data, household)
        return data

    def _clean_new_member(self, data, household) -> None:
        nik = _digits(data.get("new_member_nik"))
        data["new_member_nik"] = nik
        named = [
            n for n in ("new_member_name", "new_member_sex", "new_member_birth_date") if data.get(n)
        ]
        if not nik:
            if named:
                self.add_error("new_member_nik", _("NIK of a new member: enter the NIK."))
            return
        for name in ("new_member_name", "new_member_sex", "new_member_birth_date"):
            if not data.get(name) and name not in self.errors:
                self.add_error(
                    name,
                    _("%(field)s: this is needed for a new member.")
                    % {"field": self.fields[name].label},
                )
        member_fields = ("new_member_nik", "new_member_name", "new_member_sex")
        if any(name in self.errors for name in (*member_fields, "new_member_birth_date")):
            return
        person = Person(
            nik=nik,
            name=data["new_member_name"].strip(),
            sex=data["new_member_sex"],
            birth_date=data["new_member_birth_date"],
            village_id=household.village_id,
        )
        try:
            check_person(person)
        except DuplicateNikError as exc:
            existing = exc.existing
            if existing.household_id == household.pk:
                self.add_error("new_member_nik", _("This person is already a member."))
            elif existing.district_id != self.district_code:
                self.add_error(
                    "new_member_nik",
                    _outside_message(
                        _district_name(existing.district_id), _district_name(self.district_code)
                    ),
                )
            else:
                self.new_member_existing = existing
        except ValidationError as exc:
            for field, messages in exc.message_dict.items():
                target = {"nik": "new_member_nik", "birth_date": "new_member_birth_date"}.get(field)
                self.add_error(target, _first(messages))

    def village(self):
        return self.household.village if self.household else None

    def summary(self) -> str:
        finding = dict(VisitFinding.choices).get(self.cleaned_data["finding"], "")
        return _("Verification visit, %(village)s: %(finding)s") % {
            "village": self.household.village.name,
            "finding": finding,
        }


# --- (c) Aid distribution monitoring ------------------------------------------------------------


class NotReceivedReason(models.TextChoices):
    NOT_YET = "not_yet", gettext_lazy("Not yet distributed")
    NOT_LISTED = "not_listed", gettext_lazy("Name not on the distribution list")
    CARD = "card", gettext_lazy("Card or account problem")
    DOCUMENTS = "documents", gettext_lazy("Identity documents problem")
    CUT = "cut", gettext_lazy("Taken or cut by someone else")
    ABSENT = "absent", gettext_lazy("Recipient away, sick or moved")
    DECEASED = "deceased", gettext_lazy("Recipient died")
    OTHER = "other", gettext_lazy("Other")


class AidMonitoringForm(FieldForm):
    date_field = "monitored_on"
    village_field = None
    personal_fields = ("recipient_number", "note")
    field_order = ["monitored_on", "program", "year", "stage_number", "recipient_number"]

    monitored_on = PastDateField(label=gettext_lazy("Date of the monitoring"))
    program = forms.ModelChoiceField(
        label=gettext_lazy("Program"),
        queryset=Program.objects.none(),
        empty_label=gettext_lazy("Choose the program"),
    )
    year = forms.IntegerField(
        label=gettext_lazy("Year"),
        min_value=2000,
        max_value=2100,
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
    )
    stage_number = forms.IntegerField(
        label=gettext_lazy("Stage (tahap)"),
        min_value=1,
        max_value=12,
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
    )
    recipient_number = _number_field(
        gettext_lazy("NIK or No. KK of the recipient"),
        required=True,
        help_text=gettext_lazy("The NIK for a person, the No. KK for a household."),
    )
    received = forms.ChoiceField(
        label=gettext_lazy("Was the aid received?"),
        choices=[("yes", gettext_lazy("Yes")), ("no", gettext_lazy("No"))],
    )
    received_on = PastDateField(label=gettext_lazy("Date received"), required=False)
    amount_received = forms.DecimalField(
        label=gettext_lazy("Amount received (Rp)"),
        max_digits=14,
        decimal_places=0,
        min_value=0,
        required=False,
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
    )
    channel = forms.ChoiceField(
        label=gettext_lazy("Channel"),
        choices=[("", "---------"), *Channel.choices],
        required=False,
    )
    reason = forms.ChoiceField(
        label=gettext_lazy("Why not received"),
        choices=[("", "---------"), *NotReceivedReason.choices],
        required=False,
    )
    note = forms.CharField(
        label=gettext_lazy("Explanation"),
        max_length=1000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    enrollment = None
    disbursement = None

    def setup(self) -> None:
        field = self.fields["program"]
        field.queryset = program_selectors.program_list(user=self.user).order_by("code")
        field.error_messages["invalid_choice"] = _("Choose a program from the list.")

    def clean(self):
        data = super().clean()
        received = data.get("received")
        if received == "yes":
            if not data.get("received_on"):
                self.add_error("received_on", _("Date received: give the date."))
            if not data.get("channel"):
                self.add_error("channel", _("Channel: say how the aid was received."))
        elif received == "no":
            if not data.get("reason"):
                self.add_error("reason", _("Why not received: choose a reason."))
            elif data["reason"] == NotReceivedReason.OTHER and not data.get("note", "").strip():
                self.add_error("note", _("Explanation: describe the other reason."))
        program, number = data.get("program"), _digits(data.get("recipient_number"))
        data["recipient_number"] = number
        if program is None or not number or "year" not in data or "stage_number" not in data:
            return data
        if not (number.isdigit() and len(number) == 16):
            self.add_error("recipient_number", _("A NIK or No. KK has 16 digits."))
            return data
        self._find_disbursement(data, program, number)
        return data

    def _find_disbursement(self, data, program, number) -> None:
        wanted = Q(person__nik=number) | Q(household__no_kk=number)
        anywhere = (
            Enrollment.objects.filter(program=program)
            .filter(wanted)
            .order_by("-start_date")
            .values_list("pk", "district_id")
            .first()
        )
        if anywhere is None:
            self.add_error(
                "recipient_number",
                _("No recipient of %(program)s has this NIK or No. KK.")
                % {"program": program.code},
            )
            return
        if anywhere[1] != self.district_code:
            self.add_error(
                "recipient_number",
                _outside_message(_district_name(anywhere[1]), _district_name(self.district_code)),
            )
            return
        self.enrollment = (
            program_selectors.enrollment_list(user=self.user).filter(pk=anywhere[0]).first()
        )
        disbursement = (
            program_selectors.disbursement_list(user=self.user)
            .filter(
                enrollment_id=anywhere[0],
                stage__year=data["year"],
                stage__number=data["stage_number"],
            )
            .select_related("stage")
            .first()
        )
        if self.enrollment is None or disbursement is None:
            self.add_error(
                "stage_number",
                _("No disbursement of stage %(stage)s %(year)s is planned for this recipient.")
                % {"stage": data["stage_number"], "year": data["year"]},
            )
            return
        self.disbursement = disbursement

    def village(self):
        return self.disbursement.village if self.disbursement else None

    def summary(self) -> str:
        data = self.cleaned_data
        state = _("received") if data["received"] == "yes" else _("not received")
        return _("%(program)s stage %(stage)s %(year)s: %(state)s") % {
            "program": data["program"].code,
            "stage": data["stage_number"],
            "year": data["year"],
            "state": state,
        }
