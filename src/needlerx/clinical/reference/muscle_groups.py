"""Grouped catalogue entries and the named muscles split from them.

A grouped entry such as "thoracic erector spinae" names no single muscle; payers expect the muscle
needled to be named ("paraspinals" is not compliant documentation). The catalogue therefore holds
named muscles split from each group (``split_from``). A named muscle carries exactly its group's
safety content, so the screen treats it as it treats the group. Records that already use a grouped
entry keep it (the ids are public vocabulary); pickers for new records offer the named muscles.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from needlerx.clinical.errors import ReferenceDataError
from needlerx.clinical.reference.schemas import Muscle

# Everything the screen reads from a muscle: a named muscle must match its group in all of them.
SAFETY_FIELDS = (
    "region",
    "levels",
    "areas",
    "sided",
    "compressible",
    "compressible_note",
    "structures_at_risk",
    "depth_data",
    "reference_depths",
    "cautions",
)


def check_split_muscles(muscles: Mapping[str, Muscle]) -> None:
    """Each ``split_from`` names a grouped entry, and the named muscle has its safety content."""
    for muscle in muscles.values():
        if muscle.split_from is None:
            continue
        where = f"muscles.yaml: muscle {muscle.id!r}.split_from"
        group = muscles.get(muscle.split_from)
        if group is None:
            raise ReferenceDataError(f"{where}: unknown muscle {muscle.split_from!r}")
        if group.split_from is not None:
            raise ReferenceDataError(f"{where}: {group.id!r} is itself split from a group")
        different = [
            name for name in SAFETY_FIELDS if getattr(muscle, name) != getattr(group, name)
        ]
        if different:
            raise ReferenceDataError(
                f"{where}: the safety content must be the same as {group.id!r}'s; "
                f"differs in {', '.join(different)}"
            )


def named_muscles_by_group(muscles: Mapping[str, Muscle]) -> dict[str, tuple[str, ...]]:
    """Grouped entry id -> the ids of the named muscles split from it, in catalogue order."""
    groups: dict[str, list[str]] = {}
    for muscle in muscles.values():
        if muscle.split_from is not None:
            groups.setdefault(muscle.split_from, []).append(muscle.id)
    return {group: tuple(named) for group, named in groups.items()}


def check_listed_alike(listed: Iterable[str], muscles: Mapping[str, Muscle], where: str) -> None:
    """A rule or guidance that names a grouped entry or one of its named muscles names them all,
    so the screen treats the group and its named muscles alike."""
    chosen = set(listed)
    for group, named in named_muscles_by_group(muscles).items():
        members = {group, *named}
        if chosen & members and not members <= chosen:
            raise ReferenceDataError(
                f"{where}: names {sorted(chosen & members)} but not {sorted(members - chosen)}; "
                "a grouped entry and the muscles named from it must be listed together"
            )
