"""Writes of the forum (互动交流, §6.3). Each service authorises with `actor.has_perm(...)` first, changes rows
inside one transaction (the topic row locked with `select_for_update` where a state is checked), records
an audit event and tells people through `core.notifications.notify` (sent when the transaction commits).

Every title and body goes through the HQ's sensitive-word lists (`core.moderation.screen_text`): a blocked
word refuses the post with its Chinese message and saves nothing; a held word saves the post as pending
(its author sees it with a note; the station's workers approve or reject it); a replaced word is stored
masked. Bodies are plain text, stored as typed and shown escaped.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.db.models import Count, Max, Q
from django.urls import reverse
from django.utils import timezone

from dangjian.accounts.models import Role, User
from dangjian.accounts.permissions import people_of_station_q, role_holders
from dangjian.core.audit import record_event
from dangjian.core.moderation import current_version, screen_text
from dangjian.core.notifications import notify
from dangjian.core.uploads import clean_image_upload
from dangjian.forum import signals
from dangjian.forum.models import (
    BODY_MAX,
    MAX_IMAGES,
    MAX_MENTIONS,
    REPLY_MAX,
    TITLE_MAX,
    Board,
    Like,
    Mention,
    ModerationAction,
    ModerationLog,
    PostImage,
    PostStatus,
    Reply,
    Report,
    ReportStatus,
    Topic,
    TopicKind,
)

# Refusal codes (documented in core.api_errors.ERROR_CODES).
LOCKED = "locked"  # the topic is locked: no more replies
BLOCKED = "sensitive"  # a word the HQ's lists refuse (the code feedback uses too)
HELD_NOTE = "内容含有需审核的词语，已提交站点党务工作者审核，审核通过后其他人才能看到"
REASON_MAX = 200
PLATFORM_BOARD_NAME = "全区楼宇党建交流区"


# ---------------------------------------------------------------- boards


def station_board(station: Any) -> Board:
    """The board of a station, made on first use (each station has exactly one)."""
    board, _ = Board.objects.get_or_create(
        station=station,
        defaults={
            "name": f"{station.name}交流区",
            "description": f"{station.name}党员群众交流、问指导员",
            "sort_order": getattr(station, "sort_order", 100) or 100,
        },
    )
    return board


def platform_board() -> Board:
    """The platform-wide board (kept by HQ), made on first use."""
    board, _ = Board.objects.get_or_create(
        is_platform=True,
        defaults={"name": PLATFORM_BOARD_NAME, "description": "全区各站点共同的交流园地", "sort_order": 0},
    )
    return board


# ---------------------------------------------------------------- input checks


def clean_text(value: str, *, label: str, max_length: int) -> str:
    """A typed text, trimmed; refused when empty, too long or holding a NUL character."""
    text = (value or "").strip()
    if "\x00" in text:
        raise ValidationError(f"{label}含有无法识别的字符", code="invalid")
    if not text:
        raise ValidationError(f"请填写{label}", code="required")
    if len(text) > max_length:
        raise ValidationError(f"{label}不能超过 {max_length} 个字", code="too_long")
    return text


def clean_images(images: Sequence[UploadedFile]) -> list[Any]:
    """At most MAX_IMAGES pictures, each decoded and re-encoded (core.uploads); refused as a whole."""
    if len(images) > MAX_IMAGES:
        raise ValidationError(f"每条最多上传 {MAX_IMAGES} 张图片", code="too_many")
    return [clean_image_upload(upload) for upload in images]


@dataclass(frozen=True)
class Screened:
    title: str
    body: str
    status: str
    note: str
    version: int


def screen(*, title: str = "", body: str) -> Screened:
    """Screen title and body: refuse on a blocked word, hold on a held one, mask replaced ones."""
    results = [screen_text(text) for text in (title, body)]
    blocked = next((r for r in results if r.blocked), None)
    if blocked is not None:
        raise ValidationError(blocked.message, code=BLOCKED)
    held = any(r.held for r in results)
    return Screened(
        title=results[0].text,
        body=results[1].text,
        status=PostStatus.PENDING if held else PostStatus.PUBLISHED,
        note=HELD_NOTE if held else "",
        version=current_version(),
    )


def _require(actor: Any, permission: str, obj: Any, message: str) -> None:
    if not actor.has_perm(permission, obj):
        raise PermissionDenied(message)


# ---------------------------------------------------------------- mentions

MENTION = re.compile(r"@([0-9A-Za-z_\u3400-\u9fff·]{2,20})")


def mention_candidates(text: str) -> list[list[str]]:
    """For each @ in the text, the names it may stand for, longest first ("@王建华你好" → 王建华你好, …, 王建)."""
    return [[token[:n] for n in range(len(token), 1, -1)] for token in MENTION.findall(text)]


def addressable_people(board: Board) -> Q:
    """Whom a post on the board may @: anyone active on the platform board; on a station's board the
    people of that station (home station, or a role there)."""
    if board.is_platform or board.station_id is None:
        return Q(is_active=True)
    return Q(is_active=True) & people_of_station_q(board.station_id)


def resolve_mentions(*, text: str, board: Board, author: Any) -> list[User]:
    """The people named in `text` (by username or, when unambiguous, real name), at most MAX_MENTIONS,
    never the author (whose name still makes a name ambiguous); one query."""
    groups = mention_candidates(text)
    names = {name for group in groups for name in group}
    if not names:
        return []
    found = list(
        User.objects.filter(addressable_people(board))
        .filter(Q(username__in=names) | Q(real_name__in=names) | Q(pk=author.pk))
        .distinct()
        .only("id", "username", "real_name", "email")
    )
    by_username = {user.username: user for user in found}
    by_name: dict[str, list[User]] = {}
    for user in found:
        by_name.setdefault(user.real_name, []).append(user)
    chosen: dict[int, User] = {}
    for group in groups:
        person = _first_match(group, by_username, by_name)
        if person is not None and person.pk != author.pk:  # the author counts for ambiguity, never named
            chosen.setdefault(person.pk, person)
    return list(chosen.values())[:MAX_MENTIONS]


def _first_match(
    group: list[str], by_username: dict[str, User], by_name: dict[str, list[User]]
) -> User | None:
    for name in group:
        if name in by_username:
            return by_username[name]
        if len(by_name.get(name, [])) == 1:
            return by_name[name][0]
    return None


def _record_mentions(people: Iterable[User], *, topic: Topic, reply: Reply | None) -> None:
    Mention.objects.bulk_create(
        [Mention(user=person, topic=topic, reply=reply) for person in people], ignore_conflicts=True
    )


def _notify_mentions(*, topic: Topic, reply: Reply | None, actor: Any) -> None:
    """Tell the people named in a post that is now published, each once (`notified_at`)."""
    pending = Mention.objects.filter(topic=topic, reply=reply, notified_at__isnull=True).select_related(
        "user"
    )
    people = [mention.user for mention in pending]
    if not people:
        return
    Mention.objects.filter(pk__in=[m.pk for m in pending]).update(notified_at=timezone.now())
    where = "回复中" if reply is not None else "主题中"
    notify(
        recipients=people,
        title=f"{topic.author.display_name if reply is None else reply.author.display_name}在{where}提到了您",
        body=topic.title,
        url=post_url(topic, reply),
        station=topic.station,
    )


def post_url(topic: Topic, reply: Reply | None = None) -> str:
    url = reverse("forum:topic", kwargs={"pk": topic.pk})
    return f"{url}#reply-{reply.pk}" if reply is not None else url


# ---------------------------------------------------------------- topics and replies


def topic_create(
    *,
    actor: Any,
    board: Board,
    title: str,
    body: str,
    kind: str = TopicKind.DISCUSSION,
    images: Sequence[UploadedFile] = (),
) -> Topic:
    """Post a topic (or a 问指导员 question) on a board."""
    _require(actor, "forum.post", board, "请登录后发帖")
    if kind not in TopicKind.values:
        raise ValidationError("主题类型不正确", code="invalid")
    title = clean_text(title, label="标题", max_length=TITLE_MAX)
    body = clean_text(body, label="内容", max_length=BODY_MAX)
    pictures = clean_images(images)
    screened = screen(title=title, body=body)
    with transaction.atomic():
        topic = Topic.objects.create(
            board=board,
            station_id=board.station_id,
            author=actor,
            kind=kind,
            title=screened.title,
            body=screened.body,
            status=screened.status,
            review_note=screened.note,
            words_version=screened.version,
        )
        _save_images(pictures, topic=topic)
        _record_mentions(
            resolve_mentions(text=f"{title}\n{body}", board=board, author=actor), topic=topic, reply=None
        )
        record_event(
            actor=actor,
            action="forum.topic.create",
            target=topic,
            station=board.station,
            data={"kind": kind, "status": topic.status, "board": board.pk},
        )
        if topic.status == PostStatus.PUBLISHED:
            _on_topic_published(topic, actor=actor)
    return topic


def _save_images(pictures: list[Any], *, topic: Topic | None = None, reply: Reply | None = None) -> None:
    for position, picture in enumerate(pictures):
        image = PostImage(topic=topic, reply=reply, position=position)
        image.image.save(picture.name, picture, save=False)
        image.save()


def _on_topic_published(topic: Topic, *, actor: Any) -> None:
    refresh_board(topic.board_id)
    _notify_mentions(topic=topic, reply=None, actor=actor)
    if topic.is_question:
        _route_question(topic)
    transaction.on_commit(lambda: signals.topic_published.send(sender=Topic, topic=topic))


def question_instructors(topic: Topic) -> list[User]:
    """The instructors a question goes to: the station's own (HQ's for the platform board)."""
    if topic.station_id is None:
        return list(role_holders(Role.INSTRUCTOR, at_hq=True))
    return list(role_holders(Role.INSTRUCTOR, station_id=topic.station_id))


def _route_question(topic: Topic) -> None:
    notify(
        recipients=[person for person in question_instructors(topic) if person.pk != topic.author_id],
        title=f"问指导员：{topic.title}",
        body=f"{topic.author.display_name}在{topic.board.name}提问，请答复",
        url=post_url(topic),
        station=topic.station,
    )


def reply_create(
    *,
    actor: Any,
    topic: Topic,
    body: str,
    images: Sequence[UploadedFile] = (),
    as_answer: bool = False,
) -> Reply:
    """Reply to a topic. An instructor of the station replying to a question may give the reply as the
    answer (`as_answer`), which marks the question answered by them."""
    _require(actor, "forum.reply", topic, "请登录后回复")
    body = clean_text(body, label="回复内容", max_length=REPLY_MAX)
    pictures = clean_images(images)
    screened = screen(body=body)
    with transaction.atomic():
        locked = (
            Topic.objects.select_for_update(of=("self",)).select_related("board", "author").get(pk=topic.pk)
        )
        if locked.is_locked:
            raise ValidationError("该主题已锁定，不能再回复", code=LOCKED)
        if locked.status != PostStatus.PUBLISHED or locked.is_hidden:
            raise ValidationError("该主题尚未发布或已屏蔽，不能回复", code="wrong_state")
        by_instructor = locked.is_question and actor.has_perm("forum.answer", locked)
        reply = Reply.objects.create(
            topic=locked,
            station_id=locked.station_id,
            author=actor,
            body=screened.body,
            status=screened.status,
            review_note=screened.note,
            words_version=screened.version,
            by_instructor=by_instructor,
        )
        _save_images(pictures, reply=reply)
        _record_mentions(
            resolve_mentions(text=body, board=locked.board, author=actor), topic=locked, reply=reply
        )
        record_event(
            actor=actor,
            action="forum.reply.create",
            target=reply,
            station=locked.station,
            data={"topic": locked.pk, "status": reply.status, "by_instructor": by_instructor},
        )
        if reply.status == PostStatus.PUBLISHED:
            _on_reply_published(reply, topic=locked, actor=actor)
            if as_answer and by_instructor:
                _mark_answer(locked, reply, actor=actor)
    return reply


def _on_reply_published(reply: Reply, *, topic: Topic, actor: Any) -> None:
    refresh_topic(topic.pk)
    _notify_mentions(topic=topic, reply=reply, actor=actor)
    if topic.author_id != reply.author_id:
        notify(
            recipients=[topic.author],
            title=f"{reply.author.display_name}回复了您的{'提问' if topic.is_question else '主题'}",
            body=topic.title,
            url=post_url(topic, reply),
            station=topic.station,
            email=False,
        )


def refresh_topic(topic_id: int) -> None:
    """Recount a topic's published, visible replies and its latest activity from the rows themselves."""
    shown = Reply.objects.filter(topic_id=topic_id, status=PostStatus.PUBLISHED, is_hidden=False)
    totals = shown.aggregate(count=Count("id"), last=Max("created_at"))
    topic = Topic.objects.only("created_at", "board_id").get(pk=topic_id)
    Topic.objects.filter(pk=topic_id).update(
        reply_count=totals["count"] or 0, last_activity_at=totals["last"] or topic.created_at
    )
    refresh_board(topic.board_id)


