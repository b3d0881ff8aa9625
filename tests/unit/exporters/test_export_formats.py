"""Golden tests: every spreadsheet export opened with openpyxl, the PDF with pypdf."""

from __future__ import annotations

import io
import zipfile
from datetime import date, datetime

import pytest
from openpyxl import load_workbook
from openpyxl.worksheet.worksheet import Worksheet
from pypdf import PdfReader

import exporters
from exporters import (
    ExportContext,
    Output,
    ils_goals,
    ils_ikp,
    ils_vor,
    ledningssystem,
    two_c8_excel,
)
from exporters.xlsx import LISTS_SHEET
from qms.domain.entities import (
    Action,
    Activity,
    Control,
    Deviation,
    Document,
    Goal,
    GoalAssessment,
    Indicator,
    IndicatorOutcome,
    Initiative,
    OrgUnit,
    Process,
    Risk,
    Role,
)
from qms.domain.graph import REL_TYPES, Link
from qms.domain.kinds import (
    ActionStatus,
    DeviationKind,
    DocumentKind,
    Frequency,
    GoalLevel,
    OrgLevel,
    ProcessKind,
    Verdict,
)
from qms.domain.labels import Rel
from qms.domain.snapshot import Snapshot

TODAY = date(2026, 11, 2)


def small() -> Snapshot:
    """Two units, a process with a delprocess and activities, a risk with a control, a goal."""
    entities = (
        OrgUnit(id="u-top", name="Söderorts förvaltning", level=OrgLevel.ADMINISTRATION),
        OrgUnit(id="u-ao", name="Äldreomsorg", level=OrgLevel.DEPARTMENT),
        OrgUnit(id="u-ifo", name="Individ och familj", level=OrgLevel.DEPARTMENT),
        Role(id="r-chef", name="Enhetschef"),
        Process(id="p-ht", name="Hemtjänst – från beslut till insats", kind=ProcessKind.CORE,
                purpose="Ge ”rätt” stöd i hemmet"),
        Process(id="p-ht-plan", name="Genomförandeplan", kind=ProcessKind.CORE, purpose="Planera"),
        Process(id="p-ifo", name="Ekonomiskt bistånd", kind=ProcessKind.CORE),
        Activity(id="a-1", name="Ta emot beställning", position=1),
        Activity(id="a-2", name="Planera insats", position=2),
        Document(id="d-rutin", title="Rutin för genomförandeplan", kind=DocumentKind.ROUTINE,
                 review_by=date(2027, 3, 1)),
        Risk(id="risk-a", title="Fel läkemedel", probability=3, consequence=5, year=2026),
        Risk(id="risk-b", title="Låg kontinuitet", probability=2, consequence=2, year=2026),
        Control(id="km-a", title="Kontroll av delegeringar", method="Stickprov",
                frequency=Frequency.QUARTERLY),
        Action(id="act-a", title="Utbilda", status=ActionStatus.PLANNED),
        Goal(id="g-top", title="Trygg äldreomsorg", level=GoalLevel.COMMITTEE, code="2"),
        Goal(id="g-unit", title="Få medarbetare per kund", level=GoalLevel.UNIT, year=2026),
        Indicator(id="ind-1", name="Antal medarbetare", unit="st", target_value=12.0),
        IndicatorOutcome(id="io-1", year=2026, tertial=1, value=13.0, women=12.0, men=14.0),
        Initiative(id="ini-1", title="Smågrupper", starts_on=date(2026, 2, 1),
                   ends_on=date(2026, 9, 30), status=ActionStatus.IN_PROGRESS),
        GoalAssessment(id="ga-1", year=2026, tertial=1, verdict=Verdict.PARTLY_MET,
                       analysis="Kontinuiteten är låg."),
        Deviation(id="dev-1", title="Namn Namnsson föll", kind=DeviationKind.LEX_SARAH),
    )  # fmt: skip
    links = (
        Link(Rel.PART_OF, "u-ao", "u-top"),
        Link(Rel.PART_OF, "u-ifo", "u-top"),
        Link(Rel.BELONGS_TO, "p-ht", "u-ao"),
        Link(Rel.BELONGS_TO, "p-ifo", "u-ifo"),
        Link(Rel.SUBPROCESS_OF, "p-ht-plan", "p-ht"),
        Link(Rel.OWNED_BY, "p-ht", "r-chef"),
        Link(Rel.HAS_ACTIVITY, "p-ht", "a-1"),
        Link(Rel.HAS_ACTIVITY, "p-ht", "a-2"),
        Link(Rel.FLOWS_TO, "a-1", "a-2", {"name": "klar", "condition": "", "is_default": True}),
        Link(Rel.PERFORMED_BY, "a-2", "r-chef"),
        Link(Rel.GOVERNED_BY, "a-2", "d-rutin"),
        Link(Rel.THREATENS, "risk-a", "a-2"),
        Link(Rel.THREATENS, "risk-b", "p-ht"),
        Link(Rel.BELONGS_TO, "risk-a", "u-ao"),
        Link(Rel.BELONGS_TO, "risk-b", "u-ao"),
        Link(Rel.OWNED_BY, "risk-a", "r-chef"),
        Link(Rel.CONTROLS, "km-a", "risk-a"),
        Link(Rel.OWNED_BY, "km-a", "r-chef"),
        Link(Rel.ADDRESSES, "act-a", "risk-a"),
        Link(Rel.BREAKS_DOWN, "g-unit", "g-top"),
        Link(Rel.BELONGS_TO, "g-unit", "u-ao"),
        Link(Rel.MEASURES, "ind-1", "g-unit"),
        Link(Rel.HAS_OUTCOME, "ind-1", "io-1"),
        Link(Rel.SUPPORTS, "ini-1", "g-unit"),
        Link(Rel.HAS_ASSESSMENT, "g-unit", "ga-1"),
        Link(Rel.AFFECTS, "dev-1", "a-2"),
        Link(Rel.BELONGS_TO, "dev-1", "u-ao"),
    )
    return Snapshot(entities, links, ())


