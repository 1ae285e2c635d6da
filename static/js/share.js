// Share actions: show the Print and Copy link buttons only when JavaScript can run them.
(function () {
  "use strict";
  var script = document.currentScript;
  var copied = (script && script.dataset.copied) || "Link copied.";
  var failed = (script && script.dataset.copyFailed) || "Select the link and copy it.";

  document.querySelectorAll(".share:not([data-share-ready])").forEach(function (box) {
    box.setAttribute("data-share-ready", "");
    var print = box.querySelector("[data-share-print]");
    var hint = box.querySelector("[data-share-print-hint]");
    var copy = box.querySelector("[data-share-copy]");
    var input = box.querySelector("[data-share-url]");
    var status = box.querySelector("[data-share-status]");

    if (print && typeof window.print === "function") {
      print.hidden = false;
      if (hint) hint.hidden = true;
      print.addEventListener("click", function () { window.print(); });
    }
    if (copy && input) {
      copy.hidden = false;
      copy.addEventListener("click", function () {
        var done = function () { status.textContent = copied; };
        var fallback = function () {
          input.select();
          try { if (document.execCommand("copy")) { done(); return; } } catch (e) { /* ignored */ }
          status.textContent = failed;
        };
        if (navigator.clipboard && window.isSecureContext) {
          navigator.clipboard.writeText(input.value).then(done, fallback);
        } else {
          fallback();
        }
      });
    }
  });
})();
