"""The evaluation makes the questions the screen needs obvious, and records answers as given.

Unanswered is never "no": the page lists what is still to answer for the patient's open
episodes; a site list can be answered "none"; pairs of facts are saved together.
"""

from __future__ import annotations

from django.urls import reverse
from django.utils import timezone

from needlerx.clinical.reference import required_answers
from needlerx.patients import selectors
from needlerx.patients.models import HistoryFact
from needlerx.patients.services import history_facts_record


def _evaluation(client, world, regions: list[str]):
    patient = world.patient()
    world.episode(patient, regions=regions)
    client.force_login(world.alice)
    return patient, reverse("patients:evaluation", args=[patient.public_id])


def test_a_blank_record_lists_every_question_still_to_answer(client, world):
    patient, url = _evaluation(client, world, ["lumbar"])
    page = client.get(url).content.decode()
    unanswered = selectors.patient_unanswered_questions(
        patient=patient, on=patient.created_at.date()
    )
    assert set(required_answers().always) <= set(unanswered)
    assert "cauda_equina_signs" in unanswered
    assert "cervical_myelopathy_signs" not in unanswered  # a low-back episode only
    assert f"{len(unanswered)} questions to answer before needling" in page
    assert 'href="#id_cauda_equina_signs_0"' in page
    assert 'href="#id_lymphoedema_sites__none"' in page
    assert "(still to answer)" in page


def test_none_answers_a_site_list_and_the_question_leaves_the_list(client, world):
    patient, url = _evaluation(client, world, ["lumbar"])
    response = client.post(url, {"lymphoedema_sites__none": "on"})
    assert response.status_code == 302
    assert HistoryFact.objects.get(patient=patient, fact="lymphoedema_sites").value == []
    unanswered = selectors.patient_unanswered_questions(
        patient=patient, on=patient.created_at.date()
    )
    assert "lymphoedema_sites" not in unanswered


def test_none_and_a_site_together_are_refused_and_nothing_is_saved(client, world):
    patient, url = _evaluation(client, world, ["lumbar"])
    response = client.post(
        url, {"lymphoedema_sites__none": "on", "lymphoedema_sites__upper_limb__left": "on"}
    )
    assert response.status_code == 200
    assert "tick either None or the sites, not both" in response.content.decode()
    assert not HistoryFact.objects.filter(patient=patient).exists()


def test_an_inr_and_its_date_are_saved_in_one_go(client, world):
    patient, url = _evaluation(client, world, ["lumbar"])
    response = client.post(url, {"inr": "2.4", "inr_date": "2026-11-20"})
    assert response.status_code == 302
    recorded = {f.fact: f.value for f in HistoryFact.objects.filter(patient=patient)}
    assert recorded == {"inr": 2.4, "inr_date": "2026-11-20"}


def test_answering_not_pregnant_clears_the_trimester(client, world):
    patient, url = _evaluation(client, world, ["lumbar"])
    history_facts_record(
        actor=world.alice, patient=patient, facts={"pregnant": True, "pregnancy_trimester": 2}
    )
    response = client.post(url, {"pregnant": "no", "pregnancy_trimester": "2"})
    assert response.status_code == 302, response.content.decode()[:3000]
    current = selectors.patient_evaluation_record(patient=patient, on=timezone.localdate()).current
    assert current["pregnant"] is False
    assert "pregnancy_trimester" not in current


def test_a_cleared_red_flag_is_recorded_from_the_checkboxes(client, world):
    patient, url = _evaluation(client, world, ["cervical"])
    response = client.post(
        url,
        {
            "cervical_myelopathy_signs": "yes",
            "medically_cleared_red_flags": ["cervical_myelopathy_signs"],
        },
    )
    assert response.status_code == 302
    current = selectors.patient_evaluation_record(patient=patient, on=timezone.localdate()).current
    assert current["medically_cleared_red_flags"] == ["cervical_myelopathy_signs"]


def test_computed_facts_are_not_asked(client, world):
    _, url = _evaluation(client, world, ["cervical"])
    page = client.get(url).content.decode()
    assert 'name="record_conflicts"' not in page
    assert 'name="inr_age_days"' not in page
