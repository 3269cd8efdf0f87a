"""Remote learning in a real browser on a 375 px phone (issue 11 acceptance): a member opens an assigned
course, plays a short video lesson to the end at normal speed (the heartbeats are the page's own), passes
the exam, and sees the course completed and the 学时 added.

The video is made in the test: Chromium records a few seconds of a canvas as H.264 MP4 (MediaRecorder),
which passes the server's content check (an `ftyp` box) and plays in the same Chromium."""

from __future__ import annotations

import base64
from datetime import timedelta
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from django_scopes import scopes_disabled

from dangjian.accounts.models import Role
from dangjian.learning import assignments, services
from dangjian.learning.models import CourseCompletion, LessonKind, QuestionKind
from tests import factories as f
from tests.browser_support import log_in, no_sideways_scroll, phone_context, wait_until

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]

VIDEO_SECONDS = 4

RECORD_MP4 = """async (seconds) => {
  const canvas = document.createElement('canvas'); canvas.width = 160; canvas.height = 90;
  document.body.append(canvas);
  const g = canvas.getContext('2d');
  const recorder = new MediaRecorder(canvas.captureStream(15), {mimeType: 'video/mp4;codecs=avc1'});
  const chunks = []; recorder.ondataavailable = (e) => chunks.push(e.data);
  const t0 = performance.now();
  const paint = () => {
    g.fillStyle = '#b3141b'; g.fillRect(0, 0, 160, 90); g.fillStyle = '#fff'; g.font = '36px sans-serif';
    g.fillText(((performance.now() - t0) / 1000).toFixed(1), 30, 58);
    if (recorder.state === 'recording') requestAnimationFrame(paint);
  };
  recorder.start(); paint();
  await new Promise((r) => setTimeout(r, seconds * 1000)); recorder.stop();
  await new Promise((r) => { recorder.onstop = r; });
  const bytes = new Uint8Array(await new Blob(chunks).arrayBuffer());
  let text = ''; for (const b of bytes) text += String.fromCharCode(b);
  return btoa(text);
}"""


def recorded_mp4(browser) -> bytes:
    context = browser.new_context()
    page = context.new_page()
    page.goto("about:blank")
    data = base64.b64decode(page.evaluate(RECORD_MP4, VIDEO_SECONDS))
    context.close()
    assert data[4:8] == b"ftyp"
    return data


def assigned_course(world, video: bytes):
    """A published course of A (one video lesson and a final exam of two questions) assigned to org_a."""
    instructor = f.UserFactory(username="instructor_a", home_station=world.a)
    f.grant(instructor, Role.INSTRUCTOR, world.a)
    author = world.worker_a
    course = services.course_create(
        actor=author, station=world.a, title="学习贯彻党的二十大精神", description="专题学习"
    )
    services.lesson_save(
        actor=author,
        course=course,
        title="开篇导学",
        kind=LessonKind.VIDEO,
        upload=SimpleUploadedFile("导学.mp4", video, content_type="video/mp4"),
        duration_seconds=VIDEO_SECONDS,
    )
    services.question_save(
        actor=author,
        course=course,
        kind=QuestionKind.SINGLE,
        text="党的根本宗旨是？",
        choices=["全心全意为人民服务", "发展经济"],
        answer=[0],
        explanation="党章总纲。",
    )
    services.question_save(
        actor=author, course=course, kind=QuestionKind.TRUE_FALSE, text="党员应按期交纳党费。", answer=[True]
    )
    services.quiz_save(
        actor=author,
        course=course,
        title="结业考试",
        draw_count=2,
        max_attempts=2,
        time_limit_minutes=10,
        is_exam=True,
    )
    services.course_submit(actor=author, course=course)
    course = services.course_approve(actor=instructor, course=course)
    assignments.assignment_create(
        actor=world.own_admin,
        course=course,
        deadline=timezone.localdate() + timedelta(days=14),
        station=world.a,
        organizations=[world.org_a],
    )
    return course


