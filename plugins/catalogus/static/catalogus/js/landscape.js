/* Landscape wizards: "Selecteer alle" / "Deselecteer alle" for a group of checkboxes.
 * Progressive enhancement only: without JavaScript the buttons stay hidden and each box
 * is ticked by hand. Licence: EUPL-1.2. */
(function () {
  "use strict";
  document.querySelectorAll("[data-select-all]").forEach(function (group) {
    var fieldset = document.getElementById(group.getAttribute("data-select-all"));
    if (!fieldset) return;
    group.hidden = false;
    group.addEventListener("click", function (event) {
      var button = event.target.closest("[data-select]");
      if (!button) return;
      var on = button.getAttribute("data-select") === "all";
      fieldset.querySelectorAll('input[type="checkbox"]').forEach(function (box) {
        box.checked = on;
      });
    });
  });
})();
