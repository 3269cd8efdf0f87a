"""Every role of another station meets branch A's objects as if they did not exist, and writes nothing
into A (DESIGN.md "The 1+N model": management and personal data are isolated).

The access matrix (tests/access_matrix.py) names one cross-station role, B's station admin. Here every
role of `Role` is held by a person at branch B (with its scope there: B's building, B's organisation, a
grid of B), and a party member of another organisation of A stands beside them. For every row of the
matrix (and a few further cases, tests/cross_bodies.py `EXTRA_ROWS`), as each of them:

1. GET and POST (and PATCH/DELETE for the API operations that write so) on the row's URL answer exactly
   what the same URL answers when every object id in it names nothing: A's objects look missing. Public
   pages are compared on their writes only (anyone may read them).
2. The write is sent with a valid body aimed at A (tests/cross_bodies.py `VALID_BODIES`) and changes
   nothing of A: no audit event and not one row of the tables that hold A's data is added, removed or
   changed (rows of B itself are left out: B's roles may keep B's own data).
3. The positive control: A's own writer sends the same body to the same URL and the write happens, so the
   bodies are valid and the refusals above are real.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from typing import Any

import pytest
from django.apps import apps
from django.db import connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django_scopes import scopes_disabled

from dangjian.accounts.models import ROLE_SCOPE, PersonKind, Role
from dangjian.core.models import AuditEvent
from tests import factories as f
from tests.access import Row
from tests.access_matrix import MATRIX
from tests.cross_bodies import (
    EXTRA_ROWS,
    METHODS,
    TARGETS,
    VALID_BODIES,
    WRITERS,
    capability_entries,
    prepare_targets,
)
from tests.members.builders import make_profile

pytestmark = pytest.mark.django_db

ROWS: dict[str, Row] = {**MATRIX, **EXTRA_ROWS}

# ---------------------------------------------------------------- the cross-station people

# The scope each role has at branch B. A role added to `Role` without an entry here fails
# `test_every_role_of_a_station_has_a_cross_station_column`.
B_SCOPES: dict[str, Callable[[Any], dict[str, Any]]] = {
    Role.STATION_ADMIN: lambda w: {},
    Role.INSTRUCTOR: lambda w: {},
    Role.GUIDE: lambda w: {},
    Role.WORKER: lambda w: {"building": w.building_b},
    Role.ORG_SECRETARY: lambda w: {"organization": w.org_b},
    Role.ORG_OFFICER: lambda w: {"organization": w.org_b},
    Role.GRID_LEADER: lambda w: {"grid": w.grid_b},
}
# The platform admin (主管单位) is not a role *of a station*: it governs every station, A included, so it
# has no cross-station column (`test_the_platform_admin_is_platform_wide` shows it reaches A).
PLATFORM_WIDE = {Role.PLATFORM_ADMIN}
MEMBER_OF_ANOTHER_ORG = "member_other_org_a"
CROSS_ACTORS = (*(f"{role}_of_b" for role in B_SCOPES), MEMBER_OF_ANOTHER_ORG)


@pytest.fixture(scope="module")
def cross_world(matrix_world):
    """The access matrix's world plus one person for each role at branch B and a member of another
    organisation of A (`w.cross`), and the objects the valid bodies need."""
    w = matrix_world
    prepare_targets(w)
    w.grid_b = f.GridAreaFactory(building=w.building_b, name="金融大厦高区网格")
    w.cross = {}
    for role, scope in B_SCOPES.items():
        user = f.UserFactory(username=f"{role}_of_b", home_station=w.b)
        f.grant(user, role, w.b, **scope(w))
        w.cross[f"{role}_of_b"] = user
    # B's secretary is a party member of B's organisation too, with a member record of their own
    secretary = w.cross[f"{Role.ORG_SECRETARY}_of_b"]
    secretary.person_kind, secretary.organization = PersonKind.MEMBER, w.org_b
    secretary.save()
    make_profile(w.org_b, user=secretary)
    # a party member of A, but of another organisation of A than the one the objects belong to
    w.org_a2 = f.PartyOrganizationFactory(station=w.a, name="万达广场物业公司党支部")
    member = f.UserFactory(
        username=MEMBER_OF_ANOTHER_ORG,
        person_kind=PersonKind.MEMBER,
        organization=w.org_a2,
        home_station=w.a,
    )
    make_profile(w.org_a2, user=member)
    w.cross[MEMBER_OF_ANOTHER_ORG] = member
    return w


def test_every_role_of_a_station_has_a_cross_station_column() -> None:
    assert set(Role) - PLATFORM_WIDE == set(B_SCOPES), "a role of `Role` has no cross-station column"
    for role, scope in B_SCOPES.items():
        keys = set(scope(_ScopeProbe()))
        assert keys == ({ROLE_SCOPE[role]} if ROLE_SCOPE[role] else set()), role


class _ScopeProbe:
    building_b = org_b = grid_b = object()


def test_the_platform_admin_is_platform_wide(cross_world, client) -> None:
    """Why the platform admin has no column: it is not of a station, it governs A as well."""
    assert ROLE_SCOPE[Role.PLATFORM_ADMIN] is None
    client.force_login(cross_world.platform_admin)
    url = reverse("stations:building_edit", kwargs={"pk": cross_world.building_a.pk})
    assert client.get(url).status_code == 200


# ---------------------------------------------------------------- which rows do what

# Writes that are the actor's own business, not A's: signing in and out, one's own profile, password,
# tokens, inbox, station choice, registering and password recovery (anonymous only), paying one's own
# dues and asking corrections of one's own member record. They are still requested (and compared where
# they point at an object), but may write.
PERSONAL = {
    "accounts:login": "signs the actor in",
    "accounts:logout": "signs the actor out",
    "accounts:profile": "the actor's own name and mobile",
    "accounts:password_change": "the actor's own password",
    "accounts:tokens": "creates a token of the actor's",
    "api:token_list": "creates a token of the actor's",
    "api:token_create": "creates a token of the actor's",
    "portal:switch_station": "the station the actor browses, kept in their session",
    "core:inbox_read_all": "marks the actor's own notifications read",
    "api:inbox_mark_all_read": "marks the actor's own notifications read",
    "people:register": "self-registration (signed-in people are sent home)",
    "accounts:password_reset": "password recovery for an e-mail address",
    "accounts:password_reset_confirm": "password recovery with an e-mailed token",
    "accounts:sms_login": "signing in with a texted code",
    "accounts:sms_reset": "password recovery with a texted code",
    "dues:my_pay": "the actor pays their own dues",
    "api:my_dues_pay": "the actor pays their own dues",
    "members:me": "the actor asks a correction of their own member record",
    "members:me_reveal": "the actor reveals their own ID number (audited, their own record)",
    # venues are shared (§3.2): anyone signed in may book a venue open to every registered user, report a
    # fault on a venue they can see and ask to visit any station; the request is the actor's own
    "api:venue_reserve": "the actor books A's venue open to every registered user (their own booking)",
    "api:venue_fault_report": "the actor reports a fault of a venue they can see (their own report)",
    "api:tour_request": "the actor asks to visit a station (their own request)",
    "venues:detail": "the actor books A's venue open to every registered user (their own booking)",
    "venues:fault_report": "the actor reports a fault of a venue they can see (their own report)",
    "venues:tour_request": "the actor asks to visit a station (their own request)",
    "venues:checkin": "the holder checks their own booking in by the venue's QR code",
    # a published course is studied at every station (1+N): the progress and attempts are the actor's own
    "api:learning_lesson_open": "the actor's own progress in a published course (1+N)",
    "api:learning_heartbeat": "the actor's own progress in a published course (1+N)",
    "api:learning_attempt_start": "the actor's own attempt of a published course's exam (1+N)",
    "learning:heartbeat": "the actor's own progress in a published course (1+N)",
    "learning:heartbeat [bad]": "the actor's own progress in a published course (1+N): a bad beat, refused",
    "learning:quiz": "the actor starts their own attempt of a published course's exam (1+N)",
}
# Rows that take a POST but write nothing for anyone, so they need no body.
NO_BODY = {
    "healthz": "a health probe",
    "api:openapi-json": "the API schema",
    "api:openapi-view": "the API documentation page",
    "api:api-root": "no operation there (404)",
    "api:unknown_endpoint": "no operation there (404)",
    "dues:demo_pay": "the demo gateway is off unless a setting turns it on: 404 for everyone",
    "dues:callback": "the demo gateway is off unless a setting turns it on: 404 for everyone",
}
# Legitimate differences between A's object and a missing one, for a cross-station role (keep short).
SAME_AS_MISSING_EXCEPTIONS: dict[str, str] = {
    # The article is HQ's, synced to every branch (shared content, not A's): B's admin and worker may hide
    # it at B. The view hides it at the first station the person may hide at, so a body naming A hides it
    # at B (a write of B, audited at B; A's hidden list is unchanged).
    "news:synced": "an HQ article synced to every branch is B's to hide at B",
    "api:venue_reserve": "A's shared venue is open to every registered user: B's people book it too",
    "api:venue_fault_report": "anyone who can see A's shared venue may report a fault of it",
    "api:tour_request": "anyone signed in may ask to visit any station",
    "venues:detail": "A's shared venue is open to every registered user: B's people book it too",
    "venues:fault_report": "anyone who can see A's shared venue may report a fault of it",
    "api:learning_course_detail": "A's published course is one row every station studies (1+N)",
    "api:learning_lesson_open": "A's published course is one row every station studies (1+N)",
    "api:learning_heartbeat": "A's published course is one row every station studies (1+N)",
    "api:learning_attempt_start": "A's published course's exam is open to every station's learners (1+N)",
    "learning:course": "A's published course is one row every station studies (1+N)",
    "learning:lesson": "A's published course is one row every station studies (1+N)",
    "learning:lesson [document]": "A's published course is one row every station studies (1+N)",
    "learning:lesson_media": "A's published course is one row every station studies (1+N)",
    "learning:heartbeat": "A's published course is one row every station studies (1+N)",
    "learning:heartbeat [bad]": "A's published course is one row every station studies (1+N)",
    "learning:quiz": "A's published course's exam is open to every station's learners (1+N)",
    # the matrix's courseware item is shared with the whole platform (published, sharing "platform"): every
    # signed-in person uses it; an item shared with its station only stays missing to other stations
    "courseware:detail": "A's courseware shared with the whole platform is for everyone signed in",
    "courseware:preview": "A's courseware shared with the whole platform is for everyone signed in",
    "courseware:download": "A's courseware shared with the whole platform is for everyone signed in",
    "courseware:reader": "A's courseware shared with the whole platform is for everyone signed in",
    "api:courseware_detail": "A's courseware shared with the whole platform is for everyone signed in",
    "api:courseware_preview": "A's courseware shared with the whole platform is for everyone signed in",
    "api:courseware_download": "A's courseware shared with the whole platform is for everyone signed in",
    # a joint meeting is HQ's (the supervising unit convenes it), not A's: it invites A's and B's
    # organisations, so B's secretary and officer (of the invited organisation) see it and its decisions
    "activities:joint_meeting": "HQ's joint meeting invites B's organisation: its secretary and officer "
    "see it",
    "activities:joint_decision": "a decision of HQ's joint meeting that invites B's organisation: its "
    "secretary and officer see it",
    "api:joint_meeting": "HQ's joint meeting invites B's organisation: its secretary and officer see it",
    "api:joint_decision": "a decision of HQ's joint meeting that invites B's organisation: its secretary "
    "and officer see it",
}

# Where a B role's request legitimately writes an audit event *of B*: the check is then that every new
# event is B's and nothing of A changed.
AUDITED_AT_B = {
    # the event is filed under a station only when every exported row is of it: at B, nothing of A left
    "members:export": "B's admin and B's secretary export B's own roster unmasked (a filter naming A's "
    "organisation is ignored): the export is audited at B",
    "news:synced": SAME_AS_MISSING_EXCEPTIONS["news:synced"],
    # the form names no station: a course is created at the author's own station, for B's authors at B
    "learning:course_create": "B's admin and worker create a course of B's own (the page picks the "
    "station they author at): audited at B",
}
# Rows whose A object is in the body rather than in the URL: the missing case names a missing object there.
MISSING_BODIES: dict[str, Callable[[dict[str, Any]], dict[str, Any]]] = {
    "news:body_image": lambda body: {**body, "article": MISSING},
    "api:unit_list": lambda body: {**body, "building": MISSING},
    "api:unit_create": lambda body: {**body, "building": MISSING},
    "news:synced": lambda body: {**body, "article": MISSING},
}
for _table, _shared in {
    "PERSONAL": PERSONAL,
    "NO_BODY": NO_BODY,
    "SAME_AS_MISSING_EXCEPTIONS": SAME_AS_MISSING_EXCEPTIONS,
    "AUDITED_AT_B": AUDITED_AT_B,
    "MISSING_BODIES": MISSING_BODIES,
}.items():
    _shared.update(capability_entries(_table))
MISSING = 2**31 - 1
NOT_OBJECT_IDS = {"year", "month"}  # int kwargs that are a period, not an object's id
MISSING_STRINGS = {"order": "DO19700101000000000000DEAD", "code": "no-such-station"}


def _is_public(row: Row) -> bool:
    return row.get["anonymous"] == 200


def _refused_before_lookup(row: Row, method: str) -> bool:
    """A method every signed-in role of the matrix gets 405 for is refused before any object is looked
    up (the view's method check): it is sent, but comparing it with a missing object tells nothing."""
    statuses = {"get": row.get, "post": row.post}.get(method)
    return statuses is not None and all(
        status == 405 for role, status in statuses.items() if role != "anonymous"
    )


def _write_method(name: str) -> str:
    return METHODS.get(name, "post")


def _takes_writes(name: str, row: Row) -> bool:
    return name in METHODS or row.post["own_admin"] != 405


def _kwargs(name: str, world: Any) -> dict[str, Any]:
    return (TARGETS.get(name) or ROWS[name].kwargs)(world)


def _url(name: str, kwargs: dict[str, Any], building: Any) -> str:
    row = ROWS[name]
    return reverse(name.split(" [", 1)[0], kwargs=kwargs) + row.query.format(building=building)


def _missing_kwargs(kwargs: dict[str, Any]) -> dict[str, Any]:
    def missing(key: str, value: Any) -> Any:
        if isinstance(value, int) and key not in NOT_OBJECT_IDS:
            return MISSING
        return MISSING_STRINGS.get(key, value)

    return {key: missing(key, value) for key, value in kwargs.items()}


def _names_objects(name: str, kwargs: dict[str, Any]) -> bool:
    return kwargs != _missing_kwargs(kwargs) or "{building}" in ROWS[name].query or name in MISSING_BODIES


def _body(name: str, world: Any) -> dict[str, Any]:
    return (VALID_BODIES.get(name) or ROWS[name].post_data)(world)


# ---------------------------------------------------------------- A's data, before and after


def _fingerprinted_models() -> list[Any]:
    skipped = {
        "core.AuditEvent",  # checked on its own
        "core.SearchDocument",  # the search index, derived from the content tables
        "core.SearchDocumentFts",
        "core.ThrottleBucket",  # throttle and lockout counters of sign-in and recovery
        "accounts.LoginFailure",
        "accounts.VerificationCode",
    }
    models = []
    for model in apps.get_models(include_auto_created=True):
        owner = model._meta.auto_created or model
        if owner.__module__.startswith("dangjian.") and model._meta.label not in skipped:
            models.append(model)
    return models


FINGERPRINTED = _fingerprinted_models()
IGNORED_FIELDS = {"accounts.User": {"last_login"}}  # set by signing the actors in


def _fingerprint(station_b: int) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of every table of our apps, but B's own rows (B's roles may change those)."""
    rows = {}
    with scopes_disabled():
        for model in FINGERPRINTED:
            fields = [
                field.attname
                for field in model._meta.concrete_fields
                if field.name not in IGNORED_FIELDS.get(model._meta.label, ())
            ]
            queryset = model._base_manager.order_by("pk")
            if any(field.name == "station" for field in model._meta.concrete_fields):
                queryset = queryset.exclude(station_id=station_b)
            rows[model._meta.label] = list(queryset.values_list(*fields))
    return rows


def _changed(before: dict[str, list], after: dict[str, list]) -> list[str]:
    changes = []
    for label, rows in before.items():
        if rows != after[label]:
            old, new = set(map(repr, rows)), set(map(repr, after[label]))
            changes.append(f"{label}: +{len(new - old)} -{len(old - new)}")
    return changes


class Outcome:
    def __init__(self, status: int, changes: list[str], events: list[AuditEvent], content: bytes) -> None:
        self.status, self.changes, self.events, self.content = status, changes, events, content

    def wrote(self) -> bool:
        return bool(self.changes or self.events)

    def __str__(self) -> str:
        events = [(event.action, event.station_id) for event in self.events]
        return f"{self.status}, changed {self.changes}, audit {events}"


def _send(client: Client, method: str, url: str, body: dict[str, Any], *, as_json: bool) -> Any:
    if method == "get":
        return client.get(url)
    if as_json or method in ("patch", "delete"):
        return getattr(client, method)(url, json.dumps(body), content_type="application/json")
    return client.post(url, body)


class Before:
    """A's data before the requests (each is rolled back), fingerprinted only once a request wrote."""

    def __init__(self, station_b: int) -> None:
        self.station_b = station_b
        self._rows: dict[str, list] | None = None

    def rows(self) -> dict[str, list]:
        if self._rows is None:
            self._rows = _fingerprint(self.station_b)
        return self._rows


