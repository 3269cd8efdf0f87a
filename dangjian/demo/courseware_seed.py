"""Demo 课件分享 library: a dozen Taizhou party-building materials, generated small at load time (nothing
downloaded): PDF handouts drawn with Pillow (a CJK font of the system when there is one), EPUB readers
written as zip packages, a Word template written by hand (the smallest valid WordprocessingML package),
Excel sheets with openpyxl and PNG posters with Pillow. No MP4: a video cannot be made without an encoder
(none is a dependency), so the library has none; PPTX is left out for the same reason (a valid
presentation needs a master, a layout and a theme).

Everything goes through the services, so the files pass the same content checks as an upload and
the items go through review: platform-wide ones approved by an HQ instructor the seed adds, station
ones by the branch's demo instructor; one item waits for review and one was returned, for the cards.
"""

from __future__ import annotations

import hashlib
import io
import random
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from xml.sax.saxutils import escape

from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook
from PIL import Image, ImageDraw, ImageFont

from dangjian.accounts.models import PersonKind, Role, RoleAssignment, User
from dangjian.courseware import services
from dangjian.courseware.models import Courseware, Sharing
from dangjian.demo.generators import RANDOM_SEED, MobileNumbers
from dangjian.stations.models import Station, StationKind

FONT_PATHS = (
    "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",
    "/usr/share/fonts/opentype/noto/NotoSerifCJK-Regular.ttc",
    "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc",
    "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc",
    "/System/Library/Fonts/PingFang.ttc",
    "C:/Windows/Fonts/msyh.ttc",
)
PAGE = (595, 842)  # A4 at 72 dpi
HQ_INSTRUCTOR = "hq_instructor"


# ---------------------------------------------------------------- file makers


@cache
def _font(size: int) -> ImageFont.FreeTypeFont | ImageFont.ImageFont:
    for path in FONT_PATHS:
        try:
            return ImageFont.truetype(path, size)
        except OSError:
            continue
    return ImageFont.load_default(size)


def _wrapped(draw: ImageDraw.ImageDraw, text: str, size: int, width: int) -> list[str]:
    lines: list[str] = []
    for paragraph in text.split("\n"):
        line = ""
        for char in paragraph:
            if draw.textlength(line + char, font=_font(size)) > width:
                lines.append(line)
                line = char
            else:
                line += char
        lines.append(line)
    return lines


