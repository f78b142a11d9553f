"""The dashboard's figures equal a direct computation over the same rows: each episode's own
outcome summary (the progress page's), and counts of the sessions, events and tasks."""

from __future__ import annotations

from collections import Counter

import pytest

from needlerx.clinic_outcomes.queries import measured_episodes
from needlerx.clinic_outcomes.selectors import (
    adverse_event_register_page,
    clinic_outcomes_export,
    clinic_outcomes_for_user,
)
from needlerx.clinical.clinic_outcomes import counted_benefits
from needlerx.clinical.safety_rate import wilson_interval
from needlerx.clinical.treatment_reference import SEVERITY_IDS
from needlerx.instruments.progress import episode_outcome_summary
from tests.clinic_outcomes.outcomes_world import OutcomesWorld, build
from tests.personas import World


@pytest.fixture
def known(world: World) -> OutcomesWorld:
    return build(world)


def _direct(known: OutcomesWorld, benefit: str, in_range: list[int]) -> dict[str, int]:
    counts = {"with_baseline": 0, "followed_up": 0, "improved": 0}
    for index in in_range:
        summary = episode_outcome_summary(
            user=known.world.alice, episode_id=known.episodes[index].public_id
        ).summary
        outcome = summary.get(benefit)  # type: ignore[arg-type]
        if outcome.primary is None:
            continue
        counts["with_baseline"] += 1
        if outcome.primary.latest is not None and outcome.status != "not_measured":
            counts["followed_up"] += 1
        counts["improved"] += outcome.status == "improved"
    return counts


def test_each_benefit_matches_the_episode_summaries(known: OutcomesWorld) -> None:
    outcomes = clinic_outcomes_for_user(user=known.world.ada, clinic_id=None, raw={})
    for share in outcomes.benefits:
        direct = _direct(known, share.key, [0, 1, 2, 3])  # P5 opened before the year
        assert (share.with_baseline, share.followed_up, share.improved) == (
            direct["with_baseline"],
            direct["followed_up"],
            direct["improved"],
        ), share.key
        if share.followed_up:
            expected = wilson_interval(share.improved, share.followed_up)
            assert share.share == expected


@pytest.mark.parametrize(("region", "in_range"), [("neck", [0, 1]), ("back", [2, 3])])
def test_each_benefit_in_a_region_matches_the_episode_summaries(
    known: OutcomesWorld, region: str, in_range: list[int]
) -> None:
    outcomes = clinic_outcomes_for_user(
        user=known.world.ada, clinic_id=None, raw={"region": region}
    )
    for share in outcomes.benefits:
        direct = _direct(known, share.key, in_range)
        assert (share.with_baseline, share.followed_up, share.improved) == (
            direct["with_baseline"],
            direct["followed_up"],
            direct["improved"],
        ), (region, share.key)


def test_pain_counts_the_lost_and_the_improved(known: OutcomesWorld) -> None:
    outcomes = clinic_outcomes_for_user(user=known.world.alice, clinic_id=None, raw={})
    pain = next(share for share in outcomes.benefits if share.key == "pain_relief")
    # P1 8->3 improved; P2 6->5 not; P3 baseline only and discharged (lost); P4 VAS 70->20
    assert (pain.with_baseline, pain.followed_up, pain.lost_to_follow_up) == (4, 3, 1)
    assert pain.improved == 2
    assert outcomes.episodes_started == 4
    assert outcomes.episodes_completed == 2


def test_sessions_events_and_tasks(known: OutcomesWorld) -> None:
    outcomes = clinic_outcomes_for_user(user=known.world.ada, clinic_id=None, raw={})
    safety = outcomes.safety
    assert safety.sessions == 4
    assert (safety.adverse_events.mild, safety.adverse_events.significant) == (1, 1)
    assert safety.adverse_events.serious == 0  # clinic B's serious event is not ours
    assert (safety.follow_ups_made, safety.follow_ups_due) == (1, 4)
    assert (outcomes.tasks_answered, outcomes.tasks_closed) == (1, 2)


FILTERS = [{}, {"region": "back"}, {"region": "neck"}, {"from": "2000-01-01"}, {"to": "2000-01-01"}]


@pytest.mark.parametrize("raw", FILTERS)
def test_the_registers_count_is_every_event_its_filters_list(
    known: OutcomesWorld, raw: dict[str, str]
) -> None:
    """The register's page is counted from the dashboard's counts by type and severity: under
    every filter the count is the number of events the register lists whole (its CSV)."""
    ada = known.world.ada
    outcomes = clinic_outcomes_for_user(user=ada, clinic_id=None, raw=raw)
    for severity in ["", *SEVERITY_IDS]:
        for event_type in ["", "bruising", "aggravation", "fainting"]:
            page = adverse_event_register_page(
                user=ada, outcomes=outcomes, severity=severity, event_type=event_type
            )
            listed = clinic_outcomes_export(
                user=ada,
                clinic_id=None,
                raw=raw,
                table="adverse_event_register",
                tables=("adverse_event_register",),
                severity=severity,
                event_type=event_type,
            ).register
            assert page.paginator.count == len(listed), (severity, event_type)
            assert list(page) == listed


@pytest.mark.parametrize("raw", FILTERS)
def test_the_benefits_measured_together_are_those_measured_one_by_one(
    known: OutcomesWorld, raw: dict[str, str]
) -> None:
    """One query answers pain and function together (no measure is a candidate of both); each
    benefit's groups are those a query of its own finds, and a benefit sharing a measure with
    another gets a query of its own, so neither takes the other's rows."""
    outcomes = clinic_outcomes_for_user(user=known.world.ada, clinic_id=None, raw=raw)
    clinic, filters = outcomes.clinic, outcomes.filters
    pain, function = counted_benefits()
    alone = {
        benefit.key: Counter(measured_episodes(clinic, filters, [benefit])[benefit.key])
        for benefit in (pain, function)
    }
    together = measured_episodes(clinic, filters, [pain, function])
    assert {key: Counter(rows) for key, rows in together.items()} == alone
    assert any(alone.values()) or "to" in raw  # the world's episodes are measured
    twin = pain.model_copy(update={"key": "medication_reduction"})
    shared = measured_episodes(clinic, filters, [pain, twin, function])
    assert Counter(shared["medication_reduction"]) == alone[pain.key]
    assert Counter(shared[pain.key]) == alone[pain.key]
    assert Counter(shared[function.key]) == alone[function.key]