WRITE_STATEMENTS = ("INSERT", "UPDATE", "DELETE", "REPLACE")
FINGERPRINTED_TABLES = tuple(f'"{model._meta.db_table}"' for model in FINGERPRINTED)


def _writes_to_fingerprinted_tables(queries: list[dict[str, str]]) -> bool:
    """Whether any statement could have changed a fingerprinted table (rows change only by SQL on this
    connection; the fingerprint is taken only then)."""
    for query in queries:
        sql = query["sql"].lstrip()
        if sql.upper().startswith(WRITE_STATEMENTS) and any(table in sql for table in FINGERPRINTED_TABLES):
            return True
    return False


def _request(
    client: Client,
    method: str,
    url: str,
    body: dict[str, Any],
    *,
    as_json: bool,
    before: Before | None = None,
) -> Outcome:
    """One request whose effects are rolled back; with `before`, what it changed of A's data."""
    with transaction.atomic():
        with scopes_disabled():
            last_event = AuditEvent.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
        with CaptureQueriesContext(connection) as statements:
            response = _send(client, method, url, body, as_json=as_json)
        after, events = None, []
        if before is not None:
            if _writes_to_fingerprinted_tables(statements.captured_queries):
                after = _fingerprint(before.station_b)
            with scopes_disabled():
                events = list(AuditEvent.objects.filter(pk__gt=last_event).order_by("pk"))
        transaction.set_rollback(True)
    # rolled back: the data is as before the request again (taken now if no earlier request wrote)
    changes = _changed(before.rows(), after) if before is not None and after is not None else []
    return Outcome(response.status_code, changes, events, _content(response))