def refresh_board(board_id: int) -> None:
    shown = Topic.objects.filter(board_id=board_id, status=PostStatus.PUBLISHED, is_hidden=False)
    totals = shown.aggregate(count=Count("id"), last=Max("last_activity_at"))
    Board.objects.filter(pk=board_id).update(
        topic_count=totals["count"] or 0, last_activity_at=totals["last"]
    )


# ---------------------------------------------------------------- 问指导员: the answer


def answer_mark(*, actor: Any, reply: Reply) -> Topic:
    """Mark an instructor's reply as the answer to its question (by that station's instructors, the
    asker or the moderators); marking another reply replaces the earlier answer."""
    _require(actor, "forum.mark_answer", reply, "只有指导员、提问人或站点党务工作者可以采纳答复")
    with transaction.atomic():
        topic = Topic.objects.select_for_update(of=("self",)).select_related("board").get(pk=reply.topic_id)
        if not topic.is_question:
            raise ValidationError("只有问指导员的提问可以采纳答复", code="wrong_state")
        if not reply.by_instructor or not reply.is_visible_to_all:
            raise ValidationError("只能采纳指导员已发布的答复", code="wrong_state")
        if topic.answer_id == reply.pk:
            raise ValidationError("该答复已被采纳", code="wrong_state")
        _mark_answer(topic, reply, actor=actor)
    return topic


