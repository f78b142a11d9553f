"""The home medication diary asks for exactly what the "Medication use" measure scores."""

from __future__ import annotations

from needlerx.clinical.medication_diary import medication_diary
from needlerx.clinical.scoring.library import get_instrument, mme_table


def test_every_class_and_opioid_of_the_diary_is_one_the_core_scores():
    diary = medication_diary()
    classes = {m.id for m in get_instrument("medication").additional_scores}
    assert {c.id for c in diary.classes} == classes  # every class the clinic records is asked
    table = mme_table()
    known = {o.id for o in table.opioids} | {o.id for o in table.recorded_not_converted}
    assert {o.id for o in diary.opioids} <= known
    assert "fentanyl" not in {o.id for o in diary.opioids}  # only the patch converts


def test_the_dose_unit_follows_the_table_and_a_patch_is_per_hour():
    diary = medication_diary()
    assert diary.dose_unit("oxycodone", per_day_given=True) == "mg"
    assert diary.dose_unit("fentanyl_transdermal", per_day_given=False) == "mcg/h"
    assert diary.dose_unit("buprenorphine", per_day_given=False) == "mcg/h"
    assert diary.dose_unit("buprenorphine", per_day_given=True) == "mg"