def _content(response: Any) -> bytes:
    """The response's body, a streamed one (a file download) read to its end (the test client closes
    the response when its stream is exhausted)."""
    if getattr(response, "streaming", False):
        return b"".join(response.streaming_content)
    return response.content


def _form_errors(content: bytes) -> str:
    """The error messages a page shows (for the positive control's failure message)."""
    text = content.decode(errors="replace")
    found = re.findall(
        r'class="[^"]*(?:invalid-feedback|errorlist|alert-danger|alert-warning)[^"]*"[^>]*>(.*?)</',
        text,
        re.S,
    )
    return " | ".join(" ".join(item.split()) for item in found) or text[:300]


# ---------------------------------------------------------------- the tests


def test_every_write_has_a_valid_body_or_a_reason() -> None:
    writes = {name for name, row in ROWS.items() if _takes_writes(name, row)}
    unexplained = sorted(writes - set(VALID_BODIES) - set(PERSONAL) - set(NO_BODY))
    assert not unexplained, (
        f"rows that take writes without a valid body in tests/cross_bodies.py: {unexplained}"
    )
    for table in (VALID_BODIES, WRITERS, TARGETS, METHODS, PERSONAL, NO_BODY, AUDITED_AT_B, MISSING_BODIES):
        stale = sorted(set(table) - set(ROWS))
        assert not stale, f"entries for rows that do not exist: {stale}"
    assert set(WRITERS) | set(TARGETS) <= set(VALID_BODIES)


