"""Practitioner eligibility: a current dry-needling credential, a jurisdiction that permits dry
needling by physical therapists, and the training hours it requires (jurisdictions.yaml)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from needlerx.clinical.errors import ClinicalInputError
from needlerx.clinical.evidence import Source
from needlerx.clinical.reference import Jurisdiction, jurisdictions
from needlerx.clinical.reference.schemas import EligibilityFinding
from needlerx.clinical.screening.findings import Finding
from needlerx.clinical.screening.inputs import (
    one_of,
    parse_date,
    require_keys,
    require_mapping,
)

PRACTITIONER_FIELDS = ("credential", "jurisdiction", "as_of")
CREDENTIAL_FIELDS = ("hours", "completed_on", "expires_on")
JURISDICTION_FIELDS = ("country", "region")


@dataclass(frozen=True)
class Credential:
    hours: float
    completed_on: dt.date
    expires_on: dt.date | None


@dataclass(frozen=True)
class PractitionerContext:
    credential: Credential | None
    country: str | None
    region: str | None
    as_of: dt.date

    @property
    def jurisdiction_label(self) -> str:
        return f"{self.country}-{self.region}"


def parse_practitioner(raw: Any) -> PractitionerContext | None:
    """``{"credential": {...} | null, "jurisdiction": {...} | null, "as_of": "YYYY-MM-DD"}``.

    Without ``as_of`` the credential is checked against today's date (UTC).
    """
    if raw is None:
        return None
    data = require_mapping(raw, "practitioner")
    require_keys(data, "practitioner", PRACTITIONER_FIELDS)
    as_of_raw = data.get("as_of")
    as_of = (
        dt.datetime.now(tz=dt.UTC).date()
        if as_of_raw is None
        else parse_date(as_of_raw, "practitioner.as_of")
    )
    country, region = _parse_jurisdiction(data.get("jurisdiction"))
    credential = _parse_credential(data.get("credential"))
    return PractitionerContext(credential=credential, country=country, region=region, as_of=as_of)


def _parse_credential(raw: Any) -> Credential | None:
    if raw is None:
        return None
    field = "practitioner.credential"
    data = require_mapping(raw, field)
    require_keys(data, field, CREDENTIAL_FIELDS)
    hours = data.get("hours")
    if isinstance(hours, bool) or not isinstance(hours, int | float) or hours < 0:
        raise ClinicalInputError(
            f"{field}.hours", f"must be a number of hours, 0 or more (got {hours!r})"
        )
    if data.get("completed_on") is None:
        raise ClinicalInputError(f"{field}.completed_on", "is required (YYYY-MM-DD)")
    completed_on = parse_date(data["completed_on"], f"{field}.completed_on")
    expires_raw = data.get("expires_on")
    expires_on = None if expires_raw is None else parse_date(expires_raw, f"{field}.expires_on")
    return Credential(hours=float(hours), completed_on=completed_on, expires_on=expires_on)


def _parse_jurisdiction(raw: Any) -> tuple[str | None, str | None]:
    if raw is None:
        return None, None
    field = "practitioner.jurisdiction"
    data = require_mapping(raw, field)
    require_keys(data, field, JURISDICTION_FIELDS)
    values: list[str] = []
    for key in JURISDICTION_FIELDS:
        value = data.get(key)
        if not isinstance(value, str) or not value.strip():
            message = f"is required, for example {one_of(['US'] if key == 'country' else ['CO'])}"
            raise ClinicalInputError(f"{field}.{key}", message)
        values.append(value.strip().upper())
    return values[0], values[1]


def practitioner_findings(context: PractitionerContext) -> list[Finding]:
    findings = _credential_findings(context)
    findings.extend(_jurisdiction_findings(context))
    return findings


def _credential_findings(context: PractitionerContext) -> list[Finding]:
    texts = jurisdictions().findings
    credential = context.credential
    if credential is None:
        return [_finding(texts.no_current_credential, context, {"practitioner.credential": None})]
    if credential.completed_on > context.as_of:
        facts = {"practitioner.credential.completed_on": credential.completed_on.isoformat()}
        return [_finding(texts.credential_not_yet_completed, context, facts)]
    if credential.expires_on is not None and credential.expires_on < context.as_of:
        facts = {"practitioner.credential.expires_on": credential.expires_on.isoformat()}
        return [_finding(texts.credential_expired, context, facts)]
    return []


def scope_of_practice_findings(
    *, country: str | None, region: str | None, as_of: dt.date
) -> list[Finding]:
    """Whether physical therapists may dry needle in this jurisdiction, on its own: asked before
    consent is collected, so a clinic where they may not learns it first."""
    context = PractitionerContext(credential=None, country=country, region=region, as_of=as_of)
    return _jurisdiction_findings(context)


def _jurisdiction_findings(context: PractitionerContext) -> list[Finding]:
    catalogue = jurisdictions()
    texts = catalogue.findings
    if context.country is None or context.region is None:
        return [
            _finding(texts.jurisdiction_not_recorded, context, {"practitioner.jurisdiction": None})
        ]
    entry = catalogue.find(context.country, context.region)
    facts: dict[str, Any] = {"practitioner.jurisdiction": context.jurisdiction_label}
    if entry is None:
        return [_finding(texts.jurisdiction_not_in_reference, context, facts)]
    if entry.status == "not_permitted":
        return [_finding(texts.not_permitted, context, facts, entry, entry.status_source)]
    if entry.status == "silent":
        return [_finding(texts.status_silent, context, facts, entry, entry.status_source)]
    return _training_findings(context, entry, facts)


def _training_findings(
    context: PractitionerContext, entry: Jurisdiction, facts: dict[str, Any]
) -> list[Finding]:
    training, credential = entry.training, context.credential
    if training is None or credential is None:
        return []
    texts = jurisdictions().findings
    facts = {**facts, "practitioner.credential.hours": credential.hours}
    before_use, total = training.hours_before_clinical_use, training.total_hours
    if before_use is not None and credential.hours < before_use:
        unconfirmed = training.source.confidence == "unconfirmed"
        text = (
            texts.below_hours_unconfirmed_requirement
            if unconfirmed
            else texts.below_hours_before_clinical_use
        )
        return [_finding(text, context, facts, entry, training.source)]
    if total is not None and credential.hours < total:
        return [_finding(texts.below_total_hours, context, facts, entry, training.source)]
    return []


def _hours(value: float | None) -> str:
    return "" if value is None else f"{value:g}"


def _finding(
    text: EligibilityFinding,
    context: PractitionerContext,
    facts: Mapping[str, Any],
    entry: Jurisdiction | None = None,
    source: Source | None = None,
) -> Finding:
    """Render one eligibility finding; ``source`` overrides the wording's default source."""
    training = entry.training if entry is not None else None
    recorded = context.credential.hours if context.credential is not None else None
    values = {
        "jurisdiction": entry.name if entry is not None else context.jurisdiction_label,
        "status_as_of": entry.as_of.isoformat() if entry is not None else "",
        "required_hours": _hours(training.hours_before_clinical_use if training else None),
        "total_hours": _hours(training.total_hours if training else None),
        "recorded_hours": _hours(recorded),
        "as_of": context.as_of.isoformat(),
    }
    return Finding(
        rule_id=text.rule_id,
        severity=text.severity,
        title=text.title,
        message=text.message.format(**values),
        actions=tuple(text.actions),
        source=source if source is not None else text.source,
        facts={**facts, "as_of": context.as_of.isoformat()},
        kind="eligibility",
    )
