"""JSON API of party-affairs disclosure (DB3212/T 1124 §6.3 党务公开).

Reads show what the caller may see (anonymous callers: public items only); a withdrawn item carries its
reason and no body. Workflow actions answer the new status; a refusal is 400 `invalid` with a Chinese
message, an item of another station is 404.
"""

from collections.abc import Callable
from datetime import date, datetime
from typing import Annotated, Any

from django.db.models import Q, QuerySet
from django.http import HttpRequest
from ninja import Body, Field, FilterSchema, Query, Router, Schema
from ninja.filter_schema import FilterLookup

from dangjian.accounts.api_auth import PUBLIC_READ
from dangjian.core.api_schemas import ObjectId, StationRef, paginated, text, with_errors
from dangjian.core.workflow import REFUSAL_CODES, ReviewAction
from dangjian.disclosures import selectors, services
from dangjian.disclosures.models import Category, Disclosure
from dangjian.organizations.api import OrganizationRef

router = Router(tags=["党务公开"])


class DisclosureOut(Schema):
    id: int
    organization: OrganizationRef
    station: StationRef
    category: str
    category_label: str
    title: str
    body: str | None = Field(None, description="正文（安全的 HTML）；已撤回的条目为 null")
    period_start: date
    period_end: date
    visibility: str
    status: str
    status_label: str
    published_at: datetime | None
    withdrawn_reason: str
    withdrawn_at: datetime | None
    url: str

    @staticmethod
    def resolve_category_label(obj: Disclosure) -> str:
        return obj.get_category_display()

    @staticmethod
    def resolve_status_label(obj: Disclosure) -> str:
        return obj.get_status_display()

    @staticmethod
    def resolve_body(obj: Disclosure) -> str | None:
        return None if obj.is_withdrawn else obj.body

    @staticmethod
    def resolve_url(obj: Disclosure) -> str:
        return obj.get_absolute_url()


class DisclosureFilter(FilterSchema):
    organization: Annotated[ObjectId | None, FilterLookup("organization_id")] = Field(
        None, description="党组织编号"
    )
    category: Category | None = Field(None, description="公开类别")
    year: Annotated[int | None, Field(ge=2000, le=2100)] = Field(None, description="公开期间所涉年份")

    def filter_year(self, value: int | None) -> Q:
        return selectors.covering_year(value) if value else Q()


class CommentIn(Schema):
    comment: Annotated[str, text(500)] = Field("", description="审核意见、退回意见或撤回原因")


# The body is optional: `submit` and `approve` may be posted without one.
NO_COMMENT: Any = Body(CommentIn(comment=""))


class StatusOut(Schema):
    id: int
    status: str
    status_label: str

    @staticmethod
    def resolve_status_label(obj: Disclosure) -> str:
        return obj.get_status_display()


@router.get(
    "/disclosures",
    response=with_errors({200: list[DisclosureOut]}, 401, 422),
    url_name="disclosure_list",
    summary="党务公开列表",
    description="已发布与已撤回的党务公开中调用者可见的条目，新的公开期间在前。`year` 筛选公开期间与该年有交集的条目。",
    **PUBLIC_READ,
)
@paginated
def disclosure_list(request: HttpRequest, filters: Query[DisclosureFilter]) -> QuerySet[Disclosure]:
    items = selectors.visible_disclosures(request.user)
    return filters.filter(items).order_by("-period_start", "-published_at", "-id")


@router.get(
    "/disclosures/{disclosure_id}",
    response=with_errors({200: DisclosureOut}, 401, 404, 422),
    url_name="disclosure_detail",
    summary="党务公开详情",
    **PUBLIC_READ,
)
def disclosure_detail(request: HttpRequest, disclosure_id: ObjectId) -> Disclosure:
    return selectors.access_disclosure(user=request.user, pk=disclosure_id)


def _action_endpoint(action: str, summary: str, description: str) -> None:
    """Register `POST /disclosures/{id}/<action>`, which runs the workflow service of that action."""
    service: Callable[..., Disclosure] = services.TRANSITIONS[action]

    def endpoint(
        request: HttpRequest, disclosure_id: ObjectId, payload: CommentIn = NO_COMMENT
    ) -> Disclosure:
        disclosure = selectors.access_disclosure(user=request.user, pk=disclosure_id, manage=True)
        return service(disclosure=disclosure, actor=request.user, comment=payload.comment)

    router.post(
        f"/disclosures/{{disclosure_id}}/{action}",
        response=with_errors(
            {200: StatusOut},
            401,
            403,
            404,
            422,
            e400=(*REFUSAL_CODES[ReviewAction(action)], "forbidden", "invalid_body"),
        ),
        url_name=f"disclosure_{action}",
        operation_id=f"disclosure_{action}",
        summary=summary,
        description=description,
    )(endpoint)


_action_endpoint("submit", "提交审核", "草稿或已退回的条目提交给本站点党建指导员审核。")
_action_endpoint("approve", "审核通过并发布", "仅限本站点党建指导员，且不能审核自己撰写或提交的条目。")
_action_endpoint("return", "退回修改", "仅限本站点党建指导员；`comment` 必填（退回意见）。")
_action_endpoint(
    "withdraw", "撤回", "已发布的条目撤回后仍保留记录并公开撤回原因；`comment` 必填（撤回原因）。"
)
