"""Recording an outcome measure: validate, score with the clinical core, store, audit."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from django.db import transaction
from django.utils import timezone

from needlerx.accounts.models import User
from needlerx.accounts.selectors import require_permission
from needlerx.audit.services import audit_record
from needlerx.clinical.reference import muscle_catalogue
from needlerx.clinical.scoring import ScoreResult, score
from needlerx.clinical.scoring.library import get_instrument
from needlerx.core.errors import ApplicationError, clinical_errors_as_application_errors
from needlerx.instruments.models import EnteredVia, FirstAndLatestScore, InstrumentResponse
from needlerx.instruments.patient_named import baseline_names, with_baseline_names
from needlerx.instruments.score_span import score_span
from needlerx.patients.models import Episode
from needlerx.treatments.models import TreatmentSession
from needlerx.treatments.services import treatment_session_update

SIDES_OF_A_PAIRED_MUSCLE = ("left", "right", "bilateral")


def check_ppt_site(responses: Mapping[str, Any]) -> None:
    """A PPT site must be a catalogue muscle, on a side that muscle has."""
    muscle_id, side = responses.get("muscle"), responses.get("side")
    muscle = muscle_catalogue().get(str(muscle_id))
    if muscle is None:
        raise ApplicationError(
            f"{muscle_id!r} is not in the muscle catalog (GET /api/v1/muscles lists the ids)",
            field="responses.muscle",
        )
    sides = SIDES_OF_A_PAIRED_MUSCLE if muscle.sided else ("midline",)
    if side not in sides:
        raise ApplicationError(
            f"{muscle.name} takes side {' or '.join(sides)} (got {side!r})",
            field="responses.side",
        )


def measurement_score(
    instrument_id: str, responses: object, episode: Episode | None = None
) -> tuple[ScoreResult, Mapping[str, Any]]:
    """Score the answers with the clinical core; errors name the field (``responses.3``).

    With ``episode``, patient-named items (PSFS activities) must be named at baseline and
    re-rated unchanged at each follow-up; the stored answers carry the baseline names.
    """
    if not isinstance(responses, Mapping):
        raise ApplicationError("must be an object of item answers", field="responses")
    with clinical_errors_as_application_errors():
        instrument = get_instrument(instrument_id)
    if episode is not None and instrument.patient_named_items is not None:
        baseline = baseline_names(episode=episode, instrument_id=instrument.id)
        responses = with_baseline_names(instrument, responses, baseline)
    with clinical_errors_as_application_errors():
        result = score(instrument_id, responses)
    if result.instrument == "ppt":
        check_ppt_site(responses)
    return result, responses


def check_taken_at(episode: Episode, taken_at: dt.datetime) -> None:
    if timezone.is_naive(taken_at):
        raise ApplicationError("must include a time zone", field="taken_at")
    if taken_at > timezone.now() + dt.timedelta(minutes=5):
        raise ApplicationError("cannot be in the future", field="taken_at")
    if timezone.localdate(taken_at) < episode.opened_on:
        raise ApplicationError(
            f"cannot be before the episode opened ({episode.opened_on.isoformat()})",
            field="taken_at",
        )


def score_columns(result: ScoreResult) -> dict[str, Any]:
    """The stored columns that repeat the core's result: a score always with its unit."""
    return {
        "instrument": result.instrument,
        "instrument_version": result.instrument_version,
        "score": result.score,
        "unit": (result.unit or "") if result.score is not None else "",
        "series_key": result.key or "",
        "category": result.category or "",
    }


def response_from_result(
    *,
    episode: Episode,
    result: ScoreResult,
    responses: Mapping[str, Any],
    taken_at: dt.datetime,
    entered_by: User | None,
) -> InstrumentResponse:
    """An unsaved row for a scored administration."""
    patient = episode.patient
    return InstrumentResponse(
        episode=episode,
        patient=patient,
        clinic_id=patient.clinic_id,
        responses=dict(responses),
        result=result.to_dict(),
        taken_at=taken_at,
        entered_via=EnteredVia.STAFF if entered_by else EnteredVia.PATIENT_LINK,
        entered_by=entered_by,
        **score_columns(result),
    )


@transaction.atomic
def instrument_response_record(
    *,
    actor: User,
    episode: Episode,
    instrument_id: str,
    responses: object,
    taken_at: dt.datetime | None = None,
) -> InstrumentResponse:
    """Store one administration of an instrument for the episode, scored by the clinical core.

    Refused (nothing stored) without ``measure.record`` in the patient's clinic, for any input
    the core rejects (the error names the field, e.g. ``responses.3``), for a PPT muscle not in
    the catalogue, and for a ``taken_at`` in the future or before the episode opened.
    """
    patient = episode.patient
    role = require_permission(user=actor, clinic=patient.clinic, permission="measure.record")
    stored = _scored_response_save(
        episode, instrument_id, responses, taken_at or timezone.now(), entered_by=actor
    )
    audit_record(
        action="measure.record",
        actor=actor,
        actor_role=role,
        clinic=patient.clinic,
        obj=stored,
        patient=patient,
        detail={
            "instrument": stored.instrument,
            "instrument_version": stored.instrument_version,
            "series_key": stored.series_key,
            "episode": str(episode.public_id),
            "taken_at": stored.taken_at.isoformat(),
        },
    )
    return stored


