"""Permission-matrix samples of the registry (see permission_matrix.py).

A household and its members in kecamatan B (Malingping); TKSK A (Rangkasbitung) must reach
none of them, lists must not show them, and API clients must never receive their NIK, No. KK
or names."""

import datetime

from beneficiaries import services
from beneficiaries.models import ImportBatch

from .factories.beneficiaries import HouseholdFactory, PersonFactory, category
from .permission_matrix import Sample, sample

PERSON_B_NAME = "Matriks Wargabeta"


def _household_b(ctx):
    household = HouseholdFactory(village=ctx.village_b)
    person = PersonFactory(household=household, name=PERSON_B_NAME)
    return household, person


@sample(
    "beneficiaries:household_detail",
    "beneficiaries:household_edit",
    "beneficiaries:household_delete",
    "beneficiaries:household_restore",
    "beneficiaries:household_placement_add",
    "api:household-detail",
)
def household_of_b(ctx):
    household, person = _household_b(ctx)
    return Sample(
        kwargs={"pk": household.pk},
        scoped=True,
        personal=[household.no_kk, person.nik, PERSON_B_NAME],
    )


@sample(
    "beneficiaries:person_detail",
    "beneficiaries:person_edit",
    "beneficiaries:person_delete",
    "beneficiaries:person_restore",
    "beneficiaries:person_deceased",
    "beneficiaries:person_placement_add",
    "api:person-detail",
)
def person_of_b(ctx):
    _household, person = _household_b(ctx)
    return Sample(kwargs={"pk": person.pk}, scoped=True, personal=[person.nik, PERSON_B_NAME])


@sample("beneficiaries:placement_transition")
def placement_of_b(ctx):
    household, _person = _household_b(ctx)
    placement = services.placement_create(
        actor=ctx.users["admin"],
        category=category("fakir_miskin"),
        household=household,
        identified_on=datetime.date(2026, 1, 5),
    )
    return Sample(kwargs={"pk": placement.pk}, scoped=True)


@sample(
    "beneficiaries:person_list",
    "beneficiaries:household_list",
    "beneficiaries:duplicates",
    "api:person-list",
    "api:household-list",
)
def registry_lists(ctx):
    household, person = _household_b(ctx)
    PersonFactory(household=household, name=PERSON_B_NAME, birth_date=person.birth_date)
    return Sample(scoped=True, marker=PERSON_B_NAME, personal=[person.nik, household.no_kk])


@sample("beneficiaries:import_detail", "api:registry-import-detail")
def import_batch(ctx):
    batch = ImportBatch.objects.create(file_name="kecamatan-b.csv", created_by=ctx.users["admin"])
    return Sample(kwargs={"pk": batch.pk})


@sample("beneficiaries:import_download")
def import_file(ctx):
    batch = ImportBatch.objects.create(file_name="kecamatan-b.csv", created_by=ctx.users["admin"])
    return Sample(kwargs={"pk": batch.pk, "kind": "laporan"})
