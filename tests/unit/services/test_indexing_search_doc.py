"""What the search index holds for each entity."""

from datetime import date

import pytest

from qms.domain.entities import (
    Activity,
    Cause,
    Deviation,
    Document,
    Entity,
    Goal,
    InspectionResult,
    Process,
    Risk,
    Role,
)
from qms.domain.kinds import DocumentKind, GoalLevel, ProcessKind
from qms.domain.labels import Label
from qms.search.port import SearchDoc
from qms.services.indexing import INDEXED, search_doc


def test_a_process_is_found_by_purpose_start_end_effect_and_stakeholders() -> None:
    process = Process(
        id="p-hemtjanst",
        name="Hemtjänst",
        kind=ProcessKind.CORE,
        purpose="Stöd i hemmet",
        trigger="Beslut om bistånd",
        ends_when="Insatsen upphör",
        desired_effect="Ett tryggt liv",
        recipients=("brukare",),
        stakeholders=("anhöriga", "biståndshandläggare"),
        collaboration="Med hälso- och sjukvården",
    )
    assert search_doc(process, "Äldreomsorg") == SearchDoc(
        "p-hemtjanst",
        "Process",
        "Hemtjänst",
        "Stöd i hemmet Beslut om bistånd Insatsen upphör Ett tryggt liv brukare anhöriga "
        "biståndshandläggare",
        "Äldreomsorg",
    )


def test_an_activity_is_found_by_description_inputs_and_outputs() -> None:
    activity = Activity(
        id="a-planera",
        name="Planera insatser",
        description="Gör en plan",
        inputs=("beslut",),
        outputs=("genomförandeplan", "schema"),
    )
    doc = search_doc(activity, "Hemtjänst")
    assert doc == SearchDoc(
        "a-planera",
        "Activity",
        "Planera insatser",
        "Gör en plan beslut genomförandeplan schema",
        "Hemtjänst",
    )


def test_a_document_is_found_by_its_body_and_legal_reference_under_its_title() -> None:
    document = Document(
        id="d-rutin",
        title="Rutin för läkemedel",
        kind=DocumentKind.ROUTINE,
        body="Signera varje\n\n  överlämning.",
        legal_reference="HSLF-FS 2017:37",
        review_by=date(2026, 1, 1),
    )
    doc = search_doc(document)
    assert doc is not None
    assert (doc.label, doc.title, doc.context) == ("Document", "Rutin för läkemedel", "")
    assert doc.text == "Signera varje överlämning. HSLF-FS 2017:37"


def test_a_role_is_found_by_its_description() -> None:
    doc = search_doc(Role(id="r-mas", name="MAS", description="Medicinskt ansvarig\tsjuksköterska"))
    assert doc == SearchDoc("r-mas", "Role", "MAS", "Medicinskt ansvarig sjuksköterska")


def test_empty_fields_leave_no_stray_spaces() -> None:
    doc = search_doc(
        Process(
            id="p1", name="P", kind=ProcessKind.SUPPORT, purpose="Lön", stakeholders=("", "ekonomi")
        )
    )
    assert doc is not None
    assert doc.text == "Lön ekonomi"
    assert search_doc(Role(id="r1", name="Chef")) == SearchDoc("r1", "Role", "Chef", "")


@pytest.mark.parametrize(
    "entity",
    [
        Goal(id="g1", title="Trygg äldreomsorg", level=GoalLevel.UNIT),
        Risk(id="rk1", title="Fall"),
        Deviation(id="dev1", title="Missad insats"),
        Cause(id="c1", description="Otydlig rutin"),
        InspectionResult(id="ir1", performed_on=date(2025, 3, 1)),
    ],
)
def test_other_labels_are_not_searchable(entity: Entity) -> None:
    assert entity.LABEL not in INDEXED
    assert search_doc(entity, "sammanhang") is None


def test_the_indexed_labels_are_the_ones_staff_look_for() -> None:
    assert set(INDEXED) == {Label.PROCESS, Label.ACTIVITY, Label.DOCUMENT, Label.ROLE}
