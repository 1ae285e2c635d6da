/* Filters folded into <details data-open-wide> on phones stand open beside the results on wide screens. */
(function () {
  "use strict";
  var wide = window.matchMedia("(min-width: 48rem)");
  function sync() {
    document.querySelectorAll("details[data-open-wide]").forEach(function (box) { box.open = wide.matches; });
  }
  sync();
  wide.addEventListener("change", sync);
})();
