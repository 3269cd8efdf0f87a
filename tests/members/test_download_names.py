"""Roster downloads are named in Chinese (they were `members-20261202-0930.xlsx`)."""

from __future__ import annotations

import re
from urllib.parse import unquote

import pytest
from django.urls import reverse

from tests.members.builders import make_profile


def _filename(response) -> str:
    disposition = response["Content-Disposition"]
    match = re.fullmatch(r"attachment; filename\*=utf-8''(.+)", disposition)
    assert match, disposition
    return unquote(match.group(1))


@pytest.mark.django_db
def test_roster_export_and_template_have_chinese_names(world, client) -> None:
    make_profile(world.org_a)
    client.force_login(world.own_admin)
    export = client.get(reverse("members:export"))
    assert export.status_code == 200
    assert re.fullmatch(r"党员名册-\d{8}-\d{4}\.xlsx", _filename(export))
    template = client.get(reverse("members:import_template"))
    assert _filename(template) == "党员信息导入模板.xlsx"
