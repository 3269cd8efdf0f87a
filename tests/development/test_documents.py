"""The candidate's documents (档案): every standard document of the 25 steps has its text; generated Word
and PDF files open (python-docx, pypdf) and carry the candidate's name and the step dates with the year,
never the clear ID number; the whole file comes as a printable page, one PDF and a ZIP in step order;
signed uploads are checked by their bytes, kept per step and shown only to the candidate's keepers."""

from __future__ import annotations

import io
import zipfile
from datetime import date

import docx
import pypdf
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django_scopes import scopes_disabled

from dangjian.core.crypto import decrypt
from dangjian.core.models import AuditEvent
from dangjian.development import documents, selectors
from dangjian.development.models import Candidate, StepDocument
from dangjian.development.rules import RULES_2014, chinese_date
from tests.development.builders import make_candidate, old_candidate, plan_day, walk

pytestmark = pytest.mark.django_db

PDF_BYTES = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def docx_text(content: bytes) -> str:
    document = docx.Document(io.BytesIO(content))
    cells = [cell.text for table in document.tables for row in table.rows for cell in row.cells]
    return "\n".join([p.text for p in document.paragraphs] + cells)


def pdf_text(content: bytes) -> str:
    return "\n".join(page.extract_text() for page in pypdf.PdfReader(io.BytesIO(content)).pages)


def document_url(candidate: Candidate, step: str, index: int, fmt: str) -> str:
    return reverse(
        "development:step_document", kwargs={"pk": candidate.pk, "step": step, "index": index, "fmt": fmt}
    )


@pytest.fixture
def admitted(dev) -> Candidate:
    """A candidate walked by the services up to the superior committee's approval (step 17)."""
    return walk(dev.a, old_candidate(dev.a, name="顾思远"), "approval")


def test_every_standard_document_of_the_rules_has_a_text() -> None:
    dossier = documents.Dossier(
        rules=RULES_2014,
        name="顾思远",
        gender="男",
        ethnicity="汉族",
        birth_date=date(1996, 8, 18),
        education="大学本科",
        unit="泰州市海陵区某科技公司",
        job_title="工程师",
        id_number_masked="321202********1234",
        organization="中共某科技公司支部委员会",
        superior="中共泰州市海陵区委两新工委",
        applied_on=date(2024, 3, 4),
    )
    titles = {(step.key, title) for step in RULES_2014.steps for title in step.documents}
    assert len(titles) >= 20
    for step_key, title in titles:
        sheet = documents.sheet(dossier, step_key, title)  # KeyError when a document has no text
        assert sheet.title == title and "顾思远" in "".join(sheet.particulars[0])
        assert all("{" not in paragraph for paragraph in sheet.paragraphs), (step_key, title)


def test_a_steps_documents_open_as_word_and_pdf_with_the_name_and_dates(dev, client, admitted) -> None:
    client.force_login(dev.a.secretary)
    talk_day = chinese_date(plan_day(admitted, "talk"))
    plain = decrypt(admitted.id_number_encrypted)
    for fmt, read in (("docx", docx_text), ("pdf", pdf_text)):
        response = client.get(document_url(admitted, "talk", 0, fmt))
        assert response.status_code == 200
        assert "谈话记录" in response["Content-Disposition"] or "filename*" in response["Content-Disposition"]
        text = read(response.content)
        assert "顾思远" in text and talk_day in text and "谈话记录" in text, fmt
        assert admitted.id_number_masked in text and plain not in text
    meeting = pdf_text(client.get(document_url(admitted, "branch_meeting", 0, "pdf")).content)
    meeting_day = chinese_date(plan_day(admitted, "branch_meeting"))
    assert meeting_day in meeting and "应到会有表决权的正式党员10人" in meeting
    approval = docx_text(client.get(document_url(admitted, "approval", 0, "docx")).content)
    assert "预备期一年" in approval and meeting_day in approval


def test_unknown_documents_and_formats_are_404(dev, client, admitted) -> None:
    client.force_login(dev.a.secretary)
    for step, index, fmt in (("talk", 1, "pdf"), ("talk", 0, "exe"), ("nothing", 0, "pdf")):
        assert client.get(document_url(admitted, step, index, fmt)).status_code == 404


