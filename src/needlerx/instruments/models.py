"""One administration of an outcome instrument, stored with its answers and its score."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone

from needlerx.accounts.models import Clinic
from needlerx.core.models import PublicModel
from needlerx.patients.models import Episode, Patient
from needlerx.treatments.models import TreatmentSession


class EnteredVia(models.TextChoices):
    STAFF = "staff", "Entered by clinic staff"
    PATIENT_LINK = "patient_link", "Entered by the patient through a questionnaire link"


class InstrumentResponse(PublicModel):
    """The answers given to an instrument at one time, and what the clinical core made of them.

    ``responses`` is exactly what was entered (the public response convention of
    docs/instruments.md); ``result`` is the core's ``ScoreResult.to_dict()``. ``score`` and
    ``unit`` repeat the primary score for queries: a score never travels without its unit (NDI
    is ``%``; its raw 0-50 lives in ``result["additional_scores"]``). ``series_key`` names what was
    measured for per-site instruments (PPT ``upper_trapezius/left``); ROM motions and other
    subscales are series inside ``result["subscales"]``. ``entered_via`` is the seam for patients
    answering through a link later (then ``entered_by`` is empty).
    """

    episode = models.ForeignKey(
        Episode,
        on_delete=models.PROTECT,
        related_name="instrument_responses",
        db_index=False,  # the (episode, instrument, taken_at) index below serves it
    )
    patient = models.ForeignKey(
        Patient,
        on_delete=models.PROTECT,
        related_name="instrument_responses",
        db_index=False,  # the (patient, taken_at) index below serves it
    )
    clinic = models.ForeignKey(
        Clinic,
        on_delete=models.PROTECT,
        related_name="instrument_responses",
        db_index=False,  # the (clinic, instrument, taken_at) index below serves it
    )
    instrument = models.CharField(max_length=24)
    instrument_version = models.CharField(max_length=64)
    responses = models.JSONField()
    result = models.JSONField()
    score = models.FloatField(null=True, blank=True)
    unit = models.CharField(max_length=24, blank=True)
    series_key = models.CharField(max_length=80, blank=True)
    category = models.CharField(max_length=32, blank=True)
    taken_at = models.DateTimeField()
    entered_via = models.CharField(
        max_length=16, choices=EnteredVia.choices, default=EnteredVia.STAFF
    )
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
    )
    session = models.ForeignKey(
        TreatmentSession,
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
        help_text="The session note whose pain field this measure records (pain asked once)",
    )

    class Meta:
        ordering = ["taken_at", "id"]
        indexes = [
            models.Index(fields=["episode", "instrument", "taken_at"]),
            models.Index(fields=["patient", "taken_at"]),
            models.Index(fields=["clinic", "instrument", "taken_at"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=(models.Q(score__isnull=True) & models.Q(unit=""))
                | (models.Q(score__isnull=False) & ~models.Q(unit="")),
                name="instrument_score_carries_its_unit",
            ),
            models.CheckConstraint(
                condition=~models.Q(entered_via="staff") | models.Q(entered_by__isnull=False),
                name="instrument_staff_entry_names_the_user",
            ),
        ]

    def __str__(self) -> str:
        value = "-" if self.score is None else f"{self.score:g} {self.unit}"
        return f"{self.instrument} {value} on {timezone.localtime(self.taken_at):%Y-%m-%d}"


class FirstAndLatestScore(models.Model):
    """An episode's first and latest main score of one instrument (``series_key`` empty, a
    score given), with their times and how many main scores there are: a summary of
    ``InstrumentResponse`` rows for the clinic dashboard, which reads one row per episode and
    measure instead of ordering the episode's responses.

    Kept true by the writers of responses, inside their transaction: the services recompute the
    pair's row after each save (``instruments.services.first_and_latest_score_refresh``); the
    demo's bulk load inserts the rows it computes from the responses it generates. Order: by
    ``taken_at``, then by id (``instruments.score_span``).
    """

    episode = models.ForeignKey(
        Episode,
        on_delete=models.CASCADE,
        related_name="first_and_latest_scores",
        db_index=False,  # the indexes below start with the episode
    )
    instrument = models.CharField(max_length=24)
    first_score = models.FloatField()
    first_taken_at = models.DateTimeField()
    latest_score = models.FloatField()
    latest_taken_at = models.DateTimeField()
    scores = models.PositiveIntegerField(help_text="How many main scores the episode has")

    class Meta:
        indexes = [
            # The dashboard reads an episode's rows from the index alone (SQLite and PostgreSQL).
            models.Index(
                fields=["episode", "instrument", "first_score", "scores", "latest_score"],
                name="first_and_latest_dashboard",
            )
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["episode", "instrument"], name="first_and_latest_one_per_episode_measure"
            ),
            models.CheckConstraint(
                condition=models.Q(scores__gte=1), name="first_and_latest_has_a_score"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.instrument} {self.first_score:g} to {self.latest_score:g} ({self.scores})"


class LicensedItemText(models.Model):
    """A clinic's own licensed wording of an instrument (NDI, ODI...), loaded from its file by
    ``needlerx licensed_text load``. NeedleRx ships no licensed text: without a row here the
    instrument has only NeedleRx's short labels and cannot be sent to a patient at home.
    ``items`` is ``ItemTexts.to_dict()["items"]`` (item key -> text and option statements)."""

    clinic = models.ForeignKey(
        Clinic,
        on_delete=models.PROTECT,
        related_name="licensed_texts",
        db_index=False,  # the (clinic, instrument) unique index below serves it
    )
    instrument = models.CharField(max_length=24)
    source = models.CharField(max_length=500)
    items = models.JSONField()
    loaded_at = models.DateTimeField()
    loaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["clinic", "instrument"], name="licensed_text_one_per_clinic_instrument"
            )
        ]

    def __str__(self) -> str:
        return f"{self.instrument} text of {self.clinic_id}"
