"""No form and no API operation answers 500 to a value a person can type (DESIGN.md: bad input never
returns 500). Every form is found by rendering every page of the access matrix as several roles; each
of its fields gets the probe's values (an id beyond a bigint, the year 9999, a NUL…) one at a time
over the form's own current values, so the rest of the body stays valid and cross-field checks run
too. Each form is posted where it posts (its action), once per role however many pages carry it. Every API operation gets the same values in its JSON body, a multipart body without a boundary
and junk in its query."""

from __future__ import annotations

from html import unescape
from html.parser import HTMLParser
from typing import Any
from urllib.parse import urljoin, urlsplit

import pytest
from django.db import transaction
from django.test import Client
from django.urls import reverse

from tests.access_matrix import MATRIX, url_name_of

pytestmark = pytest.mark.django_db

OUT_OF_RANGE_ID = "99999999999999999999"
FAR_DATE = "9999-12-31"
FIELD_JUNK = (OUT_OF_RANGE_ID, FAR_DATE, "-1", "0001-01-01", "1e400", "a\x00b", "党建" * 3000)
ONE_AT_A_TIME = (OUT_OF_RANGE_ID, FAR_DATE)
FORM_ACTORS = ("member", "officer_a", "worker_a", "own_admin", "hq_admin")
API_ACTORS = ("member", "worker_a", "own_admin")
SKIPPED_FIELDS = {"csrfmiddlewaretoken"}


class FormFields(HTMLParser):
    """The fields of every <form method="post"> of a page, with the values the page shows."""

    def __init__(self) -> None:
        super().__init__()
        self.forms: list[dict[str, str]] = []
        self.actions: list[str] = []
        self._select: str | None = None
        self._first_option = False
        self._textarea: str | None = None
        self._in_post_form = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag == "form":
            self._in_post_form = a.get("method", "get").lower() == "post"
            if self._in_post_form:
                self.forms.append({})
                self.actions.append(a.get("action", ""))
            return
        if not self._in_post_form:
            return
        fields = self.forms[-1]
        if tag == "option" and self._select:
            if self._first_option or "selected" in a:  # the first option, unless another is selected
                fields[self._select] = a.get("value", "")
            self._first_option = False
            return
        name = a.get("name")
        if not name or name in SKIPPED_FIELDS:
            return
        if tag == "input" and a.get("type", "text") not in ("submit", "button", "file", "reset", "image"):
            if a.get("type") not in ("checkbox", "radio") or "checked" in a:
                fields[name] = a.get("value", "")
            else:
                fields.setdefault(name, "")
        elif tag == "select":
            self._select, self._first_option = name, True
            fields.setdefault(name, "")
        elif tag == "textarea":
            self._textarea = name
            fields[name] = ""

    def handle_endtag(self, tag: str) -> None:
        if tag == "form":
            self._in_post_form = False
        elif tag == "select":
            self._select = None
        elif tag == "textarea":
            self._textarea = None

    def handle_data(self, data: str) -> None:
        if self._textarea and self._in_post_form:
            self.forms[-1][self._textarea] += data


def post_forms_of(html: str, page_url: str = "/") -> list[tuple[str, dict[str, str]]]:
    """(the URL the form posts to, its fields) of each post form with fields; an empty action is the page."""
    parser = FormFields()
    parser.feed(html)
    return [
        (urljoin(page_url, unescape(action)) if action else page_url, fields)
        for action, fields in zip(parser.actions, parser.forms, strict=True)
        if fields
    ]


def status_of(client: Client, method: str, url: str, **kwargs: Any) -> int:
    """One request whose effects are rolled back, so each starts from the same data."""
    with transaction.atomic():
        response = getattr(client, method)(url, **kwargs)
        transaction.set_rollback(True)
    return response.status_code


def page_urls(world: Any) -> list[str]:
    names = [name for name in MATRIX if not name.startswith("api:")]
    return sorted({reverse(name.split(" [", 1)[0], kwargs=MATRIX[name].kwargs(world)) for name in names})


def junk_bodies(fields: dict[str, str]) -> list[tuple[str, dict[str, str]]]:
    """Every field junk at once (each value), then each field junk alone over the form's values."""
    bodies = [(f"all={value[:20]!r}", dict.fromkeys(fields, value)) for value in FIELD_JUNK]
    for name in fields:
        for value in ONE_AT_A_TIME:
            bodies.append((f"{name}={value}", {**fields, name: value}))
    return bodies


