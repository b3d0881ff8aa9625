"""Reading model files: YAML into validated records, problems collected per location."""

from datetime import date
from pathlib import Path

import pytest

from qms.domain.errors import InvalidInput
from qms.domain.labels import Label
from qms.services import model_files
from qms.services.model_files import (
    COLLECTIONS,
    Problems,
    Record,
    flatten,
    read_records,
)


def write(directory: Path, name: str, text: str) -> Path:
    path = directory / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def read(*paths: Path) -> tuple[list[Record], dict[str, list[str]]]:
    problems = Problems()
    records = read_records(list(paths), problems)
    return records, problems.errors


PROCESS_FILE = """\
roles:
  - id: r-usk
    name: Undersköterska
processes:
  - id: p-hemtjanst
    name: Hemtjänst
    kind: core
    owner: r-usk
    activities:
      - id: a-ta-emot
        name: Ta emot beslut
        node_type: start_event
      - id: a-planera
        name: Planera insatser
        role: r-usk
        documents:
          - id: d-rutin
            title: Rutin för planering
            kind: routine
            review_by: 2026-01-31
      - id: a-utfora
        name: Utföra insatser
        next: [{to: a-planera, name: Igen}]
"""


def test_records_carry_label_data_location_and_position(tmp_path: Path) -> None:
    path = write(tmp_path, "hemtjanst.yaml", PROCESS_FILE)
    records, errors = read(path)
    assert errors == {}
    assert [(r.label, r.id, r.where, r.position) for r in records] == [
        (Label.ROLE, "r-usk", f"{path}: r-usk", 0),
        (Label.PROCESS, "p-hemtjanst", f"{path}: p-hemtjanst", 0),
    ]
    assert records[1].data["owner"] == "r-usk"


def test_nested_activities_become_child_records_with_their_positions(tmp_path: Path) -> None:
    path = write(tmp_path, "hemtjanst.yaml", PROCESS_FILE)
    process = read(path)[0][1]
    assert [(name, child.label, child.id, child.position) for name, child in process.children] == [
        ("activities", Label.ACTIVITY, "a-ta-emot", 0),
        ("activities", Label.ACTIVITY, "a-planera", 1),
        ("activities", Label.ACTIVITY, "a-utfora", 2),
    ]
    assert {child.where for _, child in process.children} == {f"{path}: p-hemtjanst.activities"}
    assert process.children[2][1].data["next"] == [
        {"to": "a-planera", "name": "Igen", "condition": "", "default": False}
    ]


def test_flatten_lists_nested_records_after_their_parent(tmp_path: Path) -> None:
    path = write(tmp_path, "hemtjanst.yaml", PROCESS_FILE)
    flat = list(flatten(read(path)[0]))
    assert [(r.label, r.id) for r in flat] == [
        (Label.ROLE, "r-usk"),
        (Label.PROCESS, "p-hemtjanst"),
        (Label.ACTIVITY, "a-ta-emot"),
        (Label.ACTIVITY, "a-planera"),
        (Label.DOCUMENT, "d-rutin"),
        (Label.ACTIVITY, "a-utfora"),
    ]
    assert flat[4].data["review_by"] == date(2026, 1, 31)
    assert flat[4].where == f"{path}: p-hemtjanst.activities.documents"


def test_flatten_walks_depth_first() -> None:
    def rec(entity_id: str, *children: Record) -> Record:
        return Record(
            Label.PROCESS, {"id": entity_id}, "f", 0, [("activities", child) for child in children]
        )

    tree = [rec("1", rec("1.1", rec("1.1.1")), rec("1.2")), rec("2")]
    assert [r.id for r in flatten(tree)] == ["1", "1.1", "1.1.1", "1.2", "2"]


def test_a_list_of_ids_makes_no_child_records(tmp_path: Path) -> None:
    path = write(
        tmp_path, "p.yaml", "processes:\n  - {id: p1, name: P, kind: core, activities: [a1, a2]}\n"
    )
    [process] = read(path)[0]
    assert process.children == []
    assert process.data["activities"] == ["a1", "a2"]


