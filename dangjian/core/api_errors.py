"""Every API error is JSON: `{"code": "...", "message": "<中文说明>", "details": ...}` with a fitting status.

`register(api)` installs the handlers; `ApiError` lets a handler answer a specific code and message."""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Mapping
from functools import wraps
from typing import Any

from django.core.exceptions import BadRequest, ObjectDoesNotExist, PermissionDenied, SuspiciousOperation
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseNotAllowed, JsonResponse
from django.http.multipartparser import MultiPartParserError
from ninja import NinjaAPI
from ninja.errors import HttpError
from ninja.errors import ValidationError as NinjaValidationError

logger = logging.getLogger(__name__)

NOT_FOUND_MESSAGE = "资源不存在"

# Code and Chinese message of each status an `HttpError` may carry.
STATUS_ERRORS: dict[int, tuple[str, str]] = {
    400: ("invalid", "请求格式不正确"),
    401: ("not_authenticated", "未登录或令牌无效"),
    403: ("forbidden", "没有权限执行此操作"),
    404: ("not_found", NOT_FOUND_MESSAGE),
    405: ("method_not_allowed", "不支持该请求方法"),
    429: ("throttled", "请求过于频繁，请稍后再试"),
}
# django-ninja's own English messages, in Chinese.
NINJA_MESSAGES = {
    "Cannot parse request body": "请求体不是有效的 JSON",
    "CSRF check Failed": "CSRF 校验失败，请刷新页面后重试",
}
# Chinese wording of the pydantic error types a caller meets most.
PYDANTIC_MESSAGES = {
    "missing": "必须填写",
    "int_parsing": "应为整数",
    "int_type": "应为整数",
    "int_from_float": "应为整数",
    "bool_parsing": "应为 true 或 false",
    "bool_type": "应为 true 或 false",
    "string_type": "应为文本",
    "string_too_short": "不能为空",
    "string_too_long": "长度不能超过 {max_length} 个字符",
    "string_pattern_mismatch": "含有不允许的字符",
    "greater_than_equal": "不能小于 {ge}",
    "less_than_equal": "不能大于 {le}",
    "enum": "取值不在允许范围内：{expected}",
    "literal_error": "取值不在允许范围内：{expected}",
    "date_parsing": "应为日期，格式如 2024-01-31",
    "date_from_datetime_parsing": "应为日期，格式如 2024-01-31",
    "date_type": "应为日期，格式如 2024-01-31",
    "json_invalid": "不是有效的 JSON",
    "model_attributes_type": "应为 JSON 对象",
    "dict_type": "应为 JSON 对象",
    "extra_forbidden": "不允许的字段",
}


