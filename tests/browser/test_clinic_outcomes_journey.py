"""A clinic admin opens the clinic outcomes dashboard from the navigation, filters it to the
back and downloads the measures table as a CSV file; the page has no serious accessibility
violation. NEEDLERX_SCREENSHOTS=1 writes docs/screenshots/clinic-outcomes.png."""

from __future__ import annotations

import csv
import io
from pathlib import Path

from playwright.sync_api import expect

from needlerx.audit.models import AuditEvent
from tests.browser.accessibility import serious_violations
from tests.browser.conftest import Visit
from tests.clinic_outcomes.outcomes_world import build
from tests.personas import PASSWORD, World


def test_a_clinic_admin_filters_the_dashboard_and_downloads_the_csv(
    visit: Visit, world: World, tmp_path: Path
) -> None:
    build(world)
    visit.sign_in("ada", PASSWORD)
    page = visit.page
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Outcomes").click()
    expect(page.get_by_role("heading", name="Clinic outcomes", level=1)).to_be_visible()
    expect(page.locator("#tile-started")).to_contain_text("4 episodes started")
    visit.screenshot("clinic-outcomes")
    assert serious_violations(page) == []

    page.get_by_label("Region").select_option("back")
    page.get_by_role("button", name="Show", exact=True).click()
    expect(page.locator("#tile-started")).to_contain_text("2 episodes started")
    expect(page.locator("#measure-pain_relief")).to_contain_text("1 of 1")
    assert "region=back" in page.url

    with page.expect_download() as download_info:
        page.locator("#measures-csv").click()
    download = download_info.value
    assert download.suggested_filename.startswith("measures-")
    saved = tmp_path / download.suggested_filename
    download.save_as(saved)
    rows = list(csv.reader(io.StringIO(saved.read_text(encoding="utf-8"))))
    pain = next(row for row in rows if row[0] == "Pain relief")
    assert pain[rows[0].index("Episodes with a later measure")] == "1"
    export = AuditEvent.objects.filter(action="clinic_outcomes.export").get()
    assert export.detail["filters"]["region"] == "back"
    assert visit.console_errors == []
