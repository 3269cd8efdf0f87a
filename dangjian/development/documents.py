"""The standard documents of a candidate's steps (谈话记录, 考察表, 政审材料, 公示, 入党志愿书, 转正申请 …)
filled in from the candidate's file, as Word (python-docx) and PDF (reportlab), one at a time or the whole
档案 in the order of the 25 steps.

Generation is pure: `Dossier` holds everything a document shows (read once by
`selectors.dossier_of`), a document is a `Sheet` (title, particulars, paragraphs, signature lines) built
from the texts in `TEXTS`, and the two renderers draw sheets. The texts are data: a new document or a
changed wording is an entry of `TEXTS`, keyed by the document's title or by (step, title) where a title
serves several steps (支委会会议记录, 备案报告, 审批意见 …). A blank the file cannot fill is a line to
write on (`BLANK`); the ID number appears only masked.
"""

from __future__ import annotations

import io
import string
import zipfile
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date

from dangjian.development.rules import RuleSet, add_months, chinese_date

BLANK = "＿＿＿＿＿＿"
SIGN_DATE = "年　　月　　日"
PDF_FONT = "STSong-Light"  # an Adobe CID font every PDF reader has: nothing to embed, text extractable


@dataclass(frozen=True)
class StepFacts:
    done_on: date
    responsible: str = ""
    note: str = ""
    entitled: int | None = None
    present: int | None = None
    votes_for: int | None = None
    training_days: int | None = None
    training_hours: int | None = None
    notice_from: date | None = None
    notice_until: date | None = None


@dataclass(frozen=True)
class ReportFacts:
    kind_label: str
    number: int
    filed_on: date
    filed_by: str
    content: str


@dataclass(frozen=True)
class Dossier:
    """What the documents of one candidate show."""

    rules: RuleSet
    name: str
    gender: str
    ethnicity: str
    birth_date: date
    education: str
    unit: str
    job_title: str
    id_number_masked: str
    organization: str
    superior: str
    applied_on: date
    steps: Mapping[str, StepFacts] = field(default_factory=dict)
    contacts: tuple[str, ...] = ()
    introducers: tuple[str, ...] = ()
    reports: tuple[ReportFacts, ...] = ()


@dataclass(frozen=True)
class Sheet:
    step_key: str
    step_label: str
    title: str
    heading: str
    particulars: tuple[tuple[str, str], ...]
    paragraphs: tuple[str, ...]
    signatures: tuple[str, ...]
    index: int = 0  # the place of `title` among the step's documents

    @property
    def rows(self) -> list[tuple[str, str, str, str]]:
        return _pairs(self.particulars)


@dataclass(frozen=True)
class Text:
    paragraphs: tuple[str, ...]
    signatures: tuple[str, ...] = ("经办人（签字）",)
    heading: str = "{organization}"


