"""How many warnings a routine caseload raises: the alert-burden table in clinical-content.md.

Screens the twenty profiles of ``data/profiles/routine_caseload.yaml`` (every required question
answered, as after a complete evaluation) and counts, per screen, the findings that need a
documented rationale and the technique guidance shown beside them. Run it to refresh the table:

    python -m needlerx.clinical.alert_burden            # the Markdown table and the targets
"""

from __future__ import annotations

import argparse
import datetime as dt
import statistics
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from pydantic import BaseModel, ConfigDict

from needlerx.clinical.reference import fact_catalogue
from needlerx.clinical.reference.loader import DATA_DIR, read_yaml
from needlerx.clinical.screening import ScreeningResult, screen
from needlerx.clinical.screening.findings import NEEDS_A_RATIONALE

PROFILES_FILE = DATA_DIR / "profiles" / "routine_caseload.yaml"
AS_OF = dt.date(2026, 11, 2)


class Profile(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    id: str
    summary: str
    routine: bool
    facts: dict[str, Any]
    plan: list[tuple[str, str, str]]


@dataclass(frozen=True)
class Burden:
    profile: Profile
    result: ScreeningResult

    @property
    def rationale_findings(self) -> list[str]:
        """Titles of the findings that need a documented rationale, once per rule.

        The session note asks one rationale per rule (a precaution on both sides, or on two
        muscles, is one question), so that is what is counted.
        """
        cards = list(self.result.findings)
        cards += [f for muscle in self.result.muscles if muscle.allowed for f in muscle.findings]
        titles = {f.rule_id: f.title for f in cards if f.severity in NEEDS_A_RATIONALE}
        return list(titles.values())

    @property
    def guidance_items(self) -> int:
        return len({item.id for muscle in self.result.muscles for item in muscle.guidance})


def load_profiles() -> list[Profile]:
    return [Profile.model_validate(raw) for raw in read_yaml(PROFILES_FILE)["profiles"]]


def answered_facts(profile: Profile) -> dict[str, Any]:
    """Every yes/no question answered "no" and every site list "none", then the profile's own."""
    facts: dict[str, Any] = {}
    for fact in fact_catalogue().values():
        if fact.provided_by != "clinician":
            continue
        if fact.kind == "boolean":
            facts[fact.id] = False
        elif fact.kind == "sites":
            facts[fact.id] = []
    own = dict(profile.facts)
    days_ago = own.pop("inr_days_ago", None)
    if days_ago is not None:
        own["inr_date"] = (AS_OF - dt.timedelta(days=days_ago)).isoformat()
    return {**facts, **own}


def screen_profile(profile: Profile) -> Burden:
    plan = [{"muscle": m, "side": s, "technique": t} for m, s, t in profile.plan]
    result = screen(answered_facts(profile), plan, as_of=AS_OF)
    return Burden(profile=profile, result=result)


def targets(burdens: Iterable[Burden]) -> Mapping[str, Any]:
    rows = list(burdens)
    routine = [b for b in rows if b.profile.routine]
    counts = [len(b.rationale_findings) for b in rows]
    return {
        "profiles": len(rows),
        "routine_proceed": sum(b.result.decision == "proceed" for b in routine),
        "routine": len(routine),
        "median_rationale_findings": statistics.median(counts),
        "max_rationale_findings": max(counts),
    }


def markdown(burdens: Iterable[Burden]) -> str:
    rows = list(burdens)
    lines = [
        "| Profile | Patient | Decision | Findings needing a rationale | Technique guidance |",
        "| --- | --- | --- | --- | --- |",
    ]
    for burden in rows:
        titles = burden.rationale_findings
        named = f"{len(titles)}: " + "; ".join(titles) if titles else "0"
        lines.append(
            f"| {burden.profile.id} | {burden.profile.summary} | "
            f"{burden.result.decision.replace('_', ' ')} | {named} | "
            f"{burden.guidance_items} item{'' if burden.guidance_items == 1 else 's'} |"
        )
    summary = targets(rows)
    lines += [
        "",
        f"Routine profiles screened `proceed`: {summary['routine_proceed']} of "
        f"{summary['routine']}. Median findings needing a rationale per screen: "
        f"{summary['median_rationale_findings']:g} (most: {summary['max_rationale_findings']}).",
    ]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.parse_args(argv)
    print(markdown(screen_profile(profile) for profile in load_profiles()))  # noqa: T201


if __name__ == "__main__":
    main()
