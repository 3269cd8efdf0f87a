"""On a 375 px phone, a party-affairs worker writes an article in the rich-text editor with a picture
uploaded into the body and a cover; a pasted 公众号 picture is flagged and cannot be saved; the
instructor sees the body picture, the cover and the publishing settings on the review page and approves.
Everything runs under the site's CSP (`script-src 'self'`, `img-src 'self' data: blob:`)."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from PIL import Image

from dangjian.accounts.models import Role
from dangjian.core.models import AuditEvent
from dangjian.news.models import Article
from tests.browser_support import DESKTOP, log_in, phone_context
from tests.factories import UserFactory, grant

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]
TITLE = "万达广场分站开展“红色楼宇 幸福家园”主题党日"
WECHAT_HTML = (
    '<section style="color:#333"><p>转自公众号：</p>'
    '<img data-src="https://mmbiz.qpic.cn/mmbiz_jpg/abc/640?wx_fmt=jpeg" '
    'src="data:image/svg+xml,%3Csvg%3E%3C/svg%3E"></section>'
)


def png(path: Path, colour: tuple[int, int, int], size: tuple[int, int] = (640, 360)) -> Path:
    buffer = io.BytesIO()
    Image.new("RGB", size, colour).save(buffer, format="PNG")
    path.write_bytes(buffer.getvalue())
    return path


def paste_html(page, html: str) -> None:
    """What the browser fires when HTML is pasted from a 公众号 article."""
    page.locator(".ql-editor").evaluate(
        """(editor, html) => {
            const data = new DataTransfer();
            data.setData('text/html', html);
            data.setData('text/plain', '转自公众号');
            editor.dispatchEvent(new ClipboardEvent('paste', {clipboardData: data, bubbles: true, cancelable: true}));
        }""",
        html,
    )


def full_screenshot(page, path: Path) -> None:
    page.evaluate("window.scrollTo(0, 0)")  # the sticky toolbar is then where a reader sees it
    page.screenshot(path=str(path), full_page=True)


def image_loaded(locator) -> bool:
    return locator.evaluate("img => img.complete && img.naturalWidth > 0")


def script_violations(page) -> list[str]:
    found: list[str] = []
    page.on(
        "console",
        lambda m: (
            found.append(m.text) if "Content Security Policy" in m.text and "script" in m.text else None
        ),
    )
    return found


@pytest.mark.django_db(transaction=True)
def test_worker_writes_with_body_image_and_instructor_approves_on_phone(
    live_server, browser, world, screenshot_dir: Path, tmp_path: Path, settings
) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"
    base = live_server.url
    instructor = UserFactory(username="instructor_li", real_name="李文华")
    grant(instructor, Role.INSTRUCTOR, world.a)

    worker_context = phone_context(browser)
    worker = worker_context.new_page()
    violations = script_violations(worker)
    log_in(worker, base, world.worker_a.username)
    worker.goto(f"{base}/manage/articles/new/")

    # One station: preselected. A branch worker is not offered 全站同步.
    assert worker.get_by_label("发布站点").input_value() == str(world.a.pk)
    assert worker.get_by_label("全站同步").count() == 0
    worker.get_by_label("栏目").select_option(label="要闻动态")
    worker.get_by_label("标题").fill(TITLE)
    worker.get_by_label("摘要").fill("楼宇党组织、物业和入驻企业党员共同开展志愿服务。")

    editor = worker.get_by_label("正文")
    editor.click()
    worker.keyboard.type("活动现场")
    worker.locator(".ql-toolbar .ql-header .ql-picker-label").click()
    worker.locator(".ql-toolbar .ql-header .ql-picker-item[data-value='2']").click()
    worker.keyboard.press("End")
    worker.keyboard.press("Enter")
    worker.keyboard.type("4月10日上午，万达广场分站组织党员志愿者走进楼宇企业。")
    worker.keyboard.press("Enter")
    with worker.expect_file_chooser() as chooser:
        worker.locator(".ql-toolbar button.ql-image").click()
    chooser.value.set_files(str(png(tmp_path / "现场照片.png", (200, 30, 40))))
    body_image = worker.locator(".ql-editor img[src^='/media/news/body/']")
    body_image.wait_for()
    assert image_loaded(body_image)
    worker.locator(".editor-status").get_by_text("图片已插入").wait_for()

    # A picture pasted from a 公众号 is flagged before saving, and the form does not save it.
    worker.keyboard.press("Enter")
    paste_html(worker, WECHAT_HTML)
    warning = worker.locator(".editor-warning")
    warning.wait_for()
    assert "1 张外部图片" in warning.inner_text() and "mmbiz.qpic.cn" in warning.inner_text()
    assert worker.locator(".ql-editor img[data-external]").count() == 1
    full_screenshot(worker, screenshot_dir / "editor-external-image-375.png")
    worker.get_by_role("button", name="保存草稿").click()
    assert worker.url.endswith("/manage/articles/new/") and not Article.objects.exists()
    worker.get_by_role("button", name="删除全部外部图片").click()
    assert warning.is_hidden() and worker.locator(".ql-editor img").count() == 1

    worker.get_by_label("封面图").set_input_files(str(png(tmp_path / "封面.png", (30, 90, 200), (800, 450))))
    assert image_loaded(worker.locator("img.cover-preview"))  # previewed before saving
    full_screenshot(worker, screenshot_dir / "editor-375.png")
    worker.get_by_role("button", name="保存草稿").click()
    worker.get_by_text("草稿已保存").wait_for()
    worker.get_by_role("button", name="提交审核").click()
    worker.get_by_text("已提交审核").wait_for()

    article = Article.objects.get(title=TITLE)
    body = article.latest_revision.body
    assert "<h2>活动现场</h2>" in body and '<img src="/media/news/body/' in body, body
    assert "mmbiz" not in body and "&nbsp;" not in body
    assert AuditEvent.objects.with_scopes_disabled().filter(action="news.body_image.add").count() == 1

    reviewer_context = phone_context(browser)
    reviewer = reviewer_context.new_page()
    violations += script_violations(reviewer)
    log_in(reviewer, base, instructor.username)
    reviewer.goto(f"{base}/manage/articles/?queue=1")
    reviewer.get_by_role("link", name=TITLE).first.click()
    settings_panel = reviewer.locator(".publish-settings")
    cover = settings_panel.locator("img.publish-cover")
    review_image = reviewer.locator(".article-body img[src^='/media/news/body/']")
    cover.wait_for()
    assert image_loaded(cover)
    assert review_image.is_visible() and image_loaded(review_image)
    text = settings_panel.inner_text()
    for shown in ("可见范围", "公开", "定时发布", "审核通过后立即发布", "置顶", "不置顶", "全站同步"):
        assert shown in text, (shown, text)
    assert reviewer.evaluate("document.documentElement.scrollWidth") <= 375
    full_screenshot(reviewer, screenshot_dir / "article-review-375.png")
    reviewer.get_by_role("button", name="审核通过").click()
    reviewer.get_by_text("审核通过，已发布").wait_for()

    reviewer.goto(f"{base}{article.get_absolute_url()}")
    assert image_loaded(reviewer.locator(".article-body img").first)
    full_screenshot(reviewer, screenshot_dir / "article-detail-375.png")

    worker.set_viewport_size(DESKTOP)
    worker.goto(f"{base}/manage/articles/{article.pk}/edit/")
    worker.locator(".ql-editor img").first.wait_for()
    full_screenshot(worker, screenshot_dir / "editor-1440.png")
    reviewer.set_viewport_size(DESKTOP)
    reviewer.goto(f"{base}/manage/articles/{article.pk}/")
    full_screenshot(reviewer, screenshot_dir / "article-review-1440.png")
    assert not violations, violations
    worker_context.close()
    reviewer_context.close()


WORD_HTML = (
    "<html xmlns:o='urn:schemas-microsoft-com:office:office' xmlns:w='urn:schemas-microsoft-com:office:word'>"
    "<body><!--StartFragment-->"
    "<h1>关于开展主题党日活动的通知</h1>"
    "<p class=MsoListParagraphCxSpFirst style='mso-list:l0 level1 lfo1'><![if !supportLists]>"
    "<span style='mso-list:Ignore'>1.<span>&nbsp;&nbsp;</span></span><![endif]>学习党章</p>"
    "<p class=MsoListParagraphCxSpLast style='mso-list:l0 level1 lfo1'><![if !supportLists]>"
    "<span style='mso-list:Ignore'>2.<span>&nbsp;&nbsp;</span></span><![endif]>志愿服务</p>"
    "<p class=MsoNormal><b>时间：</b><span style='color:red;font-family:宋体'>4月10日 上午</span></p>"
    "<p class=MsoNormal><img width=200 height=100 src='file:///C:/Users/dw/AppData/Local/Temp/msohtmlclip1/01/clip_image002.png'></p>"
    "<!--EndFragment--></body></html>"
)


@pytest.mark.django_db(transaction=True)
def test_tables_word_paste_and_pasted_pictures(
    live_server, browser, world, screenshot_dir: Path, tmp_path: Path, settings
) -> None:
    import base64

    settings.MEDIA_ROOT = tmp_path / "media"
    base = live_server.url
    context = browser.new_context(viewport=DESKTOP, locale="zh-CN")
    page = context.new_page()
    violations = script_violations(page)
    log_in(page, base, world.worker_a.username)
    page.goto(f"{base}/manage/articles/new/")
    page.get_by_label("栏目").select_option(label="通知公告")
    page.get_by_label("标题").fill("关于开展主题党日活动的通知")

    page.get_by_label("正文").click()
    paste_html(page, WORD_HTML)
    warning = page.locator(".editor-warning")
    warning.wait_for()  # Word's file:/// picture cannot be read by any browser: flagged
    assert "1 张外部图片" in warning.inner_text()
    page.get_by_role("button", name="删除全部外部图片").click()

    buffer = io.BytesIO()
    Image.new("RGB", (120, 80), (10, 120, 60)).save(buffer, format="PNG")
    encoded = base64.b64encode(buffer.getvalue()).decode()
    paste_html(page, f'<p>截图：</p><p><img src="data:image/png;base64,{encoded}"></p>')
    page.locator(".ql-editor img[src^='/media/news/body/']").wait_for()  # uploaded and replaced
    assert page.locator(".ql-editor img").count() == 1 and warning.is_hidden()

    page.keyboard.press("Control+End")
    page.keyboard.press("Enter")
    page.locator(".ql-toolbar button.ql-table").click()
    page.keyboard.type("姓名")
    page.keyboard.press("Tab")
    page.keyboard.type("支部")
    tools = page.locator(".editor-table-tools")
    assert tools.is_visible()
    tools.get_by_role("button", name="加一行").click()
    assert page.locator(".ql-editor table tr").count() == 4
    full_screenshot(page, screenshot_dir / "editor-word-table-1440.png")
    page.get_by_role("button", name="保存草稿").click()
    page.get_by_text("草稿已保存").wait_for()

    body = Article.objects.get().latest_revision.body
    assert "<h2>关于开展主题党日活动的通知</h2>" in body, body  # Word's h1 kept to the article's levels
    assert "<ol><li>学习党章</li><li>志愿服务</li></ol>" in body, body
    assert "<strong>时间：</strong>" in body and "color" not in body and "mso" not in body
    assert "<table>" in body and "<td>姓名</td><td>支部</td>" in body, body
    assert '<img src="/media/news/body/' in body and "file:" not in body
    assert not violations, violations
    context.close()
