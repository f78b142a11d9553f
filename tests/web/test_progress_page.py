from __future__ import annotations

from django.urls import reverse

from needlerx.web.charts import Band, Point, line_chart
from tests.web.measures import record_course
from tests.web.page_elements import parse_page


def test_the_progress_page_charts_each_measure_with_its_mcid_band(client, world):
    patient = world.patient()
    episode = world.episode(patient)
    record_course(world.alice, episode)
    client.force_login(world.alice)
    response = client.get(reverse("clinic:progress", args=[patient.public_id, episode.public_id]))
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
        component = chart["component"]
        if component is not None and component.threshold and component.baseline is not None:
            assert svg.find_all(class_="chart-band"), f"{chart['title']}: no MCID band"
    assert any(svg.find_all(class_="chart-band") for svg in page.find_all("svg"))
    scorecard = response.context["scorecard"]
    assert scorecard.get("pain_relief").status == "improved"
    assert scorecard.get("recovery").status == "improved"
    assert "Pain relief" in page.text and "Improved" in page.text


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
