/* SafetyNet charts: draws every <div data-chart="ID"> from the JSON in <script id="ID"
   type="application/json"> with Apache ECharts (served locally). No inline script, so the
   Content-Security-Policy can stay script-src 'self'. Redraws after HTMX swaps. */
(function () {
  "use strict";

  function barOptions(data, font) {
    return {
      animation: false,
      textStyle: { fontFamily: font },
      tooltip: { trigger: "axis", renderMode: "richText" },
      legend: { bottom: 0, itemGap: 16, textStyle: { fontFamily: font } },
      grid: { left: 8, right: 16, bottom: 64, top: 40, containLabel: true },
      xAxis: { type: "category", data: data.categories, axisLabel: { interval: 0, rotate: data.categories.length > 8 ? 40 : 0 } },
      yAxis: { type: "value", name: data.axis, nameTextStyle: { align: "left" } },
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
    element.style.height = "440px";
    var chart = window.echarts.init(element, null, { renderer: "canvas" });
    chart.setOption(barOptions(data, window.getComputedStyle(element).fontFamily));
    element.dataset.drawn = "1";
    window.addEventListener("resize", function () { chart.resize(); });
  }

  function drawAll() {
    document.querySelectorAll("[data-chart]").forEach(draw);
  }

  document.addEventListener("DOMContentLoaded", drawAll);
  document.addEventListener("htmx:afterSettle", drawAll);
})();