def run(name: str, snapshot: Snapshot | None = None, **context: object) -> Output:
    return exporters.get_format(name).run(
        snapshot or small(),
        ExportContext(today=TODAY, **context),  # type: ignore[arg-type]
    )


def book(data: bytes) -> dict[str, Worksheet]:
    loaded = load_workbook(io.BytesIO(data))
    return {ws.title: ws for ws in loaded.worksheets}


def rows(ws: Worksheet) -> list[tuple[object, ...]]:
    return [tuple(row) for row in ws.iter_rows(values_only=True)]


def validations(ws: Worksheet) -> dict[str, str]:
    """First cell of each validated range → its list formula."""
    return {
        str(dv.sqref).split(":")[0]: str(dv.formula1) for dv in ws.data_validations.dataValidation
    }


def test_registry_offers_every_format_with_a_title() -> None:
    names = exporters.names()
    assert names == sorted(
        ["2c8-excel", "bpmn", "ils-goals", "ils-ikp", "ils-sosfs", "ils-vor", "jsonl",
         "ledningssystem"]
    )  # fmt: skip
    assert all(f.title for f in exporters.formats())
    assert exporters.get_format("ils-sosfs").history
    assert exporters.get_format("ils-vor").filename("u-ao") == "ils-vor-u-ao.xlsx"
    with pytest.raises(KeyError, match="kända: 2c8-excel"):
        exporters.get_format("pdf")


