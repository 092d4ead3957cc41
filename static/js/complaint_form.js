// The public complaint form's small helpers. The form works without this file:
// the server checks everything again and shows its own messages.
(function () {
  "use strict";

  function length(text) {
    // Count characters as the server does (code points, surrounding spaces ignored).
    return Array.from(text.trim()).length;
  }

  // A character counter under each textarea[data-counter].
  document.querySelectorAll("textarea[data-counter]").forEach(function (area) {
    var max = parseInt(area.getAttribute("maxlength"), 10) || 0;
    var min = parseInt(area.getAttribute("minlength"), 10) || 0;
    var template = area.getAttribute("data-counter-text") || "{count} / {max}";
    var counter = document.createElement("div");
    counter.id = area.id + "_counter";
    counter.className = "form-text text-end";
    counter.setAttribute("data-testid", "char-counter");
    area.insertAdjacentElement("afterend", counter);
    var described = area.getAttribute("aria-describedby");
    area.setAttribute("aria-describedby", (described ? described + " " : "") + counter.id);
    function update() {
      var count = length(area.value);
      counter.textContent = template.replace("{count}", count).replace("{max}", max);
      counter.classList.toggle("text-danger", (count > 0 && count < min) || (max && count > max));
    }
    area.addEventListener("input", update);
    update();
  });

  // Real name or anonymous: hide (and leave out of the submission) what does not apply.
  var realNameOnly = document.querySelector("[data-real-name-only]");
  var anonymousOnly = document.querySelector("[data-anonymous-only]");
  var identityRadios = document.querySelectorAll('input[type="radio"][name="is_anonymous"]');
  function syncIdentity() {
    var checked = document.querySelector('input[type="radio"][name="is_anonymous"]:checked');
    var anonymous = Boolean(checked && checked.value === "anonymous");
    if (realNameOnly) {
      realNameOnly.hidden = anonymous;
      realNameOnly.querySelectorAll("input").forEach(function (input) {
        input.disabled = anonymous;
      });
    }
    if (anonymousOnly) {
      anonymousOnly.hidden = !anonymous;
    }
  }
  identityRadios.forEach(function (radio) {
    radio.addEventListener("change", syncIdentity);
  });
  if (identityRadios.length) {
    syncIdentity();
  }

  // A filter box above long selects: typing narrows the list of offices.
  document.querySelectorAll("select[data-filterable]").forEach(function (select) {
    var input = document.createElement("input");
    input.type = "search";
    input.id = select.id + "_filter";
    input.className = "form-control mb-2";
    input.autocomplete = "off";
    input.placeholder = select.getAttribute("data-filter-placeholder") || "";
    input.setAttribute("aria-label", select.getAttribute("data-filter-label") || "");
    input.setAttribute("aria-controls", select.id);
    select.insertAdjacentElement("beforebegin", input);
    var original = Array.prototype.map.call(select.children, function (node) {
      return node.cloneNode(true);
    });

    function matches(option, term) {
      return !term || option.value === "" || option.value === select.value ||
        option.textContent.toLowerCase().indexOf(term) !== -1;
    }

    input.addEventListener("input", function () {
      var term = input.value.trim().toLowerCase();
      var selected = select.value;
      var fragment = document.createDocumentFragment();
      original.forEach(function (node) {
        if (node.tagName === "OPTGROUP") {
          var wholeGroup = term && node.label.toLowerCase().indexOf(term) !== -1;
          var group = node.cloneNode(false);
          Array.prototype.forEach.call(node.children, function (option) {
            if (wholeGroup || matches(option, term)) {
              group.appendChild(option.cloneNode(true));
            }
          });
          if (group.children.length) {
            fragment.appendChild(group);
          }
        } else if (matches(node, term)) {
          fragment.appendChild(node.cloneNode(true));
        }
      });
      select.replaceChildren(fragment);
      select.value = selected;
    });
  });

  // No more than the allowed number of files, said before the upload rather than after.
  document.querySelectorAll("input[type=file][data-max-files]").forEach(function (input) {
    var max = parseInt(input.getAttribute("data-max-files"), 10);
    input.addEventListener("change", function () {
      var tooMany = input.files.length > max;
      input.setCustomValidity(tooMany ? input.getAttribute("data-too-many-text") || "" : "");
      if (tooMany) {
        input.reportValidity();
      }
    });
  });

  // One click sends one complaint, even on a slow connection.
  document.querySelectorAll("form[data-complaint-form]").forEach(function (form) {
    form.addEventListener("submit", function () {
      form.querySelectorAll("button[type=submit]").forEach(function (button) {
        window.setTimeout(function () {
          button.disabled = true;
        }, 0);
      });
    });
  });
  // Coming back with the Back button shows the page as it was left: enable the button again.
  window.addEventListener("pageshow", function () {
    document.querySelectorAll("form[data-complaint-form] button[type=submit]").forEach(function (button) {
      button.disabled = false;
    });
  });
})();
