// Progressive enhancement for /taken/<uuid>: follows the job through the API and updates the
// progress in place (announced politely), instead of reloading the page. Without JavaScript
// the "Voortgang bijwerken" link does the same by hand.
(function () {
  var root = document.querySelector("[data-taak-api]");
  if (!root || !window.fetch) return;
  var bar = document.getElementById("taak-voortgang");
  var text = document.getElementById("taak-voortgang-tekst");
  var status = document.getElementById("taak-status");
  function poll() {
    fetch(root.getAttribute("data-taak-api"), { credentials: "same-origin" })
      .then(function (response) { return response.ok ? response.json() : null; })
      .then(function (job) {
        if (!job) return;
        bar.value = job.percentage;
        bar.textContent = job.percentage + "%";
        text.textContent = job.percentage + "%" + (job.totaal ? " — " + job.gedaan + " / " + job.totaal : "");
        if (job.status === "klaar" || job.status === "mislukt") {
          window.location.reload();  // once, to show the final message
        } else {
          status.textContent = job.status === "bezig" ? status.getAttribute("data-bezig") : status.textContent;
          window.setTimeout(poll, 2000);
        }
      });
  }
  window.setTimeout(poll, 2000);
})();