APPLICANT_SIGNS = ("本人（签字）",)
TEXTS: dict[str | tuple[str, str], Text] = {
    "入党申请书": Text(
        (
            "敬爱的党组织：",
            "（由申请人本人手写，主要内容：对党的认识、入党动机和对待入党的态度，个人履历、家庭和社会关系情况，"
            "今后努力方向。）",
            "{name}于{applied_on}向{organization}递交入党申请书。",
        ),
        APPLICANT_SIGNS,
    ),
    "谈话记录": Text(
        (
            "谈话时间：{done_on}",
            "谈话人：{responsible}",
            "谈话对象：{name}{at_unit}",
            "{name}同志于{applied_on}向党组织递交入党申请书。党组织于{done_on}派人同其谈话，了解其基本情况，"
            "介绍党的基本知识和入党的条件、程序。",
            "谈话情况：{note}",
        ),
        ("谈话人（签字）", "谈话对象（签字）"),
    ),
    ("superior_talk", "谈话记录"): Text(
        (
            "谈话时间：{done_on}",
            "谈话人（上级党委指派）：{responsible}",
            "谈话对象：{name}{at_unit}",
            "支部大会于{branch_meeting_on}讨论通过接收{name}同志为预备党员。上级党委派人同其谈话，进一步了解其"
            "入党动机和对党的认识。",
            "谈话情况：{note}",
        ),
        ("谈话人（签字）", "谈话对象（签字）"),
    ),
    "推荐表": Text(
        (
            "推荐方式：党员推荐、群团组织推优",
            "{name}同志于{applied_on}递交入党申请书，经党员推荐和群团组织推优，支部委员会于{done_on}研究，"
            "同意确定其为入党积极分子。",
            "情况说明：{note}",
        ),
        ("支部书记（签字）",),
    ),
    ("activist", "支委会会议记录"): Text(
        (
            "会议时间：{done_on}",
            "会议议题：研究确定{name}同志为入党积极分子",
            "会议情况：{note}",
            "会议决定：确定{name}同志为入党积极分子，报上级党委备案。",
        ),
        ("记录人（签字）", "支部书记（签字）"),
    ),
    ("target", "支委会会议记录"): Text(
        (
            "会议时间：{done_on}",
            "会议议题：研究确定{name}同志为发展对象",
            "{name}同志于{activist_on}被确定为入党积极分子，经过一年以上的培养教育和考察，培养联系人：{contacts}。",
            "会议情况：{note}",
            "会议决定：确定{name}同志为发展对象，报上级党委备案。",
        ),
        ("记录人（签字）", "支部书记（签字）"),
    ),
    ("committee_review", "支委会会议记录"): Text(
        (
            "会议时间：{done_on}",
            "会议议题：审查{name}同志的入党条件",
            "入党介绍人：{introducers}；政治审查于{political_review_on}完成；集中培训于{training_on}结业。",
            "会议情况：{note}",
            "会议决定：{name}同志具备入党条件，报上级党委预审。",
        ),
        ("记录人（签字）", "支部书记（签字）"),
    ),
    "备案报告": Text(
        (
            "关于{name}同志“{step_title}”的备案报告",
            "{superior}：",
            "我支部于{anchor_on}办理{name}同志“{anchor_title}”事项，现报上级党委备案。",
            "情况说明：{note}",
        ),
        ("{organization}（盖章）",),
    ),
    "考察表": Text(
        (
            "培养联系人：{contacts}",
            "入党积极分子确定时间：{activist_on}",
            "考察记录：",
            "{evaluations}",
            "综合考察意见：{note}",
        ),
        ("培养联系人（签字）", "支部书记（签字）"),
    ),
    ("probation_education", "考察表"): Text(
        (
            "入党介绍人：{introducers}",
            "预备期：{branch_meeting_on}至{probation_end}",
            "继续教育考察情况：{note}",
        ),
        ("入党介绍人（签字）", "支部书记（签字）"),
    ),
    "思想汇报": Text(("已收到的思想汇报：", "{thought_reports}"), ("培养联系人（签字）",)),
    "政审材料": Text(
        (
            "审查时间：{done_on}",
            "审查内容：本人对党的理论和路线、方针、政策的态度；政治历史和在重大政治斗争中的表现；遵纪守法和遵守"
            "社会公德情况；直系亲属和与本人关系密切的主要社会关系人的政治情况。",
            "审查方式：同本人谈话、查阅有关档案材料、找有关单位和人员了解情况。",
            "审查结论：{note}",
        ),
        ("审查人（签字）", "{organization}（盖章）"),
    ),
    "培训结业证书": Text(
        (
            "{name}同志于{done_on}参加发展对象集中培训，培训{training_days}天、{training_hours}学时，经考核合格，准予结业。",
        ),
        ("{organization}（盖章）",),
    ),
    "公示": Text(
        (
            "关于拟发展{name}同志为中共预备党员的公示",
            "经支部委员会审查，拟发展{name}同志为中共预备党员，现将有关情况公示如下：",
            "{name}，{gender}，{ethnicity}，{birth_month}生，{education}{then_unit}。{applied_on}递交入党申请书，"
            "{activist_on}被确定为入党积极分子，{target_on}被列为发展对象。",
            "公示期：{notice_from}至{notice_until}。公示期间，党员和群众可通过来电、来信、来访等方式向党组织反映情况。",
        ),
        ("{organization}（盖章）",),
    ),
    "预审意见": Text(
        (
            "经对{name}同志的条件、培养教育和考察、政治审查等情况预审，同意其填写入党志愿书。",
            "预审情况：{note}",
        ),
        ("上级党委（盖章）",),
    ),
    "入党志愿书": Text(
        (
            "入党介绍人：{introducers}",
            "（入党志愿书由本人按规定填写，入党介绍人填写意见，支部大会通过后由支部填写决议。）",
            "领取时间：{done_on}",
        ),
        (*APPLICANT_SIGNS, "入党介绍人（签字）"),
    ),
    ("branch_meeting", "支部大会会议记录"): Text(
        (
            "会议时间：{done_on}",
            "会议议题：讨论接收{name}同志为中共预备党员",
            "应到会有表决权的正式党员{entitled}人，实到{present}人，赞成{votes_for}人。",
            "决议：赞成人数超过应到会有表决权的正式党员的半数，同意接收{name}同志为中共预备党员。",
            "会议情况：{note}",
        ),
        ("记录人（签字）", "支部书记（签字）"),
    ),
    ("full_meeting", "支部大会会议记录"): Text(
        (
            "会议时间：{done_on}",
            "会议议题：讨论预备党员{name}同志转为正式党员",
            "应到会有表决权的正式党员{entitled}人，实到{present}人，赞成{votes_for}人。",
            "决议：赞成人数超过应到会有表决权的正式党员的半数，同意{name}同志按期转为中共正式党员。",
            "会议情况：{note}",
        ),
        ("记录人（签字）", "支部书记（签字）"),
    ),
    ("approval", "审批意见"): Text(
        (
            "经{done_on}上级党委审批，同意接收{name}同志为中共预备党员，预备期一年，自{branch_meeting_on}"
            "至{probation_end}。",
            "审批情况：{note}",
        ),
        ("上级党委（盖章）",),
    ),
    ("full_approval", "审批意见"): Text(
        (
            "经{done_on}上级党委审批，同意{name}同志按期转为中共正式党员，党龄自{probation_end}算起。",
            "审批情况：{note}",
        ),
        ("上级党委（盖章）",),
    ),
    "转正申请": Text(
        (
            "敬爱的党组织：",
            "（由预备党员本人手写，主要内容：预备期内的思想、工作、学习情况，存在的不足和今后努力方向。）",
            "本人预备期自{branch_meeting_on}起至{probation_end}止，现申请转为中共正式党员。",
        ),
        APPLICANT_SIGNS,
    ),
    "入党材料目录": Text(("{contents}",), ("归档人（签字）",)),
}


