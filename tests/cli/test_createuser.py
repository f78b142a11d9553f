from __future__ import annotations

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from needlerx.accounts.models import User


def test_createuser_adds_a_user_with_a_role(world, monkeypatch, capsys):
    monkeypatch.setenv("NEEDLERX_NEW_PASSWORD", "a-long-enough-passphrase")
    call_command("createuser", "carol", "--clinic", "Clinic A", "--role", "front_desk")
    carol = User.objects.get(username="carol")
    assert carol.memberships.get().role == "front_desk"
    assert "Created carol" in capsys.readouterr().out


def test_an_unknown_role_is_refused_with_exit_2_and_the_allowed_roles(world, monkeypatch):
    monkeypatch.setenv("NEEDLERX_NEW_PASSWORD", "a-long-enough-passphrase")
    with pytest.raises(CommandError) as caught:
        call_command("createuser", "carol", "--clinic", "Clinic A", "--role", "surgeon")
    assert caught.value.returncode == 2
    assert "role" in str(caught.value)
    assert "clinician, front_desk, clinic_admin" in str(caught.value)
    assert not User.objects.filter(username="carol").exists()


def test_a_weak_password_is_refused_and_nothing_is_stored(world, monkeypatch):
    monkeypatch.setenv("NEEDLERX_NEW_PASSWORD", "short")
    with pytest.raises(CommandError) as caught:
        call_command("createuser", "carol", "--clinic", "Clinic A", "--role", "clinician")
    assert "password" in str(caught.value)
    assert not User.objects.filter(username="carol").exists()


def test_an_unknown_clinic_is_named(world, monkeypatch):
    monkeypatch.setenv("NEEDLERX_NEW_PASSWORD", "a-long-enough-passphrase")
    with pytest.raises(CommandError) as caught:
        call_command("createuser", "carol", "--clinic", "Nowhere", "--role", "clinician")
    assert "clinic" in str(caught.value) and "Clinic A" in str(caught.value)
