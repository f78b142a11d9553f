"""Worked examples from the published scoring rules, with the arithmetic in comments."""

from __future__ import annotations

import pytest

from needlerx.clinical.errors import ClinicalInputError
from needlerx.clinical.scoring import instrument_library, score, score_request
from needlerx.clinical.scoring.result import current_band_id, result_with_current_bands


def items(*values: int | None) -> dict[str, int | None]:
    return {str(n): value for n, value in enumerate(values, start=1)}


# --- worked examples -----------------------------------------------------------------------

WORKED = [
    # NPRS: the chosen number is the score.
    ("nprs", {"1": 7}, 7.0),
    # VAS: millimetres from the "no pain" end; decimals allowed.
    ("vas", {"1": 42.5}, 42.5),
    # NDI: 3+2+1+0+4+2+3+1+2+2 = 20 raw -> 20 / 50 x 100 = 40 %.
    ("ndi", items(3, 2, 1, 0, 4, 2, 3, 1, 2, 2), 40.0),
    # ODI: 2+1+3+1+2+2+1+0+2+2 = 16 -> 16 / 50 x 100 = 32 % (scoring-page example 16/50).
    ("odi", items(2, 1, 3, 1, 2, 2, 1, 0, 2, 2), 32.0),
    # ODI, sex-life section (8) left out: 16 / (5 x 9) x 100 = 35.555.. -> 35.56 %.
    ("odi", items(2, 1, 3, 1, 2, 2, 1, None, 2, 2), 35.56),
    # RMDQ: 9 statements ticked out of 24 -> 9.
    ("rmdq", items(*([1] * 9 + [0] * 15)), 9.0),
    # PSFS: activities 3, 5, 4 -> (3+5+4)/3 = 4.
    ("psfs", {"1": 3, "2": 5, "3": 4}, 4.0),
    # PSFS: 2, 7, 6, 9 -> 24/4 = 6.
    ("psfs", {"1": 2, "2": 7, "3": 6, "4": 9}, 6.0),
    # PCS: 1..13 pattern 2,3,1,0,4,2,1,3,3,2,1,0,2 -> 24.
    ("pcs", items(2, 3, 1, 0, 4, 2, 1, 3, 3, 2, 1, 0, 2), 24.0),
    # GROC: the chosen value is stored as given (+5, -7).
    ("groc", {"1": 5}, 5.0),
    ("groc", {"1": -7}, -7.0),
]


@pytest.mark.parametrize(("instrument", "responses", "expected"), WORKED)
def test_worked_examples(instrument, responses, expected):
    assert score(instrument, responses).score == expected


def test_ndi_reports_raw_and_percent_and_the_vernon_band():
    # 3+2+1+0+4+2+3+1+2+2 = 20 raw (15-24 = moderate, Vernon & Mior); 40 %.
    result = score("ndi", items(3, 2, 1, 0, 4, 2, 3, 1, 2, 2)).to_dict()
    assert result["score"] == 40.0
    assert result["unit"] == "%"
    assert result["additional_scores"]["raw"]["score"] == 20.0
    assert result["category"] == "moderate"


def test_ndi_one_missing_item_follows_the_authors_rule():
    # Driving (8) missing. Answered: 3+2+1+0+4+2+3+2+2 = 19 over 9 sections.
    # Author's rule: add the mean of the others, 19/9 = 2.111 -> raw 21.11 -> 42.22 %.
    # Same as 19 / (5 x 9) x 100 = 42.22 %.
    result = score("ndi", items(3, 2, 1, 0, 4, 2, 3, None, 2, 2))
    assert result.score == 42.22
    assert result.additional_scores["raw"].score == 21.11
    assert result.items_answered == 9
    assert result.notes


