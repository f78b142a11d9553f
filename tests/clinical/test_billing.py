"""The CPT suggestion counts anatomical muscles per side (clinical review W4 and section 5).

Worked examples from the sources in billing.yaml: AAPC, "Count right, left trapezius as one?"
(no: right and left trapezius and levator scapulae are 3 or more muscles) and the AAPC Part B
Coding Alert on paraspinal trigger points (name the specific muscle, not "paraspinal").
"""

from __future__ import annotations

import pytest

from needlerx.clinical.billing import billing_suggestion
from needlerx.clinical.errors import ClinicalInputError, ReferenceDataError
from needlerx.clinical.reference import muscle_catalogue
from needlerx.clinical.treatment_reference import (
    BillingReference,
    billing_reference,
    check_every_catalogue_muscle_counted,
)

WORKED_EXAMPLES = [
    pytest.param(
        [("upper_trapezius", "bilateral"), ("levator_scapulae", "bilateral")],
        4,
        "20561",
        id="bilateral upper trapezius and levator scapulae: 4 muscles",
    ),
    pytest.param(
        [("upper_trapezius", "left"), ("middle_trapezius", "left"), ("lower_trapezius", "left")],
        1,
        "20560",
        id="three parts of the left trapezius: 1 muscle",
    ),
    pytest.param(
        [("cervical_multifidus", "left"), ("lumbar_multifidus", "left")],
        1,
        "20560",
        id="cervical and lumbar multifidus on the left: 1 muscle",
    ),
    pytest.param(
        [("upper_trapezius", "left"), ("upper_trapezius", "right")],
        2,
        "20560",
        id="left and right upper trapezius as two entries: 2 muscles",
    ),
    pytest.param(
        [("lumbar_erector_spinae", "left")],
        1,
        "20560",
        id="a grouped erector spinae entry: 1 muscle",
    ),
    pytest.param([], 0, None, id="no entries: no code"),
    pytest.param(
        [("anterior_scalene", "left"), ("middle_scalene", "left"), ("posterior_scalene", "left")],
        3,
        "20561",
        id="the three scalenes are three muscles",
    ),
    pytest.param(
        [("semispinalis_capitis", "right"), ("semispinalis_cervicis", "right")],
        2,
        "20560",
        id="semispinalis capitis and cervicis are two muscles",
    ),
    pytest.param(
        [("upper_trapezius", "bilateral"), ("upper_trapezius", "left")],
        2,
        "20560",
        id="a bilateral entry and a left entry of one muscle: left and right",
    ),
]


@pytest.mark.parametrize(("entries", "count", "code"), WORKED_EXAMPLES)
def test_worked_examples(entries, count, code):
    suggestion = billing_suggestion(entries, ["M54.2"]).to_dict()
    assert suggestion["distinct_muscle_count"] == count
    assert len(suggestion["counted_muscles"]) == count
    assert suggestion["code"] == code


def test_each_counted_muscle_names_its_side_and_the_entries_it_came_from():
    entries = [("upper_trapezius", "bilateral"), ("middle_trapezius", "left")]
    suggestion = billing_suggestion(entries, []).to_dict()
    assert suggestion["distinct_muscles"] == ["trapezius:left", "trapezius:right"]
    left, right = suggestion["counted_muscles"]
    assert (left["name"], left["side"]) == ("Trapezius", "left")
    assert [(e["muscle"], e["side"]) for e in left["entries"]] == [
        ("upper_trapezius", "bilateral"),
        ("middle_trapezius", "left"),
    ]
    assert "parts or levels of one muscle" in left["reasoning"]
    assert [e["muscle"] for e in right["entries"]] == ["upper_trapezius"]
    assert "both sides" in right["reasoning"]


