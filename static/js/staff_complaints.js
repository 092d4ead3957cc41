// Register a complaint (staff): an anonymous complaint asks for no name or phone,
// so those fields are hidden and disabled (not sent) while "Anonymous" is chosen;
// what was typed comes back when "Real name" is chosen again. Without JavaScript
// they stay visible and the server explains what to leave empty.
(function () {
  "use strict";
  var radios = document.querySelectorAll("input[data-anonymous-toggle]");
  var fields = document.getElementById("identity-fields");
  if (!radios.length || !fields) {
    return;
  }
  function update() {
    var anonymous = document.querySelector("input[data-anonymous-toggle]:checked");
    var hide = Boolean(anonymous && anonymous.value === "1");
    fields.hidden = hide;
    fields.querySelectorAll("input").forEach(function (input) {
      input.disabled = hide;
    });
  }
  radios.forEach(function (radio) {
    radio.addEventListener("change", update);
  });
  update();
})();
