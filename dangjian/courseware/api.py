"""JSON API of the courseware library (课件分享, issue 11 §6, §8): the library with Chinese search,
one item, and its file shown in place (preview) or downloaded.

Everything is for people signed in (session or bearer token), as on the pages: `selectors.access_*`
fetch and authorise (the same 404 for a missing item, a draft and another station's item). Files go out
through `serving` exactly as from the pages: a safe type inline, Office files and e-books always as
attachments, `nosniff`, one `Range` answered 206 (video seeking), a download counted once.
"""

from datetime import datetime
from typing import Annotated, Any, Literal

from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponseBase
from django.urls import reverse
from ninja import Field, Query, Router, Schema

from dangjian.core.api_errors import error_response
from dangjian.core.api_schemas import ObjectId, StationRef, local, paginated, text, with_errors
from dangjian.core.uploads import FileKind
from dangjian.courseware import selectors
from dangjian.courseware.models import Courseware, CoursewareVersion
from dangjian.courseware.serving import serve_live

router = Router(tags=["课件分享"])

KindFilter = Literal["", "pdf", "docx", "pptx", "xlsx", "mp4", "epub", "image"]
assert set(KindFilter.__args__) == {"", *FileKind}  # type: ignore[attr-defined]
FILE_ERRORS = with_errors({200: None, 206: None}, 401, 404, 422, e416=("range_not_satisfiable",))


class FileOut(Schema):
    number: int = Field(..., description="版本号")
    name: str = Field(..., description="下载时的文件名（扩展名按内容识别的类型）")
    kind: str = Field(..., description="类型：pdf、docx、pptx、xlsx、mp4、epub、image")
    kind_label: str
    content_type: str
    size: int = Field(..., description="字节数")
    uploaded_at: datetime

    @staticmethod
    def resolve_kind_label(obj: CoursewareVersion) -> str:
        return obj.get_kind_display()

    @staticmethod
    def resolve_uploaded_at(obj: CoursewareVersion) -> datetime | None:
        return local(obj.uploaded_at)


class CoursewareOut(Schema):
    id: int
    title: str
    description: str
    tags: list[str]
    sharing: str = Field(..., description="station 本站点共享 / platform 全平台共享")
    sharing_label: str
    station: StationRef
    published_at: datetime | None
    download_count: int
    file: FileOut | None
    url: str = Field(..., description="课件页面")
    preview_url: str = Field(..., description="在线预览（PDF、图片、视频在浏览器中打开，支持 Range）")
    download_url: str

    @staticmethod
    def resolve_tags(obj: Courseware) -> list[str]:
        return [tag.name for tag in obj.tags.all()]

    @staticmethod
    def resolve_sharing_label(obj: Courseware) -> str:
        return obj.get_sharing_display()

    @staticmethod
    def resolve_published_at(obj: Courseware) -> datetime | None:
        return local(obj.published_at)

    @staticmethod
    def resolve_file(obj: Courseware) -> CoursewareVersion | None:
        return obj.live_version

    @staticmethod
    def resolve_url(obj: Courseware) -> str:
        return obj.get_absolute_url()

    @staticmethod
    def resolve_preview_url(obj: Courseware) -> str:
        return reverse("api:courseware_preview", kwargs={"courseware_id": obj.pk})

    @staticmethod
    def resolve_download_url(obj: Courseware) -> str:
        return reverse("api:courseware_download", kwargs={"courseware_id": obj.pk})


class LibraryFilters(Schema):
    tag: Annotated[str, text(20)] = Field("", description="只看带此标签的课件")
    kind: KindFilter = Field("", description="只看此类型的课件")


class SearchParams(Schema):
    q: Annotated[str, text(100)] = Field("", description="检索词（中文分词，须包含每个词）")
    page: Annotated[int, Field(ge=1, le=10_000)] = 1


class FoundOut(Schema):
    courseware: CoursewareOut
    title_html: str = Field(..., description="标题，匹配处以 <mark> 标出（已转义的 HTML）")
    snippet_html: str = Field(..., description="简介等文字中匹配处附近的片段（已转义的 HTML）")

    @staticmethod
    def resolve_title_html(obj: selectors.Found) -> str:
        return obj.hit.title_html

    @staticmethod
    def resolve_snippet_html(obj: selectors.Found) -> str:
        return obj.hit.snippet_html


class LibrarySearchOut(Schema):
    query: str
    total: int = Field(..., description="全部匹配的课件数")
    page: int
    num_pages: int
    items: list[FoundOut]


@router.get(
    "",
    response=with_errors({200: list[CoursewareOut]}, 401, 422),
    url_name="courseware_list",
    summary="课件库（已发布、本人可用的课件，新发布的在前）",
)
@paginated
def courseware_list(request: HttpRequest, filters: Query[LibraryFilters]) -> QuerySet[Courseware]:
    return selectors.library(request.user, tag=filters.tag, kind=filters.kind)


@router.get(
    "/search",
    response=with_errors({200: LibrarySearchOut}, 401, 422),
    url_name="courseware_search",
    summary="检索课件（标题、简介、标签、文件名；中文分词，按相关度排序）",
)
def courseware_search(request: HttpRequest, params: Query[SearchParams]) -> dict[str, Any]:
    results, found = selectors.search_library(request.user, params.q, page=params.page)
    return {
        "query": results.query,
        "total": results.total,
        "page": results.page,
        "num_pages": results.num_pages,
        "items": found,
    }


@router.get(
    "/{courseware_id}",
    response=with_errors({200: CoursewareOut}, 401, 404, 422),
    url_name="courseware_detail",
    summary="一份课件（在用版本的文件信息、预览与下载地址）",
)
def courseware_detail(request: HttpRequest, courseware_id: ObjectId) -> Courseware:
    return selectors.access_courseware(user=request.user, pk=courseware_id)


@router.get(
    "/{courseware_id}/preview",
    response=FILE_ERRORS,
    url_name="courseware_preview",
    summary="在线预览在用版本的文件（PDF、图片、MP4 在浏览器中打开，其余类型下载；不计下载次数）",
    description="支持单个 `Range: bytes=…` 请求（206），视频可拖动进度；超出文件长度的范围答复 416。",
)
def courseware_preview(request: HttpRequest, courseware_id: ObjectId) -> HttpResponseBase:
    return _file(request, courseware_id, download=False)


@router.get(
    "/{courseware_id}/download",
    response=FILE_ERRORS,
    url_name="courseware_download",
    summary="下载在用版本的文件（附件；整份下载或从第一个字节开始的范围计一次下载）",
    description="支持单个 `Range: bytes=…` 请求（206，断点续传不重复计数）；超出文件长度的范围答复 416。",
)
def courseware_download(request: HttpRequest, courseware_id: ObjectId) -> HttpResponseBase:
    return _file(request, courseware_id, download=True)


def _file(request: HttpRequest, courseware_id: int, *, download: bool) -> HttpResponseBase:
    courseware = selectors.access_courseware(user=request.user, pk=courseware_id)
    response = serve_live(request, courseware, download=download)
    if response.status_code != 416:
        return response
    refused = error_response(416, "range_not_satisfiable", "请求的字节范围超出文件长度")
    refused["Content-Range"] = response["Content-Range"]
    return refused
