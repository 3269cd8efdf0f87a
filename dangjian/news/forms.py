from __future__ import annotations

from typing import Any

from django import forms

from dangjian.core.forms import ExactFilterForm, StyledForm, StyledModelForm, limit_choices
from dangjian.core.uploads import clean_image_upload
from dangjian.core.workflow import ReviewStatus
from dangjian.news.models import ArticleContent, ArticleRevision, Audience, Column
from dangjian.news.selectors import workable_station_ids
from dangjian.organizations.models import PartyOrganization
from dangjian.stations.models import Station
from dangjian.stations.selectors import restrict_to_stations


class ArticleForm(StyledModelForm):
    """The editor's form; `station` decides whether 全站同步 is offered (HQ only)."""

    class Meta:
        model = ArticleRevision
        fields = list(ArticleContent.CONTENT_FIELDS)
        widgets = {
            "summary": forms.Textarea(attrs={"rows": 2}),
            "body": forms.Textarea(attrs={"rows": 14, "class": "editor"}),
            "publish_at": forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        }
        help_texts = {
            "body": "可直接粘贴文字，空一行分段；也可使用简单 HTML（段落、标题、列表、链接、图片、表格）。"
        }

    def __init__(self, *args: Any, user: Any = None, station: Station | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        limit_choices(self, "column", Column.objects.filter(is_active=True).order_by("sort_order"))
        organizations, label = _organization_choices(user, station)
        limit_choices(self, "organization", organizations, label=label)
        publish_at = self.fields["publish_at"]
        assert isinstance(publish_at, forms.DateTimeField)
        publish_at.input_formats = ["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"]
        if station is not None and not station.is_hq:
            del self.fields["sync_to_all"]

    def clean_cover(self) -> Any:
        cover = self.cleaned_data.get("cover")
        if cover and hasattr(cover, "content_type"):
            return clean_image_upload(cover)
        return cover

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("audience") == Audience.ORGANIZATION and not data.get("organization"):
            self.add_error("organization", "可见范围为“本组织党员”时，请选择党组织")
        return data

    def content(self) -> dict[str, Any]:
        return {
            name: self.cleaned_data[name]
            for name in ArticleContent.CONTENT_FIELDS
            if name in self.cleaned_data
        }


def _organization_choices(user: Any, station: Station | None) -> tuple[Any, Any]:
    """An article may only be aimed at an organisation of its own station (whose reviewers see it).
    Before the station is chosen, the organisations of the stations the user writes for, by station."""
    organizations = PartyOrganization.objects.filter(is_active=True).select_related("station")
    if station is not None:
        return organizations.filter(station=station).order_by("name"), None
    if user is None:
        return organizations.none(), None
    workable = restrict_to_stations(organizations, workable_station_ids(user))
    return workable.order_by("station__sort_order", "station_id", "name"), _with_station


def _with_station(organization: PartyOrganization) -> str:
    return f"{organization.station.name} · {organization.name}"


class ColumnForm(StyledModelForm):
    class Meta:
        model = Column
        fields = ["name", "slug", "is_notice", "sort_order", "is_active"]

    def __init__(self, *args: Any, user: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)


class NewArticleStationForm(StyledForm):
    station = forms.ModelChoiceField(label="发布站点", queryset=Station.objects.none())

    def __init__(self, *args: Any, user: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        limit_choices(
            self,
            "station",
            restrict_to_stations(Station.objects.all(), workable_station_ids(user), field="id"),
        )


class CommentForm(StyledForm):
    comment = forms.CharField(
        label="意见", max_length=500, required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class AttachmentForm(StyledForm):
    file = forms.FileField(label="附件", help_text="PDF、Word/Excel/PPT、图片或 MP4 视频，单个不超过 50 MB")


class ArticleFilterForm(ExactFilterForm):
    lookups = {"status": "status", "column": "column", "station": "station"}

    status = forms.ChoiceField(
        label="状态", choices=[("", "全部状态"), *ReviewStatus.choices], required=False
    )
    column = forms.ModelChoiceField(
        label="栏目", queryset=Column.objects.all(), required=False, empty_label="全部栏目"
    )
    station = forms.ModelChoiceField(
        label="站点", queryset=Station.objects.none(), required=False, empty_label="全部站点"
    )
    queue = forms.BooleanField(label="待我审核", required=False)

    def __init__(self, *args: Any, user: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        limit_choices(
            self,
            "station",
            restrict_to_stations(Station.objects.all(), workable_station_ids(user), field="id"),
        )
