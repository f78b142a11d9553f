from __future__ import annotations

from django.apps import AppConfig


class PatientAccountsConfig(AppConfig):
    name = "needlerx.patient_accounts"
    label = "patient_accounts"
    verbose_name = "Patient accounts: a patient's own sign-in, from the clinic's invitation"
