"""Small helpers of the forum tests: a picture upload and posting through the services."""

from __future__ import annotations

import io
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from dangjian.forum import services
from dangjian.forum.models import Reply, Topic, TopicKind


def png(name: str = "现场照片.png") -> SimpleUploadedFile:
    out = io.BytesIO()
    Image.new("RGB", (16, 12), (200, 30, 30)).save(out, format="PNG")
    return SimpleUploadedFile(name, out.getvalue(), content_type="image/png")


def post(
    author: Any,
    board: Any,
    title: str = "楼宇党员志愿服务队招募",
    body: str = "每周三中午在共享沙龙辅导老人使用智能手机。",
    **extra: Any,
) -> Topic:
    return services.topic_create(actor=author, board=board, title=title, body=body, **extra)


def ask(author: Any, board: Any, title: str = "流动党员组织关系转接要带哪些材料？") -> Topic:
    return post(
        author, board, title=title, body="我从外地调到楼里的单位，组织关系还在老家。", kind=TopicKind.QUESTION
    )


def answer(
    author: Any, topic: Topic, body: str = "请准备介绍信，到楼宇联合党支部报到。", **extra: Any
) -> Reply:
    return services.reply_create(actor=author, topic=topic, body=body, **extra)
