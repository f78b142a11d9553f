"""Consent: a clinic where physical therapists may not dry needle (US-CA) learns it before consent
is asked, through the service, the API and the page; the consent the patient reads is filled in
(patient, clinic, date, therapist and credential, raised risks), has benefits, and words the
serious-risk figure as published; consents signed on version 1 keep their words."""

from __future__ import annotations

import json

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from needlerx.clinical.treatment_reference import consent_template_current, consent_templates
from needlerx.core.errors import ApplicationError
from needlerx.treatments import services
from needlerx.treatments.models import ConsentRecord
from tests.personas import World
from tests.treatments.helpers import consent


@pytest.fixture
def sacramento(world: World) -> World:
    """Clinic A moved to California, where physical therapists may not dry needle."""
    world.clinic_a.region = "CA"
    world.clinic_a.save(update_fields=["region"])
    return world


def test_consent_is_refused_up_front_with_the_jurisdictions_sourced_statement(sacramento):
    episode = sacramento.episode(sacramento.patient())
    with pytest.raises(ApplicationError) as refused:
        consent(sacramento.alice, episode)
    assert refused.value.code == "scope_not_permitted" and refused.value.field == "clinic"
    assert "In California, dry needling is not permitted for physical therapists" in (
        refused.value.message
    )
    assert "source: PPHC" in refused.value.message
    assert not ConsentRecord.objects.exists()


def test_the_consent_api_refuses_in_california(client: Client, sacramento: World):
    episode = sacramento.episode(sacramento.patient())
    client.force_login(sacramento.alice)
    response = client.post(
        f"/api/v1/episodes/{episode.public_id}/consents",
        data=json.dumps(
            {
                "template_id": "dry_needling_general",
                "signer_name": "Pat Example",
                "signature_kind": "typed",
                "signature_data": "Pat Example",
            }
        ),
        content_type="application/json",
    )
    assert response.status_code == 400
    assert response.json()["error"]["code"] == "scope_not_permitted"


def _session_page(client: Client, world: World) -> str:
    patient = world.patient()
    episode = world.episode(patient)
    client.force_login(world.alice)
    new = client.post(reverse("clinic:session_new", args=[patient.public_id, episode.public_id]))
    return client.get(new["Location"]).content.decode()


def test_the_consent_page_says_so_before_asking(client: Client, sacramento: World):
    page = _session_page(client, sacramento)
    assert "Dry needling not permitted for physical therapists here" in page
    assert "In California" in page and "PPHC" in page
    assert "Record signed consent" not in page


def test_the_consent_preview_is_filled_in(client: Client, world: World):
    page = _session_page(client, world)
    assert "{clinician_name}" not in page and "{training_hours}" not in page
    assert "Patient: Pat Example. Clinic: Clinic A." in page
    assert f"Date: {timezone.localdate().isoformat()}" in page
    assert "Alice (54 hours of dry-needling training with Test Institute, license PT-1" in page
    assert "Risks raised for you" in page
    assert "What it may help with" in page


def test_the_signed_text_carries_the_particulars_and_the_risks_discussed(world: World):
    episode = world.episode(world.patient())
    record = consent(world.alice, episode, risk_notes="Scoliosis: higher risk over the chest wall")
    by_id = {section["id"]: section["text"] for section in record.text}
    assert record.template_version == 2
    assert "Patient: Pat Example. Clinic: Clinic A." in by_id["particulars"]
    assert by_id["your_risks"] == "Scoliosis: higher risk over the chest wall"
    assert "about 1 time in every 1,000 treatments" in by_id["serious_risks"]
    assert "medical attention" in by_id["serious_risks"]


def test_version_2_has_benefits_with_primary_sources_and_no_research_remarks():
    template = consent_template_current("dry_needling_general")
    assert template is not None and template.version == 2
    benefits = next(s for s in template.sections if s.id == "benefits")
    assert "less pain" in benefits.text and "mixed" in benefits.text
    assert "exercise" in benefits.text
    citations = " ".join(source.citation for source in benefits.sources)
    for source in (
        "Arch Phys Med Rehabil 2018;99(1):144-152",
        "2017;47(3):133-149",
        "J Clin Med 2020;9(10):3300",
        "45:9-37.34k",
    ):
        assert source in citations
    text = " ".join(s.text for s in template.sections).lower()
    for remark in ("unconfirmed", "no published source", "reference/"):
        assert remark not in text
    assert "reference/" not in " ".join(
        src.citation for s in template.sections for src in s.sources
    )


def test_a_consent_signed_on_version_1_stays_readable_and_valid(world: World):
    episode = world.episode(world.patient())
    record = consent(world.alice, episode, template_version=1)
    assert ("dry_needling_general", 1) in consent_templates()
    assert record.template_version == 1
    assert not any(section["id"] == "benefits" for section in record.text)
    services.consent_require_for_technique(episode=episode, technique="static", at=timezone.now())


def test_a_silent_jurisdiction_warns_but_allows_consent(client: Client, world: World):
    world.clinic_a.region = "CT"
    world.clinic_a.save(update_fields=["region"])
    page = _session_page(client, world)
    assert "Practice act silent or ambiguous" in page
    assert "Record signed consent" in page