# What each machine-readable code means: the vocabulary the OpenAPI docs list per operation
# (`api_schemas.with_errors`). Services raise ValidationError(code=…) with these; the API keeps the code.
ERROR_CODES: dict[str, str] = {
    "invalid": "提交的数据不符合要求，逐字段说明见 details",
    "invalid_body": "请求体无法解析（如 multipart 缺少 boundary）",
    "not_authenticated": "未登录或令牌无效",
    "forbidden": "没有权限执行此操作",
    "not_found": "对象不存在或无权查看（两者答复相同）",
    "throttled": "请求过于频繁",
    "password_change_required": "正在使用临时密码，须先设置新密码",
    "wrong_state": "对象当前所处的状态不允许此操作",
    "self_review": "不得审核本人撰写或提交的内容",
    "comment_required": "须填写意见或原因",
    "comment_too_long": "意见或原因超过 500 字",
    "invalid_comment": "意见须为不超过 500 字的文字",
    "organization_station": "可见党组织须是本站点的党组织",
    "sync_not_hq": "只有总站文章可以全站同步",
    "not_synced": "不是可在本站隐藏的总站同步文章",
    "uscc_checksum": "统一社会信用代码校验位不正确",
    "uscc_length": "统一社会信用代码应为 18 位",
    "uscc_charset": "统一社会信用代码含有不允许的字符",
    "conflict": "与已有记录重复、冲突（如场所预约时间冲突）或已被他人修改",
    "duplicate": "记录已存在",
    "online_unavailable": "未开通在线缴纳党费",
    "order_pending": "所选月份已在另一笔未完成的订单中",
    "order_not_pending": "订单已支付或已关闭",
    # feedback (意见反馈与投诉)
    "channel": "渠道不正确：网上提交不能选择投诉箱、意见簿（纸质意见由站点工作人员代录）",
    "sensitive": "内容含有不允许发布的词语",
    "locked": "主题已锁定，不能再回复",
    "not_complaint": "只有投诉需要认定有效或无效",
    "reply_required": "尚未答复提交人，不能办结",
    "resolution": "办结须选择已解决或未解决",
    "undecided": "投诉尚未认定有效或无效，不能办结",
    "invalid_complaint": "无效投诉不能办结为已解决",
    "rating": "评分应为 1 至 5 分",
    "already_rated": "已经评价过本次办理",
    "already_paid": "该月党费已缴纳",
    "inactive": "党籍状态不需要缴纳党费",
    "too_far_ahead": "预交月份过多",
    "too_soon": "补交或预交的月份超出允许范围；或距场所预约开始时间太近",
    "closed": "收缴表已结账；或场所当天闭馆",
    "not_a_member": "调用者没有党员档案",
    "invalid_json": "请求体不是有效的 JSON",
    "unique": "与已有记录重复（如统一社会信用代码已登记）",
    "does_not_exist": "所选的关联对象（楼层、网格等）不存在",
    "floor_mismatch": "所选楼层不属于该楼宇",
    "grid_mismatch": "所选网格不属于该楼宇",
    "party_members_exceed": "党员人数不能超过从业人数",
    "uscc_authority": "统一社会信用代码登记管理部门代码不正确",
    "uscc_division": "统一社会信用代码行政区划代码不正确",
    "provider": "未知或未开通的支付渠道",
    "no_months": "没有选择要缴纳的月份",
    "back_payment_too_old": "补交超过 6 个月的期限，须由党组织按规定处理",
    "undeclared": "尚未申报收入基数，不能计算党费",
    "waived": "该月党费经组织批准免交",
    "negative": "金额不能为负数",
    # venues (阵地场所与预约); `closed`, `too_soon` and `conflict` above also name a venue's refusals
    "past": "所选时间已经过去",
    "order": "结束时间应晚于开始时间",
    "outside_hours": "不在场所的开放时间内",
    "over_capacity": "人数超过场所容纳人数",
    "too_far": "超出场所最多提前预约的天数",
    "too_long": "超过场所单次预约的最长时长；或文字（如一条决议）超过长度上限",
    "quota": "超过场所每人每月的预约次数（未到场也计入）",
    "out_of_service": "场所因故障暂停使用",
    "audience": "不在该场所的可预约人员范围内",
    "recurrence": "重复方式应为每周或每月",
    "until": "重复预约须填写不早于首次日期的截止日期",
    "started": "预约已开始，不能取消；或活动已开始，报名已截止",
    "not_now": "不在可签到的时间内（开始前 15 分钟至结束）",
    "token": "签到码无效或与预约的场所不符",
    "wrong_venue": "所选设备不属于该场所",
    "wrong_station": "所选场所或楼宇不属于该站点",
    "not_yet": "参观尚未开始，不能登记结果",
    "required": "必填的内容未填写",
    "head_count": "人数至少为 1",
    "visitor_count": "参观人数至少为 1",
    "actual_count": "须填写实到人数",
    "phone": "联系电话格式不正确",
    "assignee": "所选承办人（维修人员、讲解员）不符合要求",
    "guide": "所选人员不是该站点的讲解员",
    "item": "须选择六有中的一项",
    "hours_order": "开放时间的结束应晚于开始",
    "weekday": "星期应为一至日之一",
    # activities (活动与组织生活); `started`, `required` above also name an activity's refusals
    "not_open": "活动未发布或已取消、已结束，不能报名或请假",
    "already_registered": "已报名或在候补名单中（或已确认候补名额），请勿重复",
    "not_live": "报名已取消、放弃或过期，无需取消",
    "cancel_deadline_passed": "已过取消报名的截止时间",
    "no_offer": "没有待确认的候补名额",
    "offer_expired": "候补名额已过期，已顺延给下一位候补人员",
    "already_requested": "已提交请假申请，请勿重复提交",
    "decided": "该请假申请已审批",
    "ended": "活动已结束",
    "not_held": "活动未发布或已取消，不能提交台账；或联席会议尚未召开，不能登记召开情况",
    "not_ended": "活动结束后才能提交台账",
    "no_rule": "未配置组织生活规则",
    "too_many": "条目过多（如会议决议超过上限）",
    "entitled_count": "应到党员人数至少为 1",
    "nonce": "签到请求缺少有效的请求标识（nonce）",
    "nonce_reused": "签到请求标识已被另一次签到使用",
    "no_code": "未提供报名二维码、活动签到码或签到人员",
    "invalid_code": "二维码或签到码无效",
    "wrong_activity": "二维码或签到码属于另一活动",
    "not_registered": "该人员未报名本活动（或报名不在有效状态）",
    "too_early": "尚未到签到时间（活动开始前 1 小时起）",
    "already_checked_in": "该人员已签到，请勿重复签到",
    "no_invitee": "没有选择邀请对象",
    "invitee": "所选的邀请对象不存在或不可邀请",
    # joint meetings (联席会议, §7.4); `required`, `not_held` above also name a meeting's refusals
    "not_editable": "联席会议已召开或已取消，不能再修改",
    "no_hq": "未设置总站，无法召集联席会议",
    "cancelled": "联席会议已取消",
    "not_planned": "联席会议已召开或已取消，不能取消",
    "not_invited": "出席的党组织须是受邀的党组织",
    "representative": "参会代表须是该党组织的党员或书记、委员",
    "owner": "议定事项的责任人须是参会党组织的党员，或所在站点、总站的工作人员",
    "wrong_meeting": "议定事项不属于该联席会议",
    "already_done": "议定事项已完成",
    "status": "落实情况应为待落实、落实中或已完成",
    # remote learning (远程学习, issue 11)
    "lesson_not_ready": "视频课时尚未设置时长，暂不能学习",
    "prerequisite": "须先学完本课时的先修课时",
    "bad_heartbeat": "学习心跳的播放区间、位置或页码不正确",
    "lessons_first": "须先学完相关课时才能参加测验",
    "already_passed": "已通过该测验，无需再次作答",
    "attempts_used": "测验的作答次数已用完",
    "bank_too_small": "题库中的试题不足，暂不能作答",
    "attempt_closed": "本次作答已经结束（已交卷或超时）",
    "bad_answer": "答案格式不正确，或含有不属于本次试卷的题目",
    # courseware (课件分享)
    "range_not_satisfiable": "请求的字节范围（Range）超出文件长度",
    # development (发展党员)
    "unknown_step": "没有这个发展步骤",
    "not_active": "该入党申请人已终止培养或已转正，不能继续办理",
    "wrong_stage": "尚未进入该步骤所在的阶段",
    "before_previous": "办理日期早于上一步的办理日期",
    "too_late": "已超过规定的最迟办理日期（如上级党委审批期限）",
    "contacts": "培养联系人人数不符合规定（一至两名正式党员）",
    "introducers": "入党介绍人须为两名正式党员",
    "reports_missing": "应完成的半年考察或思想汇报尚未填写",
    "training_short": "集中培训时间不足三天（或二十四学时）",
    "course_not_completed": "申请人未完成所选的培训课程",
    "notice_missing": "未填写公示的起止日期",
    "notice_order": "公示应在支部委员会审查之后、上级党委预审之前",
    "notice_short": "公示期不足规定的工作日",
    "meeting_unknown": "所选会议不是本支部已建立台账的支部党员大会",
    "vote_missing": "未填写应到会、实到会有表决权人数或赞成人数",
    "not_passed": "赞成人数未超过应到会有表决权的正式党员的半数",
    "stage_open": "本阶段还有未完成的步骤",
    "last_stage": "已是最后一个阶段",
    "role": "身份只能是培养联系人或入党介绍人",
    "self": "入党申请人本人不能担任自己的培养联系人或入党介绍人",
    "not_full_member": "所选人员不是本支部的正式党员",
    "kind": "类别只能是半年考察或思想汇报",
    "not_activist": "尚未确定为入党积极分子",
    "id_birth": "公民身份号码与出生日期不一致",
    "id_format": "公民身份号码应为 18 位，前 17 位为数字，最后一位为数字或 X",
    "id_birth_date": "公民身份号码中的出生日期不正确",
    "id_checksum": "公民身份号码校验位不正确",
    "mobile": "手机号码应为 11 位",
    "under_age": "年满十八周岁才能递交入党申请书",
    "unknown_document": "该步骤没有这份材料",
    "step_not_done": "该步骤尚未办理",
    # elections
    "too_few_candidates": "候选人数少于应选人数（《中国共产党基层组织选举工作条例》）",
    "no_quorum": "有选举权的到会人数未超过应到会人数的半数，不能进行选举",
    "ballots_exceed": "收回的选票多于发出的选票，选举无效",
    "not_elected": "无人获得超过实到会有选举权人数一半的赞成票，或所列人员未当选",
    "vote_numbers": "到会人数、选票数或得票数不合理",
    "no_voters": "该党组织没有有选举权的正式党员",
    "no_roster": "该党组织尚未登记党员名册",
    "seats": "应选人数超出允许范围",
    "positions": "拟设职务或分工不正确",
    "no_secretary": "须有且只有一名书记",
    "past_date": "日期不能早于今天",
    "future_date": "日期不能晚于今天",
    "term_not_due": "本届任期尚未临近届满，暂不能提交换届请示",
    "already_open": "该党组织已有进行中的换届",
    "not_formal_member": "候选人须为本组织的正式党员",
    "before_approval": "选举大会应在上级批复换届请示之后召开",
    "term_order": "新一届任期的日期不正确",
    # honors
    "year": "年度不正确（应在 2000 年至今年之间）",
    "nominee": "被推荐对象不符合该类荣誉的条件",
    # funding
    "invalid_line": "收入来源或支出类别不正确",
    "wrong_building": "所选楼宇不属于该站点",
    "invalid_date": "日期不正确",
    "amount_invalid": "金额格式不正确（最多两位小数）",
    "amount_not_positive": "金额须大于零",
    "amount_too_large": "金额过大",
    "already_reversed": "该记录已冲销，不能重复冲销",
    "is_reversal": "冲销记录不能再冲销",
    "invalid_year": "年度不正确",
}


