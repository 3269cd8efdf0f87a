from __future__ import annotations

from collections.abc import Callable
from typing import Any, ClassVar

from django import forms
from django.db.models import QuerySet


class StyledFormMixin:
    """Bootstrap classes on every widget, so templates render forms with one include."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for field in self.fields.values():  # type: ignore[attr-defined]
            widget = field.widget
            if isinstance(widget, forms.CheckboxInput):
                css = "form-check-input"
            elif isinstance(widget, forms.Select | forms.SelectMultiple):
                css = "form-select"
            else:
                css = "form-control"
            widget.attrs["class"] = f"{widget.attrs.get('class', '')} {css}".strip()
            if isinstance(widget, forms.DateInput):
                widget.input_type = "date"
                widget.format = "%Y-%m-%d"


class StyledModelForm(StyledFormMixin, forms.ModelForm):
    pass


class StyledForm(StyledFormMixin, forms.Form):
    pass


def limit_choices(
    form: forms.BaseForm, name: str, queryset: Any, *, label: Callable[[Any], str] | None = None
) -> None:
    """Restrict a model-choice field to `queryset` (the rows the user may pick), optionally relabelled."""
    field = form.fields[name]
    if not isinstance(field, forms.ModelChoiceField):
        raise TypeError(f"{name} is not a model choice field")
    field.queryset = queryset
    if label is not None:
        field.label_from_instance = label  # type: ignore[method-assign,assignment]


class ExactFilterForm(StyledForm):
    """A list's filter bar: each filled field narrows the queryset by `lookups[field]` (exact match)."""

    lookups: ClassVar[dict[str, str]] = {}

    def apply(self, qs: QuerySet) -> QuerySet:
        for field, lookup in self.lookups.items():
            value = self.cleaned_data.get(field)
            if value not in (None, ""):
                qs = qs.filter(**{lookup: value})
        return qs
