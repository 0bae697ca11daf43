"""The access rules themselves: role matrix, region scope, bidang scope, personal data."""

import pytest
from django.core.exceptions import ImproperlyConfigured, PermissionDenied
from django.http import Http404

from accounts.access import (
    Action,
    Domain,
    access_object,
    can_view_personal,
    check_bidang,
    check_district,
    has_permission,
    restrict,
    stats_district_codes,
    suppress_small_counts,
)
from accounts.models import Bidang, User
from regions.models import District
from welfare.models import Job


@pytest.mark.django_db
def test_role_matrix(users):
    assert has_permission(users["admin"], Domain.ADMIN, Action.CHANGE)
    assert has_permission(users["kepala_dinas"], Domain.PERFORMANCE, Action.APPROVE)
    assert not has_permission(users["kepala_dinas"], Domain.REGISTRY, Action.CHANGE)
    assert has_permission(users["kepala_bidang"], Domain.PROGRAMS, Action.APPROVE)
    assert has_permission(users["operator"], Domain.REGISTRY, Action.IMPORT)
    assert not has_permission(users["operator"], Domain.PERFORMANCE, Action.APPROVE)
    assert has_permission(users["tksk"], Domain.FIELDWORK, Action.ADD)
    assert not has_permission(users["tksk"], Domain.REGISTRY, Action.CHANGE)
    assert not has_permission(users["tksk"], Domain.PERFORMANCE, Action.VIEW)
    for domain in Domain:
        for action in (Action.ADD, Action.CHANGE, Action.DELETE, Action.APPROVE, Action.IMPORT):
            assert not has_permission(users["auditor"], domain, action), (domain, action)
    assert has_permission(users["auditor"], Domain.AUDIT, Action.VIEW)
    assert has_permission(users["api_client"], Domain.REGISTRY, Action.STATS)
    assert not has_permission(users["api_client"], Domain.AUDIT, Action.VIEW)


@pytest.mark.django_db
def test_inactive_and_anonymous_users_get_nothing(users):
    from django.contrib.auth.models import AnonymousUser

    users["admin"].is_active = False
    assert not has_permission(users["admin"], Domain.REGIONS, Action.VIEW)
    assert not restrict(District.objects.all(), AnonymousUser()).exists()


@pytest.mark.django_db
def test_restrict_refuses_a_model_without_policy():
    from django.contrib.contenttypes.models import ContentType

    with pytest.raises(ImproperlyConfigured):
        restrict(ContentType.objects.all(), None)


@pytest.mark.django_db
def test_owner_scoped_jobs(users):
    mine = Job.objects.create(kind="x", title="mine", created_by=users["operator"])
    Job.objects.create(kind="x", title="theirs", created_by=users["kepala_bidang"])
    assert list(restrict(Job.objects.all(), users["operator"])) == [mine]
    assert restrict(Job.objects.all(), users["admin"]).count() == 2
    assert restrict(Job.objects.all(), users["auditor"]).count() == 2
    with pytest.raises(Http404):
        access_object(users["operator"], Job.objects.all(), pk=Job.objects.get(title="theirs").pk)


@pytest.mark.django_db
def test_region_checks_for_writes(users, district_a, district_b):
    check_district(users["tksk"], district_a.code)
    with pytest.raises(PermissionDenied):
        check_district(users["tksk"], district_b.code)
    check_district(users["operator"], district_b.code)  # staff work regency-wide
    assert stats_district_codes(users["tksk"]) == [district_a.code]
    assert stats_district_codes(users["kepala_dinas"]) is None


@pytest.mark.django_db
def test_bidang_checks_for_writes(users):
    check_bidang(users["operator"], users["operator"].bidang_id)
    with pytest.raises(PermissionDenied):
        check_bidang(users["operator"], Bidang.objects.get(code="rehsos").pk)
    check_bidang(users["admin"], Bidang.objects.get(code="rehsos").pk)


@pytest.mark.django_db
def test_personal_data_visibility(users):
    assert can_view_personal(users["operator"])
    assert can_view_personal(users["tksk"])
    assert not can_view_personal(users["kepala_dinas"])
    assert not can_view_personal(users["auditor"])
    assert not can_view_personal(users["api_client"])
    assert suppress_small_counts(users["api_client"])
    assert not suppress_small_counts(users["operator"])


@pytest.mark.django_db
def test_tksk_must_have_a_kecamatan(regions):
    from django.core.exceptions import ValidationError

    user = User(username="x", role="tksk")
    with pytest.raises(ValidationError) as error:
        user.full_clean()
    assert "district" in error.value.message_dict
