/* cases: small enhancements; every page works without them. */
(function () {
  "use strict";
  // Story page: a print button.
  document.querySelectorAll("[data-print]").forEach(function (button) {
    button.hidden = false;
    button.addEventListener("click", function () { window.print(); });
  });
  // Story form: bring the error summary to the reader's attention.
  var summary = document.getElementById("error-summary");
  if (summary) { summary.focus(); }
})();
