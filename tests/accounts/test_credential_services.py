"""Recording a clinician's dry-needling credential: who may, what is refused, what is audited,
and how a lapsed credential explains itself (personas from tests/personas.py)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.utils import timezone

from needlerx.accounts import selectors, services
from needlerx.accounts.models import DryNeedlingCredential
from needlerx.audit.models import AuditEvent
from needlerx.core.errors import ApplicationError, PermissionDenied
from tests.personas import World

TODAY = timezone.localdate


def fields(**changes: Any) -> dict[str, Any]:
    today = TODAY()
    values: dict[str, Any] = {
        "training_provider": "Myopain Seminars",
        "hours": 54,
        "completed_on": today - dt.timedelta(days=30),
        "expires_on": today + dt.timedelta(days=700),
        "licence_number": "PT-9",
        "licence_country": "us",
        "licence_region": "co",
    }
    values.update(changes)
    return values


def test_a_clinic_admin_records_a_credential_for_a_clinician_of_their_clinic(world: World):
    credential = services.credential_add(actor=world.ada, user=world.nora, **fields())
    assert (credential.licence_country, credential.licence_region) == ("US", "CO")
    assert selectors.credential_current(user=world.nora, on=TODAY()) == credential
    event = AuditEvent.objects.filter(action="credential.add").latest("sequence")
    assert event.actor_username == "ada"
    assert event.detail["user"] == "nora" and event.detail["hours"] == 54


@pytest.mark.parametrize("who", ["alice", "frank", "bob", "nora"])
def test_no_one_but_the_clinic_admin_of_the_clinicians_clinic_may(world: World, who: str):
    with pytest.raises(PermissionDenied):
        services.credential_add(actor=getattr(world, who), user=world.nora, **fields())
    assert not DryNeedlingCredential.objects.filter(user=world.nora).exists()


def test_an_admin_of_another_clinic_may_not(world: World):
    other_admin = services.user_create(
        username="olga",
        password="correct-horse-battery-staple",
        clinic=world.clinic_b,
        role="clinic_admin",
    )
    with pytest.raises(PermissionDenied):
        services.credential_add(actor=other_admin, user=world.nora, **fields())


@pytest.mark.parametrize(
    ("change", "field", "words"),
    [
        ({"training_provider": "  "}, "training_provider", "training body"),
        ({"hours": 0}, "hours", "1 or more"),
        ({"completed_on": TODAY() + dt.timedelta(days=1)}, "completed_on", "after today"),
        ({"expires_on": TODAY() - dt.timedelta(days=400)}, "expires_on", "completion date"),
        ({"licence_country": "USA"}, "licence_country", "two-letter"),
        ({"licence_region": "Colorado"}, "licence_region", "such as CO"),
        ({"licence_number": ""}, "licence_number", ""),
    ],
)
def test_bad_input_names_the_field_and_saves_nothing(world, change, field, words):
    with pytest.raises(ApplicationError) as refused:
        services.credential_add(actor=world.ada, user=world.nora, **fields(**change))
    assert refused.value.field == field
    assert words in refused.value.message
    assert not DryNeedlingCredential.objects.filter(user=world.nora).exists()
    assert not AuditEvent.objects.filter(action="credential.add", actor_username="ada").exists()


def test_renewal_is_audited_with_before_and_after(world: World):
    credential = selectors.credential_current(user=world.alice, on=TODAY())
    assert credential is not None
    new_expiry = TODAY() + dt.timedelta(days=1000)
    services.credential_update(actor=world.ada, credential=credential, expires_on=new_expiry)
    event = AuditEvent.objects.filter(action="credential.update").latest("sequence")
    assert event.detail["changed"]["expires_on"]["to"] == new_expiry.isoformat()
    with pytest.raises(ApplicationError) as refused:
        services.credential_update(actor=world.ada, credential=credential, user=world.nora)
    assert refused.value.field == "user"
    with pytest.raises(PermissionDenied):
        services.credential_update(actor=world.alice, credential=credential, hours=500)


def expire_yesterday(world: World) -> dt.date:
    credential = selectors.credential_current(user=world.alice, on=TODAY())
    assert credential is not None
    yesterday = TODAY() - dt.timedelta(days=1)
    services.credential_update(actor=world.ada, credential=credential, expires_on=yesterday)
    return yesterday


def test_an_expired_credential_says_when_it_expired_and_who_can_renew_it(world: World):
    yesterday = expire_yesterday(world)
    with pytest.raises(ApplicationError) as refused:
        selectors.credential_require_current(user=world.alice, on=TODAY())
    assert refused.value.code == "credential_required"
    assert f"expired on {yesterday.isoformat()}" in refused.value.message
    assert "Ada (Clinic A)" in refused.value.message


def test_no_credential_says_who_can_record_one(world: World):
    message = selectors.credential_refusal(user=world.nora, on=TODAY())
    assert message is not None
    assert "no dry-needling credential is recorded" in message
    assert "can record it" in message and "Ada (Clinic A)" in message
    assert selectors.credential_refusal(user=world.alice, on=TODAY()) is None


def test_the_admin_list_shows_each_clinician_with_their_status(world: World):
    expire_yesterday(world)
    rows = selectors.clinicians_with_credentials(user=world.ada, clinic=world.clinic_a, on=TODAY())
    status = {row.user.username: row.status for row in rows}
    assert status == {"alice": "expired", "nora": "none"}
    with pytest.raises(PermissionDenied):
        selectors.clinicians_with_credentials(user=world.alice, clinic=world.clinic_a, on=TODAY())
