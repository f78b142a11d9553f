"""The demo generator's treatment records follow the safety rules and the published rates."""

from __future__ import annotations

import json

from django.core.management import call_command
from django.db.models import F
from django.utils import timezone

from needlerx.accounts.selectors import credential_current
from needlerx.audit.models import AuditEvent
from needlerx.clinical.treatment_rules import required_aftercare
from needlerx.demo.treatments import seal_note
from needlerx.treatments.models import AdverseEvent, NeedlingEntry, TreatmentSession
from needlerx.treatments.selectors import note_seal_verify
from needlerx.treatments.services.signing import note_seal_apply
from tests.treatments.helpers import needled_sessions_from_entries, needled_sessions_listed


def test_demo_sessions_are_safe_signed_notes_with_events_near_published_rates(db):
    call_command("demo", "--no-serve", "--patients", "400", "--seed", "11")
    needled = TreatmentSession.objects.filter(needling_entries__isnull=False).distinct()
    assert needled.count() > 300
    # The list the follow-ups and the dashboard read holds exactly these, as the services would.
    assert needled_sessions_listed() == needled_sessions_from_entries()
    # Needling only where the screen allowed it, with reconciled counts and required advice.
    assert not needled.filter(
        safety_screen__decision__in=["refer", "do_not_needle", "incomplete"]
    ).exists()
    assert not needled.exclude(needles_used=F("needles_removed")).exists()
    for session in needled.prefetch_related("needling_entries")[:100]:
        entries = [(e.muscle, e.technique) for e in session.needling_entries.all()]
        assert {a.id for a in required_aftercare(entries)} <= set(session.aftercare_given)
    # Brady 2014: about 192 mild events per 1,000 treatments; allow for sampling noise.
    per_1000 = 1000 * AdverseEvent.objects.count() / needled.count()
    assert 120 < per_1000 < 280, per_1000
    assert NeedlingEntry.objects.exists()
    # Signed demo notes are sealed like any signed note, and their seals verify.
    signed = TreatmentSession.objects.filter(signed_at__isnull=False)
    assert not signed.filter(sealed_snapshot__isnull=True).exists()
    every_signed = signed.select_related("episode", "patient", "clinician").prefetch_related(
        "needling_entries", "safety_alerts"
    )
    broken = [s.public_id for s in every_signed if not note_seal_verify(s)["ok"]]
    assert broken == [], f"{len(broken)} of {signed.count()} demo seals do not verify"
    # Including notes whose electrical entries name the other electrode (stored after the rest).
    assert NeedlingEntry.objects.filter(session__in=signed).exclude(paired_with=None).exists()
    assert AuditEvent.objects.filter(action="demo.bulk_load_treatments").exists()


def test_demo_one_pass_seal_is_the_seal_signing_gives(db):
    """``seal_note`` (one JSON pass) stores and hashes exactly what ``note_seal_apply`` does."""
    call_command("demo", "--no-serve", "--patients", "40", "--seed", "3")
    signed = TreatmentSession.objects.filter(signed_at__isnull=False).select_related(
        "episode", "patient", "clinician"
    )
    checked = 0
    for session in signed.exclude(needling_entries=None)[:20]:
        entries = sorted(
            session.needling_entries.select_related("paired_with").order_by("pk"),
            key=lambda entry: entry.paired_with_id is not None,
        )
        credential = credential_current(user=session.clinician, on=timezone.localdate())
        note_seal_apply(
            session,
            entries=entries,
            alerts=[],
            trigger_points=(),
            signer=session.clinician,
            credential=credential,
        )
        expected = (session.sealed_snapshot, session.signed_content_hash)
        seal_note(session, entries, session.clinician, credential)
        assert (json.loads(str(session.sealed_snapshot)), session.signed_content_hash) == expected
        checked += 1
    assert checked == 20
