"""One deterministic, seeded generator of synthetic clinic data for the demo and the benchmarks.

``load_demo`` creates the demo clinic network and its staff through the services (each audited)
and then bulk-inserts patients with histories, medications and episodes in batches (one audit
event per batch). The same seed and the same day give the same data.
"""

from __future__ import annotations

import datetime as dt
import random
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from functools import cache
from typing import Any

from django.db import connection, transaction
from django.db.models import Model
from django.utils import timezone

from needlerx.accounts import services as account_services
from needlerx.accounts.local import clinic_today
from needlerx.accounts.models import Clinic, ClinicNetwork, DateStyle, MeasurementUnits, User
from needlerx.accounts.services import ClinicDetails
from needlerx.audit.services import audit_record
from needlerx.clinical.reference import fact_catalogue, red_flags, required_answers
from needlerx.demo.appointments import DemoBook, load_appointments
from needlerx.demo.bulk import (
    Ids,
    Prepared,
    insert_prepared,
    new_instance,
    number_objects,
    prepare_objects,
    prepare_values,
    rows_of_numbered,
    shift_ids,
    sqlite_bulk_writes,
    table_statistics_refresh,
)
from needlerx.demo.catalogue import (
    DEMO_CLINICS,
    DEMO_PASSWORD,
    DEMO_STAFF,
    FAMILY_NAMES,
    GIVEN_NAMES,
    GIVEN_NAMES_BY_SEX,
    NETWORK_NAME,
    REFERRAL_SOURCES,
    DemoClinic,
    demo_staff_name,
    demo_username,
)
from needlerx.demo.clinic_context import ClinicContext, clinic_context, clinic_day
from needlerx.demo.consultations import load_consultation_requests
from needlerx.demo.outcomes import (
    outcome_rows_for,
    prepare_first_and_latest_rows,
    prepare_outcome_rows,
)
from needlerx.demo.patient_tasks import DemoLink, load_patient_tasks
from needlerx.demo.situations import SITUATIONS, Situation
from needlerx.demo.treatments import TREATMENT_MODELS, prepare_treatment_rows, treatment_rows_for
from needlerx.demo.workers import fewer_collections, ordered_in_workers, usable_cores
from needlerx.patients.models import Episode, HistoryFact, Medication, Patient

DEFAULT_SEED = 20261126
UNRECORDED_SEX_SHARE = 0.02  # patients whose sex the intake did not record (demo parameter)
BATCH_SIZE = 500  # patients per transaction: memory stays flat at any size (README figures)
Progress = Callable[[int, int], None]
# Processes preparing batches at most (one per core below that): with more, the main process's
# writing (about a third of a batch's work) is what they would wait for, and each holds memory.
MAX_WORKERS = 3


@dataclass
class ClinicStaff:
    demo: DemoClinic
    clinic: Clinic
    users: dict[str, User] = field(default_factory=dict)

    @property
    def clinician(self) -> User:
        return self.users["clinician"]


@dataclass
class PatientBundle:
    patient: Patient
    facts: dict[str, Any]
    medication: dict[str, Any] | None
    episode: Episode


def demo_network_exists() -> bool:
    return ClinicNetwork.objects.filter(name=NETWORK_NAME).exists()


def demo_logins() -> list[tuple[str, str, str]]:
    """(username, role, clinic name) for every fixed demo login."""
    return [
        (demo_username(prefix, clinic), role, clinic.name)
        for clinic in DEMO_CLINICS
        for prefix, role, _, _ in DEMO_STAFF
    ]


@transaction.atomic
def create_demo_network() -> list[ClinicStaff]:
    staff: list[ClinicStaff] = []
    for demo in DEMO_CLINICS:
        clinic = account_services.clinic_create(
            network_name=NETWORK_NAME,
            name=demo.name,
            country=demo.country,
            region=demo.region,
            details=ClinicDetails(
                time_zone=demo.time_zone,
                address_line_1=demo.address_line_1,
                city=demo.city,
                postal_code=demo.postal_code,
                phone=demo.phone,
                date_style=DateStyle.MONTH_FIRST,
                measurement_units=MeasurementUnits.US_CUSTOMARY,
            ),
        )
        row = ClinicStaff(demo, clinic)
        for prefix, role, _, _ in DEMO_STAFF:
            first, last = demo_staff_name(demo, prefix)
            row.users[prefix] = account_services.user_create(
                username=demo_username(prefix, demo),
                password=DEMO_PASSWORD,
                clinic=clinic,
                role=role,
                first_name=first,
                last_name=last,
            )
        _add_demo_credential(row)
        staff.append(row)
    return staff


