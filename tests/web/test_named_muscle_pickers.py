"""Pickers for new records offer the named erector spinae muscles (iliocostalis, longissimus),
not the grouped entries; a record that already uses a grouped entry keeps it selectable
(clinical review W4: name the muscle, not "paraspinals")."""

from __future__ import annotations

from typing import cast

from django.forms import ChoiceField
from django.urls import reverse

from needlerx.bodychart.chart import build_chart
from needlerx.bodychart.models import TriggerPoint
from needlerx.bodychart.services import trigger_point_record
from needlerx.clinical.reference import grouped_muscles
from needlerx.web.forms.body_chart import TriggerPointForm
from tests.web.measures import record_measure
from tests.web.page_elements import parse_page

GROUPED = set(grouped_muscles())
NAMED = {named for names in grouped_muscles().values() for named in names}


def _drawn(chart) -> set[str]:
    return {d.region.muscle for figure in chart.figures for d in figure["regions"]}


def _listed(chart) -> set[str]:
    return {row["muscle"].id for group in chart.groups for row in group["rows"]}


def test_a_new_plan_on_the_chart_offers_named_muscles_only():
    chart = build_chart(mode="choose")
    assert not (_drawn(chart) | _listed(chart)) & GROUPED
    assert _drawn(chart) >= NAMED and _listed(chart) >= NAMED


def test_a_grouped_entry_already_in_the_record_stays_on_the_chart():
    chosen = build_chart(mode="choose", chosen={("lumbar_erector_spinae", "left")})
    assert (_drawn(chosen) | _listed(chosen)) & GROUPED == {"lumbar_erector_spinae"}
    point = TriggerPoint(muscle="thoracic_erector_spinae", side="right", status="active")
    examined = build_chart(
        mode="examine", trigger_points={("thoracic_erector_spinae", "right"): point}
    )
    assert "thoracic_erector_spinae" in _drawn(examined) & _listed(examined)


def _choices(form: TriggerPointForm) -> set[str]:
    field = form.fields["muscle"]
    assert isinstance(field, ChoiceField)
    return {value for value, _ in cast(list[tuple[str, str]], field.choices)}


def test_the_trigger_point_form_offers_named_muscles_and_keeps_a_used_group():
    offered = _choices(TriggerPointForm())
    assert not offered & GROUPED and offered >= NAMED
    kept = _choices(TriggerPointForm(used_muscles=["lumbar_erector_spinae"]))
    assert kept & GROUPED == {"lumbar_erector_spinae"}


def test_the_screen_page_offers_iliocostalis_not_thoracic_erector_spinae(client, world):
    patient = world.patient()
    episode = world.episode(patient, regions=["thoracic", "lumbar"])
    client.force_login(world.alice)
    url = reverse("clinic:screen", args=[patient.public_id, episode.public_id])
    page = parse_page(client.get(url).content)
    assert page.find_all("a", data_choose="thoracic_iliocostalis:left")
    assert page.find_all("a", data_choose="lumbar_longissimus:right")
    assert not page.find_all(data_choose="thoracic_erector_spinae:left")


def test_the_examine_page_keeps_a_grouped_trigger_point_editable(client, world):
    patient = world.patient()
    episode = world.episode(patient, regions=["lumbar"])
    client.force_login(world.alice)
    url = reverse("bodychart:examine", args=[patient.public_id, episode.public_id])
    choices = _choices(client.get(url).context["form"])
    assert "lumbar_erector_spinae" not in choices and "lumbar_iliocostalis" in choices
    trigger_point_record(
        actor=world.alice,
        episode=episode,
        muscle="lumbar_erector_spinae",
        side="left",
        status="active",
    )
    choices = _choices(client.get(url).context["form"])
    assert "lumbar_erector_spinae" in choices


def test_a_malformed_chosen_value_does_not_break_the_chart():
    """The screen page passes back whatever was posted, e.g. ``plan=0`` (form fuzz)."""
    chart = build_chart(mode="choose", chosen={("0",)})  # type: ignore[arg-type]
    assert not _drawn(chart) & GROUPED


def _ppt_muscles(client, patient, episode) -> set[str]:
    url = reverse("clinic:measure_entry", args=[patient.public_id, episode.public_id, "ppt"])
    page = parse_page(client.get(url).content)
    (select,) = page.find_all("select", name="muscle")
    return {option.attrs["value"] or "" for option in select.find_all("option")} - {""}


def test_the_pressure_pain_threshold_picker_offers_named_muscles_and_continues_a_series(
    client, world
):
    patient = world.patient()
    episode = world.episode(patient)
    client.force_login(world.alice)
    offered = _ppt_muscles(client, patient, episode)
    assert offered >= NAMED and not offered & GROUPED
    site = {"muscle": "lumbar_erector_spinae", "side": "left", "kg_cm2": 4.0}
    record_measure(actor=world.alice, episode=episode, instrument="ppt", responses=site, days_ago=3)
    assert _ppt_muscles(client, patient, episode) & GROUPED == {"lumbar_erector_spinae"}
