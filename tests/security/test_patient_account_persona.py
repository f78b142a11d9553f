"""The patient as a persona of the route x persona suite (issue 15).

A patient signed in to their own account (``/me/``) calls EVERY page and API route (found at
test time, as in ``test_isolation``):

- a neighbour (another patient of the victim's own clinic, with an account) gets nothing of the
  victim's anywhere: every route naming the victim's records refuses, no answer shows the
  victim's name, MRN or clinical text, and nothing they send changes the record;
- the victim's own account gets 403 or 404 on every staff page and every API route (their own
  pages, the public pages and sign-in/out are the only doors), and their page shows only them.
"""

from __future__ import annotations

from django.test import Client
from django.urls import reverse

from needlerx.accounts.models import User
from tests.security.conftest import (
    CLINICAL_MARKERS,
    VICTIM_FAMILY,
    VICTIM_GIVEN,
    VICTIM_MRN,
    Victim,
    patient_account,
)
from tests.security.test_isolation import all_routes, call, problems_for, record_changes

# Where a signed-in patient may go: their own pages, the public pages, sign-in and sign-out.
PATIENT_DOORS = (
    "/me/",
    "/my/",
    "/learn/",
    "/self-check/",
    "/request-a-consultation/",
    "/sitemap.xml",
    "/healthz",
    "/login/",
    "/logout/",
    "/account/two-factor/",
)
STAFF_REFUSED = {403, 404, 405}


def _neighbour(victim: Victim) -> User:
    world = victim.world
    neighbour = world.patient(
        mrn="NEIGHBOUR-1", given_name="Nadia", family_name="Nextdoor", email="nadia@example.com"
    )
    world.episode(neighbour)
    return patient_account(world, neighbour)


def test_a_patient_gets_nothing_of_another_patient_anywhere(client: Client, victim: Victim):
    neighbour = _neighbour(victim)
    before = record_changes(victim)
    forbidden = (*victim.demographic_markers, *CLINICAL_MARKERS)
    found = problems_for(
        client, all_routes(victim), forbidden, must_refuse_ids=True, user=neighbour
    )
    assert found == [], "\n".join(found)
    assert record_changes(victim) == before


def test_a_patient_gets_403_or_404_on_every_staff_page_and_api_route(
    client: Client, victim: Victim
):
    user = victim.patient_user
    assert user is not None
    problems = []
    checked = 0
    for route in all_routes(victim):
        if route.path == "/" or route.path.startswith(PATIENT_DOORS):
            continue
        client.force_login(user)
        response = call(client, route)
        checked += 1
        if response.status_code not in STAFF_REFUSED:
            problems.append(f"{route.label} ({route.path}): {response.status_code}")
        body = response.content.decode(errors="replace")
        if any(marker in body for marker in (*CLINICAL_MARKERS, VICTIM_MRN)):
            problems.append(f"{route.label}: shows the record on a staff route")
    assert checked > 50
    assert problems == [], "\n".join(problems)


def test_the_clinic_home_sends_a_patient_to_their_own_page(client: Client, victim: Victim):
    assert victim.patient_user is not None
    client.force_login(victim.patient_user)
    response = client.get("/")
    assert response.status_code == 302
    assert response["Location"] == reverse("patient_account:home")


def test_each_patient_sees_only_their_own_page(client: Client, victim: Victim):
    neighbour = _neighbour(victim)
    assert victim.patient_user is not None
    client.force_login(victim.patient_user)
    own = client.get(reverse("patient_account:home")).content.decode()
    assert f"Hello {VICTIM_GIVEN}" in own and "Nadia" not in own
    client.force_login(neighbour)
    theirs = client.get(reverse("patient_account:home")).content.decode()
    assert "Hello Nadia" in theirs
    for marker in (VICTIM_GIVEN, VICTIM_FAMILY, VICTIM_MRN, *CLINICAL_MARKERS):
        assert marker not in theirs
    task = victim.patient.tasks.get()
    assert client.get(reverse("patient_account:task", args=[task.public_id])).status_code == 404