def test_2c8_package_holds_objects_relations_readme_and_csv() -> None:
    archive = zipfile.ZipFile(io.BytesIO(run("2c8-excel").data))
    names = archive.namelist()
    assert names[:3] == ["objects.xlsx", "relationships.xlsx", "LÄS MIG.txt"]
    assert "csv/objects - Process.csv" in names
    assert "Import från Excel" in archive.read("LÄS MIG.txt").decode("utf-8")
    sheets = book(archive.read("objects.xlsx"))
    assert list(sheets) == [t.sheet_name for t in two_c8_excel.OBJECT_TYPES] + [LISTS_SHEET]
    assert "Avvikelse" not in sheets
    process = sheets["Process"]
    assert rows(process)[0][:5] == ("id", "namn", "beskrivning", "parent_id", "ägare")
    assert process.freeze_panes == "A2"
    by_id = {r[0]: r for r in rows(process)[1:]}
    assert by_id["p-ht-plan"][3] == "p-ht"
    assert by_id["p-ht"][4] == "r-chef"
    assert by_id["p-ht"][rows(process)[0].index("typ")] == "Huvudprocess"
    assert validations(process)["M2"] == '"Ja,Nej"'  # arkiverad
    assert sheets[LISTS_SHEET].sheet_state == "hidden"
    initiatives = rows(sheets["Målaktivitet"])
    assert initiatives[1][5] == datetime(2026, 2, 1)
    assert sheets["Målaktivitet"]["F2"].number_format == "yyyy-mm-dd"
    relations = rows(book(archive.read("relationships.xlsx"))["Relationer"])
    assert relations[0][:5] == ("källa_typ", "källa_id", "relations_typ", "mål_typ", "mål_id")
    assert ("Process", "p-ht", "Består av", "Process", "p-ht-plan") in [r[:5] for r in relations]
    assert ("Aktivitet", "a-2", "Utförs av", "Roll", "r-chef") in [r[:5] for r in relations]
    assert ("Aktivitet", "a-1", "Följs av", "Aktivitet", "a-2", "klar", None, "Ja") in relations
    assert not [r for r in relations if "dev-1" in r]


def test_2c8_relation_names_map_back_unambiguously() -> None:
    for relation in two_c8_excel.RELATIONS:
        for source, target in REL_TYPES[relation.rel].pairs:
            if relation.reverse:
                source, target = target, source
            kinds = two_c8_excel.TYPE_OF_LABEL
            if source in kinds and target in kinds:
                found = two_c8_excel.relation_of(
                    relation.name, kinds[source].sheet_name, kinds[target].sheet_name
                )
                assert found == (relation.rel, relation.reverse)
    assert {r.rel for r in two_c8_excel.RELATIONS} == set(Rel) - {Rel.HAS_MODEL}
    with pytest.raises(KeyError):
        two_c8_excel.relation_of("Består av", "Roll", "Process")


def test_sosfs_lists_area_and_subprocess_with_change_column() -> None:
    output = run("ils-sosfs")
    ws = book(output.data)["Processer"]
    assert rows(ws) == [
        ("Område/Process", "Delprocess", "Beskrivning", "Ägare", "Ändring", "Id"),
        ("Ekonomiskt bistånd", None, None, None, "Skapad", "p-ifo"),
        ("Hemtjänst – från beslut till insats", None, "Ge ”rätt” stöd i hemmet", "Enhetschef",
         "Skapad", "p-ht"),
        ("Hemtjänst – från beslut till insats", "Genomförandeplan", "Planera", None, "Skapad",
         "p-ht-plan"),
    ]  # fmt: skip
    assert validations(ws) == {"E2": '"Skapad,Ändrad,Borttagen"'}
    assert ws.freeze_panes == "A2"
    assert output.record is not None
    assert set(output.record["rows"]) == {"p-ifo", "p-ht", "p-ht-plan"}


def test_sosfs_scope_keeps_the_units_processes_and_their_subprocesses() -> None:
    output = run("ils-sosfs", scope="u-ao")
    assert [r[-1] for r in rows(book(output.data)["Processer"])[1:]] == ["p-ht", "p-ht-plan"]


def test_sosfs_change_column_after_edit_addition_and_deletion() -> None:
    first = run("ils-sosfs").record
    base = small()
    edited = tuple(
        Process(id="p-ifo", name="Ekonomiskt bistånd", kind=ProcessKind.CORE, purpose="Ny text")
        if e.id == "p-ifo"
        else e
        for e in base.entities
        if e.id != "p-ht-plan"
    ) + (Process(id="p-new", name="Anhörigstöd", kind=ProcessKind.SUPPORT),)
    links = tuple(link for link in base.links if "p-ht-plan" not in (link.source, link.target))
    second = run("ils-sosfs", Snapshot(edited, links, ()), previous=first)
    marks = {r[-1]: r[4] for r in rows(book(second.data)["Processer"])[1:]}
    assert marks == {"p-new": "Skapad", "p-ifo": "Ändrad", "p-ht": None, "p-ht-plan": "Borttagen"}
    third = run("ils-sosfs", Snapshot(edited, links, ()), previous=second.record)
    assert {r[-1]: r[4] for r in rows(book(third.data)["Processer"])[1:]} == {
        "p-new": None,
        "p-ifo": None,
        "p-ht": None,
    }


