"""The clinician's side of patient links: reached from the chart, a session preselected from the
note, and front desk kept out (the answers are clinical)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from tests.patient_tasks.helpers import needled_session

pytestmark = pytest.mark.django_db


def test_the_chart_links_to_the_tasks_page_and_a_note_preselects_its_session(client, world):
    patient = world.patient(email="pat@example.com")
    session = needled_session(world, patient)
    client.force_login(world.alice)
    chart = client.get(reverse("patients:detail", args=[patient.public_id])).content.decode()
    url = reverse("patient_tasks:list", args=[patient.public_id])
    assert f'href="{url}"' in chart
    page = client.get(url, {"session": str(session.public_id)}).content.decode()
    assert f'<option value="{session.public_id}" selected>' in page
    assert '<option value="after_needling_check_in" selected>' in page


def test_front_desk_cannot_send_links_or_read_answers(client, world):
    patient = world.patient(email="pat@example.com")
    client.force_login(world.frank)
    url = reverse("patient_tasks:list", args=[patient.public_id])
    assert client.get(url).status_code == 403
    assert client.post(url, {"kind": "questionnaire", "instrument": "nprs"}).status_code == 403
