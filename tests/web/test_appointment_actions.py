"""An appointment's action buttons: one form per status it can move to, then "start the note";
each posts the page's CSRF token and says whose appointment it acts on, escaped."""

from __future__ import annotations

import pytest
from django.template import Context, Template

from needlerx.web.templatetags.appointment_actions import appointment_actions
from tests.web.page_elements import parse_page

ROW = {
    "url": "/appointments/1/",
    "patient": "Ann <O'Neil>",
    "time": "9:00 to 9:45 AM",
    "buttons": [
        {"status": "arrived", "label": "Arrived"},
        {"status": "no_show", "label": "No-show"},
    ],
    "note_label": "Start note",
}
WEEK_ROW = {
    "time": "11:45 AM\u201312:15 PM",
    "clinician": "Dr <Lee> & Co",
    "status": "booked",
    "status_label": 'Booked "soon"',
}


def test_each_action_is_a_form_that_names_the_patient_and_posts_the_token() -> None:
    html = str(appointment_actions(Context({"csrf_token": "tok"}), ROW, "/appointments/?day=1"))
    page = parse_page(html)
    forms = page.find_all("form")
    assert [f.attrs["action"] for f in forms] == ["/appointments/1/"] * 3
    buttons = page.find_all("button")
    assert [b.attrs["aria-label"] for b in buttons] == [
        "Arrived: Ann <O'Neil> at 9:00 to 9:45 AM",
        "No-show: Ann <O'Neil> at 9:00 to 9:45 AM",
        "Start note: Ann <O'Neil> at 9:00 to 9:45 AM",
    ]
    assert [b.attrs["class"] for b in buttons] == ["small", "small quiet", "small primary"]
    assert len(page.find_all("input", name="csrfmiddlewaretoken", value="tok")) == 3
    assert [i.attrs["value"] for i in page.find_all("input", name="next")] == [
        "/appointments/?day=1"
    ] * 2
    assert page.find_all("input", name="action")[-1].attrs["value"] == "start_note"
    assert "<O'Neil>" not in html


def test_no_note_button_where_none_is_offered_and_no_token_field_without_one() -> None:
    row = {**ROW, "buttons": [], "note_label": ""}
    assert str(appointment_actions(Context({}), row, "/")) == ""
    page = parse_page(
        str(appointment_actions(Context({}), {**row, "note_label": "Open note"}, "/"))
    )
    assert not page.find_all("input", name="csrfmiddlewaretoken")
    assert page.find_all("button")[0].text == "Open note"


# A day of the week as the template's loop drew it before ``week_day_items`` drew it in one call.
WEEK_DAY_AS_A_TEMPLATE_LOOP = (
    "{% load web_tags %}{% for row in rows %}"
    '<li class="status-{{ row.status }}"><a href="{{ row.url }}">'
    '<span class="week-time">{{ row.time|time_range }}</span> {{ row.patient }}</a>'
    '{% if show_clinician %} <span class="small muted">{{ row.clinician }}</span>{% endif %} '
    '<span class="badge badge-appt-{{ row.status }}">{{ row.status_label }}</span></li>'
    '{% empty %}<li class="empty">None</li>{% endfor %}'
)


@pytest.mark.parametrize("show_clinician", [True, False])
@pytest.mark.parametrize("rows", [[], [ROW | WEEK_ROW, ROW | WEEK_ROW | {"status": "arrived"}]])
def test_a_day_of_the_week_is_what_the_template_loop_drew(rows, show_clinician) -> None:
    context = Context({"rows": rows, "show_clinician": show_clinician})
    looped = Template(WEEK_DAY_AS_A_TEMPLATE_LOOP).render(context)
    drawn = Template("{% load appointment_actions %}{% week_day_items rows show_clinician %}")
    assert drawn.render(context) == looped