@pytest.mark.parametrize("name", sorted(ROWS))
def test_cross_station_roles_meet_a_as_missing_and_write_nothing(name: str, cross_world) -> None:
    wrong = cross_station_findings(name, cross_world)
    assert not wrong, "\n".join(wrong)


def cross_station_findings(name: str, w: Any) -> list[str]:
    """Every cross-station actor's requests on one row: what answered unlike a missing object, and what
    was written into A."""
    row = ROWS[name]
    kwargs = _kwargs(name, w)
    url = _url(name, kwargs, w.building_a.pk)
    missing_url = _url(name, _missing_kwargs(kwargs), MISSING)
    compare = _names_objects(name, kwargs)
    write = _write_method(name)
    # public pages are read by anyone: only their writes are requested
    methods = [*([] if _is_public(row) else ["get"]), *(["post"] if write != "post" else []), write]
    checks_writes = _takes_writes(name, row) and name not in PERSONAL
    before = Before(w.b.pk)
    wrong = []
    for actor in CROSS_ACTORS:
        client = Client(raise_request_exception=False)
        client.force_login(w.cross[actor])
        for method in methods:
            body = _body(name, w) if method != "get" else {}
            watched = checks_writes and method == write
            got = _request(client, method, url, body, as_json=row.json, before=before if watched else None)
            label = f"{actor} {method.upper()} {url}"
            if got.status >= 500:
                wrong.append(f"{label}: {got.status}")
            if watched:
                foreign = [e for e in got.events if name not in AUDITED_AT_B or e.station_id != w.b.pk]
                if got.changes or foreign:
                    wrong.append(f"{label} WROTE INTO A: {got}")
            if not compare or name in SAME_AS_MISSING_EXCEPTIONS or _refused_before_lookup(row, method):
                continue
            missing_body = MISSING_BODIES[name](_body(name, w)) if name in MISSING_BODIES else body
            absent = _request(client, method, missing_url, missing_body, as_json=row.json)
            if got.status != absent.status:
                wrong.append(f"{label}: {got.status} for A's object, {absent.status} for a missing one")
    return wrong