def _page(title: str, body: str, number: int) -> Image.Image:
    page = Image.new("RGB", PAGE, "white")
    draw = ImageDraw.Draw(page)
    draw.rectangle((0, 0, PAGE[0], 64), fill="#c8102e")
    draw.text((40, 18), title, fill="white", font=_font(24))
    y = 100
    for line in _wrapped(draw, body, 17, PAGE[0] - 80):
        draw.text((40, y), line, fill="#222222", font=_font(17))
        y += 30
    draw.text((PAGE[0] // 2 - 20, PAGE[1] - 40), f"— {number} —", fill="#888888", font=_font(12))
    return page


def pdf_of(title: str, pages: tuple[str, ...]) -> bytes:
    """A handout of a few A4 pages (Pillow's PDF writer: one picture per page)."""
    images = [_page(title, body, n) for n, body in enumerate(pages, start=1)]
    out = io.BytesIO()
    images[0].save(out, format="PDF", save_all=True, append_images=images[1:], resolution=72)
    return out.getvalue()


def png_of(title: str, lines: tuple[str, ...]) -> bytes:
    poster = Image.new("RGB", (800, 520), "#fdf3e7")
    draw = ImageDraw.Draw(poster)
    draw.rectangle((0, 0, 800, 90), fill="#c8102e")
    draw.text((40, 26), title, fill="#ffe08a", font=_font(34))
    for n, line in enumerate(lines):
        draw.text((50, 130 + n * 52), line, fill="#5a1a0d", font=_font(26))
    out = io.BytesIO()
    poster.save(out, format="PNG")
    return out.getvalue()


def _zip(entries: list[tuple[str, str]]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as package:
        for name, text in entries:
            method = zipfile.ZIP_STORED if name == "mimetype" else zipfile.ZIP_DEFLATED
            package.writestr(name, text.encode(), compress_type=method)
    return out.getvalue()


def epub_of(title: str, chapters: tuple[tuple[str, str], ...]) -> bytes:
    """An EPUB 3 book: the stored `mimetype` first, the container, the package and one page a chapter."""
    items = "".join(
        f'<item id="c{n}" href="c{n}.xhtml" media-type="application/xhtml+xml"/>'
        for n in range(len(chapters))
    )
    spine = "".join(f'<itemref idref="c{n}"/>' for n in range(len(chapters)))
    links = "".join(
        f'<li><a href="c{n}.xhtml">{escape(name)}</a></li>' for n, (name, _) in enumerate(chapters)
    )
    package = (
        '<?xml version="1.0" encoding="UTF-8"?><package xmlns="http://www.idpf.org/2007/opf" version="3.0" '
        'unique-identifier="id"><metadata xmlns:dc="http://purl.org/dc/elements/1.1/">'
        f'<dc:identifier id="id">urn:dangjian:{hashlib.sha1(title.encode()).hexdigest()}</dc:identifier><dc:title>{escape(title)}</dc:title>'
        "<dc:language>zh-CN</dc:language></metadata><manifest>"
        '<item id="nav" href="nav.xhtml" media-type="application/xhtml+xml" properties="nav"/>'
        f"{items}</manifest><spine>{spine}</spine></package>"
    )
    container = (
        '<?xml version="1.0"?><container version="1.0" xmlns="urn:oasis:names:tc:opendocument:xmlns:container">'
        '<rootfiles><rootfile full-path="OEBPS/book.opf" media-type="application/oebps-package+xml"/>'
        "</rootfiles></container>"
    )
    entries = [
        ("mimetype", "application/epub+zip"),
        ("META-INF/container.xml", container),
        ("OEBPS/book.opf", package),
        ("OEBPS/nav.xhtml", _xhtml("目录", f'<nav epub:type="toc"><ol>{links}</ol></nav>')),
    ]
    for n, (name, text) in enumerate(chapters):
        paragraphs = "".join(f"<p>{escape(p)}</p>" for p in text.split("\n"))
        entries.append((f"OEBPS/c{n}.xhtml", _xhtml(name, f"<h2>{escape(name)}</h2>{paragraphs}")))
    return _zip(entries)


def _xhtml(title: str, body: str) -> str:
    return (
        '<?xml version="1.0" encoding="UTF-8"?><html xmlns="http://www.w3.org/1999/xhtml" '
        'xmlns:epub="http://www.idpf.org/2007/ops" lang="zh-CN">'
        f"<head><title>{escape(title)}</title></head><body>{body}</body></html>"
    )


def docx_of(paragraphs: tuple[str, ...]) -> bytes:
    """The smallest valid Word document: content types, the package relationship and the body."""
    word = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
    body = "".join(f"<w:p><w:r><w:t>{escape(p)}</w:t></w:r></w:p>" for p in paragraphs)
    types = (
        '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/'
        'content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.'
        'relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="'
        '/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.'
        'document.main+xml"/></Types>'
    )
    rels = (
        '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/'
        '2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/'
        '2006/relationships/officeDocument" Target="word/document.xml"/></Relationships>'
    )
    document = f'<?xml version="1.0" encoding="UTF-8"?><w:document xmlns:w="{word}"><w:body>{body}</w:body></w:document>'
    return _zip([("[Content_Types].xml", types), ("_rels/.rels", rels), ("word/document.xml", document)])


def xlsx_of(title: str, header: tuple[str, ...], rows: tuple[tuple[object, ...], ...]) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.title = title[:31]
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


# ---------------------------------------------------------------- the library


@dataclass(frozen=True)
class DemoFile:
    title: str
    name: str
    make: Callable[[], bytes]
    tags: str
    description: str
    sharing: str = Sharing.PLATFORM
    downloads: int = 0


def _library() -> tuple[DemoFile, ...]:
    return (
        DemoFile(
            "学习贯彻党的二十届三中全会精神专题党课",
            "二十届三中全会精神专题党课.pdf",
            lambda: pdf_of(
                "学习贯彻党的二十届三中全会精神",
                (
                    "一、全会的重大意义\n党的二十届三中全会是在以中国式现代化全面推进强国建设、民族复兴伟业的关键时期召开的一次十分重要的会议。",
                    "二、进一步全面深化改革的总目标\n继续完善和发展中国特色社会主义制度，推进国家治理体系和治理能力现代化。",
                    "三、楼宇党组织怎么做\n把学习全会精神与服务楼宇企业发展结合起来，组织党员亮身份、作表率，推动改革举措在楼宇落地。",
                ),
            ),
            "党课 三中全会 理论学习",
            "总站党建指导员主讲的专题党课讲义，共三部分，适合支部“三会一课”使用。",
            downloads=86,
        ),
        DemoFile(
            "海陵区楼宇党建工作指引（试行）",
            "海陵区楼宇党建工作指引.pdf",
            lambda: pdf_of(
                "海陵区楼宇党建工作指引（试行）",
                (
                    "第一章 总则\n为推动楼宇党建与楼宇经济互融互促，依据 DB3212/T 1124 制定本指引。",
                    "第二章 阵地建设\n楼宇党群服务中心按“一馆三区”布局，做到有场所、有设施、有标志、有党旗、有书报、有制度。",
                ),
            ),
            "楼宇党建 制度 工作指引",
            "楼宇党建共享平台总站编印，涵盖组织设置、阵地建设、活动开展和考核评价。",
            downloads=54,
        ),
        DemoFile(
            "《中国共产党支部工作条例（试行）》学习要点",
            "支部工作条例学习要点.pdf",
            lambda: pdf_of(
                "支部工作条例学习要点",
                (
                    "党支部是党的基础组织，是党在社会基层组织中的战斗堡垒。\n正式党员 3 人以上的，应当成立党支部。",
                    "党支部应当组织党员按期参加党员大会、党小组会和上党课，定期召开党支部委员会会议。",
                ),
            ),
            "支部建设 党内法规",
            "逐条梳理支部工作条例的重点，附“三会一课”常见问题解答。",
            sharing=Sharing.STATION,
            downloads=23,
        ),
        DemoFile(
            "《中国共产党章程》学习读本",
            "党章学习读本.epub",
            lambda: epub_of(
                "中国共产党章程学习读本",
                (
                    ("总纲", "中国共产党是中国工人阶级的先锋队，同时是中国人民和中华民族的先锋队。"),
                    (
                        "第一章 党员",
                        "年满十八岁的中国工人、农民、军人、知识分子和其他社会阶层的先进分子，\n可以申请加入中国共产党。",
                    ),
                    ("第二章 党的组织制度", "党是根据自己的纲领和章程，按照民主集中制组织起来的统一整体。"),
                ),
            ),
            "党章 电子书 理论学习",
            "按章节编排的党章学习电子书，手机上可直接在线阅读。",
            downloads=41,
        ),
        DemoFile(
            "泰州红色故事汇",
            "泰州红色故事汇.epub",
            lambda: epub_of(
                "泰州红色故事汇",
                (
                    (
                        "人民海军从这里起航",
                        "1949年4月23日，华东军区海军在泰州白马庙成立，这一天成为人民海军的诞生日。",
                    ),
                    ("黄桥决战", "1940年10月，新四军在黄桥以少胜多，打开了苏北抗战的新局面。"),
                    ("泰州解放", "1949年1月21日，泰州城解放，人民群众夹道欢迎解放军入城。"),
                ),
            ),
            "红色故事 泰州 党史",
            "讲述泰州本地红色历史的电子书，适合主题党日和青年党员学习。",
            downloads=37,
        ),
        DemoFile(
            "主题党日活动方案（模板）",
            "主题党日活动方案模板.docx",
            lambda: docx_of(
                (
                    "××党支部主题党日活动方案",
                    "一、活动主题：",
                    "二、活动时间和地点：",
                    "三、参加人员：支部全体党员，邀请入党积极分子列席",
                    "四、活动流程：重温入党誓词、集中学习、交流研讨、志愿服务",
                    "五、工作要求：做好签到和台账记录，活动后三日内上传照片和小结",
                )
            ),
            "主题党日 模板",
            "填空式方案模板，按“四个一”流程编排。",
            sharing=Sharing.STATION,
            downloads=65,
        ),
        DemoFile(
            "党员学习积分统计表",
            "党员学习积分统计表.xlsx",
            lambda: xlsx_of(
                "学习积分",
                ("姓名", "所在支部", "线上学习", "集中学习", "志愿服务", "合计"),
                (
                    ("王海涛", "万达广场联合党支部", 32, 20, 10, 62),
                    ("张敏", "万达广场联合党支部", 28, 18, 12, 58),
                    ("刘思雨", "万达广场联合党支部", 25, 20, 8, 53),
                ),
            ),
            "学习积分 表格",
            "按月统计的学习积分表，可直接打印公示。",
            sharing=Sharing.STATION,
            downloads=19,
        ),
        DemoFile(
            "党费收缴情况登记表（模板）",
            "党费收缴登记表.xlsx",
            lambda: xlsx_of(
                "党费收缴",
                ("月份", "应缴人数", "实缴人数", "应缴金额（元）", "实缴金额（元）", "收缴率"),
                tuple((f"{m}月", 24, 24, 812.40, 812.40, "100%") for m in range(1, 7)),
            ),
            "党费 表格 模板",
            "按《关于中国共产党党费收缴、使用和管理的规定》设计的登记表。",
            downloads=31,
        ),
        DemoFile(
            "入党誓词（海报）",
            "入党誓词.png",
            lambda: png_of(
                "入党誓词",
                (
                    "我志愿加入中国共产党，",
                    "拥护党的纲领，遵守党的章程，",
                    "履行党员义务，执行党的决定，",
                    "严守党的纪律，保守党的秘密……",
                ),
            ),
            "入党誓词 海报 宣传",
            "适合打印张贴在党员活动室的入党誓词海报。",
            downloads=48,
        ),
        DemoFile(
            "海陵区楼宇党建阵地分布示意图",
            "楼宇党建阵地分布.png",
            lambda: png_of(
                "楼宇党建阵地分布",
                ("总站：海陵区楼宇党建共享平台总站", "分站：万达广场、金融大厦等", "每个分站设“一馆三区”"),
            ),
            "阵地 楼宇党建 宣传",
            "总站和各分站党群服务阵地的位置示意图。",
            downloads=12,
        ),
        DemoFile(
            "《党员教育管理工作条例》学习问答",
            "党员教育管理工作条例问答.pdf",
            lambda: pdf_of(
                "党员教育管理工作条例学习问答",
                (
                    "问：党员每年集中学习培训时间有什么要求？\n答：党员每年集中学习培训时间一般不少于 32 学时。",
                    "问：流动党员怎样参加组织生活？\n答：可以在流入地党组织参加组织生活，也可通过网络参加学习。",
                ),
            ),
            "党员教育 问答 学时",
            "以问答形式解读条例，便于党员自学。",
            downloads=27,
        ),
    )


PENDING = DemoFile(
    "楼宇企业党员志愿服务工作手册",
    "志愿服务工作手册.pdf",
    lambda: pdf_of("志愿服务工作手册", ("楼宇党员志愿服务队的组建、招募、记录和激励办法。",)),
    "志愿服务",
    "待党建指导员审核。",
    sharing=Sharing.STATION,
)
RETURNED = DemoFile(
    "“两新”组织党建工作案例选编",
    "两新组织党建案例.pdf",
    lambda: pdf_of("两新组织党建案例选编", ("案例一：某科技公司党支部“党建+研发”工作法。",)),
    "案例 两新组织",
    "退回修改：请补充案例单位的同意书。",
    sharing=Sharing.STATION,
)


def create_courseware() -> int:
    """The demo library (see the module); returns how many items were published."""
    if Courseware.objects.exists():
        return 0
    hq = Station.objects.filter(kind=StationKind.HQ).first()
    worker = User.objects.filter(username="worker").first()
    instructor = User.objects.filter(username="instructor").first()
    hq_admin = User.objects.filter(username="hq_admin").first()
    if hq is None or worker is None or instructor is None or hq_admin is None or worker.home_station is None:
        return 0
    hq_instructor = _hq_instructor(hq)
    branch = worker.home_station
    published = 0
    for spec in _library():
        platform = spec.sharing == Sharing.PLATFORM
        item = _upload(spec, hq_admin if platform else worker, hq if platform else branch)
        _review(
            item,
            submitter=hq_admin if platform else worker,
            reviewer=hq_instructor if platform else instructor,
        )
        Courseware.objects.filter(pk=item.pk).update(download_count=spec.downloads)
        published += 1
    pending = _upload(PENDING, worker, branch)
    services.courseware_transition(actor=worker, courseware=pending, action="submit")
    returned = _upload(RETURNED, worker, branch)
    services.courseware_transition(actor=worker, courseware=returned, action="submit")
    services.courseware_transition(
        actor=instructor, courseware=returned, action="return", comment="请补充案例单位的同意书后再提交"
    )
    return published


def _hq_instructor(hq: Station) -> User:
    """The HQ instructor who approves what is shared with every station (§4.4)."""
    user, _ = User.objects.get_or_create(
        username=HQ_INSTRUCTOR,
        defaults={
            "real_name": "孙立新",
            "person_kind": PersonKind.WORKER,
            "home_station": hq,
            "mobile": _free_mobile(),
        },
    )
    RoleAssignment.objects.get_or_create(user=user, role=Role.INSTRUCTOR, station=hq)
    return user


def _free_mobile() -> str:
    numbers = MobileNumbers(random.Random(f"{RANDOM_SEED}-courseware"))
    while User.objects.filter(mobile=(number := numbers.next())).exists():
        continue
    return number


def _upload(spec: DemoFile, actor: User, station: Station) -> Courseware:
    return services.courseware_create(
        actor=actor,
        station=station,
        details=services.Details(spec.title, spec.description, spec.tags, spec.sharing),
        upload=SimpleUploadedFile(spec.name, spec.make()),
    )


def _review(item: Courseware, *, submitter: User, reviewer: User) -> None:
    services.courseware_transition(actor=submitter, courseware=item, action="submit")
    services.courseware_transition(actor=reviewer, courseware=item, action="approve")
