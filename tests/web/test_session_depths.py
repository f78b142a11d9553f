"""Before the needle goes in: the needling form shows each planned muscle's reference depth for
this patient's BMI, what the figure means, when it is a regional fallback and when it still needs
clinical sign-off."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from typing import Any

import pytest
from django.test import Client

from needlerx.clinical.evidence import Source
from needlerx.clinical.reference_depth import ReferenceDepth
from needlerx.treatments import depths
from tests.personas import World
from tests.web.page_elements import parse_page
from tests.web.test_session_pages import Note, _consent, _entry, _precautions_documented

PLAN = ["upper_trapezius:left", "levator_scapulae:right", "rhomboid_major:left"]


def _planned(client: Client, world: World, **patient: Any) -> tuple[Note, str]:
    note = Note(client, world)
    if patient:
        type(note.patient).objects.filter(pk=note.patient.pk).update(**patient)
    _consent(note)
    note.step("safety", {"technique": "static", "plan": PLAN})
    assert note.session.safety_checked_at is not None
    response = client.get(note.url)
    return note, response.content.decode()


def _table(page: str) -> str:
    """The reference-depth table's text."""
    return parse_page(page).by_id("reference-depths").text


def _row(page: str, muscle: str) -> str:
    """The text of the table row whose heading names ``muscle``."""
    table = parse_page(page).by_id("reference-depths")
    rows = [
        row.text
        for row in table.find_all("tr")
        if any(h.text.startswith(muscle) for h in row.find_all("th", scope="row"))
    ]
    assert len(rows) == 1, f"expected one row for {muscle}, found {len(rows)}"
    return rows[0]


def test_the_needling_form_shows_each_planned_muscles_reference_depth(client, world):
    note, page = _planned(client, world, weight_kg=65)  # 170 cm, 65 kg: BMI 22.5
    table = _table(page)
    assert "BMI 22.5" in table
    assert "Upper trapezius" in table and "Levator scapulae" in table and "Rhomboid major" in table
    trapezius = _row(page, "Upper trapezius")
    assert "30 mm" in trapezius
    assert "Deepest depth studied without reaching the pleura in 15 elderly cadavers" in trapezius
    assert "fallback" not in trapezius
    levator = _row(page, "Levator scapulae")
    assert "no study of this muscle: the region's most conservative figure" in levator
    rhomboid = _row(page, "Rhomboid major")
    assert "17 mm" in rhomboid and "Source: Lee" in rhomboid
    assert "needs clinical sign-off" not in table
    help_text = client.get(note.url).context["needling_form"]["max_depth_mm"].help_text
    assert "Upper trapezius 30 mm" in help_text and "Rhomboid major 17 mm" in help_text
    assert page.index('id="reference-depths"') < page.index('name="max_depth_mm"')


def test_the_reference_depth_follows_the_patients_bmi(client, world):
    _, page = _planned(client, world, weight_kg=80)  # 170 cm, 80 kg: BMI 27.7
    rhomboid = _row(page, "Rhomboid major")
    assert "BMI 27.7" in _table(page)
    assert "19 mm" in rhomboid and "17 mm" not in rhomboid


def test_a_figure_from_an_unconfirmed_source_says_it_needs_clinical_sign_off(
    client: Client, world: World, monkeypatch: pytest.MonkeyPatch
):
    unconfirmed = ReferenceDepth(
        muscle="upper_trapezius",
        mm=12,
        structure="pleura",
        basis="b",
        population="a pilot study",
        source=Source(citation="Pilot 2024", confidence="unconfirmed"),
        fallback=False,
        bmi=22.5,
    )
    monkeypatch.setattr(depths, "reference_depth_for", lambda muscle, bmi: unconfirmed)
    _, page = _planned(client, world)
    row = _row(page, "Upper trapezius")
    assert "12 mm" in row and "needs clinical sign-off" in row


def test_no_table_before_the_re_check(client, world):
    note = Note(client, world)
    assert 'id="reference-depths"' not in client.get(note.url).content.decode()


class _VisibleText(HTMLParser):
    """The words a person sees: text outside scripts and styles, plus option labels."""

    def __init__(self) -> None:
        super().__init__()
        self.words: list[str] = []
        self._hidden = 0

    def handle_starttag(self, tag: str, attrs: Any) -> None:
        self._hidden += tag in ("script", "style")

    def handle_endtag(self, tag: str) -> None:
        self._hidden -= tag in ("script", "style")

    def handle_data(self, data: str) -> None:
        if not self._hidden:
            self.words.append(data)


def _visible(page: str) -> str:
    parser = _VisibleText()
    parser.feed(page)
    return " ".join(parser.words)


def test_the_unsigned_note_shows_words_not_codes(client, world):
    note, _ = _planned(client, world)
    _precautions_documented(note, "Pincer grip, needle aimed away from the lung")
    _entry(note, "upper_trapezius:left:static")
    text = _visible(client.get(note.url).content.decode())
    assert "Proceed with precautions" in text
    assert "Upper trapezius (left), static (needle left in place)" in text  # the entry choice
    assert "covers static (needle left in place), pistoning (fast in, fast out)" in text
    assert re.findall(r"\b[a-z]+(?:_[a-z0-9]+)+\b", text) == []


def test_advice_this_note_needs_is_marked_required(client, world):
    note, _ = _planned(client, world)
    _precautions_documented(note, "Pincer grip, needle aimed away from the lung")
    _entry(note, "upper_trapezius:left:static")
    form = client.get(note.url).context["response_form"]
    labels = dict(form.fields["aftercare_given"].choices)
    assert labels["soreness_expected"].endswith("(required for this note)")
    assert labels["pneumothorax_safety_net"].endswith("(required for this note)")
    assert labels["bruising_bleeding"] == "Bruising and minor bleeding"