def test_vor_row_with_routine_control_and_scale_labels() -> None:
    output = run("ils-vor")
    ws = book(output.data)["Väsentlighets- och riskanalys"]
    table = rows(ws)
    assert table[0] == tuple(c.header for c in ils_vor.sheet().columns)
    assert table[1] == (
        "Hemtjänst – från beslut till insats", "Fel läkemedel", "Ja", "Ja", "3 - Möjlig",
        "5 - Mycket allvarlig", 15, "Utbilda", "Enhetschef", 2026, "risk-a",
    )  # fmt: skip
    assert table[2][2:4] == ("Nej", "Nej")  # a process without rutin, nothing checks it
    found = validations(ws)
    assert found["C2"] == '"Ja,Nej"'
    assert "2 - Mindre sannolikt" in found["E2"]
    assert output.attachments[0][0] == "Väsentlighets- och riskanalys.csv"
    assert output.attachments[0][1].startswith(b"\xef\xbb\xbfProcess;Risk;")


def test_ikp_lists_controls_and_gaps() -> None:
    table = rows(book(run("ils-ikp").data)["Internkontrollplan"])
    assert table[0] == ils_ikp.SHEET.headers
    assert table[1][:7] == (
        "Hemtjänst – från beslut till insats", "Fel läkemedel", 15, "Kontroll av delegeringar",
        "Stickprov", "Varje kvartal", "Enhetschef",
    )  # fmt: skip
    assert len(table) == 2  # risk-b (4) is below the threshold and has no control


def test_goals_follow_up_sheets_dates_and_lists() -> None:
    sheets = book(run("ils-goals", scope="u-ao").data)
    assert list(sheets)[:5] == [s.name for s in ils_goals.SHEETS]
    assert [r[2] for r in rows(sheets["Mål"])[1:]] == [
        "Trygg äldreomsorg",
        "Få medarbetare per kund",
    ]
    indicator = rows(sheets["Indikatorer"])[1]
    assert indicator[2:10] == ("Antal medarbetare", "st", 12, 2026, 1, 13, 12, 14)
    initiative = sheets["Aktiviteter"]
    assert initiative["C2"].value == datetime(2026, 2, 1)
    assert initiative["C2"].number_format == "yyyy-mm-dd"
    assessment = sheets["Målbedömning"]
    assert rows(assessment)[1][3] == "Delvis uppfyllt"
    assert '"Uppfyllt,Delvis uppfyllt,Ej uppfyllt"' in validations(assessment).values()


def test_csv_has_bom_semicolons_and_iso_dates() -> None:
    output = run("ils-goals")
    files = dict(output.attachments)
    text = files["Aktiviteter.csv"]
    assert text.startswith(b"\xef\xbb\xbf")
    assert "Smågrupper;2026-02-01;2026-09-30;Pågår" in text.decode("utf-8-sig")


def test_formula_like_text_is_written_as_text() -> None:
    base = small()
    hostile = Role(id="r-x", name='=HYPERLINK("http://x")')
    archive = zipfile.ZipFile(
        io.BytesIO(run("2c8-excel", Snapshot((*base.entities, hostile), base.links, ())).data)
    )
    cells = rows(book(archive.read("objects.xlsx"))["Roll"])
    assert ("r-x", '=HYPERLINK("http://x")') in [r[:2] for r in cells]
    assert (
        "<f>"
        not in zipfile.ZipFile(io.BytesIO(archive.read("objects.xlsx")))
        .read("xl/worksheets/sheet2.xml")
        .decode()
    )


def test_ledningssystem_pdf_has_contents_sections_and_no_personal_data() -> None:
    reader = PdfReader(io.BytesIO(run("ledningssystem").data))
    text = "\n".join(page.extract_text() for page in reader.pages)
    assert "Innehåll" in text
    for heading in ledningssystem.SECTIONS:
        assert heading in text
    assert "Hemtjänst – från beslut till insats" in text
    assert "Ge ”rätt” stöd i hemmet" in text
    assert "Namn Namnsson" not in text
    assert [o.title for o in reader.outline if not isinstance(o, list)][:2] == [
        "Organisation",
        "Processer",
    ]
