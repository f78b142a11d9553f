"""A patient, what we know of their history, and each episode of neck or back care."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.db import models

from needlerx.accounts.models import Clinic
from needlerx.clinical import episodes
from needlerx.core.models import PublicModel
from needlerx.patients.search import SEARCH_KEY_LENGTH, patient_search_keys


class Sex(models.TextChoices):
    FEMALE = "female", "Female"
    MALE = "male", "Male"
    INTERSEX = "intersex", "Intersex"
    UNKNOWN = "unknown", "Not recorded"


NAME_FIELDS = frozenset({"given_name", "family_name"})
SEARCH_KEY_FIELDS = frozenset({"search_family_given", "search_given_family"})


class PatientQuerySet(models.QuerySet["Patient"]):
    def bulk_create(self, objs: Iterable[Patient], *args: Any, **kwargs: Any) -> list[Patient]:
        """Bulk inserts (the demo) carry the search keys too."""
        patients = list(objs)
        for patient in patients:
            patient.set_search_keys()
        return super().bulk_create(patients, *args, **kwargs)


def full_name_of(given_name: str, family_name: str) -> str:
    """A patient's name as every page shows it: given name, then family name."""
    return f"{given_name} {family_name}"


class Patient(PublicModel):
    """A patient of one clinic.

    ``search_family_given`` and ``search_given_family`` are the names folded for search
    (``patients.search``); they are derived, never typed, and kept in step with the names on
    every save and bulk insert.
    """

    clinic = models.ForeignKey(
        Clinic,
        on_delete=models.PROTECT,
        related_name="patients",
        db_index=False,  # the (clinic, family_name, given_name, id) index below serves it
    )
    medical_record_number = models.CharField(max_length=32)
    given_name = models.CharField(max_length=100)
    family_name = models.CharField(max_length=100)
    date_of_birth = models.DateField()
    sex = models.CharField(max_length=10, choices=Sex.choices, default=Sex.UNKNOWN)
    phone = models.CharField(max_length=32, blank=True)
    email = models.EmailField(blank=True)
    address = models.CharField(max_length=300, blank=True)
    emergency_contact_name = models.CharField(max_length=200, blank=True)
    emergency_contact_phone = models.CharField(max_length=32, blank=True)
    height_cm = models.DecimalField(max_digits=5, decimal_places=1, null=True, blank=True)
    weight_kg = models.DecimalField(max_digits=5, decimal_places=1, null=True, blank=True)
    search_family_given = models.CharField(max_length=SEARCH_KEY_LENGTH, editable=False, default="")
    search_given_family = models.CharField(max_length=SEARCH_KEY_LENGTH, editable=False, default="")

    objects = PatientQuerySet.as_manager()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["clinic", "medical_record_number"], name="mrn_unique_in_clinic"
            )
        ]
        indexes = [
            # With the id, a page's ids are read from this index alone (``patients.paging``).
            models.Index(
                fields=["clinic", "family_name", "given_name", "id"], name="patient_list_order"
            ),
            models.Index(fields=["clinic", "date_of_birth"]),
            # The operator classes matter on PostgreSQL only (ignored elsewhere): a LIKE prefix
            # can use a varchar_pattern_ops index whatever the database's collation.
            models.Index(
                fields=["clinic", "search_family_given"],
                name="patient_search_family_given",
                opclasses=["int8_ops", "varchar_pattern_ops"],
            ),
            models.Index(
                fields=["clinic", "search_given_family"],
                name="patient_search_given_family",
                opclasses=["int8_ops", "varchar_pattern_ops"],
            ),
        ]
        ordering = ["family_name", "given_name"]

    def __str__(self) -> str:
        return f"{self.family_name}, {self.given_name} ({self.medical_record_number})"

    @property
    def full_name(self) -> str:
        return full_name_of(self.given_name, self.family_name)

    def set_search_keys(self) -> None:
        keys = patient_search_keys(given_name=self.given_name, family_name=self.family_name)
        for field, key in keys.items():
            setattr(self, field, key)

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.set_search_keys()
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and NAME_FIELDS & set(update_fields):
            kwargs["update_fields"] = {*update_fields, *SEARCH_KEY_FIELDS}
        super().save(*args, **kwargs)

    def age_on(self, day: dt.date) -> int:
        born = self.date_of_birth
        return day.year - born.year - ((day.month, day.day) < (born.month, born.day))


