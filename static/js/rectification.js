// Rectification pages' small helpers. Every form works without this file: the
// server checks everything again and ignores the fields that do not apply.
(function () {
  "use strict";

  // [data-show-when="field=value"]: shown only while that choice is made, e.g. the
  // public explanation for step-by-step handling. Hidden fields stay in the form.
  var dependents = document.querySelectorAll("[data-show-when]");
  function chosen(form, name) {
    var checked = form.querySelector('input[type="radio"][name="' + name + '"]:checked');
    if (checked) {
      return checked.value;
    }
    var select = form.querySelector('select[name="' + name + '"]');
    return select ? select.value : "";
  }
  function sync() {
    dependents.forEach(function (el) {
      var rule = el.getAttribute("data-show-when").split("=");
      var form = el.closest("form");
      if (form) {
        el.hidden = chosen(form, rule[0]) !== rule[1];
      }
    });
  }
  dependents.forEach(function (el) {
    var form = el.closest("form");
    var name = el.getAttribute("data-show-when").split("=")[0];
    if (form) {
      form.querySelectorAll('[name="' + name + '"]').forEach(function (input) {
        input.addEventListener("change", sync);
      });
    }
  });
  sync();

  // Once a field marked invalid is changed, its red marking and message go; the
  // server checks it again when the form is sent.
  document.querySelectorAll("input.is-invalid, textarea.is-invalid, select.is-invalid").forEach(function (field) {
    field.addEventListener("change", function () {
      var group = field.form ? field.form.querySelectorAll('[name="' + field.name + '"]') : [field];
      Array.prototype.forEach.call(group, function (el) {
        el.classList.remove("is-invalid");
      });
    });
  });

  // A character counter under each textarea[data-counter], announced politely.
  document.querySelectorAll("textarea[data-counter]").forEach(function (area) {
    var max = parseInt(area.getAttribute("maxlength"), 10) || 0;
    var template = area.getAttribute("data-counter-text") || "{count} / {max}";
    var counter = document.createElement("div");
    counter.id = area.id + "_counter";
    counter.className = "form-text text-end";
    counter.setAttribute("data-testid", "char-counter");
    counter.setAttribute("aria-live", "polite");
    area.insertAdjacentElement("afterend", counter);
    var described = area.getAttribute("aria-describedby");
    area.setAttribute("aria-describedby", (described ? described + " " : "") + counter.id);
    function update() {
      var count = Array.from(area.value.trim()).length;
      counter.textContent = template.replace("{count}", count).replace("{max}", max);
      counter.classList.toggle("text-danger", Boolean(max && count > max));
    }
    area.addEventListener("input", update);
    update();
  });
})();
