# mypy: disable-error-code="union-attr"
"""The muscle tension or stiffness rating: a single 0-10 item, lower is better, with no
published MCID or MDC (so no responder judgement is borrowed from the pain NRS)."""

from __future__ import annotations

import datetime as dt

import pytest

from needlerx.clinical.errors import ClinicalInputError
from needlerx.clinical.scoring import score
from needlerx.clinical.scoring.change import Observation, compare
from needlerx.clinical.scoring.library import get_instrument


def test_the_chosen_value_is_the_score():
    result = score("stiffness", {"1": 6})
    assert (result.score, result.unit, result.direction) == (6, "points", "higher_is_worse")


@pytest.mark.parametrize("value", [11, -1, 4.5, "6", True])
def test_only_whole_numbers_from_0_to_10(value):
    with pytest.raises(ClinicalInputError) as raised:
        score("stiffness", {"1": value})
    assert raised.value.field == "responses.1"
    assert "from 0 to 10" in raised.value.message


def test_no_mcid_or_mdc_and_the_source_says_so():
    instrument = get_instrument("stiffness")
    assert (instrument.score.mcids, instrument.score.mdcs) == ([], [])
    assert instrument.scoring.source.confidence == "unconfirmed"
    assert "No validation study" in instrument.scoring.source.citation
    assert "24 hours" in (instrument.items[0].text or "")


def test_change_is_shown_without_a_responder_judgement():
    days = [dt.date(2025, 3, 3), dt.date(2025, 3, 17)]
    series = [Observation("stiffness", d, v, "points") for d, v in zip(days, (8, 3), strict=True)]
    report = compare("stiffness", series)
    assert (report.latest.improvement, report.latest.direction) == (5, "better")
    assert report.mcid is None and report.mdc is None
    assert report.latest.status == "not_assessable"
