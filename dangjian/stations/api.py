"""JSON API of the 1+N structure: stations, buildings and resident units (read by anyone, units written
by the roles that keep them)."""

from datetime import date
from typing import Annotated, Any, ClassVar

from django.core.exceptions import ValidationError
from django.db.models import Model, QuerySet
from django.http import HttpRequest
from ninja import Field, FilterSchema, Query, Router, Schema, Status
from ninja.filter_schema import FilterLookup
from pydantic import ValidationInfo, field_validator

from dangjian.accounts.api_auth import PUBLIC_READ
from dangjian.core.api_schemas import ObjectId, SearchText, StationRef, paginated, text, with_errors
from dangjian.core.audit import snapshot
from dangjian.core.services import editable_field_names
from dangjian.core.validators import normalize_uscc, validate_uscc
from dangjian.stations import selectors, services
from dangjian.stations.models import Building, Floor, GridArea, Industry, ResidentUnit, Station, StationKind

router = Router(tags=["站点与入驻单位"])

# ---------------------------------------------------------------- output schemas


class BuildingRef(Schema):
    id: int
    name: str


class FloorRef(Schema):
    id: int
    number: int
    label: str


class GridRef(Schema):
    id: int
    name: str


class StationOut(Schema):
    id: int
    code: str
    name: str
    kind: str
    kind_label: str
    address: str
    opening_hours: str
    contact_name: str
    contact_phone: str
    latitude: float | None
    longitude: float | None
    photo: str | None = Field(None, description="照片地址")
    open_to_surroundings: bool
    building_count: int
    unit_count: int

    @staticmethod
    def resolve_kind_label(obj: Station) -> str:
        return obj.get_kind_display()


class StationDetailOut(StationOut):
    intro: str


class BuildingOut(Schema):
    id: int
    name: str
    address: str
    operator: str
    station: StationRef
    floors_above: int
    floors_below: int
    has_own_space: bool
    unit_count: int


class FloorOut(FloorRef):
    unit_count: int


class BuildingDetailOut(BuildingOut):
    intro: str
    floors: list[FloorOut]


class UnitOut(Schema):
    id: int
    name: str
    uscc: str
    station: StationRef
    building: BuildingRef
    floor: FloorRef | None
    room: str
    grid: GridRef | None
    industry: str
    industry_label: str
    headcount: int
    party_member_count: int
    has_party_org: bool
    moved_in_on: date
    is_active: bool
    contact_name: str | None = Field(None, description="仅可编辑该单位者可见，其他人为 null")
    contact_phone: str | None = Field(None, description="仅可编辑该单位者可见，其他人为 null")

    @staticmethod
    def resolve_industry_label(obj: ResidentUnit) -> str:
        return obj.get_industry_display()

    @staticmethod
    def resolve_contact_name(obj: ResidentUnit, context: dict[str, Any]) -> str | None:
        return obj.contact_name if _may_edit_unit(context, obj) else None

    @staticmethod
    def resolve_contact_phone(obj: ResidentUnit, context: dict[str, Any]) -> str | None:
        return obj.contact_phone if _may_edit_unit(context, obj) else None


def _may_edit_unit(context: dict[str, Any] | None, unit: ResidentUnit) -> bool:
    request = (context or {}).get("request")
    return request is not None and request.user.has_perm("stations.change_residentunit", unit)


# ---------------------------------------------------------------- filters


class StationFilter(FilterSchema):
    kind: StationKind | None = Field(None, description="站点类型：hq 总站，branch 分站")
    open_to_surroundings: bool | None = Field(None, description="是否向周边开放的大型分站")
    q: Annotated[SearchText | None, FilterLookup("name__icontains")] = Field(None, description="名称包含")


class BuildingFilter(FilterSchema):
    station: Annotated[ObjectId | None, FilterLookup("station_id")] = Field(None, description="站点编号")
    q: Annotated[SearchText | None, FilterLookup("name__icontains")] = Field(None, description="楼宇名称包含")


