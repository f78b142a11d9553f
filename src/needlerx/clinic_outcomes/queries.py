"""The dashboard's figures as grouped SQL: each is one query whatever the clinic's size.

- episodes started and completed: one conditional count over the clinic's episodes;
- the counted benefits, together in one query: the episodes opened in the range, each with its
  primary measure's first and latest score for each benefit as stored for the dashboard
  (``instruments.models.FirstAndLatestScore``, read from its (episode, instrument, scores)
  index), grouped by (measure, baseline, latest, discharged): a few hundred groups at most,
  judged by the clinical core once each;
- needling sessions with their follow-ups (from the list of needled sessions, an index range),
  adverse events by severity and type, and patient questionnaires: one conditional count each.
"""

from __future__ import annotations

import datetime as dt
import operator
from functools import reduce

from django.db.models import (
    BooleanField,
    Case,
    Count,
    Exists,
    F,
    FloatField,
    OuterRef,
    Q,
    QuerySet,
    Value,
    When,
)
from django.utils import timezone

from needlerx.accounts.models import Clinic
from needlerx.clinic_outcomes.filters import OutcomeFilters
from needlerx.clinical.clinic_outcomes import MeasuredEpisodes, candidates_by_group
from needlerx.clinical.outcome_definition import BenefitDefinition, outcome_summary_definition
from needlerx.clinical.treatment_reference import adverse_event_reference
from needlerx.instruments.models import FirstAndLatestScore
from needlerx.patient_tasks.models import PatientTask, TaskKind
from needlerx.patients.models import Episode, EpisodeStatus
from needlerx.treatments.models import AdverseEvent, NeedledSession, TreatmentSession

ANSWERED_TASKS = (TaskKind.CHECK_IN, TaskKind.QUESTIONNAIRE)


def episodes_of(clinic: Clinic, filters: OutcomeFilters) -> QuerySet[Episode]:
    """The clinic's episodes in the region, treated (in any session) by the clinician."""
    episodes = Episode.objects.filter(patient__clinic=clinic)
    if filters.region:
        episodes = episodes.filter(regions__0__in=filters.region_members)
    if filters.clinician:
        treated = TreatmentSession.objects.filter(
            episode=OuterRef("pk"), clinician_id=filters.clinician.user_id
        )
        episodes = episodes.filter(Exists(treated))
    return episodes


def episode_counts(clinic: Clinic, filters: OutcomeFilters) -> dict[str, int]:
    days = (filters.start, filters.end)
    in_range = Q(opened_on__range=days) | Q(discharged_on__range=days)
    return (
        episodes_of(clinic, filters)
        .filter(in_range)
        .aggregate(
            started=Count("id", filter=Q(opened_on__range=days)),
            completed=Count(
                "id", filter=Q(status=EpisodeStatus.DISCHARGED, discharged_on__range=days)
            ),
        )
    )


def _stored(instrument: str) -> QuerySet[FirstAndLatestScore]:
    """The episode's stored first and latest main score of ``instrument`` (at most one row)."""
    return FirstAndLatestScore.objects.filter(episode=OuterRef("pk"), instrument=instrument)


def _choices(benefit: BenefitDefinition) -> list[tuple[list[str] | None, str, list[str]]]:
    """(region members or None for every region, candidate, the candidates before it), so each
    episode is counted once, under its first candidate measured."""
    candidates = candidates_by_group(benefit)
    groups = outcome_summary_definition().region_groups
    if len({tuple(names) for names in candidates.values()}) == 1:
        names = next(iter(candidates.values()))
        return [(None, name, names[:index]) for index, name in enumerate(names)]
    return [
        (groups[group], name, names[:index])
        for group, names in candidates.items()
        if group is not None
        for index, name in enumerate(names)
    ]


def _primary_measure(benefit: BenefitDefinition, filters: OutcomeFilters) -> Q | None:
    """The condition on an episode's stored score row (``first_and_latest_scores``) that makes
    it the episode's primary measure: one of the candidates of the episode's region group, with
    none of the candidates before it measured. None: no candidate in the region filtered."""
    chosen: Q | None = None
    for members, name, before in _choices(benefit):
        if members is not None and filters.region and set(members) != set(filters.region_members):
            continue
        region = {} if members is None else {"regions__0__in": members}
        condition = Q(
            *(~Exists(_stored(earlier)) for earlier in before),
            first_and_latest_scores__instrument=name,
            **region,
        )
        chosen = condition if chosen is None else chosen | condition
    return chosen


def measured_episodes(
    clinic: Clinic, filters: OutcomeFilters, benefits: list[BenefitDefinition]
) -> dict[str, list[MeasuredEpisodes]]:
    """For each benefit (by key), the episodes opened in the range, grouped by their primary
    measure's baseline and latest score: the first candidate with a baseline for the episode's
    region group, as the episode outcome summary chooses it.

    One query over the stored scores answers every benefit whose candidate measures no other
    benefit shares (pain and function: NPRS or VAS; NDI, ODI or RMDQ): each condition picks at
    most one stored row per episode, so a group's measure names its benefit. A benefit sharing a
    measure gets a query of its own."""
    found: dict[str, list[MeasuredEpisodes]] = {benefit.key: [] for benefit in benefits}
    primaries: dict[str, Q] = {}
    owner: dict[str, str] = {}  # measure -> the benefit it is a candidate of
    shared: set[str] = set()  # benefits with a candidate another benefit has too
    for benefit in benefits:
        primary = _primary_measure(benefit, filters)
        if primary is None:
            continue
        primaries[benefit.key] = primary
        for _, name, _ in _choices(benefit):
            if owner.setdefault(name, benefit.key) != benefit.key:
                shared |= {benefit.key, owner[name]}
    passes: list[tuple[str | None, list[Q]]] = [
        (key, [primary]) for key, primary in primaries.items() if key in shared
    ]
    together = [primary for key, primary in primaries.items() if key not in shared]
    if together:
        passes.append((None, together))
    for key, conditions in passes:
        for row in _grouped_scores(clinic, filters, conditions):
            found[key or owner[row.instrument]].append(row)
    return found


