"""A treatment session note (SOAP) with its needling entries, needle-count alerts and addenda.

A draft carries ``version``: every change bumps it and a save with a stale version is refused.
Once ``signed_at`` is set the note and its parts are locked (see ``locking``).
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models

from needlerx.accounts.models import Clinic
from needlerx.core.models import PublicModel
from needlerx.patients.models import Episode, Patient
from needlerx.screening.models import ScreeningRun
from needlerx.treatments.models.locking import SignedNoteLocked, refuse_if_signed


class TreatmentSessionQuerySet(models.QuerySet["TreatmentSession"]):
    def update(self, **kwargs: Any) -> int:
        refuse_if_signed(self, "signed_at")
        return super().update(**kwargs)

    def delete(self) -> tuple[int, dict[str, int]]:
        refuse_if_signed(self, "signed_at")
        return super().delete()


class NeedlingEntryQuerySet(models.QuerySet["NeedlingEntry"]):
    def update(self, **kwargs: Any) -> int:
        refuse_if_signed(self, "session__signed_at")
        return super().update(**kwargs)

    def delete(self) -> tuple[int, dict[str, int]]:
        refuse_if_signed(self, "session__signed_at")
        return super().delete()


class SafetyAlertQuerySet(models.QuerySet["SafetyAlert"]):
    def update(self, **kwargs: Any) -> int:
        refuse_if_signed(self, "session__signed_at")
        return super().update(**kwargs)

    def delete(self) -> tuple[int, dict[str, int]]:
        refuse_if_signed(self, "session__signed_at")
        return super().delete()


class ChangeSinceLast(models.TextChoices):
    BETTER = "better", "Better"
    SAME = "same", "About the same"
    WORSE = "worse", "Worse"


class NoteType(models.TextChoices):
    """What kind of visit the note documents; evaluations carry the fields a PT evaluation needs."""

    TREATMENT = "treatment", "Follow-up treatment"
    INITIAL_EVALUATION = "initial_evaluation", "Initial evaluation"
    RE_EVALUATION = "re_evaluation", "Re-evaluation"
    DISCHARGE = "discharge", "Discharge"


# The evaluation fields of a note (TreatmentSession), in the order a PT evaluation reads them.
EVALUATION_FIELDS = (
    "history",
    "systems_review",
    "tests_and_measures",
    "goals",
    "discharge_reason",
    "discharge_status",
)


class TreatmentSession(PublicModel):
    episode = models.ForeignKey(
        Episode,
        on_delete=models.PROTECT,
        related_name="sessions",
        db_index=False,  # the (episode, started_at) index below serves it
    )
    patient = models.ForeignKey(Patient, on_delete=models.PROTECT, related_name="sessions")
    clinic = models.ForeignKey(
        Clinic,
        on_delete=models.PROTECT,
        related_name="sessions",
        db_index=False,  # the (clinic, started_at) index below serves it
    )
    clinician = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    started_at = models.DateTimeField()
    version = models.PositiveIntegerField(default=1)
    updated_at = models.DateTimeField(auto_now=True)
    note_type = models.CharField(
        max_length=20, choices=NoteType.choices, default=NoteType.TREATMENT
    )
    # Carried forward from the episode's last signed note, for the clinician to confirm or change
    carried_forward = models.JSONField(
        null=True, blank=True, help_text="{from_session, from_started_at, plan, entries}"
    )
    carried_forward_confirmed = models.JSONField(
        null=True, blank=True, help_text="{from_session, at, by, entries, changed}: confirmed"
    )
    # Evaluation (initial evaluation, re-evaluation, discharge)
    history = models.TextField(blank=True)
    systems_review = models.TextField(blank=True)
    tests_and_measures = models.TextField(blank=True)
    goals = models.TextField(blank=True)
    discharge_reason = models.TextField(blank=True)
    discharge_status = models.TextField(blank=True)
    # Subjective
    pain_now = models.PositiveSmallIntegerField(null=True, blank=True)
    change_since_last = models.CharField(max_length=6, choices=ChangeSinceLast.choices, blank=True)
    soreness_since_last = models.PositiveSmallIntegerField(null=True, blank=True)
    last_session_follow_up = models.TextField(blank=True)
    subjective_notes = models.TextField(blank=True)
    # Pre-needling safety re-check: when and by whom at this session, and the stored screening
    # run it read (its exact input and output, stored once and shared by every note that ran the
    # same screen; read below as ``safety_facts``, ``safety_result`` ...)
    safety_checked_at = models.DateTimeField(null=True, blank=True)
    safety_checked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    safety_screen = models.ForeignKey(
        ScreeningRun,
        on_delete=models.PROTECT,
        related_name="sessions",
        null=True,
        blank=True,
        help_text="The stored screening run this session was needled under",
    )
    safety_rationale = models.TextField(
        blank=True, help_text="Notes signed before per-finding rationales: one text for all"
    )
    finding_rationales = models.JSONField(
        default=dict,
        blank=True,
        help_text="rule_id -> {rationale, facts, by, at, carried_from}: one per finding",
    )
    safety_changes = models.JSONField(
        null=True, blank=True, help_text="What changed since the last signed re-check"
    )
    # Objective and needle count
    objective_notes = models.TextField(blank=True)
    needles_used = models.PositiveSmallIntegerField(null=True, blank=True)
    needles_removed = models.PositiveSmallIntegerField(null=True, blank=True)
    needle_count_entries = models.JSONField(
        null=True, blank=True, help_text="Public ids of the entries the needle count covered"
    )
    # Immediate response
    pain_before = models.PositiveSmallIntegerField(null=True, blank=True)
    pain_after = models.PositiveSmallIntegerField(null=True, blank=True)
    rom_motion = models.CharField(max_length=40, blank=True)
    rom_before = models.DecimalField(max_digits=5, decimal_places=1, null=True, blank=True)
    rom_after = models.DecimalField(max_digits=5, decimal_places=1, null=True, blank=True)
    # Other interventions, aftercare, assessment and plan
    other_interventions = models.JSONField(default=list)
    aftercare_given = models.JSONField(default=list)
    assessment = models.TextField(blank=True)
    plan_notes = models.TextField(blank=True)
    # Signature
    signed_at = models.DateTimeField(null=True, blank=True)
    signed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    signed_content_hash = models.CharField(max_length=64, blank=True)
    sealed_snapshot = models.JSONField(
        null=True, blank=True, help_text="What the note showed at signing; hashed into the seal"
    )

    objects = TreatmentSessionQuerySet.as_manager()

    class Meta:
        ordering = ["-started_at", "-id"]
        indexes = [
            models.Index(fields=["clinic", "-started_at"]),
            models.Index(fields=["episode", "-started_at"]),
            # A clinic's drafts, oldest first, for the clinic home: a partial index holds only
            # the drafts, in order. With (clinic, signed_at, started_at) PostgreSQL could not
            # read "signed_at IS NULL" as one value of the order, and at 50,000 patients some
            # statistics samples made it walk the clinic's sessions from the oldest instead,
            # 115,000 of them for 20 drafts (150 ms).
            models.Index(
                fields=["clinic", "started_at"],
                condition=models.Q(signed_at__isnull=True),
                name="sessions_drafts_clinic",
            ),
        ]

    def __str__(self) -> str:
        return f"Session {self.started_at:%Y-%m-%d %H:%M}"

    @property
    def is_signed(self) -> bool:
        return self.signed_at is not None

    # The re-check's screen, read through the stored run (None or "" before a re-check), under
    # the names the note, the API and the seal have always used.
    @property
    def safety_facts(self) -> dict[str, Any] | None:
        return self.safety_screen.facts if self.safety_screen else None

    @property
    def safety_plan(self) -> list[dict[str, Any]] | None:
        return self.safety_screen.plan if self.safety_screen else None

    @property
    def safety_practitioner(self) -> dict[str, Any] | None:
        return self.safety_screen.practitioner if self.safety_screen else None

    @property
    def safety_result(self) -> dict[str, Any] | None:
        return self.safety_screen.result if self.safety_screen else None

    @property
    def safety_decision(self) -> str:
        return self.safety_screen.decision if self.safety_screen else ""

    @property
    def safety_ruleset_version(self) -> str:
        return self.safety_screen.ruleset_version if self.safety_screen else ""

    def save(self, *args: Any, **kwargs: Any) -> None:
        if (
            self.pk is not None
            and type(self)._base_manager.filter(pk=self.pk, signed_at__isnull=False).exists()
        ):
            raise SignedNoteLocked()
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        if type(self)._base_manager.filter(pk=self.pk, signed_at__isnull=False).exists():
            raise SignedNoteLocked()
        return super().delete(*args, **kwargs)


class SessionPart(PublicModel):
    """A part of a session note: locked with the note once it is signed."""

    session = models.ForeignKey(TreatmentSession, on_delete=models.PROTECT)

    class Meta:
        abstract = True

    def _session_signed(self) -> bool:
        return TreatmentSession._base_manager.filter(
            pk=self.session_id, signed_at__isnull=False
        ).exists()

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self._session_signed():
            raise SignedNoteLocked()
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        if self._session_signed():
            raise SignedNoteLocked()
        return super().delete(*args, **kwargs)


class NeedlingEntry(SessionPart):
    session = models.ForeignKey(
        TreatmentSession,
        on_delete=models.PROTECT,
        related_name="needling_entries",
        db_index=False,  # the (session, muscle) index below serves it
    )
    muscle = models.CharField(max_length=64, help_text="Muscle id from the catalogue")
    side = models.CharField(max_length=10)
    technique = models.CharField(max_length=12)
    needle_gauge_mm = models.DecimalField(max_digits=4, decimal_places=2)
    needle_length_mm = models.DecimalField(max_digits=5, decimal_places=1)
    max_depth_mm = models.DecimalField(max_digits=5, decimal_places=1)
    insertions = models.PositiveSmallIntegerField()
    needles = models.PositiveSmallIntegerField(
        null=True, blank=True, help_text="Needles used for this entry (unknown on older notes)"
    )
    paired_with = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text="Electrical technique: the entry holding the other electrode of the circuit",
    )
    local_twitch_responses = models.PositiveSmallIntegerField(default=0)
    duration_seconds = models.PositiveIntegerField(null=True, blank=True)
    electrical = models.JSONField(null=True, blank=True)
    depth_warning = models.JSONField(null=True, blank=True)
    depth_warning_acknowledged = models.BooleanField(default=False)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    objects = NeedlingEntryQuerySet.as_manager()

    class Meta:
        ordering = ["id"]
        indexes = [models.Index(fields=["session", "muscle"])]


class SafetyAlertKind(models.TextChoices):
    NEEDLE_COUNT_MISMATCH = "needle_count_mismatch", "Needle count mismatch"


class SafetyAlertResolution(models.TextChoices):
    FOUND_AND_DISPOSED = "found_and_disposed", "Needle found and disposed of"
    ESCALATED = "escalated", "Escalated"


class SafetyAlert(SessionPart):
    session = models.ForeignKey(
        TreatmentSession, on_delete=models.PROTECT, related_name="safety_alerts"
    )
    kind = models.CharField(max_length=32, choices=SafetyAlertKind.choices)
    detail = models.JSONField(default=dict)
    raised_at = models.DateTimeField()
    raised_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    resolution = models.CharField(max_length=20, choices=SafetyAlertResolution.choices, blank=True)
    resolution_note = models.TextField(blank=True)
    resolved_at = models.DateTimeField(null=True, blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )

    objects = SafetyAlertQuerySet.as_manager()

    class Meta:
        ordering = ["raised_at", "id"]
        indexes = [
            # The open alerts the clinic home lists: few among many resolved ones.
            models.Index(
                fields=["raised_at"],
                condition=models.Q(resolved_at__isnull=True),
                name="treatments_open_alert_idx",
            )
        ]

    @property
    def is_open(self) -> bool:
        return self.resolved_at is None


class Addendum(PublicModel):
    """A correction or addition to a signed note: append-only, with its author and time."""

    session = models.ForeignKey(TreatmentSession, on_delete=models.PROTECT, related_name="addenda")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    text = models.TextField()

    class Meta:
        ordering = ["created_at", "id"]

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None:
            raise SignedNoteLocked("An addendum cannot be changed; write another addendum.")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise SignedNoteLocked("An addendum cannot be deleted; write another addendum.")