def _add_demo_credential(row: ClinicStaff) -> None:
    today = clinic_today(row.clinic)
    account_services.credential_add(
        user=row.clinician,
        training_provider="Demo Dry Needling Institute",
        hours=54,
        completed_on=today - dt.timedelta(days=400),
        expires_on=today + dt.timedelta(days=700),
        licence_number=f"PT-{row.demo.region}-{row.demo.slug.upper()[:4]}-0042",
        licence_country=row.demo.country,
        licence_region=row.demo.region,
    )


@cache
def _answers_for(spinal_regions: frozenset[str]) -> dict[str, Any]:
    catalogue = fact_catalogue()
    asked = list(required_answers().always)
    asked += [flag.fact for flag in red_flags() if spinal_regions & set(flag.regions)]
    return {fact: [] if catalogue[fact].kind == "sites" else False for fact in asked}


def evaluation_answers(regions: list[str]) -> dict[str, Any]:
    """A complete evaluation's answers: "no" (sites: none) to every always-required question and
    to the red flags of the episode's regions (facts.yaml ``required``). BMI comes from the
    patient's height and weight."""
    by_region = required_answers().red_flags_by_region
    spinal = frozenset(spinal for region, spinal in by_region.items() if region in regions)
    return dict(_answers_for(spinal))


def _demo_email(given: str, family: str, index: int) -> str:
    """An address at example.com (reserved for examples: nothing is ever delivered)."""
    letters = "".join(
        ch for ch in f"{given}.{family}".lower() if ch.isascii() and (ch.isalnum() or ch == ".")
    )
    return f"{letters}.{index}@example.com"


def _pick_situation(rng: random.Random) -> Situation:
    return rng.choices(SITUATIONS, weights=[s.weight for s in SITUATIONS])[0]


def _uuid(rng: random.Random) -> uuid.UUID:
    return uuid.UUID(int=rng.getrandbits(128), version=4)


def generate_patient(
    rng: random.Random, row: ClinicStaff, index: int, today: dt.date
) -> PatientBundle:
    situation = _pick_situation(rng)
    sex = situation.sex or _recorded_sex(rng)
    age = rng.randint(24, 44) if situation.name == "pregnancy" else rng.randint(19, 84)
    height = Decimal(rng.randint(152, 192) if sex == "male" else rng.randint(148, 180))
    bmi = rng.uniform(16.0, 17.8) if situation.low_bmi else rng.uniform(20.0, 33.0)
    weight = (Decimal(bmi) * (height / 100) ** 2).quantize(Decimal("0.1"))
    patient = new_instance(
        Patient,
        public_id=_uuid(rng),
        clinic=row.clinic,
        medical_record_number=f"{row.demo.slug[:3].upper()}-{index:06d}",
        given_name=rng.choice(GIVEN_NAMES_BY_SEX[sex]),
        family_name=rng.choice(FAMILY_NAMES),
        date_of_birth=today - dt.timedelta(days=age * 365 + rng.randint(0, 364)),
        sex=sex,
        phone=f"555-{rng.randint(100, 999)}-{rng.randint(1000, 9999)}",
        emergency_contact_name=f"{rng.choice(GIVEN_NAMES)} {rng.choice(FAMILY_NAMES)}",
        emergency_contact_phone=f"555-{rng.randint(100, 999)}-{rng.randint(1000, 9999)}",
        height_cm=height,
        weight_kg=weight,
    )
    patient.email = _demo_email(patient.given_name, patient.family_name, index)
    patient.set_search_keys()  # inserted without save(): the search keys are set here
    episode = _generate_episode(rng, today)
    facts = {**evaluation_answers(episode.regions), **situation.facts}
    for fact in situation.unanswered:
        facts.pop(fact, None)
    return PatientBundle(patient, facts, situation.medication, episode)


def _recorded_sex(rng: random.Random) -> str:
    if rng.random() < UNRECORDED_SEX_SHARE:
        return "unknown"
    return rng.choice(("female", "male"))


def _generate_episode(rng: random.Random, today: dt.date) -> Episode:
    neck = rng.random() < 0.5
    regions = ["cervical"] if neck else ["lumbar"]
    if rng.random() < 0.25:
        regions.insert(1 if neck else 0, "thoracic")
    codes = ["M54.2", "M79.12"] if neck else [rng.choice(["M54.50", "M54.59"]), "M62.830"]
    onset = today - dt.timedelta(days=rng.choice((20, 35, 60, 90, 200, 400)))
    opened = min(today, onset + dt.timedelta(days=rng.randint(3, 15)))
    return new_instance(
        Episode,
        public_id=_uuid(rng),
        regions=regions,
        diagnosis_codes=codes,
        onset_date=onset,
        referral_source=rng.choice(REFERRAL_SOURCES),
        opened_on=opened,
    )


