"""The LKjIP (Laporan Kinerja Instansi Pemerintah): document builder and pre-generation check.

Structure after PermenPANRB 53/2014 and the Lebak LKjIP 2025 (shared/reference): cover, Kata
Pengantar, Ringkasan Eksekutif, Daftar Isi/Tabel/Grafik, BAB I Pendahuluan, BAB II Perencanaan
Kinerja, BAB III Akuntabilitas Kinerja, BAB IV Penutup, Lampiran. Every figure comes from the
selectors of ``performance`` (``year_summary``, ``budget_tree``, ``trend``, ``agreement_table``,
``renstra_structure``, ``spm_summary``) and the tables contributed through
``reports.contributions`` (fieldwork's tables are registered in ``reports.builtin_tables``).
The document is built in Bahasa Indonesia whatever the user's language.
"""

from __future__ import annotations

import hashlib
from collections import defaultdict
from decimal import Decimal

from django.utils import timezone, translation
from django.utils.translation import gettext as _

from performance import calculations as calc
from performance import selectors as perf
from welfare.jobs import JobError
from welfare.selectors import agency_get

from . import charts, sentences
from .contributions import contributions
from .document import DocumentBuilder
from .kinds import Problem
from .models import Narrative
from .narratives import SASARAN_PREFIX, SECTIONS, template_for
from .tables import TableData, num, pct, rp, span, text, val

QUARTERS = ("I", "II", "III", "IV")


def _h(label: str, **spans) -> dict:
    return span(text(label), **spans)


def _agency_meta() -> dict:
    agency = agency_get()
    logo_hash = ""
    if agency.logo:
        try:
            with agency.logo.open("rb") as handle:
                logo_hash = hashlib.sha256(handle.read()).hexdigest()
        except OSError:
            logo_hash = ""
    return {
        "agency": agency.name,
        "regency": agency.regency.name.title() if agency.regency_id else "",
        "address": agency.address,
        "head_name": agency.head_name,
        "head_nip": agency.head_nip,
        "head_title": agency.head_title or _("Head of Office"),
        "logo": agency.logo.name if agency.logo else "",
        "logo_sha256": logo_hash,
    }


def narrative_texts(year: int, context: dict, keys: list[str]) -> dict[str, str]:
    saved = {
        n.section: n.text
        for n in Narrative.objects.filter(kind="lkjip", year=year, section__in=keys)
    }
    return {key: saved.get(key) or template_for(key, context) for key in keys}


