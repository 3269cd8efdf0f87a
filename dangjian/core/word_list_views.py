"""HQ's page for the sensitive-word lists (DB3212/T 1124 §6.3; issue 12 §2): edit and publish a version, try a
text against the lists in force, see the history."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse

from dangjian.core import moderation
from dangjian.core.forms import StyledForm
from dangjian.core.page_guards import staff_page_for
from dangjian.core.word_list_models import WordKind

hq_page = staff_page_for(moderation.EDIT_PERMISSION)

HELP = {
    WordKind.BLOCK: "含有这些词的内容不能发布，提示用户修改",
    WordKind.HOLD: "含有这些词的内容先保存，经工作人员审核后才显示",
    WordKind.REPLACE: "这些词显示为＊，内容照常发布",
    WordKind.ALLOW: "包含被拦截词的正常词语，如“中国共产党”，整词匹配时不拦截",
}


class WordListForm(StyledForm):
    based_on = forms.IntegerField(widget=forms.HiddenInput, min_value=0)
    block = forms.CharField(
        label=WordKind.BLOCK.label, required=False, widget=forms.Textarea(attrs={"rows": 6})
    )
    hold = forms.CharField(
        label=WordKind.HOLD.label, required=False, widget=forms.Textarea(attrs={"rows": 6})
    )
    replace = forms.CharField(
        label=WordKind.REPLACE.label, required=False, widget=forms.Textarea(attrs={"rows": 6})
    )
    allow = forms.CharField(
        label=WordKind.ALLOW.label, required=False, widget=forms.Textarea(attrs={"rows": 6})
    )
    note = forms.CharField(label="修改说明", max_length=200, required=False)

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        for kind, text in HELP.items():
            self.fields[kind].help_text = f"{text}；每行一个词，也可用顿号或逗号分隔"

    def clean(self) -> dict[str, object]:
        cleaned = super().clean() or {}
        for kind in WordKind.values:
            try:
                cleaned[kind] = moderation.parse_words(cleaned.get(kind) or "", label=WordKind(kind).label)
            except ValidationError as error:
                self.add_error(kind, error)
        return cleaned


def _initial() -> dict[str, object]:
    words = moderation.words_of(moderation.latest_version())
    return {
        "based_on": moderation.current_version(),
        **{kind: "\n".join(words[kind]) for kind in WordKind.values},
    }


@hq_page("GET", "POST")
def word_lists(request: HttpRequest) -> HttpResponse:
    form = WordListForm(request.POST or None, initial=_initial())
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            version = moderation.publish_word_lists(
                actor=request.user,
                words={kind: data[kind] for kind in WordKind.values},
                based_on=data["based_on"],
                note=data["note"],
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, f"已发布敏感词表第 {version.number} 版，即时生效")
            return HttpResponseRedirect(reverse("core:word_lists"))
    sample = request.GET.get("sample", "")[:2000].replace("\x00", "")
    context = {
        "title": "敏感词管理",
        "form": form,
        "number": moderation.current_version(),
        "versions": moderation.versions_page(),
        "sample": sample,
        "screening": moderation.screen_text(sample) if sample else None,
    }
    return render(request, "core/word_lists.html", context)
