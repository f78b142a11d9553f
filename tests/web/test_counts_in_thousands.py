"""Counts of a thousand or more read as people write them (16,667, not 16667): the clinic home's
tiles, the patient list's total and the dashboard's figures, as the follow-ups pager already did."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from needlerx.patients.models import Patient
from needlerx.web.templatetags.web_tags import thousands
from tests.clinic_outcomes.outcomes_world import build
from tests.patients.bulk import bulk_patients
from tests.personas import World
from tests.web.page_elements import parse_page


@pytest.mark.parametrize(
    ("value", "shown"),
    [(0, "0"), (999, "999"), (1000, "1,000"), (16667, "16,667"), (1234567, "1,234,567")],
)
def test_a_whole_number_is_grouped_in_thousands(value: int, shown: str) -> None:
    assert thousands(value) == shown


@pytest.mark.parametrize("value", [True, None, "", "16667", 2.5])
def test_anything_but_a_whole_number_is_left_as_it_is(value: object) -> None:
    assert thousands(value) is value


def test_the_home_and_the_patient_list_group_the_clinics_patient_count(
    client: Client, world: World
) -> None:
    bulk_patients(world.clinic_a, 1_000, "BULK")
    total = Patient.objects.filter(clinic=world.clinic_a).count()
    assert total >= 1_000
    client.force_login(world.alice)

    home = parse_page(client.get(reverse("home")).content)
    tiles = {
        tile.find_all(class_="what")[0].text: tile.find_all(class_="count")[0].text
        for tile in home.find_all(class_="tile")
    }
    assert tiles["patients"] == f"{total:,}"

    listed = parse_page(client.get(reverse("patients:list")).content)
    assert listed.find_all("p", class_="subtitle")[0].text == f"{total:,} patients"


def test_the_dashboard_groups_the_published_rates_counts(client: Client, world: World) -> None:
    build(world)
    client.force_login(world.alice)
    page = client.get("/clinic/outcomes/").content.decode()
    assert "7,629" in page  # the treatments Brady 2014 counted
    assert "7629" not in page