def test_a_grouped_entry_counts_once_and_asks_for_the_muscle_to_be_named():
    grouped = billing_suggestion(
        [("thoracic_erector_spinae", "left"), ("lumbar_erector_spinae", "left")], []
    )
    (counted,) = grouped.counted
    assert not counted.muscle.named
    assert "counts as one muscle" in counted.reasoning()
    assert "payers expect the specific muscle to be named" in counted.reasoning()
    assert grouped.notices[0] == billing_reference().not_named_notice.text
    named = billing_suggestion([("lumbar_iliocostalis", "left")], [])
    assert billing_reference().not_named_notice.text not in named.notices


def test_named_erector_spinae_levels_of_one_muscle_count_once():
    levels = [("thoracic_longissimus", "right"), ("lumbar_longissimus", "right")]
    assert billing_suggestion(levels, []).distinct_muscles == ("longissimus_thoracis:right",)
    two = [("lumbar_iliocostalis", "right"), ("lumbar_longissimus", "right")]
    assert len(billing_suggestion(two, []).counted) == 2


def test_the_rule_says_right_and_left_are_two_muscles_with_its_sources():
    rule = billing_reference().counting_rule
    assert "right and the left trapezius are two muscles" in rule.explanation
    assert "upper, middle and lower trapezius are one trapezius" in rule.explanation
    citations = " ".join(source.citation for source in rule.sources)
    assert "Count right, left" in citations and "Part B Coding Alert" in citations
    assert {source.confidence for source in rule.sources} == {"secondary"}
    suggestion = billing_suggestion([("piriformis", "left")], []).to_dict()
    assert suggestion["rule"] == rule.explanation
    assert len(suggestion["rule_sources"]) == 2


def test_the_documentation_notices_are_given_and_it_stays_a_suggestion():
    notices = " ".join(billing_suggestion([("piriformis", "left")], []).notices)
    assert "A suggestion only" in notices
    assert "untimed" in notices and "once for the session" in notices
    assert "97140" in notices and "97810-97814" in notices and "payer's policy" in notices


def test_codes_carry_short_labels_of_our_own():
    for code in billing_reference().codes:
        assert code.label.startswith("Dry needling, ")
        assert "Needle insertion" not in code.label  # the AMA descriptor is not stored


def test_every_catalogue_muscle_is_counted_as_exactly_one_anatomical_muscle():
    listed = [e for m in billing_reference().anatomical_muscles.muscles for e in m.catalogue]
    assert sorted(listed) == sorted(muscle_catalogue())


def test_a_catalogue_muscle_missing_from_the_mapping_fails_to_load():
    document = billing_reference().model_dump(mode="json")
    muscles = document["anatomical_muscles"]["muscles"]
    document["anatomical_muscles"]["muscles"] = [m for m in muscles if m["id"] != "piriformis"]
    with pytest.raises(ReferenceDataError, match=r"not mapped.*piriformis"):
        check_every_catalogue_muscle_counted(BillingReference.model_validate(document))
    muscles[0] = {**muscles[0], "catalogue": [*muscles[0]["catalogue"], "no_such_muscle"]}
    document["anatomical_muscles"]["muscles"] = muscles
    with pytest.raises(ReferenceDataError, match=r"unknown muscles.*no_such_muscle"):
        check_every_catalogue_muscle_counted(BillingReference.model_validate(document))


@pytest.mark.parametrize(
    ("entry", "field"),
    [(("no_such_muscle", "left"), "entries[0].muscle"), (("piriformis", "up"), "entries[0].side")],
)
def test_an_unknown_muscle_or_side_is_refused(entry, field):
    with pytest.raises(ClinicalInputError) as refused:
        billing_suggestion([entry], [])
    assert refused.value.field == field


def test_the_anatomical_reading_says_it_needs_sign_off():
    answer = billing_suggestion([("upper_trapezius", "left")], []).to_dict()
    assert answer["mapping_source"].endswith("(needs clinical sign-off)")
    note = billing_reference().anatomical_muscles.note
    assert "semispinalis capitis and cervicis" in note and "three scalenes" in note
