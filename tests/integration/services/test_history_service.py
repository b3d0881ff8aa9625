"""History, version content and restore on a real embedded store."""

from __future__ import annotations

import dataclasses
from types import MappingProxyType

import pytest

from qms.domain.entities import (
    Account,
    Action,
    Activity,
    Cause,
    Deviation,
    Document,
    Entity,
    Goal,
    OrgUnit,
    Process,
)
from qms.domain.errors import Conflict, Forbidden, InvalidInput, NotFound
from qms.domain.graph import Link
from qms.domain.kinds import DocumentKind, DocumentStatus, GoalLevel, OrgLevel, ProcessKind
from qms.domain.labels import Label, Rel
from qms.services import history
from qms.services.access import ANONYMOUS, Actor, Permission, coordinator
from qms.services.app import Qms

BOSS = coordinator("samordnare")


def scoped(*permissions: Permission, unit: str) -> Actor:
    """An actor holding ``permissions`` in one unit only."""
    scopes = MappingProxyType({p: frozenset({unit}) for p in permissions})
    return Actor("scoped", frozenset(permissions), scopes, account="scoped")


def write(qms: Qms, *entities: Entity, links: tuple[Link, ...] = (), who: str = "anna") -> None:
    with qms.unit_of_work(who) as uow:
        for entity in entities:
            if uow.label_of(entity.id) is None:
                uow.add(entity)
            else:
                current = uow.get(entity.LABEL, entity.id)
                uow.update(dataclasses.replace(entity, version=current.version))
        for link in links:
            uow.link(link)


@pytest.fixture
def org(qms: Qms) -> Qms:
    """Two units; a process in the first with a delprocess; an owner role link."""
    write(
        qms,
        OrgUnit(id="u-1", name="Enhet Ett", level=OrgLevel.UNIT),
        OrgUnit(id="u-2", name="Enhet Två", level=OrgLevel.UNIT),
        Process(id="p-1", name="Hemtjänst", kind=ProcessKind.CORE, purpose="Stöd i hemmet"),
        Process(id="p-2", name="Delprocess", kind=ProcessKind.CORE),
        links=(Link(Rel.BELONGS_TO, "p-1", "u-1"), Link(Rel.SUBPROCESS_OF, "p-2", "p-1")),
    )
    return qms


def process(qms: Qms, process_id: str = "p-1") -> Process:
    found = qms.store.get(Label.PROCESS, process_id)
    assert isinstance(found, Process)
    return found


def test_each_version_says_who_when_and_what_before_and_after(org: Qms) -> None:
    write(org, dataclasses.replace(process(org), name="Hemtjänst i Söderort"), who="berit")
    page = history.history(org.store, BOSS, "p-1")
    assert page.subject.caption == "Hemtjänst i Söderort"
    assert page.subject.version == 2
    newest, first = page.versions
    assert (newest.number, newest.kind, newest.actor) == (2, "update", "berit")
    assert [(f.name, f.before, f.after) for f in newest.fields] == [
        ("Namn", "Hemtjänst", "Hemtjänst i Söderort")
    ]
    assert (first.number, first.kind) == (1, "create")
    assert ("Uppdrag", "–", "Stöd i hemmet") in [(f.name, f.before, f.after) for f in first.fields]
    assert [(lk.name, lk.target_caption, lk.added) for lk in first.links] == [
        ("Organisationsenhet", "Enhet Ett", True)
    ]


def test_links_alone_keep_the_version_and_name_the_other_end(org: Qms) -> None:
    write(org, Goal(id="g-1", title="Trygg omsorg", level=GoalLevel.UNIT))
    write(org, links=(Link(Rel.CONTRIBUTES_TO, "p-1", "g-1"),))
    with org.unit_of_work("anna") as uow:
        uow.unlink(Link(Rel.BELONGS_TO, "p-1", "u-1"))
    versions = history.history(org.store, BOSS, "p-1").versions
    assert [(v.kind, v.number) for v in versions] == [("links", 1), ("links", 1), ("create", 1)]
    removed, added = versions[0].links[0], versions[1].links[0]
    assert (removed.added, removed.target_caption, removed.target_kind) == (
        False,
        "Enhet Ett",
        "Organisationsenhet",
    )
    assert (added.added, added.name, added.target_caption) == (
        True,
        "Bidrar till målet",
        "Trygg omsorg",
    )


