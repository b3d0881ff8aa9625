"""Schemathesis fuzzes the JSON API from its own OpenAPI document, in process, on the whole
demo organisation: no answer may be a server error, and every answer must match the document
(status, content type, body schema). Run with ``-s`` to see how many cases ran."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Iterator
from typing import Any

import pytest
import schemathesis
from flask import Flask
from flask.testing import FlaskClient
from hypothesis import HealthCheck, given, settings
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)
from schemathesis.specs.openapi.definitions import OPENAPI_30_VALIDATOR

from qms.domain.labels import Label
from qms.services.access import coordinator
from qms.services.accounts import add_account, create_token
from qms.storage.port import GraphStore

CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]
#: Examples per run of an operation: some 1 400 cases over the whole API in under a minute.
EXAMPLES = 30
STATUSES: Counter[tuple[str, int]] = Counter()
#: Ids of the demo that path parameters also take, so cases reach real entities (random ids
#: only find 404s).
REAL_IDS = {
    "process_id": ["p-hemtjanst", "p-avvikelse"],
    "activity_id": ["a-av-start"],
    "document_id": ["d-rut-avvikelse"],
    "role_id": ["r-avdelningschef"],
    "goal_id": ["g-im-1", "g-em-ht-kontinuitet"],
    "risk_id": ["risk-gfp"],
    "deviation_id": ["dev-lexsarah-utebliven-insats", "dev-gfp-saknas"],
    "entity_id": ["dev-lexsarah-utebliven-insats", "p-hemtjanst"],
}
#: Body fields that name other entities, and a real id for each, so that writes also reach
#: their success path (a random id only finds a 422).
REAL_REFERENCES: dict[str, Any] = {
    "process": "p-hemtjanst",
    "activity": "a-ht-planera",
    "org_unit": "ou-enh-hemtjanst",
    "raised_by": "ekr-journal-2026-10",
    "realises": "risk-gfp",
    "owner": "r-avdelningschef",
    "goals": ["g-em-ht-kontinuitet"],
    "indicator": "ind-personalkontinuitet",
    "occurred_on": "2026-05-01",
}


@pytest.fixture(scope="module")
def fuzz_token(coordinator_app: Flask) -> str:
    """A token of a kvalitetssamordnare for the whole organisation."""
    store = coordinator_app.extensions["qms"].store
    data = {"id": "fuzz", "name": "Fuzz", "roles": ["kvalitetssamordnare@*"]}
    add_account(store, coordinator("test"), data)
    return create_token(store, coordinator("test"), "fuzz", "schemathesis")[1]


@pytest.fixture(scope="module", autouse=True)
def _report() -> Iterator[None]:
    yield
    by_status: Counter[int] = Counter()
    by_operation: dict[str, Counter[int]] = {}
    for (label, status), count in STATUSES.items():
        by_status[status] += count
        by_operation.setdefault(label, Counter())[status] += count
    print(f"\nschemathesis: {by_status.total()} cases run, ", end="")
    print(f"{sum(n for code, n in by_status.items() if code >= 500)} server errors")
    for label, counts in sorted(by_operation.items()):
        print(f"  {label}: " + ", ".join(f"{code}×{n}" for code, n in sorted(counts.items())))


@pytest.fixture
def api_schema(coordinator_app: Flask) -> Any:
    """The API as its OpenAPI document describes it."""
    return schemathesis.openapi.from_wsgi("/api/v1/openapi.json", coordinator_app)


def with_real_references(store: GraphStore) -> Callable[[Any], None]:
    """A change to a generated case: real ids in its body, a process's current version."""

    def change(case: Any) -> None:
        if not isinstance(case.body, dict):
            return
        case.body.update({k: v for k, v in REAL_REFERENCES.items() if k in case.body})
        process = str((case.path_parameters or {}).get("process_id", ""))
        if "version" in case.body and store.label_of(process) is Label.PROCESS:
            case.body["version"] = store.get(Label.PROCESS, process).version

    return change


def fuzz(
    operation: Any,
    mode: GenerationMode,
    headers: dict[str, str],
    prepare: Callable[[Any], None] | None = None,
    **fixed: Any,
) -> None:
    """Run ``EXAMPLES`` generated cases of one operation and check each answer."""

    @settings(
        max_examples=EXAMPLES,
        deadline=None,
        database=None,
        suppress_health_check=list(HealthCheck),
    )
    @given(case=operation.as_strategy(mode, headers=headers, **fixed))
    def run(case: Any) -> None:
        if prepare is not None:
            prepare(case)
        response = case.call_and_validate(checks=CHECKS)
        STATUSES[(operation.label, response.status_code)] += 1

    run()


def runs_of(operation: Any, real: Callable[[Any], None]) -> list[tuple[Any, ...]]:
    """Positive and (where there is input to get wrong) negative cases; then positive ones on
    real ids, with real references."""
    found: list[tuple[Any, ...]] = [(GenerationMode.POSITIVE, None, {})]
    if operation.query or operation.body or operation.path_parameters:
        found.append((GenerationMode.NEGATIVE, None, {}))
    names = re.findall(r"{(\w+)}", operation.path)
    for name in names:
        for entity_id in REAL_IDS[name]:
            fixed = {"path_parameters": {name: entity_id}}
            found.append((GenerationMode.POSITIVE, real, fixed))
    if not names and operation.method.upper() == "POST":
        found.append((GenerationMode.POSITIVE, real, {}))
    return found


def test_api_fuzz(api_schema: Any, fuzz_token: str, coordinator_app: Flask) -> None:
    # schemathesis.pytest.from_fixture does not run on pytest 9 (it reads a private node
    # attribute that is gone), so each operation's strategy drives a Hypothesis test here.
    headers = {"Authorization": f"Bearer {fuzz_token}"}
    real = with_real_references(coordinator_app.extensions["qms"].store)
    failures: dict[str, str] = {}
    operations = [result.ok() for result in api_schema.get_all_operations()]
    for operation in operations:
        for mode, prepare, fixed in runs_of(operation, real):
            try:
                fuzz(operation, mode, headers, prepare, **fixed)
            except Exception as exc:  # noqa: BLE001 (collect every operation's failure)
                failures[f"{mode} {operation.label} {fixed}"] = str(exc)[:3000]
    assert len(operations) >= 18
    assert not failures, "\n\n".join(f"{k}:\n{v}" for k, v in failures.items())


def test_api_document_is_valid_openapi(coordinator_client: FlaskClient) -> None:
    spec = coordinator_client.get("/api/v1/openapi.json").get_json()
    errors = [str(e) for e in OPENAPI_30_VALIDATOR.iter_errors(spec)]
    assert errors == []
    broken = {**spec, "paths": {"/x": {"get": {"responses": "none"}}}}
    assert list(OPENAPI_30_VALIDATOR.iter_errors(broken))
