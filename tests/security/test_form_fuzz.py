"""Every web form, fuzzed: random text, numbers, dates and hostile strings never make a 5xx.

The forms are found at test time: every page of the URL map is opened as a clinician of Clinic A
(ids of real records filled in, as tests/security/test_isolation.py does) and each ``<form
method="post">`` it shows is read for its action and fields. Each form then gets a few generated
posts (hypothesis): a field keeps a value the page offered (a hidden version, a choice) or gets a
random or hostile one, so posts reach the services and not only the form's validation.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from html.parser import HTMLParser
from typing import Any

from django.test import Client
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from tests.security.conftest import Victim
from tests.security.routes import fill, page_routes

EXAMPLES_PER_FORM = 10
# Forms that end the session under test rather than write clinical data.
SKIPPED_ACTIONS = ("/logout/", "/login/", "/two-factor/")
HOSTILE = st.sampled_from(
    [
        "",
        "-1",
        "0",
        "1e309",
        "NaN",
        "9" * 400,
        "99999999999",
        "not-a-uuid",
        "a\x00b",
        "2026-11-30T00:30:00",
        "1900-01-01",
        "9999-12-31",
        "<script>alert(1)</script>",
        "\u202egnp.exe",
    ]
)
RANDOM = st.one_of(
    HOSTILE,
    st.text(max_size=30),
    st.integers().map(str),
    st.dates().map(str),
    st.datetimes().map(lambda moment: moment.isoformat(timespec="minutes")),
)


@dataclass
class Form:
    action: str
    offered: dict[str, list[str]] = field(default_factory=dict)


class _FormReader(HTMLParser):
    """The post forms of a page: each action with the values the page offers per field."""

    def __init__(self, page: str) -> None:
        super().__init__()
        self.page = page
        self.forms: list[Form] = []
        self._current: Form | None = None
        self._select: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        given = {name: value or "" for name, value in attrs}
        if tag == "form" and given.get("method", "").lower() == "post":
            self._current = Form(action=given.get("action") or self.page)
            self.forms.append(self._current)
        elif self._current is None:
            return
        elif tag in ("input", "textarea") and given.get("name"):
            values = self._current.offered.setdefault(given["name"], [])
            if given.get("value"):
                values.append(given["value"])
        elif tag == "select":
            self._select = given.get("name")
            self._current.offered.setdefault(self._select or "", [])
        elif tag == "option" and self._select and given.get("value"):
            self._current.offered[self._select].append(given["value"])

    def handle_endtag(self, tag: str) -> None:
        if tag == "form":
            self._current = None
        elif tag == "select":
            self._select = None


def forms_of_every_page(client: Client, victim: Victim) -> list[Form]:
    found: dict[tuple[str, tuple[str, ...]], Form] = {}
    for route in page_routes():
        path = fill(route, victim.patient.clinic, victim.patient)[0]
        response = client.get(path)
        if response.status_code != 200 or "html" not in response.get("Content-Type", ""):
            continue
        reader = _FormReader(path)
        reader.feed(response.content.decode())
        for form in reader.forms:
            form.offered.pop("csrfmiddlewaretoken", None)
            if form.action.startswith(SKIPPED_ACTIONS) or not form.offered:
                continue
            found.setdefault((form.action, tuple(sorted(form.offered))), form)
    return list(found.values())


def _field_value(offered: list[str]) -> st.SearchStrategy[str]:
    return st.one_of(st.sampled_from(offered), RANDOM) if offered else RANDOM


def _fuzz(client: Client, form: Form) -> None:
    fields = {name: _field_value(offered) for name, offered in form.offered.items()}

    @settings(
        max_examples=EXAMPLES_PER_FORM,
        deadline=None,
        database=None,
        derandomize=True,  # the same posts on every run: a failure is reproducible
        phases=[Phase.generate],  # no shrinking: the failing post is reported as sent
        suppress_health_check=list(HealthCheck),
    )
    @given(st.fixed_dictionaries(fields))
    def post(data: dict[str, Any]) -> None:
        response = client.post(form.action, data)
        sent = repr(data)[:1500]
        assert response.status_code < 500, f"POST {form.action} {sent} -> {response.status_code}"

    post()


def test_no_generated_form_post_makes_a_server_error(client: Client, victim: Victim):
    client.force_login(victim.world.alice)
    client.raise_request_exception = False  # a 500 is an answer to report with the post sent
    forms = forms_of_every_page(client, victim)
    assert len(forms) >= 10, [form.action for form in forms]
    for form in forms:
        _fuzz(client, form)


def test_a_chosen_fact_list_is_shown_in_words_not_a_server_error():
    """The fuzz found it: a "fact_ids" fact (a list of ids, not of sites) broke the evaluation."""
    from needlerx.web.templatetags.web_tags import fact_value

    assert fact_value(["upper_trapezius"]) == "upper trapezius"
    assert fact_value([{"area": "low_back", "side": "left"}]) == "low back (left)"
