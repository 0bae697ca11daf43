"""Samples for the foundation's own URLs (see permission_matrix.py)."""

from django.contrib.auth.hashers import make_password

from accounts.access import Role
from welfare.models import Job

from .factories import make_user
from .permission_matrix import Sample, sample


@sample("regions:district_detail")
def district_b_page(ctx):
    return Sample(kwargs={"code": ctx.district_b.code})  # public reference data


@sample("api:district-detail")
def district_b_api(ctx):
    return Sample(kwargs={"pk": ctx.district_b.code}, scoped=False)


@sample("api:village-detail")
def village_b_api(ctx):
    return Sample(kwargs={"pk": ctx.village_b.code}, scoped=False)


@sample("api:regency-detail")
def regency_api(ctx):
    return Sample(kwargs={"pk": "36.02"})


@sample("api:province-detail")
def province_api(ctx):
    return Sample(kwargs={"pk": "36"})


@sample("accounts:user_edit", "accounts:user_token")
def other_user(ctx):
    user = make_user(Role.OPERATOR, username="matrix.target", bidang_code="dayasos")
    user.password = make_password(None)
    return Sample(kwargs={"pk": user.pk})


@sample("job_detail", "job_download", "job_retry", "api:job-detail")
def job_of_b(ctx):
    # A job started by the TKSK of kecamatan B: nobody else but admins and auditors sees it.
    job = Job.objects.create(kind="noop", title="Matrix job", created_by=ctx.users["tksk_b"])
    return Sample(kwargs={"pk": job.pk}, scoped=True)