def test_the_content_of_an_old_version_is_replayed_from_the_log(org: Qms) -> None:
    write(org, dataclasses.replace(process(org), name="B", purpose=""))
    write(org, dataclasses.replace(process(org), name="C"))
    first = history.version_content(org.store, ANONYMOUS, "p-1", 1)
    assert first.values["name"] == "Hemtjänst"
    assert first.values["purpose"] == "Stöd i hemmet"
    rows = {f.field: f for f in first.fields}
    name = rows["name"]
    assert (name.name, name.value, name.differs) == ("Namn", "Hemtjänst", True)
    assert rows["kind"].value == "Huvudprocess"
    assert not rows["kind"].differs
    assert first.actor == "anna"
    with pytest.raises(NotFound):
        history.version_content(org.store, BOSS, "p-1", 4)


def test_a_restore_writes_the_old_content_as_a_new_version_in_the_log(org: Qms) -> None:
    write(org, dataclasses.replace(process(org), name="B", purpose="Nytt uppdrag"))
    done = history.restore(org, scoped(Permission.EDIT_PROCESSES, unit="u-1"), "p-1", 1, 2)
    assert done.changed
    assert done.entity.version == 3
    restored = process(org)
    assert (restored.name, restored.purpose) == ("Hemtjänst", "Stöd i hemmet")
    newest, second, first = history.history(org.store, BOSS, "p-1").versions
    assert (newest.number, newest.actor, newest.restored_from) == (3, "scoped", 1)
    assert (newest.same_as_now, second.same_as_now, first.same_as_now) == (True, False, True)
    assert {f.field for f in newest.fields} == {"name", "purpose"}
    found = [hit.title for hit in org.search_index.search("Hemtjänst") if hit.id == "p-1"]
    assert found == ["Hemtjänst"]  # the search index followed the restore


def test_restoring_the_content_it_already_has_changes_nothing(org: Qms) -> None:
    done = history.restore(org, BOSS, "p-1", 1, 1)
    assert not done.changed
    assert process(org).version == 1


def test_a_stale_expected_version_is_a_conflict_and_nothing_is_written(org: Qms) -> None:
    write(org, dataclasses.replace(process(org), name="B"))
    with pytest.raises(Conflict, match="nu version 2, du såg version 1"):
        history.restore(org, BOSS, "p-1", 1, 1)
    assert process(org).name == "B"


def test_restore_needs_edit_processes_in_the_unit_a_delprocess_lies_in(org: Qms) -> None:
    write(org, dataclasses.replace(process(org, "p-2"), name="Ändrad"))
    with pytest.raises(Forbidden):
        history.restore(org, scoped(Permission.EDIT_PROCESSES, unit="u-2"), "p-2", 1, 2)
    with pytest.raises(Forbidden):
        history.restore(org, ANONYMOUS, "p-2", 1, 2)
    page = history.history(org.store, scoped(Permission.EDIT_PROCESSES, unit="u-2"), "p-2")
    assert not page.restoring.allowed
    history.restore(org, scoped(Permission.EDIT_PROCESSES, unit="u-1"), "p-2", 1, 2)
    assert process(org, "p-2").name == "Delprocess"


def test_an_archived_process_stays_archived_when_content_is_restored(org: Qms) -> None:
    write(org, dataclasses.replace(process(org), purpose="Nytt", archived=True))
    history.restore(org, BOSS, "p-1", 1, 2)
    assert (process(org).purpose, process(org).archived) == ("Stöd i hemmet", True)


def document(qms: Qms) -> Document:
    found = qms.store.get(Label.DOCUMENT, "d-1")
    assert isinstance(found, Document)
    return found


def test_a_document_gets_its_content_back_but_never_its_workflow(qms: Qms) -> None:
    write(qms, Document(id="d-1", title="Rutin", kind=DocumentKind.ROUTINE, body="Gör så här"))
    changed = dataclasses.replace(document(qms), body="Gör annorlunda", doc_version="1.1")
    write(qms, dataclasses.replace(changed, approved_by="chefen"))
    history.restore(qms, BOSS, "d-1", 1, 2)
    back = document(qms)
    assert (back.body, back.doc_version, back.approved_by) == ("Gör så här", "1.0", "chefen")


