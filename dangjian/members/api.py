"""JSON API of member management (DB3212/T 1124 §6.3 党员管理). ID numbers are always masked here; the
full number is shown only on the audited “显示完整号码” page action. Beside the mask, `birth_date` is
null for callers who may not see the full number (officers, workers): they get `birth_year` only
(`dangjian.members.identity`).

- `GET /me/member`: the caller's own record (404 `not_found` if they have none);
- `GET /organizations/{id}/members`: an organisation's roster for its officers and the station's admins
  and workers (HQ/platform admins too); anyone else gets 404, as if the organisation had no roster.
"""

from datetime import date
from typing import Any

from django.db.models import QuerySet
from django.http import Http404, HttpRequest
from ninja import Field, Router, Schema

from dangjian.core.api_schemas import ObjectId, paginated, with_errors
from dangjian.members import identity, selectors
from dangjian.members.models import MemberProfile
from dangjian.organizations.api import OrganizationRef

router = Router(tags=["党员管理"])


class UnitRef(Schema):
    id: int
    name: str


class MemberOut(Schema):
    id: int
    name: str
    gender: str
    gender_label: str
    ethnicity: str
    ethnicity_label: str
    birth_year: int = Field(..., description="出生年份")
    birth_date: date | None = Field(
        ...,
        description="出生日期；仅向可查看完整公民身份号码的人员（本人、书记、站点管理员）提供，否则为 null",
    )
    mobile: str
    id_number_masked: str = Field(..., description="公民身份号码（脱敏：前 3 位与后 4 位）")
    organization: OrganizationRef
    category: str
    category_label: str
    admitted_on: date
    full_member_on: date | None
    education: str
    education_label: str
    job_title: str
    resident_unit: UnitRef | None
    affiliation_organization: str = Field(..., description="组织关系所在党组织（§5.1，仅作记录）")
    status: str
    status_label: str
    dues_category: str
    dues_category_label: str
    hardship: bool

    @staticmethod
    def resolve_birth_year(obj: MemberProfile) -> int:
        return obj.birth_date.year

    @staticmethod
    def resolve_birth_date(obj: MemberProfile, context: dict[str, Any]) -> date | None:
        return identity.shown_identity(context["request"].user, obj).birth_date

    @staticmethod
    def resolve_name(obj: MemberProfile) -> str:
        return obj.user.real_name

    @staticmethod
    def resolve_mobile(obj: MemberProfile) -> str:
        return obj.user.mobile or ""

    @staticmethod
    def resolve_gender_label(obj: MemberProfile) -> str:
        return obj.get_gender_display()

    @staticmethod
    def resolve_ethnicity_label(obj: MemberProfile) -> str:
        return obj.get_ethnicity_display()

    @staticmethod
    def resolve_category_label(obj: MemberProfile) -> str:
        return obj.get_category_display()

    @staticmethod
    def resolve_education_label(obj: MemberProfile) -> str:
        return obj.get_education_display()

    @staticmethod
    def resolve_status_label(obj: MemberProfile) -> str:
        return obj.get_status_display()

    @staticmethod
    def resolve_dues_category_label(obj: MemberProfile) -> str:
        return obj.get_dues_category_display()


@router.get(
    "/me/member",
    response=with_errors({200: MemberOut}, 401, 404),
    url_name="my_member_profile",
    summary="我的党员信息",
    description="调用者本人的党员信息，公民身份号码脱敏显示，出生日期完整显示。",
)
def my_member_profile(request: HttpRequest) -> MemberProfile:
    profile = selectors.own_profile(request.user)
    if profile is None:
        raise Http404
    return profile


@router.get(
    "/organizations/{organization_id}/members",
    response=with_errors({200: list[MemberOut]}, 401, 404, 422),
    url_name="organization_members",
    summary="党组织党员名册",
    description=(
        "本组织书记、委员及所在站点的站点管理员、党务工作者可查看；公民身份号码脱敏显示；"
        "无权查看完整号码的调用者只得到出生年份（birth_date 为 null）。"
    ),
)
@paginated
def organization_members(request: HttpRequest, organization_id: ObjectId) -> QuerySet[MemberProfile]:
    organization = selectors.access_roster_organization(user=request.user, pk=organization_id)
    with selectors.member_scope(request.user):
        return selectors.visible_profiles(request.user).filter(organization=organization)