def generate_bundles(
    staff: list[ClinicStaff], total: int, seed: int, now: dt.datetime
) -> Iterator[tuple[ClinicStaff, PatientBundle]]:
    """The patients to load (the database is read once, before the first is made)."""
    counts = {row.demo.slug: Patient.objects.filter(clinic=row.clinic).count() for row in staff}
    return _bundles(staff, total, seed, now, counts)


def _bundles(
    staff: list[ClinicStaff], total: int, seed: int, now: dt.datetime, counts: dict[str, int]
) -> Iterator[tuple[ClinicStaff, PatientBundle]]:
    # Adding patients to an existing demo continues from a different stream, so public ids and
    # MRNs never repeat; the same seed on the same database still gives the same data.
    stream = f"{seed}:{sum(counts.values())}"
    rng = random.Random(stream)  # noqa: S311 - synthetic data, reproducible on purpose
    # Each clinic's episodes open by its own calendar: in the evening in the Americas, UTC's date
    # is already the clinic's tomorrow.
    days = {row.clinic.pk: clinic_day(row.clinic, now) for row in staff}
    for number in range(total):
        row = staff[number % len(staff)]
        counts[row.demo.slug] += 1
        yield row, generate_patient(rng, row, counts[row.demo.slug], days[row.clinic.pk])


# Tables the load gives ids to (their highest ids are read once, before any batch is made).
LOADED_MODELS: tuple[type[Model], ...] = (
    Patient,
    Episode,
    HistoryFact,
    Medication,
    *TREATMENT_MODELS,
)


@dataclass
class PreparedBatch:
    """One batch's rows for the database and its audit events, in the order they are written."""

    steps: list[Prepared | tuple[str, dict[str, Any]]]
    patients: int


def prepare_batch(
    batch: list[tuple[ClinicStaff, PatientBundle]],
    now: dt.datetime,
    ids: Ids,
    contexts: dict[int, ClinicContext],
) -> PreparedBatch:
    """The batch's patients, histories, medications, episodes, treatments and outcomes as rows,
    without queries (so it can be made in another process while the last batch is written)."""
    steps: list[Prepared | tuple[str, dict[str, Any]] | None] = []
    steps.append(prepare_objects([bundle.patient for _, bundle in batch], ids))
    facts, medications, episodes = [], [], []
    for row, bundle in batch:
        bundle.episode.patient = bundle.patient
        episodes.append(bundle.episode)
        for fact, value in bundle.facts.items():
            facts.append(
                {
                    "patient_id": bundle.patient.pk,
                    "fact": fact,
                    "value": value,
                    "recorded_at": now,
                    "recorded_by_id": row.clinician.pk,
                }
            )
        if bundle.medication:
            medications.append(
                new_instance(
                    Medication,
                    patient=bundle.patient,
                    recorded_by=row.clinician,
                    started_on=bundle.episode.onset_date,
                    **bundle.medication,
                )
            )
    number_objects(episodes, ids)  # their rows once the outcomes say which were discharged
    episode_step = len(steps)
    steps.append(prepare_values(HistoryFact, facts, ids))
    steps.append(prepare_objects(medications, ids))
    treatments = treatment_rows_for(batch, now, contexts)
    steps += prepare_treatment_rows(treatments, ids)
    steps.append(("demo.bulk_load_treatments", treatments.counts()))
    outcomes = outcome_rows_for(batch, now, treatments)
    steps.insert(episode_step, rows_of_numbered(episodes))
    steps.append(prepare_outcome_rows(outcomes))
    steps.append(prepare_first_and_latest_rows(outcomes))
    steps.append(("demo.bulk_load_outcomes", {"instrument_responses": len(outcomes)}))
    summary = {
        "patients": len(batch),
        "episodes": len(episodes),
        "history_facts": len(facts),
        "medications": len(medications),
        "first_mrn": batch[0][1].patient.medical_record_number,
        "last_mrn": batch[-1][1].patient.medical_record_number,
    }
    steps.append(("demo.bulk_load", summary))
    return PreparedBatch([step for step in steps if step is not None], len(batch))


@transaction.atomic
def _write_batch(prepared: PreparedBatch) -> None:
    """One batch in one transaction: its rows, and one audit event per kind of record."""
    for step in prepared.steps:
        if isinstance(step, Prepared):
            insert_prepared(step)
        else:
            audit_record(action=step[0], detail=step[1])


@dataclass(frozen=True)
class LoadShared:
    """What every batch of a load reads, put in place before the workers are forked."""

    staff: list[ClinicStaff]
    contexts: dict[int, ClinicContext]
    now: dt.datetime


