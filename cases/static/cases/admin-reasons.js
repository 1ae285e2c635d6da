/* Decision pages: choosing a ready-made text puts it in the text box, to edit. Without this, the
   "Use this text" button does the same through the server. */
document.addEventListener("DOMContentLoaded", function () {
  "use strict";
  var box = document.querySelector(".case-decision textarea");
  if (!box) { return; }
  document.querySelectorAll(".case-ready-made input[type=radio]").forEach(function (radio) {
    radio.addEventListener("change", function () {
      var text = document.getElementById("ready-made-text-" + radio.value);
      if (radio.checked && text) {
        box.value = text.textContent.trim();
        box.focus();
      }
    });
  });
});