# The code each error status answers when the operation gives none of its own (`with_errors`).
DEFAULT_CODES: dict[int, tuple[str, ...]] = {
    400: ("invalid",),
    401: ("not_authenticated",),
    403: ("forbidden",),
    404: ("not_found",),
    409: ("conflict",),
    422: ("invalid",),
    429: ("throttled",),
}


def describe_codes(codes: Iterable[str]) -> str:
    """`code`：meaning; … — the Chinese list shown in the OpenAPI docs."""
    return "；".join(f"`{code}`：{ERROR_CODES.get(code, '（未说明）')}" for code in codes)


def describe_error_responses(schema: dict[str, Any]) -> None:
    """Give each error response of an OpenAPI schema a Chinese description of the codes its body may
    carry, read from the `code` enum of its schema (`api_schemas.with_errors`)."""
    components = schema.get("components", {}).get("schemas", {})
    for path in schema.get("paths", {}).values():
        for operation in path.values():
            for status, response in operation.get("responses", {}).items():
                body = response.get("content", {}).get("application/json", {}).get("schema", {})
                name = str(body.get("$ref", "")).rsplit("/", 1)[-1]
                code = components.get(name, {}).get("properties", {}).get("code", {})
                codes = code.get("enum") or ([code["const"]] if "const" in code else [])
                if int(status) >= 400 and codes:
                    response["description"] = f"错误代码（body.code）—— {describe_codes(codes)}"


