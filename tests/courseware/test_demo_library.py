"""The demo courseware library: generated files that pass the upload checks, reviewed into the library."""

from __future__ import annotations

import pytest

from dangjian.core.uploads import check_upload
from dangjian.courseware.models import Courseware, CoursewareVersion
from dangjian.demo import courseware_seed
from dangjian.demo.seed import seed_demo_data

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("make", "kind"),
    [
        (lambda: courseware_seed.pdf_of("党课", ("第一页", "第二页")), "pdf"),
        (lambda: courseware_seed.epub_of("党章", (("总纲", "正文"),)), "epub"),
        (lambda: courseware_seed.docx_of(("方案",)), "docx"),
        (lambda: courseware_seed.xlsx_of("表", ("姓名",), (("王海涛",),)), "xlsx"),
        (lambda: courseware_seed.png_of("海报", ("入党誓词",)), "image"),
    ],
)
def test_each_generated_file_passes_the_content_checks(make, kind) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile

    assert check_upload(SimpleUploadedFile("x.bin", make())).kind == kind


def test_the_demo_library_is_reviewed_into_place(_courseware_files) -> None:
    seed_demo_data()
    live = Courseware.objects.filter(status="published")
    assert live.count() == 11
    assert {v.kind for v in CoursewareVersion.objects.filter(state="approved")} == {
        "pdf",
        "epub",
        "docx",
        "xlsx",
        "image",
    }
    assert live.filter(sharing="platform", station__kind="hq").count() == 8
    assert Courseware.objects.filter(status="submitted").count() == 1
    assert Courseware.objects.filter(status="returned").count() == 1
    assert courseware_seed.create_courseware() == 0  # once only
