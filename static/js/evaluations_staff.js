// Staff appraisal pages: the running total of the weights, the options box only for
// choice questions, and the print button. Every page works without this file.
(function () {
  "use strict";
  var weights = document.querySelector("form[data-weights]");
  if (weights) {
    var output = weights.querySelector("[data-weight-total]");
    var text = weights.getAttribute("data-total-text") || "{total}";
    var update = function () {
      var total = 0;
      weights.querySelectorAll("[data-weight]").forEach(function (input) {
        var row = input.closest("tr");
        var removed = row && row.querySelector("input[name$='-DELETE']:checked");
        var value = parseInt(input.value, 10);
        if (!removed && !isNaN(value)) {
          total += value;
        }
      });
      output.textContent = text.replace("{total}", total);
      output.classList.toggle("text-danger", total !== 100);
      output.classList.toggle("text-success", total === 100);
    };
    weights.addEventListener("input", update);
    weights.addEventListener("change", update);
    update();
  }

  var question = document.querySelector("form[data-question-form]");
  if (question) {
    var kind = question.querySelector("select[name=kind]");
    var options = question.querySelector("[name=options]");
    var wrapper = options ? options.closest(".mb-3") || options.parentNode : null;
    var toggle = function () {
      var choice = kind.value === "single" || kind.value === "multiple";
      if (wrapper) {
        wrapper.hidden = !choice;
      }
    };
    if (kind && wrapper) {
      kind.addEventListener("change", toggle);
      toggle();
    }
  }

  document.querySelectorAll("[data-print]").forEach(function (button) {
    button.addEventListener("click", function () {
      window.print();
    });
  });
})();
