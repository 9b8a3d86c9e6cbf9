/* Draws the report charts from the JSON the page embeds (json_script id="report-charts") with the vendored Chart.js.
   A click on a bar or point opens the incident list behind it when the dataset carries URLs. */
(function () {
  "use strict";

  function cssVar(name, fallback) {
    var value = getComputedStyle(document.documentElement).getPropertyValue(name).trim();
    return value || fallback;
  }

  var PALETTE = ["--accent", "--ok", "--risk", "--breach", "--p5"];

  function colourFor(dataset, index) {
    return cssVar(dataset.color || PALETTE[index % PALETTE.length], "#2457c5");
  }

  function draw(canvas, spec) {
    var text = cssVar("--muted", "#5b6470");
    var grid = cssVar("--border", "#d9dde3");
    var datasets = spec.datasets.map(function (dataset, index) {
      var colour = colourFor(dataset, index);
      return {
        label: dataset.label,
        data: dataset.data,
        borderColor: colour,
        backgroundColor: spec.type === "line" ? colour : colour + "cc",
        borderWidth: spec.type === "line" ? 2 : 0,
        pointRadius: spec.labels.length > 60 ? 0 : 2,
        tension: 0,
        spanGaps: true,
        urls: dataset.urls || null
      };
    });
    var valueAxis = { beginAtZero: true, ticks: { color: text }, grid: { color: grid }, stacked: !!spec.stacked };
    if (spec.max) { valueAxis.max = spec.max; }
    var categoryAxis = { ticks: { color: text, autoSkip: true, maxRotation: 0 }, grid: { display: false }, stacked: !!spec.stacked };
    var chart = new Chart(canvas, {
      type: spec.type,
      data: { labels: spec.labels, datasets: datasets },
      options: {
        responsive: true,
        maintainAspectRatio: false,
        animation: false,
        indexAxis: spec.horizontal ? "y" : "x",
        interaction: { mode: "nearest", intersect: false },
        plugins: { legend: { display: datasets.length > 1, labels: { color: text } } },
        scales: spec.horizontal ? { x: valueAxis, y: categoryAxis } : { x: categoryAxis, y: valueAxis },
        onClick: function (event, elements) {
          if (!elements.length) { return; }
          var element = elements[0];
          var urls = chart.data.datasets[element.datasetIndex].urls;
          if (urls && urls[element.index]) { window.location.href = urls[element.index]; }
        },
        onHover: function (event, elements) {
          var linked = elements.length && chart.data.datasets[elements[0].datasetIndex].urls;
          event.native.target.style.cursor = linked ? "pointer" : "default";
        }
      }
    });
    canvas.dataset.drawn = "true";
    return chart;
  }

  function drawAll() {
    var source = document.getElementById("report-charts");
    if (!source || typeof Chart === "undefined") { return; }
    var specs = JSON.parse(source.textContent);
    document.querySelectorAll("canvas[data-chart]").forEach(function (canvas) {
      var spec = specs[canvas.dataset.chart];
      if (spec && canvas.dataset.drawn !== "true") { draw(canvas, spec); }
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", drawAll);
  } else {
    drawAll();
  }
})();
