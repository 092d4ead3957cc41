// Small progressive enhancements. Every page works without this file.
(function () {
  "use strict";
  document.documentElement.classList.add("js");
  // The language switcher submits as soon as a language is picked; without
  // JavaScript its "Change" button does the same.
  document.querySelectorAll("form[data-autosubmit] select").forEach(function (select) {
    select.addEventListener("change", function () {
      select.form.submit();
    });
  });
  // Buttons that ask before doing something that can't be undone.
  document.querySelectorAll("[data-confirm]").forEach(function (el) {
    el.addEventListener("click", function (event) {
      if (!window.confirm(el.getAttribute("data-confirm"))) {
        event.preventDefault();
      }
    });
  });
})();
// The error summary of a form sent back with errors (GOV.UK pattern): focused when the
// page loads, so a screen reader reads it and the keyboard starts there; each link puts
// the focus in its field and shows the field's label or legend above it.
(function () {
  "use strict";
  var summary = document.querySelector("[data-error-summary]");
  if (!summary) {
    return;
  }
  summary.focus();
  summary.addEventListener("click", function (event) {
    var link = event.target.closest("a[data-error-link]");
    if (!link) {
      return;
    }
    var input = document.getElementById(link.getAttribute("href").slice(1));
    if (!input) {
      return;
    }
    event.preventDefault();
    // A radio or checkbox group: its question (the field's wrapper starts with it);
    // anything else: its own label.
    var group = input.type === "radio" || input.type === "checkbox";
    var label = (group ? input.closest("fieldset, .mb-3") : document.querySelector('label[for="' + input.id + '"]')) || input;
    label.scrollIntoView({ behavior: "instant", block: "start" });
    input.focus({ preventScroll: true });
  });
})();
