// Event pages: add the visitor's own time next to the event's local time. Without it nothing is lost.
(function () {
  "use strict";
  if (!window.Intl || !Intl.DateTimeFormat) return;
  document.querySelectorAll("[data-local-start]").forEach(function (box) {
    var start = new Date(box.getAttribute("data-local-start"));
    var end = new Date(box.getAttribute("data-local-end"));
    if (isNaN(start) || isNaN(end)) return;
    var lang = document.documentElement.lang || undefined;
    var day = { weekday: "short", day: "numeric", month: "short" };
    var time = { hour: "2-digit", minute: "2-digit", timeZoneName: "short" };
    var format = function (date, options) { return new Intl.DateTimeFormat(lang, options).format(date); };
    var sameDay = start.toDateString() === end.toDateString();
    var text = format(start, day) + ", " + format(start, { hour: "2-digit", minute: "2-digit" }) + "\u2013" +
      (sameDay ? "" : format(end, day) + ", ") + format(end, time);
    box.textContent = "(" + box.getAttribute("data-local-label") + " " + text + ")";
  });
})();