class ClinicPatientCount(models.Model):
    """How many patients each clinic has, kept by the database itself: triggers on the patients
    table add one for each patient inserted, whatever inserts it (the registration service, a
    bulk insert, the demo load's COPY), and take one off for each deleted (migration
    ``patients.0006``). Nothing else writes it.

    The clinic home's tile and the patient list's total read one row per clinic instead of
    counting every patient, which took about 0.7 ms on SQLite and 2 ms on PostgreSQL for the
    16,667 patients of a clinic of the 50,000-patient demo, and grew with the clinic.
    """

    clinic = models.OneToOneField(
        Clinic, on_delete=models.CASCADE, primary_key=True, related_name="+"
    )
    patients = models.PositiveIntegerField(default=0)

    def __str__(self) -> str:
        return f"{self.patients} patients in clinic {self.clinic_id}"


class HistoryFact(PublicModel):
    """One screening fact (an id of clinical/data/facts.yaml) as recorded at a time by a person.

    Facts are never edited: a new row supersedes the older one, so the history of what was known
    when a screen ran stays visible.
    """

    patient = models.ForeignKey(
        Patient,
        on_delete=models.CASCADE,
        related_name="history_facts",
        db_index=False,  # the (patient, fact, recorded_at) index below serves it
    )
    fact = models.CharField(max_length=64)
    value = models.JSONField(null=True, help_text="The answer; null clears an earlier answer.")
    recorded_at = models.DateTimeField()
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        indexes = [models.Index(fields=["patient", "fact", "-recorded_at"])]
        ordering = ["fact", "-recorded_at"]


class MedicationClass(models.TextChoices):
    ANTICOAGULANT = "anticoagulant", "Anticoagulant"
    ANTIPLATELET = "antiplatelet", "Antiplatelet"
    OPIOID = "opioid", "Opioid"
    NSAID = "nsaid", "NSAID"
    OTHER_ANALGESIC = "other_analgesic", "Other analgesic"
    OTHER = "other", "Other"


class Medication(PublicModel):
    patient = models.ForeignKey(Patient, on_delete=models.CASCADE, related_name="medications")
    name = models.CharField(max_length=120)
    drug_class = models.CharField(max_length=20, choices=MedicationClass.choices)
    opioid = models.CharField(
        max_length=40,
        blank=True,
        help_text="For opioids: the drug id used for morphine equivalents, e.g. oxycodone",
    )
    dose = models.DecimalField(max_digits=8, decimal_places=2, null=True, blank=True)
    dose_unit = models.CharField(max_length=10, blank=True)
    doses_per_day = models.DecimalField(max_digits=4, decimal_places=1, null=True, blank=True)
    started_on = models.DateField(null=True, blank=True)
    stopped_on = models.DateField(null=True, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["-started_on", "name"]

    def is_active_on(self, day: dt.date) -> bool:
        started = self.started_on is None or self.started_on <= day
        return started and (self.stopped_on is None or self.stopped_on >= day)


class EpisodeStatus(models.TextChoices):
    OPEN = "open", "Open"
    DISCHARGED = "discharged", "Discharged"


class Episode(PublicModel):
    """An episode of care for neck and/or back pain."""

    patient = models.ForeignKey(
        Patient,
        on_delete=models.CASCADE,
        related_name="episodes",
        db_index=False,  # the (patient, status) index below serves it
    )
    regions = models.JSONField(help_text="One or more of cervical, thoracic, lumbar")
    diagnosis_codes = models.JSONField(default=list, help_text="ICD-10-CM codes")
    onset_date = models.DateField()
    status = models.CharField(
        max_length=12, choices=EpisodeStatus.choices, default=EpisodeStatus.OPEN
    )
    referral_source = models.CharField(max_length=200, blank=True)
    opened_on = models.DateField()
    discharged_on = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["-opened_on"]
        indexes = [models.Index(fields=["patient", "status"])]

    def acuity_on(self, day: dt.date) -> str:
        return episodes.acuity(onset=self.onset_date, on=day)

    def summary(self) -> dict[str, Any]:
        return {"regions": self.regions, "diagnosis_codes": self.diagnosis_codes}