def _mark_answer(topic: Topic, reply: Reply, *, actor: Any) -> None:
    topic.answer, topic.answered_by, topic.answered_at = reply, reply.author, timezone.now()
    topic.save(update_fields=["answer", "answered_by", "answered_at"])
    record_event(
        actor=actor,
        action="forum.question.answer",
        target=topic,
        station=topic.station,
        data={"reply": reply.pk, "instructor": reply.author_id},
    )
    if topic.author_id != actor.pk:
        notify(
            recipients=[topic.author],
            title=f"您的提问已由指导员{reply.author.display_name}答复",
            body=topic.title,
            url=post_url(topic, reply),
            station=topic.station,
        )
    transaction.on_commit(lambda: signals.question_answered.send(sender=Topic, topic=topic, reply=reply))


# ---------------------------------------------------------------- likes


def like_set(*, actor: Any, post: Topic | Reply, liked: bool) -> tuple[bool, int]:
    """Like (or unlike) a post; idempotent, and two clicks at once still make one like (the unique
    constraint decides). Answers whether the person now likes it and the post's count."""
    _require(actor, "forum.like", post, "请登录后点赞")
    if not post.is_visible_to_all:
        raise ValidationError("该内容尚未发布或已屏蔽，不能点赞", code="wrong_state")
    is_reply = isinstance(post, Reply)
    key: dict[str, Any] = {"reply": post} if is_reply else {"topic": post, "reply": None}
    model: Any = Reply if is_reply else Topic
    with transaction.atomic():
        model.objects.select_for_update().filter(pk=post.pk).first()  # one like change of a post at a time
        if liked:
            try:
                with transaction.atomic():
                    Like.objects.create(user=actor, **key)
            except IntegrityError:
                pass  # liked already (perhaps by a simultaneous click)
        else:
            Like.objects.filter(user=actor, **key).delete()
        count = Like.objects.filter(**key).count()
        model.objects.filter(pk=post.pk).update(like_count=count)
    post.like_count = count
    return liked, count


