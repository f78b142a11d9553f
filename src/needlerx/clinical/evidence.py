"""How every clinical fact names where it comes from."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict

Confidence = Literal["confirmed", "secondary", "unconfirmed"]


class Source(BaseModel):
    """A citation a clinician can follow.

    ``confidence`` carries the marks of ``reference/``: ``confirmed`` (read in the primary
    source), ``secondary`` (read only in a secondary source), ``unconfirmed`` (not confirmed; the
    product shows it as such and asks for clinical judgement).
    """

    model_config = ConfigDict(extra="forbid", frozen=True)

    citation: str
    url: str | None = None
    confidence: Confidence = "confirmed"

    def label(self) -> str:
        suffix = "" if self.confidence == "confirmed" else f" ({self.confidence})"
        return f"{self.citation}{suffix}"
