"""How every clinical fact names where it comes from."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict

Confidence = Literal["confirmed", "secondary", "unconfirmed"]


class Source(BaseModel):
    """A citation a clinician can follow.

    ``confidence``: ``confirmed`` (read in the primary source), ``secondary`` (read only in a
    secondary source), ``unconfirmed`` (no primary source confirms it; clinician pages say it
    needs clinical sign-off, patient-facing text never shows it).
    """

    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)

    citation: str
    url: str | None = None
    confidence: Confidence = "confirmed"

    def label(self) -> str:
        """The citation alone; pages show ``confidence`` beside it in their own words."""
        return self.citation

    def label_for_clinicians(self) -> str:
        """The citation with its confidence in plain words, for text that stands alone."""
        notes = {"secondary": " (secondary source)", "unconfirmed": " (needs clinical sign-off)"}
        return f"{self.citation}{notes.get(self.confidence, '')}"
