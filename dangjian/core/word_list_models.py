"""The HQ-edited sensitive-word lists (DB3212/T 1124 §6.3; issue 12 §2), versioned.

Every save publishes a new `WordListVersion` holding the whole set of words (a snapshot, never edited), so a
post can say which lists screened it and the history shows who changed what and when.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone


class WordKind(models.TextChoices):
    BLOCK = "block", "拒绝发布"
    HOLD = "hold", "先审后发"
    REPLACE = "replace", "替换为＊"
    ALLOW = "allow", "允许词（不拦截）"


class WordListVersion(models.Model):
    number = models.PositiveIntegerField("版本号", unique=True)
    note = models.CharField("修改说明", max_length=200, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+", verbose_name="修改人"
    )
    created_at = models.DateTimeField("发布时间", default=timezone.now)

    class Meta:
        ordering = ["-number"]
        verbose_name = "敏感词表版本"
        verbose_name_plural = verbose_name

    def __str__(self) -> str:
        return f"第 {self.number} 版"


class WordListEntry(models.Model):
    version = models.ForeignKey(WordListVersion, on_delete=models.CASCADE, related_name="entries")
    kind = models.CharField("处理方式", max_length=10, choices=WordKind.choices)
    word = models.CharField("词语", max_length=50)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["version", "kind", "word"], name="word_list_entry_unique"),
        ]
        ordering = ["kind", "word"]
        verbose_name = "敏感词"
        verbose_name_plural = verbose_name

    def __str__(self) -> str:
        return self.word
