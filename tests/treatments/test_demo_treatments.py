"""The demo generator's treatment records follow the safety rules and the published rates."""

from __future__ import annotations

from django.core.management import call_command
from django.db.models import F

from needlerx.audit.models import AuditEvent
from needlerx.clinical.treatment_rules import required_aftercare
from needlerx.treatments.models import AdverseEvent, NeedlingEntry, TreatmentSession
from needlerx.treatments.selectors import note_seal_verify
from needlerx.treatments.selectors.followups import needled_sessions


def test_demo_sessions_are_safe_signed_notes_with_events_near_published_rates(db):
    call_command("demo", "--no-serve", "--patients", "400", "--seed", "11")
    needled = needled_sessions(list(TreatmentSession.objects.values_list("clinic", flat=True)))
    assert needled.count() > 300
    # Needling only where the screen allowed it, with reconciled counts and required advice.
    assert not needled.filter(safety_decision__in=["refer", "do_not_needle", "incomplete"]).exists()
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
