/* Small improvements of the pages; every page works without them.
 * - The upload form's drop zone takes a dropped file into the file input.
 * - The audit page asks for its status while the audit runs and reloads when it is final.
 */
(function () {
  "use strict";

  function dropZone(zone) {
    var input = zone.querySelector('input[type="file"]');
    var hint = zone.querySelector("[data-drop-hint]");
    var chosen = zone.querySelector("[data-drop-chosen]");
    if (!input || typeof DataTransfer === "undefined") { return; }
    if (hint) { hint.hidden = false; }
    function show() {
      // The page gives the word in its language (data-label); English without it.
      var label = (chosen && chosen.getAttribute("data-label")) || "Chosen:";
      if (chosen) { chosen.textContent = input.files.length ? label + " " + input.files[0].name : ""; }
    }
    input.addEventListener("change", show);
    ["dragenter", "dragover"].forEach(function (name) {
      zone.addEventListener(name, function (event) {
        event.preventDefault();
        zone.classList.add("drop-active");
      });
    });
    ["dragleave", "drop"].forEach(function (name) {
      zone.addEventListener(name, function () { zone.classList.remove("drop-active"); });
    });
    zone.addEventListener("drop", function (event) {
      event.preventDefault();
      var files = event.dataTransfer && event.dataTransfer.files;
      if (!files || !files.length) { return; }
      var transfer = new DataTransfer();
      transfer.items.add(files[0]);
      input.files = transfer.files;
      show();
    });
  }

  var FINAL = { done: true, invalid: true, failed: true };

  function watchStatus(element) {
    var url = element.getAttribute("data-status-url");
    var delay = 1000;
    function ask() {
      fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
        .then(function (response) { return response.ok ? response.json() : null; })
        .then(function (answer) {
          if (answer && FINAL[answer.status]) { window.location.reload(); return; }
          if (answer && answer.status !== element.getAttribute("data-status")) {
            element.setAttribute("data-status", answer.status);
            element.textContent = element.getAttribute("data-label-" + answer.status) ||
              answer.status.charAt(0).toUpperCase() + answer.status.slice(1);
          }
          delay = Math.min(delay * 1.3, 5000);
          window.setTimeout(ask, delay);
        })
        .catch(function () { window.setTimeout(ask, 5000); });
    }
    window.setTimeout(ask, delay);
  }

  document.querySelectorAll("[data-drop-zone]").forEach(dropZone);
  var status = document.getElementById("audit-status");
  if (status && !FINAL[status.getAttribute("data-status")]) { watchStatus(status); }
})();
