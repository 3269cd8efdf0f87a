"""JSON API of the forum (互动交流, DB3212/T 1124 §6.3), at `/api/v1/forum`.

- Read (anyone): the boards, a board's topics (pinned first, then by latest activity; `kind=question` and
  `answered` filter 问指导员), a topic with its replies (paginated by `page`).
- Write (signed in): post a topic or question, reply, like or unlike.

Bodies are plain text; clients must show them as text (never as HTML). A post holding a word of the HQ's
review list is saved as `pending` (seen by its author and the station's workers only); a post with a
blocked word is refused with 400 `sensitive` and the Chinese message naming the word; a locked topic refuses
replies with 400 `locked`. Handlers are thin: `selectors.access_*` fetches and authorises (the same
404 for missing and forbidden), one service writes, and a refusal keeps the service's code.
"""

from datetime import datetime
from typing import Annotated, Any, Literal

from django.db.models import QuerySet
from django.http import HttpRequest
from ninja import Field, Query, Router, Schema, Status

from dangjian.accounts.api_auth import PUBLIC_READ
from dangjian.core.api_schemas import ObjectId, local, paginated, text, with_errors, write_responses
from dangjian.forum import selectors, services
from dangjian.forum.models import BODY_MAX, REPLY_MAX, TITLE_MAX, Board, Reply, Topic

router = Router(tags=["互动交流"])

POST_CODES = ("invalid", "required", "too_long", "sensitive")
REPLY_CODES = (*POST_CODES, "locked")
REPLIES_IN_DETAIL = 50


def person(user: Any) -> dict[str, Any] | None:
    return {"id": user.pk, "name": user.display_name} if user is not None else None


# ---------------------------------------------------------------- output shapes


class StationOut(Schema):
    id: int
    name: str


class BoardOut(Schema):
    id: int
    name: str
    description: str
    is_platform: bool = Field(..., description="全平台交流区（由总站管理）")
    station: StationOut | None = Field(None, description="所属站点；全平台交流区为空")
    topic_count: int
    last_activity_at: datetime | None

    @staticmethod
    def resolve_station(obj: Board) -> dict[str, Any] | None:
        station = obj.station
        return {"id": station.pk, "name": station.name} if station is not None else None

    @staticmethod
    def resolve_last_activity_at(obj: Board) -> datetime | None:
        return local(obj.last_activity_at)


class PersonOut(Schema):
    id: int
    name: str


class PostFields(Schema):
    id: int
    author: PersonOut
    body: str = Field(..., description="纯文本，请按文本显示")
    status: str = Field(..., description="published 已发布 / pending 待审核 / rejected 未通过审核")
    review_note: str
    is_hidden: bool
    like_count: int
    liked: bool = Field(False, description="本人已点赞")
    images: list[str] = Field(..., description="图片地址")
    created_at: datetime

    @staticmethod
    def resolve_author(obj: Any) -> dict[str, Any] | None:
        return person(obj.author)

    @staticmethod
    def resolve_liked(obj: Any) -> bool:
        return bool(getattr(obj, "liked", False))

    @staticmethod
    def resolve_images(obj: Any) -> list[str]:
        return [picture.image.url for picture in obj.images.all()]

    @staticmethod
    def resolve_created_at(obj: Any) -> datetime | None:
        return local(obj.created_at)


class TopicOut(PostFields):
    board_id: int
    kind: str = Field(..., description="discussion 交流讨论 / question 问指导员")
    title: str
    is_pinned: bool
    is_locked: bool
    reply_count: int
    last_activity_at: datetime
    answered: bool = Field(..., description="问指导员已答复")
    answered_by: PersonOut | None = Field(None, description="答复的指导员")
    answered_at: datetime | None
    answer_id: int | None = Field(None, description="采纳的答复（回复编号）")

    @staticmethod
    def resolve_answered(obj: Topic) -> bool:
        return obj.is_answered

    @staticmethod
    def resolve_answered_by(obj: Topic) -> dict[str, Any] | None:
        return person(obj.answered_by)

    @staticmethod
    def resolve_answered_at(obj: Topic) -> datetime | None:
        return local(obj.answered_at)

    @staticmethod
    def resolve_last_activity_at(obj: Topic) -> datetime | None:
        return local(obj.last_activity_at)


class ReplyOut(PostFields):
    topic_id: int
    by_instructor: bool = Field(..., description="党建指导员的答复")


class TopicDetailOut(TopicOut):
    replies: list[ReplyOut] = Field(..., description=f"最早的 {REPLIES_IN_DETAIL} 条回复；更多见回复列表")

    @staticmethod
    def resolve_replies(obj: Topic) -> list[Reply]:
        return getattr(obj, "replies_shown", [])


class LikeOut(Schema):
    liked: bool
    like_count: int


# ---------------------------------------------------------------- input shapes


class TopicFilters(Schema):
    kind: Literal["discussion", "question"] | None = Field(None, description="类型")
    answered: bool | None = Field(None, description="问指导员：true 已答复 / false 待答复")


