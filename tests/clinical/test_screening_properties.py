"""Properties of the screen: adding a risk never makes the decision less restrictive, answering a
required question never leaves it in ``missing``, and the same input always gives the same output.

Decision order: refer > do_not_needle > incomplete > proceed_with_precautions > proceed. Answering
a question that was missing may lift ``incomplete`` (that is its purpose); it never removes a
finding or allows a blocked muscle."""

from __future__ import annotations

from typing import Any

from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from needlerx.clinical.errors import ClinicalInputError
from needlerx.clinical.reference import AREAS, TECHNIQUES, fact_catalogue, muscle_catalogue
from needlerx.clinical.reference.vocabulary import DECISION_ORDER, SIDED_SIDES, SIDES
from needlerx.clinical.screening import ScreeningResult, screen
from tests.clinical.screening_helpers import answered

AS_OF = "2026-11-25"
BOOLEAN_FACTS = sorted(
    f.id for f in fact_catalogue().values() if f.kind == "boolean" and f.provided_by != "screen"
)
SITE_FACTS = sorted(f.id for f in fact_catalogue().values() if f.kind == "sites")
MUSCLES = sorted(muscle_catalogue())

sites = st.lists(
    st.fixed_dictionaries({"area": st.sampled_from(AREAS), "side": st.sampled_from(SIDES)}),
    max_size=3,
)
plan_entries = st.lists(
    st.tuples(st.sampled_from(MUSCLES), st.sampled_from(SIDED_SIDES), st.sampled_from(TECHNIQUES)),
    max_size=5,
    unique=True,
).map(lambda entries: [{"muscle": m, "side": s, "technique": t} for m, s, t in entries])


@st.composite
def patient_facts(draw: st.DrawFn) -> dict[str, Any]:
    """Sometimes a complete record (every required answer "no"), sometimes a sparse one."""
    facts: dict[str, Any] = answered() if draw(st.booleans()) else {}
    facts.update(draw(st.dictionaries(st.sampled_from(BOOLEAN_FACTS), st.booleans(), max_size=8)))
    for fact_id in draw(st.lists(st.sampled_from(SITE_FACTS), max_size=2, unique=True)):
        facts[fact_id] = draw(sites)
    if draw(st.booleans()):
        facts["bmi"] = draw(st.floats(min_value=14, max_value=45, allow_nan=False))
    if draw(st.booleans()):
        facts["age"] = draw(st.integers(min_value=8, max_value=95))
    if facts.get("pregnant") is True and draw(st.booleans()):
        facts["pregnancy_trimester"] = draw(st.integers(min_value=1, max_value=3))
    return facts


def screen_or_skip(facts: dict[str, Any], plan: list[dict[str, str]]) -> ScreeningResult:
    try:
        return screen(facts, plan, as_of=AS_OF)
    except ClinicalInputError:  # contradictory combinations such as epilepsy false + uncontrolled
        assume(False)
        raise


def fired(result: ScreeningResult) -> set[tuple[int, str]]:
    found = {(-1, finding.rule_id) for finding in result.findings}
    for index, muscle in enumerate(result.muscles):
        found |= {(index, finding.rule_id) for finding in muscle.findings}
    return found


def assert_not_less_restrictive(
    before: ScreeningResult, after: ScreeningResult, answered_fact: str | None = None
) -> None:
    """``answered_fact`` was unrecorded before: answering it may lift ``incomplete``."""
    lifted = answered_fact in before.missing and before.decision == "incomplete"
    if not lifted:
        assert DECISION_ORDER[after.decision] >= DECISION_ORDER[before.decision]
    for old, new in zip(before.muscles, after.muscles, strict=True):
        assert new.allowed <= old.allowed
    assert fired(before) <= fired(after)


PROPERTY_SETTINGS = settings(
    max_examples=300, deadline=None, suppress_health_check=[HealthCheck.filter_too_much]
)


@PROPERTY_SETTINGS
@given(facts=patient_facts(), plan=plan_entries)
def test_setting_any_boolean_risk_fact_never_loosens(facts, plan):
    before = screen_or_skip(facts, plan)
    for risk in BOOLEAN_FACTS:
        if facts.get(risk) is True:
            continue
        try:
            after = screen({**facts, risk: True}, plan, as_of=AS_OF)
        except ClinicalInputError:  # e.g. epilepsy false + uncontrolled; not a loosening
            continue
        assert_not_less_restrictive(before, after, answered_fact=risk)


