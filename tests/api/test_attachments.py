"""/incidents/{ref}/attachments/: multipart upload, list, download; 413 and 415."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from tests.api.conftest import url

pytestmark = pytest.mark.django_db


def _file(name="log.txt", content=b"ERROR 42\n", content_type="text/plain"):
    return SimpleUploadedFile(name, content, content_type=content_type)


def test_a_caller_uploads_a_file_and_downloads_it_back(requester_api, incident):
    uploaded = requester_api.post(url(incident, "attachments/"), {"file": _file()}, format="multipart")
    assert uploaded.status_code == 201, uploaded.content
    body = uploaded.json()
    assert body["filename"] == "log.txt" and body["size"] == 9
    download = requester_api.get(url(incident, f"attachments/{body['id']}/"))
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == b"ERROR 42\n"
    assert "attachment" in download["Content-Disposition"]


def test_internal_attachments_are_hidden_from_the_caller(agent_api, requester_api, incident):
    internal = agent_api.post(
        url(incident, "attachments/"), {"file": _file("notes.txt"), "is_public": "false"}, format="multipart"
    ).json()
    assert requester_api.get(url(incident, "attachments/")).json() == []
    assert requester_api.get(url(incident, f"attachments/{internal['id']}/")).status_code == 404
    assert [a["filename"] for a in agent_api.get(url(incident, "attachments/")).json()] == ["notes.txt"]


def test_a_requester_cannot_upload_an_internal_attachment(requester_api, incident):
    response = requester_api.post(
        url(incident, "attachments/"), {"file": _file(), "is_public": "false"}, format="multipart"
    )
    assert response.status_code == 403


def test_a_file_over_the_limit_is_413(agent_api, incident, settings):
    settings.ATTACHMENT_MAX_BYTES = 10
    response = agent_api.post(url(incident, "attachments/"), {"file": _file(content=b"x" * 100)}, format="multipart")
    assert response.status_code == 413
    assert response.json()["type"] == "too_large"


def test_a_type_not_allowed_is_415(agent_api, incident):
    response = agent_api.post(
        url(incident, "attachments/"),
        {"file": _file("run.exe", b"MZ", "application/x-msdownload")},
        format="multipart",
    )
    assert response.status_code == 415


def test_json_instead_of_multipart_is_415(agent_api, incident):
    assert agent_api.post(url(incident, "attachments/"), {"file": "abc"}, format="json").status_code == 415


def test_an_upload_without_a_file_names_the_field(agent_api, incident):
    response = agent_api.post(url(incident, "attachments/"), {"is_public": "true"}, format="multipart")
    assert response.status_code == 400
    assert "file" in response.json()["errors"]
