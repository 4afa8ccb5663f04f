/* /mijn-landschap, progressive enhancement only: the page works the same without it.
 * A long list of referentiecomponenten gets a text box; typing hides the options whose name
 * does not match (ticked ones stay). Without JavaScript the box stays hidden and every
 * option is listed. No submit on input (WCAG 3.2.2). Licence: EUPL-1.2. */
(function () {
  "use strict";
  document.querySelectorAll("[data-narrow-box]").forEach(function (box) {
    var input = box.querySelector("input[data-narrow]");
    var fieldset = input && document.getElementById(input.getAttribute("data-narrow"));
    if (!fieldset) return;
    box.hidden = false;
    input.addEventListener("input", function () {
      var text = input.value.trim().toLowerCase();
      fieldset.querySelectorAll(".swc-facet__option").forEach(function (option) {
        var choice = option.querySelector("input");
        var label = option.querySelector("label").textContent.toLowerCase();
        option.hidden = !(choice.checked || label.indexOf(text) !== -1);
      });
    });
  });
})();
