"""Permission-matrix samples of the programs (see permission_matrix.py).

Data of kecamatan B (Malingping): a household enrolled in a program, with a stage and a planned
disbursement, and a KUBE group. TKSK A (Rangkasbitung) must reach none of it."""

from django.utils import timezone

from programs import services
from programs.models import Program, ProgramImport, Stage

from .factories.programs import make_household, make_person, make_program, make_stage
from .permission_matrix import Sample, sample

RECIPIENT_B_NAME = "Matriks Penerimabeta"
GROUP_B_NAME = "KUBE Matriks Beta"


def _program() -> Program:
    return Program.objects.filter(code="MATRIKS").first() or make_program("MATRIKS")


def _enrollment_b(ctx):
    program = _program()
    household = make_household(ctx.village_b, members=[])
    make_person(household, name=RECIPIENT_B_NAME)
    today = timezone.localdate()
    enrollment = services.enrollment_create(
        actor=ctx.users["admin"],
        program=program,
        household=household,
        start_date=today,
        status="aktif",
        decree_number="460/Matriks",
        decree_date=today,
    )
    stage = Stage.objects.filter(program=program).first() or make_stage(program, today.year, 1)
    services.disbursements_plan(actor=ctx.users["admin"], stage=stage)
    return enrollment


@sample(
    "programs:enrollment_detail",
    "programs:enrollment_transition",
    "programs:enrollment_replace",
    "api:enrollment-detail",
)
def enrollment_of_b(ctx):
    enrollment = _enrollment_b(ctx)
    return Sample(kwargs={"pk": enrollment.pk}, scoped=True, personal=[RECIPIENT_B_NAME])


@sample(
    "programs:enrollment_list",
    "programs:enrollment_export",
    "programs:targeting_inclusion",
    "api:enrollment-list",
)
def enrollment_list_b(ctx):
    _enrollment_b(ctx)
    return Sample(scoped=True, marker=RECIPIENT_B_NAME, personal=[RECIPIENT_B_NAME])


@sample(
    "programs:program_detail",
    "programs:program_realization",
    "programs:program_recap_export",
    "programs:enrollment_add",
    "programs:candidates",
    "api:program-detail",
    "api:program-stats",
)
def program_with_b(ctx):
    enrollment = _enrollment_b(ctx)
    return Sample(kwargs={"code": enrollment.program.code}, personal=[RECIPIENT_B_NAME])


@sample("programs:stage_plan")
def stage_of_program(ctx):
    enrollment = _enrollment_b(ctx)
    stage = Stage.objects.filter(program=enrollment.program).first()
    return Sample(kwargs={"code": enrollment.program.code, "stage_id": stage.pk})


@sample("programs:group_detail")
def group_of_b(ctx):
    program = Program.objects.filter(code="KUBE-MATRIKS").first() or make_program(
        "KUBE-MATRIKS", unit="group"
    )
    households = [make_household(ctx.village_b) for _n in range(3)]
    group = services.group_create(
        actor=ctx.users["admin"],
        program=program,
        name=GROUP_B_NAME,
        village=ctx.village_b,
        business_type="Ternak",
        households=households,
    )
    return Sample(kwargs={"pk": group.pk}, scoped=True)


@sample("programs:group_list")
def group_list_b(ctx):
    group_of_b(ctx)
    return Sample(scoped=True, marker=GROUP_B_NAME)


@sample("programs:targeting_exclusion")
def exclusion_b(ctx):
    household = make_household(ctx.village_b, desil=1, address="Kp. Matriks Beta No. 9")
    return Sample(scoped=True, marker=household.no_kk)


def _program_import(ctx) -> ProgramImport:
    return ProgramImport.objects.create(
        kind=ProgramImport.Kind.ENROLLMENTS,
        program=_program(),
        bidang=_program().bidang,
        file_name="penerima-kecamatan-b.csv",
        created_by=ctx.users["admin"],
    )


@sample(
    "programs:import_detail",
    "api:program-import-detail",
    "api:program-import-report",
    "api:program-import-rejected",
)
def program_import(ctx):
    return Sample(kwargs={"pk": _program_import(ctx).pk})


@sample("programs:import_download")
def program_import_file(ctx):
    return Sample(kwargs={"pk": _program_import(ctx).pk, "kind": "laporan"})