@PROPERTY_SETTINGS
@given(facts=patient_facts(), plan=plan_entries, site_fact=st.sampled_from(SITE_FACTS), extra=sites)
def test_recording_another_site_never_loosens(facts, plan, site_fact, extra):
    before = screen_or_skip(facts, plan)
    after = screen_or_skip({**facts, site_fact: list(facts.get(site_fact, [])) + extra}, plan)
    assert_not_less_restrictive(before, after, answered_fact=site_fact)


@PROPERTY_SETTINGS
@given(
    facts=patient_facts(),
    plan=plan_entries,
    measurement=st.sampled_from(["bmi", "age"]),
    value=st.integers(min_value=14, max_value=45),
)
def test_recording_a_missing_measurement_never_loosens(facts, plan, measurement, value):
    facts.pop(measurement, None)
    before = screen_or_skip(facts, plan)
    after = screen_or_skip({**facts, measurement: value}, plan)
    assert_not_less_restrictive(before, after, answered_fact=measurement)


@PROPERTY_SETTINGS
@given(facts=patient_facts(), plan=plan_entries)
def test_same_input_same_output_whatever_the_key_order(facts, plan):
    first = screen_or_skip(facts, plan).to_dict()
    reordered = dict(reversed(list(facts.items())))
    assert screen_or_skip(reordered, plan).to_dict() == first
    assert screen_or_skip(facts, plan).to_dict() == first


@PROPERTY_SETTINGS
@given(facts=patient_facts(), plan=plan_entries)
def test_decision_agrees_with_the_findings(facts, plan):
    result = screen_or_skip(facts, plan)
    severities = {f.severity for f in result.findings}
    any_muscle_finding = any(m.findings for m in result.muscles)
    if "red_flag" in severities:
        assert result.decision == "refer" and result.urgency in ("emergency", "urgent")
    elif "absolute" in severities:
        assert result.decision == "do_not_needle"
    elif result.decision == "proceed":
        assert not result.findings and not any_muscle_finding
    if result.decision in ("proceed", "proceed_with_precautions"):
        assert result.missing == ()
    if result.missing and result.decision not in ("refer", "do_not_needle"):
        assert result.decision == "incomplete"
    assert list(result.missing) == sorted(set(result.missing))
    assert not set(result.missing) & set(facts)
    assert result.to_dict()["missing"] == list(result.missing)
    if result.decision in ("refer", "do_not_needle"):
        assert not any(m.allowed for m in result.muscles)
    else:
        assert result.urgency is None
        assert not result.muscles or any(m.allowed for m in result.muscles)
    assert ("urgency" in result.to_dict()) == (result.decision == "refer")


@PROPERTY_SETTINGS
@given(
    facts=patient_facts(),
    plan=plan_entries,
    flag=st.sampled_from(sorted(f.id for f in fact_catalogue().values() if f.group == "red_flag")),
)
def test_any_red_flag_refers(facts, plan, flag):
    assert screen_or_skip({**facts, flag: True}, plan).decision == "refer"


ANSWERS: dict[str, Any] = {"bmi": 24, "pregnancy_trimester": 2, "inr_date": "2026-11-01"}


def an_answer(fact_id: str) -> Any:
    kind = fact_catalogue()[fact_id].kind
    if fact_id in ANSWERS:
        return ANSWERS[fact_id]
    return {"boolean": False, "sites": []}[kind]


@PROPERTY_SETTINGS
@given(facts=patient_facts(), plan=plan_entries, answer_all=st.booleans())
def test_answering_a_required_question_never_leaves_it_missing(facts, plan, answer_all):
    before = screen_or_skip(facts, plan)
    questions = list(before.missing) if answer_all else list(before.missing)[:1]
    after = screen_or_skip({**facts, **{q: an_answer(q) for q in questions}}, plan)
    assert not set(questions) & set(after.missing)
    assert fired(before) <= fired(after)
