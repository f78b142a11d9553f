"""The chart's timeline says what an evaluation found, never a "no" as if it were a condition."""

from __future__ import annotations

from django.urls import reverse

from needlerx.clinical.reference import fact_catalogue
from needlerx.patients.services import history_facts_record


def _timeline_details(client, patient) -> list[str]:
    response = client.get(reverse("patients:detail", args=[patient.public_id]))
    return [entry.detail for entry in response.context["timeline"] if entry.kind == "evaluation"]


def test_an_evaluation_names_only_the_answers_that_raise_something(client, world):
    patient = world.patient()
    history_facts_record(
        actor=world.alice,
        patient=patient,
        facts={"diabetes": True, "needle_phobia": False, "declines_needling": False},
    )
    client.force_login(world.alice)
    [detail] = _timeline_details(client, patient)
    assert detail == f"3 answers recorded; yes: {fact_catalogue()['diabetes'].label}"
    assert fact_catalogue()["needle_phobia"].label not in detail


def test_an_evaluation_with_only_no_answers_is_counted(client, world):
    patient = world.patient()
    history_facts_record(actor=world.alice, patient=patient, facts={"needle_phobia": False})
    client.force_login(world.alice)
    assert _timeline_details(client, patient) == ["1 answer recorded"]
