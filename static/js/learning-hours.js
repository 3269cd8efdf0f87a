// My learning (我的学习): a gauge of this year's 学时 against the target, drawn by ECharts from the data the
// page carries in a <script type="application/json"> (Django's json_script); the list below is the account.
(() => {
  "use strict";

  function draw(box) {
    const source = document.getElementById(box.dataset.hoursChart);
    if (!source || !window.echarts) return;
    let data;
    try {
      data = JSON.parse(source.textContent);
    } catch {
      return;
    }
    const max = Math.max(data.target, data.hours, 1);
    const chart = window.echarts.init(box);
    chart.setOption({
      animation: false,
      series: [
        {
          type: "gauge",
          min: 0,
          max,
          radius: "95%",
          progress: { show: true, width: 14, itemStyle: { color: "#b3141b" } },
          axisLine: { lineStyle: { width: 14 } },
          axisTick: { show: false },
          splitLine: { show: false },
          axisLabel: { show: false },
          pointer: { show: false },
          title: { offsetCenter: [0, "30%"], color: "#3d4349", fontSize: 13 },
          detail: {
            offsetCenter: [0, "-5%"],
            fontSize: 22,
            color: "#212529",
            formatter: () => `${data.hours} / ${data.target}`,
          },
          data: [{ value: data.hours, name: data.title }],
        },
      ],
    });
    window.addEventListener("resize", () => chart.resize());
    box.dataset.chartReady = "1";
  }

  function start() {
    document.querySelectorAll("[data-hours-chart]").forEach(draw);
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
