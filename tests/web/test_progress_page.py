from __future__ import annotations

from django.urls import reverse

from needlerx.web.charts import Band, Point, line_chart
from tests.web.measures import record_course


def test_the_progress_page_charts_each_measure_with_its_mcid_band(client, world):
    patient = world.patient()
    episode = world.episode(patient)
    record_course(world.alice, episode)
    client.force_login(world.alice)
    response = client.get(reverse("clinic:progress", args=[patient.public_id, episode.public_id]))
    html = response.content.decode()
    assert response.status_code == 200
    titles = [c["title"] for s in response.context["sections"] for c in s["charts"]]
    assert len(titles) >= 5
    assert html.count('<svg viewBox="0 0 640 240" role="img"') == len(titles)
    assert 'class="chart-band"' in html
    scorecard = response.context["scorecard"]
    assert scorecard.get("pain_relief").status == "improved"
    assert scorecard.get("recovery").status == "improved"
    assert "Pain relief" in html and "Improved" in html


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