def test_a_document_that_is_not_a_draft_is_never_restored(qms: Qms) -> None:
    write(qms, Document(id="d-1", title="Rutin", kind=DocumentKind.ROUTINE, body="Första"))
    write(qms, dataclasses.replace(document(qms), body="Andra", status=DocumentStatus.APPROVED))
    page = history.history(qms.store, BOSS, "d-1")
    assert not page.restoring.allowed
    assert "ny version" in page.restoring.refusal
    with pytest.raises(InvalidInput, match="skapa en ny version"):
        history.restore(qms, BOSS, "d-1", 1, 2)
    assert document(qms).body == "Andra"


def test_a_status_change_alone_is_not_taken_for_a_restore(qms: Qms) -> None:
    write(qms, Document(id="d-1", title="Rutin", kind=DocumentKind.ROUTINE, body="A"))
    write(qms, dataclasses.replace(document(qms), status=DocumentStatus.REVIEW))
    write(qms, dataclasses.replace(document(qms), status=DocumentStatus.DRAFT))
    versions = history.history(qms.store, BOSS, "d-1").versions
    assert [v.restored_from for v in versions] == [None, None, None]


def test_a_file_no_longer_stored_is_not_brought_back(qms: Qms) -> None:
    gone = "a" * 64
    write(qms, Document(id="d-1", title="Rutin", kind=DocumentKind.ROUTINE, file_checksum=gone))
    write(qms, dataclasses.replace(document(qms), file_checksum="", body="Text i stället"))
    with pytest.raises(InvalidInput, match="finns inte kvar"):
        history.restore(qms, BOSS, "d-1", 1, 2)


def test_only_some_kinds_can_be_restored(qms: Qms) -> None:
    write(qms, Goal(id="g-1", title="Mål", level=GoalLevel.UNIT))
    write(qms, Goal(id="g-1", title="Nytt mål", level=GoalLevel.UNIT))
    assert not history.history(qms.store, BOSS, "g-1").restoring.allowed
    with pytest.raises(InvalidInput, match="Bara processer"):
        history.restore(qms, BOSS, "g-1", 1, 2)


@pytest.fixture
def case(org: Qms) -> Qms:
    """An avvikelse in unit 1 with a root cause."""
    write(
        org,
        Deviation(id="av-1", title="Fel medicin till Karin", description="Karin B fick fel"),
        Cause(id="c-1", description="Karins lista var gammal"),
        links=(Link(Rel.BELONGS_TO, "av-1", "u-1"), Link(Rel.CAUSED_BY, "av-1", "c-1")),
    )
    deviation = org.store.get(Label.DEVIATION, "av-1")
    write(org, dataclasses.replace(deviation, location="Karins hem"))  # type: ignore[arg-type]
    return org


@pytest.mark.parametrize(
    "actor",
    [ANONYMOUS, scoped(Permission.READ_PERSONAL_DATA, unit="u-2")],
    ids=["anonymous", "other-unit"],
)
def test_personal_data_is_said_to_have_changed_never_to_what(case: Qms, actor: Actor) -> None:
    page = history.history(case.store, actor, "av-1")
    text = repr(page)
    assert "Karin" not in text
    assert page.subject.caption == "av-1"
    assert page.notice
    update = page.versions[0]
    assert [(f.name, f.hidden, f.before, f.after) for f in update.fields] == [
        ("Plats", True, "", "")
    ]
    assert ("Status", False) in [(f.name, f.hidden) for f in page.versions[-1].fields]
    assert "Karin" not in repr(history.version_content(case.store, actor, "av-1", 1))
    assert "Karin" not in repr(history.history(case.store, actor, "c-1"))


def test_those_who_handle_the_case_in_its_unit_see_the_values(case: Qms) -> None:
    actor = scoped(Permission.READ_PERSONAL_DATA, unit="u-1")
    page = history.history(case.store, actor, "av-1")
    assert page.notice == ""
    assert page.subject.caption == "Fel medicin till Karin"
    assert [(f.before, f.after) for f in page.versions[0].fields] == [("–", "Karins hem")]
    cause_link = page.versions[-1].links
    assert "Karins lista var gammal" in [lk.target_caption for lk in cause_link]


