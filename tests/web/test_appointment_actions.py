"""An appointment's action buttons: one form per status it can move to, then "start the note";
each posts the page's CSRF token and says whose appointment it acts on, escaped."""

from __future__ import annotations

from django.template import Context

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
