/* Courses: remember the ticks of a preparation checklist in this browser (localStorage).
   Progressive enhancement: without this script the checklist is still complete and printable. */
(function () {
  "use strict";

  function storage() {
    try {
      var probe = "__greenjobs_probe__";
      window.localStorage.setItem(probe, probe);
      window.localStorage.removeItem(probe);
      return window.localStorage;
    } catch (error) {
      return null;
    }
  }

  function setUp(list, store) {
    var course = list.getAttribute("data-course");
    var boxes = list.querySelectorAll("input[type=checkbox][data-step]");
    var progress = document.querySelector("[data-checklist-progress]");

    function key(box) {
      return "greenjobs:course:" + course + ":step:" + box.getAttribute("data-step");
    }

    function showProgress() {
      if (!progress) return;
      var done = 0;
      boxes.forEach(function (box) { if (box.checked) done += 1; });
      progress.textContent = progress.getAttribute("data-template")
        .replace("{done}", done).replace("{total}", boxes.length);
      progress.hidden = false;
    }

    boxes.forEach(function (box) {
      box.checked = store.getItem(key(box)) === "1";
      box.addEventListener("change", function () {
        if (box.checked) store.setItem(key(box), "1");
        else store.removeItem(key(box));
        showProgress();
      });
    });
    showProgress();
  }

  function start() {
    var store = storage();
    if (!store) return;
    document.querySelectorAll(".checklist[data-course]").forEach(function (list) { setUp(list, store); });
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
