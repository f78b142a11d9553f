"""A URL reversed once and filled in per row is the URL ``reverse`` gives, under a script
prefix too (the app served below a path)."""

from __future__ import annotations

import uuid

import pytest
from django.urls import reverse, set_script_prefix

from needlerx.web.pages.links import links_to


@pytest.mark.parametrize(
    ("name", "parameters"),
    [
        ("appointments:detail", 1),
        ("patients:detail", 1),
        ("clinic:session", 2),
        ("clinic:follow_up", 2),
        ("clinic:screen_result", 2),
        ("patient_tasks:review", 2),
    ],
)
@pytest.mark.parametrize("prefix", ["/", "/clinic-{a}/"])
def test_a_link_filled_in_is_the_reversed_url(name: str, parameters: int, prefix: str):
    set_script_prefix(prefix)
    try:
        link = links_to(name, parameters)
        for _ in range(3):
            ids = [uuid.uuid4() for _ in range(parameters)]
            assert link(*ids) == reverse(name, args=ids)
    finally:
        set_script_prefix("/")