# ---------------------------------------------------------------- reports and moderation


def report_create(*, actor: Any, topic: Topic, reply: Reply | None = None, reason: str) -> Report:
    """Report a post to the station's workers (举报), once per person while the report is open."""
    post = reply if reply is not None else topic
    _require(actor, "forum.report", post, "请登录后举报")
    reason = clean_text(reason, label="举报理由", max_length=REASON_MAX)
    with transaction.atomic():
        Topic.objects.select_for_update().filter(pk=topic.pk).first()
        open_one = Report.objects.filter(reporter=actor, topic=topic, reply=reply, status=ReportStatus.OPEN)
        if open_one.exists():
            raise ValidationError("您已举报过该内容，请等待处理", code="duplicate")
        report = Report.objects.create(
            station_id=topic.station_id, topic=topic, reply=reply, reporter=actor, reason=reason
        )
        record_event(
            actor=actor,
            action="forum.report.create",
            target=report,
            station=topic.station,
            data={"topic": topic.pk, "reply": reply.pk if reply else None},
        )
    return report


TOPIC_MOVES: dict[str, tuple[str, bool, str]] = {  # keyed by the action's value
    # action: (field, value, the refusal when it is already so)
    "hide": ("is_hidden", True, "该内容已屏蔽"),
    "unhide": ("is_hidden", False, "该内容未被屏蔽"),
    "lock": ("is_locked", True, "该主题已锁定"),
    "unlock": ("is_locked", False, "该主题未锁定"),
    "pin": ("is_pinned", True, "该主题已置顶"),
    "unpin": ("is_pinned", False, "该主题未置顶"),
}
REPLY_MOVES = {key: TOPIC_MOVES[key] for key in ("hide", "unhide")}
REASON_FIELDS = {"is_hidden": "hidden_reason", "is_locked": "locked_reason"}


