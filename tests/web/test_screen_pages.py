from __future__ import annotations

from django.urls import reverse

from needlerx.patients.models import Episode, Patient
from needlerx.patients.services import history_fact_record
from needlerx.screening.models import ScreeningRun
from tests.personas import World
from tests.web.page_elements import parse_page

LEFT_CHEST_WALL = [{"area": "chest_wall", "side": "left"}]


def _setup(world: World) -> tuple[Patient, Episode, str]:
    patient = world.patient()
    episode = world.episode(patient, regions=["cervical", "thoracic"])
    history_fact_record(
        actor=world.alice, patient=patient, fact="lymphoedema_sites", value=LEFT_CHEST_WALL
    )
    url = reverse("clinic:screen", args=[patient.public_id, episode.public_id])
    return patient, episode, url


def test_the_screen_page_disables_muscles_the_screen_excludes(client, world):
    _, _, url = _setup(world)
    client.force_login(world.alice)
    response = client.get(url)
    assert response.status_code == 200
    page = parse_page(response.content)
    left = page.by_id("choose-pectoralis_minor-left")
    right = page.by_id("choose-pectoralis_minor-right")
    assert "disabled" in left.attrs
    assert "disabled" not in right.attrs
    assert "Lymphedema at the site" in page.by_id(left.attrs["aria-describedby"] or "").text
    assert page.find_all(data_choose="pectoralis_minor:left") == []  # not a link on the figure
    assert len(page.find_all("a", data_choose="pectoralis_minor:right")) == 1


def test_choosing_an_excluded_muscle_is_refused_and_nothing_is_stored(client, world):
    _, _, url = _setup(world)
    client.force_login(world.alice)
    response = client.post(
        url, {"technique": "static", "plan": ["pectoralis_minor:left", "upper_trapezius:left"]}
    )
    assert response.status_code == 400
    assert "cannot be chosen" in response.content.decode()
    assert not ScreeningRun.objects.exists()


def test_an_empty_plan_is_refused(client, world):
    _, _, url = _setup(world)
    client.force_login(world.alice)
    response = client.post(url, {"technique": "static"})
    assert response.status_code == 400
    assert "choose at least one muscle" in response.content.decode()


def test_a_screen_with_two_muscles_is_stored_and_its_findings_show_their_sources(client, world):
    patient, _, url = _setup(world)
    world.evaluate(patient, anticoagulant_therapy=True, lymphoedema_sites=LEFT_CHEST_WALL)
    client.force_login(world.alice)
    response = client.post(
        url, {"technique": "static", "plan": ["upper_trapezius:left", "levator_scapulae:right"]}
    )
    run = ScreeningRun.objects.get()
    assert response.status_code == 302
    assert [(e["muscle"], e["side"]) for e in run.plan] == [
        ("upper_trapezius", "left"),
        ("levator_scapulae", "right"),
    ]
    page = client.get(response["Location"]).content.decode()
    assert "Proceed with precautions" in page
    finding = run.result["findings"][0]
    assert finding["source"].split(" ")[0] in page
    # the rule is named for tracing in the markup, never as a code in the clinician's text
    assert f'data-rule="{finding["rule_id"]}"' in page
    assert f"rule {finding['rule_id']}" not in page


def test_an_unknown_technique_is_named_in_the_error(client, world):
    _, _, url = _setup(world)
    client.force_login(world.alice)
    response = client.post(url, {"technique": "laser", "plan": ["upper_trapezius:left"]})
    assert response.status_code == 400
    assert "must be one of" in response.content.decode()
    assert not ScreeningRun.objects.exists()


def test_other_clinics_and_front_desk_cannot_screen(client, world):
    _, _, url = _setup(world)
    client.force_login(world.bob)
    assert client.get(url).status_code == 404
    client.force_login(world.frank)
    assert client.get(url).status_code in (403, 404)


def test_the_clinic_home_lists_a_referral_as_an_open_alert(client, world):
    patient, _, url = _setup(world)
    history_fact_record(actor=world.alice, patient=patient, fact="cauda_equina_signs", value=True)
    client.force_login(world.alice)
    assert "Refer for medical assessment" in client.get(url).content.decode()
    assert b"No open alerts" in client.get(reverse("home")).content
    response = client.post(url, {"technique": "static"})  # documents the referral
    assert response.status_code == 302
    assert ScreeningRun.objects.get().decision == "refer"
    home = parse_page(client.get(reverse("home")).content)
    (alerts,) = home.find_all("section", aria_labelledby="alerts-heading")
    assert patient.full_name in alerts.text
    client.force_login(world.bob)
    assert patient.full_name not in client.get(reverse("home")).content.decode()


def test_an_incomplete_screen_names_each_unanswered_question_in_words(client, world):
    patient = world.patient()
    episode = world.episode(patient, regions=["lumbar"])
    client.force_login(world.alice)
    url = reverse("clinic:screen", args=[patient.public_id, episode.public_id])
    assert "the screen will say Incomplete" in client.get(url).content.decode()
    response = client.post(url, {"technique": "static", "plan": ["gluteus_medius:left"]})
    page = client.get(response["Location"]).content.decode()
    assert "Incomplete:" in page
    assert "Takes an anticoagulant" in page  # the label, not anticoagulant_therapy
    assert "anticoagulant_therapy" not in page
    assert "<h2>Proceed</h2>" not in page


def test_the_result_shows_reference_depth_with_bmi_and_guidance_once(client, world):
    patient = world.patient(height_cm=170, weight_kg=55)  # BMI 19.0
    episode = world.episode(patient, regions=["thoracic"])
    world.evaluate(patient)
    client.force_login(world.alice)
    url = reverse("clinic:screen", args=[patient.public_id, episode.public_id])
    response = client.post(
        url, {"technique": "static", "plan": ["middle_trapezius:left", "rhomboid_major:left"]}
    )
    page = client.get(response["Location"]).content.decode()
    assert "at BMI 19" in page
    assert "No study for this muscle: the region's most conservative figure." in page
    assert "a reference, not a safe depth" in page
    assert "without reaching the pleura" in page
    assert page.count("Lung within needle reach") == 1
    assert "Technique guidance for this plan" in page
