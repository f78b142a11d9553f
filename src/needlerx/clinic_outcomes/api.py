"""``GET /api/v1/clinics/{clinic_id}/outcomes``: the clinic dashboard's figures as JSON."""

from __future__ import annotations

import uuid
from typing import Any

from django.http import HttpRequest
from ninja import Query, Router, Schema
from pydantic import Field

from needlerx.accounts.http import request_user
from needlerx.clinic_outcomes.responses import ClinicOutcomesOut
from needlerx.clinic_outcomes.selectors import clinic_outcomes_for_user
from needlerx.clinic_outcomes.serializers import clinic_outcomes_out
from needlerx.core.responses import BAD_REQUEST, NOT_FOUND, errors

router = Router(tags=["clinic outcomes"])


class OutcomesQuery(Schema):
    """The filters; each is checked by the selector, which names the field and what it allows."""

    from_: str | None = Field(None, alias="from", description="First day, YYYY-MM-DD (clinic's)")
    to: str | None = Field(None, description="Last day (inclusive), YYYY-MM-DD (clinic's)")
    clinician: str | None = Field(None, description="A clinician's id; empty for everyone")
    region: str | None = Field(None, description="neck or back; empty for both")


@router.get(
    "/clinics/{clinic_id}/outcomes",
    response={200: ClinicOutcomesOut, **errors(BAD_REQUEST, NOT_FOUND)},
    by_alias=True,
)
def clinic_outcomes(
    request: HttpRequest,
    clinic_id: uuid.UUID,
    query: Query[OutcomesQuery],
) -> dict[str, Any]:
    """Episodes, the share beyond the MCID per measure (95 % Wilson interval), follow-up and
    questionnaire completion, and adverse events per 1,000 needling sessions beside the
    published rates. Clinicians and clinic admins only; another clinic answers 404."""
    raw = {
        "from": query.from_,
        "to": query.to,
        "clinician": query.clinician,
        "region": query.region,
    }
    outcomes = clinic_outcomes_for_user(user=request_user(request), clinic_id=clinic_id, raw=raw)
    return clinic_outcomes_out(outcomes)
