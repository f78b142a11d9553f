"""Synthetic outcome measures for demo patients: trajectories over the episode's visits.

Each patient gets a response profile (strong or partial responder, non-responder, or worse) and
its measures follow it: NPRS at every visit; NDI (neck) or ODI / RMDQ (back), PPT over the
treated muscles, ROM, the spasm diary and medication use (some with rising analgesic days and
opioid MME) at baseline, mid-course and the last visit; GROC at discharge. Visits are the demo
treatment sessions already inserted for the batch (see ``demo.treatments``), plus a discharge
visit a week after the last session once the course is complete. Every value is scored by the
real clinical core and bulk-inserted, with one audit event per batch. Deterministic: each
patient's generator is seeded from its episode's public id, itself drawn from the demo seed.

The profile shares and effect sizes below are demo parameters, not clinical facts.
"""

from __future__ import annotations

import datetime as dt
import json
import math
import random
import uuid
from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from django.db import connection

from needlerx.accounts.models import User
from needlerx.clinical.reference import muscle_catalogue
from needlerx.clinical.scoring import ScoreResult, score
from needlerx.core.local import zone_named
from needlerx.demo.bulk import Prepared
from needlerx.demo.catalogue import CLINIC_DAY_STARTS
from needlerx.instruments.models import EnteredVia, FirstAndLatestScore, InstrumentResponse
from needlerx.instruments.score_span import score_span
from needlerx.instruments.services import score_columns
from needlerx.patients.models import Episode, EpisodeStatus
from needlerx.treatments.models import NeedlingEntry, TreatmentSession

# name, share of patients, fraction of the baseline problem gone by the end of the course
PROFILES = (("strong", 40, 0.65), ("partial", 25, 0.35), ("none", 25, 0.03), ("worse", 10, -0.2))
GROC_BY_PROFILE = {"strong": (4, 6), "partial": (2, 4), "none": (-1, 1), "worse": (-4, -2)}
PPT_DEFAULT_SITES = {
    "cervical": ("upper_trapezius", "levator_scapulae"),
    "lumbar": ("lumbar_multifidus", "quadratus_lumborum"),
}
OPIOIDS = (("tramadol", 50, 2), ("hydrocodone", 10, 2), ("oxycodone", 5, 2))
DISCHARGE_AFTER = dt.timedelta(days=7)
COURSE_IDLE = dt.timedelta(days=21)


