"""System checks: NeedleRx refuses to start on clinical data it cannot trust."""

from __future__ import annotations

from typing import Any

from django.core import checks

from needlerx.clinical.data_check import load_every_data_file
from needlerx.clinical.errors import ReferenceDataError


@checks.register("needlerx")
def clinical_data_is_valid(app_configs: Any = None, **kwargs: Any) -> list[checks.CheckMessage]:
    """Every clinical data file loads and passes its cross-checks (needlerx.E001 otherwise)."""
    try:
        load_every_data_file()
    except ReferenceDataError as error:
        return [
            checks.Error(
                f"Clinical data is invalid: {error}",
                hint="Fix the data file named above; NeedleRx will not serve until it loads.",
                id="needlerx.E001",
            )
        ]
    return []
