"""The named erector spinae muscles (iliocostalis, longissimus) split from the grouped entries
are screened exactly as their group: same findings, guidance, reference depths and aftercare
(clinical review W4: name the muscle, not "paraspinals")."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import pytest
import yaml

from needlerx.clinical.errors import ReferenceDataError
from needlerx.clinical.reference import (
    grouped_muscles,
    muscle_catalogue,
    muscles_for_new_records,
)
from needlerx.clinical.reference.muscle_groups import check_listed_alike, check_split_muscles
from needlerx.clinical.reference.schemas import Muscle
from needlerx.clinical.reference_depth import reference_depth_for
from needlerx.clinical.screening import screen
from needlerx.clinical.treatment_rules import required_aftercare
from tests.clinical.screening_helpers import answered

NAMED = {
    "thoracic_erector_spinae": ("thoracic_iliocostalis", "thoracic_longissimus"),
    "upper_lumbar_erector_spinae": ("upper_lumbar_iliocostalis", "upper_lumbar_longissimus"),
    "lumbar_erector_spinae": ("lumbar_iliocostalis", "lumbar_longissimus"),
}
PAIRS = [(group, named) for group, names in NAMED.items() for named in names]
FACT_SETS: dict[str, dict[str, Any]] = {
    "healthy adult": answered(age=38, bmi=26, implanted_device_sites=[]),
    "underweight": answered(age=38, bmi=17, implanted_device_sites=[]),
    "anticoagulated": answered(age=70, bmi=24, anticoagulant_therapy=True),
    "pregnant": answered(age=31, bmi=26, pregnant=True, pregnancy_trimester=2),
    "BMI unknown": {"age": 45},
}


def _screened(facts: dict[str, Any], muscle: str) -> dict[str, Any]:
    result = screen(facts, [{"muscle": muscle, "side": "left", "technique": "static"}])
    entry = dict(result.to_dict()["muscles"][0])
    entry.pop("muscle")
    return {"decision": result.decision, **entry}


def test_every_grouped_entry_is_split_into_named_muscles():
    assert dict(grouped_muscles()) == NAMED
    offered = {m.id for m in muscles_for_new_records()}
    assert not offered & set(NAMED)
    assert {named for _, named in PAIRS} <= offered
    assert "thoracic_erector_spinae" in {
        m.id for m in muscles_for_new_records(keep=["thoracic_erector_spinae"])
    }


@pytest.mark.parametrize("facts", FACT_SETS.values(), ids=FACT_SETS.keys())
@pytest.mark.parametrize(("group", "named"), PAIRS)
def test_a_named_muscle_gets_the_findings_of_its_group(group, named, facts):
    assert _screened(facts, named) == _screened(facts, group)


@pytest.mark.parametrize("named", NAMED["upper_lumbar_erector_spinae"])
def test_named_muscles_at_t12_l1_keep_the_pleura_and_kidney(named):
    """The T12-L1 findings of the grouped entry: low-BMI lung finding, lung and kidney guidance,
    pneumothorax safety-net advice."""
    muscle = _screened({"bmi": 17}, named)
    assert "REGION-PLEURA-LOW-BMI-001" in {f["rule_id"] for f in muscle["findings"]}
    guidance = {item["id"] for item in _screened(FACT_SETS["healthy adult"], named)["guidance"]}
    assert {"GUIDE-PLEURA-001", "GUIDE-KIDNEY-PARASPINAL-001"} <= guidance
    assert "pneumothorax_safety_net" in {a.id for a in required_aftercare([(named, "static")])}


@pytest.mark.parametrize(("group", "named"), PAIRS)
def test_a_named_muscle_has_its_groups_reference_depths_and_aftercare(group, named):
    for bmi in (None, 17, 22, 31):
        mine, theirs = reference_depth_for(named, bmi), reference_depth_for(group, bmi)
        assert (mine and replace(mine, muscle=group)) == theirs
    for facts in ({}, {"pregnant": True}):
        assert required_aftercare([(named, "static")], facts) == required_aftercare(
            [(group, "static")], facts
        )
    assert muscle_catalogue()[named].referred_pain == muscle_catalogue()[group].referred_pain


def test_a_named_muscle_with_different_safety_content_fails_to_load():
    catalogue = dict(muscle_catalogue())
    named = catalogue["lumbar_iliocostalis"]
    catalogue["lumbar_iliocostalis"] = named.model_copy(update={"structures_at_risk": []})
    with pytest.raises(ReferenceDataError, match="structures_at_risk"):
        check_split_muscles(catalogue)


def test_a_rule_naming_a_group_without_its_named_muscles_fails_to_load():
    with pytest.raises(ReferenceDataError, match="lumbar_iliocostalis"):
        check_listed_alike(["lumbar_erector_spinae"], muscle_catalogue(), "rules: example")
    check_listed_alike(
        ["lumbar_erector_spinae", "lumbar_iliocostalis", "lumbar_longissimus"],
        muscle_catalogue(),
        "rules: example",
    )


def test_split_from_must_name_a_known_group():
    raw = yaml.safe_load(
        "{id: x_muscle, name: X, region: lumbar, areas: [lower_back], sided: true,"
        " referred_pain: {text: t, source: {citation: c}}, split_from: no_such_muscle}"
    )
    muscle = Muscle.model_validate(raw)
    with pytest.raises(ReferenceDataError, match="no_such_muscle"):
        check_split_muscles({**muscle_catalogue(), "x_muscle": muscle})
