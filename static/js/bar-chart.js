// Bar charts (组织生活达标 §7.3, 发展党员): bars, stacked unless the data says `stacked: false`, drawn by ECharts from the data the page carries in a
// <script type="application/json"> (Django's json_script); the tables below stay the full account.
(() => {
  "use strict";

  function draw(box) {
    const source = document.getElementById(box.dataset.chartData);
    if (!source || !window.echarts) return;
    let data;
    try {
      data = JSON.parse(source.textContent);
    } catch {
      return;
    }
    const chart = window.echarts.init(box);
    chart.setOption({
      animation: false,
      color: data.series.map((s) => s.color),
      tooltip: { trigger: "axis", axisPointer: { type: "shadow" } },
      legend: { top: 0, textStyle: { color: "#212529" } },
      grid: { left: 4, right: 8, top: 40, bottom: 4, containLabel: true },
      xAxis: { type: "category", data: data.categories, axisLabel: { color: "#3d4349" } },
      yAxis: {
        type: "value",
        minInterval: 1,
        name: data.unit,
        nameTextStyle: { color: "#3d4349" },
        axisLabel: { color: "#3d4349" },
      },
      series: data.series.map((s) => ({
        name: s.name,
        type: "bar",
        stack: data.stacked === false ? undefined : "total",
        barMaxWidth: 28,
        data: s.data,
      })),
    });
    window.addEventListener("resize", () => chart.resize());
    box.dataset.chartReady = "1";
  }

  document.addEventListener("DOMContentLoaded", () => {
    document.querySelectorAll("[data-chart-data]").forEach(draw);
  });
})();
