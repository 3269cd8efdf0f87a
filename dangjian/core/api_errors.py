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
# (`documented_errors`). Services raise ValidationError(code=…) with these; the API keeps the code.
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
    "conflict": "与已有记录重复或已被他人修改",
    "duplicate": "记录已存在",
    "online_unavailable": "未开通在线缴纳党费",
    "order_pending": "所选月份已在另一笔未完成的订单中",
    "already_paid": "该月党费已缴纳",
    "inactive": "党籍状态不需要缴纳党费",
    "too_far_ahead": "预交月份过多",
    "too_soon": "补交或预交的月份超出允许范围",
    "closed": "收缴表已结账",
}


def documented_errors(**codes_by_status: tuple[str, ...]) -> dict[str, Any]:
    """`openapi_extra` listing the codes an operation answers with each error status, e.g.
    `documented_errors(e400=("wrong_state", "self_review"), e404=("not_found",))`."""
    responses = {}
    for key, codes in codes_by_status.items():
        listed = "；".join(f"`{code}`：{ERROR_CODES[code]}" for code in codes)
        responses[key.removeprefix("e")] = {"description": f"错误代码（body.code）—— {listed}"}
    return {"responses": responses}


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
