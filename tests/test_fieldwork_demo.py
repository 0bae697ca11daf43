"""The demo of field work: the 28 demo TKSK accounts get their assignments, the registry
matches the LKjIP's shape, field forms exist in every state, and a second run changes nothing."""

import io

import pytest
from django.utils import timezone

from accounts import demo as accounts_demo
from accounts.access import Role
from accounts.models import User
from fieldwork import demo, selectors
from fieldwork.models import DisasterIncident, PsksPerson, Submission, TkskAssignment

pytestmark = pytest.mark.django_db


def test_demo_is_complete_consistent_and_idempotent(regions):
    out = io.StringIO()
    accounts_demo.seed(stdout=out)
    demo.seed(stdout=out)
    counts = (
        PsksPerson.objects.count(),
        Submission.objects.count(),
        TkskAssignment.objects.count(),
    )
    tksk_accounts = User.objects.filter(role=Role.TKSK, username__startswith="tksk.")
    assert tksk_accounts.count() == 28
    for account in tksk_accounts:
        assignment = TkskAssignment.objects.get(person__user=account, ended_on=None)
        assert assignment.district_id == account.district_id and account.is_active
    assert selectors.tksk_account_mismatches() == []
    statuses = set(Submission.objects.values_list("status", flat=True))
    assert statuses == {"submitted", "returned", "resubmitted", "approved", "rejected"}
    assert DisasterIncident.objects.count() >= 2
    admin = User.objects.get(username="admin")
    # Last year (the demo LKjIP's year) has its approved incidents: the LKjIP table of victims
    # per kecamatan and type is not a page of zeros.
    last_year = timezone.localdate().year - 1
    victims = selectors.disaster_victims(user=admin, year=last_year)
    assert victims.total == sum(d[4] for d in demo.LAST_YEAR_DISASTERS) == 264
    assert sum(1 for row in victims.rows if row.total) == len(demo.LAST_YEAR_DISASTERS)
    assert all(victims.totals[key] for key, _label in victims.columns)
    last_year_forms = Submission.objects.filter(event_date__year=last_year)
    assert set(last_year_forms.values_list("status", flat=True)) == {"approved"}
    assert all(s.reviewed_at.year == last_year for s in last_year_forms)
    assert selectors.psks_worker_recap(user=admin).totals["tksk"] == 28
    assert selectors.psks_worker_recap(user=admin).totals["tksk_certified"] == 11
    assert selectors.lks_recap(user=admin).totals == {
        "total": 40,
        "accredited": 5,
        "expired": 11,
        "never": 24,
    }
    # The demo office has a logo for the LKjIP cover (an image Pillow reads), made once.
    from PIL import Image

    from welfare.selectors import agency_get

    logo = agency_get().logo
    with logo.open("rb") as handle:
        assert Image.open(handle).format == "PNG"
    accounts_demo.seed(stdout=out)
    assert agency_get().logo.name == logo.name
    demo.seed(stdout=out)
    assert counts == (
        PsksPerson.objects.count(),
        Submission.objects.count(),
        TkskAssignment.objects.count(),
    )
