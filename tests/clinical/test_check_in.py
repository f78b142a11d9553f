"""The check-in's warning signs: every rule's cases in check_in.yaml, and the answers' checks."""

from __future__ import annotations

import datetime as dt

import pytest

from needlerx.clinical.check_in import (
    check_in_assess,
    check_in_reference,
    check_in_window,
    near_lung,
)
from needlerx.clinical.errors import ClinicalInputError
from needlerx.clinical.reference import muscle_catalogue
from needlerx.clinical.treatment_reference import adverse_event_reference

CASES = [
    pytest.param(sign, case, id=f"{sign.id}-{index}")
    for sign in check_in_reference().warning_signs
    for index, case in enumerate(sign.cases)
]


@pytest.mark.parametrize(("sign", "case"), CASES)
def test_each_warning_sign_rule_runs_its_cases(sign, case):
    result = check_in_assess(
        soreness=0, bruising=False, effects=[], signs=case.signs, near_lung=case.near_lung
    )
    assert result.serious is case.serious
    if case.event_type is not None:
        assert case.event_type in [event.event_type for event in result.events]
        assert all(
            e.severity == sign.severity for e in result.events if e.event_type == case.event_type
        )


def test_lung_proximity_comes_from_the_muscle_catalogue():
    lung = set(check_in_reference().lung_structures)
    over_lung = [
        m.id
        for m in muscle_catalogue().values()
        if any(str(r.structure) in lung for r in m.structures_at_risk)
    ]
    elsewhere = [m.id for m in muscle_catalogue().values() if m.id not in over_lung]
    assert over_lung and elsewhere
    assert near_lung([over_lung[0]]) and not near_lung([elsewhere[0]])
    assert near_lung([elsewhere[0], over_lung[0]])
    assert not near_lung(["not_a_muscle"])


def test_soreness_is_registered_only_from_the_threshold_in_data():
    threshold = check_in_reference().soreness.register_from
    below = check_in_assess(
        soreness=threshold - 1, bruising=False, effects=[], signs=[], near_lung=False
    )
    at = check_in_assess(soreness=threshold, bruising=False, effects=[], signs=[], near_lung=False)
    assert below.events == [] and [e.event_type for e in at.events] == ["pain_after"]
    assert not at.serious


def test_other_effects_and_bruising_are_mild_events_of_known_types():
    known = {t.id for t in adverse_event_reference().types}
    effects = [e.event_type for e in check_in_reference().other_effects]
    result = check_in_assess(soreness=0, bruising=True, effects=effects, signs=[], near_lung=False)
    assert {e.event_type for e in result.events} == {"bruising", *effects}
    assert {e.event_type for e in result.events} <= known
    assert {e.severity for e in result.events} == {"mild"}


@pytest.mark.parametrize(
    ("field", "answers"),
    [
        ("soreness", {"soreness": 11}),
        ("soreness", {"soreness": -1}),
        ("soreness", {"soreness": True}),
        ("effects", {"effects": ["pneumothorax"]}),
        ("signs", {"signs": ["feeling_sad"]}),
    ],
)
def test_answers_outside_the_questions_are_refused_naming_the_field(field, answers):
    values = {"soreness": 0, "bruising": False, "effects": [], "signs": [], "near_lung": False}
    with pytest.raises(ClinicalInputError) as refused:
        check_in_assess(**{**values, **answers})
    assert refused.value.field == field


def test_the_link_opens_and_closes_with_the_follow_up_window():
    window = adverse_event_reference().follow_up
    grace = check_in_reference().links.check_in_grace_hours
    start = dt.datetime(2026, 3, 1, 15, 0, tzinfo=dt.UTC)
    opens, closes = check_in_window(start)
    assert opens - start == dt.timedelta(hours=window.due_after_hours)
    assert closes - start == dt.timedelta(hours=window.due_before_hours + grace)
