"""A clinic's licensed item text (NDI, ODI...): load it from the clinic's file (a clinic admin,
audited), read it to show a questionnaire at home, remove it.

The file format is the clinical core's (``clinical.scoring.item_texts``, docs/patient-tasks.md);
the text is the clinic's and is never shipped with NeedleRx. Reading it is not a read of patient
data (it is the clinic's wording of a questionnaire), so nothing is recorded as a view.
"""

from __future__ import annotations

from pathlib import Path

from django.db import transaction
from django.utils import timezone

from needlerx.accounts.models import Clinic, User
from needlerx.accounts.permissions import MANAGE_CLINIC
from needlerx.accounts.selectors import require_permission
from needlerx.audit.services import audit_record
from needlerx.clinical.scoring.item_texts import ItemText, ItemTexts, load_item_texts_file
from needlerx.clinical.scoring.library import get_instrument, instruments
from needlerx.core.errors import ApplicationError, clinical_errors_as_application_errors
from needlerx.instruments.models import LicensedItemText


def instruments_needing_licensed_text() -> list[str]:
    """Instruments whose item text NeedleRx does not ship, with items a patient can answer."""
    return [
        instrument.id
        for instrument in instruments().values()
        if not instrument.licence.item_text_shipped and instrument.items
    ]


@transaction.atomic
def licensed_text_load(*, actor: User, clinic: Clinic, path: str | Path) -> LicensedItemText:
    """Validate the clinic's file with the core and store it (replacing an earlier load of the
    same instrument). The audit names the instrument, the license and the item count, never
    the text itself."""
    role = require_permission(user=actor, clinic=clinic, permission=MANAGE_CLINIC)
    with clinical_errors_as_application_errors():
        texts = load_item_texts_file(Path(path))
    instrument, allowed = texts.instrument, instruments_needing_licensed_text()
    if instrument not in allowed:
        raise ApplicationError(
            f"{instrument} text is shipped with NeedleRx; licensed text can be loaded for: "
            f"{', '.join(allowed)}",
            field="instrument",
        )
    stored, created = LicensedItemText.objects.update_or_create(
        clinic=clinic,
        instrument=instrument,
        defaults={
            "source": texts.source[:500],
            "items": texts.to_dict()["items"],
            "loaded_at": timezone.now(),
            "loaded_by": actor,
        },
    )
    audit_record(
        action="licensed_text.load",
        actor=actor,
        actor_role=role,
        clinic=clinic,
        obj=stored,
        detail={
            "instrument": instrument,
            "source": stored.source,
            "items": len(texts.items),
            "replaced": not created,
        },
    )
    return stored


@transaction.atomic
def licensed_text_remove(*, actor: User, clinic: Clinic, instrument: str) -> None:
    """Remove the clinic's text of ``instrument`` (links already sent can no longer open it)."""
    role = require_permission(user=actor, clinic=clinic, permission=MANAGE_CLINIC)
    stored = LicensedItemText.objects.filter(clinic=clinic, instrument=instrument).first()
    if stored is None:
        loaded = ", ".join(licensed_instruments_of(clinic=clinic)) or "none"
        raise ApplicationError(
            f"no text of {instrument!r} is loaded; loaded: {loaded}", field="instrument"
        )
    audit_record(
        action="licensed_text.remove",
        actor=actor,
        actor_role=role,
        clinic=clinic,
        obj=stored,
        detail={"instrument": instrument, "source": stored.source},
    )
    stored.delete()


def licensed_instruments_of(*, clinic: Clinic) -> list[str]:
    """The instruments whose licensed text the clinic has loaded."""
    return list(
        LicensedItemText.objects.filter(clinic=clinic)
        .order_by("instrument")
        .values_list("instrument", flat=True)
    )


def licensed_text_of(*, clinic: Clinic, instrument: str) -> ItemTexts | None:
    """The clinic's loaded wording of ``instrument``, or None."""
    stored = LicensedItemText.objects.filter(clinic=clinic, instrument=instrument).first()
    if stored is None:
        return None
    get_instrument(instrument)
    items = {
        key: ItemText(
            text=str(value["text"]),
            options={int(score): str(words) for score, words in value.get("options", {}).items()},
        )
        for key, value in stored.items.items()
    }
    return ItemTexts(instrument=instrument, source=stored.source, items=items)