PAIN_INSTRUMENT = "nprs"


@transaction.atomic
def session_pain_record(
    *,
    actor: User,
    session: TreatmentSession,
    pain: int,
    expected_version: int | None = None,
    **other_fields: Any,
) -> InstrumentResponse:
    """Pain asked once: the note's pain now (and pain before needling) and the visit's NPRS
    measure are written together with the same value; a second answer in the same draft
    corrects the measure instead of adding another one.

    ``other_fields``: further note fields saved in the same step (``treatment_session_update``).
    Refused like either write alone: a signed or stale note, a value outside 0 to 10, or
    without ``measure.record``.
    """
    role = require_permission(user=actor, clinic=session.clinic, permission="measure.record")
    updated = treatment_session_update(
        actor=actor,
        session=session,
        expected_version=expected_version if expected_version is not None else session.version,
        **other_fields,
        pain_now=pain,
        pain_before=pain,
    )
    episode = updated.episode
    result, answers = measurement_score(PAIN_INSTRUMENT, {"1": pain}, episode)
    current = (
        InstrumentResponse.objects.select_for_update()
        .filter(session=updated, instrument=PAIN_INSTRUMENT)
        .first()
    )
    if current is None:
        stored = response_from_result(
            episode=episode,
            result=result,
            responses=answers,
            taken_at=timezone.now(),
            entered_by=actor,
        )
        stored.session = updated
        action = "measure.record"
    else:
        stored, action = current, "measure.correct"
        stored.responses, stored.result = dict(answers), result.to_dict()
        for name, value in score_columns(result).items():
            setattr(stored, name, value)
    stored.save()
    first_and_latest_score_refresh(episode_id=stored.episode_id, instrument=stored.instrument)
    audit_record(
        action=action,
        actor=actor,
        actor_role=role,
        clinic=updated.clinic,
        obj=stored,
        patient=updated.patient,
        detail={
            "instrument": stored.instrument,
            "score": stored.score,
            "session": str(updated.public_id),
            "from": "the session note's pain",
        },
    )
    return stored


def _scored_response_save(
    episode: Episode,
    instrument_id: str,
    responses: object,
    taken_at: dt.datetime,
    *,
    entered_by: User | None,
) -> InstrumentResponse:
    """Check the moment, score the answers with the clinical core and store the result (by a
    clinician, or by the patient from home when ``entered_by`` is None)."""
    check_taken_at(episode, taken_at)
    result, answers = measurement_score(instrument_id, responses, episode)
    stored = response_from_result(
        episode=episode, result=result, responses=answers, taken_at=taken_at, entered_by=entered_by
    )
    stored.save()
    first_and_latest_score_refresh(episode_id=episode.pk, instrument=stored.instrument)
    return stored


@transaction.atomic
def first_and_latest_score_refresh(*, episode_id: int, instrument: str) -> None:
    """Recompute the episode's stored first and latest main score of ``instrument`` from its
    responses (``FirstAndLatestScore``): called by every writer of a response, after the save and
    inside its transaction, whether the response is new (an earlier one may become the first)
    or corrected. The episode's row is locked first, so two writers of the same episode take
    turns and the second sees the first's response (PostgreSQL; SQLite writes one at a time)."""
    list(Episode.objects.select_for_update().filter(pk=episode_id).values_list("pk"))
    scores = (
        InstrumentResponse.objects.filter(
            episode_id=episode_id, instrument=instrument, series_key="", score__isnull=False
        )
        .order_by("taken_at", "id")
        .values_list("score", "taken_at")
    )
    span = score_span((score, taken_at) for score, taken_at in scores if score is not None)
    if span is None:
        FirstAndLatestScore.objects.filter(episode_id=episode_id, instrument=instrument).delete()
        return
    FirstAndLatestScore.objects.update_or_create(
        episode_id=episode_id, instrument=instrument, defaults=span.columns()
    )


@transaction.atomic
def instrument_response_record_by_patient(
    *, episode: Episode, instrument_id: str, responses: object, via: Any
) -> InstrumentResponse:
    """Store a questionnaire the patient answered from home (``via``: the task of their link),
    scored by the clinical core like a clinician's entry and marked as patient-reported
    (``entered_via`` patient link, no ``entered_by``). The caller has checked the link."""
    patient = episode.patient
    stored = _scored_response_save(
        episode, instrument_id, responses, timezone.now(), entered_by=None
    )
    audit_record(
        action="measure.record",
        actor_role="patient",
        actor_username="patient link",
        clinic=patient.clinic,
        obj=stored,
        patient=patient,
        detail={
            "instrument": stored.instrument,
            "episode": str(episode.public_id),
            "entered_via": stored.entered_via,
            "task": str(getattr(via, "public_id", "")),
        },
    )
    return stored