class _Blanks(dict[str, str]):
    def __missing__(self, key: str) -> str:
        return BLANK


def _day(value: date | None) -> str:
    return chinese_date(value) if value else BLANK


def _number(value: int | None) -> str:
    return str(value) if value is not None else BLANK


def _names(names: Iterable[str]) -> str:
    return "、".join(names) or BLANK


def _values(dossier: Dossier, step_key: str) -> _Blanks:
    """The fields a text may name, for a document of `step_key`."""
    record = dossier.steps.get(step_key)
    values = _Blanks(
        name=dossier.name,
        gender=dossier.gender,
        ethnicity=dossier.ethnicity,
        birth_month=f"{dossier.birth_date.year}年{dossier.birth_date.month}月",
        education=dossier.education,
        unit=dossier.unit,
        job_title=dossier.job_title,
        at_unit=f"（{dossier.unit}{dossier.job_title}）" if dossier.unit or dossier.job_title else "",
        then_unit=f"，{dossier.unit}{dossier.job_title}" if dossier.unit or dossier.job_title else "",
        organization=dossier.organization,
        superior=dossier.superior or "上级党委",
        applied_on=_day(dossier.applied_on),
        contacts=_names(dossier.contacts),
        introducers=_names(dossier.introducers),
        step_title=dossier.rules.step(step_key).title,
        evaluations=_report_lines(dossier, "半年考察"),
        thought_reports=_report_lines(dossier, "思想汇报"),
        contents=_contents(dossier),
    )
    for key, facts in dossier.steps.items():
        values[f"{key}_on"] = _day(facts.done_on)
    meeting = dossier.steps.get("branch_meeting")
    if meeting:
        values["probation_end"] = _day(add_months(meeting.done_on, 12 * dossier.rules.probation.years))
    anchor = _anchor_step(dossier.rules, step_key)
    values["anchor_title"] = dossier.rules.step(anchor).title
    values["anchor_on"] = values[f"{anchor}_on"]
    if record:
        values.update(
            done_on=_day(record.done_on),
            responsible=record.responsible or BLANK,
            note=record.note or BLANK,
            entitled=_number(record.entitled),
            present=_number(record.present),
            votes_for=_number(record.votes_for),
            training_days=_number(record.training_days),
            training_hours=_number(record.training_hours),
            notice_from=_day(record.notice_from),
            notice_until=_day(record.notice_until),
        )
    return values


