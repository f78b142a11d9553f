"""Heights and weights as a US clinic reads them on a page (stored metric)."""

from __future__ import annotations

from decimal import Decimal

import pytest

from needlerx.core import units


@pytest.mark.parametrize(
    ("centimeters", "words"),
    [("172.7", "5 ft 8 in"), ("168.8", "5 ft 6 in"), ("152.4", "5 ft 0 in"), ("25.4", "10 in")],
)
def test_a_height_is_said_in_feet_and_whole_inches(centimeters: str, words: str) -> None:
    assert units.height_words(Decimal(centimeters), us_customary=True) == words


def test_a_form_still_shows_the_inches_that_store_the_same_height() -> None:
    shown = units.inches_from_centimeters(Decimal("168.8"))
    assert units.centimeters_from_inches(shown) == Decimal("168.8")


def test_a_metric_clinic_reads_centimeters_and_kilograms() -> None:
    assert units.height_words(Decimal("168.8"), us_customary=False) == "168.8 cm"
    assert units.weight_words(Decimal("74.8"), us_customary=False) == "74.8 kg"
    assert units.weight_words(Decimal("74.8"), us_customary=True) == "165 lb"