def test_files_are_read_in_the_order_given(tmp_path: Path) -> None:
    second = write(tmp_path, "b.yaml", "roles:\n  - {id: r-b, name: B}\n")
    first = write(tmp_path, "a.yaml", "roles:\n  - {id: r-a, name: A}\n")
    assert [r.id for r in read(second, first)[0]] == ["r-b", "r-a"]


def test_validation_errors_are_keyed_by_file_id_and_field(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "p.yaml",
        """\
processes:
  - id: p-bad
    kind: sometimes
    colour: red
    activities:
      - id: a-nameless
""",
    )
    records, errors = read(path)
    assert records == []
    assert errors == {
        f"{path}: p-bad.name": ["Fältet måste fyllas i."],
        f"{path}: p-bad.kind": ["Ogiltigt värde; tillåtna: core, support, management."],
        f"{path}: p-bad.colour": ["Okänt fält."],
        f"{path}: p-bad.activities[0].name": ["Fältet måste fyllas i."],
    }


def test_an_item_without_an_id_is_named_by_a_question_mark(tmp_path: Path) -> None:
    path = write(tmp_path, "r.yaml", "roles:\n  - name: Chef\n")
    assert read(path)[1] == {f"{path}: ?.id": ["Fältet måste fyllas i."]}


def test_valid_items_are_kept_next_to_invalid_ones(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "r.yaml",
        """\
risks:
  - {id: rk-ok, title: Fall, probability: 2, consequence: 4}
  - {id: rk-bad, title: Brand, probability: 7}
""",
    )
    records, errors = read(path)
    assert [r.id for r in records] == ["rk-ok"]
    assert errors == {f"{path}: rk-bad.probability": ["Ange ett värde från 1 till 5."]}


def test_a_yaml_syntax_error_names_the_line(tmp_path: Path) -> None:
    path = write(tmp_path, "broken.yaml", "roles:\n  - id: r1\n    name: a: b\n")
    records, errors = read(path)
    assert records == []
    assert list(errors) == [f"{path}:rad 3"]
    assert errors[f"{path}:rad 3"][0].startswith("Ogiltig YAML: ")


def test_a_broken_file_does_not_stop_the_others(tmp_path: Path) -> None:
    broken = write(tmp_path, "a.yaml", "roles: [unclosed\n")
    good = write(tmp_path, "b.yaml", "roles:\n  - {id: r1, name: Chef}\n")
    records, errors = read(broken, good)
    assert [r.id for r in records] == ["r1"]
    assert len(errors) == 1


def test_an_unknown_collection_lists_the_allowed_ones(tmp_path: Path) -> None:
    path = write(tmp_path, "w.yaml", "widgets:\n  - {id: w1}\nroles:\n  - {id: r1, name: C}\n")
    records, errors = read(path)
    assert [r.id for r in records] == ["r1"]
    assert errors == {f"{path}: widgets": [f"Okänd samling; tillåtna: {', '.join(COLLECTIONS)}."]}


@pytest.mark.parametrize("body", ["{id: r1, name: Chef}", "r1", "", "7"])
def test_a_collection_must_be_a_list(tmp_path: Path, body: str) -> None:
    path = write(tmp_path, "r.yaml", f"roles: {body}\n")
    assert read(path) == ([], {f"{path}: roles": ["En lista krävs."]})


def test_each_item_must_be_a_mapping(tmp_path: Path) -> None:
    path = write(tmp_path, "r.yaml", "roles:\n  - {id: r1, name: Chef}\n  - r2\n")
    records, errors = read(path)
    assert [r.id for r in records] == ["r1"]
    assert errors == {f"{path}: roles[1]": ["Ett objekt (mappning) krävs."]}


@pytest.mark.parametrize("text", ["- roles\n- goals\n", "just text\n", "42\n"])
def test_a_file_must_be_a_mapping_of_collections(tmp_path: Path, text: str) -> None:
    path = write(tmp_path, "x.yaml", text)
    assert read(path) == ([], {str(path): ["Filen ska vara en mappning av samlingar till listor."]})


