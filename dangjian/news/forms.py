from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.urls import reverse

from dangjian.core.forms import ExactFilterForm, StyledForm, StyledModelForm, limit_choices
from dangjian.core.uploads import clean_image_upload
from dangjian.core.workflow import ReviewStatus
from dangjian.news.models import ArticleContent, ArticleRevision, Audience, Column
from dangjian.news.selectors import workable_station_ids, workable_stations
from dangjian.organizations.models import PartyOrganization
from dangjian.stations.models import Station
from dangjian.stations.selectors import restrict_to_stations


class CoverInput(forms.ClearableFileInput):
    """The cover as a picture (not a file name), with 删除封面; a newly chosen picture is previewed by
    static/js/editor-init.js. The template is found by Django's form renderer in this app's templates."""

    template_name = "news/widgets/cover.html"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__({"accept": "image/jpeg,image/png,image/webp", "data-preview": "", **(attrs or {})})


class ArticleForm(StyledModelForm):
    """The editor's form. 全站同步 is offered for an HQ article, or (`sync_offered`) on the new-article
    page to someone who writes for HQ; the service refuses it on a branch article either way.
    The body is a textarea that static/js/editor-init.js turns into the rich-text editor."""

    class Meta:
        model = ArticleRevision
        fields = list(ArticleContent.CONTENT_FIELDS)
        widgets = {
            "summary": forms.Textarea(attrs={"rows": 2}),
            "body": forms.Textarea(attrs={"rows": 14, "class": "editor"}),
            "cover": CoverInput(),
            "publish_at": forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        }
        help_texts = {
            "body": "可直接粘贴 Word 或公众号文章。其他网站的图片不能显示，请用工具栏的“图片”按钮上传本机图片。"
        }

    def __init__(
        self,
        *args: Any,
        user: Any = None,
        station: Station | None = None,
        sync_offered: bool | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["body"].widget.attrs.update(
            {
                "data-upload-url": reverse("news:body_image"),
                "data-media-url": settings.MEDIA_URL,
                "data-article": self.instance.article_id or "",
            }
        )
        limit_choices(self, "column", Column.objects.filter(is_active=True).order_by("sort_order"))
        organizations, label = _organization_choices(user, station)
        limit_choices(self, "organization", organizations, label=label)
        publish_at = self.fields["publish_at"]
        assert isinstance(publish_at, forms.DateTimeField)
        publish_at.input_formats = ["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"]
        if sync_offered is None:
            sync_offered = station is not None and station.is_hq
        if not sync_offered:
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
    """The station a new article is written for: preselected when the person writes for one station."""

    station = forms.ModelChoiceField(label="发布站点", queryset=Station.objects.none())

    def __init__(self, *args: Any, user: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        stations = workable_stations(user)
        limit_choices(self, "station", stations)
        self.writable = [s for s in stations if user is not None and user.has_perm("news.add_article", s)]
        if len(self.writable) == 1 and not self.is_bound:
            self.initial["station"] = self.writable[0].pk

    def chosen_station(self) -> Station | None:
        """The station chosen, or the only one this person writes for before anything is posted."""
        if self.is_bound:
            return self.cleaned_data["station"] if self.is_valid() else None
        return self.writable[0] if len(self.writable) == 1 else None

    def offers_sync(self) -> bool:
        """全站同步 is for HQ articles, so it is offered to the people who write for HQ."""
        return any(s.is_hq for s in self.writable)


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
