// Evaluation charts (服务评价指标, 投票结果): ECharts drawn from the data each page carries in a
// <script type="application/json"> (Django's json_script); the tables beside them stay the full account.
// A rate without a denominator is null: a gap in the line, never 0%.
(() => {
  "use strict";

  function read(id) {
    const source = document.getElementById(id);
    if (!source) return null;
    try {
      return JSON.parse(source.textContent);
    } catch {
      return null;
    }
  }

  function axes(data, narrow) {
    const many = data.categories.length > 4;
    return {
      animation: false,
      color: data.series.map((s) => s.color),
      tooltip: { trigger: "axis", valueFormatter: (v) => (v === null || v === undefined ? "—" : v + "%") },
      legend: { top: 0, itemGap: narrow ? 6 : 10, textStyle: { color: "#212529", fontSize: narrow ? 11 : 12 } },
      grid: { left: many ? 24 : 4, right: 12, top: narrow ? 72 : 56, bottom: 4, containLabel: true },
      xAxis: {
        type: "category",
        data: data.categories,
        axisLabel: {
          color: "#3d4349",
          interval: 0,
          fontSize: narrow ? 10 : 12,
          hideOverlap: true,
          rotate: data.type === "bar" && many ? 30 : 0,
          formatter: (v) => (data.type === "line" ? v.replace("年", "年\n") : v),
        },
      },
      yAxis: { type: "value", min: 0, max: 100, name: data.unit, axisLabel: { color: "#3d4349" } },
    };
  }

  function indicatorOption(data, narrow) {
    const option = axes(data, narrow);
    option.series = data.series.map((s) => ({
      name: s.name,
      type: data.type === "line" ? "line" : "bar",
      connectNulls: false,
      barMaxWidth: 18,
      data: s.data,
    }));
    return option;
  }

  function resultsOption(data) {
    const rows = [];
    data.questions.forEach((q) => q.categories.forEach((c, i) => rows.push([q.title.slice(0, 12) + "：" + c, q.data[i]])));
    return {
      animation: false,
      color: ["#c8161d"],
      tooltip: { trigger: "axis" },
      grid: { left: 4, right: 16, top: 8, bottom: 4, containLabel: true },
      xAxis: { type: "value", minInterval: 1, axisLabel: { color: "#3d4349" } },
      yAxis: { type: "category", inverse: true, data: rows.map((r) => r[0]), axisLabel: { color: "#3d4349", width: 160, overflow: "truncate" } },
      series: [{ name: "票数", type: "bar", barMaxWidth: 20, data: rows.map((r) => r[1]), label: { show: true, position: "right" } }],
    };
  }

  function draw(box) {
    const data = read(box.dataset.evalChart);
    if (!data || !window.echarts) return;
    const chart = window.echarts.init(box);
    const narrow = box.clientWidth < 520;
    chart.setOption(data.type === "results" ? resultsOption(data) : indicatorOption(data, narrow));
    window.addEventListener("resize", () => chart.resize());
    box.dataset.chartReady = "1";
  }

  document.addEventListener("DOMContentLoaded", () => {
    document.querySelectorAll("[data-eval-chart]").forEach(draw);
  });
})();
