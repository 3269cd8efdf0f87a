from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import date
from typing import Any, ClassVar, cast

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import QuerySet

from dangjian.core.parsing import positive_int_or_none

# Dates a person can mean on this platform. Beyond them date arithmetic (ages, terms, periods)
# overflows, so a typed 9999-12-31 is refused like any other wrong value.
EARLIEST_DATE = date(1900, 1, 1)
LATEST_DATE = date(2199, 12, 31)


def validate_date_range(value: date | None) -> None:
    if value is not None and not EARLIEST_DATE <= value <= LATEST_DATE:
        raise ValidationError(
            f"日期应在 {EARLIEST_DATE.year} 年至 {LATEST_DATE.year} 年之间", code="date_out_of_range"
        )


class BoundedModelChoiceField(forms.ModelChoiceField):
    """A model choice whose typed id is checked before the database sees it: an id beyond a bigint
    (`building=99999999999999999999`) is an invalid choice, not an OverflowError."""

    def to_python(self, value: Any) -> Any:
        if _is_out_of_range_id(self, value):
            raise ValidationError(self.error_messages["invalid_choice"], code="invalid_choice")
        return super().to_python(value)


class BoundedModelMultipleChoiceField(forms.ModelMultipleChoiceField):
    def _check_values(self, value: Any) -> Any:
        for item in value if isinstance(value, list | tuple) else [value]:
            if _is_out_of_range_id(self, item):
                raise ValidationError(
                    self.error_messages["invalid_choice"], code="invalid_choice", params={"value": item}
                )
        return super()._check_values(value)  # type: ignore[misc]


def _is_out_of_range_id(field: forms.ModelChoiceField, value: Any) -> bool:
    if (
        field.to_field_name is not None
        or value in field.empty_values
        or (field.queryset is not None and isinstance(value, field.queryset.model))
    ):
        return False
    text = str(value).strip()
    return text.lstrip("-").isdigit() and positive_int_or_none(text) is None


def _bound(field: forms.Field) -> None:
    """Swap Django's field classes for the bounded ones (they add checks only) and range-check dates."""
    if type(field) is forms.ModelChoiceField:
        field.__class__ = BoundedModelChoiceField
    elif type(field) is forms.ModelMultipleChoiceField:
        field.__class__ = BoundedModelMultipleChoiceField
    if isinstance(field, forms.DateTimeField):
        field.validators.append(_date_range_of_datetime)
    elif isinstance(field, forms.DateField):
        field.validators.append(validate_date_range)


DJANGO_BLANK = "---------"


def _chinese_empty_choice(field: forms.Field, label: str) -> None:
    """Django's "---------" empty choice (a model choice's `empty_label`, a blank model-field choice)
    reads as `label` instead: "请选择…" on a form, "全部" in a filter bar."""
    if isinstance(field, forms.ModelChoiceField):
        if field.empty_label == DJANGO_BLANK:
            field.empty_label = label
    elif isinstance(field, forms.ChoiceField) and not isinstance(field, forms.MultipleChoiceField):
        choices = list(cast(Iterable[tuple[Any, Any]], field.choices))
        if any(value == "" and text == DJANGO_BLANK for value, text in choices):
            field.choices = [(v, label if v == "" and t == DJANGO_BLANK else t) for v, t in choices]


def _date_range_of_datetime(value: Any) -> None:
    validate_date_range(value.date() if value is not None else None)


class StyledFormMixin:
    """Bootstrap classes on every widget, so templates render forms with one include; every field
    bounded so that no typed value reaches the database in a form it cannot take."""

    empty_choice_label: ClassVar[str] = "请选择…"

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for field in self.fields.values():  # type: ignore[attr-defined]
            _bound(field)
            _chinese_empty_choice(field, self.empty_choice_label)
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
    empty_choice_label: ClassVar[str] = "全部"

    def apply(self, qs: QuerySet) -> QuerySet:
        for field, lookup in self.lookups.items():
            value = self.cleaned_data.get(field)
            if value not in (None, ""):
                qs = qs.filter(**{lookup: value})
        return qs


def show_refusal(form: forms.BaseForm, error: ValidationError) -> None:
    """A service's refusal on the form: on the field it names when the form has it, else above the form."""
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error)
