"""axe-core in the page (from the axe-playwright-python package, which ships axe-core)."""

from __future__ import annotations

from typing import Any

BLOCKING_IMPACTS = ("serious", "critical")


def serious_violations(page: Any) -> list[str]:
    """axe-core's serious and critical violations on the current page, one line each."""
    from axe_playwright_python.sync_playwright import Axe

    # A click that navigates returns before the next page has loaded; a caller waits for that
    # page's own content first, and this waits for its load so axe never runs between two pages.
    page.wait_for_load_state("load")
    results = Axe().run(page)
    problems = []
    for violation in results.response["violations"]:
        if violation["impact"] in BLOCKING_IMPACTS:
            targets = [", ".join(node["target"]) for node in violation["nodes"][:3]]
            problems.append(
                f"{violation['id']} ({violation['impact']}): {violation['help']} at {targets}"
            )
    return problems
