"""Signals the dues app emits (DESIGN.md: a capability reacts to another's events through the emitter's
`signals.py`; a listener imports only this module, and dues never imports the listener).

`dues_period_closed` is sent once a month's dues sheet is closed (结账), after the transaction commits:

    dues_period_closed.send(sender=PeriodSummary, summary=summary, actor=user)

`summary` is a `PeriodSummary` carrying everything a 党务公开 draft (DB3212/T 1124 §6.3) needs — the
organisation, the period, the figures and a ready title and body — so a listener in `disclosures` can
create a draft of category "dues" with `disclosure_save` without reading any dues model.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.dispatch import Signal

dues_period_closed = Signal()


@dataclass(frozen=True)
class PeriodSummary:
    organization_id: int
    organization_name: str
    station_id: int
    period_start: date
    period_end: date
    due: Decimal  # 应交
    paid: Decimal  # 实交（按应交金额计）
    extra: Decimal  # 自愿多交
    rate_percent: Decimal  # 收缴率，百分数，保留一位小数
    members: int  # 应交人数
    paid_members: int  # 已交清人数
    title: str
    body_html: str