class LkjipBuilder:
    def __init__(self, *, year: int, user, progress) -> None:
        self.year = year
        self.user = user
        self.progress = progress

    # --- data -----------------------------------------------------------------------------
    def load(self) -> None:
        self.summary = perf.year_summary(year=self.year)
        if self.summary is None:
            raise JobError(
                _("No Renstra covers %(year)s: there is nothing to report.") % {"year": self.year}
            )
        self.progress(10, _("Reading the figures"))
        self.tree = perf.budget_tree(year=self.year)
        self.trend = perf.trend(end_year=self.year)
        self.agreements = perf.agreement_table(year=self.year, level="sasaran")
        self.agreements_all = perf.agreement_table(year=self.year)
        self.structure = perf.renstra_structure(self.summary.renstra)
        self.meta = _agency_meta()
        renstra = self.summary.renstra
        self.context = {
            "agency": self.meta["agency"],
            "regency": self.meta["regency"] or "-",
            "year": self.year,
            "next_year": self.year + 1,
            "renstra": f"Renstra {renstra.start_year}-{renstra.end_year}",
        }
        sasaran_keys = [SASARAN_PREFIX + s.sasaran.code for s in self.summary.sasaran]
        self.texts = narrative_texts(
            self.year, self.context, [s.key for s in SECTIONS] + sasaran_keys
        )
        self.progress(25, _("Figures read"))

    # --- the document ----------------------------------------------------------------------
    def build(self) -> dict:
        with translation.override("id"):
            self.load()
            meta = {
                **self.meta,
                "title": _("Government Agency Performance Report (LKjIP)"),
                "year": self.year,
                "renstra": self.context["renstra"],
            }
            self.doc = DocumentBuilder(kind="lkjip", year=self.year, meta=meta)
            self.front_matter()
            self.chapter_1()
            self.chapter_2()
            self.progress(40, _("Chapter III"))
            self.chapter_3()
            self.chapter_4()
            self.annex()
            self.progress(55, _("Document assembled"))
            return self.doc.doc

    def front_matter(self) -> None:
        doc, s = self.doc, self.summary
        doc.front("front", _("Foreword"))
        doc.narrative("kata_pengantar", self.texts["kata_pengantar"])
        doc.add({"type": "signature", "place": self.meta["regency"]})
        doc.front("front", _("Executive Summary"))
        doc.narrative("ringkasan", self.texts["ringkasan"])
        items = [sentences.year_sentence(s)]
        items += [sentences.sasaran_sentence(i, r) for i, r in enumerate(s.sasaran, 1)]
        items.append(sentences.budget_sentence(s.budget.total, self.year))
        doc.items(items)
        doc.front("toc", _("Table of Contents"))
        doc.front("lot", _("List of Tables"))
        doc.front("loc", _("List of Charts"))

    def chapter_1(self) -> None:
        doc = self.doc
        doc.chapter_start("I", 1, _("INTRODUCTION"))
        for key, title in (
            ("gambaran_umum", _("General Overview")),
            ("tugas_fungsi", _("Tasks and Functions")),
            ("sdm", _("Human Resources")),
            ("isu_strategis", _("Strategic Issues")),
            ("tindak_lanjut", _("Follow-up of the Last SAKIP Evaluation")),
        ):
            doc.heading(2, title)
            doc.narrative(key, self.texts[key])
        doc.heading(2, _("Outline of the Report"))
        doc.items(
            [
                _(
                    "Chapter I Introduction: the organisation, its tasks, staff and strategic "
                    "issues."
                ),
                _(
                    "Chapter II Performance Planning: the Renstra, the IKU and the Performance "
                    "Agreement."
                ),
                _(
                    "Chapter III Performance Accountability: measurement, analysis, efficiency, "
                    "budget and SPM."
                ),
                _("Chapter IV Closing: conclusion and steps to improve performance."),
            ]
        )

    def chapter_2(self) -> None:
        doc, renstra = self.doc, self.summary.renstra
        doc.chapter_start("II", 2, _("PERFORMANCE PLANNING"))
        doc.heading(2, _("Strategic Plan (Renstra)"))
        doc.heading(3, _("Vision and Mission"))
        doc.p(_("Vision: %(vision)s") % {"vision": renstra.vision or "-"})
        doc.p(_("Mission: %(mission)s") % {"mission": renstra.mission or "-"})
        doc.heading(3, _("Goals and Objectives"))
        table = TableData(
            key="tujuan_sasaran",
            title=_("Goals and Objectives of the %(renstra)s") % self.context,
            header=[[_h("No."), _h(_("Goal")), _h(_("Objective")), _h(_("Indicator"))]],
            widths=[5, 35, 35, 25],
        )
        for index, item in enumerate(self.structure, 1):
            for sasaran in item["sasaran"] or [{"sasaran": None, "indicators": []}]:
                names = "; ".join(r["indicator"].name for r in sasaran["indicators"])
                table.add(
                    text(index),
                    text(item["tujuan"].name),
                    text(sasaran["sasaran"].name if sasaran["sasaran"] else "-"),
                    text(names or "-"),
                )
        doc.table(table)
        doc.heading(3, _("Strategy, Policy Direction and Programs"))
        doc.narrative("strategi", self.texts["strategi"])
        doc.table(self.structure_table())
        doc.heading(3, _("Key Performance Indicators"))
        doc.table(self.iku_table())
        doc.heading(2, _("Performance Agreement %(year)s") % {"year": self.year})
        doc.p(
            _("The Performance Agreement of %(year)s and its revisions are the following.")
            % {"year": self.year}
        )
        doc.table(self.agreement_table())

    def structure_table(self) -> TableData:
        table = TableData(
            key="struktur_program",
            title=_("Programs, Activities and Sub-activities of %(year)s") % self.context,
            header=[
                [
                    _h(_("Code")),
                    _h(_("Program / Activity / Sub-activity")),
                    _h(_("Objective")),
                    _h(_("Ceiling before revision (Rp)")),
                    _h(_("Ceiling after revision (Rp)")),
                ]
            ],
            orientation="landscape",
        )
        for program in self.tree:
            figures = program.budget
            table.add(
                text(program.item.code, bold=True),
                text(program.item.name, bold=True),
                text(program.sasaran.name if program.sasaran else "-"),
                rp(figures.pagu_murni if figures else None),
                rp(figures.pagu_perubahan if figures else None),
                style="group",
            )
            for kegiatan in program.children:
                table.add(
                    text(kegiatan.item.code),
                    text(kegiatan.item.name, indent=1),
                    text(""),
                    rp(kegiatan.budget.pagu_murni if kegiatan.budget else None),
                    rp(kegiatan.budget.pagu_perubahan if kegiatan.budget else None),
                )
                for sub in kegiatan.children:
                    table.add(
                        text(sub.item.code),
                        text(sub.item.name, indent=2),
                        text(""),
                        rp(sub.budget.pagu_murni if sub.budget else None),
                        rp(sub.budget.pagu_perubahan if sub.budget else None),
                    )
        total = self.summary.budget.total
        table.add(
            _h(_("Total"), cols=3), rp(total.pagu_murni), rp(total.pagu_perubahan), style="total"
        )
        return table

    def iku_table(self) -> TableData:
        renstra = self.summary.renstra
        years = list(renstra.years)
        table = TableData(
            key="iku",
            title=_("Key Performance Indicators (IKU) of the %(renstra)s") % self.context,
            header=[
                [
                    _h(_("No."), rows=2),
                    _h(_("Objective"), rows=2),
                    _h(_("Indicator"), rows=2),
                    _h(_("Unit"), rows=2),
                    _h(_("Formula"), rows=2),
                    _h(_("Target"), cols=len(years)),
                ],
                [_h(str(y)) for y in years],
            ],
            orientation="landscape",
        )
        number = 0
        for item in self.structure:
            for sasaran in item["sasaran"]:
                for row in sasaran["indicators"]:
                    number += 1
                    indicator = row["indicator"]
                    table.add(
                        text(number),
                        text(sasaran["sasaran"].name),
                        text(indicator.name),
                        text(indicator.unit),
                        text(indicator.formula or "-"),
                        *[val(v) for v in row["targets"]],
                    )
        return table

    def agreement_table(self) -> TableData:
        agreements = self.agreements["agreements"]
        table = TableData(
            key="perjanjian_kinerja",
            title=_("Performance Agreement %(year)s (original and revisions)") % self.context,
            header=[
                [
                    _h(_("No.")),
                    _h(_("Objective")),
                    _h(_("Indicator")),
                    _h(_("Unit")),
                    *[_h(_("Target %(label)s") % {"label": a.label}) for a in agreements],
                    _h(_("Changed")),
                ]
            ],
        )
        for index, row in enumerate(self.agreements["rows"], 1):
            indicator = row["indicator"]
            table.add(
                text(index),
                text(indicator.sasaran.name if indicator.sasaran_id else "-"),
                text(indicator.name),
                text(indicator.unit),
                *[val(t.target if t else None) for t in row["columns"]],
                text(_("Yes") if row["changed"] else _("No")),
            )
        if not agreements:
            table.note = _("No Performance Agreement was recorded for %(year)s.") % self.context
        return table

    # --- BAB III ---------------------------------------------------------------------------
    def chapter_3(self) -> None:
        doc, s = self.doc, self.summary
        doc.chapter_start("III", 3, _("PERFORMANCE ACCOUNTABILITY"))
        doc.heading(2, _("Organisational Performance"))
        doc.heading(3, _("Performance Measurement"))
        doc.p(
            _(
                "The achievement of an indicator is its realization divided by its target times "
                "100%; for an indicator where less is better the target is divided by the "
                "realization. The rating follows the scale below."
            )
        )
        doc.table(self.rating_table())
        doc.table(self.comparison_table())
        doc.items([sentences.sasaran_sentence(i, r) for i, r in enumerate(s.sasaran, 1)])
        doc.p(sentences.year_sentence(s))
        doc.table(self.quarter_table())
        doc.table(self.end_target_table())
        points = self.trend.points
        doc.chart(
            charts.chart(
                "iku_trend",
                _("Average IKU achievement %(start)s-%(end)s")
                % {"start": points[0].year, "end": points[-1].year},
                "line",
                [p.year for p in points],
                [
                    (
                        _("IKU achievement (%)"),
                        [p.capaian.value if p.capaian else None for p in points],
                    )
                ],
            )
        )
        doc.heading(3, _("Analysis of Performance Achievement"))
        programs_by_sasaran: dict[int | None, list] = defaultdict(list)
        for node in self.tree:
            programs_by_sasaran[node.sasaran.pk if node.sasaran else None].append(node)
        for index, sasaran_result in enumerate(s.sasaran, 1):
            self.progress(40 + int(10 * index / max(1, len(s.sasaran))), _("Objectives"))
            self.sasaran_section(
                index, sasaran_result, programs_by_sasaran.get(sasaran_result.sasaran.pk, [])
            )
        others = programs_by_sasaran.get(None, [])
        if others:
            doc.heading(4, _("Other supporting programs"))
            for node in others:
                self.program_section(node)
        leftover = [
            c
            for c in contributions()
            if c.program and c.program not in {n.item.code for n in self.tree}
        ]
        for contribution in leftover:
            self.contributed(contribution)
        doc.heading(3, _("Problems, Solutions and Recommendations"))
        for key, title in (
            ("permasalahan", _("Problems and causes")),
            ("solusi", _("Solutions")),
            ("rekomendasi", _("Recommendations")),
        ):
            doc.add({"type": "subtitle", "text": title})
            doc.narrative(key, self.texts[key])
        doc.heading(3, _("Efficiency of the Use of Resources"))
        doc.table(self.efficiency_table())
        doc.items([t for t in (sentences.efficiency_sentence(r) for r in s.iku) if t])
        doc.heading(2, _("Budget Achievement"))
        doc.p(sentences.budget_sentence(s.budget.total, self.year))
        doc.table(self.budget_sasaran_table())
        doc.table(self.budget_line_table())
        doc.chart(
            charts.chart(
                "budget_trend",
                _("Budget ceiling and realization %(start)s-%(end)s (billion Rp)")
                % {"start": points[0].year, "end": points[-1].year},
                "bar",
                [p.year for p in points],
                [
                    (_("Ceiling"), [_billions(p.budget.pagu) for p in points]),
                    (_("Realization"), [_billions(p.budget.realization) for p in points]),
                ],
            )
        )
        doc.heading(2, _("Minimum Service Standards (SPM) in Social Affairs"))
        doc.table(self.spm_table())
        doc.p(sentences.spm_sentence(s.spm))

    def rating_table(self) -> TableData:
        table = TableData(
            key="skala_nilai",
            title=_("Rating Scale of Performance"),
            header=[[_h(_("No.")), _h(_("Lower bound of the achievement")), _h(_("Rating"))]],
        )
        for index, band in enumerate(self.summary.scales.rating, 1):
            lower = (">= " + _fmt_pct(band.lower)) if band.lower is not None else _("below")
            table.add(text(index), text(lower), text(band.label))
        return table

    def comparison_table(self) -> TableData:
        prev = self.year - 1
        table = TableData(
            key="pk_dua_tahun",
            title=_("Performance Agreement %(prev)s and %(year)s")
            % {"prev": prev, "year": self.year},
            header=[
                [
                    _h(_("No."), rows=2),
                    _h(_("Objective"), rows=2),
                    _h(_("Indicator"), rows=2),
                    _h(_("Unit"), rows=2),
                    _h(str(prev), cols=3),
                    _h(str(self.year), cols=3),
                ],
                [_h(_("Target")), _h(_("Realization")), _h("%")] * 2,
            ],
            orientation="landscape",
        )
        for index, sasaran in enumerate(self.summary.sasaran, 1):
            for r in sasaran.indicators:
                p = r.previous
                table.add(
                    text(index),
                    text(sasaran.sasaran.name),
                    text(r.indicator.name),
                    text(r.indicator.unit),
                    val(p.target if p else None),
                    val(p.realization if p else None),
                    pct(p.capaian.value if p else None),
                    val(r.target),
                    val(r.realization.value),
                    pct(r.capaian.value),
                )
            table.add(
                _h(_("Average of objective %(n)s") % {"n": index}, cols=9),
                pct(sasaran.capaian.value),
                style="total",
            )
        table.add(_h(_("IKU average"), cols=9), pct(self.summary.capaian.value), style="total")
        return table

    def quarter_table(self) -> TableData:
        table = TableData(
            key="iku_triwulan",
            title=_("IKU Achievement per Quarter %(year)s") % self.context,
            header=[
                [
                    _h(_("Objective")),
                    _h(_("Indicator")),
                    _h(_("Unit")),
                    _h(_("Yearly target")),
                    _h(_("Quarter")),
                    _h(_("Target")),
                    _h(_("Realization")),
                    _h("%"),
                    _h(_("Note")),
                ]
            ],
            orientation="landscape",
        )
        for sasaran in self.summary.sasaran:
            for r in sasaran.indicators:
                for q in r.quarters:
                    first = q.quarter == 1
                    table.add(
                        text(sasaran.sasaran.name if first else ""),
                        text(r.indicator.name if first else ""),
                        text(r.indicator.unit if first else ""),
                        val(r.target) if first else text(""),
                        text(_("Quarter %(q)s") % {"q": QUARTERS[q.quarter - 1]}),
                        val(q.target),
                        val(q.value),
                        pct(q.cumulative.capaian.value if q.value is not None else None),
                        text(
                            q.cumulative.capaian.message if q.value is not None else q.status_label
                        ),
                    )
        return table

    def end_target_table(self) -> TableData:
        table = TableData(
            key="target_akhir_renstra",
            title=_("IKU compared with the End Target of the %(renstra)s") % self.context,
            header=[
                [
                    _h(_("Indicator"), rows=2),
                    _h(str(self.year - 1), cols=3),
                    _h(str(self.year), cols=3),
                    _h(_("End target of the Renstra"), rows=2),
                    _h(_("Achievement against the end target (%)"), rows=2),
                ],
                [_h(_("Target")), _h(_("Realization")), _h("%")] * 2,
            ],
            orientation="landscape",
        )
        for r in self.summary.indicators:
            p = r.previous
            table.add(
                text(r.indicator.name),
                val(p.target if p else None),
                val(p.realization if p else None),
                pct(p.capaian.value if p else None),
                val(r.target),
                val(r.realization.value),
                pct(r.capaian.value),
                val(r.end_target),
                pct(r.capaian_vs_end_target.value),
            )
        return table

    def sasaran_section(self, index: int, result, programs) -> None:
        doc = self.doc
        doc.heading(4, _("Objective %(n)s. %(name)s") % {"n": index, "name": result.sasaran.name})
        doc.narrative(
            SASARAN_PREFIX + result.sasaran.code, self.texts[SASARAN_PREFIX + result.sasaran.code]
        )
        years = [self.year - 4 + i for i in range(5)]
        table = TableData(
            key=f"sasaran_{result.sasaran.code}",
            title=_("Plan and Realization of Objective %(n)s") % {"n": index},
            header=[
                [
                    _h(_("Indicator"), rows=2),
                    _h(_("Realization"), cols=len(years) - 1),
                    _h(str(self.year), cols=3),
                    _h(_("End target of the Renstra"), rows=2),
                    _h(_("Achievement against the end target (%)"), rows=2),
                ],
                [*[_h(str(y)) for y in years[:-1]], _h(_("Target")), _h(_("Realization")), _h("%")],
            ],
            orientation="landscape",
        )
        for r in result.indicators:
            history = {p.year: p for p in r.history}
            table.add(
                text(r.indicator.name),
                *[val(history[y].realization if y in history else None) for y in years[:-1]],
                val(r.target),
                val(r.realization.value),
                pct(r.capaian.value),
                val(r.end_target),
                pct(r.capaian_vs_end_target.value),
            )
        table.add(
            _h(_("Average"), cols=len(years) + 2),
            pct(result.capaian.value),
            text(""),
            text(""),
            style="total",
        )
        doc.table(table)
        items = []
        for r in result.indicators:
            items.append(sentences.indicator_sentence(r))
        doc.items(items)
        for r in result.indicators:
            history = [p for p in r.history if p.year < self.year] + [
                perf.YearPoint(self.year, r.indicator.pk, r.target, r.realization.value, r.capaian)
            ]
            doc.chart(
                charts.chart(
                    f"indikator_{r.indicator.code}",
                    _("%(name)s %(start)s-%(end)s")
                    % {"name": r.indicator.name, "start": history[0].year, "end": self.year},
                    "bar",
                    [p.year for p in history],
                    [
                        (_("Target"), [p.target for p in history]),
                        (_("Realization"), [p.realization for p in history]),
                    ],
                )
            )
            notes = r.latest_notes
            if notes:
                doc.items(
                    [
                        f"{label}: {value}"
                        for label, value in (
                            (_("Obstacles"), notes.obstacles),
                            (_("Supporting factors"), notes.supporting_factors),
                            (_("Solutions"), notes.solutions),
                            (_("Recommendations"), notes.recommendations),
                        )
                        if value
                    ]
                )
        for node in programs:
            self.program_section(node)

    def program_section(self, node) -> None:
        doc = self.doc
        doc.add({"type": "subtitle", "text": f"{node.item.code} {node.item.name}"})
        table = TableData(
            key=f"program_{node.item.code}",
            title=_("Performance Indicators of the Program %(name)s") % {"name": node.item.name},
            header=[
                [
                    _h(_("Indicator")),
                    _h(_("Unit")),
                    _h(_("Target")),
                    _h(_("Realization")),
                    _h("%"),
                    _h(_("Rating")),
                ]
            ],
        )
        for r in node.indicators:
            table.add(
                text(r.indicator.name),
                text(r.indicator.unit),
                val(r.target),
                val(r.realization.value),
                pct(r.capaian.value),
                text(sentences.rating_label(r.rating)),
            )
        if not node.indicators:
            table.note = _("The program has no indicator in %(year)s.") % self.context
        doc.table(table)
        detail = TableData(
            key=f"subkegiatan_{node.item.code}",
            title=_("Activities and Sub-activities of the Program %(name)s")
            % {"name": node.item.name},
            header=[
                [
                    _h(_("Code")),
                    _h(_("Activity / Sub-activity")),
                    _h(_("Indicator")),
                    _h(_("Unit")),
                    _h(_("Target")),
                    _h(_("Realization")),
                    _h("%"),
                    _h(_("Ceiling (Rp)")),
                    _h(_("Budget realization (Rp)")),
                    _h(_("Absorption (%)")),
                ]
            ],
            orientation="landscape",
        )
        for kegiatan in node.children:
            self._detail_rows(detail, kegiatan, 1)
            for sub in kegiatan.children:
                self._detail_rows(detail, sub, 2)
        if node.budget:
            detail.add(
                _h(_("Program total"), cols=7),
                rp(node.budget.pagu),
                rp(node.budget.realization),
                pct(node.budget.absorption.value),
                style="total",
            )
        doc.table(detail)
        for contribution in contributions(node.item.code):
            self.contributed(contribution)

    def _detail_rows(self, table: TableData, node, indent: int) -> None:
        budget = node.budget
        money = (
            [rp(budget.pagu), rp(budget.realization), pct(budget.absorption.value)]
            if budget
            else [rp(None), rp(None), pct(None)]
        )
        results = node.indicators or [None]
        for position, r in enumerate(results):
            first = position == 0
            table.add(
                text(node.item.code if first else ""),
                text(node.item.name if first else "", indent=indent),
                text(r.indicator.name if r else "-"),
                text(r.indicator.unit if r else ""),
                val(r.target if r else None),
                val(r.realization.value if r else None),
                pct(r.capaian.value if r else None),
                *(money if first else [text(""), text(""), text("")]),
                style="group" if indent == 1 and first else "",
            )

    def contributed(self, contribution) -> None:
        table = contribution.builder(self.year, self.user)
        if table is None:
            table = TableData(
                key=contribution.key, title=contribution.title, header=[[_h(_("Note"))]]
            )
            table.note = _("No data for %(year)s.") % self.context
        table.key = contribution.key
        table.orientation = contribution.orientation
        self.doc.table(table)

    def efficiency_table(self) -> TableData:
        table = TableData(
            key="efisiensi",
            title=_("Efficiency of the Use of Resources"),
            header=[
                [
                    _h(_("No.")),
                    _h(_("Indicator")),
                    _h(_("Achievement (%)")),
                    _h(_("Budget absorption (%)")),
                    _h(_("Efficiency (points)")),
                ]
            ],
        )
        for index, r in enumerate(self.summary.iku, 1):
            table.add(
                text(index),
                text(r.indicator.name),
                pct(r.capaian.value),
                pct(r.budget.absorption.value if r.budget else None),
                num(r.efisiensi, 2),
            )
        return table

    def budget_sasaran_table(self) -> TableData:
        table = TableData(
            key="anggaran_sasaran",
            title=_("Budget Allocation per Objective %(year)s") % self.context,
            header=[
                [
                    _h(_("No.")),
                    _h(_("Objective")),
                    _h(_("Ceiling (Rp)")),
                    _h(_("Realization (Rp)")),
                    _h(_("Absorption (%)")),
                    _h(_("Effectiveness")),
                ]
            ],
        )
        for index, s in enumerate(self.summary.sasaran, 1):
            b = s.budget
            table.add(
                text(index),
                text(s.sasaran.name),
                rp(b.pagu if b else None),
                rp(b.realization if b else None),
                pct(b.absorption.value if b else None),
                text(sentences.rating_label(b.effectiveness) if b else "-"),
            )
        total = self.summary.budget.total
        table.add(
            _h(_("Total"), cols=2),
            rp(total.pagu),
            rp(total.realization),
            pct(total.absorption.value),
            text(sentences.rating_label(total.effectiveness)),
            style="total",
        )
        return table

    def budget_line_table(self) -> TableData:
        table = TableData(
            key="anggaran_subkegiatan",
            title=_("Budget Target and Realization per Sub-activity %(year)s") % self.context,
            header=[
                [
                    _h(_("Code")),
                    _h(_("Program / Activity / Sub-activity")),
                    _h(_("Ceiling before revision (Rp)")),
                    _h(_("Ceiling after revision (Rp)")),
                    _h(_("Realization (Rp)")),
                    _h(_("Absorption (%)")),
                    _h(_("Remaining (Rp)")),
                ]
            ],
            orientation="landscape",
        )

        def add(node, indent, style=""):
            b = node.budget
            table.add(
                text(node.item.code),
                text(node.item.name, indent=indent),
                rp(b.pagu_murni if b else None),
                rp(b.pagu_perubahan if b else None),
                rp(b.realization if b else None),
                pct(b.absorption.value if b else None),
                rp(b.remaining if b else None),
                style=style,
            )

        for program in self.tree:
            add(program, 0, "group")
            for kegiatan in program.children:
                add(kegiatan, 1)
                for sub in kegiatan.children:
                    add(sub, 2)
        total = self.summary.budget.total
        table.add(
            _h(_("Total"), cols=2),
            rp(total.pagu_murni),
            rp(total.pagu_perubahan),
            rp(total.realization),
            pct(total.absorption.value),
            rp(total.remaining),
            style="total",
        )
        return table

    def spm_table(self) -> TableData:
        spm = self.summary.spm
        table = TableData(
            key="spm",
            title=_("Targets and Achievement of the SPM in Social Affairs %(prev)s and %(year)s")
            % {"prev": self.year - 1, "year": self.year},
            header=[
                [
                    _h(_("No.")),
                    _h(_("Basic service")),
                    _h(_("Target group")),
                    _h(_("Persons in the target group")),
                    _h(_("Served")),
                    _h(f"% {self.year}"),
                    _h(f"% {self.year - 1}"),
                ]
            ],
            orientation="landscape",
        )
        for index, row in enumerate(spm.rows, 1):
            table.add(
                text(index),
                text(row.service.name),
                text(row.service.target_group),
                num(row.target_group),
                num(row.served),
                pct(row.percent.value if row.achievement else None),
                pct(row.previous_percent.value if row.previous_percent else None),
            )
        table.add(
            _h(_("Total"), cols=3),
            num(spm.total_target_group),
            num(spm.total_served),
            pct(spm.total.value),
            text(""),
            style="total",
        )
        return table

    # --- BAB IV and annex -----------------------------------------------------------------------
    def chapter_4(self) -> None:
        doc, s = self.doc, self.summary
        doc.chapter_start("IV", 4, _("CLOSING"))
        doc.heading(2, _("Conclusion"))
        items = [sentences.year_sentence(s)]
        items += [sentences.sasaran_sentence(i, r) for i, r in enumerate(s.sasaran, 1)]
        items.append(sentences.budget_sentence(s.budget.total, self.year))
        items.append(sentences.spm_sentence(s.spm))
        doc.items(items)
        doc.narrative("kesimpulan", self.texts["kesimpulan"])
        doc.heading(2, _("Steps to Improve Performance"))
        doc.narrative("langkah_perbaikan", self.texts["langkah_perbaikan"])

    def annex(self) -> None:
        doc = self.doc
        doc.chapter_start("", 0, _("ANNEX"))
        doc.chapter = "L"
        table = TableData(
            key="lampiran_pk",
            title=_("Performance Agreement %(year)s with quarterly targets (all levels)")
            % self.context,
            header=[
                [
                    _h(_("Level")),
                    _h(_("Code")),
                    _h(_("Indicator")),
                    _h(_("Unit")),
                    _h(_("Target")),
                    *[_h(_("Q%(q)s") % {"q": q}) for q in range(1, 5)],
                ]
            ],
            orientation="landscape",
        )
        agreements = self.agreements_all["agreements"]
        for row in self.agreements_all["rows"]:
            target = row["columns"][-1] if agreements else None
            if target is None:
                continue
            indicator = row["indicator"]
            table.add(
                text(indicator.get_level_display()),
                text(indicator.code),
                text(indicator.name),
                text(indicator.unit),
                val(target.target),
                val(target.q1),
                val(target.q2),
                val(target.q3),
                val(target.q4),
            )
        doc.table(table)
        definitions = TableData(
            key="definisi_iku",
            title=_("Definitions of the IKU"),
            header=[
                [
                    _h(_("Indicator")),
                    _h(_("Definition")),
                    _h(_("Formula")),
                    _h(_("Data source")),
                ]
            ],
        )
        for r in self.summary.indicators:
            i = r.indicator
            definitions.add(
                text(i.name),
                text(i.definition or "-"),
                text(i.formula or "-"),
                text(i.data_source or "-"),
            )
        doc.table(definitions)
        for contribution in contributions(None):
            self.contributed(contribution)


