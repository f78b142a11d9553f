"""Cached loaders for the reference data, with the checks that span more than one file."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import cache
from types import MappingProxyType

from needlerx.clinical.errors import ReferenceDataError
from needlerx.clinical.reference.loader import (
    DATA_DIR,
    data_name,
    load_model,
    read_version,
    require_unique,
)
from needlerx.clinical.reference.muscle_groups import (
    check_listed_alike,
    check_split_muscles,
    named_muscles_by_group,
)
from needlerx.clinical.reference.red_flag_schemas import RedFlagsDocument
from needlerx.clinical.reference.rule_schemas import (
    AllOf,
    AnyOf,
    Condition,
    FactCompare,
    FactIsTrue,
    Guidance,
    GuidanceFile,
    RedFlag,
    Rule,
    RuleFile,
    SiteMatches,
    Threshold,
)
from needlerx.clinical.reference.schemas import (
    DepthFallback,
    EligibilityFindings,
    FactDefinition,
    FactsFile,
    Jurisdiction,
    JurisdictionsFile,
    Muscle,
    MusclesFile,
    RequiredAnswers,
)
from needlerx.clinical.reference.vocabulary import FactKind

RULES_DIR = DATA_DIR / "rules"


@dataclass(frozen=True)
class RuleSet:
    """Every screening rule with the named thresholds they compare against."""

    thresholds: Mapping[str, Threshold]
    rules: tuple[Rule, ...]

    def rule(self, rule_id: str) -> Rule:
        for rule in self.rules:
            if rule.id == rule_id:
                return rule
        raise KeyError(rule_id)


@dataclass(frozen=True)
class JurisdictionCatalogue:
    """Where physical therapists may dry needle, with the eligibility finding wording."""

    findings: EligibilityFindings
    entries: tuple[Jurisdiction, ...]

    def find(self, country: str, region: str) -> Jurisdiction | None:
        for entry in self.entries:
            if entry.country == country.upper() and entry.region == region.upper():
                return entry
        return None


@cache
def _facts_file() -> FactsFile:
    return load_model(FactsFile, DATA_DIR / "facts.yaml")


@cache
def fact_catalogue() -> Mapping[str, FactDefinition]:
    """Every fact the screen accepts, by id, in the order of facts.yaml."""
    facts = _facts_file().facts
    require_unique("facts.yaml", "fact", (fact.id for fact in facts))
    catalogue = MappingProxyType({fact.id: fact for fact in facts})
    for index, fact in enumerate(facts):
        _check_fact_references(fact, catalogue, f"facts.yaml: facts[{index}] ({fact.id})")
    return catalogue


def _check_fact_references(
    fact: FactDefinition, catalogue: Mapping[str, FactDefinition], where: str
) -> None:
    named = {
        "qualifies": [fact.qualifies] if fact.qualifies else [],
        "implies": [fact.implies] if fact.implies else [],
        "derived_from": fact.derived_from,
        "choices": list(fact.choices),
    }
    for field, fact_ids in named.items():
        for fact_id in fact_ids:
            if fact_id not in catalogue:
                raise ReferenceDataError(f"{where}.{field}: unknown fact {fact_id!r}")
    if fact.implies and catalogue[fact.implies].kind != "boolean":
        raise ReferenceDataError(f"{where}.implies: {fact.implies!r} is not a boolean fact")


def fact_choices(fact_id: str) -> tuple[str, ...]:
    """The ids a ``fact_ids`` fact may contain (its choices, or every fact of a group)."""
    fact = fact_catalogue()[fact_id]
    if fact.choices_from_group is not None:
        group = fact.choices_from_group
        return tuple(f.id for f in fact_catalogue().values() if f.group == group)
    return tuple(fact.choices)


@cache
def required_answers() -> RequiredAnswers:
    """What must be answered before needling (facts.yaml ``required``), checked against facts."""
    required = _facts_file().required
    catalogue = fact_catalogue()
    named = [*required.always, *required.when_true, *required.when_recorded]
    for lists in (required.by_structure, required.when_true, required.when_recorded):
        named.extend(fact_id for fact_ids in lists.values() for fact_id in fact_ids)
    for fact_id in named:
        if fact_id not in catalogue:
            raise ReferenceDataError(f"facts.yaml: required: unknown fact {fact_id!r}")
        if catalogue[fact_id].provided_by == "screen":
            raise ReferenceDataError(f"facts.yaml: required: {fact_id!r} is computed, not asked")
    for fact_id in required.when_true:
        if catalogue[fact_id].kind != "boolean":
            raise ReferenceDataError(f"facts.yaml: required.when_true: {fact_id!r} not boolean")
    return required


def fact_types() -> Mapping[str, FactKind]:
    """Fact id -> ``boolean`` | ``integer`` | ``number`` | ``sites``."""
    return MappingProxyType({fact_id: fact.kind for fact_id, fact in fact_catalogue().items()})


@cache
def _muscles_file() -> MusclesFile:
    document = load_model(MusclesFile, DATA_DIR / "muscles.yaml")
    require_unique("muscles.yaml", "muscle", (muscle.id for muscle in document.muscles))
    require_unique("muscles.yaml", "fallback", (f.id for f in document.reference_depth_fallbacks))
    return document


def muscle_catalogue() -> Mapping[str, Muscle]:
    """Every muscle the plan may name, by id."""
    return _muscle_index()


@cache
def _muscle_index() -> Mapping[str, Muscle]:
    index = MappingProxyType({muscle.id: muscle for muscle in _muscles_file().muscles})
    check_split_muscles(index)
    return index


@cache
def grouped_muscles() -> Mapping[str, tuple[str, ...]]:
    """Grouped entries (e.g. thoracic erector spinae) -> the named muscles split from them."""
    return MappingProxyType(named_muscles_by_group(muscle_catalogue()))


def muscles_for_new_records(keep: Iterable[str] = ()) -> list[Muscle]:
    """The muscles a picker offers for a new record: every muscle but the grouped entries,
    which stay only when ``keep`` names them (a record being edited that already uses one)."""
    kept = set(keep)
    grouped = grouped_muscles()
    return [m for m in muscle_catalogue().values() if m.id not in grouped or m.id in kept]


def reference_depth_fallbacks() -> tuple[DepthFallback, ...]:
    """The most conservative figures per region, for muscles with no depth study of their own."""
    return tuple(_muscles_file().reference_depth_fallbacks)


@cache
def technique_guidance() -> tuple[Guidance, ...]:
    """Anatomy and technique guidance per muscle (guidance.yaml), checked against the muscles."""
    entries = tuple(load_model(GuidanceFile, DATA_DIR / "guidance.yaml").guidance)
    require_unique("guidance.yaml", "guidance id", (entry.id for entry in entries))
    muscles = muscle_catalogue()
    for index, entry in enumerate(entries):
        where = f"guidance.yaml: guidance[{index}] ({entry.id})"
        named = entry.applies_to.muscles + entry.shown_for + entry.not_shown_for
        for muscle_id in named:
            if muscle_id not in muscles:
                raise ReferenceDataError(f"{where}: unknown muscle {muscle_id!r}")
        check_listed_alike(entry.applies_to.muscles, muscles, f"{where}.applies_to.muscles")
    return entries


@cache
def red_flag_document() -> RedFlagsDocument:
    """red_flags.yaml, with every flag, combination and escalation checked against the facts."""
    document = load_model(RedFlagsDocument, DATA_DIR / "red_flags.yaml")
    flags = document.red_flags
    require_unique("red_flags.yaml", "red flag id", (flag.id for flag in flags))
    require_unique("red_flags.yaml", "red flag fact", (flag.fact for flag in flags))
    facts = fact_catalogue()
    for index, flag in enumerate(flags):
        fact = facts.get(flag.fact)
        if fact is None or fact.group != "red_flag":
            raise ReferenceDataError(
                f"red_flags.yaml: red_flags[{index}] ({flag.id}).fact: {flag.fact!r} is not a "
                "red-flag fact in facts.yaml"
            )
    missing = {f.id for f in facts.values() if f.group == "red_flag"} - {f.fact for f in flags}
    if missing:
        raise ReferenceDataError(f"red_flags.yaml: no entry for red-flag facts {sorted(missing)}")
    flag_facts = {flag.fact for flag in flags}
    for index, combination in enumerate(document.combinations):
        where = f"red_flags.yaml: combinations[{index}] ({combination.name})"
        if combination.red_flag not in flag_facts:
            raise ReferenceDataError(f"{where}.red_flag: unknown red flag {combination.red_flag!r}")
        _check_condition(combination.when, f"{where}.when")
        _check_thresholds(combination.when, document.thresholds, f"{where}.when")
    for index, escalation in enumerate(document.escalations):
        where = f"red_flags.yaml: escalations[{index}]"
        if escalation.red_flag not in flag_facts:
            raise ReferenceDataError(f"{where}.red_flag: unknown red flag {escalation.red_flag!r}")
        tempo = facts.get(escalation.unless_answered_no)
        if tempo is None or tempo.kind != "boolean":
            raise ReferenceDataError(f"{where}.unless_answered_no: not a boolean fact")
    return document


def red_flags() -> tuple[RedFlag, ...]:
    return tuple(red_flag_document().red_flags)


@cache
def rule_set() -> RuleSet:
    """All rules from data/rules/*.yaml, checked against the fact and muscle catalogues."""
    thresholds: dict[str, Threshold] = {}
    rules: list[Rule] = []
    for path in sorted(RULES_DIR.glob("*.yaml")):
        document = load_model(RuleFile, path)
        for name, threshold in document.thresholds.items():
            if name in thresholds:
                raise ReferenceDataError(f"{data_name(path)}: duplicate threshold {name!r}")
            thresholds[name] = threshold
        rules.extend(document.rules)
        for index, rule in enumerate(document.rules):
            _check_rule_references(rule, f"{data_name(path)}: rules[{index}] ({rule.id})")
    if not rules:
        raise ReferenceDataError("rules/: no rule files found")
    all_ids = [rule.id for rule in rules] + [flag.id for flag in red_flags()]
    require_unique("rules/", "rule id", all_ids)
    for rule in rules:
        _check_thresholds(rule.when, thresholds, f"rules/: {rule.id}.when")
    return RuleSet(thresholds=MappingProxyType(thresholds), rules=tuple(rules))


def _check_rule_references(rule: Rule, where: str) -> None:
    _check_condition(rule.when, f"{where}.when")
    for fact_id in rule.context_facts:
        if fact_id not in fact_catalogue():
            raise ReferenceDataError(f"{where}.context_facts: unknown fact {fact_id!r}")
    muscles = muscle_catalogue()
    if rule.applies_to is not None:
        for muscle_id in rule.applies_to.muscles:
            if muscle_id not in muscles:
                raise ReferenceDataError(
                    f"{where}.applies_to.muscles: unknown muscle {muscle_id!r}"
                )
        check_listed_alike(rule.applies_to.muscles, muscles, f"{where}.applies_to.muscles")


_KINDS_FOR_CONDITION: dict[type, tuple[FactKind, ...]] = {
    FactIsTrue: ("boolean",),
    FactCompare: ("integer", "number"),
    SiteMatches: ("sites",),
}


def _check_condition(condition: Condition | None, where: str) -> None:
    if isinstance(condition, AllOf | AnyOf):
        parts = condition.all if isinstance(condition, AllOf) else condition.any
        for index, part in enumerate(parts):
            _check_condition(part, f"{where}[{index}]")
        return
    if not isinstance(condition, FactIsTrue | FactCompare | SiteMatches):
        return
    fact_id = condition.site_matches if isinstance(condition, SiteMatches) else condition.fact
    fact = fact_catalogue().get(fact_id)
    if fact is None:
        raise ReferenceDataError(f"{where}: unknown fact {fact_id!r} (not in facts.yaml)")
    allowed = _KINDS_FOR_CONDITION[type(condition)]
    if fact.kind not in allowed:
        raise ReferenceDataError(
            f"{where}: fact {fact_id!r} is {fact.kind}, this condition needs {' or '.join(allowed)}"
        )


def _check_thresholds(
    condition: Condition | None, thresholds: Mapping[str, Threshold], where: str
) -> None:
    if isinstance(condition, AllOf | AnyOf):
        parts = condition.all if isinstance(condition, AllOf) else condition.any
        for part in parts:
            _check_thresholds(part, thresholds, where)
    elif isinstance(condition, FactCompare) and condition.threshold not in thresholds:
        raise ReferenceDataError(f"{where}: unknown threshold {condition.threshold!r}")


@cache
def jurisdictions() -> JurisdictionCatalogue:
    document = load_model(JurisdictionsFile, DATA_DIR / "jurisdictions.yaml")
    keys = (f"{entry.country}-{entry.region}" for entry in document.jurisdictions)
    require_unique("jurisdictions.yaml", "jurisdiction", keys)
    return JurisdictionCatalogue(findings=document.findings, entries=tuple(document.jurisdictions))


@cache
def ruleset_version() -> str:
    """The content version from data/VERSION (bumped on any change to screening content)."""
    return read_version(DATA_DIR / "VERSION")


SCREENING_FILES = (
    "VERSION",
    "facts.yaml",
    "muscles.yaml",
    "guidance.yaml",
    "red_flags.yaml",
    "jurisdictions.yaml",
)


@cache
def ruleset_fingerprint() -> str:
    """SHA-256 over every file the screen reads, so a stored decision can prove what it used."""
    digest = hashlib.sha256()
    paths = [DATA_DIR / name for name in SCREENING_FILES] + sorted(RULES_DIR.glob("*.yaml"))
    for path in paths:
        digest.update(data_name(path).encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()


def load_all() -> None:
    """Load and cross-check every screening data file (for ``needlerx check`` and the tests)."""
    fact_catalogue()
    required_answers()
    muscle_catalogue()
    red_flag_document()
    technique_guidance()
    rule_set()
    jurisdictions()
    ruleset_version()