def test_pcs_subscales():
    # items 1-13: 2,3,1,0,4,2,1,3,3,2,1,0,2
    # rumination 8-11: 3+3+2+1 = 9; magnification 6,7,13: 2+1+2 = 5;
    # helplessness 1-5,12: 2+3+1+0+4+0 = 10; total 24 (9+5+10).
    result = score("pcs", items(2, 3, 1, 0, 4, 2, 1, 3, 3, 2, 1, 0, 2))
    subscales = {name: sub.score for name, sub in result.subscales.items()}
    assert subscales == {"rumination": 9, "magnification": 5, "helplessness": 10}
    assert result.category == "below_cut_off"


def test_pcs_above_30_is_at_or_above_the_cut_off_and_30_is_below():
    # 13 items: eight 3s and five 1s = 24 + 5 = 29 ... build exactly 30 and 31.
    thirty = items(4, 4, 4, 4, 4, 4, 3, 3, 0, 0, 0, 0, 0)  # 4x6 + 3x2 = 30
    thirty_one = items(4, 4, 4, 4, 4, 4, 3, 3, 1, 0, 0, 0, 0)  # 31
    below, above = score("pcs", thirty), score("pcs", thirty_one)
    assert (below.category, below.category_label) == (
        "below_cut_off",
        "Below the cut-off (30 or less)",
    )
    assert (above.category, above.category_label) == (
        "at_or_above_cut_off",
        "At or above the cut-off (31 or more)",
    )


@pytest.mark.parametrize(
    ("values", "category", "label"),
    [
        # 3 x 10 sections = 30 / 50 x 100 = 60 % -> severe (upper bound 60).
        (items(*([3] * 10)), "severe", "Severe disability"),
        # 4 x 10 = 40 / 50 x 100 = 80 % -> the 61-80 band (formerly id "crippled").
        (items(*([4] * 10)), "very_severe", "Very severe disability"),
        # 5 x 9 + 4 = 49 / 50 x 100 = 98 % -> the 81-100 band (formerly id "bed_bound").
        (items(*([5] * 9 + [4])), "extreme", "Extreme disability"),
    ],
)
def test_odi_bands_carry_neutral_labels(values: dict[str, int | None], category: str, label: str):
    result = score("odi", values)
    assert (result.category, result.category_label) == (category, label)


def test_pcs_bands_name_the_cut_off_not_the_patient():
    thirty = items(4, 4, 4, 4, 4, 4, 3, 3, 0, 0, 0, 0, 0)  # 4x6 + 3x2 = 30
    thirty_one = items(4, 4, 4, 4, 4, 4, 3, 3, 1, 0, 0, 0, 0)  # 31
    assert score("pcs", thirty).category_label == "Below the cut-off (30 or less)"
    assert score("pcs", thirty_one).category_label == "At or above the cut-off (31 or more)"


def test_fabq_subscales_ignore_unscored_items():
    # PA = items 2+3+4+5 = 4+5+6+1 = 16 (> 14: elevated).
    # W = items 6+7+9+10+11+12+15 = 2+3+4+5+6+0+1 = 21 (<= 29: not elevated).
    # Unscored items 1, 8, 13, 14, 16 are 6 and must not change anything.
    values = items(6, 4, 5, 6, 1, 2, 3, 6, 4, 5, 6, 0, 6, 6, 1, 6)
    result = score("fabq", values)
    assert result.score is None
    assert result.subscales["physical_activity"].score == 16
    assert result.subscales["physical_activity"].category == "elevated"
    assert result.subscales["work"].score == 21
    assert result.subscales["work"].category == "not_elevated"
    without_unscored = {k: v for k, v in values.items() if k not in {"1", "8", "13", "14", "16"}}
    assert score("fabq", without_unscored).subscales == result.subscales


