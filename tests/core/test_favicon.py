"""Every page names an icon, and /favicon.ico (asked for by browsers and tools whatever the page says)
leads to it: a 404 there was a console error on every page."""

from __future__ import annotations

import pytest
from django.contrib.staticfiles import finders
from django.templatetags.static import static
from django.urls import reverse


def test_favicon_url_redirects_to_the_static_icon(client) -> None:
    response = client.get("/favicon.ico")
    assert response.status_code == 302
    assert response["Location"] == static("favicon.ico")
    assert "max-age=86400" in response["Cache-Control"]
    assert reverse("favicon") == "/favicon.ico"
    assert client.post("/favicon.ico").status_code == 405


def test_the_icons_exist_and_are_what_they_say() -> None:
    ico = finders.find("favicon.ico")
    svg = finders.find("favicon.svg")
    assert ico and svg
    with open(ico, "rb") as f:
        assert f.read(4) == b"\x00\x00\x01\x00"  # ICO header
    with open(svg, encoding="utf-8") as f:
        assert f.read().startswith("<svg")


@pytest.mark.django_db
def test_pages_link_the_icon(client) -> None:
    body = client.get(reverse("portal:home")).content.decode()
    assert f'<link rel="icon" href="{static("favicon.svg")}" type="image/svg+xml">' in body
    assert f'href="{static("favicon.ico")}"' in body
