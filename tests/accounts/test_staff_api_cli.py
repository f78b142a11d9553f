"""Staff and clinic settings through the API and ``needlerx staff`` / ``needlerx clinic``: the
same services, the same refusals (one input model per write), clinic admins of the clinic only."""

from __future__ import annotations

import json

import pytest
from django.test import Client

from needlerx.accounts.models import Clinic, Membership, User
from needlerx.audit.models import AuditEvent
from tests.doors import api_refusal, assert_same_refusal, cli_refusal, run_cli
from tests.personas import World

PASSWORD = "plum-orchard-lantern-42"


def staff_body(**changes: str | None) -> dict[str, str | None]:
    return {
        "username": "cara",
        "first_name": "Cara",
        "last_name": "Lindqvist",
        "email": "cara@example.org",
        "role": "clinician",
        "password": PASSWORD,
        **changes,
    }


def place(world: World, user: User) -> str:
    return str(Membership.objects.get(user=user, clinic=world.clinic_a).public_id)


def test_the_api_lists_creates_and_changes_staff(client: Client, world: World):
    client.force_login(world.ada)
    clinic = world.clinic_a.public_id
    rows = client.get(f"/api/v1/clinics/{clinic}/staff").json()
    by_name = {row["username"]: row for row in rows}
    assert set(by_name) == {"alice", "frank", "ada", "nora"}
    assert by_name["alice"]["credential_status"] == "current"
    assert by_name["nora"]["credential_status"] == "none"
    assert by_name["frank"]["credential_status"] is None
    assert by_name["ada"]["second_factor"] is False and by_name["ada"]["active"] is True

    created = client.post(
        f"/api/v1/clinics/{clinic}/staff", staff_body(), content_type="application/json"
    )
    assert created.status_code == 201, created.content
    cara = created.json()
    assert cara["role"] == "clinician" and cara["name"] == "Cara Lindqvist"

    role = client.post(
        f"/api/v1/staff/{cara['id']}/role", {"role": "front_desk"}, content_type="application/json"
    )
    assert role.json()["role"] == "front_desk"
    assert client.post(f"/api/v1/staff/{cara['id']}/deactivate").json()["active"] is False
    assert client.post(f"/api/v1/staff/{cara['id']}/reactivate").json()["active"] is True
    assert client.post(f"/api/v1/staff/{cara['id']}/reset-second-factor").status_code == 200
    actions = list(AuditEvent.objects.filter(actor_username="ada").values_list("action", flat=True))
    for action in (
        "user.create",
        "membership.grant",
        "membership.role_change",
        "user.deactivate",
        "user.reactivate",
        "auth.two_factor_reset",
    ):
        assert action in actions


def test_the_api_reads_and_updates_the_clinic(client: Client, world: World):
    client.force_login(world.ada)
    url = f"/api/v1/clinics/{world.clinic_a.public_id}"
    assert client.get(url).json()["time_zone"] == "UTC"
    changed = client.patch(
        url,
        {"time_zone": "America/Denver", "npi": "1234567893", "city": "Denver"},
        content_type="application/json",
    )
    assert changed.status_code == 200, changed.content
    assert changed.json()["time_zone"] == "America/Denver"
    assert Clinic.objects.get(pk=world.clinic_a.pk).city == "Denver"
    assert AuditEvent.objects.filter(action="clinic.update", actor_username="ada").count() == 1


