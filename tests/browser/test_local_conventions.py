"""A front-desk person in a Denver clinic registers a patient the US way and reads it back so."""

from __future__ import annotations

from needlerx.accounts.models import Clinic
from needlerx.patients.models import Patient
from tests.browser.accessibility import serious_violations
from tests.browser.conftest import Visit
from tests.personas import PASSWORD, World


def test_a_us_clinic_types_dates_month_first_and_height_in_inches(visit: Visit, world: World):
    Clinic.objects.filter(pk=world.clinic_a.pk).update(
        time_zone="America/Denver", date_style="month_first", measurement_units="us_customary"
    )
    page = visit.page
    visit.sign_in("alice", PASSWORD)
    visit.go("/patients/new/")
    page.get_by_label("Medical record number (MRN)").fill("D-0001")
    page.get_by_label("Given name").fill("Rosa")
    page.get_by_label("Family name").fill("Alvarez")
    page.get_by_label("Date of birth").fill("31/03/1980")  # day first: refused, naming the field
    page.get_by_label("Height (inches)").fill("68")
    page.get_by_label("Weight (pounds)").fill("165")
    page.get_by_role("button", name="Register patient").click()
    error = page.locator("#id_date_of_birth_error")
    assert "Date of birth: enter a valid date as MM/DD/YYYY or YYYY-MM-DD" in error.inner_text()
    assert serious_violations(page) == []
    visit.screenshot("local-01-new-patient-date-error")
    page.get_by_label("Date of birth").fill("3/31/1980")
    page.get_by_role("button", name="Register patient").click()
    page.wait_for_load_state()
    subtitle = page.locator(".subtitle").first.inner_text()
    assert "born Mar 31, 1980" in subtitle
    assert "5 ft 8 in" in subtitle and "165 lb" in subtitle
    patient = Patient.objects.get(medical_record_number="D-0001")
    assert (str(patient.height_cm), str(patient.weight_kg)) == ("172.7", "74.8")
    assert serious_violations(page) == []
    assert visit.console_errors == []
    visit.screenshot("local-02-patient-page")