def test_account_history_is_for_administrators_and_never_shows_secrets(qms: Qms) -> None:
    write(qms, Account(id="anna", name="Anna", password_hash="$argon2id$hemligt"))
    account = qms.store.get(Label.ACCOUNT, "anna")
    write(qms, dataclasses.replace(account, password_hash="$argon2id$nytt"))  # type: ignore[arg-type]
    with pytest.raises(Forbidden):
        history.history(qms.store, scoped(Permission.READ_PERSONAL_DATA, unit="u-1"), "anna")
    page = history.history(qms.store, BOSS, "anna")
    assert "argon" not in repr(page)
    assert [(f.name, f.before, f.after) for f in page.versions[0].fields] == [
        ("Lösenord", "(dolt)", "(dolt)")
    ]
    assert "argon" not in repr(history.version_content(qms.store, BOSS, "anna", 2))


def test_a_deleted_activity_keeps_its_history_and_a_new_life_starts_at_1(qms: Qms) -> None:
    write(qms, Activity(id="a-1", name="Ta emot"))
    write(qms, Activity(id="a-1", name="Ta emot ansökan"))
    with qms.unit_of_work("anna") as uow:
        uow.delete(Label.ACTIVITY, "a-1")
    gone = history.history(qms.store, BOSS, "a-1")
    assert not gone.subject.exists
    assert gone.subject.caption == "Ta emot ansökan"
    assert [v.kind for v in gone.versions] == ["delete", "update", "create"]
    assert not gone.restoring.allowed
    write(qms, Activity(id="a-1", name="Ny aktivitet"))
    again = history.history(qms.store, BOSS, "a-1")
    assert [(v.kind, v.number, v.viewable) for v in again.versions] == [
        ("create", 1, True),
        ("delete", 2, False),
        ("update", 2, False),
        ("create", 1, False),
    ]
    assert history.version_content(qms.store, BOSS, "a-1", 1).values["name"] == "Ny aktivitet"


def test_an_activity_gets_its_content_back_in_its_process_unit_but_keeps_its_place(
    org: Qms,
) -> None:
    write(
        org,
        Activity(id="a-1", name="Ta emot", description="Först", position=1),
        links=(Link(Rel.HAS_ACTIVITY, "p-1", "a-1"),),
    )
    write(org, Activity(id="a-1", name="Ta emot ansökan", description="Sedan", position=4))
    with pytest.raises(Forbidden):
        history.restore(org, scoped(Permission.EDIT_PROCESSES, unit="u-2"), "a-1", 1, 2)
    history.restore(org, scoped(Permission.EDIT_PROCESSES, unit="u-1"), "a-1", 1, 2)
    back = org.store.get(Label.ACTIVITY, "a-1")
    assert isinstance(back, Activity)
    assert (back.name, back.description, back.position) == ("Ta emot", "Först", 4)


def test_an_action_on_a_case_is_as_secret_as_the_case(case: Qms) -> None:
    write(
        case,
        Action(id="act-1", title="Ny lista för Karin"),
        Action(id="act-2", title="Se över rutinen"),
        links=(Link(Rel.ADDRESSES, "act-1", "c-1"),),
    )
    assert "Karin" not in repr(history.history(case.store, ANONYMOUS, "act-1"))
    assert history.history(case.store, ANONYMOUS, "act-2").subject.caption == "Se över rutinen"


def test_an_entity_loaded_in_bulk_is_numbered_back_from_its_version(qms: Qms) -> None:
    qms.store.bulk_load([Process(id="p-9", name="Bulk", kind=ProcessKind.CORE, version=4)], [])
    write(qms, dataclasses.replace(process(qms, "p-9"), name="Efter"))
    versions = history.history(qms.store, BOSS, "p-9").versions
    assert [(v.number, v.kind) for v in versions] == [(5, "update")]
    assert history.version_content(qms.store, BOSS, "p-9", 4).values["name"] == "Bulk"
    history.restore(qms, BOSS, "p-9", 4, 5)
    assert process(qms, "p-9").name == "Bulk"


def test_long_histories_come_in_pages_newest_first(org: Qms) -> None:
    for n in range(2, 121):
        write(org, dataclasses.replace(process(org), name=f"Namn {n}"))
    first = history.history(org.store, BOSS, "p-1")
    last = history.history(org.store, BOSS, "p-1", page=3)
    assert (first.total, first.pages, len(first.versions)) == (120, 3, 50)
    assert first.versions[0].number == 120
    assert [v.number for v in last.versions] == list(range(20, 0, -1))
    assert history.history(org.store, BOSS, "p-1", page=99).page == 3


def test_an_id_never_seen_is_not_found(qms: Qms) -> None:
    with pytest.raises(NotFound):
        history.history(qms.store, BOSS, "finns-inte")