class UnitFilter(FilterSchema):
    station: Annotated[ObjectId | None, FilterLookup("station_id")] = Field(None, description="站点编号")
    building: Annotated[ObjectId | None, FilterLookup("building_id")] = Field(None, description="楼宇编号")
    industry: Industry | None = Field(None, description="行业")
    has_party_org: bool | None = Field(None, description="是否已建立党组织")
    q: Annotated[SearchText | None, FilterLookup(["name__icontains", "uscc__icontains"])] = Field(
        None, description="单位名称或统一社会信用代码包含"
    )


# ---------------------------------------------------------------- input schemas

UnitName = Annotated[str, text(120, min_length=1)]
UsccText = Annotated[str, text(40, min_length=1)]
ShortText = Annotated[str, text(20)]
PersonName = Annotated[str, text(40)]
PeopleCount = Annotated[int, Field(ge=0, le=2_147_483_647)]


class UnitUpdateIn(Schema):
    """Fields left out are not changed; only `floor` and `grid` may be set to null."""

    NULLABLE: ClassVar[frozenset[str]] = frozenset({"floor", "grid"})

    name: UnitName | None = Field(None, description="单位名称")
    uscc: UsccText | None = Field(None, description="统一社会信用代码（18 位）")
    building: ObjectId | None = Field(None, description="楼宇编号")
    floor: ObjectId | None = Field(None, description="楼层编号，null 表示不指定")
    room: ShortText | None = Field(None, description="房间号")
    grid: ObjectId | None = Field(None, description="网格编号，null 表示不指定")
    industry: Industry | None = Field(None, description="行业")
    headcount: PeopleCount | None = Field(None, description="从业人数")
    party_member_count: PeopleCount | None = Field(None, description="党员人数")
    has_party_org: bool | None = Field(None, description="已建立党组织")
    contact_name: PersonName | None = Field(None, description="联系人")
    contact_phone: ShortText | None = Field(None, description="联系电话（手机号码）")
    moved_in_on: date | None = Field(None, description="入驻日期")
    is_active: bool | None = Field(None, description="在驻")

    @field_validator("*", mode="before")
    @classmethod
    def refuse_null(cls, value: Any, info: ValidationInfo) -> Any:
        if value is None and info.field_name not in cls.NULLABLE:
            raise ValueError("不能为空")
        return value


class UnitCreateIn(UnitUpdateIn):
    name: UnitName = Field(..., description="单位名称")
    uscc: UsccText = Field(..., description="统一社会信用代码（18 位）")
    building: ObjectId = Field(..., description="楼宇编号")


# What a unit write answers with 400 (`unit_save`, the model's checks, `_apply_unit_changes`).
UNIT_REFUSALS = (
    "invalid",
    "unique",
    "does_not_exist",
    "floor_mismatch",
    "grid_mismatch",
    "party_members_exceed",
    "uscc_length",
    "uscc_charset",
    "uscc_authority",
    "uscc_division",
    "uscc_checksum",
    "conflict",
)

# ---------------------------------------------------------------- reads


@router.get(
    "/stations",
    response=with_errors({200: list[StationOut]}, 401, 422),
    url_name="station_list",
    summary="站点列表",
    **PUBLIC_READ,
)
@paginated
def station_list(request: HttpRequest, filters: Query[StationFilter]) -> QuerySet[Station]:
    return filters.filter(selectors.public_stations())


@router.get(
    "/stations/{station_id}",
    response=with_errors({200: StationDetailOut}, 401, 404, 422),
    url_name="station_detail",
    summary="站点详情",
    **PUBLIC_READ,
)
def station_detail(request: HttpRequest, station_id: ObjectId) -> Station:
    return selectors.access_station(user=request.user, pk=station_id)


@router.get(
    "/buildings",
    response=with_errors({200: list[BuildingOut]}, 401, 422),
    url_name="building_list",
    summary="楼宇列表",
    **PUBLIC_READ,
)
@paginated
def building_list(request: HttpRequest, filters: Query[BuildingFilter]) -> QuerySet[Building]:
    return filters.filter(selectors.public_buildings())