_SHARED: list[LoadShared] = []  # the load under way (read by the workers it forks)
StaffBundles = list[tuple[int, PatientBundle]]  # (position in the staff list, patient)
LocalBatch = tuple[PreparedBatch, dict[type[Model], int]]


def _prepare_from_zero(batch: StaffBundles) -> LocalBatch:
    """The batch prepared with ids counted from 1 in each table (in a worker process), and how
    many ids of each table it took."""
    shared = _SHARED[-1]
    ids = Ids.from_zero(LOADED_MODELS)
    rows = [(shared.staff[position], bundle) for position, bundle in batch]
    # A worker shares the main process's database connection: it must never use it.
    with connection.execute_wrapper(_no_queries):
        return prepare_batch(rows, shared.now, ids, shared.contexts), ids.highest


def _no_queries(*args: Any) -> None:
    raise RuntimeError("a demo batch is prepared without queries")


def _placed(local: LocalBatch, ids: Ids) -> PreparedBatch:
    """A batch prepared from zero with its ids moved past the batches before it."""
    prepared, taken = local
    offsets = {model: ids.take(model, count) - 1 for model, count in taken.items()}
    steps = [
        shift_ids(step, offsets) if isinstance(step, Prepared) else step for step in prepared.steps
    ]
    return PreparedBatch(steps, prepared.patients)


def _prepared_batches(
    staff: list[ClinicStaff],
    total: int,
    seed: int,
    now: dt.datetime,
    workers: int,
) -> Iterator[PreparedBatch]:
    """Every batch of the load, prepared in ``workers`` processes (here when fewer than two)
    while the batches before it are written; reads the database only before the first is
    made. Ids are given in the order the batches are drawn, so the rows are the same whatever
    the number of workers."""
    ids = Ids(LOADED_MODELS)
    contexts = {
        row.clinic.pk: clinic_context(row.clinic, row.clinician, clinic_day(row.clinic, now))
        for row in staff
    }
    position = {id(row): number for number, row in enumerate(staff)}
    bundles = generate_bundles(staff, total, seed, now)
    batches = (
        [(position[id(row)], bundle) for row, bundle in batch] for batch in _batched(bundles)
    )
    _SHARED.append(LoadShared(staff, contexts, now))
    try:
        for local in ordered_in_workers(batches, _prepare_from_zero, workers):
            yield _placed(local, ids)
    finally:
        _SHARED.pop()


def _batched(
    bundles: Iterator[tuple[ClinicStaff, PatientBundle]],
) -> Iterator[list[tuple[ClinicStaff, PatientBundle]]]:
    batch: list[tuple[ClinicStaff, PatientBundle]] = []
    for item in bundles:
        batch.append(item)
        if len(batch) == BATCH_SIZE:
            yield batch
            batch = []
    if batch:
        yield batch


def load_patients(
    staff: list[ClinicStaff],
    total: int,
    *,
    seed: int = DEFAULT_SEED,
    progress: Progress | None = None,
    patient_links: list[DemoLink] | None = None,
    workers: int | None = None,
) -> int:
    """Insert ``total`` patients with their histories in batches of BATCH_SIZE, prepared in
    ``workers`` processes (default: one per core up to MAX_WORKERS, none for a single batch);
    ``patient_links`` (if given) receives the demo patient links still open, to print (their
    tokens exist only now)."""
    now = timezone.now()
    if workers is None:
        workers = min(usable_cores(), MAX_WORKERS) if total > BATCH_SIZE else 1
    batches = _prepared_batches(staff, total, seed, now, workers)
    done = 0
    with sqlite_bulk_writes(), fewer_collections():
        for prepared in batches:
            _write_batch(prepared)
            done += prepared.patients
            if progress:
                progress(done, total)
    load_appointments(
        [DemoBook(row.clinic, row.clinician, row.users["frontdesk"]) for row in staff], seed=seed
    )
    load_consultation_requests([row.clinic for row in staff], seed=seed)
    links = load_patient_tasks([(row.clinic, row.clinician) for row in staff], seed=seed, now=now)
    if patient_links is not None:
        patient_links.extend(links)
    table_statistics_refresh()
    return done


def demo_staff() -> list[ClinicStaff]:
    """The existing demo network, to add patients to it."""
    staff = []
    for demo in DEMO_CLINICS:
        clinic = Clinic.objects.get(network__name=NETWORK_NAME, name=demo.name)
        row = ClinicStaff(demo, clinic)
        for prefix, _, _, _ in DEMO_STAFF:
            row.users[prefix] = User.objects.get(username=demo_username(prefix, demo))
        staff.append(row)
    return staff
