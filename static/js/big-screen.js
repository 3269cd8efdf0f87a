// 党建大屏: the stage is laid out at the screen's real resolution (data-width × data-height) and scaled
// by one CSS transform to fit the window, the same factor on both axes, so text never stretches. The
// figures come from the page's JSON (#bs-data) and again from data-source whenever the live stream says
// they were recomputed or something was published, and every five minutes.
(() => {
  "use strict";

  const REFRESH_MS = 5 * 60 * 1000;
  const CLOCK = { timeZone: "Asia/Shanghai", year: "numeric", month: "long", day: "numeric", weekday: "long",
    hour: "2-digit", minute: "2-digit", second: "2-digit", hour12: false };
  const stage = document.getElementById("bs-stage");
  if (!stage) return;
  const width = Number(stage.dataset.width);
  const height = Number(stage.dataset.height);
  const unit = height / 1080;
  const charts = [];

  function fit() {
    const scale = Math.min(window.innerWidth / width, window.innerHeight / height);
    const left = (window.innerWidth - width * scale) / 2;
    const top = (window.innerHeight - height * scale) / 2;
    stage.style.transform = `translate(${left}px, ${top}px) scale(${scale})`;
    stage.dataset.scale = String(scale);
  }

  function tick() {
    const clock = document.getElementById("bs-clock");
    if (clock) clock.textContent = new Date().toLocaleString("zh-CN", CLOCK);
  }

  function element(tag, className, text) {
    const node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined) node.textContent = text;
    return node;
  }

  function fill(name, items, build, emptyText) {
    const box = stage.querySelector(`[data-bs="${name}"]`);
    if (!box) return;
    box.replaceChildren(...(items.length ? items.map(build) : emptyText ? [element("li", "bs-empty", emptyText)] : []));
  }

  function level(value) {
    if (value >= 0.9) return "high";
    return value >= 0.6 ? "mid" : "low";
  }

  function drawRankings(rankings) {
    rankings.forEach((ranking, index) => {
      const box = stage.querySelector(`[data-ranking="${index}"]`);
      if (!box || !window.echarts) return;
      let chart = charts[index];
      if (!chart) {
        chart = window.echarts.init(box, null, { width: box.clientWidth, height: box.clientHeight });
        charts[index] = chart;
      }
      const font = Math.round(17 * unit);
      chart.setOption({
        animation: false,
        grid: { left: 4, right: 56 * unit, top: 4, bottom: 4, containLabel: true },
        xAxis: { type: "value", max: 100, show: false },
        yAxis: { type: "category", inverse: true, data: ranking.names, axisLabel: { color: "#fff", fontSize: font }, axisLine: { show: false }, axisTick: { show: false } },
        series: [{ type: "bar", data: ranking.values, barMaxWidth: 22 * unit, itemStyle: { color: "#f5c04a", borderRadius: 4 * unit },
          label: { show: true, position: "right", color: "#ffd978", fontSize: font, formatter: "{c}%" } }],
      });
    });
    stage.dataset.chartsReady = "1";
  }

  function render(data) {
    stage.querySelector('[data-bs="title"]').textContent = data.title;
    stage.querySelector('[data-bs="computed_at"]').textContent = data.computed_at || "—";
    fill("counters", data.counters, (c) => {
      const box = element("div", "bs-counter");
      box.append(element("div", "bs-counter-value", c.value), element("div", "bs-counter-label", c.label));
      return box;
    });
    fill("tiles", data.tiles, (t) => {
      const tile = element("div", "bs-tile");
      tile.dataset.level = level(t.value);
      tile.append(element("span", "bs-tile-name", t.name), element("span", "bs-tile-value", t.text));
      return tile;
    });
    fill("today", data.today, (a) => {
      const item = element("li");
      item.append(element("span", "bs-list-time", a.time), a.title, element("span", "bs-list-note", a.station));
      return item;
    }, "今日暂无公开活动");
    fill("latest", data.latest, (a) => {
      const item = element("li");
      item.append(element("span", "bs-list-time", a.date), a.title);
      return item;
    }, "暂无发布");
    drawRankings(data.rankings);
  }

  async function reload() {
    try {
      const response = await fetch(stage.dataset.source, { headers: { Accept: "application/json" }, cache: "no-store" });
      if (response.ok) render(await response.json());
    } catch {
      // the next live event or the timer tries again
    }
  }

  document.addEventListener("DOMContentLoaded", () => {
    fit();
    tick();
    window.addEventListener("resize", fit);
    setInterval(tick, 1000);
    setInterval(reload, REFRESH_MS);
    document.addEventListener("live:cockpit.changed", reload);
    document.addEventListener("live:screen.changed", reload);
    document.addEventListener("live:article.published", reload);
    const source = document.getElementById("bs-data");
    if (source) render(JSON.parse(source.textContent));
  });
})();
