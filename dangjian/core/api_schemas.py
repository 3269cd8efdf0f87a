"""Shapes shared by every router: the error body, pagination and the bounded input types that keep
user-typed values from ever reaching the database in a form it cannot take (no 500 on input)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from functools import cache
from typing import Annotated, Any, Literal

from django.utils import timezone
from ninja import Field, Schema
from ninja.pagination import PageNumberPagination, paginate
from pydantic import StringConstraints, create_model

from dangjian.core.api_errors import DEFAULT_CODES, describe_codes
from dangjian.core.parsing import MAX_ID

# A bigger id than MAX_ID is refused before it reaches SQLite/PostgreSQL.
# Far beyond any real list; keeps `(page - 1) * page_size` inside a 64-bit OFFSET.
MAX_PAGE = 1_000_000
MAX_PAGE_SIZE = 100
DEFAULT_PAGE_SIZE = 20


class ErrorOut(Schema):
    code: str = Field(..., description="机器可读的错误代码，如 not_found、invalid")
    message: str = Field(..., description="给用户看的中文说明")
    details: Any = Field(None, description="补充信息，如各字段的错误")


class StationRef(Schema):
    """A station named inside another object (an organisation's, a disclosure's, a person's home)."""

    id: int
    name: str


def text(max_length: int, *, min_length: int = 0) -> StringConstraints:
    """Constraints of a user-typed string: stripped, bounded, no NUL character (PostgreSQL refuses it).

    Use as `Annotated[str, text(120)]`."""
    return StringConstraints(
        strip_whitespace=True, min_length=min_length, max_length=max_length, pattern=r"^[^\x00]*$"
    )


ObjectId = Annotated[int, Field(ge=1, le=MAX_ID)]
SearchText = Annotated[str, text(100)]


class PageQuery(PageNumberPagination.Input):
    """The query parameters of every list."""

    page: int = Field(1, ge=1, le=MAX_PAGE, description="页码，从 1 开始")
    page_size: int | None = Field(
        None, ge=1, description=f"每页条数，默认 {DEFAULT_PAGE_SIZE}，最多 {MAX_PAGE_SIZE}"
    )


class Pagination(PageNumberPagination):
    """`?page=` and `?page_size=` (silently capped at 100); answers `{"items": [...], "count": N}`."""

    Input = PageQuery

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(page_size=DEFAULT_PAGE_SIZE, max_page_size=MAX_PAGE_SIZE, **kwargs)


def paginated(view: Callable[..., Any]) -> Callable[..., Any]:
    """Paginate a list operation that returns a queryset."""
    return paginate(Pagination)(view)


def with_errors(ok: dict[int, Any], *statuses: int, **codes_by_status: tuple[str, ...]) -> dict[int, Any]:
    """`response=` mapping that also documents the error statuses an operation can answer, each with the
    codes `body.code` may take there (an enum in the schema):
    `with_errors({200: Out}, 401, e400=("wrong_state", "self_review"), e404=("not_found",))`. A status
    given by number alone takes its default code (400/422 `invalid`, 401 `not_authenticated`,
    403 `forbidden`, 404 `not_found`, 409 `conflict`, 429 `throttled`)."""
    codes = {status: DEFAULT_CODES[status] for status in statuses}
    codes.update({int(key.removeprefix("e")): tuple(value) for key, value in codes_by_status.items()})
    return {**ok, **{status: error_schema(status, found) for status, found in sorted(codes.items())}}


def write_responses(
    ok: dict[int, Any],
    e400: tuple[str, ...],
    *,
    e403: tuple[str, ...] = ("forbidden",),
    e409: tuple[str, ...] | None = None,
) -> dict[int, Any]:
    """`response=` of a write: its refusal codes per status, and for every write 401 `not_authenticated`,
    403 (the service refused the person, or a session write without its CSRF token), 404 `not_found` and
    422 `invalid` (a body or an id that does not fit)."""
    more = {"e409": e409} if e409 else {}
    return with_errors(ok, 401, 404, 422, e400=e400, e403=e403, **more)


def local(moment: datetime | None) -> datetime | None:
    """An aware time in Asia/Shanghai for the API's output (`+08:00`)."""
    return timezone.localtime(moment) if moment is not None else None


@cache
def error_schema(status: int, codes: tuple[str, ...]) -> type[ErrorOut]:
    """The error body of one status whose `code` is one of `codes` (one component per distinct list).
    Every code needs its meaning in `api_errors.ERROR_CODES` (tests/api/test_error_codes.py checks)."""
    if not codes:
        raise ValueError(f"HTTP {status}: list at least one error code")
    name = f"Error{status}" + "".join(part.title() for code in codes for part in code.split("_"))
    code_type: Any = Literal[codes]  # one of these strings (an enum in the OpenAPI schema)
    description = f"机器可读的错误代码 —— {describe_codes(codes)}"
    model: type[ErrorOut] = create_model(
        name,
        __base__=ErrorOut,
        __doc__=f"HTTP {status} 的错误答复。",
        code=(code_type, Field(..., description=description)),
    )
    return model
