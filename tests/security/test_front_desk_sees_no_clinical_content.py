"""Front desk sees demographics and that an episode exists, never its clinical content.

The permission matrix (docs/security.md) gives front desk no diagnosis codes, regions, onset or
acuity. Frank (front desk of Clinic A) calls every page and API route with the ids of the victim's
records, and no answer may carry the episode's ICD-10 code, a region word, the onset date or an
acuity word (security review M1).
"""

from __future__ import annotations

import re

from django.test import Client

from tests.security.conftest import Victim
from tests.security.routes import Route
from tests.security.test_isolation import all_routes, call

ACUITY_WORDS = re.compile(r"\b(acute|subacute|chronic)\b", re.IGNORECASE)
REGION_WORDS = re.compile(r"\b(cervical|thoracic|lumbar)\b", re.IGNORECASE)


def episode_markers(victim: Victim) -> list[re.Pattern[str]]:
    episode = victim.patient.episodes.get()
    literal = [*episode.diagnosis_codes, episode.onset_date.isoformat()]
    return [re.compile(re.escape(text)) for text in literal] + [ACUITY_WORDS, REGION_WORDS]


def is_reference_data(route: Route) -> bool:
    """API catalogues (muscles, exercises, adverse-event types) name regions for everyone: an API
    route with no record id in it that is not the patient list."""
    api = route.path.startswith("/api/v1/")
    return api and not route.uses_victim_id and not route.path.startswith("/api/v1/patients")


def test_front_desk_sees_no_episode_clinical_content_on_any_route(client: Client, victim):
    markers = episode_markers(victim)
    found = []
    for route in all_routes(victim):
        if route.method != "GET" or is_reference_data(route):
            continue
        client.force_login(victim.world.frank)
        response = call(client, route)
        body = response.content.decode(errors="replace")
        leaked = sorted({m.group(0) for marker in markers for m in marker.finditer(body)})
        if leaked:
            found.append(f"{route.label} ({route.path}): {response.status_code} shows {leaked}")
    assert found == [], "\n".join(found)


def test_front_desk_sees_that_an_episode_exists(client: Client, victim):
    client.force_login(victim.world.frank)
    response = client.get(f"/patients/{victim.patient.public_id}/")
    assert response.status_code == 200
    page = response.content.decode()
    assert "Episodes of care" in page
    assert "1 open" in page


def test_the_clinician_still_sees_the_episode_clinical_content(client: Client, victim):
    client.force_login(victim.world.alice)
    page = client.get(f"/patients/{victim.patient.public_id}/").content.decode()
    assert "M54.2" in page
    assert victim.patient.episodes.get().onset_date.isoformat() in page
