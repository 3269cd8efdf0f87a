"""The JSON API under `/api/v1/` (config/urls.py). Each app contributes its router; OpenAPI at `docs`."""

from __future__ import annotations

from typing import Any

from django.urls import URLPattern, URLResolver, re_path
from ninja import NinjaAPI
from ninja.openapi.schema import OpenAPISchema
from ninja.renderers import JSONRenderer

from dangjian.accounts.api import router as accounts_router
from dangjian.accounts.api_auth import AUTHENTICATED
from dangjian.core import api_errors as errors
from dangjian.core.inbox_api import router as inbox_router
from dangjian.organizations.api import router as organizations_router
from dangjian.stations.api import router as stations_router


class ReadableJSONRenderer(JSONRenderer):
    """UTF-8 Chinese text as is, like the error bodies, instead of `\\uXXXX` escapes."""

    json_dumps_params = {"ensure_ascii": False}


class PlatformAPI(NinjaAPI):
    """NinjaAPI whose every URL answers JSON, including a wrong method (405) and an unknown path (404)."""

    @property
    def urls(self) -> tuple[list[URLResolver | URLPattern], str, str]:
        patterns, app_name, namespace = super().urls
        for pattern in patterns:
            if isinstance(pattern, URLPattern):
                pattern.callback = errors.answer_in_json(pattern.callback)
        patterns.append(re_path(r"^.*$", errors.unknown_endpoint, name="unknown_endpoint"))
        return patterns, app_name, namespace

    def get_openapi_schema(self, **kwargs: Any) -> OpenAPISchema:
        """The schema, each error response described by the codes it may carry."""
        schema = super().get_openapi_schema(**kwargs)
        errors.describe_error_responses(schema)
        return schema


api = PlatformAPI(
    title="楼宇党建共享平台 API",
    version="1",
    description="站点、楼宇、入驻单位、党组织等结构数据。浏览器使用登录会话，移动端使用 `Authorization: Bearer djp_…` 令牌。",
    urls_namespace="api",
    auth=AUTHENTICATED,
    renderer=ReadableJSONRenderer(),
)
errors.register(api)

api.add_router("/", stations_router)
api.add_router("/", organizations_router)
api.add_router("/", accounts_router)
api.add_router("/", inbox_router)
api.add_router("/", "dangjian.disclosures.api.router")
api.add_router("/", "dangjian.members.api.router")
api.add_router("/", "dangjian.dues.api.router")
api.add_router("/", "dangjian.news.api.router")
api.add_router("/venues", "dangjian.venues.api.router")
api.add_router("/activities", "dangjian.activities.api.router")
api.add_router("/learning", "dangjian.learning.api.router")
api.add_router("/activities/joint-meetings", "dangjian.activities.joint_api.router")
api.add_router("/courseware", "dangjian.courseware.api.router")
api.add_router("/forum", "dangjian.forum.api.router")
api.add_router("/feedback", "dangjian.feedback.api.router")
api.add_router("/evaluation", "dangjian.evaluation.api.router")
api.add_router("/development", "dangjian.development.api.router")
api.add_router("/elections", "dangjian.elections.api.router")
api.add_router("/funding", "dangjian.funding.api.router")
api.add_router("/honors", "dangjian.honors.api.router")
api.add_router("/dashboards", "dangjian.dashboards.api.router")
