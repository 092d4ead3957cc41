/* Draws the public statistics page's charts (complaints/public/stats.html) with Chart.js
   (static/vendor/chartjs/). The figures come from the page's JSON data island
   (#complaint-charts), built from the same rows as the table under each chart, so the
   table is the accessible alternative and nothing depends on this script. */
(function () {
  "use strict";

  // Blue, purple and green: each at least 4.5:1 on white, and told apart by position too.
  var PALETTE = ["#0d6efd", "#6f42c1", "#198754"];
  // Horizontal bars: the labels (problem types, office names) stay readable on a phone.
  var ROW_HEIGHT = 16; // px per bar
  var AXES_HEIGHT = 90; // px for the axis and the legend

  // A long label in several lines, so that a phone shows it whole rather than cut at the left.
  var LINE = 16; // characters
  function wrap(label) {
    if (label.length <= LINE || label.indexOf(" ") < 0) {
      return label;
    }
    var lines = [""];
    label.split(" ").forEach(function (word) {
      var last = lines.length - 1;
      if (lines[last] && (lines[last] + " " + word).length > LINE) {
        lines.push(word);
      } else {
        lines[last] = lines[last] ? lines[last] + " " + word : word;
      }
    });
    return lines;
  }

  function draw() {
    var island = document.getElementById("complaint-charts");
    if (!island || typeof window.Chart === "undefined") {
      return;
    }
    var charts = JSON.parse(island.textContent);
    document.querySelectorAll("canvas[data-chart]").forEach(function (canvas) {
      var spec = charts[canvas.getAttribute("data-chart")];
      if (!spec || !spec.labels.length) {
        return;
      }
      // The wrapper's height follows the number of rows (CSSOM, which the CSP allows).
      var rows = spec.labels.length * (spec.series.length * ROW_HEIGHT + 12);
      canvas.parentNode.style.height = rows + AXES_HEIGHT + "px";
      new window.Chart(canvas, {
        type: "bar",
        data: {
          labels: spec.labels.map(wrap),
          datasets: spec.series.map(function (series, i) {
            var colour = PALETTE[i % PALETTE.length];
            return { label: series.label, data: series.values, backgroundColor: colour, borderColor: colour };
          })
        },
        options: {
          indexAxis: "y",
          responsive: true,
          maintainAspectRatio: false,
          animation: false,
          interaction: { mode: "index", intersect: false },
          scales: { x: { beginAtZero: true, ticks: { precision: 0 } } },
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
