"""Template side of `dangjian.members.identity`: what the signed-in viewer sees of a record."""

from __future__ import annotations

from typing import Any

from django import template

from dangjian.members import identity
from dangjian.members.models import ProfileCorrection

register = template.Library()


@register.simple_tag(takes_context=True)
def shown_correction(context: Any, correction: ProfileCorrection) -> identity.ShownChange:
    """`{% shown_correction c as shown %}`: the request's old and new values as the viewer may see them."""
    return identity.shown_correction(context["request"].user, correction)
