"""The search index: one `SearchDocument` per published item of any capability.

Rows are derived data written only by `dangjian.core.search.index_document` / `remove_document`.
The full-text index over `tokens` is vendor-specific and created by migration 0004:

- PostgreSQL: a generated column `search_vector` = `to_tsvector('simple'::regconfig, tokens)` with a
  GIN index (not a model field: PostgreSQL computes it, Django never writes it);
- SQLite: the FTS5 table `core_searchdocument_fts`, an external-content index of `tokens`
  kept in sync by triggers. `SearchDocumentFts` maps it (unmanaged, SQLite only) so the ORM
  can join it; nothing ever writes to it through Django.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Lookup, Q
from django.utils import timezone

if TYPE_CHECKING:
    from django.db.backends.base.base import BaseDatabaseWrapper
    from django.db.models.sql.compiler import SQLCompiler


class Audience(models.TextChoices):
    """Who may read an item; the rule lives in `dangjian.core.search.visibility_q`."""

    PUBLIC = "public", "所有人"
    LOGGED_IN = "logged_in", "登录用户"
    STATION = "station", "本站点"
    ORGANIZATION = "organization", "本党组织"


class SearchDocument(models.Model):
    """The searchable copy of one published item (an article, a disclosure …)."""

    target_type = models.ForeignKey(ContentType, on_delete=models.CASCADE, related_name="+")
    target_id = models.PositiveBigIntegerField("对象编号")
    kind = models.CharField("类别", max_length=20)
    title = models.CharField("标题", max_length=200)
    body_text = models.TextField("正文（纯文本）", blank=True)
    tokens = models.TextField("分词", blank=True, help_text="jieba 搜索模式分词，空格分隔；标题重复以加权")
    url = models.CharField("链接", max_length=300)
    station = models.ForeignKey(
        "stations.Station",
        verbose_name="站点",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
    )
    audience = models.CharField("可见范围", max_length=16, choices=Audience.choices, default=Audience.PUBLIC)
    organization = models.ForeignKey(
        "organizations.PartyOrganization",
        verbose_name="党组织",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
    )
    shared = models.BooleanField("总站同步到各分站", default=False)
    published_at = models.DateTimeField("发布时间", default=timezone.now)
    indexed_at = models.DateTimeField("索引时间", auto_now=True)

    class Meta:
        verbose_name = "搜索索引"
        verbose_name_plural = "搜索索引"
        ordering = ["-published_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["target_type", "target_id"], name="searchdoc_unique_target"),
            models.CheckConstraint(
                condition=Q(audience__in=Audience.values), name="searchdoc_audience_valid"
            ),
        ]
        # No b-tree indexes on audience/kind/shared: every search is narrowed by the full-text index
        # (migration 0004). On SQLite an index on a filter column lures the planner into driving the
        # query from that index and probing FTS5 once per row, ~100x slower at 20,000 documents
        # (bench/search_bench.py); tests/core/test_search.py checks that FTS5 drives the plan.
        # The foreign keys (station, organization, target_type) keep Django's own indexes.

    def __str__(self) -> str:
        return f"{self.kind}：{self.title}"


class Fts5Field(models.TextField):
    """A column of an FTS5 table; supports the `match` lookup (`<column> MATCH <query>`)."""


@Fts5Field.register_lookup
class Fts5Match(Lookup):
    """`fts_entry__tokens__match=query`: an FTS5 full-text query restricted to that column.
    The right-hand side is always a bound parameter built by `dangjian.core.search`."""

    lookup_name = "match"

    def as_sql(self, compiler: SQLCompiler, connection: BaseDatabaseWrapper) -> tuple[str, list[Any]]:
        lhs, lhs_params = self.process_lhs(compiler, connection)
        rhs, rhs_params = self.process_rhs(compiler, connection)
        return f"{lhs} MATCH {rhs}", [*lhs_params, *rhs_params]


class SearchDocumentFts(models.Model):
    """SQLite only: the FTS5 table `core_searchdocument_fts` (rowid = SearchDocument.id).
    Unmanaged and read-only; triggers from migration 0004 keep it in sync."""

    document = models.OneToOneField(
        SearchDocument,
        primary_key=True,
        db_column="rowid",
        on_delete=models.DO_NOTHING,
        related_name="fts_entry",
    )
    tokens = Fts5Field()

    class Meta:
        managed = False
        db_table = "core_searchdocument_fts"
        verbose_name = "全文索引（SQLite FTS5）"

    def __str__(self) -> str:
        return f"fts:{self.pk}"
