"""The billing suggestion beside the note: the page, the API and the CLI show the same count,
the muscles counted with their sides and entries, the rule and its sources (clinical review W4)."""

from __future__ import annotations

import json
from io import StringIO
from typing import Any

from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from needlerx.treatments import services
from needlerx.treatments.models import TreatmentSession
from tests.personas import World
from tests.treatments.helpers import checked_session, consent, fresh, needle
from tests.web.page_elements import Element, parse_page

BILATERAL_NECK = [
    {"muscle": "upper_trapezius", "side": "bilateral", "technique": "static"},
    {"muscle": "levator_scapulae", "side": "bilateral", "technique": "static"},
]
GROUPED_THORACIC = [{"muscle": "thoracic_erector_spinae", "side": "left", "technique": "static"}]


def _session(world: World, plan: list[dict[str, str]]) -> TreatmentSession:
    episode = world.episode(world.patient(), regions=["cervical", "thoracic"])
    consent(world.alice, episode)
    session = checked_session(world.alice, episode, plan)
    for entry in plan:
        needle(world.alice, session, entry)
    return fresh(session)


def _billing_section(client: Client, session: TreatmentSession) -> Element:
    url = reverse("clinic:session", args=[session.patient.public_id, session.public_id])
    response = client.get(url)
    assert response.status_code == 200
    return parse_page(response.content.decode()).by_id("billing")


def _shown_count(section: Element) -> int:
    spans = [s for s in section.find_all("span") if "data-muscle-count" in s.attrs]
    assert len(spans) == 1
    return int(spans[0].attrs["data-muscle-count"] or "")


def _api(client: Client, session: TreatmentSession) -> dict[str, Any]:
    response = client.get(f"/api/v1/sessions/{session.public_id}/billing")
    assert response.status_code == 200
    answer: dict[str, Any] = response.json()
    return answer


def _cli(session: TreatmentSession) -> dict[str, Any]:
    out = StringIO()
    call_command(
        "treatment", "billing", "--user", "alice", "--session", str(session.public_id), stdout=out
    )
    answer: dict[str, Any] = json.loads(out.getvalue())
    return answer


def _sign(world: World, session: TreatmentSession) -> TreatmentSession:
    used = sum(e.needles or 0 for e in session.needling_entries.all())
    session = services.treatment_session_needle_count(
        actor=world.alice, session=session, needles_used=used, needles_removed=used
    )
    session = services.treatment_session_update(
        actor=world.alice,
        session=session,
        expected_version=session.version,
        assessment="Tolerated well.",
        aftercare_given=["soreness_expected", "pneumothorax_safety_net", "contact_clinic"],
    )
    return services.treatment_session_sign(
        actor=world.alice, session=session, expected_version=session.version
    )


def test_page_api_and_cli_show_the_same_count_and_code(client, world):
    session = _session(world, BILATERAL_NECK)
    client.force_login(world.alice)
    api = _api(client, session)
    assert (api["code"], api["distinct_muscle_count"]) == ("20561", 4)
    assert api["distinct_muscles"] == [
        "trapezius:left",
        "trapezius:right",
        "levator_scapulae:left",
        "levator_scapulae:right",
    ]
    assert _cli(session) == api
    section = _billing_section(client, session)
    assert _shown_count(section) == api["distinct_muscle_count"]
    assert section.find_all("strong", data_code="20561")
    rows = [[cell.text for cell in row.find_all("td")] for row in section.find_all("tr")[1:]]
    assert len(rows) == 4
    assert rows[0][:3] == ["Trapezius", "Left", "Upper trapezius (both sides)"]
    assert "each side is a muscle" in rows[0][3]
    assert "Suggestion only" in section.text
    assert "right and the left trapezius are two muscles" in section.text
    assert "Count right, left trapezius as one?" in section.text
    assert "untimed" in section.text and "97140" in section.text

    signed = _sign(world, fresh(session))
    signed_section = _billing_section(client, signed)
    assert _shown_count(signed_section) == _api(client, signed)["distinct_muscle_count"] == 4


def test_a_grouped_entry_already_recorded_counts_once_and_asks_for_the_muscle(client, world):
    session = _session(world, GROUPED_THORACIC)
    client.force_login(world.alice)
    api = _api(client, session)
    assert (api["code"], api["distinct_muscle_count"]) == ("20560", 1)
    (counted,) = api["counted_muscles"]
    assert counted["named"] is False
    assert counted["entries"] == [
        {"muscle": "thoracic_erector_spinae", "name": "Thoracic erector spinae", "side": "left"}
    ]
    section = _billing_section(client, session)
    assert _shown_count(section) == 1
    assert "payers expect the specific muscle to be named" in section.text


def test_no_needling_means_no_code(client, world):
    episode = world.episode(world.patient())
    session = checked_session(world.alice, episode)
    client.force_login(world.alice)
    api = _api(client, session)
    assert (api["code"], api["distinct_muscle_count"], api["counted_muscles"]) == (None, 0, [])
    section = _billing_section(client, session)
    assert "no needling code applies" in section.text
    assert not [s for s in section.find_all("span") if "data-muscle-count" in s.attrs]