STARTBACK = [
    # items 1-8 (0/1), item 9 (0-4; positive only at 3 or 4)
    # total 3 -> low whatever the subscale: 1,1,1,0,0,0,0,0, 2 -> 3 (item 9 level 2 not positive)
    (items(1, 1, 1, 0, 0, 0, 0, 0, 2), 3, 0, "low"),
    # total 4, subscale (5-9) = 1+0+0+0+0 = 1 -> medium
    (items(1, 1, 1, 0, 1, 0, 0, 0, 0), 4, 1, "medium"),
    # total 7, subscale 1+1+1+0+0 = 3 -> medium (subscale <= 3)
    (items(1, 1, 1, 1, 1, 1, 1, 0, 1), 7, 3, "medium"),
    # item 9 = 3 ("very much") counts: subscale 1+1+1+0+1 = 4 -> high; total 4+4 = 8
    (items(1, 1, 1, 1, 1, 1, 1, 0, 3), 8, 4, "high"),
    # all agree, item 9 = 4: total 9, subscale 5 -> high
    (items(1, 1, 1, 1, 1, 1, 1, 1, 4), 9, 5, "high"),
]


@pytest.mark.parametrize(("responses", "total", "subscale", "risk"), STARTBACK)
def test_startback_risk_groups(responses, total, subscale, risk):
    result = score("startback", responses)
    assert result.score == total
    assert result.subscales["psychosocial"].score == subscale
    assert result.category == risk


# --- all minimum / all maximum -------------------------------------------------------------

EXTREMES = [
    ("nprs", 1, 0, 10, 0, 10),
    ("vas", 1, 0, 100, 0, 100),
    ("ndi", 10, 0, 5, 0, 100),
    ("odi", 10, 0, 5, 0, 100),
    ("rmdq", 24, 0, 1, 0, 24),
    ("psfs", 5, 0, 10, 0, 10),
    ("pcs", 13, 0, 4, 0, 52),
    ("startback", 9, 0, 1, 0, 8),  # item 9 at 1 is not positive: total 8
    ("groc", 1, -7, 7, -7, 7),
]


@pytest.mark.parametrize(("instrument", "count", "low", "high", "lowest", "highest"), EXTREMES)
def test_all_minimum_and_all_maximum(instrument, count, low, high, lowest, highest):
    assert score(instrument, items(*[low] * count)).score == lowest
    assert score(instrument, items(*[high] * count)).score == highest


def test_fabq_extremes():
    lowest = score("fabq", items(*[0] * 16)).subscales
    highest = score("fabq", items(*[6] * 16)).subscales
    assert (lowest["physical_activity"].score, lowest["work"].score) == (0, 0)
    assert (highest["physical_activity"].score, highest["work"].score) == (24, 42)


# --- missing-item limits -------------------------------------------------------------------

MISSING_LIMITS = [
    # instrument, item count, fill value, most items that may be missing
    ("ndi", 10, 2, 1),
    ("odi", 10, 2, 1),
    ("rmdq", 24, 0, 0),
    ("psfs", 5, 5, 4),
    ("startback", 9, 0, 0),
    ("pcs", 13, 1, 0),
    ("nprs", 1, 5, 0),
]


@pytest.mark.parametrize(("instrument", "count", "fill", "allowed"), MISSING_LIMITS)
def test_missing_item_limits(instrument, count, fill, allowed):
    at_limit = {str(n): fill for n in range(allowed + 1, count + 1)}
    assert score(instrument, at_limit).items_answered == count - allowed
    over = {str(n): fill for n in range(allowed + 2, count + 1)}
    with pytest.raises(ClinicalInputError) as raised:
        score(instrument, over)
    assert raised.value.field.startswith("responses")


def test_fabq_missing_scored_item_is_refused_naming_it():
    values = items(0, 1, 1, 1, 1, 1, 1, 0, 1, 1, 1, 1, 0, 0, 1, 0)
    del values["15"]
    with pytest.raises(ClinicalInputError) as raised:
        score("fabq", values)
    assert raised.value.field == "responses.15"


# --- wrong input ---------------------------------------------------------------------------


def test_out_of_range_message_names_the_allowed_values():
    with pytest.raises(ClinicalInputError) as raised:
        score("nprs", {"1": 11})
    assert raised.value.field == "responses.1"
    assert raised.value.message == "NPRS must be a whole number from 0 to 10 (got 11)"


@pytest.mark.parametrize("value", [True, False, "3", 3.0, 2.5, None, [3], float("nan")])
def test_wrong_types_are_refused(value):
    with pytest.raises(ClinicalInputError) as raised:
        score("nprs", {"1": value})
    assert raised.value.field == "responses.1"


