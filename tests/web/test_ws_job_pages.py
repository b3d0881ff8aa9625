"""``/arbetsyta/jobb``: long work starts at once and its page refreshes itself until done."""

from __future__ import annotations

import io
import time

from flask import Flask
from flask.testing import FlaskClient

from process_models import DEMO


def finish(client: FlaskClient, location: str, timeout: float = 20.0) -> dict[str, object]:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        status: dict[str, object] = client.get(location + ".json").get_json()
        if status["finished"]:
            return status
        time.sleep(0.05)
    raise AssertionError("the job did not finish")


def test_a_reindex_job_starts_at_once_and_reaches_done(coordinator_client: FlaskClient) -> None:
    started = time.monotonic()
    response = coordinator_client.post("/arbetsyta/jobb/sokindex")
    assert time.monotonic() - started < 2
    assert response.status_code == 303
    location = response.headers["Location"]
    assert location.startswith("/arbetsyta/jobb/")
    status = finish(coordinator_client, location)
    assert status["state"] == "done"
    assert status["percent"] == 100
    html = coordinator_client.get(location).get_data(as_text=True)
    assert "Klart" in html
    assert 'http-equiv="refresh"' not in html
    assert "Sökindexet är återskapat" in html
    assert "<script>" not in html  # no inline script
    assert coordinator_client.get(location).mimetype == "text/html"


def test_a_running_job_page_refreshes_itself(
    coordinator_app: Flask, coordinator_client: FlaskClient
) -> None:
    import threading

    from web.workspace.jobs import runner

    release = threading.Event()
    with coordinator_app.app_context():
        job_id = runner().submit("Väntar", lambda progress: str(release.wait(10)))
    try:
        html = coordinator_client.get(f"/arbetsyta/jobb/{job_id}").get_data(as_text=True)
        assert '<meta http-equiv="refresh" content="2">' in html
        assert "<progress" in html
    finally:
        release.set()
    finish(coordinator_client, f"/arbetsyta/jobb/{job_id}")


def test_relayout_and_the_job_list(coordinator_client: FlaskClient) -> None:
    location = coordinator_client.post("/arbetsyta/jobb/ritningar").headers["Location"]
    assert str(finish(coordinator_client, location)["result"]).endswith("ritade på nytt.")
    html = coordinator_client.get("/arbetsyta/jobb").get_data(as_text=True)
    assert "Rita om alla processkartor" in html


def test_uploaded_model_files_are_imported(coordinator_client: FlaskClient) -> None:
    files = [(io.BytesIO(p.read_bytes()), p.name) for p in sorted(DEMO.glob("*.yaml"))]
    response = coordinator_client.post(
        "/arbetsyta/jobb/import", data={"files": files}, content_type="multipart/form-data"
    )
    assert response.status_code == 303
    status = finish(coordinator_client, response.headers["Location"])
    assert status["state"] == "done", status["error"]
    assert "filer inlästa" in str(status["result"])


def test_a_failing_import_shows_its_error(coordinator_client: FlaskClient) -> None:
    bad = io.BytesIO(b"processes:\n  - id: p-trasig\n    kind: core\n")
    response = coordinator_client.post(
        "/arbetsyta/jobb/import",
        data={"files": [(bad, "trasig.yaml")]},
        content_type="multipart/form-data",
    )
    location = response.headers["Location"]
    status = finish(coordinator_client, location)
    assert status["state"] == "failed"
    html = coordinator_client.get(location).get_data(as_text=True)
    assert "Misslyckades" in html
    assert "Fältet måste fyllas i." in html


def test_only_yaml_files_may_be_imported(coordinator_client: FlaskClient) -> None:
    response = coordinator_client.post(
        "/arbetsyta/jobb/import",
        data={"files": [(io.BytesIO(b"MZ"), "setup.exe")]},
        content_type="multipart/form-data",
    )
    assert response.status_code == 422
    assert "Inte en modellfil: setup.exe." in response.get_data(as_text=True)


def test_unknown_jobs_are_404(coordinator_client: FlaskClient) -> None:
    assert coordinator_client.get("/arbetsyta/jobb/finnsinte").status_code == 404
    assert coordinator_client.get("/arbetsyta/jobb/finnsinte.json").status_code == 404


def test_a_visitor_without_permission_cannot_start_jobs(client: FlaskClient) -> None:
    assert client.post("/arbetsyta/jobb/sokindex").status_code == 403
