"""Plan of care: goals against a measure, frequency, interventions and a home exercise programme."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from needlerx.core.models import PublicModel
from needlerx.patients.models import Episode


class Intervention(models.TextChoices):
    DRY_NEEDLING = "dry_needling", "Dry needling"
    THERAPEUTIC_EXERCISE = "therapeutic_exercise", "Therapeutic exercise"
    MANUAL_THERAPY = "manual_therapy", "Manual therapy"
    EDUCATION = "education", "Education"
    HEAT = "heat", "Heat"
    COLD = "cold", "Cold"
    ELECTROTHERAPY = "electrotherapy", "Electrotherapy (TENS and similar)"
    TRACTION = "traction", "Traction"
    TAPING = "taping", "Taping"
    OTHER_MODALITY = "other_modality", "Other modality"


class CarePlan(PublicModel):
    episode = models.ForeignKey(Episode, on_delete=models.PROTECT, related_name="care_plans")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    frequency_per_week = models.PositiveSmallIntegerField()
    duration_weeks = models.PositiveSmallIntegerField()
    interventions = models.JSONField(help_text="Intervention ids")
    re_evaluation_on = models.DateField()
    notes = models.TextField(blank=True)
    version = models.PositiveIntegerField(default=1)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"Plan of care, {self.frequency_per_week}x/week for {self.duration_weeks} weeks"


class CarePlanGoal(PublicModel):
    plan = models.ForeignKey(CarePlan, on_delete=models.CASCADE, related_name="goals")
    description = models.CharField(max_length=300)
    measure = models.CharField(
        max_length=32, help_text="Instrument id (one of clinical/data/instruments)"
    )
    measure_detail = models.CharField(
        max_length=64, blank=True, help_text="ROM motion, PSFS activity, or muscle for PPT"
    )
    baseline = models.DecimalField(max_digits=7, decimal_places=2, null=True, blank=True)
    target = models.DecimalField(max_digits=7, decimal_places=2)
    target_by = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["id"]


class HomeExercise(PublicModel):
    """One exercise from the library in a patient's programme, with the dosage prescribed."""

    plan = models.ForeignKey(
        CarePlan,
        on_delete=models.CASCADE,
        related_name="exercises",
        db_index=False,  # the (plan, exercise_id) unique index below serves it
    )
    exercise_id = models.CharField(max_length=64)
    sets = models.PositiveSmallIntegerField()
    reps = models.PositiveSmallIntegerField(null=True, blank=True)
    hold_seconds = models.PositiveSmallIntegerField(null=True, blank=True)
    duration_minutes = models.PositiveSmallIntegerField(null=True, blank=True)
    times_per_day = models.PositiveSmallIntegerField()
    days_per_week = models.PositiveSmallIntegerField()
    notes = models.CharField(max_length=300, blank=True)
    flagged_tags = models.JSONField(default=list, help_text="Contraindication tags that applied")
    contraindication_rationale = models.TextField(blank=True)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "id"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "exercise_id"], name="exercise_once_per_plan")
        ]
