"""The narrative sections of the LKjIP: written by staff per year, starting from a template.

A template may use ``{agency}``, ``{regency}``, ``{year}``, ``{next_year}``, ``{renstra}``; the
editor opens on the template filled in, and the report uses the template until staff save a
text. Per-sasaran analysis sections are ``sasaran:<code>`` for the sasaran of the year's Renstra.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class Section:
    key: str
    label: str
    template: str


SECTIONS: tuple[Section, ...] = (
    Section(
        "kata_pengantar",
        _("Foreword (Kata Pengantar)"),
        _(
            "The Government Agency Performance Report (LKjIP) of {agency} for {year} is "
            "prepared on the basis of the Performance Agreement of {year}. It is a form of "
            "public accountability for carrying out the tasks and functions and for the use of "
            "the budget entrusted to the agency.\n\nIts purpose is to describe the level of "
            "achievement of the agency's targets as measured by the indicators set, as a "
            "reference for improving performance in the coming years."
        ),
    ),
    Section(
        "ringkasan",
        _("Executive summary: introduction"),
        _(
            "Through this performance report {agency} accounts for the successes and failures "
            "in carrying out its mandate in {year}, as set out in the {renstra}. The main "
            "results are the following."
        ),
    ),
    Section(
        "gambaran_umum",
        _("General overview and organisation"),
        _(
            "{agency} is a regional government unit of {regency} that carries out government "
            "affairs in the social field. Describe here its legal basis, its organisation "
            "structure and the cascading of performance."
        ),
    ),
    Section(
        "tugas_fungsi",
        _("Tasks and functions"),
        _("Describe the main tasks and functions of the office and of each division (bidang)."),
    ),
    Section(
        "sdm",
        _("Human resources"),
        _("Describe the staff of the office by rank, education and gender."),
    ),
    Section(
        "isu_strategis",
        _("Strategic issues"),
        _("Describe the strategic issues the office faced in {year}."),
    ),
    Section(
        "tindak_lanjut",
        _("Follow-up of the last SAKIP evaluation"),
        _(
            "Describe the recommendations of the last SAKIP evaluation report (LHE) and how "
            "they were followed up."
        ),
    ),
    Section(
        "strategi",
        _("Strategy and policy direction"),
        _("Describe the strategy and policy direction of the {renstra}."),
    ),
    Section(
        "permasalahan",
        _("Problems and causes"),
        _("Describe the problems met in reaching the targets of {year} and their causes."),
    ),
    Section(
        "solusi",
        _("Solutions"),
        _("Describe the solutions taken or planned for the problems above."),
    ),
    Section(
        "rekomendasi",
        _("Recommendations"),
        _("Describe the recommendations for {next_year}."),
    ),
    Section(
        "kesimpulan",
        _("Conclusion"),
        _("The figures above sum up the performance of {agency} in {year}."),
    ),
    Section(
        "langkah_perbaikan",
        _("Steps to improve performance"),
        _("Describe the steps the office will take in {next_year} to improve its performance."),
    ),
)

SASARAN_PREFIX = "sasaran:"
SASARAN_TEMPLATE = _(
    "Describe here the analysis of the causes of the achievement of this objective, the "
    "obstacles met and the supporting factors."
)


def section_keys(sasaran_codes) -> list[str]:
    return [s.key for s in SECTIONS] + [SASARAN_PREFIX + code for code in sasaran_codes]


def section_label(key: str, sasaran_names: dict | None = None) -> str:
    for section in SECTIONS:
        if section.key == key:
            return str(section.label)
    if key.startswith(SASARAN_PREFIX):
        code = key.removeprefix(SASARAN_PREFIX)
        name = (sasaran_names or {}).get(code, code)
        return str(_("Analysis of objective %(name)s")) % {"name": name}
    return key


def template_for(key: str, context: dict) -> str:
    raw = next((s.template for s in SECTIONS if s.key == key), SASARAN_TEMPLATE)
    text = str(raw)
    for name, value in context.items():
        text = text.replace("{" + name + "}", str(value))
    return text
