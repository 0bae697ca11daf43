"""The field form kinds that need neither the registry nor the programs (registered on start).

(d) disaster incident, (e) case referral and its follow-up, (f) the monthly activity report.
The kinds (a) new PPKS, (b) household verification visit and (c) aid distribution monitoring
are registered by ``beneficiaries`` and ``programs`` (see ``fieldwork.kinds``).
"""

from django.utils.translation import gettext_lazy as _

from . import services
from .field_forms import (
    DisasterIncidentForm,
    MonthlyReportForm,
    ReferralFollowUpForm,
    ReferralForm,
)
from .kinds import (
    KIND_DISASTER,
    KIND_MONTHLY_REPORT,
    KIND_REFERRAL,
    KIND_REFERRAL_FOLLOWUP,
    SUBJECT_NIK,
    SUBJECT_REFERRAL,
    PhotoField,
    SubmissionKind,
    register_kind,
)


def register() -> None:
    register_kind(
        SubmissionKind(
            code=KIND_DISASTER,
            label=_("Disaster incident"),
            description=_(
                "A flood, landslide, whirlwind, fire or earthquake: victims, damaged houses "
                "and urgent needs."
            ),
            icon="cloud-lightning-rain",
            form_class=DisasterIncidentForm,
            bidang_code="linjamsos",
            photos=(
                PhotoField(
                    "photos",
                    _("Photos of the incident"),
                    max_count=5,
                    keep_location=True,
                    help_text=_("The position where a photo was taken is kept."),
                ),
            ),
            apply=services.disaster_incident_apply,
            order=40,
        )
    )
    register_kind(
        SubmissionKind(
            code=KIND_REFERRAL,
            label=_("Case referral"),
            description=_(
                "A person referred to rehabilitation, health aid, house repair (RTLH) or "
                "another service."
            ),
            icon="signpost-split",
            form_class=ReferralForm,
            bidang_code="rehsos",
            photos=(PhotoField("photos", _("Photos"), max_count=3),),
            apply=services.referral_apply,
            subject_fields=(("nik", SUBJECT_NIK),),
            order=50,
        )
    )
    register_kind(
        SubmissionKind(
            code=KIND_REFERRAL_FOLLOWUP,
            label=_("Referral follow-up"),
            description=_("What happened to a case you referred."),
            icon="arrow-repeat",
            form_class=ReferralFollowUpForm,
            bidang_code="rehsos",
            photos=(PhotoField("photos", _("Photos"), max_count=3),),
            apply=services.referral_followup_apply,
            subject_fields=(("referral", SUBJECT_REFERRAL),),
            order=55,
        )
    )
    register_kind(
        SubmissionKind(
            code=KIND_MONTHLY_REPORT,
            label=_("Monthly activity report"),
            description=_("The month's work, assembled from your daily entries."),
            icon="calendar-check",
            form_class=MonthlyReportForm,
            bidang_code="dayasos",
            on_submit=services.monthly_report_assemble,
            on_reject=services.monthly_report_release,
            periodic=True,
            order=60,
        )
    )
