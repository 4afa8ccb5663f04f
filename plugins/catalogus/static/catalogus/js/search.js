/*
 * /zoeken, progressive enhancement only: the page works the same without it.
 * (No submit on ticking a checkbox: a page change on input would surprise, WCAG 3.2.2.)
 * - typing in a facet's text box hides the options that do not match, without a reload
 *   (the server narrows the list the same way when the form is sent);
 * - at most four applications can be ticked for "Vergelijk geselecteerde".
 * Licence: EUPL-1.2.
 */
(function () {
  "use strict";
  var form = document.getElementById("zoekformulier");
  if (!form) {
    return;
  }
  document.querySelectorAll("input[data-narrow]").forEach(function (input) {
    var fieldset = document.getElementById("facet-" + input.dataset.narrow);
    if (!fieldset) {
      return;
    }
    input.addEventListener("input", function () {
      var text = input.value.trim().toLowerCase();
      fieldset.querySelectorAll(".swc-facet__option").forEach(function (option) {
        var box = option.querySelector("input");
        var label = option.querySelector("label").textContent.toLowerCase();
        option.hidden = !(box.checked || label.indexOf(text) !== -1);
      });
    });
  });
  var compare = document.querySelectorAll("input[data-vergelijk]");
  compare.forEach(function (box) {
    box.addEventListener("change", function () {
      var ticked = Array.prototype.filter.call(compare, function (b) { return b.checked; });
      compare.forEach(function (b) {
        b.disabled = !b.checked && ticked.length >= 4;
      });
    });
  });
})();
