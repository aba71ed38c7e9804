/* SafetyNet charts: draws every <div data-chart="ID"> from the JSON in <script id="ID"
   type="application/json"> with Apache ECharts (served locally). No inline script, so the
   Content-Security-Policy can stay script-src 'self'. Redraws after HTMX swaps.

   The JSON says what to draw ("type"; without one, the what-if stacked bar chart) and
   carries every word shown (names, axis titles): nothing user-facing is written here.
     line:    {type, categories, axis, series: [{name, data, urls?}]}
     bars:    {type, categories, axis, stacked, series: [{name, data, urls?}]}
     heatmap: {type, x, y, points: [[x, y, value]], labels, urls?, max, height?, unit}
   A point with a URL (series[i].urls[j], or urls[k] of a heatmap point) opens it when
   clicked: the drill-down list behind the number. */
(function () {
  "use strict";

  function base(data, font) {
    return {
      animation: false,
      textStyle: { fontFamily: font },
      tooltip: { trigger: "axis", renderMode: "richText", confine: true },
      legend: { type: "scroll", bottom: 0, itemGap: 16, textStyle: { fontFamily: font } },
      grid: { left: 8, right: 16, bottom: 64, top: 40, containLabel: true },
      xAxis: { type: "category", data: data.categories,
               axisLabel: { interval: 0, rotate: data.categories.length > 6 ? 40 : 0 } },
      yAxis: { type: "value", name: data.axis, nameTextStyle: { align: "left" } }
    };
  }

  function barOptions(data, font) {
    var options = base(data, font);
    options.series = data.series.map(function (s) {
      return { name: s.name, type: "bar", stack: "change", data: s.data };
    });
    return options;
  }

  function barsOptions(data, font) {
    var options = base(data, font);
    options.series = data.series.map(function (s) {
      return { name: s.name, type: "bar", stack: data.stacked ? "total" : undefined,
               data: s.data, cursor: s.urls ? "pointer" : "default" };
    });
    return options;
  }

  function lineOptions(data, font) {
    var options = base(data, font);
    options.xAxis.boundaryGap = false;
    options.series = data.series.map(function (s) {
      return { name: s.name, type: "line", data: s.data, symbolSize: 8,
               cursor: s.urls ? "pointer" : "default" };
    });
    return options;
  }

  function heatmapOptions(data, font) {
    return {
      animation: false,
      textStyle: { fontFamily: font },
      tooltip: {
        renderMode: "richText", confine: true,
        formatter: function (p) {
          var unit = data.unit ? " " + data.unit : "";
          return data.y[p.value[1]] + " · " + data.x[p.value[0]] + ": " +
            data.labels[p.dataIndex] + unit;
        }
      },
      grid: { left: 8, right: 8, top: 8, bottom: 8, containLabel: true },
      xAxis: { type: "category", data: data.x, splitArea: { show: true },
               axisLabel: { interval: 0, rotate: data.x.length > 3 ? 45 : 0, width: 96,
                            overflow: "truncate" } },
      yAxis: { type: "category", data: data.y, inverse: true, splitArea: { show: true },
               axisLabel: { interval: 0, width: 88, overflow: "truncate" } },
      visualMap: { show: false, min: 0, max: data.max,
                   inRange: { color: ["#f0f5fb", "#1f5fa8"] } },
      series: [{
        type: "heatmap", data: data.points, cursor: data.urls ? "pointer" : "default",
        label: { show: true, fontSize: 10,
                 formatter: function (p) { return data.labels[p.dataIndex]; } },
        emphasis: { itemStyle: { borderColor: "#1d2430", borderWidth: 1 } }
      }]
    };
  }

  var BUILDERS = { bars: barsOptions, line: lineOptions, heatmap: heatmapOptions };

  function urlOf(data, p) {
    if (data.type === "heatmap") {
      return data.urls ? data.urls[p.dataIndex] : null;
    }
    var series = data.series && data.series[p.seriesIndex];
    return series && series.urls ? series.urls[p.dataIndex] : null;
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
    var build = BUILDERS[data.type] || barOptions;
    element.style.width = "100%";
    element.style.height = (data.height || 440) + "px";
    var chart = window.echarts.init(element, null, { renderer: "canvas" });
    chart.setOption(build(data, window.getComputedStyle(element).fontFamily));
    chart.on("click", function (p) {
      var url = urlOf(data, p);
      if (url) {
        window.location.assign(url);
      }
    });
    element.dataset.drawn = "1";
    window.addEventListener("resize", function () { chart.resize(); });
  }

  function drawAll() {
    document.querySelectorAll("[data-chart]").forEach(draw);
  }

  document.addEventListener("DOMContentLoaded", drawAll);
  document.addEventListener("htmx:afterSettle", drawAll);
})();