def moderate(*, actor: Any, post: Topic | Reply, action: str, reason: str) -> Topic | Reply:
    """Hide/unhide a topic or reply, lock/unlock or pin/unpin a topic, with the reason kept in the
    moderation log and the audit trail. Hiding also settles the post's open reports as upheld."""
    _require(actor, "forum.moderate", post, "只有本站点党务工作者和站点管理员可以管理版块")
    is_reply = isinstance(post, Reply)
    moves = REPLY_MOVES if is_reply else TOPIC_MOVES
    if action not in moves:
        raise ValidationError("不支持的管理操作", code="invalid")
    reason = clean_text(reason, label="原因", max_length=REASON_MAX)
    field, value, already = moves[action]
    model: Any = Reply if is_reply else Topic
    with transaction.atomic():
        locked = model.objects.select_for_update().get(pk=post.pk)
        if getattr(locked, field) == value:
            raise ValidationError(already, code="wrong_state")
        setattr(locked, field, value)
        changed = [field]
        if field in REASON_FIELDS:
            setattr(locked, REASON_FIELDS[field], reason if value else "")
            changed.append(REASON_FIELDS[field])
        locked.save(update_fields=changed)
        topic = locked.topic if is_reply else locked
        _log(actor, action, topic=topic, reply=locked if is_reply else None, reason=reason)
        if action == ModerationAction.HIDE:
            _settle_reports(actor, topic=topic, reply=locked if is_reply else None, note=reason)
        if field == "is_hidden":
            refresh_topic(topic.pk) if is_reply else refresh_board(topic.board_id)
        if action == ModerationAction.HIDE and locked.author_id != actor.pk:
            notify(
                recipients=[locked.author],
                title="您发布的内容已被屏蔽",
                body=f"原因：{reason}",
                url=post_url(topic, locked if is_reply else None),
                station=topic.station,
                email=False,
            )
    return locked  # type: ignore[no-any-return]


