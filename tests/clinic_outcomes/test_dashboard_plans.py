"""The dashboard's adverse-event reads stay off the clinic's whole register.

For a clinic of a few thousand events (with and without the planner's statistics, and as the
migration that adds the counting index leaves a database analyzed before it): the counts by
type and severity come from the counting index alone, and a page of the register walks the
(clinic, onset) index in its order, never sorting every event of the clinic to show 25.

SQLite only: these events all follow one session, and PostgreSQL rightly starts such a toy
register from its handful of needled sessions; its plans at a clinic network's scale are read
in ``make bench`` (docs/performance.md).
"""

from __future__ import annotations

import datetime as dt
import importlib

import pytest
from django.db import connection

from needlerx.clinic_outcomes import queries
from needlerx.clinic_outcomes.selectors import (
    REGISTER_PER_PAGE,
    adverse_event_register_page,
    clinic_outcomes_for_user,
)
from needlerx.treatments.models import AdverseEvent
from tests.clinic_outcomes.outcomes_world import OutcomesWorld, build
from tests.personas import World
from tests.query_plans import query_plan

EVENTS = 3000
MIGRATION = importlib.import_module(
    "needlerx.treatments.migrations.0010_adverse_event_counts_index"
)


@pytest.fixture(params=["with statistics", "without statistics", "migrated with statistics"])
def many_events(request: pytest.FixtureRequest, world: World) -> OutcomesWorld:
    if connection.vendor != "sqlite":
        pytest.skip("SQLite's plans: PostgreSQL's for a toy register are not a clinic's")
    known = build(world)
    first = AdverseEvent.objects.filter(clinic=world.clinic_a).first()
    assert first is not None
    AdverseEvent.objects.bulk_create(
        AdverseEvent(
            session_id=first.session_id,
            patient_id=first.patient_id,
            clinic_id=first.clinic_id,
            event_type=("bruising", "pain_during", "fatigue")[number % 3],
            severity=("mild", "significant")[number % 2],
            onset_at=first.onset_at - dt.timedelta(minutes=number),
            action_taken="Ice",
            recorded_by_id=first.recorded_by_id,
        )
        for number in range(EVENTS)
    )
    with connection.cursor() as cursor:
        if request.param == "with statistics":
            cursor.execute("ANALYZE")
        if request.param == "migrated with statistics":
            # A database analyzed before the migration that adds the counting index.
            cursor.execute("ANALYZE")
            cursor.execute("DROP INDEX adverse_event_counts")
            cursor.execute(
                "CREATE INDEX adverse_event_counts ON treatments_adverseevent "
                "(clinic_id, event_type, severity, session_id)"
            )
            MIGRATION.count_the_events_for_the_planner(None, connection.schema_editor())
    return known


def test_the_counts_by_type_and_severity_read_the_counting_index_alone(
    many_events: OutcomesWorld,
) -> None:
    outcomes = clinic_outcomes_for_user(user=many_events.world.ada, clinic_id=None, raw={})
    counts = (
        queries.adverse_events_of(outcomes.clinic, outcomes.filters)
        .values("event_type", "severity")
        .order_by("event_type", "severity")
    )
    plan = query_plan(counts)
    assert "USING COVERING INDEX adverse_event_counts" in plan, plan
    assert "SCAN treatments_adverseevent" not in plan, plan
    counted = sum(row.events for row in outcomes.events_by_type)
    assert counted == EVENTS + 2  # and alice's two (P1, P3)


def test_a_page_of_the_register_walks_the_onset_index_in_order(
    many_events: OutcomesWorld,
) -> None:
    ada = many_events.world.ada
    outcomes = clinic_outcomes_for_user(user=ada, clinic_id=None, raw={})
    page = adverse_event_register_page(user=ada, outcomes=outcomes, page=2)
    plan = query_plan(page.paginator.object_list[:REGISTER_PER_PAGE])
    assert "treatments__clinic__010866_idx" in plan, plan
    assert "TEMP B-TREE FOR ORDER BY" not in plan, plan
    assert page.paginator.count == EVENTS + 2
