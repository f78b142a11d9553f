"""What is stored is what was shown: the screen page's preview and the saved run agree.

The bug this guards against: a screen previewed as "do not needle" (implanted pacemaker with the
electrical technique) was saved with an empty plan and stored as a green "proceed".
"""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from needlerx.core.errors import ApplicationError
from needlerx.patients.services import history_fact_record
from needlerx.screening.digest import screening_digest
from needlerx.screening.models import ScreeningRun
from needlerx.screening.selectors import screening_preview
from needlerx.screening.services import screening_run, screening_run_blocking_every_muscle
from tests.clinical.test_screening_vignettes import VIGNETTES, Vignette
from tests.personas import World


def _screen_url(world: World, *, facts: dict[str, Any]) -> tuple[str, Any]:
    patient = world.patient()
    episode = world.episode(patient, regions=["cervical", "thoracic", "lumbar"])
    body = {key: facts[key] for key in ("height_cm", "weight_kg") if key in facts}
    if body:
        patient.height_cm, patient.weight_kg = body["height_cm"], body["weight_kg"]
        patient.save(update_fields=["height_cm", "weight_kg"])
    for fact, value in facts.items():
        if fact in body:
            continue
        history_fact_record(actor=world.alice, patient=patient, fact=fact, value=value)
    return reverse("clinic:screen", args=[patient.public_id, episode.public_id]), episode


def test_a_pacemaker_with_electrical_stimulation_is_stored_as_shown(client, world):
    url, _ = _screen_url(world, facts={"implanted_electrical_device": True})
    client.force_login(world.alice)
    shown = client.get(url, {"technique": "electrical"})
    assert "Do not needle" in shown.content.decode()
    digest = shown.context["preview_digest"]

    saved = client.post(url, {"technique": "electrical", "preview_digest": digest})

    assert saved.status_code == 302, saved.content.decode()[:2000]
    run = ScreeningRun.objects.get()
    assert run.decision == "do_not_needle"
    assert run.whole_catalogue
    assert {entry["technique"] for entry in run.plan} == {"electrical"}
    page = client.get(saved["Location"]).content.decode()
    assert "Do not needle" in page
    assert "No muscle can be needled" in page
    assert "Proceed</h2>" not in page


def test_a_record_changed_after_the_preview_is_not_saved(client, world):
    url, episode = _screen_url(world, facts={})
    client.force_login(world.alice)
    digest = client.get(url).context["preview_digest"]
    history_fact_record(
        actor=world.alice, patient=episode.patient, fact="anticoagulant_therapy", value=True
    )

    response = client.post(
        url, {"technique": "static", "plan": ["upper_trapezius:left"], "preview_digest": digest}
    )

    assert response.status_code == 400
    assert "changed after this screen was shown" in response.content.decode()
    assert not ScreeningRun.objects.exists()


def test_an_empty_plan_that_blocks_nothing_is_refused_by_the_service(world):
    _, episode = _screen_url(world, facts={})
    with pytest.raises(ApplicationError, match="some muscles can be needled"):
        screening_run_blocking_every_muscle(actor=world.alice, episode=episode, technique="static")
    assert not ScreeningRun.objects.exists()


def _plan_for_save(
    vignette: Vignette, allowed: dict[tuple[str, str], bool]
) -> list[dict[str, str]]:
    if not vignette.plan:
        return []
    technique = vignette.plan[0][2]
    plan = []
    for muscle, side, entry_technique in vignette.plan:
        sides = ("left", "right") if side == "bilateral" else (side,)
        for one_side in sides:
            if entry_technique == technique and allowed.get((muscle, one_side)):
                plan.append({"muscle": muscle, "side": one_side, "technique": technique})
    return list({tuple(entry.items()): entry for entry in plan}.values())


def _blocking(entry: dict[str, Any]) -> set[str]:
    return {
        f["rule_id"] for f in entry["findings"] if f["severity"] in ("absolute", "site_exclusion")
    }


@pytest.mark.parametrize("vignette", VIGNETTES, ids=lambda v: v.name)
def test_every_vignette_is_stored_as_its_preview_showed_it(world, vignette):
    _, episode = _screen_url(world, facts=vignette.facts)
    technique = vignette.plan[0][2] if vignette.plan else "static"
    preview = screening_preview(user=world.alice, episode=episode, technique=technique)
    shown = {(e["muscle"], e["side"]): e for e in preview.result["muscles"]}

    if preview.blocks_every_muscle:
        run = screening_run_blocking_every_muscle(
            actor=world.alice, episode=episode, technique=technique, preview_digest=preview.digest
        )
        assert run.result == preview.result
    else:
        plan = _plan_for_save(vignette, {key: e["allowed"] for key, e in shown.items()})
        if not plan:  # the chart would refuse them; the API stores them, each still excluded
            plan = _plan_for_save(vignette, dict.fromkeys(shown, True))
        run = screening_run(
            actor=world.alice, episode=episode, plan=plan, preview_digest=preview.digest
        )

    assert screening_digest(facts=run.facts, practitioner=run.practitioner or {}) == preview.digest
    assert [f["rule_id"] for f in run.result["findings"]] == [
        f["rule_id"] for f in preview.result["findings"]
    ]
    for entry in run.result["muscles"]:
        was_shown = shown[(entry["muscle"], entry["side"])]
        assert entry["allowed"] == was_shown["allowed"]
        assert _blocking(entry) == _blocking(was_shown)


def test_the_api_refuses_an_empty_plan_that_would_read_as_a_clear_screen(client, world):
    _, episode = _screen_url(world, facts={})
    world.evaluate(episode.patient)
    client.force_login(world.alice)
    response = client.post(
        f"/api/v1/episodes/{episode.public_id}/screenings",
        {"plan": []},
        content_type="application/json",
    )
    assert response.status_code == 400
    assert response.json()["error"]["field"] == "plan"
    assert not ScreeningRun.objects.exists()
