/* SafetyNet charts: draws every <div data-chart="ID"> from the JSON in <script id="ID"
   type="application/json"> with Apache ECharts (served locally). No inline script, so the
   Content-Security-Policy can stay script-src 'self'. Redraws after HTMX swaps. */
(function () {
  "use strict";

  function barOptions(data) {
    return {
      animation: false,
      tooltip: { trigger: "axis", renderMode: "richText" },
      legend: { top: 0, type: "scroll" },
      grid: { left: 8, right: 16, bottom: 8, top: 48, containLabel: true },
      xAxis: { type: "category", data: data.categories, axisLabel: { interval: 0, rotate: data.categories.length > 8 ? 40 : 0 } },
      yAxis: { type: "value", name: data.axis },
      series: data.series.map(function (s) {
        return { name: s.name, type: "bar", stack: "change", data: s.data };
      })
    };
  }

  function draw(element) {
    if (element.dataset.drawn || typeof window.echarts === "undefined") {
      return;
    }
    var source = document.getElementById(element.dataset.chart);
    if (!source) {
      return;
    }
    var data = JSON.parse(source.textContent);
    element.style.width = "100%";
    element.style.height = Math.max(320, Math.min(560, 40 * data.categories.length)) + "px";
    var chart = window.echarts.init(element, null, { renderer: "canvas" });
    chart.setOption(barOptions(data));
    element.dataset.drawn = "1";
    window.addEventListener("resize", function () { chart.resize(); });
  }

  function drawAll() {
    document.querySelectorAll("[data-chart]").forEach(draw);
  }

  document.addEventListener("DOMContentLoaded", drawAll);
  document.addEventListener("htmx:afterSettle", drawAll);
})();
