"""A suitability screen as it ran: what was known, what was planned, what the rules said."""

from __future__ import annotations

from typing import Any, TypeVar

from django.conf import settings
from django.db import models
from django.utils import timezone

from needlerx.accounts.models import Clinic
from needlerx.core.errors import ApplicationError
from needlerx.core.models import PublicModel
from needlerx.patients.models import Episode, Patient

M = TypeVar("M", bound=models.Model)


class ScreeningRunKind(models.TextChoices):
    SCREEN = "screen", "Suitability screen"
    SESSION_RECHECK = "session_recheck", "Pre-needling re-check in a session"


class ScreeningRunStored(ApplicationError):
    """A stored screen is a record of what was decided: it is never changed or removed."""

    def __init__(self) -> None:
        super().__init__(
            "A stored screen cannot be changed or removed; run the screen again instead.",
            code="screening_run_stored",
        )


class StoredForGoodQuerySet(models.QuerySet[M]):
    """Rows that are a record of what was decided: a queryset refuses to change or remove them."""

    def update(self, **kwargs: Any) -> int:
        raise ScreeningRunStored()

    def delete(self) -> tuple[int, dict[str, int]]:
        raise ScreeningRunStored()


class StoredForGood(models.Model):
    """A record of what was decided: saved once, never changed or removed."""

    class Meta:
        abstract = True

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise ScreeningRunStored()
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise ScreeningRunStored()


class StoredResult(StoredForGood):
    """What a screen said (its ``to_dict()``), stored once however many runs said it.

    Screens of the same record under the same rules say the same thing, and a patient is
    screened again before each needled visit, so most runs repeat a result already stored. The
    key is the SHA-256 of the result's canonical JSON (``screening.digest.result_digest``): a
    stored result can be checked against its key, and is never changed or removed.
    """

    digest = models.CharField(max_length=64, primary_key=True)
    body = models.JSONField()

    objects = StoredForGoodQuerySet["StoredResult"].as_manager()

    def __str__(self) -> str:
        return f"Screen result {self.digest[:12]}"


class ScreeningRunQuerySet(StoredForGoodQuerySet["ScreeningRun"]):
    def screens(self) -> ScreeningRunQuerySet:
        """The suitability screens (the screening history); not the runs stored for a session's
        pre-needling re-check, which the session note shows."""
        return self.filter(kind=ScreeningRunKind.SCREEN)


class ScreeningRun(StoredForGood, PublicModel):
    """One run of the dry-needling suitability screen, kept so a past decision can be replayed.

    ``facts``, ``plan`` and ``practitioner`` are the exact input; ``result`` is the screen's
    ``to_dict()``, kept once in ``StoredResult`` for every run that said it (read it with
    ``select_related("stored_result")``); ``ruleset_version`` names the reference data that
    produced it. When the screen blocked every muscle, ``whole_catalogue`` is set and ``plan`` is
    every catalogue muscle and side with the technique the chart showed, so the stored decision
    is the one shown.
    """

    episode = models.ForeignKey(Episode, on_delete=models.PROTECT, related_name="screening_runs")
    patient = models.ForeignKey(
        Patient,
        on_delete=models.PROTECT,
        related_name="screening_runs",
        db_index=False,  # the (patient, run_at) index below serves it
    )
    # The patient's clinic, kept on the run so the clinic home reads one clinic's screens through
    # its own index (a patient never changes clinic).
    clinic = models.ForeignKey(
        Clinic,
        on_delete=models.PROTECT,
        related_name="+",
        db_index=False,  # the (clinic, kind, run_at, decision, patient) index below serves it
    )
    facts = models.JSONField()
    plan = models.JSONField()
    practitioner = models.JSONField(null=True)
    stored_result = models.ForeignKey(
        StoredResult,
        on_delete=models.PROTECT,
        related_name="+",
        db_index=False,  # a stored result is never removed, so nothing looks runs up by it
    )
    decision = models.CharField(max_length=32)
    ruleset_version = models.CharField(max_length=32)
    whole_catalogue = models.BooleanField(
        default=False,
        help_text="No muscle could be needled: the plan is every muscle and side the chart showed.",
    )
    run_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    run_at = models.DateTimeField()
    kind = models.CharField(
        max_length=16, choices=ScreeningRunKind.choices, default=ScreeningRunKind.SCREEN
    )

    objects = ScreeningRunQuerySet.as_manager()

    class Meta:
        ordering = ["-run_at", "-id"]
        indexes = [
            models.Index(fields=["patient", "-run_at"]),
            # The clinic home's screens of today (a range of one clinic's screens, latest first).
            # The decision is in it so that a month's alerts can be told from the index alone,
            # should the database read them this way (a run's JSON input comes first in a row).
            models.Index(
                fields=["clinic", "kind", "-run_at", "decision", "patient"],
                name="screens_clinic_recent",
            ),
            # The alerts alone (one range per decision): PostgreSQL reads these few rather than
            # a month of the clinic's screens.
            models.Index(
                fields=["clinic", "decision", "kind", "-run_at"], name="screen_alerts_clinic"
            ),
        ]

    def __str__(self) -> str:
        return f"Screen {self.decision} on {timezone.localtime(self.run_at):%Y-%m-%d %H:%M}"

    @property
    def result(self) -> dict[str, Any]:
        """What the screen said (its ``to_dict()``)."""
        body: dict[str, Any] = self.stored_result.body
        return body
