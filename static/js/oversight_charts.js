/* Draws the oversight dashboard's charts with Chart.js (static/vendor/chartjs/).
   The figures come from the page's JSON data island (#oversight-charts); the same
   figures are in a table beside each chart, so nothing depends on this script. */
(function () {
  "use strict";

  var PALETTE = ["#0d6efd", "#198754", "#d63384", "#fd7e14", "#6f42c1"];

  function draw() {
    var island = document.getElementById("oversight-charts");
    if (!island || typeof window.Chart === "undefined") {
      return;
    }
    var charts = JSON.parse(island.textContent);
    var lang = document.documentElement.lang || undefined;
    document.querySelectorAll("canvas[data-chart]").forEach(function (canvas) {
      var spec = charts[canvas.getAttribute("data-chart")];
      if (!spec) {
        return;
      }
      var labels = spec.weeks.map(function (iso) {
        var d = new Date(iso + "T00:00:00");
        return d.toLocaleDateString(lang, { month: "numeric", day: "numeric" });
      });
      new window.Chart(canvas, {
        type: "line",
        data: {
          labels: labels,
          datasets: spec.series.map(function (series, i) {
            var colour = PALETTE[i % PALETTE.length];
            return {
              label: series.label,
              data: series.values,
              borderColor: colour,
              backgroundColor: colour,
              pointRadius: 3,
              tension: 0.2
            };
          })
        },
        options: {
          responsive: true,
          maintainAspectRatio: false,
          animation: false,
          interaction: { mode: "index", intersect: false },
          scales: { y: { beginAtZero: true, ticks: { precision: 0 } } },
          plugins: { legend: { position: "bottom" } }
        }
      });
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", draw);
  } else {
    draw();
  }
})();