@pytest.mark.parametrize("persona", ["alice", "frank", "nora", "bob"])
def test_the_api_refuses_everyone_but_the_clinics_admin(client: Client, world: World, persona: str):
    client.force_login(getattr(world, persona))
    clinic = world.clinic_a.public_id
    nora = place(world, world.nora)
    calls = [
        ("get", f"/api/v1/clinics/{clinic}/staff", None),
        ("post", f"/api/v1/clinics/{clinic}/staff", staff_body()),
        ("post", f"/api/v1/staff/{nora}/role", {"role": "clinic_admin"}),
        ("post", f"/api/v1/staff/{nora}/deactivate", None),
        ("post", f"/api/v1/staff/{nora}/reactivate", None),
        ("post", f"/api/v1/staff/{nora}/reset-second-factor", None),
        ("get", f"/api/v1/clinics/{clinic}", None),
        ("patch", f"/api/v1/clinics/{clinic}", {"name": "Taken over"}),
    ]
    for method, path, body in calls:
        response = client.generic(
            method.upper(), path, json.dumps(body or {}), content_type="application/json"
        )
        assert response.status_code in (403, 404), (path, response.status_code)
    assert not User.objects.filter(username="cara").exists()
    assert Clinic.objects.get(pk=world.clinic_a.pk).name == "Clinic A"
    assert Membership.objects.get(user=world.nora).role == "clinician"


def test_the_last_admin_cannot_step_down_through_the_api(client: Client, world: World):
    client.force_login(world.ada)
    mine = place(world, world.ada)
    field, message = api_refusal(
        client, "POST", f"/api/v1/staff/{mine}/role", {"role": "clinician"}
    )
    assert field == "role" and "only active clinic admin" in message
    refused = client.post(f"/api/v1/staff/{mine}/deactivate")
    assert refused.status_code == 400 and refused.json()["error"]["code"] == "last_admin"


@pytest.mark.parametrize(
    ("body", "options", "field"),
    [
        ({"time_zone": "Mars/Olympus"}, ["--time-zone", "Mars/Olympus"], "time_zone"),
        ({"npi": "1234567890"}, ["--npi", "1234567890"], "npi"),
        ({"date_style": "dd.mm"}, ["--date-style", "dd.mm"], "date_style"),
        (
            {"measurement_units": "imperial"},
            ["--measurement-units", "imperial"],
            "measurement_units",
        ),
    ],
)
def test_the_api_and_the_cli_refuse_bad_clinic_details_alike(
    client: Client, world: World, monkeypatch, capsys, body, options, field
):
    client.force_login(world.ada)
    api = api_refusal(client, "PATCH", f"/api/v1/clinics/{world.clinic_a.public_id}", body)
    cli = cli_refusal(monkeypatch, capsys, "clinic", "update", "--user", "ada", *options)
    assert_same_refusal(api, cli, field)
    assert Clinic.objects.get(pk=world.clinic_a.pk).time_zone == "UTC"


def test_the_api_and_the_cli_refuse_an_unknown_role_alike(
    client: Client, world: World, monkeypatch, capsys
):
    client.force_login(world.ada)
    api = api_refusal(
        client, "POST", f"/api/v1/clinics/{world.clinic_a.public_id}/staff", staff_body(role="boss")
    )
    cli = cli_refusal(
        monkeypatch, capsys, "staff", "create", "--user", "ada", "--username", "cara",
        "--first-name", "Cara", "--last-name", "Lindqvist", "--role", "boss",
    )  # fmt: skip
    assert_same_refusal(api, cli, "role")
    assert "clinician" in api[1] and "clinic_admin" in api[1]