def _billions(value) -> Decimal | None:
    if value is None:
        return None
    return calc.round2(Decimal(value) / Decimal(1_000_000_000))


def _fmt_pct(value) -> str:
    from welfare.formatting import format_percent

    return format_percent(value)


def build_lkjip(year: int, user, progress, params: dict | None = None) -> dict:
    return LkjipBuilder(year=year, user=user, progress=progress).build()


# --- The check before generation ------------------------------------------------------------


def check_lkjip(year: int, user, params: dict | None = None) -> list[Problem]:
    """What is missing or inconsistent in the year's data: quarters without an approved
    realization, entries waiting for approval, sub-activities without budget realization,
    absorption above 100 %, totals that do not match their parts, SPM served above the target
    group, narratives not written yet."""
    problems: list[Problem] = []
    summary = perf.year_summary(year=year)
    if summary is None:
        return [Problem(_("No Renstra covers %(year)s.") % {"year": year})]
    today = timezone.localdate()
    for r in summary.indicators:
        name = r.indicator.name
        for q in r.quarters:
            ended = calc.quarter_end(year, q.quarter) < today
            if q.target is not None and q.value is None and ended:
                problems.append(
                    Problem(
                        _("Quarter %(q)s of indicator %(name)s has no approved realization.")
                        % {"q": QUARTERS[q.quarter - 1], "name": name},
                        where=name,
                    )
                )
            elif q.row is not None and not q.approved:
                problems.append(
                    Problem(
                        _("Quarter %(q)s of indicator %(name)s waits for approval.")
                        % {"q": QUARTERS[q.quarter - 1], "name": name},
                        where=name,
                    )
                )
        if r.quarter_targets_problem:
            problems.append(Problem(f"{name}: {r.quarter_targets_problem}", where=name))
        if r.target is None:
            problems.append(
                Problem(_("Indicator %(name)s has no target.") % {"name": name}, where=name)
            )
    budget = summary.budget
    subs = {line.pk: line for line in budget.lines}
    for line_id, figures in budget.by_line.items():
        line = subs.get(line_id)
        label = f"{line.sub_kegiatan.code} {line.sub_kegiatan.name}" if line else str(line_id)
        if figures.pagu > 0 and figures.realization == 0:
            problems.append(
                Problem(
                    _("Sub-activity %(name)s has no budget realization.") % {"name": label},
                    where=label,
                )
            )
        if figures.absorption.computed and figures.absorption.value > 100:
            problems.append(
                Problem(
                    _("Sub-activity %(name)s absorbs %(value)s of its ceiling (above 100%%).")
                    % {"name": label, "value": _fmt_pct(figures.absorption.value)},
                    where=label,
                )
            )
    programs = budget.by_program.values()
    for attribute, label in (("pagu", _("ceiling")), ("realization", _("realization"))):
        parts = sum((getattr(f, attribute) for f in programs), Decimal(0))
        whole = getattr(budget.total, attribute)
        if parts != whole:
            problems.append(
                Problem(
                    _(
                        "The budget %(what)s of the programs (%(parts)s) does not match the "
                        "total (%(total)s)."
                    )
                    % {"what": label, "parts": parts, "total": whole}
                )
            )
        sasaran_parts = sum((getattr(f, attribute) for f in budget.by_sasaran.values()), Decimal(0))
        if sasaran_parts != whole:
            problems.append(
                Problem(
                    _(
                        "The budget %(what)s per objective (%(parts)s) does not match the "
                        "total (%(total)s): a program is not linked to an objective."
                    )
                    % {"what": label, "parts": sasaran_parts, "total": whole}
                )
            )
    if budget.total.absorption.computed and budget.total.absorption.value > 100:
        problems.append(Problem(_("The total budget absorption is above 100%.")))
    for row in summary.spm.rows:
        if row.achievement is None:
            problems.append(
                Problem(
                    _("SPM service %(name)s has no figure for %(year)s.")
                    % {"name": row.service.name, "year": year},
                    severity="warning",
                )
            )
        elif row.served > row.target_group:
            problems.append(
                Problem(
                    _("SPM service %(name)s served more people than its target group.")
                    % {"name": row.service.name}
                )
            )
    written = set(
        Narrative.objects.filter(kind="lkjip", year=year)
        .exclude(text="")
        .values_list("section", flat=True)
    )
    keys = [s.key for s in SECTIONS] + [SASARAN_PREFIX + s.sasaran.code for s in summary.sasaran]
    missing = [k for k in keys if k not in written]
    if missing:
        problems.append(
            Problem(
                _("%(n)s narrative sections still use the template text.") % {"n": len(missing)},
                severity="warning",
            )
        )
    agency = agency_get()
    if not agency.logo:
        problems.append(Problem(_("The agency has no logo for the cover."), severity="warning"))
    return problems