@pytest.mark.parametrize("text", ["", "# bara en kommentar\n"])
def test_an_empty_file_is_no_problem(tmp_path: Path, text: str) -> None:
    assert read(write(tmp_path, "empty.yaml", text)) == ([], {})


def test_a_file_that_is_not_utf8_is_reported(tmp_path: Path) -> None:
    path = tmp_path / "latin1.yaml"
    path.write_bytes("roles:\n  - {id: r1, name: Undersköterska}\n".encode("latin-1"))
    assert read(path) == ([], {str(path): ["Filen är inte UTF-8."]})


def test_a_file_that_is_too_large_is_not_parsed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(model_files, "MAX_FILE_BYTES", 2**20)
    path = tmp_path / "big.yaml"
    path.write_bytes(b"#" * (2**20 + 1))
    assert read(path) == ([], {str(path): ["Filen är större än 1 MB."]})


def test_an_empty_risk_value_does_not_crash_reading(tmp_path: Path) -> None:
    path = write(tmp_path, "r.yaml", "risks:\n  - id: rk1\n    title: Fall\n    probability:\n")
    records, errors = read(path)
    assert len(records) + len(errors) == 1


# -- Problems and model_files() ------------------------------------------------------


def test_problems_collect_messages_per_location() -> None:
    problems = Problems()
    problems.add("a.yaml: p1.name", "Fältet måste fyllas i.")
    problems.add("a.yaml: p1.name", "Ogiltigt värde.")
    problems.add("b.yaml", "Filen är inte UTF-8.")
    assert problems.errors == {
        "a.yaml: p1.name": ["Fältet måste fyllas i.", "Ogiltigt värde."],
        "b.yaml": ["Filen är inte UTF-8."],
    }


def test_no_problems_raise_nothing() -> None:
    problems = Problems()
    problems.raise_if_any("modeller")
    assert problems.errors == {}


def test_problems_raise_invalid_input_counting_every_message() -> None:
    problems = Problems()
    problems.add("a.yaml: p1.name", "Fältet måste fyllas i.")
    problems.add("a.yaml: p1.name", "Ogiltigt värde.")
    problems.add("b.yaml", "Filen är inte UTF-8.")
    with pytest.raises(InvalidInput) as caught:
        problems.raise_if_any("modeller")
    assert caught.value.message == "modeller: 3 fel, inget sparades"
    assert caught.value.lines() == [
        "a.yaml: p1.name: Fältet måste fyllas i.",
        "a.yaml: p1.name: Ogiltigt värde.",
        "b.yaml: Filen är inte UTF-8.",
    ]


def test_model_files_of_a_directory_are_its_yaml_files_sorted(tmp_path: Path) -> None:
    for name in ("b.yaml", "a.yml", "sub/c.yaml", "notes.txt", "d.yaml.bak"):
        write(tmp_path, name, "")
    assert model_files.model_files(tmp_path) == [
        tmp_path / "a.yml",
        tmp_path / "b.yaml",
        tmp_path / "sub" / "c.yaml",
    ]


def test_model_files_of_a_file_is_the_file(tmp_path: Path) -> None:
    path = write(tmp_path, "modell.txt", "")
    assert model_files.model_files(path) == [path]


def test_model_files_of_a_missing_path_is_invalid_input(tmp_path: Path) -> None:
    missing = tmp_path / "nowhere"
    with pytest.raises(InvalidInput) as caught:
        model_files.model_files(missing)
    assert caught.value.errors == {str(missing): ["filen eller katalogen finns inte"]}


def test_every_label_has_a_collection() -> None:
    # A process's BPMN file comes from ``qms bpmn import`` or the modeler, an API token from
    # ``qms user token``; neither from YAML.
    assert sorted(COLLECTIONS.values()) == sorted(
        set(Label) - {Label.PROCESS_MODEL, Label.API_TOKEN}
    )
