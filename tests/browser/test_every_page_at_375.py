"""Every page at 375 px, for several roles: no horizontal overflow, no console error, every form control
labelled, and text that meets WCAG AA contrast.

The pages are the access matrix's (tests/access_matrix.py, on the `matrix_world`): every non-API URL
whose GET answers that person 200 with HTML. Each is opened in Chromium at 375 px wide; the document
may not be wider than the window (`scrollWidth <= innerWidth + 1`), and the console may show no error
(a missing /favicon.ico, a script error, a failed request). One test visits them all, so a page added
later is checked without anyone remembering to. The world gets district-sized dues figures first
(a year's total of a district runs to seven digits), since short numbers hide overflowing figures."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from tests.access_matrix import MATRIX
from tests.browser_support import PHONE

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]

ROLES = ("anonymous", "resident", "member", "officer_a", "worker_a", "own_admin", "hq_admin")
NOT_PAGES = {"core:events"}  # the live-event stream never ends; it is no page

# The elements that stick out of the window (and are not inside a scrolling box), to say what overflows.
OVERFLOWING = """() => {
  const limit = window.innerWidth + 1;
  const out = [];
  for (const el of document.body.querySelectorAll('*')) {
    const box = el.getBoundingClientRect();
    if (!box.width || box.right <= limit) continue;
    let clipped = false;
    for (let p = el.parentElement; p && p !== document.body; p = p.parentElement) {
      const s = getComputedStyle(p);
      if (['auto', 'scroll', 'hidden', 'clip'].includes(s.overflowX) && p.getBoundingClientRect().right <= limit) {
        clipped = true; break;
      }
    }
    if (clipped) continue;
    const cls = typeof el.className === 'string' ? el.className.trim().split(/\\s+/).slice(0, 3).join('.') : '';
    out.push(`${el.tagName.toLowerCase()}${cls ? '.' + cls : ''} right=${Math.round(box.right)} ` +
             `"${(el.textContent || '').trim().replace(/\\s+/g, ' ').slice(0, 30)}"`);
  }
  return out.slice(-4);
}"""

# Visible inputs, selects and text areas with no accessible name.
UNLABELLED = """() => [...document.querySelectorAll('input, select, textarea')].filter(el => {
  if (el.type === 'hidden' || ['submit', 'button', 'reset', 'image'].includes(el.type)) return false;
  const s = getComputedStyle(el);
  if (s.display === 'none' || s.visibility === 'hidden' || el.closest('[hidden]')) return false;
  if (!el.getClientRects().length) return false;
  return !(el.labels && el.labels.length) && !el.getAttribute('aria-label')
    && !el.getAttribute('aria-labelledby') && !el.title;
}).map(el => `${el.tagName.toLowerCase()}[name=${el.name}]`)"""

# Text whose contrast with what is behind it is under 4.5:1 (3:1 for large text), WCAG 2.x AA. The
# background is composed from the ancestors' colours; a gradient counts by its worst stop.
LOW_CONTRAST = """() => {
  const parse = c => { const m = /rgba?\\(([^)]+)\\)/.exec(c); if (!m) return null;
    const p = m[1].split(/[\\s,\\/]+/).filter(Boolean).map(Number); return [p[0], p[1], p[2], p.length > 3 ? p[3] : 1]; };
  const lin = v => { v /= 255; return v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4); };
  const lum = c => 0.2126 * lin(c[0]) + 0.7152 * lin(c[1]) + 0.0722 * lin(c[2]);
  const ratio = (a, b) => { const x = lum(a), y = lum(b); return (Math.max(x, y) + 0.05) / (Math.min(x, y) + 0.05); };
  const over = (top, under) => [0, 1, 2].map(i => top[i] * top[3] + under[i] * (1 - top[3])).concat([1]);
  const behind = el => {
    const layers = [];
    for (let n = el; n; n = n.parentElement) {
      const s = getComputedStyle(n);
      if (s.backgroundImage && s.backgroundImage !== 'none') {
        const stops = (s.backgroundImage.match(/rgba?\\([^)]+\\)/g) || []).map(parse);
        if (!stops.length) return null;  // a picture: nothing to compute
        layers.push(stops);
        if (stops.every(c => c[3] === 1)) break;
      }
      const bg = parse(s.backgroundColor);
      if (bg && bg[3] > 0) { layers.push([bg]); if (bg[3] === 1) break; }
    }
    let result = [[255, 255, 255, 1]];
    for (const stops of layers.reverse()) {
      const next = [];
      for (const under of result) for (const c of stops) next.push(over(c, under));
      result = next;
    }
    return result;
  };
  const out = [];
  const seen = new Set();
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let t = walker.nextNode(); t; t = walker.nextNode()) {
    const el = t.parentElement;
    if (!el || !t.textContent.trim() || seen.has(el)) continue;
    seen.add(el);
    if (el.closest('script, style, noscript, template, option, [hidden], :disabled, .disabled')) continue;
    const s = getComputedStyle(el);
    if (s.visibility === 'hidden' || !el.getClientRects().length) continue;
    const box = el.getBoundingClientRect();
    if (box.width <= 1 || box.height <= 1) continue;  // visually hidden
    let opacity = 1;
    for (let n = el; n; n = n.parentElement) opacity *= Number(getComputedStyle(n).opacity);
    if (opacity === 0) continue;
    const fg = parse(s.color); const bgs = behind(el);
    if (!fg || !bgs) continue;
    const top = [fg[0], fg[1], fg[2], fg[3] * opacity];
    const worst = Math.min(...bgs.map(bg => ratio(over(top, bg), bg)));
    const size = parseFloat(s.fontSize); const bold = Number(s.fontWeight) >= 700;
    const need = size >= 24 || (size >= 18.66 && bold) ? 3 : 4.5;
    if (worst < need - 0.01) {
      out.push(`${worst.toFixed(2)}:1 ${s.color} "${t.textContent.trim().slice(0, 16)}" in ` +
               `${el.tagName.toLowerCase()}.${(el.className || '').toString().trim().split(/\\s+/).slice(0, 2).join('.')}`);
    }
  }
  return out.slice(0, 6);
}"""


def _url(name: str, world: Any) -> str:
    row = MATRIX[name]
    return reverse(name.split(" [", 1)[0], kwargs=row.kwargs(world)) + row.query.format(
        building=world.building_a.pk
    )


def pages_for(world: Any, role: str) -> tuple[Client, list[str]]:
    """A client signed in as `role` and the HTML pages it reaches (GET 200, text/html)."""
    client = Client()
    user = world.actor(role)
    if user is not None:
        client.force_login(user)
    urls: list[str] = []
    for name in sorted(MATRIX):
        if name.startswith("api:") or name.split(" [", 1)[0] in NOT_PAGES:
            continue
        url = _url(name, world)
        if url in urls:
            continue
        response = client.get(url)
        if (
            response.status_code == 200
            and not response.streaming
            and response.get("Content-Type", "").startswith("text/html")
        ):
            urls.append(url)
    return client, urls


def district_sized_dues(world: Any) -> None:
    """Branch B's month as large as a district's year: seven-digit totals (1,199,999.99) on HQ's pages."""
    from tests.dues.builders import generate, make_member, now

    for _ in range(6):
        make_member(world.org_b, base=Decimal("9999999.99"))  # the largest base the form takes
    generate(world.org_b, now())


