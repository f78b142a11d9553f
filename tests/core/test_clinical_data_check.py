"""Bad clinical data stops NeedleRx before it serves: a system check loads every data file."""

from __future__ import annotations

import pytest
from django.core.management import call_command
from django.core.management.base import SystemCheckError

from needlerx.clinical.errors import ReferenceDataError
from needlerx.core import checks as clinical_checks
from needlerx.ops.management.commands.serve import Command as ServeCommand


def test_the_clinical_data_shipped_passes_the_check():
    assert clinical_checks.clinical_data_is_valid() == []


def test_a_broken_data_file_fails_the_check_naming_the_file(monkeypatch):
    def broken() -> None:
        raise ReferenceDataError("rules/patient.yaml: duplicate threshold 'second_trimester'")

    monkeypatch.setattr(clinical_checks, "load_every_data_file", broken)
    [error] = clinical_checks.clinical_data_is_valid()
    assert error.id == "needlerx.E001"
    assert "rules/patient.yaml" in error.msg
    with pytest.raises(SystemCheckError, match=r"needlerx\.E001"):
        call_command("check")


def test_serve_runs_the_system_checks_before_serving():
    assert ServeCommand.requires_system_checks == "__all__"
