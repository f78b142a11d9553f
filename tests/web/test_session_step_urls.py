"""The session note's forms post to their steps through ``step_urls`` (one ``reverse`` for all):
each address is the one Django's URL configuration gives, and every step a template names exists
(an unknown name would render an empty ``action`` silently)."""

from __future__ import annotations

import re
from pathlib import Path

from django.urls import reverse

from needlerx.treatments.services import treatment_session_start
from needlerx.web.pages.session_steps import STEPS, step_urls
from tests.personas import World

TEMPLATES = Path(__file__).resolve().parents[2] / "src" / "needlerx" / "web" / "templates"


def test_each_step_address_is_the_one_django_reverses(db, world: World):
    patient = world.patient()
    episode = world.episode(patient)
    session = treatment_session_start(actor=world.alice, episode=episode)
    addresses = step_urls(session)
    assert set(addresses) == set(STEPS)
    for step, address in addresses.items():
        assert address == reverse(
            "clinic:session_step", args=[patient.public_id, session.public_id, step]
        )


def test_every_step_a_template_names_is_a_step():
    named = {
        name
        for template in TEMPLATES.rglob("*.html")
        for name in re.findall(r"step_urls\.([a-z_]+)", template.read_text(encoding="utf-8"))
    }
    assert named, "no template names a step: the pattern above is out of date"
    assert named <= set(STEPS), sorted(named - set(STEPS))
