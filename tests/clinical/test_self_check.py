"""The public self-check's outcome rules (clinical/self_check.py, data/self_check.yaml): each
emergency red flag leads to "seek urgent care now", each other red flag to "please see your
doctor first", everything else to "let's talk"; and the data file cannot drift from the screen."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml

from needlerx.clinical.errors import ClinicalInputError, ReferenceDataError
from needlerx.clinical.reference import red_flags
from needlerx.clinical.reference.loader import DATA_DIR
from needlerx.clinical.self_check import (
    self_check_outcome,
    self_check_reference,
)

QUESTIONS = self_check_reference().questions
EMERGENCY_FLAGS = {flag.fact for flag in red_flags() if flag.urgency == "emergency"}
ALL_RED_FLAGS = {flag.fact for flag in red_flags()}


def all_no() -> dict[str, bool]:
    return {q.id: False for q in QUESTIONS if q.only_if is None}


def only_yes(question_id: str) -> dict[str, bool]:
    answers = all_no()
    question = self_check_reference().question(question_id)
    answers[question_id] = True
    if question.only_if:
        answers[question.only_if] = True
    else:
        answers.update({q.id: False for q in QUESTIONS if q.only_if == question_id})
    return answers


def test_no_to_everything_is_lets_talk():
    result = self_check_outcome(all_no())
    assert result.outcome == "talk"
    assert result.because == ()


@pytest.mark.parametrize("question", QUESTIONS, ids=lambda q: q.id)
def test_each_question_leads_to_its_declared_outcome(question):
    assert self_check_outcome(only_yes(question.id)).outcome == question.outcome


@pytest.mark.parametrize(
    "question", [q for q in QUESTIONS if q.fact in EMERGENCY_FLAGS], ids=lambda q: q.id
)
def test_each_emergency_red_flag_is_urgent(question):
    result = self_check_outcome(only_yes(question.id))
    assert result.outcome == "urgent"
    assert question in result.because
    assert any("911" in action for action in result.wording.actions)


def test_every_emergency_red_flag_is_asked():
    assert {q.fact for q in QUESTIONS} >= EMERGENCY_FLAGS


@pytest.mark.parametrize(
    "question",
    [q for q in QUESTIONS if q.fact in ALL_RED_FLAGS - EMERGENCY_FLAGS],
    ids=lambda q: q.id,
)
def test_each_other_red_flag_means_see_your_doctor_first(question):
    assert self_check_outcome(only_yes(question.id)).outcome == "see_doctor"


@pytest.mark.parametrize("question_id", ["serious_accident", "fever"])
def test_red_flag_items_that_raise_a_flag_alone_mean_see_your_doctor(question_id):
    assert self_check_outcome(only_yes(question_id)).outcome == "see_doctor"


def test_past_cancer_alone_is_talk_but_with_weight_loss_see_your_doctor():
    assert self_check_outcome(only_yes("cancer_history")).outcome == "talk"
    both = {**all_no(), "cancer_history": True, "weight_loss": True}
    result = self_check_outcome(both)
    assert result.outcome == "see_doctor"
    assert {q.id for q in result.because} == {"cancer_history", "weight_loss"}


def test_worsening_weakness_is_urgent_only_when_it_is_quick():
    slow = {**all_no(), "weakness_worsening": True, "weakness_worsening_fast": False}
    fast = {**all_no(), "weakness_worsening": True, "weakness_worsening_fast": True}
    assert self_check_outcome(slow).outcome == "see_doctor"
    assert self_check_outcome(fast).outcome == "urgent"


def test_the_speed_question_is_ignored_without_worsening_weakness():
    answers = {**all_no(), "weakness_worsening_fast": True}
    assert self_check_outcome(answers).outcome == "talk"


@pytest.mark.parametrize("question_id", ["bleeding", "blood_thinner", "pregnant", "needle_fear"])
def test_precautions_are_lets_talk_with_a_note(question_id):
    result = self_check_outcome(only_yes(question_id))
    assert result.outcome == "talk"
    assert result.talk_about == (self_check_reference().question(question_id).talk_note,)


def test_the_strongest_outcome_wins():
    answers = {**all_no(), "blood_thinner": True, "fever": True, "saddle_numbness": True}
    assert self_check_outcome(answers).outcome == "urgent"


def test_an_unanswered_question_is_never_read_as_no():
    answers = all_no()
    del answers["fever"]
    with pytest.raises(ClinicalInputError) as error:
        self_check_outcome(answers)
    assert error.value.field == "answers.fever"
    with pytest.raises(ClinicalInputError) as error:
        self_check_outcome({**all_no(), "weakness_worsening": True})
    assert error.value.field == "answers.weakness_worsening_fast"


def test_unknown_questions_are_refused():
    with pytest.raises(ClinicalInputError):
        self_check_outcome({**all_no(), "made_up": True})


def test_no_wording_ever_says_suitable():
    text = (DATA_DIR / "self_check.yaml").read_text().lower()
    assert "suitab" not in text


def _reload_with(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, change: Callable[[Any], None]
) -> None:
    document = yaml.safe_load((DATA_DIR / "self_check.yaml").read_text())
    change(document)
    data = tmp_path / "data"
    data.mkdir()
    (data / "self_check.yaml").write_text(yaml.safe_dump(document))
    import needlerx.clinical.self_check as module

    monkeypatch.setattr(module, "DATA_DIR", data)
    module.self_check_reference.cache_clear()
    try:
        module.self_check_reference()
    finally:
        monkeypatch.undo()
        module.self_check_reference.cache_clear()


def test_a_question_weaker_than_the_screen_is_refused_at_start_up(monkeypatch, tmp_path):
    def weaken(document):
        document["questions"][0]["outcome"] = "talk"
        document["questions"][0]["talk_note"] = "x"

    with pytest.raises(ReferenceDataError, match="weaker than the screen"):
        _reload_with(monkeypatch, tmp_path, weaken)


def test_the_word_suitable_is_refused_at_start_up(monkeypatch, tmp_path):
    def praise(document):
        document["outcomes"]["talk"]["message"] = "You are suitable for needling."

    with pytest.raises(ReferenceDataError, match="suitable"):
        _reload_with(monkeypatch, tmp_path, praise)


def test_an_unknown_fact_is_refused_at_start_up(monkeypatch, tmp_path):
    def unknown(document):
        document["questions"][0]["fact"] = "no_such_fact"

    with pytest.raises(ReferenceDataError, match="not a yes/no fact"):
        _reload_with(monkeypatch, tmp_path, unknown)
