"""Codes as the words a clinician reads on a note: decisions, severities, techniques, sides,
muscles, aftercare advice and facts. Used when a note is sealed, so the words are frozen too."""

from __future__ import annotations

from functools import cache

from needlerx.clinical.reference import fact_catalogue, muscle_catalogue
from needlerx.clinical.treatment_reference import aftercare_reference

DECISIONS = {
    "proceed": "Proceed",
    "proceed_with_precautions": "Proceed with precautions",
    "incomplete": "Incomplete: required questions unanswered",
    "do_not_needle": "Do not needle",
    "refer": "Refer for medical assessment",
}
SEVERITIES = {
    "red_flag": "Red flag",
    "absolute": "Absolute contraindication",
    "site_exclusion": "Site exclusion",
    "relative": "Relative contraindication",
    "precaution": "Precaution",
}
TECHNIQUES = {
    "static": "Static (needle left in place)",
    "pistoning": "Pistoning (fast in, fast out)",
    "electrical": "With electrical stimulation",
    "superficial": "Superficial",
}
SIDES = {"left": "left", "right": "right", "bilateral": "both sides", "midline": "midline"}


def _plain(code: str) -> str:
    return code.replace("_", " ").capitalize()


def decision_words(code: str) -> str:
    return DECISIONS.get(code, _plain(code))


def severity_words(code: str) -> str:
    return SEVERITIES.get(code, _plain(code))


def technique_words(code: str) -> str:
    return TECHNIQUES.get(code, _plain(code))


def side_words(code: str) -> str:
    return SIDES.get(code, code.replace("_", " "))


def muscle_words(code: str) -> str:
    muscle = muscle_catalogue().get(code)
    return muscle.name if muscle else _plain(code)


@cache
def _aftercare_labels() -> dict[str, str]:
    return {a.id: a.label for a in aftercare_reference().advice}


def aftercare_words(code: str) -> str:
    return _aftercare_labels().get(code, _plain(code))


def fact_words(code: str) -> str:
    fact = fact_catalogue().get(code)
    return fact.label if fact else _plain(code)
