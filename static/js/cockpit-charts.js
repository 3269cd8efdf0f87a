// Cockpit charts (数据驾驶舱): each <div data-cockpit-chart="id"> draws the JSON of <script id="id">
// (Django's json_script) as horizontal bars — a ranking of stations, or a station's resident units
// reached. The tables on the page stay the full account.
(() => {
  "use strict";

  function draw(box) {
    const source = document.getElementById(box.dataset.cockpitChart);
    if (!source || !window.echarts) return;
    let data;
    try {
      data = JSON.parse(source.textContent);
    } catch {
      return;
    }
    box.style.height = `${Math.max(160, data.categories.length * 28 + 40)}px`;
    const chart = window.echarts.init(box);
    chart.setOption({
      animation: false,
      color: ["#b71c1c"],
      tooltip: { trigger: "axis", axisPointer: { type: "shadow" } },
      grid: { left: 4, right: 48, top: 8, bottom: 4, containLabel: true },
      xAxis: { type: "value", name: data.unit, axisLabel: { color: "#3d4349" }, minInterval: 1 },
      yAxis: { type: "category", inverse: true, data: data.categories, axisLabel: { color: "#3d4349", width: 150, overflow: "truncate" } },
      series: [{ type: "bar", data: data.values, barMaxWidth: 18, label: { show: true, position: "right", formatter: data.unit === "%" ? "{c}%" : "{c}" } }],
    });
    window.addEventListener("resize", () => chart.resize());
    box.dataset.chartReady = "1";
  }

  document.addEventListener("DOMContentLoaded", () => {
    document.querySelectorAll("[data-cockpit-chart]").forEach(draw);
  });
})();