class TopicIn(Schema):
    title: Annotated[str, text(TITLE_MAX, min_length=1)] = Field(..., description="标题")
    body: Annotated[str, text(BODY_MAX, min_length=1)] = Field(
        ..., description="内容（纯文本，可用 @姓名 提醒）"
    )
    kind: Literal["discussion", "question"] = Field("discussion", description="question 为问指导员")


class ReplyIn(Schema):
    body: Annotated[str, text(REPLY_MAX, min_length=1)] = Field(..., description="回复内容（纯文本）")
    as_answer: bool = Field(False, description="指导员回复问指导员时：作为答复并标记已答复")


class LikeIn(Schema):
    liked: bool = Field(True, description="true 点赞 / false 取消点赞")


# ---------------------------------------------------------------- read


@router.get(
    "/boards",
    response=list[BoardOut],
    url_name="forum_boards",
    summary="交流版块",
    description="全平台交流区和各站点的交流区。",
    **PUBLIC_READ,
)
@paginated
def boards(request: HttpRequest) -> QuerySet[Board]:
    return selectors.boards_for(user=request.user)


@router.get(
    "/boards/{int:board_id}/topics",
    response=with_errors({200: list[TopicOut]}, 404, 422),
    url_name="forum_topics",
    summary="版块的主题",
    description="置顶在前，再按最后回复时间；本人的待审帖子也在内（其他人看不到）。",
    **PUBLIC_READ,
)
@paginated
def topics(request: HttpRequest, board_id: ObjectId, filters: Query[TopicFilters]) -> QuerySet[Topic]:
    board = selectors.access_board(user=request.user, pk=board_id)
    found = selectors.topics_for(user=request.user, board=board).prefetch_related("images")
    if filters.answered is not None:
        return selectors.filter_questions(found, answered="1" if filters.answered else "0")
    return found.filter(kind=filters.kind) if filters.kind else found


@router.get(
    "/topics/{int:topic_id}",
    response=with_errors({200: TopicDetailOut}, 404, 422),
    url_name="forum_topic",
    summary="主题详情与回复",
    **PUBLIC_READ,
)
def topic(request: HttpRequest, topic_id: ObjectId) -> Topic:
    found = selectors.access_topic(user=request.user, pk=topic_id)
    found.replies_shown = list(selectors.replies_for(user=request.user, topic=found)[:REPLIES_IN_DETAIL])  # type: ignore[attr-defined]
    return found


@router.get(
    "/topics/{int:topic_id}/replies",
    response=with_errors({200: list[ReplyOut]}, 404, 422),
    url_name="forum_replies",
    summary="主题的回复",
    description="最早的在前。",
    **PUBLIC_READ,
)
@paginated
def replies(request: HttpRequest, topic_id: ObjectId) -> QuerySet[Reply]:
    found = selectors.access_topic(user=request.user, pk=topic_id)
    return selectors.replies_for(user=request.user, topic=found)


# ---------------------------------------------------------------- write


@router.post(
    "/boards/{int:board_id}/topics",
    response=write_responses({201: TopicOut}, POST_CODES),
    url_name="forum_topic_create",
    summary="发帖或问指导员",
    description="`kind=question` 时提问送达本站党建指导员。含禁发词 400 `invalid`；含审核词则为待审核。",
)
def topic_create(request: HttpRequest, board_id: ObjectId, payload: TopicIn) -> Status:
    board = selectors.access_board(user=request.user, pk=board_id)
    made = services.topic_create(
        actor=request.user, board=board, title=payload.title, body=payload.body, kind=payload.kind
    )
    return Status(201, selectors.access_topic(user=request.user, pk=made.pk))


@router.post(
    "/topics/{int:topic_id}/replies",
    response=write_responses({201: ReplyOut}, REPLY_CODES),
    url_name="forum_reply_create",
    summary="回复主题",
    description="已锁定的主题 400 `locked`；含禁发词 400 `sensitive`；含审核词则为待审核。",
)
def reply_create(request: HttpRequest, topic_id: ObjectId, payload: ReplyIn) -> Status:
    found = selectors.access_topic(user=request.user, pk=topic_id)
    made = services.reply_create(
        actor=request.user, topic=found, body=payload.body, as_answer=payload.as_answer
    )
    return Status(201, selectors.shown_reply(user=request.user, topic=found, pk=made.pk))


@router.post(
    "/topics/{int:topic_id}/like",
    response=write_responses({200: LikeOut}, ("wrong_state",)),
    url_name="forum_topic_like",
    summary="点赞主题（或取消）",
)
def topic_like(request: HttpRequest, topic_id: ObjectId, payload: LikeIn) -> dict[str, Any]:
    found = selectors.access_topic(user=request.user, pk=topic_id)
    liked, count = services.like_set(actor=request.user, post=found, liked=payload.liked)
    return {"liked": liked, "like_count": count}


@router.post(
    "/replies/{int:reply_id}/like",
    response=write_responses({200: LikeOut}, ("wrong_state",)),
    url_name="forum_reply_like",
    summary="点赞回复（或取消）",
)
def reply_like(request: HttpRequest, reply_id: ObjectId, payload: LikeIn) -> dict[str, Any]:
    found = selectors.access_reply(user=request.user, pk=reply_id)
    liked, count = services.like_set(actor=request.user, post=found, liked=payload.liked)
    return {"liked": liked, "like_count": count}
