"""Disclosures made through the real services, for the tests and the access matrix."""

from __future__ import annotations

from datetime import date
from typing import Any

from dangjian.accounts.models import Role, User
from dangjian.disclosures import services
from dangjian.disclosures.models import Disclosure
from tests import factories as f

DUES_BODY = (
    "<p>2026年第三季度，支部应交党费 3,860.00 元，实交 3,860.00 元，收缴率 100%。</p>"
    "<p>本季度支出 1,200.00 元，用于购买学习书籍和开展主题党日活动。</p>"
)


def make_instructor(station: Any, username: str) -> User:
    user = f.UserFactory(username=username)
    f.grant(user, Role.INSTRUCTOR, station)
    return user


def draft_fields(**overrides: Any) -> dict[str, Any]:
    fields: dict[str, Any] = {
        "category": "dues",
        "title": "2026年第三季度党费收缴与使用情况公示",
        "body": DUES_BODY,
        "period_start": date(2026, 7, 1),
        "period_end": date(2026, 9, 30),
        "visibility": "public",
    }
    fields.update(overrides)
    return fields


def write_draft(author: Any, organization: Any, **overrides: Any) -> Disclosure:
    disclosure = Disclosure(organization=organization, **draft_fields(**overrides))
    return services.disclosure_save(disclosure=disclosure, actor=author)


def submitted(author: Any, organization: Any, **overrides: Any) -> Disclosure:
    disclosure = write_draft(author, organization, **overrides)
    return services.disclosure_submit(disclosure=disclosure, actor=author)


def published(author: Any, organization: Any, *, reviewer: Any, **overrides: Any) -> Disclosure:
    disclosure = submitted(author, organization, **overrides)
    return services.disclosure_approve(disclosure=disclosure, actor=reviewer)
