"""Load and cross-check every clinical data file, so bad data stops the product before it runs.

Called by the Django system check ``needlerx.E001`` (``needlerx check``, ``needlerx serve``) and
by the tests. Raises :class:`~needlerx.clinical.errors.ReferenceDataError` naming the file.
"""

from __future__ import annotations

from needlerx.clinical import check_in, episodes, patient_header, self_check, treatment_reference
from needlerx.clinical.reference import load_all
from needlerx.clinical.scoring import library


def load_every_data_file() -> None:
    """The screen's data, instruments, consent, exercises, aftercare, billing, episodes and
    the bounds of recorded dates, the patient header's alerts and the public self-check."""
    load_all()
    library.instruments()
    library.mme_table()
    library.adverse_event_rates()
    episodes.episode_reference()
    treatment_reference.consent_templates()
    treatment_reference.exercise_library()
    treatment_reference.adverse_event_reference()
    treatment_reference.billing_reference()
    treatment_reference.aftercare_reference()
    treatment_reference.needling_record_reference()
    treatment_reference.record_dates_reference()
    patient_header.patient_header_reference()
    self_check.self_check_reference()
    check_in.check_in_reference()
