"""TOTP two-factor sign-in: required for clinic admins, optional (by setting) for everyone."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from needlerx.accounts.two_factor import two_factor_reset
from needlerx.audit.models import AuditEvent
from tests.personas import PASSWORD


@pytest.fixture
def admins_need_two_factor(settings):
    settings.TWO_FACTOR_REQUIRED_ROLES = ["clinic_admin"]


def code_for(device: TOTPDevice, offset: int = 0) -> str:
    value = totp(device.bin_key, device.step, device.t0, device.digits, device.drift + offset)
    return f"{value:06d}"


def unthrottle(device: TOTPDevice) -> None:
    """django-otp waits a second after a wrong code; tests do not."""
    device.refresh_from_db()
    device.throttle_reset()


def sign_in(client, username: str):
    return client.post(reverse("login"), {"username": username, "password": PASSWORD})


def test_a_clinic_admin_must_set_up_two_factor_before_anything_else(
    client, world, admins_need_two_factor
):
    sign_in(client, "ada")
    response = client.get(reverse("patients:list"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:two_factor_enrol"))
    page = client.get(response["Location"])
    assert page.status_code == 200
    assert b'src="data:image/svg+xml;base64,' in page.content
    api = client.get("/api/v1/patients/")
    assert api.status_code == 403
    assert api.json()["error"]["code"] == "two_factor_required"


def test_enrolment_with_a_code_from_the_app_lets_the_admin_in(
    client, world, admins_need_two_factor
):
    sign_in(client, "ada")
    client.get(reverse("accounts:two_factor_enrol"))
    device = TOTPDevice.objects.get(user=world.ada)
    wrong = client.post(reverse("accounts:two_factor_enrol"), {"token": "000000"})
    assert b"is not the current code" in wrong.content or code_for(device) == "000000"
    unthrottle(device)
    response = client.post(
        reverse("accounts:two_factor_enrol"), {"token": code_for(device), "next": "/patients/"}
    )
    assert response.status_code == 302
    assert response["Location"] == "/patients/"
    assert client.get(reverse("patients:list")).status_code == 200
    assert AuditEvent.objects.filter(action="auth.two_factor_enrolled").exists()


def test_each_later_sign_in_needs_a_code(client, world, admins_need_two_factor):
    device = TOTPDevice.objects.create(user=world.ada, name="app", confirmed=True)
    sign_in(client, "ada")
    response = client.get(reverse("patients:list"))
    assert response["Location"].startswith(reverse("accounts:two_factor_verify"))
    bad = client.post(reverse("accounts:two_factor_verify"), {"token": "12ab56"})
    assert b"must be the 6-digit code" in bad.content
    ok = client.post(reverse("accounts:two_factor_verify"), {"token": code_for(device)})
    assert ok.status_code == 302
    assert client.get(reverse("patients:list")).status_code == 200


def test_a_wrong_code_is_audited_and_an_outside_next_url_is_ignored(
    client, world, admins_need_two_factor
):
    device = TOTPDevice.objects.create(user=world.ada, name="app", confirmed=True)
    sign_in(client, "ada")
    wrong = f"{(int(code_for(device)) + 1) % 1_000_000:06d}"
    client.post(reverse("accounts:two_factor_verify"), {"token": wrong})
    assert AuditEvent.objects.filter(action="auth.two_factor_failed").exists()
    throttled = client.post(reverse("accounts:two_factor_verify"), {"token": code_for(device)})
    assert b"too many wrong codes" in throttled.content
    unthrottle(device)
    response = client.post(
        reverse("accounts:two_factor_verify"),
        {"token": code_for(device), "next": "https://evil.example/"},
    )
    assert response["Location"] == "/"


def test_clinicians_need_no_second_factor_unless_configured(client, world, settings):
    settings.TWO_FACTOR_REQUIRED_ROLES = ["clinic_admin"]
    sign_in(client, "alice")
    assert client.get(reverse("patients:list")).status_code == 200
    settings.TWO_FACTOR_REQUIRED_ROLES = ["clinician", "front_desk", "clinic_admin"]
    client.logout()
    sign_in(client, "alice")
    assert client.get(reverse("patients:list")).status_code == 302


def test_a_user_who_enrolled_is_always_asked(client, world):
    TOTPDevice.objects.create(user=world.alice, name="app", confirmed=True)
    sign_in(client, "alice")
    assert client.get(reverse("patients:list")).status_code == 302


def test_reset_removes_the_devices_and_is_audited(world):
    TOTPDevice.objects.create(user=world.ada, name="app", confirmed=True)
    assert two_factor_reset(user=world.ada, actor=None) == 1
    assert not TOTPDevice.objects.filter(user=world.ada).exists()
    assert AuditEvent.objects.filter(action="auth.two_factor_reset").exists()


def test_the_reset_command_names_an_unknown_user_and_resets_a_known_one(world, capsys):
    from django.core.management import CommandError, call_command

    TOTPDevice.objects.create(user=world.ada, name="app", confirmed=True)
    with pytest.raises(CommandError, match="username: no user 'nobody'"):
        call_command("two_factor_reset", "nobody")
    call_command("two_factor_reset", "ada")
    assert "Removed 1 authenticator(s) of ada." in capsys.readouterr().out
    event = AuditEvent.objects.get(action="auth.two_factor_reset")
    assert event.command.startswith("needlerx")
