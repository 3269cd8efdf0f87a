"""Reactions to other capabilities' signals (DESIGN.md: a listener imports only the emitter's signals)."""

from __future__ import annotations

import logging
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError

from dangjian.disclosures.models import Category, Disclosure, Visibility
from dangjian.disclosures.services import disclosure_save
from dangjian.dues.signals import dues_period_closed

logger = logging.getLogger(__name__)


def draft_dues_disclosure(sender: Any, summary: Any, actor: Any, **kwargs: Any) -> None:
    """党费收缴与使用 (§6.3 党务公开): a closed dues month becomes a draft for the organisation to review
    and publish through the usual workflow. A refusal is logged, never raised at the treasurer."""
    disclosure = Disclosure(
        organization_id=summary.organization_id,
        category=Category.DUES,
        title=summary.title,
        body=summary.body_html,
        period_start=summary.period_start,
        period_end=summary.period_end,
        visibility=Visibility.ORGANIZATION,
    )
    try:
        disclosure_save(disclosure=disclosure, actor=actor)
    except (PermissionDenied, ValidationError):
        logger.warning(
            "dues summary of organisation %s was not drafted", summary.organization_id, exc_info=True
        )


def connect() -> None:
    dues_period_closed.connect(draft_dues_disclosure, dispatch_uid="disclosures.draft_dues_disclosure")