def test_the_check_finds_a_leak(cross_world, monkeypatch) -> None:
    """The check has teeth: with the building selector's station filter and the `change_building` rule
    both broken (any station admin manages every building), B's admin reads and edits A's building, and
    the check says so."""
    import rules

    from dangjian.stations import selectors

    monkeypatch.setattr(selectors, "restrict_to_stations", lambda queryset, station_ids, **kwargs: queryset)
    monkeypatch.setitem(rules.permissions.permissions, "stations.change_building", rules.is_authenticated)
    findings = cross_station_findings("stations:building_edit", cross_world)
    url = reverse("stations:building_edit", kwargs={"pk": cross_world.building_a.pk})
    assert f"station_admin_of_b GET {url}: 200 for A's object, 404 for a missing one" in findings
    assert any(line.startswith(f"station_admin_of_b POST {url} WROTE INTO A") for line in findings)


def test_every_valid_body_writes_for_a(cross_world) -> None:
    """The positive control: each body that B's roles send, sent to the same URL by A's own writer, does
    write (every request is rolled back, so one world serves them all)."""
    w, failures = cross_world, []
    before = Before(w.b.pk)
    clients: dict[str, Client] = {}
    for name in sorted(VALID_BODIES):
        writer = WRITERS.get(name, "own_admin")
        if writer not in clients:
            clients[writer] = Client(raise_request_exception=False)
            clients[writer].force_login(getattr(w, writer))
        url = _url(name, _kwargs(name, w), w.building_a.pk)
        body = _body(name, w)
        got = _request(
            clients[writer], _write_method(name), url, body, as_json=ROWS[name].json, before=before
        )
        if got.status not in (200, 201, 204, 302) or not got.wrote():
            failures.append(f"{name}: {writer} {url}: {got} {_form_errors(got.content)}")
    assert not failures, "bodies that do not write for A:\n" + "\n".join(failures)
