"""The clinic outcomes dashboard from the browser's side: figures, filters, who may see it, the
register's links and audit, and the CSV files (each audited as an export)."""

from __future__ import annotations

import csv
import io

import pytest
from django.http import HttpResponse
from django.http.response import HttpResponseBase
from django.test import Client
from django.urls import reverse

from needlerx.audit.models import AuditEvent
from tests.clinic_outcomes.outcomes_world import OutcomesWorld, build
from tests.personas import World
from tests.web.page_elements import parse_page

DASHBOARD = "/clinic/outcomes/"


@pytest.fixture
def known(world: World) -> OutcomesWorld:
    return build(world)


def _events(after: int, action: str = "") -> list[AuditEvent]:
    events = AuditEvent.objects.filter(sequence__gt=after).order_by("sequence")
    return [event for event in events if not action or event.action == action]


def _last() -> int:
    event = AuditEvent.objects.order_by("-sequence").first()
    return event.sequence if event else 0


def _csv(response: HttpResponseBase) -> list[list[str]]:
    assert isinstance(response, HttpResponse)
    return list(csv.reader(io.StringIO(response.content.decode())))


def test_the_admin_sees_the_figures_and_one_clinic_level_view(client: Client, known: OutcomesWorld):
    client.force_login(known.world.ada)
    before = _last()
    response = client.get(DASHBOARD)
    assert response.status_code == 200
    page = parse_page(response.content)
    assert page.by_id("tile-started").text.startswith("4 ")
    assert page.by_id("tile-completed").text.startswith("2 ")
    assert "1 of 4 due" in page.by_id("tile-follow-up").text
    pain = page.by_id("measure-pain_relief").text
    assert "2 of 3" in pain and "67 %" in pain
    assert (
        "no control group" in page.by_id("limits").text.lower()
        or "comparison group" in page.by_id("limits").text
    )
    register = page.by_id("register-table").text
    assert "Bruising" in register and "Upper trapezius" in register
    assert "fainting" not in register  # clinic B's event
    links = [a.attrs["href"] for a in page.by_id("register-table").find_all("a")]
    assert len(links) == 2 and all("/sessions/" in (link or "") for link in links)
    views = _events(before, "clinic_outcomes.view")
    assert len(views) == 1 and views[0].patient_public_id == ""
    assert views[0].clinic_public_id == str(known.world.clinic_a.public_id)
    listings = _events(before, "patient_list.view")
    assert len(listings) == 1
    named = set(listings[0].detail["patients"])
    assert named == {
        str(known.episodes[0].patient.public_id),
        str(known.episodes[2].patient.public_id),
    }


def test_the_navigation_links_the_dashboard_for_clinicians_not_front_desk(
    client: Client, known: OutcomesWorld
):
    client.force_login(known.world.alice)
    nav = parse_page(client.get(reverse("home")).content)
    assert any(a.attrs.get("href") == DASHBOARD for a in nav.find_all("a"))
    client.force_login(known.world.frank)
    nav = parse_page(client.get(reverse("home")).content)
    assert not any(a.attrs.get("href") == DASHBOARD for a in nav.find_all("a"))


def test_front_desk_is_refused_and_another_clinic_is_not_found(
    client: Client, known: OutcomesWorld
):
    client.force_login(known.world.frank)
    assert client.get(DASHBOARD).status_code == 403
    assert client.get(reverse("outcomes_csv", args=["measures"])).status_code == 403
    client.force_login(known.world.bob)
    other = f"{DASHBOARD}?clinic={known.world.clinic_a.public_id}"
    assert client.get(other).status_code == 404
    own = parse_page(client.get(DASHBOARD).content)
    assert own.by_id("tile-started").text.startswith("1 ")
    assert "fainting" in own.by_id("register-table").text


def test_filters_narrow_the_figures(client: Client, known: OutcomesWorld):
    client.force_login(known.world.ada)
    back = parse_page(client.get(DASHBOARD + "?region=back").content)
    assert back.by_id("tile-started").text.startswith("2 ")  # P3 lumbar; P4 thoracic first
    assert "1 of 1" in back.by_id("measure-pain_relief").text  # P4 VAS improved; P3 lost
    nora_id = known.world.nora.public_id
    by_nora = parse_page(client.get(f"{DASHBOARD}?clinician={nora_id}").content)
    assert by_nora.by_id("tile-started").text.startswith("1 ")
    assert by_nora.by_id("tile-sessions").text.startswith("1 ")
    everything = parse_page(client.get(DASHBOARD + "?from=2000-01-01").content)
    assert everything.by_id("tile-started").text.startswith("5 ")
    severe = parse_page(client.get(DASHBOARD + "?severity=significant").content)
    assert "Aggravation" in severe.by_id("register-table").text
    assert "Bruising" not in severe.by_id("register-table").text


def test_a_bad_filter_is_named_with_what_is_allowed(client: Client, known: OutcomesWorld):
    client.force_login(known.world.ada)
    response = client.get(DASHBOARD + "?region=arm")
    assert response.status_code == 400
    error = parse_page(response.content).by_id("filter-error").text
    assert "region" in error and "neck, back" in error
    response = client.get(DASHBOARD + "?from=2026-05-01&to=2026-04-01")
    assert "must be on or after" in parse_page(response.content).by_id("filter-error").text


def test_each_table_downloads_as_csv_and_is_audited_as_an_export(
    client: Client, known: OutcomesWorld
):
    client.force_login(known.world.ada)
    before = _last()
    response = client.get(reverse("outcomes_csv", args=["measures"]))
    assert response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]
    rows = _csv(response)
    pain = next(row for row in rows if row[0] == "Pain relief")
    header = rows[0]
    assert pain[header.index("Improved beyond the MCID")] == "2"
    assert pain[header.index("Episodes with a later measure")] == "3"
    assert pain[header.index("Lost to follow-up")] == "1"
    exports = _events(before, "clinic_outcomes.export")
    assert len(exports) == 1 and exports[0].detail["table"] == "measures"

    before = _last()
    register = _csv(client.get(reverse("outcomes_csv", args=["adverse_event_register"])))
    assert len(register) == 3
    assert {row[3] for row in register[1:]} == {"Bruising", "Aggravation of symptoms"}
    export = _events(before, "clinic_outcomes.export")[0]
    assert export.detail["patient_count"] == 2
    for name in ("episodes", "completion", "adverse_event_rates", "adverse_events_by_type"):
        assert client.get(reverse("outcomes_csv", args=[name])).status_code == 200
    assert client.get(reverse("outcomes_csv", args=["everything"])).status_code == 404
