"""The evaluation's site tables: a checkbox per area and side, named for screen readers, ticked
where the record marks the site, and "none" offered for each condition."""

from __future__ import annotations

from django.test import Client
from django.urls import reverse

from needlerx.patients.services import history_fact_record
from tests.personas import World
from tests.web.page_elements import parse_page


def test_a_marked_site_is_ticked_and_every_box_is_named(client: Client, world: World) -> None:
    patient = world.patient()
    history_fact_record(
        actor=world.alice,
        patient=patient,
        fact="lymphoedema_sites",
        value=[{"area": "chest_wall", "side": "left"}],
    )
    client.force_login(world.alice)
    page = parse_page(
        client.get(reverse("patients:evaluation", args=[patient.public_id])).content.decode()
    )
    left = page.by_id("id_lymphoedema_sites__chest_wall__left")
    right = page.by_id("id_lymphoedema_sites__chest_wall__right")
    assert left.attrs["type"] == "checkbox" and "checked" in left.attrs
    assert "checked" not in right.attrs
    assert right.attrs["name"] == "lymphoedema_sites__chest_wall__right"
    label = next(
        found
        for found in page.find_all("label")
        if found.attrs.get("for") == "id_lymphoedema_sites__chest_wall__left"
    )
    assert label.text == "Lymphedema: chest wall, left"
    row = next(r for r in page.find_all("tr") if r.find_all(id=left.attrs["id"] or ""))
    assert row.find_all("th")[0].text == "Chest wall"
    assert "checked" not in page.by_id("id_lymphoedema_sites__none").attrs