@router.get(
    "/buildings/{building_id}",
    response=with_errors({200: BuildingDetailOut}, 401, 404, 422),
    url_name="building_detail",
    summary="楼宇详情（含楼层）",
    **PUBLIC_READ,
)
def building_detail(request: HttpRequest, building_id: ObjectId) -> Building:
    return selectors.with_floor_counts(selectors.access_building(user=request.user, pk=building_id))


@router.get(
    "/units",
    response=with_errors({200: list[UnitOut]}, 401, 422),
    url_name="unit_list",
    summary="入驻单位列表",
    description="联系人与联系电话仅对可编辑该单位的人员返回，其他调用者为 null。",
    **PUBLIC_READ,
)
@paginated
def unit_list(request: HttpRequest, filters: Query[UnitFilter]) -> QuerySet[ResidentUnit]:
    return filters.filter(selectors.readable_units(request.user))


@router.get(
    "/units/{unit_id}",
    response=with_errors({200: UnitOut}, 401, 404, 422),
    url_name="unit_detail",
    summary="入驻单位详情",
    **PUBLIC_READ,
)
def unit_detail(request: HttpRequest, unit_id: ObjectId) -> ResidentUnit:
    return selectors.access_unit(user=request.user, pk=unit_id)


# ---------------------------------------------------------------- writes


@router.post(
    "/units",
    response=with_errors({201: UnitOut}, 401, 403, 404, 422, e400=UNIT_REFUSALS),
    url_name="unit_create",
    summary="登记入驻单位",
    description="楼宇须属于调用者可维护的站点，否则返回 404。会话调用须带 CSRF 令牌，否则 403。",
)
def unit_create(request: HttpRequest, payload: UnitCreateIn) -> Status[ResidentUnit]:
    unit = ResidentUnit()
    _apply_unit_changes(unit, payload.model_dump(exclude_unset=True), user=request.user)
    return Status(201, services.unit_save(unit=unit, actor=request.user))


@router.patch(
    "/units/{unit_id}",
    response=with_errors({200: UnitOut}, 401, 403, 404, 422, e400=UNIT_REFUSALS),
    url_name="unit_update",
    summary="修改入驻单位",
    description="只修改提交的字段。单位须属于调用者可维护的站点，否则返回 404。会话调用须带 CSRF 令牌，否则 403。",
)
def unit_update(request: HttpRequest, unit_id: ObjectId, payload: UnitUpdateIn) -> ResidentUnit:
    unit = selectors.access_unit(user=request.user, pk=unit_id, manage=True)
    before = snapshot(unit, fields=editable_field_names(unit))
    _apply_unit_changes(unit, payload.model_dump(exclude_unset=True), user=request.user)
    return services.unit_save(unit=unit, actor=request.user, before=before)


def _apply_unit_changes(unit: ResidentUnit, changes: dict[str, Any], *, user: Any) -> None:
    """Set the submitted fields on `unit`, resolving ids; a building the user may not keep is a 404."""
    if "building" in changes:
        unit.building = selectors.access_unit_building(user=user, pk=changes.pop("building"))
    if "floor" in changes:
        unit.floor = _existing_or_invalid(Floor, changes.pop("floor"), field="floor", label="楼层")
    if "grid" in changes:
        unit.grid = _existing_or_invalid(GridArea, changes.pop("grid"), field="grid", label="网格")
    if "uscc" in changes:
        unit.uscc = _checked_uscc(changes.pop("uscc"))
    for name, value in changes.items():
        setattr(unit, name, value)


def _existing_or_invalid(model: type[Model], pk: int | None, *, field: str, label: str) -> Any:
    if pk is None:
        return None
    found = model._default_manager.filter(pk=pk).first()
    if found is None:
        raise ValidationError({field: ValidationError(f"所选{label}不存在", code="does_not_exist")})
    return found


def _checked_uscc(raw: str) -> str:
    uscc = normalize_uscc(raw)
    try:
        validate_uscc(uscc)
    except ValidationError as exc:
        raise ValidationError({"uscc": exc.error_list}) from exc
    return uscc