class ApiError(HttpError):
    """An error with its own code and Chinese message, e.g. `ApiError(403, "forbidden", "…")`."""

    def __init__(self, status_code: int, code: str, message: str, details: Any = None) -> None:
        super().__init__(status_code, message)
        self.code = code
        self.details = details


def error_response(status: int, code: str, message: str, details: Any = None) -> JsonResponse:
    body: dict[str, Any] = {"code": code, "message": message}
    if details is not None:
        body["details"] = details
    return JsonResponse(body, status=status, json_dumps_params={"ensure_ascii": False})


def on_http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
    if isinstance(exc, ApiError):
        return error_response(exc.status_code, exc.code, exc.message, exc.details)
    code, default_message = STATUS_ERRORS.get(exc.status_code, ("error", "请求无法完成"))
    return error_response(exc.status_code, code, NINJA_MESSAGES.get(exc.message, default_message))


def on_request_invalid(request: HttpRequest, exc: NinjaValidationError) -> HttpResponse:
    """Input that does not fit the operation's schema (wrong type, out of range…): 422."""
    details = [_describe_pydantic_error(error) for error in exc.errors]
    summary = "；".join(
        f"{item['field']}：{item['message']}" if item["field"] else item["message"] for item in details
    )
    return error_response(
        422, "invalid", f"提交的数据不正确：{summary}" if summary else "提交的数据不正确", details
    )


