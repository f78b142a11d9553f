"""The closed vocabularies of the screen: sides, areas, techniques and so on.

These are identifiers, not clinical facts: a value outside them is a data or input error.
"""

from __future__ import annotations

from typing import Literal, get_args

Side = Literal["left", "right", "bilateral", "midline"]
Area = Literal[
    "head",
    "neck",
    "shoulder",
    "upper_limb",
    "chest_wall",
    "upper_back",
    "lower_back",
    "abdomen",
    "buttock",
    "hip",
    "lower_limb",
]
Technique = Literal["static", "pistoning", "electrical", "superficial"]
Region = Literal["cervical", "thoracic", "shoulder", "lumbar", "gluteal"]
Structure = Literal[
    "pleura",
    "spinal_cord",
    "epidural_space",
    "vertebral_artery",
    "carotid_sheath",
    "brachial_plexus",
    "kidney",
    "peritoneum",
    "sciatic_nerve",
    "phrenic_nerve",
    "subclavian_artery",
    "superior_gluteal_neurovascular_bundle",
]
Severity = Literal["red_flag", "absolute", "site_exclusion", "relative", "precaution"]
Urgency = Literal["emergency", "urgent"]
Decision = Literal["refer", "do_not_needle", "incomplete", "proceed_with_precautions", "proceed"]
# date: an ISO date (YYYY-MM-DD); fact_ids: a list of ids from the fact's ``allowed`` choices.
FactKind = Literal["boolean", "integer", "number", "sites", "date", "fact_ids"]
# red_flag_item: a structured history item that feeds the composite red flags (red_flags.yaml).
FactGroup = Literal["patient", "measurement", "site", "red_flag", "red_flag_item", "record"]
# clinician: asked on the evaluation form; record: computed by the caller from the patient's
# record (medication list, device and pregnancy records); screen: computed by the screen itself
# and never accepted as input.
FactProvider = Literal["clinician", "record", "screen"]
SpinalRegion = Literal["neck", "back"]

SIDES: tuple[Side, ...] = get_args(Side)
AREAS: tuple[Area, ...] = get_args(Area)
TECHNIQUES: tuple[Technique, ...] = get_args(Technique)
REGIONS: tuple[Region, ...] = get_args(Region)
STRUCTURES: tuple[Structure, ...] = get_args(Structure)
SEVERITIES: tuple[Severity, ...] = get_args(Severity)

# Most restrictive first: used to order findings and to pick the overall decision.
SEVERITY_ORDER: dict[Severity, int] = {severity: rank for rank, severity in enumerate(SEVERITIES)}
DECISION_ORDER: dict[Decision, int] = {
    "proceed": 0,
    "proceed_with_precautions": 1,
    "incomplete": 2,
    "do_not_needle": 3,
    "refer": 4,
}
URGENCY_ORDER: dict[Urgency, int] = {"urgent": 0, "emergency": 1}
SIDED_SIDES: tuple[Side, ...] = ("left", "right", "bilateral")