@pytest.mark.parametrize("role", FORM_ACTORS)
def test_every_form_survives_junk_in_every_field(matrix_world, role) -> None:
    client = Client(raise_request_exception=False)
    client.force_login(matrix_world.actor(role))
    errors, forms_seen, tried = [], 0, set()
    for url in page_urls(matrix_world):
        page = client.get(url)
        if page.status_code != 200 or "text/html" not in page.get("Content-Type", ""):
            continue
        for action, fields in post_forms_of(page.content.decode(), url):
            form = (urlsplit(action).path, tuple(sorted(fields)))
            if form in tried:  # the same form of the layout or of another page of the same object
                continue
            tried.add(form)
            forms_seen += 1
            for label, body in junk_bodies(fields):
                if status_of(client, "post", action, data=body) >= 500:
                    errors.append(f"POST {action} (form of {url}) {label}")
    assert forms_seen >= 5, "the scan found no forms: the parser is broken"
    assert not errors, errors


def test_the_form_scan_sees_the_fields_of_a_real_form(matrix_world, client) -> None:
    client.force_login(matrix_world.own_admin)
    page = client.get(reverse("stations:unit_edit", kwargs={"pk": matrix_world.unit_a.pk}))
    fields = next(form for _, form in post_forms_of(page.content.decode()) if "uscc" in form)
    assert (
        fields["building"] == str(matrix_world.building_a.pk) and fields["name"] == matrix_world.unit_a.name
    )


def _operations(client: Client) -> tuple[dict[str, dict[str, Any]], dict[str, Any]]:
    schema = client.get(reverse("api:openapi-json")).json()
    return schema["paths"], schema


def _body_properties(operation: dict[str, Any], schema: dict[str, Any]) -> list[str]:
    body = operation.get("requestBody", {}).get("content", {})
    shape = (body.get("application/json") or body.get("multipart/form-data") or {}).get("schema", {})
    if "$ref" in shape:
        shape = schema["components"]["schemas"][shape["$ref"].rsplit("/", 1)[-1]]
    return list(shape.get("properties", {})) or ["comment", "name", "id"]


def api_urls(world: Any) -> list[str]:
    names = [name for name in MATRIX if name.startswith("api:") and "openapi" not in name]
    return sorted({reverse(url_name_of(name), kwargs=MATRIX[name].kwargs(world)) for name in names})


def _path_template_of(url: str, paths: dict[str, Any]) -> str | None:
    parts = url.rstrip("/").split("/")
    for template in paths:
        pieces = template.rstrip("/").split("/")
        if len(pieces) == len(parts) and all(
            p == q or (p.startswith("{") and p.endswith("}")) for p, q in zip(pieces, parts, strict=True)
        ):
            return template
    return None


@pytest.mark.parametrize("role", API_ACTORS)
def test_every_api_operation_survives_junk(matrix_world, role) -> None:
    client = Client(raise_request_exception=False)
    client.force_login(matrix_world.actor(role))
    paths, schema = _operations(client)
    errors, operations_seen = [], 0
    for url in api_urls(matrix_world):
        template = _path_template_of(url, paths)
        if template is None:
            continue
        for method, operation in paths[template].items():
            operations_seen += 1
            properties = _body_properties(operation, schema)
            requests: list[tuple[str, dict[str, Any]]] = [
                (
                    "query",
                    {"data": dict.fromkeys(["page", "page_size", "q", "station", "year"], OUT_OF_RANGE_ID)},
                ),
                ("multipart without boundary", {"data": b"--x\r\n", "content_type": "multipart/form-data"}),
            ]
            if method != "get":
                for value in (*FIELD_JUNK, 10**20, -(10**20), 1e308, [], {}):
                    requests.append(
                        (
                            f"json {value!r:.20}",
                            {"data": dict.fromkeys(properties, value), "content_type": "application/json"},
                        )
                    )
            for label, kwargs in requests:
                if method == "get" and label != "query":
                    continue
                if status_of(client, method, url, **kwargs) >= 500:
                    errors.append(f"{method.upper()} {url} {label}")
    assert operations_seen >= 20, "the scan found no API operations"
    assert not errors, errors
