"""``ledningssystem``: the management system described for print (SOSFS 2011:9 7 kap.), as PDF.

Title page, table of contents, then: organisation, processes with their activities (who
does them, which rutiner govern them), rutiner and styrdokument, roles, risks, kontrollmoment,
egenkontroller and avvikelse statistics (counts only: no case is shown). Core PDF fonts
in Windows-1252, which holds å ä ö – ” and the rest of written Swedish.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Sequence
from datetime import UTC, datetime, time

from fpdf import FPDF
from fpdf.fonts import FontFace
from fpdf.outline import OutlineSection

from exporters import PDF, ExportContext, Output, register_format
from exporters.ils_vor import matrix_of, processes_of, risks_in_order
from exporters.index import GraphIndex
from exporters.terms import term
from qms.domain.entities import (
    Activity,
    Control,
    Deviation,
    Document,
    InspectionResult,
    OrgUnit,
    Process,
    Role,
    SelfInspection,
)
from qms.domain.kinds import DeviationKind, DeviationStatus, ProcessKind
from qms.domain.labels import Rel
from qms.domain.risk_matrix import level_of
from qms.domain.snapshot import Snapshot

TITLE = "Ledningssystem för systematiskt kvalitetsarbete"
SECTIONS = (
    "Organisation",
    "Processer",
    "Rutiner och styrdokument",
    "Roller",
    "Risker",
    "Kontrollmoment",
    "Egenkontroller",
    "Avvikelser",
)
ENCODING = "windows-1252"
KIND_NAMES = {
    DeviationKind.DEVIATION: "Avvikelser",
    DeviationKind.COMPLAINT: "Klagomål",
    DeviationKind.SUGGESTION: "Synpunkter",
    DeviationKind.LEX_SARAH: "Lex Sarah",
    DeviationKind.LEX_MARIA: "Lex Maria",
}
TOC_LINES_PER_PAGE = 38


def safe(text: str) -> str:
    """Text the core fonts can show: characters outside Windows-1252 replaced by near ones."""
    swaps = {"→": "->", "≥": ">=", "≤": "<=", "×": "x", "\u2011": "-", "\u00a0": " "}
    text = "".join(swaps.get(c, c) for c in text)
    return text.encode(ENCODING, "replace").decode(ENCODING)


class _Document(FPDF):
    def __init__(self, heading: str) -> None:
        super().__init__(format="A4")
        self.core_fonts_encoding = ENCODING
        self.heading = heading
        #: True right after the table of contents reserved its pages (no page to add then).
        self.fresh_page = False
        self.set_auto_page_break(True, margin=18)
        self.set_margins(20, 18, 20)
        self.alias_nb_pages()

    def header(self) -> None:
        if self.page_no() > 1:
            self.set_font("Helvetica", "I", 8)
            self.set_text_color(90)
            self.cell(0, 6, safe(self.heading), align="R", new_x="LMARGIN", new_y="NEXT")
            self.set_text_color(0)
            self.ln(2)

    def footer(self) -> None:
        self.set_y(-12)
        self.set_font("Helvetica", "", 8)
        self.set_text_color(90)
        self.cell(0, 6, f"Sida {self.page_no()} av {{nb}}", align="C")
        self.set_text_color(0)

    def section(self, name: str, level: int = 0) -> None:
        if level > 0:
            self.ln(3)
        elif not self.fresh_page:
            self.add_page()
        self.fresh_page = False
        self.start_section(safe(name), level)
        self.set_font("Helvetica", "B", 16 if level == 0 else 12)
        self.multi_cell(0, 8 if level == 0 else 6, safe(name), new_x="LMARGIN", new_y="NEXT")
        self.ln(1)
        self.set_font("Helvetica", "", 10)

    def text(self, body: str, style: str = "") -> None:  # type: ignore[override]
        if not body:
            return
        self.set_font("Helvetica", style, 10)
        self.multi_cell(0, 5, safe(body), new_x="LMARGIN", new_y="NEXT")
        self.set_font("Helvetica", "", 10)

    def fact(self, label: str, value: str) -> None:
        if value:
            self.set_font("Helvetica", "B", 10)
            self.write(5, safe(f"{label}: "))
            self.set_font("Helvetica", "", 10)
            self.write(5, safe(value))
            self.ln(5)

    def grid(
        self, headings: Sequence[str], rows: Sequence[Sequence[str]], widths: Sequence[int]
    ) -> None:
        if not rows:
            self.text("Inga uppgifter.", "I")
            return
        self.set_font("Helvetica", "", 9)
        style = FontFace(emphasis="BOLD", fill_color=(221, 230, 240))
        with self.table(
            col_widths=tuple(widths), headings_style=style, line_height=4.6, text_align="LEFT"
        ) as table:
            for row in [headings, *rows]:
                cells = table.row()
                for value in row:
                    cells.cell(safe(value))
        self.set_font("Helvetica", "", 10)
        self.ln(2)


def _toc(pdf: FPDF, outline: list[OutlineSection]) -> None:
    pdf.set_x(pdf.l_margin)
    pdf.set_font("Helvetica", "B", 16)
    pdf.cell(0, 10, "Innehåll", new_x="LMARGIN", new_y="NEXT")
    for entry in outline:
        pdf.set_font("Helvetica", "B" if entry.level == 0 else "", 11 if entry.level == 0 else 10)
        indent = 6 * entry.level
        pdf.set_x(pdf.l_margin + indent)
        width = pdf.epw - indent - 12
        label = str(entry.name)
        while pdf.get_string_width(label) > width - 4 and len(label) > 4:
            label = label[:-2]
        link = pdf.add_link(page=entry.page_number)
        pdf.cell(width, 6, label, link=link)
        pdf.cell(12, 6, str(entry.page_number), align="R", new_x="LMARGIN", new_y="NEXT", link=link)


def build(snapshot: Snapshot, context: ExportContext) -> bytes:
    """The PDF document."""
    index = GraphIndex(snapshot)
    units = index.scope(context.scope)
    scope_name = index.caption(context.scope) if context.scope else _top_unit(index)
    processes = [p for p in index.all(Process) if not p.archived and index.in_scope(p.id, units)]
    pdf = _Document(f"{TITLE} – {scope_name}" if scope_name else TITLE)
    pdf.set_title(safe(TITLE))
    pdf.set_creation_date(datetime.combine(context.today, time(), tzinfo=UTC))
    _title_page(pdf, scope_name, context)
    pdf.add_page()
    entries = len(SECTIONS) + len(processes) + 1
    pdf.insert_toc_placeholder(
        _toc, pages=math.ceil(entries / TOC_LINES_PER_PAGE), reset_page_indices=False
    )
    pdf.fresh_page = True
    _organisation(pdf, index, context.scope)
    _processes(pdf, index, processes)
    _documents(pdf, index, units)
    _roles(pdf, index, units)
    _risks(pdf, index, context.scope)
    _controls(pdf, index, units)
    _inspections(pdf, index, units)
    _deviations(pdf, index, units)
    return bytes(pdf.output())


def _top_unit(index: GraphIndex) -> str:
    tops = [u for u in index.all(OrgUnit) if not index.targets(Rel.PART_OF, u.id)]
    return tops[0].name if len(tops) == 1 else ""


def _title_page(pdf: _Document, scope_name: str, context: ExportContext) -> None:
    pdf.add_page()
    pdf.set_y(80)
    pdf.set_font("Helvetica", "B", 24)
    pdf.multi_cell(0, 11, safe(TITLE), align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(6)
    pdf.set_font("Helvetica", "", 16)
    pdf.multi_cell(0, 8, safe(scope_name), align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(10)
    pdf.set_font("Helvetica", "", 11)
    pdf.multi_cell(
        0,
        6,
        safe(
            "Beskrivning av ledningssystemet enligt SOSFS 2011:9 7 kap.: organisation, "
            f"processer, rutiner, risker och uppföljning. Utskriven {context.today.isoformat()}."
        ),
        align="C",
        new_x="LMARGIN",
        new_y="NEXT",
    )


def _organisation(pdf: _Document, index: GraphIndex, scope: str | None) -> None:
    pdf.section(SECTIONS[0])
    pdf.text("Organisationens enheter, från den högsta nivån och nedåt.")
    rows: list[list[str]] = []
    units = {u.id: u for u in index.all(OrgUnit)}

    def visit(unit: OrgUnit, depth: int) -> None:
        rows.append(["   " * depth + unit.name, term(unit.level), unit.description])
        children = [units[c] for c in index.sources(Rel.PART_OF, unit.id) if c in units]
        for child in sorted(children, key=lambda u: u.name):
            visit(child, depth + 1)

    roots = (
        [units[scope]]
        if scope in units
        else [u for u in units.values() if not index.targets(Rel.PART_OF, u.id)]
    )
    for root in sorted(roots, key=lambda u: u.name):
        visit(root, 0)
    pdf.grid(("Enhet", "Nivå", "Beskrivning"), rows, (60, 30, 80))


def _processes(pdf: _Document, index: GraphIndex, processes: list[Process]) -> None:
    pdf.section(SECTIONS[1])
    pdf.text(
        "Huvud-, stöd- och styrprocesser med syfte, ägare och aktiviteter i ordning; för varje "
        "aktivitet den roll som utför den och de rutiner som styr den."
    )
    order = list(ProcessKind)
    for process in sorted(processes, key=lambda p: (order.index(p.kind), p.name)):
        pdf.section(process.name, 1)
        parent = next(iter(index.targets(Rel.SUBPROCESS_OF, process.id)), None)
        owner = index.one(Rel.OWNED_BY, process.id, Role)
        unit = index.unit_of(process.id)
        pdf.fact("Typ", term(process.kind))
        pdf.fact("Delprocess av", index.caption(parent))
        pdf.fact("Syfte", process.purpose)
        pdf.fact("Processägare", owner.name if owner else "")
        pdf.fact("Organisationsenhet", index.caption(unit))
        pdf.fact("Startar när", process.trigger)
        pdf.fact("Klar när", process.ends_when)
        docs = _documents_of(index, process.id)
        pdf.fact("Styrs av", "; ".join(docs))
        steps = [
            a
            for a in (index.by_id.get(i) for i in index.sources(Rel.HAS_ACTIVITY, process.id))
            if isinstance(a, Activity)
        ] + [
            a
            for a in (index.by_id.get(i) for i in index.targets(Rel.HAS_ACTIVITY, process.id))
            if isinstance(a, Activity)
        ]
        steps.sort(key=lambda a: (a.position, a.id))
        rows = [
            [
                str(n),
                a.name,
                index.caption(next(iter(index.targets(Rel.PERFORMED_BY, a.id)), None)),
                "; ".join(_documents_of(index, a.id)),
            ]
            for n, a in enumerate(steps, start=1)
        ]
        pdf.ln(1)
        pdf.grid(("Nr", "Aktivitet", "Utförs av", "Rutiner"), rows, (10, 70, 45, 45))


def _documents_of(index: GraphIndex, entity_id: str) -> list[str]:
    return sorted(
        d.title
        for d in (index.by_id.get(i) for i in index.targets(Rel.GOVERNED_BY, entity_id))
        if isinstance(d, Document)
    )


def _documents(pdf: _Document, index: GraphIndex, units: set[str] | None) -> None:
    pdf.section(SECTIONS[2])
    docs = [
        d
        for d in index.all(Document)
        if units is None or index.unit_of(d.id) in units or index.unit_of(d.id) is None
    ]
    rows = [
        [
            d.title,
            term(d.kind),
            term(d.status),
            d.doc_version,
            d.review_by.isoformat() if d.review_by else "",
            d.legal_reference,
        ]
        for d in sorted(docs, key=lambda d: (d.kind, d.title))
    ]
    pdf.grid(
        ("Dokument", "Typ", "Status", "Version", "Revideras senast", "Lagrum"),
        rows,
        (58, 22, 22, 14, 24, 30),
    )


def _roles(pdf: _Document, index: GraphIndex, units: set[str] | None) -> None:
    pdf.section(SECTIONS[3])
    roles = [r for r in index.all(Role) if units is None or index.unit_of(r.id) in (units | {None})]
    rows = []
    for role in sorted(roles, key=lambda r: r.name):
        performs = len(index.sources(Rel.PERFORMED_BY, role.id))
        owns = sorted(
            index.caption(s)
            for s in index.sources(Rel.OWNED_BY, role.id)
            if isinstance(index.by_id.get(s), Process)
        )
        rows.append([role.name, role.description, str(performs), "; ".join(owns)])
    pdf.grid(("Roll", "Beskrivning", "Aktiviteter", "Äger processer"), rows, (45, 65, 20, 40))


def _risks(pdf: _Document, index: GraphIndex, scope: str | None) -> None:
    pdf.section(SECTIONS[4])
    matrix = matrix_of(index)
    pdf.text(f"Riskvärde = sannolikhet × konsekvens, bedömt enligt {matrix.name}.")
    rows = [
        [
            r.title,
            "; ".join(processes_of(index, r.id)),
            str(r.probability),
            str(r.consequence),
            str(r.value),
            level_of(matrix, r.value).name,
        ]
        for r in risks_in_order(index, scope)
    ]
    pdf.grid(("Risk", "Process", "S", "K", "Värde", "Nivå"), rows, (62, 58, 9, 9, 13, 19))


def _controls(pdf: _Document, index: GraphIndex, units: set[str] | None) -> None:
    pdf.section(SECTIONS[5])
    pdf.text("Internkontrollplanens kontrollmoment: hur allvarliga risker kontrolleras.")
    rows = []
    for control in index.all(Control):
        if not index.in_scope(control.id, units):
            continue
        owner = index.one(Rel.OWNED_BY, control.id, Role)
        risks = "; ".join(sorted(index.caption(t) for t in index.targets(Rel.CONTROLS, control.id)))
        rows.append(
            [
                control.title,
                risks,
                control.method,
                term(control.frequency),
                owner.name if owner else "",
            ]
        )
    rows.sort()
    pdf.grid(
        ("Kontrollmoment", "Kontrollerar", "Metod", "Frekvens", "Ansvarig"),
        rows,
        (40, 38, 42, 22, 28),
    )


def _inspections(pdf: _Document, index: GraphIndex, units: set[str] | None) -> None:
    pdf.section(SECTIONS[6])
    rows = []
    for inspection in index.all(SelfInspection):
        if not index.in_scope(inspection.id, units):
            continue
        results = [
            r
            for r in (index.by_id.get(i) for i in index.targets(Rel.HAS_RESULT, inspection.id))
            if isinstance(r, InspectionResult)
        ]
        last = max(results, key=lambda r: r.performed_on, default=None)
        rows.append(
            [
                inspection.title,
                term(inspection.frequency),
                inspection.next_due.isoformat() if inspection.next_due else "",
                f"{last.performed_on.isoformat()}: {term(last.outcome)}" if last else "",
            ]
        )
    rows.sort()
    pdf.grid(("Egenkontroll", "Frekvens", "Nästa", "Senaste resultat"), rows, (75, 25, 25, 45))


def _deviations(pdf: _Document, index: GraphIndex, units: set[str] | None) -> None:
    pdf.section(SECTIONS[7])
    pdf.text(
        "Antal ärenden per slag och status. Enskilda ärenden visas inte, eftersom de kan "
        "innehålla personuppgifter."
    )
    cases = [d for d in index.all(Deviation) if index.in_scope(d.id, units)]
    counts = Counter((d.kind, d.status) for d in cases)
    statuses = list(DeviationStatus)
    rows = [
        [
            KIND_NAMES[kind],
            *(str(counts[(kind, s)]) for s in statuses),
            str(sum(counts[(kind, s)] for s in statuses)),
        ]
        for kind in DeviationKind
    ]
    rows.append(
        [
            "Totalt",
            *(str(sum(counts[(k, s)] for k in DeviationKind)) for s in statuses),
            str(len(cases)),
        ]
    )
    pdf.grid(("Slag", *(term(s) for s in statuses), "Totalt"), rows, (30, 24, 20, 20, 26, 24, 26))


@register_format(
    "ledningssystem",
    title="Ledningssystemet (PDF)",
    description="Utskrivbar beskrivning av hela ledningssystemet med innehållsförteckning "
    "(SOSFS 2011:9 7 kap.).",
    suffix=".pdf",
    media_type=PDF,
    scoped=True,
)
def export(snapshot: Snapshot, context: ExportContext) -> Output:
    """The management system as PDF."""
    return Output(build(snapshot, context))
