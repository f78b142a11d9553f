"""The public self-check "Is dry needling right for me?" (``data/self_check.yaml``).

Each answer becomes a screening fact (yes = true, no = false) and the screen's own red-flag logic
(``screening.red_flags``) sets the floor of the outcome: an emergency red flag means "seek urgent
care now", any other red flag "please see your doctor first", anything else "let's talk". A
question may declare a stronger outcome than that floor, never a weaker one (checked at start-up
by :func:`self_check_reference`). The self-check never decides that needling suits anyone: only a
clinician does, at an evaluation.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from needlerx.clinical.errors import ClinicalInputError, ReferenceDataError
from needlerx.clinical.evidence import Source
from needlerx.clinical.reference import fact_catalogue
from needlerx.clinical.reference.loader import DATA_DIR, load_model, require_unique
from needlerx.clinical.screening.inputs import FactValue
from needlerx.clinical.screening.red_flags import red_flag_findings

Outcome = Literal["talk", "see_doctor", "urgent"]
OUTCOME_ORDER: dict[Outcome, int] = {"talk": 0, "see_doctor": 1, "urgent": 2}
# The self-check never says this word (nor "suitability"): only a clinician decides.
FORBIDDEN_WORD = "suitab"


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class OutcomeWording(_Strict):
    title: str = Field(min_length=1, max_length=60)
    message: str = Field(min_length=1)
    actions: tuple[str, ...] = Field(min_length=1)


class Question(_Strict):
    id: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    text: str = Field(min_length=1, max_length=240)
    short: str = Field(min_length=1, max_length=140)
    fact: str
    outcome: Outcome
    only_if: str | None = None
    talk_note: str = ""
    source: Source


class SelfCheckReference(_Strict):
    version: str
    sources: dict[str, Source] = {}
    outcomes: dict[Outcome, OutcomeWording]
    questions: tuple[Question, ...] = Field(min_length=1)

    def question(self, question_id: str) -> Question:
        for question in self.questions:
            if question.id == question_id:
                return question
        raise KeyError(question_id)


@dataclass(frozen=True)
class SelfCheckResult:
    """What the self-check answers: the outcome, what led to it, and what to talk about."""

    outcome: Outcome
    because: tuple[Question, ...]
    """The questions answered yes (shown as "You told us ...")."""
    talk_about: tuple[str, ...]
    """The talk notes of every question answered yes that applies."""

    @property
    def wording(self) -> OutcomeWording:
        return self_check_reference().outcomes[self.outcome]


@cache
def self_check_reference() -> SelfCheckReference:
    """self_check.yaml, checked against facts.yaml and the screen's red-flag logic."""
    reference = load_model(SelfCheckReference, DATA_DIR / "self_check.yaml")
    require_unique("self_check.yaml", "question id", (q.id for q in reference.questions))
    missing = set(OUTCOME_ORDER) - set(reference.outcomes)
    if missing:
        raise ReferenceDataError(f"self_check.yaml: outcomes: missing {sorted(missing)}")
    _check_wording(reference)
    for index, question in enumerate(reference.questions):
        where = f"self_check.yaml: questions[{index}] ({question.id})"
        _check_question(reference, question, index, where)
    return reference


def _check_wording(reference: SelfCheckReference) -> None:
    texts = [reference.model_dump_json(exclude={"sources"})]
    for question in reference.questions:
        texts.append(question.model_dump_json(exclude={"source"}))
    if any(FORBIDDEN_WORD in text.lower() for text in texts):
        raise ReferenceDataError(
            "self_check.yaml: the self-check must never call needling suitable "
            "(only a clinician decides)"
        )


def _check_question(
    reference: SelfCheckReference, question: Question, index: int, where: str
) -> None:
    fact = fact_catalogue().get(question.fact)
    if fact is None or fact.kind != "boolean":
        raise ReferenceDataError(f"{where}.fact: {question.fact!r} is not a yes/no fact")
    if question.only_if is not None:
        earlier = [q.id for q in reference.questions[:index]]
        if question.only_if not in earlier:
            raise ReferenceDataError(
                f"{where}.only_if: {question.only_if!r} is not an earlier question"
            )
    if question.outcome == "talk" and not question.talk_note:
        raise ReferenceDataError(f"{where}.talk_note: a 'talk' question needs a talk note")
    answers = {q.id: False for q in reference.questions}
    answers[question.id] = True
    if question.only_if is not None:
        answers[question.only_if] = True
    floor = screen_outcome(_facts(reference, answers))
    if OUTCOME_ORDER[question.outcome] < OUTCOME_ORDER[floor]:
        raise ReferenceDataError(
            f"{where}.outcome: {question.outcome!r} is weaker than the screen's {floor!r} "
            "for this answer (red_flags.yaml)"
        )


def screen_outcome(facts: Mapping[str, FactValue]) -> Outcome:
    """The floor the screen's red-flag logic sets for these facts."""
    findings = red_flag_findings(facts)
    if any(finding.urgency == "emergency" for finding in findings):
        return "urgent"
    return "see_doctor" if findings else "talk"


def _applies(question: Question, answers: Mapping[str, bool]) -> bool:
    return question.only_if is None or answers.get(question.only_if) is True


def _facts(reference: SelfCheckReference, answers: Mapping[str, bool]) -> dict[str, FactValue]:
    facts: dict[str, FactValue] = {}
    for question in reference.questions:
        if question.id in answers and _applies(question, answers):
            facts[question.fact] = answers[question.id]
    return facts


def parse_answers(raw: Mapping[str, object]) -> dict[str, bool]:
    """Answers by question id (yes/no as booleans); unknown ids and non-booleans are refused.

    An applicable question left unanswered is refused: absence is never read as "no"."""
    reference = self_check_reference()
    known = {q.id for q in reference.questions}
    for key, value in raw.items():
        if key not in known:
            raise ClinicalInputError(f"answers.{key}", "is not a question of the self-check")
        if not isinstance(value, bool):
            raise ClinicalInputError(f"answers.{key}", "must be yes (true) or no (false)")
    answers = {str(k): bool(v) for k, v in raw.items()}
    for question in reference.questions:
        if question.id not in answers and _applies(question, answers):
            raise ClinicalInputError(f"answers.{question.id}", "please answer yes or no")
    return answers


def self_check_outcome(answers: Mapping[str, bool]) -> SelfCheckResult:
    """The outcome for a complete set of answers (see :func:`parse_answers`)."""
    reference = self_check_reference()
    answers = parse_answers(answers)
    yes = [q for q in reference.questions if answers.get(q.id) is True and _applies(q, answers)]
    outcome = screen_outcome(_facts(reference, answers))
    for question in yes:
        if OUTCOME_ORDER[question.outcome] > OUTCOME_ORDER[outcome]:
            outcome = question.outcome
    return SelfCheckResult(
        outcome=outcome,
        because=tuple(yes),
        talk_about=tuple(q.talk_note for q in yes if q.talk_note),
    )