@dataclass
class Course:
    """One patient's course: visit times, profile and fixed baselines."""

    rng: random.Random
    visits: list[dt.datetime]
    planned: int
    profile: str
    gain: float
    neck: bool
    discharged: bool

    def progress(self, index: int) -> float:
        """0 at baseline, 1 at the planned end; fast early gains (a saturating curve)."""
        t = min(1.0, index / max(1, self.planned - 1))
        return (1 - math.exp(-3 * t)) / (1 - math.exp(-3))

    def towards(self, baseline: float, best: float, index: int, noise: float) -> float:
        """Baseline moved towards ``best`` by the profile's gain at this point, with noise."""
        value = baseline + (best - baseline) * self.gain * self.progress(index)
        return value + self.rng.gauss(0, noise)

    def key_visits(self) -> list[int]:
        """Baseline, mid-course and last visit (indices), without repeats."""
        last = len(self.visits) - 1
        return sorted({0, last // 2, last})


def _clamp(value: float, low: float, high: float) -> float:
    return max(low, min(high, value))


def course_for(
    episode: Episode,
    sessions: list[dt.datetime],
    now: dt.datetime,
    seed: int,
    zone: dt.tzinfo = dt.UTC,
) -> Course:
    """The patient's visits (the demo sessions, or a weekly schedule in the clinic's ``zone``)
    and response profile."""
    rng = random.Random(seed)  # noqa: S311 - synthetic data, reproducible on purpose
    name, _, gain = rng.choices(PROFILES, weights=[p[1] for p in PROFILES])[0]
    visits = sorted(sessions) or _own_schedule(rng, episode, now, zone)
    planned = max(len(visits), rng.randint(6, 9))
    complete = len(visits) >= planned or now - visits[-1] > COURSE_IDLE
    discharge = visits[-1] + DISCHARGE_AFTER
    discharged = complete and discharge <= now
    if discharged:
        visits.append(discharge)
    planned = len(visits) if discharged else planned + 1
    gain = gain + rng.uniform(-0.08, 0.08)
    return Course(rng, visits, planned, name, gain, "cervical" in episode.regions, discharged)


def _own_schedule(
    rng: random.Random, episode: Episode, now: dt.datetime, zone: dt.tzinfo
) -> list[dt.datetime]:
    """Weekly visits from the day the episode opened (when it has no demo sessions), in clinic
    hours."""
    first = dt.datetime.combine(episode.opened_on, CLINIC_DAY_STARTS, tzinfo=zone).astimezone(
        dt.UTC
    )
    visits = [first + dt.timedelta(days=7 * n, hours=rng.randint(0, 7)) for n in range(12)]
    return [v for v in visits[: rng.randint(6, 12)] if v <= now] or [first]


def _nprs(course: Course) -> list[tuple[int, str, dict[str, Any]]]:
    baseline = course.rng.randint(5, 8)
    values = []
    for index in range(len(course.visits)):
        value = course.towards(baseline, 0, index, 0.6) if index else baseline
        values.append((index, "nprs", {"1": round(_clamp(value, 0, 10))}))
    return values


def nprs_at_visits(episode: Episode, sessions: list[dt.datetime], now: dt.datetime) -> list[int]:
    """The NPRS this module records at each of the episode's sessions (in order), computed as
    ``outcome_rows_for`` will compute it, so the pain a session note records is the pain
    measure of the same visit."""
    course = course_for(episode, sessions, now, episode.public_id.int)
    return [int(responses["1"]) for _, _, responses in _nprs(course)][: len(sessions)]


def _sections(rng: random.Random, total: float, count: int, high: int) -> list[int]:
    """``count`` item scores of 0..``high`` that add up to about ``total``."""
    target = round(_clamp(total, 0, count * high))
    items = [target // count] * count
    for position in rng.sample(range(count), k=target % count):
        items[position] += 1
    for _ in range(2):  # a little spread between items, keeping the total
        up, down = rng.sample(range(count), k=2)
        if items[up] < high and items[down] > 0:
            items[up], items[down] = items[up] + 1, items[down] - 1
    return items


def _disability(course: Course) -> list[tuple[int, str, dict[str, Any]]]:
    rng = course.rng
    instrument = "ndi" if course.neck else ("odi" if rng.random() < 0.6 else "rmdq")
    count, high = (24, 1) if instrument == "rmdq" else (10, 5)
    baseline = rng.uniform(0.3, 0.6) * count * high
    skip_driving = instrument == "ndi" and rng.random() < 0.1
    values = []
    for index in course.key_visits():
        total = course.towards(baseline, 0, index, count * high * 0.03) if index else baseline
        items: dict[str, Any] = {
            str(n + 1): v for n, v in enumerate(_sections(rng, total, count, high))
        }
        if skip_driving:
            items["8"] = None  # NDI driving is often left out; scored over the 9 answered
        values.append((index, instrument, items))
    return values


def _ppt(course: Course, treated: list[tuple[str, str]]) -> list[tuple[int, str, dict[str, Any]]]:
    rng = course.rng
    if not treated:
        muscles = PPT_DEFAULT_SITES["cervical" if course.neck else "lumbar"]
        treated = [(muscle, rng.choice(("left", "right"))) for muscle in muscles]
    values = []
    for muscle, side in sorted(set(treated))[:2]:
        baseline = rng.uniform(1.6, 3.2)
        for index in course.key_visits():
            mean = course.towards(baseline, baseline + 1.7, index, 0.1) if index else baseline
            trials = [round(_clamp(mean + rng.gauss(0, 0.08), 0.5, 9.5), 2) for _ in range(3)]
            values.append((index, "ppt", {"muscle": muscle, "side": side, "trials_kg_cm2": trials}))
    return values


def _rom(course: Course) -> list[tuple[int, str, dict[str, Any]]]:
    rng = course.rng
    if course.neck:
        motions = {
            "cervical_rotation_left": (rng.uniform(40, 62), 80.0),
            "cervical_rotation_right": (rng.uniform(40, 62), 80.0),
            "cervical_flexion": (rng.uniform(25, 40), 50.0),
        }
    else:
        motions = {
            "lumbar_flexion": (rng.uniform(20, 40), 60.0),
            "fingertip_to_floor_cm": (rng.uniform(15, 35), 0.0),
        }
    values = []
    for index in course.key_visits():
        measured = {
            motion: round(_clamp(course.towards(start, best, index, 2.0), 0, 170), 1)
            for motion, (start, best) in motions.items()
        }
        values.append((index, "rom", measured))
    return values


def _spasm(course: Course) -> list[tuple[int, str, dict[str, Any]]]:
    episodes, intensity = course.rng.randint(3, 12), course.rng.randint(4, 8)
    values = []
    for index in course.key_visits():
        count = round(_clamp(course.towards(episodes, 0, index, 0.7), 0, 40))
        strength = round(_clamp(course.towards(intensity, 1, index, 0.6), 1, 10))
        diary = (
            {"episodes_per_week": count, "intensity": strength}
            if count
            else {"episodes_per_week": 0}
        )
        values.append((index, "spasm", diary))
    return values


def _stiffness(course: Course) -> list[tuple[int, str, dict[str, Any]]]:
    """The patient's muscle tension and stiffness rating (0-10) at the key visits."""
    baseline = course.rng.randint(4, 8)
    return [
        (index, "stiffness", {"1": round(_clamp(course.towards(baseline, 1, index, 0.6), 0, 10))})
        for index in course.key_visits()
    ]


def _opioid(course: Course, medication: dict[str, Any] | None) -> tuple[str, float, int] | None:
    if medication and medication.get("drug_class") == "opioid" and medication.get("opioid"):
        return medication["opioid"], float(medication["dose"]), int(medication["doses_per_day"])
    if course.rng.random() < 0.1:
        return course.rng.choice(OPIOIDS)
    return None


def _medication(
    course: Course, medication: dict[str, Any] | None
) -> list[tuple[int, str, dict[str, Any]]]:
    days = course.rng.randint(3, 7)
    opioid = _opioid(course, medication)
    values = []
    for index in course.key_visits():
        used = round(_clamp(course.towards(days, 0, index, 0.5), 0, 7))
        diary: dict[str, Any] = {"analgesic_days_per_week": used, "opioids": []}
        if opioid:
            drug, dose, per_day = opioid
            doses = round(_clamp(course.towards(per_day, 0, index, 0.3), 0, per_day + 3))
            if doses:
                diary["opioids"] = [
                    {"drug": drug, "dose": dose, "unit": "mg", "doses_per_day": doses}
                ]
        values.append((index, "medication", diary))
    return values


def _groc(course: Course) -> list[tuple[int, str, dict[str, Any]]]:
    if not course.discharged:
        return []
    low, high = GROC_BY_PROFILE[course.profile]
    return [(len(course.visits) - 1, "groc", {"1": course.rng.randint(low, high)})]


def measures_for(
    course: Course, treated: list[tuple[str, str]], medication: dict[str, Any] | None
) -> list[tuple[int, str, dict[str, Any]]]:
    """(visit index, instrument, responses) for the whole course."""
    return [
        *_nprs(course),
        *_disability(course),
        *_ppt(course, treated),
        *_rom(course),
        *_spasm(course),
        *_medication(course, medication),
        *_groc(course),
        *_stiffness(course),  # last, so the other series keep their values for a given seed
    ]


def _batch_treatments(
    episodes: list[Episode],
) -> tuple[dict[int, list[dt.datetime]], dict[int, list[tuple[str, str]]]]:
    """Session times and needled (muscle, side) per episode id, in two queries."""
    sessions: dict[int, list[dt.datetime]] = defaultdict(list)
    for episode_id, started in TreatmentSession.objects.filter(episode__in=episodes).values_list(
        "episode_id", "started_at"
    ):
        sessions[episode_id].append(started)
    treated: dict[int, list[tuple[str, str]]] = defaultdict(list)
    needled = NeedlingEntry.objects.filter(session__episode__in=episodes).values_list(
        "session__episode_id", "muscle", "side"
    )
    catalogue = muscle_catalogue()
    for episode_id, muscle, side in needled.distinct():
        if muscle in catalogue:
            treated[episode_id].append((muscle, side))
    return sessions, treated


# Columns written by the bulk insert, in order (the model's fields; see ``_row``).
COLUMNS = (
    "public_id",
    "created_at",
    "episode_id",
    "patient_id",
    "clinic_id",
    "instrument",
    "instrument_version",
    "responses",
    "result",
    "score",
    "unit",
    "series_key",
    "category",
    "taken_at",
    "entered_via",
    "entered_by_id",
)
# result, responses JSON, result JSON, the result's columns
Scored = tuple[ScoreResult, str, str, dict[str, Any]]


# Scores already computed in this run, by instrument and answers (the core's score is a pure
# function of them); started afresh past SCORES_KEPT entries, so memory stays flat.
_SCORES: dict[tuple[str, str], Scored] = {}
SCORES_KEPT = 5_000


_SORTED_JSON = json.JSONEncoder(sort_keys=True).encode  # json.dumps(..., sort_keys=True)
_JSON = json.JSONEncoder().encode  # json.dumps(...)


def _scored(instrument: str, responses: Any) -> Scored:
    """Score with the real core; identical answers are scored (and encoded) once. They are
    looked up by their ``repr``, which tells apart every value JSON does (1, 1.0 and True) and
    costs less than the JSON; equal answers in another key order are encoded alike."""
    key = (instrument, repr(responses))
    found = _SCORES.get(key)
    if found is None:
        if len(_SCORES) >= SCORES_KEPT:
            _SCORES.clear()
        result = score(instrument, responses)
        found = (result, _SORTED_JSON(responses), _JSON(result.to_dict()), score_columns(result))
        _SCORES[key] = found
    return found


@dataclass(frozen=True)
class RowContext:
    """What every row of a batch shares, prepared for the database once."""

    created: Any
    native_uuid: bool
    adapt_datetime: Callable[[dt.datetime], Any]


def _row(
    scored: Scored,
    episode: Episode,
    clinician: User,
    at: dt.datetime,
    public_id: uuid.UUID,
    context: RowContext,
) -> tuple[Any, ...]:
    _, answers, result_json, columns = scored
    patient = episode.patient
    return (
        public_id if context.native_uuid else public_id.hex,
        context.created,
        episode.pk,
        patient.pk,
        patient.clinic_id,
        columns["instrument"],
        columns["instrument_version"],
        answers,
        result_json,
        columns["score"],
        columns["unit"],
        columns["series_key"],
        columns["category"],
        context.adapt_datetime(at),
        EnteredVia.STAFF,
        clinician.pk,
    )


def _generated_treatments(
    rows: Any,
) -> tuple[dict[int, list[dt.datetime]], dict[int, list[tuple[str, str]]]]:
    """What ``_batch_treatments`` reads, from the batch's ``demo.treatments.TreatmentRows``
    (given ids) instead of the database."""
    sessions: dict[int, list[dt.datetime]] = defaultdict(list)
    for session in rows.sessions:
        sessions[session.episode_id].append(session.started_at)
    treated: dict[int, list[tuple[str, str]]] = defaultdict(list)
    catalogue = muscle_catalogue()
    episode_of = {session.pk: session.episode_id for session in rows.sessions}
    needled = {
        (episode_of[entry.session_id], entry.muscle, entry.side)
        for entry in (*rows.entries, *rows.paired_entries)
    }
    for episode_id, muscle, side in needled:
        if muscle in catalogue:
            treated[episode_id].append((muscle, side))
    return sessions, treated


def outcome_rows_for(
    batch: Sequence[tuple[Any, Any]], now: dt.datetime, treatments: Any = None
) -> list[tuple[Any, ...]]:
    """Database rows for a batch of (ClinicStaff, PatientBundle) from the patient generator;
    the sessions and needling are read from ``treatments`` (the batch's generated
    ``TreatmentRows``, given ids) or else from the database. A course that ended in a discharge
    marks its episode discharged on that day (on the episode object, which the caller writes)."""
    if treatments is None:
        sessions, treated = _batch_treatments([bundle.episode for _, bundle in batch])
    else:
        sessions, treated = _generated_treatments(treatments)
    ops = connection.ops
    context = RowContext(
        ops.adapt_datetimefield_value(now),
        connection.features.has_native_uuid_field,
        ops.adapt_datetimefield_value,
    )
    rows: list[tuple[Any, ...]] = []
    for staff, bundle in batch:
        episode = bundle.episode
        zone = zone_named(staff.clinic.time_zone)
        visits = sessions.get(episode.pk, [])
        course = course_for(episode, visits, now, episode.public_id.int, zone)
        if course.discharged:  # the episode object, not yet written (generator.prepare_batch)
            episode.status = EpisodeStatus.DISCHARGED
            episode.discharged_on = course.visits[-1].astimezone(zone).date()
        measures = measures_for(course, treated.get(episode.pk, []), bundle.medication)
        for index, instrument, responses in measures:
            scored = _scored(instrument, responses)
            public_id = uuid.UUID(int=course.rng.getrandbits(128), version=4)
            at = course.visits[index]
            rows.append(_row(scored, episode, staff.clinician, at, public_id, context))
    return rows


def prepare_outcome_rows(rows: list[tuple[Any, ...]]) -> Prepared:
    """The rows as ``demo.bulk.Prepared`` (the database gives their ids)."""
    return Prepared(InstrumentResponse, COLUMNS, rows, ids_given=False)


FIRST_AND_LATEST_COLUMNS = (
    "episode_id",
    "instrument",
    "first_score",
    "first_taken_at",
    "latest_score",
    "latest_taken_at",
    "scores",
)
_EPISODE, _INSTRUMENT, _SCORE, _SERIES, _TAKEN_AT = (
    COLUMNS.index(name) for name in ("episode_id", "instrument", "score", "series_key", "taken_at")
)


def first_and_latest_rows(rows: list[tuple[Any, ...]]) -> list[tuple[Any, ...]]:
    """The stored first and latest main score of each (episode, instrument) of the outcome rows
    (``FirstAndLatestScore``), computed from the rows in the order they are inserted (the order
    of their ids). Their times are compared as prepared for the database: aware datetimes on
    PostgreSQL, UTC text in ISO order on SQLite, either of which sorts as time does."""
    pairs: dict[tuple[int, str], list[tuple[float, Any]]] = defaultdict(list)
    for row in rows:
        if row[_SCORE] is not None and not row[_SERIES]:
            pairs[(row[_EPISODE], row[_INSTRUMENT])].append((row[_SCORE], row[_TAKEN_AT]))
    found = []
    for (episode_id, instrument), scores in pairs.items():
        span = score_span(scores)
        if span is not None:
            found.append((episode_id, instrument, *span.columns().values()))
    return found


def prepare_first_and_latest_rows(rows: list[tuple[Any, ...]]) -> Prepared:
    """``first_and_latest_rows`` of the outcome rows as ``demo.bulk.Prepared``."""
    return Prepared(
        FirstAndLatestScore, FIRST_AND_LATEST_COLUMNS, first_and_latest_rows(rows), ids_given=False
    )
