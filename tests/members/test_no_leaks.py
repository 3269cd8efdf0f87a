"""No unmasked ID number reaches a role not entitled to it — in any page, API response, export (the
xlsx is unzipped and its XML read) or log line (DESIGN.md; issue acceptance). Entitled to the full
number: the member, the organisation's secretary, station admins of its station, HQ/platform admins."""

from __future__ import annotations

import io
import logging
import zipfile
from collections.abc import Iterator
from typing import Any

import pytest
from django.db import transaction
from django.test import Client
from django.urls import reverse

from tests.test_access_matrix import all_url_names

pytestmark = pytest.mark.django_db

NOT_ENTITLED = (
    "anonymous",
    "resident",
    "member",
    "officer_a",
    "worker_a",
    "officer_b",
    "secretary_b",
    "worker_b",
    "other_admin",
)
API_NAMES = ("api:my_member_profile", "api:organization_members")
FILTERS = "?category=formal&status=normal&education=bachelor&gender=male&dues_category=employed"


def member_urls(w: Any) -> dict[str, str]:
    """Every URL of the members app and API, filled in with branch A's objects."""
    kwargs = {
        "members:detail": {"pk": w.profile_a.pk},
        "members:edit": {"pk": w.profile_a.pk},
        "members:reveal": {"pk": w.profile_a.pk},
        "members:correction_accept": {"pk": w.id_correction.pk},
        "members:correction_reject": {"pk": w.id_correction.pk},
        "api:organization_members": {"organization_id": w.org_a.pk},
    }
    names = sorted(name for name in all_url_names() if name.startswith("members:")) + list(API_NAMES)
    return {name: reverse(name, kwargs=kwargs.get(name, {})) for name in names}


def test_the_scan_covers_every_members_url(leaky) -> None:
    covered = set(member_urls(leaky))
    assert {name for name in all_url_names() if name.startswith("members:")} <= covered


def readable_parts(content: bytes) -> Iterator[bytes]:
    """The response body and, for a ZIP (xlsx), the inflated content of each entry."""
    yield content
    if content.startswith(b"PK\x03\x04"):
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            for name in archive.namelist():
                yield archive.read(name)


def requests_for(url: str) -> list[tuple[str, str, dict[str, Any]]]:
    plain_posts = [("post", url, {}), ("post", url, {"unmasked": "1"}), ("post", url, {"note": "核对"})]
    return [("get", url, {}), ("get", url + FILTERS, {}), *plain_posts]


def leaks_for(client: Client, w: Any, secrets: tuple[str, ...]) -> list[str]:
    found = []
    for name, url in member_urls(w).items():
        for method, target, data in requests_for(url):
            with transaction.atomic():
                response = getattr(client, method)(target, data)
                body = (
                    b"".join(getattr(response, "streaming_content", []))
                    if response.streaming
                    else response.content
                )
                transaction.set_rollback(True)
            for part in readable_parts(body):
                for secret in secrets:
                    if secret.encode() in part:
                        found.append(f"{name} {method.upper()} {target} -> {response.status_code}")
    return found


@pytest.mark.parametrize("role", NOT_ENTITLED)
def test_no_plain_id_number_in_any_response_or_log(leaky, client, caplog, role: str) -> None:
    caplog.set_level(logging.DEBUG)
    user = None if role == "anonymous" else getattr(leaky, role)
    if user is not None:
        client.force_login(user)
    secrets = (leaky.profile_a.plain_id_number, leaky.requested_id_number)

    leaks = leaks_for(client, leaky, secrets)

    assert not leaks, "\n".join(leaks)
    assert not any(secret in caplog.text for secret in secrets)


def test_the_scan_would_notice_a_leak(leaky, client) -> None:
    """Control: the same scan run as an entitled role that reveals does find the number."""
    client.force_login(leaky.secretary_a)

    leaks = leaks_for(client, leaky, (leaky.profile_a.plain_id_number,))

    assert any("members:reveal POST" in leak for leak in leaks)
    assert any("members:export POST" in leak for leak in leaks)
