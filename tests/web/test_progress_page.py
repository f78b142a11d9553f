from __future__ import annotations

import re
from typing import Any

from django.test import Client
from django.urls import reverse

from needlerx.patients.models import Episode
from needlerx.web.charts import Band, Point, line_chart
from tests.personas import World
from tests.web.measures import record_course, record_measure
from tests.web.page_elements import parse_page


def _progress_after_a_course(client: Client, world: World) -> tuple[Any, Episode]:
    """The progress page of an episode with six weeks of a responder's measures, as Alice."""
    patient = world.patient()
    episode = world.episode(patient)
    record_course(world.alice, episode)
    client.force_login(world.alice)
    url = reverse("clinic:progress", args=[patient.public_id, episode.public_id])
    return client.get(url), episode


def test_the_progress_page_charts_each_measure_with_its_mcid_band(client, world):
    response, _ = _progress_after_a_course(client, world)
    assert response.status_code == 200
    page = parse_page(response.content)
    charts = [chart for s in response.context["sections"] for chart in s["charts"]]
    assert len(charts) >= 5
    assert len(page.find_all("svg", role="img")) == len(charts)
    for chart in charts:  # each drawing is named by its chart's title, for a screen reader
        (svg,) = page.find_all(
            "svg", role="img", aria_labelledby=f"{chart['id']}-t {chart['id']}-d"
        )
        assert page.by_id(f"{chart['id']}-t").text == chart["title"]
        assert len(svg.find_all("circle")) == len(chart["points"])
        outcome = chart["outcome"]
        if outcome is not None and outcome.threshold and outcome.baseline is not None:
            assert svg.find_all(class_="chart-band"), f"{chart['title']}: no MCID band"
    assert any(svg.find_all(class_="chart-band") for svg in page.find_all("svg"))
    summary = response.context["summary"]
    assert summary.get("pain_relief").status == "improved"
    assert summary.get("recovery").status == "improved"
    assert "Pain relief" in page.text and "Improved beyond the MCID" in page.text


def test_the_outcome_summary_says_what_it_is_once_and_never_calls_safety_improved(client, world):
    response, _ = _progress_after_a_course(client, world)
    page = parse_page(response.content)
    assert page.text.count("not the effect of dry needling alone") == 1
    assert "Episode outcome summary" in page.text and "Promise" not in page.text
    assert "Benefit scorecard" not in page.text
    safety_row = page.by_id("benefit-safety")
    assert "Improved" not in safety_row.text
    tenderness = page.by_id("benefit-muscle_relaxation")
    assert "muscle tension" in tenderness.text.lower()
    # the threshold in the unit the change is shown in (NDI %), and as published (raw points)
    assert "MCID 15 % (published as 7.5 NDI points" in page.by_id("benefit-recovery").text
    pain = page.by_id("benefit-pain_relief").text
    assert "MCID: at least 2 points and at least 30 % improvement" in pain


def test_the_page_and_the_api_show_the_same_numbers(client, world):
    response, episode = _progress_after_a_course(client, world)
    shown = response.context["summary"].to_dict()
    answered = client.get(f"/api/v1/episodes/{episode.public_id}/outcome-summary").json()
    for key, benefit in shown["benefits"].items():
        api = answered["benefits"][key]
        assert api["status"] == benefit["status"], key
        for field in ("baseline", "latest", "change", "percent_change", "status"):
            assert (api["primary"] or {}).get(field) == (benefit["primary"] or {}).get(field)
        assert [s["key"] for s in api["secondary"]] == [s["key"] for s in benefit["secondary"]]


def test_measurement_axes_fit_the_values_and_rating_scales_keep_their_scale(client, world):
    patient = world.patient()
    episode = world.episode(patient)
    record_course(world.alice, episode)
    for days_ago, spasms in ((20, 7), (2, 10)):
        responses = {"episodes_per_week": spasms, "intensity": 5}
        record_measure(
            actor=world.alice,
            episode=episode,
            instrument="spasm",
            responses=responses,
            days_ago=days_ago,
        )
    client.force_login(world.alice)
    response = client.get(reverse("clinic:progress", args=[patient.public_id, episode.public_id]))
    page = parse_page(response.content)

    def axis(chart_id: str) -> tuple[float, float]:
        (svg,) = page.find_all("svg", aria_labelledby=f"{chart_id}-t {chart_id}-d")
        labels = [t.text for t in svg.find_all("text", class_="chart-label", text_anchor="end")]
        ticks = [float(label) for label in labels if re.fullmatch(r"-?[\d.]+(e-?\d+)?", label)]
        return min(ticks), max(ticks)

    assert axis("chart-nprs-score") == (0, 10)  # a rating scale shows its whole scale
    low, high = axis("chart-spasm-score")  # not 0-500, the diary's plausibility limit
    assert 6 <= low <= 7 and 10 <= high <= 11


def test_the_progress_page_without_measures_says_so(client, world):
    patient = world.patient()
    episode = world.episode(patient)
    client.force_login(world.alice)
    response = client.get(reverse("clinic:progress", args=[patient.public_id, episode.public_id]))
    assert b"No measurements recorded" in response.content
    client.force_login(world.bob)
    url = reverse("clinic:progress", args=[patient.public_id, episode.public_id])
    assert client.get(url).status_code == 404


def test_chart_text_is_escaped_and_the_band_is_drawn_inside_the_plot():
    import datetime as dt

    day = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)
    points = [Point(day, 7), Point(day + dt.timedelta(days=7), 3)]
    svg = line_chart(
        chart_id="c",
        title="<b>Pain</b>",
        unit="points",
        points=points,
        band=Band(5, 9, "MCID <2>"),
        y_range=(0, 10),
    )
    assert "<b>" not in svg and "&lt;b&gt;Pain&lt;/b&gt;" in svg
    assert "MCID &lt;2&gt;" in svg
    assert svg.count("<circle") == 2


def test_the_progress_page_reads_through_the_measure_selectors(client, world):
    patient = world.patient()
    episode = world.episode(patient)
    record_course(world.alice, episode)
    url = reverse("clinic:progress", args=[patient.public_id, episode.public_id])
    client.force_login(world.frank)
    assert client.get(url).status_code == 403
    client.force_login(world.alice)
    response = client.get(url)
    titles = [c["title"] for s in response.context["sections"] for c in s["charts"]]
    assert "PPT Upper trapezius (left)" in titles
    assert any(title.startswith("NDI:") for title in titles)
