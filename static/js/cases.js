/* cases: a small enhancement; the form works without it. */
(function () {
  "use strict";
  // Story form: bring the error summary to the reader's attention.
  var summary = document.getElementById("error-summary");
  if (summary) { summary.focus(); }
})();