def test_the_cli_manages_staff_and_the_clinic(world: World, monkeypatch, capsys):
    status, out, err = run_cli(
        monkeypatch, capsys, "staff", "create", "--user", "ada", "--username", "cara",
        "--first-name", "Cara", "--last-name", "Lindqvist", "--role", "clinician",
        "--password-stdin", stdin=PASSWORD + "\n",
    )  # fmt: skip
    assert status == 0, err
    assert json.loads(out)["username"] == "cara"
    assert User.objects.get(username="cara").check_password(PASSWORD)
    status, out, err = run_cli(monkeypatch, capsys, "staff", "list", "--user", "ada")
    assert status == 0 and "cara" in {row["username"] for row in json.loads(out)}
    for action in ("deactivate", "reactivate", "reset-second-factor"):
        status, out, err = run_cli(
            monkeypatch, capsys, "staff", action, "--user", "ada", "--staff", "cara"
        )
        assert status == 0, (action, err)
    status, out, err = run_cli(
        monkeypatch, capsys, "staff", "role", "--user", "ada", "--staff", "cara", "--role",
        "front_desk",
    )  # fmt: skip
    assert json.loads(out)["role"] == "front_desk"
    status, out, err = run_cli(
        monkeypatch, capsys, "clinic", "update", "--user", "ada", "--city", "Denver",
        "--time-zone", "America/Denver",
    )  # fmt: skip
    assert status == 0 and json.loads(out)["city"] == "Denver"
    status, out, err = run_cli(monkeypatch, capsys, "clinic", "show", "--user", "ada")
    assert json.loads(out)["time_zone"] == "America/Denver"
    origins = AuditEvent.objects.filter(actor_username="ada").values_list("action", flat=True)
    assert {"user.create", "user.deactivate", "clinic.update"} <= set(origins)


def test_the_cli_refuses_a_clinician_and_the_last_admin(world: World, monkeypatch, capsys):
    err = cli_refusal(monkeypatch, capsys, "staff", "list", "--user", "alice")
    assert "clinic: you are not a clinic admin" in err
    err = cli_refusal(monkeypatch, capsys, "clinic", "show", "--user", "frank")
    assert "clinic: you are not a clinic admin" in err
    err = cli_refusal(monkeypatch, capsys, "staff", "deactivate", "--user", "ada", "--staff", "ada")
    assert "only active clinic admin" in err
    assert User.objects.get(username="ada").is_active


def test_someone_who_also_works_elsewhere_is_deactivated_only_by_an_admin_of_both(
    client: Client, world: World
):
    Membership.objects.create(user=world.nora, clinic=world.clinic_b, role="clinician")
    client.force_login(world.ada)
    refused = client.post(f"/api/v1/staff/{place(world, world.nora)}/deactivate")
    assert refused.status_code == 403
    assert "also works at Clinic B" in refused.json()["error"]["message"]
    assert User.objects.get(pk=world.nora.pk).is_active
    # Her role in Clinic A is Ada's to change.
    role = client.post(
        f"/api/v1/staff/{place(world, world.nora)}/role",
        {"role": "front_desk"},
        content_type="application/json",
    )
    assert role.status_code == 200 and role.json()["role"] == "front_desk"


def test_the_api_and_the_cli_invite_without_a_password(
    client: Client, world: World, monkeypatch, capsys
):
    client.force_login(world.ada)
    created = client.post(
        f"/api/v1/clinics/{world.clinic_a.public_id}/staff",
        staff_body(password=None),
        content_type="application/json",
    )
    assert created.status_code == 201, created.content
    link = client.post(f"/api/v1/staff/{created.json()['id']}/set-password-link").json()
    assert link["url"].startswith("http://testserver/account/set-password/")
    assert link["emailed_to"] == "cara@example.org" and link["valid_days"] >= 1
    assert Client().get(link["url"].removeprefix("http://testserver")).status_code == 200

    status, out, err = run_cli(
        monkeypatch, capsys, "staff", "create", "--user", "ada", "--username", "dev",
        "--first-name", "Dev", "--last-name", "Patel", "--role", "front_desk", "--invite",
        "--site-url", "https://needlerx.example.org",
    )  # fmt: skip
    assert status == 0, err
    printed = json.loads(out)["set_password_link"]
    assert printed["url"].startswith("https://needlerx.example.org/account/set-password/")
    assert printed["emailed_to"] == ""  # no address given: the admin passes it on
    assert not User.objects.get(username="dev").has_usable_password()
    status, out, err = run_cli(
        monkeypatch, capsys, "staff", "password-link", "--user", "ada", "--staff", "nora"
    )
    assert status == 0 and "set_password_link" in json.loads(out)
