"""PPT, ROM, spasm diary and medication (CDC 2022 MME), including refusals."""

from __future__ import annotations

from typing import Any

import pytest

from needlerx.clinical.errors import ClinicalInputError
from needlerx.clinical.scoring import ScoreResult, score
from needlerx.clinical.scoring.library import mme_table


def ppt(**values: Any) -> ScoreResult:
    return score("ppt", {"muscle": "upper_trapezius", "side": "left", **values})


def test_ppt_mean_of_trials_and_kpa():
    # (3.1 + 3.3 + 3.2) / 3 = 3.2 kg/cm2; 3.2 x 98.0665 = 313.81 kPa.
    result = ppt(trials_kg_cm2=[3.1, 3.3, 3.2])
    assert result.score == 3.2
    assert result.unit == "kg/cm2"
    assert result.additional_scores["kpa"].score == 313.81
    assert result.key == "upper_trapezius/left"


def test_ppt_accepts_kpa_input():
    # 196.133 kPa / 98.0665 = 2.0 kg/cm2
    assert ppt(kpa=196.133).score == 2.0


@pytest.mark.parametrize(
    ("values", "field"),
    [
        ({"kg_cm2": 2.0, "kpa": 196.1}, "responses"),
        ({}, "responses"),
        ({"kg_cm2": -1}, "responses.kg_cm2"),
        ({"kg_cm2": True}, "responses.kg_cm2"),
        ({"trials_kg_cm2": []}, "responses.trials_kg_cm2"),
        ({"trials_kg_cm2": [1, 2, 3, 4, 5, 6]}, "responses.trials_kg_cm2"),
        ({"trials_kg_cm2": [1, "2"]}, "responses.trials_kg_cm2[1]"),
        ({"kg_cm2": 2, "depth": 3}, "responses.depth"),
    ],
)
def test_ppt_bad_input(values, field):
    with pytest.raises(ClinicalInputError) as raised:
        ppt(**values)
    assert raised.value.field == field


def test_ppt_needs_a_known_side_and_a_muscle_id():
    with pytest.raises(ClinicalInputError) as raised:
        score("ppt", {"muscle": "upper_trapezius", "side": "up", "kg_cm2": 2})
    assert raised.value.field == "responses.side"
    with pytest.raises(ClinicalInputError) as raised:
        score("ppt", {"muscle": "Upper Trapezius", "side": "left", "kg_cm2": 2})
    assert raised.value.field == "responses.muscle"


def test_rom_per_motion():
    result = score("rom", {"cervical_flexion": 45, "modified_schober_cm": 4.5})
    assert result.score is None
    assert result.subscales["cervical_flexion"].score == 45
    assert result.subscales["cervical_flexion"].unit == "degrees"
    assert result.subscales["modified_schober_cm"].unit == "cm"
    assert result.items_answered == 2


def test_rom_unknown_motion_and_range():
    with pytest.raises(ClinicalInputError) as raised:
        score("rom", {"neck_flexion": 40})
    assert raised.value.field == "responses.neck_flexion"
    assert "cervical_flexion" in raised.value.message
    with pytest.raises(ClinicalInputError) as raised:
        score("rom", {"cervical_flexion": 200})
    assert raised.value.field == "responses.cervical_flexion"
    with pytest.raises(ClinicalInputError):
        score("rom", {})


def test_spasm_diary():
    result = score("spasm", {"episodes_per_week": 4, "intensity": 6})
    assert (result.score, result.subscales["intensity"].score) == (4, 6)
    assert score("spasm", {"episodes_per_week": 0}).subscales["intensity"].score == 0


@pytest.mark.parametrize(
    ("responses", "field"),
    [
        ({"episodes_per_week": 3}, "responses.intensity"),
        ({"episodes_per_week": 0, "intensity": 5}, "responses.intensity"),
        ({"episodes_per_week": 2.5, "intensity": 5}, "responses.episodes_per_week"),
        ({"episodes_per_week": 2, "intensity": 11}, "responses.intensity"),
        ({"intensity": 2}, "responses.episodes_per_week"),
    ],
)
def test_spasm_bad_input(responses, field):
    with pytest.raises(ClinicalInputError) as raised:
        score("spasm", responses)
    assert raised.value.field == field


def medication(*opioids: dict[str, Any], days: int = 3) -> ScoreResult:
    return score("medication", {"analgesic_days_per_week": days, "opioids": list(opioids)})


