"""Filling in the public forms as a person would."""

from __future__ import annotations

from typing import Any

from django.test import Client

from needlerx.accounts.models import Clinic
from needlerx.clinical.self_check import self_check_reference


def self_check_form(**yes: bool) -> dict[str, str]:
    """Every question answered no, then ``yes`` (question id -> True/False), neck pain."""
    data = {"pain_area": "neck"}
    for question in self_check_reference().questions:
        if question.only_if is None:
            data[question.id] = "no"
    for question_id, value in yes.items():
        data[question_id] = "yes" if value else "no"
    return data


def request_form(at: Clinic, /, **overrides: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "clinic": str(at.public_id),
        "given_name": "Robin",
        "family_name": "Requester",
        "email": "robin@example.com",
        "phone": "303-555-0142",
        "pain_area": "back",
        "preferred_days": ["tuesday", "thursday"],
        "preferred_times": ["morning"],
        "message": "",
        "consent_to_contact": "on",
        "website": "",
    }
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


def token_from_result(client: Client, **yes: bool) -> str:
    """Take the self-check; the signed answers the result page carries to the request form."""
    response = client.post("/self-check/", self_check_form(**yes))
    assert response.status_code == 200
    return str(response.context["token"])