def test_the_whole_file_in_step_order_as_page_pdf_and_zip(dev, client, admitted) -> None:
    client.force_login(dev.a.secretary)
    page = client.get(reverse("development:dossier", kwargs={"pk": admitted.pk}))
    assert page.status_code == 200
    html = page.content.decode()
    order = [html.index(f'data-sheet="{key}"') for key in ("apply", "talk", "activist", "branch_meeting")]
    assert order == sorted(order)
    pdf = client.get(reverse("development:dossier_download", kwargs={"pk": admitted.pk, "fmt": "pdf"}))
    text = pdf_text(pdf.content)
    assert text.index("发展党员档案") < text.index("入党申请书") < text.index("公示") < text.index("审批意见")
    assert chinese_date(plan_day(admitted, "pre_review")) in text
    package = zipfile.ZipFile(
        io.BytesIO(
            client.get(
                reverse("development:dossier_download", kwargs={"pk": admitted.pk, "fmt": "zip"})
            ).content
        )
    )
    names = package.namelist()
    assert names[0] == "顾思远-发展党员档案.pdf"
    words = [name for name in names if name.startswith("文书/")]
    assert words[0] == "文书/01-第1步 递交入党申请书-入党申请书.docx"
    assert "顾思远" in docx_text(package.read(words[1]))
    with scopes_disabled():
        assert AuditEvent.objects.filter(action="development.dossier.export").count() == 2


def test_a_signed_upload_is_checked_kept_and_shown_only_to_keepers(dev, client, admitted) -> None:
    url = reverse("development:signed_upload", kwargs={"pk": admitted.pk})
    client.force_login(dev.a.secretary)
    html = SimpleUploadedFile("x.pdf", b"<html><script>alert(1)</script></html>", "application/pdf")
    response = client.post(url, {"document": "talk:谈话记录", "file": html}, follow=True)
    assert "只能上传" in response.content.decode() or "不能上传" in response.content.decode()
    assert not StepDocument.all_objects.exists()
    response = client.post(
        url, {"document": "oath:谈话记录", "file": SimpleUploadedFile("a.pdf", PDF_BYTES)}, follow=True
    )
    assert "请选择已办理步骤的材料" in response.content.decode()
    client.post(url, {"document": "talk:谈话记录", "file": SimpleUploadedFile("谈话.pdf", PDF_BYTES)})
    document = StepDocument.all_objects.get()
    assert (document.step, document.title, document.content_type) == ("talk", "谈话记录", "application/pdf")
    file_url = reverse("development:signed_file", kwargs={"pk": admitted.pk, "document": document.pk})
    served = client.get(file_url)
    assert served.status_code == 200 and b"".join(served.streaming_content).startswith(b"%PDF")
    zipped = client.get(reverse("development:dossier_download", kwargs={"pk": admitted.pk, "fmt": "zip"}))
    signed = [n for n in zipfile.ZipFile(io.BytesIO(zipped.content)).namelist() if n.startswith("签字材料/")]
    assert (
        len(signed) == 1 and signed[0].startswith("签字材料/第02步-谈话记录-") and signed[0].endswith(".pdf")
    )
    for outsider in (dev.admin_b, dev.other_officer, dev.b.secretary):
        client.force_login(outsider)
        assert client.get(file_url).status_code == 404
        assert client.get(reverse("development:dossier", kwargs={"pk": admitted.pk})).status_code == 404
        assert client.get(document_url(admitted, "talk", 0, "pdf")).status_code == 404
        assert (
            client.post(
                url, {"document": "talk:谈话记录", "file": SimpleUploadedFile("b.pdf", PDF_BYTES)}
            ).status_code
            == 404
        )
    assert StepDocument.all_objects.count() == 1


def test_the_upload_service_refuses_a_step_not_done_and_a_foreign_document(dev) -> None:
    from django.core.exceptions import ValidationError

    from dangjian.development import services

    candidate = make_candidate(dev.a)
    for step, title, code in (("talk", "谈话记录", "step_not_done"), ("apply", "公示", "unknown_document")):
        with pytest.raises(ValidationError) as refused:
            services.signed_document_upload(
                actor=dev.a.secretary,
                candidate=candidate,
                step=step,
                title=title,
                upload=SimpleUploadedFile("a.pdf", PDF_BYTES),
            )
        assert code in {e.code for errors in refused.value.error_dict.values() for e in errors}
    assert not StepDocument.all_objects.exists()
    assert selectors.signed_documents_of(candidate) == []