def _describe_pydantic_error(error: Mapping[str, Any]) -> dict[str, Any]:
    location = [str(part) for part in error.get("loc", ())]
    # Drop the source (query, path, body) and, for a body, the name of the handler's payload argument.
    field = ".".join(location[2:] if location[:1] == ["body"] else location[1:])
    return {
        "field": field,
        "loc": location,
        "type": str(error.get("type", "")),
        "message": _pydantic_message(error),
    }


def _pydantic_message(error: Mapping[str, Any]) -> str:
    error_type = str(error.get("type", ""))
    template = PYDANTIC_MESSAGES.get(error_type)
    if template is not None:
        try:
            return template.format(**error.get("ctx", {}))
        except (KeyError, IndexError):
            return template.split("{")[0].rstrip("：: ")
    message = str(error.get("msg", "格式不正确"))
    return message.removeprefix("Value error, ")


def on_service_invalid(request: HttpRequest, exc: DjangoValidationError) -> HttpResponse:
    """A service refused the change (`full_clean`, a business rule): 400 with the messages by field."""
    details = exc.message_dict if hasattr(exc, "error_dict") else {"__all__": exc.messages}
    message = "；".join(_unique(exc.messages)) or "提交的数据不正确"
    return error_response(400, service_error_code(exc), message, details)


def service_error_code(exc: DjangoValidationError) -> str:
    """The code the service gave (`wrong_state`, `self_review`, `already_paid`…), kept through the API;
    `invalid` when it gave none (plain `full_clean` messages)."""
    if getattr(exc, "code", None):
        return str(exc.code)
    errors = [e for field in exc.error_dict.values() for e in field] if hasattr(exc, "error_dict") else []
    errors = errors or (exc.error_list if hasattr(exc, "error_list") else [])
    codes = [e.code for e in errors if getattr(e, "code", None)]
    return str(codes[0]) if codes and all(c == codes[0] for c in codes) else "invalid"


def _unique(messages: Iterable[str]) -> list[str]:
    return list(dict.fromkeys(messages))


def on_not_found(request: HttpRequest, exc: Exception) -> HttpResponse:
    return error_response(404, "not_found", NOT_FOUND_MESSAGE)


def on_permission_denied(request: HttpRequest, exc: Exception) -> HttpResponse:
    return error_response(403, "forbidden", str(exc) or STATUS_ERRORS[403][1])


def on_bad_request(request: HttpRequest, exc: Exception) -> HttpResponse:
    """A body Django cannot parse (multipart without a boundary, too many fields…): the caller's fault."""
    return error_response(400, "invalid_body", "请求体格式不正确，无法解析")


def on_unexpected(request: HttpRequest, exc: Exception) -> HttpResponse:
    logger.exception("API error on %s %s", request.method, request.path, exc_info=exc)
    return error_response(500, "server_error", "服务器内部错误，请稍后再试")


HANDLERS: dict[type[Exception], Callable[[HttpRequest, Any], HttpResponse]] = {
    NinjaValidationError: on_request_invalid,
    DjangoValidationError: on_service_invalid,
    HttpError: on_http_error,
    Http404: on_not_found,
    ObjectDoesNotExist: on_not_found,
    PermissionDenied: on_permission_denied,
    MultiPartParserError: on_bad_request,
    BadRequest: on_bad_request,
    SuspiciousOperation: on_bad_request,
    Exception: on_unexpected,
}


def register(api: NinjaAPI) -> None:
    for exc_class, handler in HANDLERS.items():
        api.exception_handler(exc_class)(handler)


def answer_in_json(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Make the answers django-ninja gives outside its operations JSON too: the plain-text 405 of a
    wrong method and the Http404 of the API root."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        try:
            response = view(request, *args, **kwargs)
        except Http404:
            return unknown_endpoint(request)
        if isinstance(response, HttpResponseNotAllowed):
            code, message = STATUS_ERRORS[405]
            json_response = error_response(405, code, message)
            json_response["Allow"] = response["Allow"]
            return json_response
        return response

    return wrapper


def unknown_endpoint(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
    return error_response(404, "not_found", "接口不存在")