def _anchor_step(rules: RuleSet, step_key: str) -> str:
    """The step a filing reports (备案: the step it follows), else the step itself."""
    after = rules.step(step_key).after
    return after[0] if step_key.endswith("_filed") and after else step_key


def _report_lines(dossier: Dossier, kind_label: str) -> str:
    lines = [
        f"第{r.number}次（{chinese_date(r.filed_on)}，{r.filed_by}）：{r.content}"
        for r in dossier.reports
        if r.kind_label == kind_label
    ]
    return "\n".join(lines) or BLANK


def _contents(dossier: Dossier) -> str:
    lines = [
        f"{number}. {sheet_title}（{step_label}，{chinese_date(done_on)}）"
        for number, (step_label, sheet_title, done_on) in enumerate(_listed(dossier), start=1)
    ]
    return "\n".join(lines) or BLANK


def _listed(dossier: Dossier) -> list[tuple[str, str, date]]:
    return [
        (f"第{step.number}步 {step.title}", title, dossier.steps[step.key].done_on)
        for step in dossier.rules.steps
        if step.key in dossier.steps
        for title in step.documents
    ]


def _text_for(step_key: str, title: str) -> Text:
    return TEXTS.get((step_key, title)) or TEXTS[title]


def _fill(template: str, values: Mapping[str, str]) -> str:
    return string.Formatter().vformat(template, (), values)


def sheet(dossier: Dossier, step_key: str, title: str) -> Sheet:
    """Document `title` of step `step_key` (one of the step's `documents`), filled in."""
    step = dossier.rules.step(step_key)
    if title not in step.documents:
        raise KeyError(title)
    text = _text_for(step_key, title)
    values = _values(dossier, step_key)
    return Sheet(
        step_key=step_key,
        step_label=f"第{step.number}步 {step.title}",
        title=title,
        heading=_fill(text.heading, values),
        particulars=(
            ("姓名", dossier.name),
            ("性别", dossier.gender),
            ("民族", dossier.ethnicity),
            ("出生年月", values["birth_month"]),
            ("学历", dossier.education),
            ("公民身份号码", dossier.id_number_masked),
            ("工作单位及职务", f"{dossier.unit}{dossier.job_title}" or BLANK),
            ("所在党支部", dossier.organization),
        ),
        paragraphs=tuple(_fill(p, values) for p in text.paragraphs),
        signatures=tuple(_fill(s, values) for s in text.signatures),
        index=step.documents.index(title),
    )


def dossier_sheets(dossier: Dossier) -> list[Sheet]:
    """Every document of the steps done, in the order of the 25 steps."""
    return [
        sheet(dossier, step.key, title)
        for step in dossier.rules.steps
        if step.key in dossier.steps
        for title in step.documents
    ]


def cover(dossier: Dossier) -> Sheet:
    """The first page of the whole file: who, which branch, and the list of its documents."""
    last = max((facts.done_on for facts in dossier.steps.values()), default=dossier.applied_on)
    return Sheet(
        step_key="",
        step_label="",
        title="发展党员档案",
        heading=dossier.organization,
        particulars=(
            ("姓名", dossier.name),
            ("所在党支部", dossier.organization),
            ("递交入党申请书", chinese_date(dossier.applied_on)),
            ("最近办理", chinese_date(last)),
        ),
        paragraphs=("材料目录：", _contents(dossier)),
        signatures=(),
    )


# ---------------------------------------------------------------- Word