@pytest.mark.django_db(transaction=True)
def test_member_plays_the_video_passes_the_exam_and_gets_the_hours(
    live_server, browser, world, screenshot_dir: Path
) -> None:
    course = assigned_course(world, recorded_mp4(browser))
    base = live_server.url
    context = phone_context(browser)
    page = context.new_page()
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    log_in(page, base, world.member.username)

    page.goto(f"{base}/learning/mine/")
    page.wait_for_selector("[data-hours-chart][data-chart-ready]")
    assignment = page.locator("[data-assignment]")
    assert "学习贯彻党的二十大精神" in assignment.inner_text() and "待学" in assignment.inner_text()
    page.screenshot(path=str(screenshot_dir / "learning-mine-before.png"), full_page=True)
    assignment.get_by_role("link").click()
    page.wait_for_url(f"{base}/learning/courses/{course.pk}/")
    no_sideways_scroll(page, "course")
    page.screenshot(path=str(screenshot_dir / "learning-course.png"), full_page=True)

    page.get_by_role("link", name="开篇导学").click()
    page.wait_for_selector("#player[data-ready]")
    video = page.locator("#lesson-video")
    wait_until(page, "document.getElementById('lesson-video').readyState >= 1")
    video.click()  # a tap on the player starts it (the learner's gesture)
    page.wait_for_timeout(300)
    if page.evaluate("document.getElementById('lesson-video').paused"):
        page.evaluate("document.getElementById('lesson-video').play()")
    assert page.evaluate("document.getElementById('lesson-video').playbackRate") == 1
    page.wait_for_selector("#player[data-completed]", timeout=(VIDEO_SECONDS + 15) * 1000)
    assert page.evaluate("document.getElementById('lesson-video').ended")
    assert page.locator("[data-progress-text]").inner_text() == "100%"
    no_sideways_scroll(page, "lesson")
    page.screenshot(path=str(screenshot_dir / "learning-lesson-video.png"), full_page=True)

    page.locator("[data-back]").click()
    page.get_by_role("link", name="结业考试").click()
    page.locator("[data-start]").click()
    page.wait_for_selector("#paper")
    assert page.locator("[data-remaining]").inner_text() != "--:--"
    page.get_by_label("全心全意为人民服务").check()
    page.get_by_label("正确", exact=True).check()
    page.screenshot(path=str(screenshot_dir / "learning-quiz.png"), full_page=True)
    page.locator("[data-submit]").click()
    page.wait_for_selector("[data-result]")
    assert page.locator("[data-passed]").is_visible()
    assert "已完成" in page.locator("[data-course-completed]").inner_text()
    assert "党章总纲" in page.content()  # explanations after submission
    no_sideways_scroll(page, "result")
    page.screenshot(path=str(screenshot_dir / "learning-result.png"), full_page=True)

    with scopes_disabled():
        completion = CourseCompletion.objects.get(user=world.member, course=course)
    assert completion.credit_hours > 0
    page.goto(f"{base}/learning/mine/")
    hours = page.locator("[data-hours]").inner_text()
    assert hours.startswith(f"{completion.credit_hours.normalize():f}"), hours
    assert "已完成" in page.locator("[data-assignment]").inner_text()
    page.wait_for_selector("[data-hours-chart][data-chart-ready]")
    no_sideways_scroll(page, "mine")
    page.screenshot(path=str(screenshot_dir / "learning-mine-after.png"), full_page=True)
    assert not errors, errors
    context.close()


@pytest.mark.django_db(transaction=True)
def test_learning_pages_fit_375_px_with_labels_and_contrast(live_server, browser, matrix_world) -> None:
    """The whole-site check (test_every_page_at_375) on the learning pages alone, for a quick run."""
    from django.conf import settings

    from tests.browser.test_every_page_at_375 import LOW_CONTRAST, OVERFLOWING, UNLABELLED, pages_for

    base = live_server.url
    problems: list[str] = []
    for role in ("member", "own_admin", "hq_admin"):
        client, urls = pages_for(matrix_world, role)
        context = browser.new_context(viewport={"width": 375, "height": 812}, locale="zh-CN")
        session = client.cookies[settings.SESSION_COOKIE_NAME].value
        context.add_cookies([{"name": settings.SESSION_COOKIE_NAME, "value": session, "url": base}])
        page = context.new_page()
        errors: list[str] = []
        page.on("console", lambda msg, errors=errors: msg.type == "error" and errors.append(msg.text))
        for url in [u for u in urls if "learning" in u]:
            errors.clear()
            page.goto(base + url, wait_until="load")
            page.wait_for_timeout(100)
            if page.evaluate("document.documentElement.scrollWidth > window.innerWidth + 1"):
                problems.append(f"{role} {url}: overflows {page.evaluate(OVERFLOWING)}")
            for label, script in (("unlabelled", UNLABELLED), ("contrast", LOW_CONTRAST)):
                if found := page.evaluate(script):
                    problems.append(f"{role} {url}: {label} {found}")
            if errors:
                problems.append(f"{role} {url}: console {errors}")
        context.close()
    assert not problems, "\n".join(problems)