def _log(actor: Any, action: str, *, topic: Topic, reply: Reply | None, reason: str) -> None:
    ModerationLog.objects.create(
        station_id=topic.station_id, topic=topic, reply=reply, actor=actor, action=action, reason=reason
    )
    record_event(
        actor=actor,
        action=f"forum.moderate.{action}",
        target=reply if reply is not None else topic,
        station=topic.station,
        data={"topic": topic.pk, "reply": reply.pk if reply else None, "reason": reason},
    )


def _settle_reports(actor: Any, *, topic: Topic, reply: Reply | None, note: str) -> None:
    reports = Report.objects.filter(topic=topic, status=ReportStatus.OPEN)
    reports = reports.filter(reply=reply) if reply is not None else reports.filter(reply__isnull=True)
    reports.update(
        status=ReportStatus.UPHELD, handled_by=actor, handled_at=timezone.now(), handling_note=note
    )


def review(*, actor: Any, post: Topic | Reply, approve: bool, reason: str = "") -> Topic | Reply:
    """Decide a held post: approve publishes it (mentions and, for a question, its instructors are told
    then); reject keeps it from everyone but its author, with the reason."""
    _require(actor, "forum.moderate", post, "只有本站点党务工作者和站点管理员可以审核")
    is_reply = isinstance(post, Reply)
    if not approve:
        reason = clean_text(reason, label="不通过的原因", max_length=REASON_MAX)
    model: Any = Reply if is_reply else Topic
    with transaction.atomic():
        locked = model.objects.select_for_update().get(pk=post.pk)
        if locked.status != PostStatus.PENDING:
            raise ValidationError("该内容不在待审核状态", code="wrong_state")
        locked.status = PostStatus.PUBLISHED if approve else PostStatus.REJECTED
        locked.review_note = "" if approve else f"未通过审核：{reason}"
        locked.save(update_fields=["status", "review_note"])
        topic = Topic.objects.select_related("board", "author").get(
            pk=locked.topic_id if is_reply else locked.pk
        )
        action = ModerationAction.APPROVE if approve else ModerationAction.REJECT
        _log(actor, action, topic=topic, reply=locked if is_reply else None, reason=reason or "审核通过")
        if approve and is_reply:
            _on_reply_published(locked, topic=topic, actor=actor)
        elif approve:
            _on_topic_published(topic, actor=actor)
        else:
            notify(
                recipients=[locked.author],
                title="您发布的内容未通过审核",
                body=f"原因：{reason}",
                url=post_url(topic, locked if is_reply else None),
                station=topic.station,
                email=False,
            )
    return locked  # type: ignore[no-any-return]


def report_dismiss(*, actor: Any, report: Report, note: str) -> Report:
    """Dismiss a report (the post stays), with the reason."""
    _require(actor, "forum.moderate", report, "只有本站点党务工作者和站点管理员可以处理举报")
    note = clean_text(note, label="处理说明", max_length=REASON_MAX)
    with transaction.atomic():
        locked = (
            Report.objects.select_for_update(of=("self",)).select_related("topic", "reply").get(pk=report.pk)
        )
        if locked.status != ReportStatus.OPEN:
            raise ValidationError("该举报已处理", code="wrong_state")
        locked.status, locked.handled_by, locked.handled_at = ReportStatus.DISMISSED, actor, timezone.now()
        locked.handling_note = note
        locked.save(update_fields=["status", "handled_by", "handled_at", "handling_note"])
        _log(actor, ModerationAction.DISMISS_REPORT, topic=locked.topic, reply=locked.reply, reason=note)
    return locked