def _grouped_scores(
    clinic: Clinic, filters: OutcomeFilters, conditions: list[Q]
) -> list[MeasuredEpisodes]:
    """The episodes opened in the range whose stored score row meets one of ``conditions``,
    grouped by (measure, baseline, latest, discharged)."""
    either = reduce(operator.or_, conditions)
    opened = episodes_of(clinic, filters).filter(opened_on__range=(filters.start, filters.end))
    rows = (
        opened.filter(either)
        .annotate(
            measure=F("first_and_latest_scores__instrument"),
            baseline=F("first_and_latest_scores__first_score"),
            # The latest score only when there is a second one (a later measure).
            later=Case(
                When(
                    first_and_latest_scores__scores__gte=2,
                    then=F("first_and_latest_scores__latest_score"),
                ),
                default=Value(None),
                output_field=FloatField(),
            ),
            discharged=Case(
                When(status=EpisodeStatus.DISCHARGED, then=Value(True)),
                default=Value(False),
                output_field=BooleanField(),
            ),
        )
        .values("measure", "baseline", "later", "discharged")
        .annotate(episodes=Count("id"))
        .order_by()
    )
    return [
        MeasuredEpisodes(
            row["measure"], row["baseline"], row["later"], row["discharged"], row["episodes"]
        )
        for row in rows
    ]


def needled_sessions(clinic: Clinic, filters: OutcomeFilters) -> QuerySet[NeedledSession]:
    """The clinic's sessions with needling started in the range, region and clinician."""
    first, after = filters.moments
    sessions = NeedledSession.objects.filter(
        clinic=clinic, started_at__gte=first, started_at__lt=after
    )
    if filters.region:
        sessions = sessions.filter(session__episode__regions__0__in=filters.region_members)
    if filters.clinician:
        sessions = sessions.filter(clinician_id=filters.clinician.user_id)
    return sessions


def session_counts(
    clinic: Clinic, filters: OutcomeFilters, now: dt.datetime | None = None
) -> dict[str, int]:
    """Needling sessions, and those whose follow-up window has opened, with a contact made."""
    hours = adverse_event_reference().follow_up.due_after_hours
    window_opens = (now or timezone.now()) - dt.timedelta(hours=hours)
    opened = Q(started_at__lte=window_opens)
    return needled_sessions(clinic, filters).aggregate(
        sessions=Count("pk"),
        due=Count("pk", filter=opened),
        made=Count("pk", filter=opened & Q(follow_up_made_at__isnull=False)),
    )


def adverse_events_of(clinic: Clinic, filters: OutcomeFilters) -> QuerySet[AdverseEvent]:
    """Adverse events after the needling sessions counted (so the rate's top and bottom agree),
    read from the clinic's events (few) rather than its sessions (many)."""
    first, after = filters.moments
    counted = NeedledSession.objects.filter(
        session_id=OuterRef("session_id"), started_at__gte=first, started_at__lt=after
    )
    events = AdverseEvent.objects.filter(Exists(counted), clinic=clinic)
    if filters.region:
        events = events.filter(session__episode__regions__0__in=filters.region_members)
    if filters.clinician:
        events = events.filter(session__clinician_id=filters.clinician.user_id)
    return events


def adverse_event_counts(clinic: Clinic, filters: OutcomeFilters) -> list[tuple[str, str, int]]:
    """(event type, severity, events) for the register's summary and the rates."""
    rows = (
        adverse_events_of(clinic, filters)
        .values("event_type", "severity")
        .annotate(events=Count("id"))
        .order_by("event_type", "severity")
    )
    return [(row["event_type"], row["severity"], row["events"]) for row in rows]


def task_counts(
    clinic: Clinic, filters: OutcomeFilters, now: dt.datetime | None = None
) -> dict[str, int]:
    """Check-ins and questionnaires sent in the range: answered, and closed (answered or out
    of time); a link still open counts in neither."""
    first, after = filters.moments
    now = now or timezone.now()
    tasks = PatientTask.objects.filter(
        clinic=clinic, kind__in=ANSWERED_TASKS, valid_from__gte=first, valid_from__lt=after
    )
    if filters.region:
        tasks = tasks.filter(episode__regions__0__in=filters.region_members)
    if filters.clinician:
        tasks = tasks.filter(created_by_id=filters.clinician.user_id)
    done = Q(completed_at__isnull=False)
    return tasks.aggregate(
        sent=Count("id"),
        answered=Count("id", filter=done),
        closed=Count("id", filter=done | Q(expires_at__lte=now)),
    )
