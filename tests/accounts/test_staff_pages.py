"""Staff and clinic settings in the web app, from a clinic admin's side: add a clinician who then
signs in, deactivate them (they cannot sign in; their session ends), change a role with the
last-admin rule, reset a lost second factor (they must enrol again), edit the clinic's details.
Everyone else is refused on every staff and settings URL; every write appends an audit event."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice

from needlerx.accounts.models import Clinic, Membership, User
from needlerx.audit.models import AuditEvent
from tests.accounts.test_two_factor import code_for
from tests.personas import PASSWORD, World

STAFF = "/account/staff/"
NEW_PASSWORD = "plum-orchard-lantern-42"


def new_staff(**changes: Any) -> dict[str, Any]:
    return {
        "first_name": "Cara",
        "last_name": "Lindqvist",
        "username": "cara",
        "email": "cara@example.org",
        "role": "clinician",
        "password": NEW_PASSWORD,
        **changes,
    }


def membership(world: World, user: User) -> Membership:
    return Membership.objects.get(user=user, clinic=world.clinic_a)


def sign_in(client: Client, username: str, password: str = PASSWORD):
    return client.post(reverse("login"), {"username": username, "password": password})


def audit_actions(since: int) -> list[str]:
    return list(
        AuditEvent.objects.filter(sequence__gt=since)
        .order_by("sequence")
        .values_list("action", flat=True)
    )


def last_sequence() -> int:
    last = AuditEvent.objects.order_by("-sequence").first()
    return last.sequence if last else 0


def test_the_admin_sees_the_staff_of_their_clinic(client: Client, world: World):
    TOTPDevice.objects.create(user=world.frank, name="phone", confirmed=True)
    client.force_login(world.ada)
    home = client.get("/").content.decode()
    assert f'href="{STAFF}"' in home  # the navigation's Staff link
    page = client.get(STAFF).content.decode()
    for name in ("Alice", "Frank", "Ada", "Nora"):
        assert name in page
    assert "Bob" not in page  # another clinic's clinician
    assert "Reset two-factor" in page  # Frank has an authenticator
    assert "No credential recorded" in page and "Current" in page  # Nora, Alice
    assert reverse("accounts:clinic", args=[world.clinic_a.public_id]) in page


@pytest.mark.parametrize("persona", ["alice", "frank", "nora", "bob"])
def test_everyone_else_is_refused_on_every_staff_and_settings_url(
    client: Client, world: World, persona: str
):
    client.force_login(getattr(world, persona))
    assert f'href="{STAFF}"' not in client.get("/").content.decode()
    target = membership(world, world.nora).public_id
    clinic = world.clinic_a.public_id
    before = last_sequence()
    gets = [
        STAFF,
        reverse("accounts:staff_new", args=[clinic]),
        reverse("accounts:clinic", args=[clinic]),
    ]
    for url in gets:
        assert client.get(url).status_code in (403, 404), url
    posts = {
        reverse("accounts:staff_new", args=[clinic]): new_staff(),
        reverse("accounts:clinic", args=[clinic]): {"name": "Taken over"},
        reverse("accounts:staff_role", args=[target]): {"role": "clinic_admin"},
        reverse("accounts:staff_deactivate", args=[target]): {},
        reverse("accounts:staff_reset_second_factor", args=[target]): {},
        reverse("accounts:staff_password_link", args=[target]): {},
    }
    for url, data in posts.items():
        assert client.post(url, data).status_code in (403, 404), url
    assert not User.objects.filter(username="cara").exists()
    assert membership(world, world.nora).role == "clinician"
    assert User.objects.get(pk=world.nora.pk).is_active
    assert Clinic.objects.get(pk=world.clinic_a.pk).name == "Clinic A"
    assert [a for a in audit_actions(before) if not a.startswith("access.")] == []


def test_the_admin_adds_a_clinician_who_then_signs_in(client: Client, world: World):
    client.force_login(world.ada)
    before = last_sequence()
    url = reverse("accounts:staff_new", args=[world.clinic_a.public_id])
    response = client.post(url, new_staff())
    cara = User.objects.get(username="cara")
    # A clinician goes on to their dry-needling credential.
    assert response["Location"] == reverse("accounts:credential_new", args=[cara.public_id])
    assert membership(world, cara).role == "clinician"
    assert audit_actions(before) == ["user.create", "membership.grant"]
    event = AuditEvent.objects.get(action="user.create", sequence__gt=before)
    assert event.actor_username == "ada"
    client.logout()
    signed_in = sign_in(client, "cara", NEW_PASSWORD)
    assert signed_in.status_code == 302
    assert client.get(reverse("patients:list")).status_code == 200


@pytest.mark.parametrize(
    ("changes", "field", "words"),
    [
        ({"password": "short"}, "password", "too short"),
        ({"password": "password1234"}, "password", "too common"),
        ({"username": "alice"}, "username", "already exists"),
        ({"last_name": "  "}, "last_name", "required"),
    ],
)
def test_bad_staff_input_shows_beside_its_field_and_saves_nothing(
    client: Client, world: World, changes: dict[str, str], field: str, words: str
):
    client.force_login(world.ada)
    url = reverse("accounts:staff_new", args=[world.clinic_a.public_id])
    response = client.post(url, new_staff(**changes))
    assert response.status_code == 400
    errors = response.context["form"].errors
    assert field in errors and words in " ".join(errors[field]), errors
    assert not User.objects.filter(first_name="Cara").exists()


def test_a_deactivated_clinician_cannot_sign_in_and_their_session_ends(
    client: Client, world: World
):
    nora = Client()
    assert sign_in(nora, "nora").status_code == 302
    assert nora.get(reverse("patients:list")).status_code == 200
    client.force_login(world.ada)
    before = last_sequence()
    target = membership(world, world.nora).public_id
    response = client.post(reverse("accounts:staff_deactivate", args=[target]), follow=True)
    assert "is deactivated" in response.content.decode()
    assert "Deactivated" in response.content.decode()
    assert audit_actions(before) == ["user.deactivate"]
    # The open session ends at its next request; a new sign-in is refused.
    assert nora.get(reverse("patients:list"))["Location"].startswith(reverse("login"))
    assert nora.get("/api/v1/patients/").status_code == 401
    refused = sign_in(Client(), "nora")
    assert (
        refused.status_code == 200 and "correct username and password" in refused.content.decode()
    )
    # Reactivated, she signs in again with the same password.
    client.post(reverse("accounts:staff_reactivate", args=[target]))
    assert audit_actions(before)[-1] == "user.reactivate"
    assert sign_in(Client(), "nora").status_code == 302


def test_the_admin_changes_a_role_and_the_audit_keeps_before_and_after(
    client: Client, world: World
):
    client.force_login(world.ada)
    before = last_sequence()
    target = membership(world, world.frank).public_id
    client.post(reverse("accounts:staff_role", args=[target]), {"role": "clinic_admin"})
    assert membership(world, world.frank).role == "clinic_admin"
    event = AuditEvent.objects.get(sequence__gt=before, action="membership.role_change")
    assert event.detail["from"] == "front_desk" and event.detail["to"] == "clinic_admin"
    # Frank is an admin now: the Staff page is his.
    frank = Client()
    frank.force_login(world.frank)
    assert frank.get(STAFF).status_code == 200


def test_the_last_admin_cannot_demote_or_deactivate_themselves(client: Client, world: World):
    client.force_login(world.ada)
    mine = membership(world, world.ada).public_id
    before = last_sequence()
    demoted = client.post(
        reverse("accounts:staff_role", args=[mine]), {"role": "clinician"}, follow=True
    )
    assert "only active clinic admin" in demoted.content.decode()
    deactivated = client.post(reverse("accounts:staff_deactivate", args=[mine]), follow=True)
    assert "only active clinic admin" in deactivated.content.decode()
    assert membership(world, world.ada).role == "clinic_admin"
    assert User.objects.get(pk=world.ada.pk).is_active
    assert [a for a in audit_actions(before) if not a.startswith("access.")] == []
    # With a second admin, Ada may step down.
    client.post(
        reverse("accounts:staff_role", args=[membership(world, world.frank).public_id]),
        {"role": "clinic_admin"},
    )
    client.post(reverse("accounts:staff_role", args=[mine]), {"role": "clinician"})
    assert membership(world, world.ada).role == "clinician"


def test_a_second_factor_reset_makes_them_enrol_again(client: Client, world: World, settings):
    settings.TWO_FACTOR_REQUIRED_ROLES = ["clinic_admin"]
    Membership.objects.filter(user=world.frank).update(role="clinic_admin")
    device = TOTPDevice.objects.create(user=world.frank, name="phone", confirmed=True)
    frank = Client()
    sign_in(frank, "frank")
    frank.post(reverse("accounts:two_factor_verify"), {"token": code_for(device)})
    assert frank.get(reverse("patients:list")).status_code == 200
    ada_device = TOTPDevice.objects.create(user=world.ada, name="phone", confirmed=True)
    sign_in(client, "ada")
    client.post(reverse("accounts:two_factor_verify"), {"token": code_for(ada_device)})
    before = last_sequence()
    target = membership(world, world.frank).public_id
    response = client.post(
        reverse("accounts:staff_reset_second_factor", args=[target]), follow=True
    )
    assert "authenticator app was removed" in response.content.decode()
    assert not TOTPDevice.objects.filter(user=world.frank).exists()
    assert audit_actions(before) == ["auth.two_factor_reset"]
    # His open session and his next sign-in both go to the set-up page.
    enrol = reverse("accounts:two_factor_enrol")
    assert frank.get(reverse("patients:list"))["Location"].startswith(enrol)
    again = Client()
    sign_in(again, "frank")
    assert again.get(reverse("patients:list"))["Location"].startswith(enrol)


def settings_form(world: World, **changes: str) -> dict[str, str]:
    return {
        "name": "Clinic A",
        "address_line_1": "1600 Champa St",
        "address_line_2": "Suite 300",
        "city": "Denver",
        "postal_code": "80202",
        "phone": "(303) 555-0142",
        "npi": "1234567893",
        "country": "US",
        "region": "CO",
        "time_zone_choice": "America/Denver",
        "time_zone_other": "",
        "date_style": "month_first",
        "measurement_units": "us_customary",
        **changes,
    }


def test_the_admin_edits_the_clinic_details(client: Client, world: World):
    client.force_login(world.ada)
    url = reverse("accounts:clinic", args=[world.clinic_a.public_id])
    assert client.get(url).status_code == 200
    before = last_sequence()
    response = client.post(url, settings_form(world))
    assert response.status_code == 302
    clinic = Clinic.objects.get(pk=world.clinic_a.pk)
    assert (clinic.city, clinic.npi, clinic.time_zone) == ("Denver", "1234567893", "America/Denver")
    assert clinic.date_style == "month_first" and clinic.measurement_units == "us_customary"
    assert audit_actions(before) == ["clinic.update"]
    changed = AuditEvent.objects.get(sequence__gt=before).detail["changed"]
    assert changed["time_zone"] == {"from": "UTC", "to": "America/Denver"}
    # A zone outside the list is typed and checked.
    client.post(
        url, settings_form(world, time_zone_choice="other", time_zone_other="America/Boise")
    )
    assert Clinic.objects.get(pk=world.clinic_a.pk).time_zone == "America/Boise"
    page = client.get(url).content.decode()
    assert 'value="America/Boise"' in page


@pytest.mark.parametrize(
    ("changes", "field", "words"),
    [
        (
            {"time_zone_choice": "other", "time_zone_other": "Mars/Olympus"},
            "time_zone_other",
            "IANA",
        ),
        ({"npi": "1234567890"}, "npi", "not a valid NPI"),
        ({"npi": "12345"}, "npi", "10 digits"),
        ({"country": "USA"}, "country", "at most 2"),
        ({"region": "C-O"}, "region", "state or province code"),
        ({"name": "Clinic B"}, "name", "already called"),
    ],
)
def test_bad_clinic_details_name_the_field_and_save_nothing(
    client: Client, world: World, changes: dict[str, str], field: str, words: str
):
    client.force_login(world.ada)
    url = reverse("accounts:clinic", args=[world.clinic_a.public_id])
    response = client.post(url, settings_form(world, **changes))
    assert response.status_code == 400
    errors = response.context["form"].errors
    assert field in errors and words in " ".join(errors[field]), errors
    assert Clinic.objects.get(pk=world.clinic_a.pk).city == ""


def link_in(text: str) -> str:
    match = re.search(r"http://testserver(/account/set-password/[^/\s]+/[^/\s]+/)", text)
    assert match, text
    return match.group(1)


def test_an_invited_colleague_chooses_their_password_with_a_one_time_link(
    client: Client, world: World
):
    client.force_login(world.ada)
    before = last_sequence()
    url = reverse("accounts:staff_new", args=[world.clinic_a.public_id])
    page = client.post(url, new_staff(password="", role="front_desk"), follow=True)
    cara = User.objects.get(username="cara")
    assert not cara.has_usable_password()
    assert audit_actions(before) == ["user.create", "membership.grant", "user.password_link"]
    # Emailed through Django's email framework, and shown to the admin to pass on.
    (email,) = mail.outbox
    assert email.to == ["cara@example.org"] and "Your username is cara" in email.body
    link = link_in(str(email.body))
    assert link == link_in(page.content.decode())
    assert "No password yet" in client.get(STAFF).content.decode()

    visitor = Client()
    assert "Choose your password" in visitor.get(link).content.decode()
    short = visitor.post(link, {"new_password": "short", "confirm_password": "short"})
    assert short.status_code == 400 and "too short" in " ".join(
        short.context["form"].errors["new_password"]
    )
    done = visitor.post(link, {"new_password": NEW_PASSWORD, "confirm_password": NEW_PASSWORD})
    assert done["Location"] == reverse("login")
    assert "user.password_set" in audit_actions(before)
    assert sign_in(Client(), "cara", NEW_PASSWORD).status_code == 302
    # The link works once.
    used = Client().get(link)
    assert used.status_code == 404 and "already used" in used.content.decode()


def test_a_forgotten_password_gets_a_new_link_but_not_for_someone_deactivated(
    client: Client, world: World
):
    client.force_login(world.ada)
    target = membership(world, world.nora).public_id
    page = client.post(reverse("accounts:staff_password_link", args=[target]), follow=True)
    assert "It was not emailed" in page.content.decode()  # Nora has no email address
    link = link_in(page.content.decode())
    client.post(reverse("accounts:staff_deactivate", args=[target]))
    assert Client().get(link).status_code == 404  # a deactivated account's link stops working
    refused = client.post(reverse("accounts:staff_password_link", args=[target]), follow=True)
    assert "reactivate them first" in refused.content.decode()


def test_a_made_up_link_is_not_found(client: Client, world: World):
    assert client.get("/account/set-password/MQ/abc-123/").status_code == 404
    response = client.post("/account/set-password/MQ/abc-123/", {"new_password": "x"})
    assert response.status_code == 404
    assert world.alice.check_password(PASSWORD)