@pytest.mark.django_db(transaction=True)
def test_every_page_fits_375_px_without_console_errors(live_server, browser, matrix_world) -> None:
    district_sized_dues(matrix_world)
    base = live_server.url
    problems: list[str] = []
    visited = 0
    for role in ROLES:
        client, urls = pages_for(matrix_world, role)
        context = browser.new_context(viewport=PHONE, locale="zh-CN")
        if role != "anonymous":
            session = client.cookies[settings.SESSION_COOKIE_NAME].value
            context.add_cookies([{"name": settings.SESSION_COOKIE_NAME, "value": session, "url": base}])
        page = context.new_page()
        errors: list[str] = []
        page.on("console", lambda msg, errors=errors: msg.type == "error" and errors.append(msg.text))
        page.on("pageerror", lambda exc, errors=errors: errors.append(str(exc)))
        for url in urls:
            errors.clear()
            page.goto(base + url, wait_until="load")
            page.wait_for_timeout(50)  # let what runs on load (charts, editors) finish
            scroll_width, inner_width = page.evaluate(
                "() => [document.documentElement.scrollWidth, window.innerWidth]"
            )
            if scroll_width > inner_width + 1 or inner_width != PHONE["width"]:
                culprits = page.evaluate(OVERFLOWING)
                problems.append(f"{role} {url}: {scroll_width} px wide in {inner_width} px: {culprits}")
            if errors:
                problems.append(f"{role} {url}: console {errors}")
            if unlabelled := page.evaluate(UNLABELLED):
                problems.append(f"{role} {url}: controls without a label {unlabelled}")
            if low := page.evaluate(LOW_CONTRAST):
                problems.append(f"{role} {url}: contrast {low}")
            visited += 1
        context.close()
    assert visited > 100, f"only {visited} pages visited: the matrix world lost its pages"
    assert not problems, f"{len(problems)} problems:\n" + "\n".join(problems)
