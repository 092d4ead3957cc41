// The ballot: a running count of the offices rated, and the error list brought into view.
// Everything works without this file.
(function () {
  "use strict";
  var form = document.querySelector("form[data-ballot]");
  if (!form) {
    return;
  }
  var template = form.getAttribute("data-progress-text") || "{done} / {total}";
  form.querySelectorAll("[data-matrix]").forEach(function (matrix) {
    var section = matrix.closest(".ballot-question");
    var output = section ? section.querySelector("[data-matrix-progress]") : null;
    var rows = matrix.querySelectorAll(".rating-row");
    function update() {
      var done = 0;
      rows.forEach(function (row) {
        var answered = row.querySelector("input[type=radio]:checked") !== null;
        row.classList.toggle("is-answered", answered);
        if (answered) {
          done += 1;
        }
      });
      if (output) {
        output.textContent = template.replace("{done}", done).replace("{total}", rows.length);
      }
    }
    matrix.addEventListener("change", update);
    update();
  });
  var summary = document.getElementById("error-summary");
  if (summary) {
    summary.focus();
  }
})();