def test_questionnaire_item_out_of_range_names_the_section():
    with pytest.raises(ClinicalInputError) as raised:
        score("ndi", items(0, 0, 6, 0, 0, 0, 0, 0, 0, 0))
    assert raised.value.field == "responses.3"
    assert "NDI item 3 (Lifting) must be a whole number from 0 to 5 (got 6)" in raised.value.message


def test_vas_rejects_infinity_and_accepts_decimals():
    assert score("vas", {"1": 0.5}).score == 0.5
    with pytest.raises(ClinicalInputError):
        score("vas", {"1": float("inf")})


@pytest.mark.parametrize("key", ["11", "0", "x", 1])
def test_unknown_item_is_refused(key):
    with pytest.raises(ClinicalInputError) as raised:
        score("ndi", {**items(*[1] * 10), key: 1})
    assert raised.value.field == f"responses.{key}"


def test_unknown_instrument_lists_allowed_ids():
    with pytest.raises(ClinicalInputError) as raised:
        score("oswestry", {"1": 1})
    assert raised.value.field == "instrument"
    assert "ndi" in raised.value.message and "medication" in raised.value.message


def test_responses_must_be_an_object():
    with pytest.raises(ClinicalInputError) as raised:
        score("nprs", [7])  # type: ignore[arg-type]
    assert raised.value.field == "responses"


def test_score_request_validates_the_whole_body():
    assert score_request("nprs", {"responses": {"1": 4}}).score == 4
    with pytest.raises(ClinicalInputError) as raised:
        score_request("nprs", {"responses": {"1": 4}, "patient": "x"})
    assert raised.value.field == "body.patient"
    with pytest.raises(ClinicalInputError) as raised:
        score_request("nprs", {})
    assert raised.value.field == "responses"
    with pytest.raises(ClinicalInputError):
        score_request("nprs", "not json object")


def test_to_dict_has_the_stable_keys():
    data = score("startback", items(1, 1, 1, 1, 1, 1, 1, 1, 4)).to_dict()
    for key in (
        "instrument",
        "score",
        "unit",
        "range",
        "subscales",
        "category",
        "items_answered",
        "instrument_version",
    ):
        assert key in data
    assert data["range"] == [0, 9]
    assert data["subscales"]["psychosocial"] == {
        "score": 5,
        "unit": "points",
        "range": [0, 5],
        "label": "Psychosocial (distress) subscale",
    }


BELOW, AT_OR_ABOVE = "Below the cut-off (30 or less)", "At or above the cut-off (31 or more)"
PEJORATIVE = ("crippled", "bed_bound", "bed-bound", "exaggerat")


@pytest.mark.parametrize(
    ("instrument", "stored", "current", "label"),
    [
        ("odi", "crippled", "very_severe", "Very severe disability"),
        ("odi", "bed_bound", "extreme", "Extreme disability"),
        ("pcs", "not_clinically_relevant", "below_cut_off", "Below the cut-off (30 or less)"),
        (
            "pcs",
            "clinically_relevant",
            "at_or_above_cut_off",
            "At or above the cut-off (31 or more)",
        ),
        ("odi", "moderate", "moderate", "Moderate disability"),
    ],
)
def test_results_stored_under_a_former_band_id_read_as_the_neutral_band(
    instrument: str, stored: str, current: str, label: str
):
    old = {"instrument": instrument, "category": stored, "category_label": "Crippled"}
    now = result_with_current_bands(old)
    assert (now["category"], now["category_label"]) == (current, label)
    assert current_band_id(instrument, stored) == current


def test_no_band_label_is_pejorative():
    for instrument in instrument_library():
        measures = [instrument.score, *instrument.subscales, *instrument.additional_scores]
        for measure in measures:
            for band in measure.categories.bands if measure and measure.categories else []:
                words = f"{band.id} {band.label}".lower()
                assert not any(
                    w in words for w in ("crippled", "bed_bound", "bed-bound", "exaggerat")
                )
