// Progressive enhancement for a field rendered with counter=<max> (site/forms/_field.html):
// counts the characters left. Without JavaScript the maxlength and the server check remain.
(function () {
  var counters = document.querySelectorAll("[data-teller-voor]");
  for (var j = 0; j < counters.length; j++) {
    (function (counter) {
      var field = document.getElementById(counter.getAttribute("data-teller-voor"));
      var live = document.getElementById(counter.id + "_live");
      var max = parseInt(counter.getAttribute("data-max"), 10);
      var timer = null;
      function text() {
        var left = max - field.value.length;
        var template = counter.getAttribute(left >= 0 ? "data-tekst-over" : "data-tekst-te-veel");
        return template.replace("%(n)s", Math.abs(left));
      }
      function update() {
        counter.textContent = text();
        /* Screen readers hear the count once typing pauses, not at every key. */
        clearTimeout(timer);
        timer = setTimeout(function () { live.textContent = text(); }, 1000);
      }
      if (field) {
        counter.hidden = false;
        counter.textContent = text();
        field.addEventListener("input", update);
      }
    })(counters[j]);
  }
})();
