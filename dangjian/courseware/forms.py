"""Forms of the courseware pages; every check of substance is the service's (a refusal comes back as a
form error), these only shape the input."""

from __future__ import annotations

from typing import Any

from django import forms

from dangjian.core.uploads import KIND_LABELS
from dangjian.courseware.models import Sharing
from dangjian.courseware.services import Details
from dangjian.stations.models import Station

FILE_HELP = "PDF、Word、PPT、Excel 文档，MP4 视频，电子书或图片；按文件内容识别类型"


class DetailsForm(forms.Form):
    title = forms.CharField(label="标题", max_length=120)
    description = forms.CharField(
        label="简介", max_length=2000, required=False, widget=forms.Textarea(attrs={"rows": 4})
    )
    tags = forms.CharField(
        label="标签", max_length=250, required=False, help_text="多个标签用逗号或空格分隔，最多 10 个"
    )
    sharing = forms.ChoiceField(
        label="共享范围",
        choices=Sharing.choices,
        help_text="本站点共享由本站点党建指导员审核；全平台共享由总站党建指导员审核，通过后各分站都能使用",
    )

    def details(self) -> Details:
        data = self.cleaned_data
        return Details(data["title"], data["description"], data["tags"], data["sharing"])


class UploadForm(DetailsForm):
    station = forms.ModelChoiceField(label="所属站点", queryset=Station.objects.none(), empty_label=None)
    file = forms.FileField(label="课件文件", help_text=FILE_HELP)

    def __init__(self, *args: Any, stations: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["station"].queryset = stations  # type: ignore[attr-defined]
        self.order_fields(["title", "station", "file", "sharing", "tags", "description"])


class VersionForm(forms.Form):
    file = forms.FileField(label="新版本文件", help_text=FILE_HELP)
    note = forms.CharField(label="版本说明", max_length=200, required=False)


class CommentForm(forms.Form):
    comment = forms.CharField(label="意见或原因", max_length=500, required=False)


class LibraryFilterForm(forms.Form):
    q = forms.CharField(label="搜索", max_length=100, required=False)
    tag = forms.CharField(label="标签", max_length=20, required=False)
    kind = forms.ChoiceField(
        label="类型",
        required=False,
        choices=[("", "全部类型"), *((k.value, v) for k, v in KIND_LABELS.items())],
        widget=forms.Select(attrs={"class": "form-select"}),
    )