def test_cdc_worked_examples_from_the_table_footnote():
    # Hydrocodone 5 mg QID = 20 mg/day x 1.0 = 20 MME/day.
    # Oxycodone 10 mg BID = 20 mg/day x 1.5 = 30 MME/day.
    for example in mme_table().worked_examples:
        result = medication(
            {
                "drug": example.drug,
                "dose": example.dose,
                "unit": "mg",
                "doses_per_day": example.doses_per_day,
            }
        )
        assert result.subscales["mme_per_day"].score == example.mme_per_day


def test_mme_sums_opioids_and_handles_fentanyl_patches():
    # Oxycodone 10 mg x 3 = 30 mg x 1.5 = 45; fentanyl patch 25 mcg/h x 2.4 = 60;
    # tramadol 50 mg x 4 = 200 mg x 0.2 = 40; total 145 MME/day.
    result = medication(
        {"drug": "oxycodone", "dose": 10, "unit": "mg", "doses_per_day": 3},
        {"drug": "fentanyl_transdermal", "dose": 25, "unit": "mcg/h"},
        {"drug": "tramadol", "dose": 50, "unit": "mg", "doses_per_day": 4},
    )
    assert result.subscales["mme_per_day"].score == 145
    assert [d["mme_per_day"] for d in result.details] == [45, 60, 40]
    assert result.score == 3


def test_cdc_2022_factors_not_2016():
    # Hydromorphone 2 mg x 4 = 8 mg x 5.0 = 40 (2016 factor 4 would give 32).
    # Methadone 10 mg x 3 = 30 mg x 4.7 = 141 (2016 tiered factor 8 would give 240).
    hydromorphone = {"drug": "hydromorphone", "dose": 2, "unit": "mg", "doses_per_day": 4}
    methadone = {"drug": "methadone", "dose": 10, "unit": "mg", "doses_per_day": 3}
    assert medication(hydromorphone).subscales["mme_per_day"].score == 40
    result = medication(methadone)
    assert result.subscales["mme_per_day"].score == 141
    assert any("methadone" in note.lower() for note in result.notes)


def test_no_opioids_is_zero_mme():
    assert medication(days=0).subscales["mme_per_day"].score == 0


@pytest.mark.parametrize("drug", ["fentanyl", "kratom", "Oxycodone", None])
def test_drugs_without_a_cdc_factor_are_refused(drug):
    with pytest.raises(ClinicalInputError) as raised:
        medication({"drug": drug, "dose": 10, "unit": "mg", "doses_per_day": 1})
    assert raised.value.field == "responses.opioids[0].drug"
    assert "MME" in raised.value.message or "fentanyl_transdermal" in raised.value.message


@pytest.mark.parametrize(
    "entry",
    [
        {"drug": "buprenorphine", "dose": 8, "unit": "mg", "doses_per_day": 1},
        {"drug": "buprenorphine", "dose": 10, "unit": "mcg/h"},  # a patch
    ],
)
def test_buprenorphine_is_recorded_flagged_and_never_added_to_mme(entry):
    # Review W11: refusing buprenorphine made staff leave it out, so MME read 0.
    oxycodone = {"drug": "oxycodone", "dose": 10, "unit": "mg", "doses_per_day": 2}  # 30 MME
    result = medication(oxycodone, entry)
    assert result.subscales["mme_per_day"].score == 30
    assert "buprenorphine: not converted" in result.flags
    recorded = result.details[1]
    assert (recorded["drug"], recorded["factor"], recorded["mme_per_day"]) == (
        "buprenorphine",
        None,
        None,
    )
    assert any("Buprenorphine" in note for note in result.notes)


def test_buprenorphine_alone_is_zero_mme_with_its_flag():
    result = medication({"drug": "buprenorphine", "dose": 8, "unit": "mg", "doses_per_day": 1})
    assert result.subscales["mme_per_day"].score == 0
    assert result.flags == ("buprenorphine: not converted",)


@pytest.mark.parametrize(
    ("entry", "field"),
    [
        ({"drug": "buprenorphine", "dose": 8, "unit": "g", "doses_per_day": 1}, "unit"),
        ({"drug": "buprenorphine", "dose": 0, "unit": "mg", "doses_per_day": 1}, "dose"),
        (
            {"drug": "buprenorphine", "dose": 10, "unit": "mcg/h", "doses_per_day": 1},
            "doses_per_day",
        ),
    ],
)
def test_a_bad_buprenorphine_entry_names_the_field(entry, field):
    with pytest.raises(ClinicalInputError) as raised:
        medication(entry)
    assert raised.value.field == f"responses.opioids[0].{field}"


