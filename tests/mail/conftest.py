"""Fixtures for the email channel's tests: the corpus, and settings that make acme.example our own domain."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

CORPUS = Path(__file__).parent / "corpus"
EXPECTED = json.loads((CORPUS / "expected.json").read_text(encoding="utf-8"))
OUR_ADDRESS = "servicedesk@acme.example"


def corpus(name: str) -> bytes:
    return (CORPUS / name).read_bytes()


@pytest.fixture(autouse=True)
def _our_mail_domain(settings):
    settings.EMAIL_MESSAGE_ID_DOMAIN = "acme.example"
    settings.DEFAULT_FROM_EMAIL = f"Service Desk <{OUR_ADDRESS}>"
    settings.SERVER_EMAIL = settings.DEFAULT_FROM_EMAIL
    settings.EMAIL_UNKNOWN_SENDERS = "create"
