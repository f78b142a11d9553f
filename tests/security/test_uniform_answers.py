"""Another clinic's record and a record that does not exist answer the same (issue 11, review
finding L7): same status, same body, same order of time, on every API route that takes an id.

Otherwise an id tells a probing user which records (or clinics) exist elsewhere.
"""

from __future__ import annotations

import dataclasses
import json
import re
import time
import uuid

from django.test import Client
from django.urls import reverse

from tests.security.api_routes import api_routes
from tests.security.conftest import Victim
from tests.security.routes import Route, fill, page_routes
from tests.security.test_isolation import call

UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")


def with_random_ids(route: Route) -> tuple[Route, dict[str, str]]:
    """The same request with every id replaced by a fresh random one (none of them exists), and
    the replacements (original id -> fresh id)."""
    text = json.dumps([route.path, route.query, route.body])
    fresh: dict[str, str] = {}
    replaced = UUID.sub(lambda m: fresh.setdefault(m.group(0), str(uuid.uuid4())), text)
    path, query, body = json.loads(replaced)
    return dataclasses.replace(route, path=path, query=query, body=body), fresh


def echoed_back(body: str, fresh: dict[str, str]) -> str:
    """An answer that repeats the id it was asked about, with the original id put back."""
    for original, new in fresh.items():
        body = body.replace(new, original)
    return body


def answer(client: Client, route: Route) -> tuple[int, str, float]:
    started = time.perf_counter()
    response = call(client, route)
    elapsed = time.perf_counter() - started
    return response.status_code, response.content.decode(errors="replace"), elapsed


def test_another_clinics_id_and_a_missing_id_answer_the_same(client, victim: Victim):
    client.force_login(victim.world.bob)
    routes = [route for route in api_routes(victim) if route.uses_victim_id]
    assert len(routes) > 20
    differences, theirs_time, missing_time = [], 0.0, 0.0
    for route in routes:
        missing, fresh = with_random_ids(route)
        their_status, their_body, their_time = answer(client, route)
        missing_status, missing_body, missing_elapsed = answer(client, missing)
        theirs_time += their_time
        missing_time += missing_elapsed
        if (their_status, their_body) != (missing_status, echoed_back(missing_body, fresh)):
            differences.append(
                f"{route.label}: another clinic's id -> {their_status} {their_body[:120]!r}; "
                f"a missing id -> {missing_status} {missing_body[:120]!r}"
            )
    assert differences == [], "\n".join(differences)
    assert theirs_time < 10 * missing_time and missing_time < 10 * theirs_time


CARD = re.compile(r'<section class="card narrow">(.*?)</section>', re.S)


def page_answer(client: Client, route: Route) -> tuple[int, str]:
    """Status and the error card's words (the rest of a page carries a fresh CSRF token)."""
    status, body, _ = answer(client, route)
    card = CARD.search(body)
    return status, card.group(1) if card else ""


def test_pages_answer_another_clinics_id_like_a_missing_one(client, victim: Victim):
    client.force_login(victim.world.bob)
    differences = []
    for template in page_routes():
        path, has_ids, _ = fill(template, victim.patient.clinic, victim.patient)
        if not has_ids:
            continue
        route = Route("GET", path, f"GET {template}", has_ids)
        missing, _ = with_random_ids(route)
        theirs, absent = page_answer(client, route), page_answer(client, missing)
        if theirs != absent:
            differences.append(f"{route.label}: {theirs} vs {absent}")
    assert differences == [], "\n".join(differences)


def test_a_record_of_another_patient_answers_like_a_missing_one(client, victim: Victim):
    """The same clinic, but the URL pairs one patient with another patient's episode."""
    world = victim.world
    other = world.patient()
    episode = world.episode(other)
    client.force_login(world.alice)
    wrong_pair = reverse("clinic:progress", args=[victim.patient.public_id, episode.public_id])
    missing = reverse("clinic:progress", args=[victim.patient.public_id, uuid.uuid4()])
    wrong = page_answer(client, Route("GET", wrong_pair, "wrong pair", True))
    absent = page_answer(client, Route("GET", missing, "missing", True))
    assert wrong == absent
    assert wrong[0] == 404 and "No such episode." in wrong[1]
