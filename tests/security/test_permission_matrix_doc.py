"""docs/security.md shows the role x permission matrix exactly as accounts/permissions.py has it."""

from __future__ import annotations

from pathlib import Path

from needlerx.accounts.models import Role
from needlerx.accounts.permissions import PERMISSIONS

DOC = Path(__file__).resolve().parents[2] / "docs" / "security.md"
START, END = "<!-- permission-matrix:start -->", "<!-- permission-matrix:end -->"


def permission_matrix() -> str:
    header = "| Permission | " + " | ".join(Role(role).label for role in Role.values) + " |"
    rows = [header, "| --- |" + " :---: |" * len(Role.values)]
    for permission, roles in PERMISSIONS.items():
        cells = " | ".join("yes" if role in roles else "—" for role in Role.values)
        rows.append(f"| `{permission}` | {cells} |")
    return "\n".join(rows)


def test_the_documented_matrix_matches_the_permission_table():
    text = DOC.read_text()
    documented = text.split(START, 1)[1].split(END, 1)[0].strip()
    expected = permission_matrix()
    assert documented == expected, (
        "docs/security.md is out of date; replace the table between the markers with:\n\n"
        + expected
    )