def render_docx(sheets: Iterable[Sheet]) -> bytes:
    from docx import Document
    from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK
    from docx.oxml.ns import qn
    from docx.shared import Pt

    document = Document()
    normal = document.styles["Normal"]
    normal.font.name = "宋体"
    normal.font.size = Pt(12)
    normal.element.rPr.rFonts.set(qn("w:eastAsia"), "宋体")
    for index, item in enumerate(sheets):
        if index:
            document.add_paragraph().add_run().add_break(WD_BREAK.PAGE)
        heading = document.add_paragraph(item.heading)
        heading.alignment = WD_ALIGN_PARAGRAPH.CENTER
        title = document.add_paragraph()
        title.alignment = WD_ALIGN_PARAGRAPH.CENTER
        run = title.add_run(item.title)
        run.bold = True
        run.font.size = Pt(18)
        if item.step_label:
            document.add_paragraph(item.step_label).alignment = WD_ALIGN_PARAGRAPH.CENTER
        table = document.add_table(rows=0, cols=4)
        table.style = "Table Grid"
        for pair in item.rows:
            cells = table.add_row().cells
            for cell, value in zip(cells, pair, strict=True):
                cell.text = value
        for paragraph in item.paragraphs:
            for text in paragraph.split("\n"):
                document.add_paragraph(text)
        for signature in item.signatures:
            signed = document.add_paragraph(f"{signature}：＿＿＿＿＿＿　　{SIGN_DATE}")
            signed.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def _pairs(particulars: tuple[tuple[str, str], ...]) -> list[tuple[str, str, str, str]]:
    """Label/value pairs two to a row of four cells."""
    cells = [text for pair in particulars for text in pair]
    cells += [""] * (-len(cells) % 4)
    return [tuple(cells[i : i + 4]) for i in range(0, len(cells), 4)]  # type: ignore[misc]


# ---------------------------------------------------------------- PDF


def render_pdf(sheets: Iterable[Sheet], *, title: str) -> bytes:
    from reportlab.lib import colors
    from reportlab.lib.enums import TA_CENTER, TA_RIGHT
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.lib.units import mm
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.platypus import PageBreak, Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle
    from reportlab.platypus.flowables import Flowable

    if PDF_FONT not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(UnicodeCIDFont(PDF_FONT))
    body = ParagraphStyle("body", fontName=PDF_FONT, fontSize=11, leading=18, wordWrap="CJK")
    centre = ParagraphStyle("centre", parent=body, alignment=TA_CENTER)
    big = ParagraphStyle("big", parent=centre, fontSize=18, leading=28, spaceAfter=6)
    right = ParagraphStyle("right", parent=body, alignment=TA_RIGHT, spaceBefore=10)
    story: list[Flowable] = []
    for index, item in enumerate(sheets):
        if index:
            story.append(PageBreak())
        story += [Paragraph(_escape(item.heading), centre), Paragraph(_escape(item.title), big)]
        if item.step_label:
            story.append(Paragraph(_escape(item.step_label), centre))
        story.append(Spacer(1, 4 * mm))
        rows = [[Paragraph(_escape(cell), body) for cell in row] for row in item.rows]
        table = Table(rows, colWidths=[32 * mm, 53 * mm, 32 * mm, 53 * mm])
        table.setStyle(TableStyle([("GRID", (0, 0), (-1, -1), 0.5, colors.black)]))
        story += [table, Spacer(1, 4 * mm)]
        for paragraph in item.paragraphs:
            story += [Paragraph(_escape(line), body) for line in paragraph.split("\n")]
        story += [Paragraph(_escape(f"{s}：＿＿＿＿＿＿　　{SIGN_DATE}"), right) for s in item.signatures]
    out = io.BytesIO()
    document = SimpleDocTemplate(out, pagesize=A4, title=title, leftMargin=20 * mm, rightMargin=20 * mm)
    document.build(story)
    return out.getvalue()


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


# ---------------------------------------------------------------- the whole file as a ZIP


@dataclass(frozen=True)
class SignedFile:
    step_key: str
    title: str
    uploaded_on: date
    extension: str  # with its dot
    content: bytes


def dossier_zip(dossier: Dossier, *, pdf: bytes, signed: Iterable[SignedFile]) -> bytes:
    """The PDF of the whole file, each document in Word, and the signed uploads, named in step order."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as package:
        package.writestr(f"{dossier.name}-发展党员档案.pdf", pdf)
        for number, item in enumerate(dossier_sheets(dossier), start=1):
            package.writestr(f"文书/{number:02d}-{item.step_label}-{item.title}.docx", render_docx([item]))
        used: set[str] = set()
        for upload in signed:
            step = dossier.rules.step(upload.step_key)
            base = f"签字材料/第{step.number:02d}步-{upload.title}-{chinese_date(upload.uploaded_on)}"
            name, copy = f"{base}{upload.extension}", 1
            while name in used:
                copy += 1
                name = f"{base}（{copy}）{upload.extension}"
            used.add(name)
            package.writestr(name, upload.content)
    return out.getvalue()
