"""The one input model of each consultation-request write by staff: the API body, the CLI's
arguments. (The public request comes only through the web form: it is rate-limited per address.)"""

from __future__ import annotations

from typing import Annotated

from ninja import Schema
from pydantic import ConfigDict

from needlerx.consultations.models import RequestStatus
from needlerx.core.inputs import OneOf

StatusId = Annotated[str, OneOf(lambda: RequestStatus.values, "status")]


class In(Schema):
    model_config = ConfigDict(extra="forbid")


class ConsultationStatusIn(In):
    status: StatusId


__all__ = ["ConsultationStatusIn"]