def test_the_reviews_286_mme_case_raises_the_90_caution():
    # Oxycodone 10 mg TID 45 + fentanyl 25 mcg/h 60 + tramadol 50 mg QID 40 + methadone 10 mg
    # TID 141 = 286 MME/day (clinical review, section 3).
    result = medication(
        {"drug": "oxycodone", "dose": 10, "unit": "mg", "doses_per_day": 3},
        {"drug": "fentanyl_transdermal", "dose": 25, "unit": "mcg/h"},
        {"drug": "tramadol", "dose": 50, "unit": "mg", "doses_per_day": 4},
        {"drug": "methadone", "dose": 10, "unit": "mg", "doses_per_day": 3},
    )
    assert result.subscales["mme_per_day"].score == 286
    assert result.flags[0] == "opioids at or above 90 MME/day"
    assert result.notes[0].startswith("Opioids at 90 MME/day or more")


@pytest.mark.parametrize(
    ("mme_dose", "flag"),
    [
        (49.5, None),  # oxycodone 11 mg x 3 = 33 mg x 1.5 = 49.5
        (50, "opioids at or above 50 MME/day"),  # morphine 25 mg BID
        (89, "opioids at or above 50 MME/day"),
        (90, "opioids at or above 90 MME/day"),
    ],
)
def test_dose_cautions_at_50_and_90_mme(mme_dose, flag):
    if mme_dose == 49.5:
        result = medication({"drug": "oxycodone", "dose": 11, "unit": "mg", "doses_per_day": 3})
    else:
        result = medication(
            {"drug": "morphine", "dose": mme_dose, "unit": "mg", "doses_per_day": 1}
        )
    assert result.subscales["mme_per_day"].score == mme_dose
    assert (result.flags[0] if result.flags else None) == flag


def test_the_cautions_and_their_sources_are_data():
    table = mme_table()
    assert [c.at_or_above for c in table.dose_cautions] == [50, 90]
    assert all(c.source.citation for c in table.dose_cautions)


def test_other_medication_classes_are_days_per_week():
    result = score(
        "medication",
        {
            "analgesic_days_per_week": 5,
            "opioids": [],
            "other_medications": {"muscle_relaxant": 5, "gabapentinoid": 7, "nsaid": 0},
        },
    )
    assert {k: v.score for k, v in result.additional_scores.items()} == {
        "muscle_relaxant": 5,
        "gabapentinoid": 7,
        "nsaid": 0,
    }
    assert result.additional_scores["muscle_relaxant"].unit == "days/week"


@pytest.mark.parametrize(
    ("others", "field"),
    [
        ({"muscle_relaxant": 8}, "responses.other_medications.muscle_relaxant"),
        ({"muscle_relaxant": 2.5}, "responses.other_medications.muscle_relaxant"),
        ({"benzodiazepine": 3}, "responses.other_medications.benzodiazepine"),
        ([1, 2], "responses.other_medications"),
    ],
)
def test_a_bad_medication_class_names_the_field(others, field):
    with pytest.raises(ClinicalInputError) as raised:
        score("medication", {"analgesic_days_per_week": 1, "other_medications": others})
    assert raised.value.field == field


@pytest.mark.parametrize(
    ("entry", "field"),
    [
        ({"drug": "oxycodone", "dose": 10, "unit": "mcg", "doses_per_day": 2}, "unit"),
        ({"drug": "oxycodone", "dose": 0, "unit": "mg", "doses_per_day": 2}, "dose"),
        ({"drug": "oxycodone", "dose": True, "unit": "mg", "doses_per_day": 2}, "dose"),
        ({"drug": "oxycodone", "dose": 10, "unit": "mg"}, "doses_per_day"),
        ({"drug": "oxycodone", "dose": 10, "unit": "mg", "doses_per_day": 30}, "doses_per_day"),
        ({"drug": "fentanyl_transdermal", "dose": 25, "unit": "mg"}, "unit"),
        (
            {"drug": "fentanyl_transdermal", "dose": 25, "unit": "mcg/h", "doses_per_day": 1},
            "doses_per_day",
        ),
        (
            {"drug": "oxycodone", "dose": 10, "unit": "mg", "doses_per_day": 2, "route": "po"},
            "route",
        ),
    ],
)
def test_bad_opioid_entries(entry, field):
    with pytest.raises(ClinicalInputError) as raised:
        medication(entry)
    assert raised.value.field == f"responses.opioids[0].{field}"


@pytest.mark.parametrize("days", [-1, 8, 2.0, True, None])
def test_analgesic_days_must_be_0_to_7(days):
    with pytest.raises(ClinicalInputError) as raised:
        score("medication", {"analgesic_days_per_week": days})
    assert raised.value.field == "responses.analgesic_days_per_week"


def test_opioids_must_be_a_list():
    with pytest.raises(ClinicalInputError) as raised:
        score("medication", {"analgesic_days_per_week": 1, "opioids": {"drug": "morphine"}})
    assert raised.value.field == "responses.opioids"
