/* Body chart: in "choose" mode a click (or Enter) on a muscle toggles the matching checkbox of
   the list alternative, and the figures follow the checkboxes. Without JavaScript the regions
   are links to those checkboxes, so the form still works. Excluded muscles are not links and
   their checkboxes are disabled, so they cannot be chosen either way. */
(function () {
  "use strict";

  function checkboxFor(key) {
    var parts = key.split(":");
    return document.getElementById("choose-" + parts[0] + "-" + parts[1]);
  }

  function paint(key, chosen) {
    document.querySelectorAll('[data-region="' + key + '"]').forEach(function (shape) {
      shape.classList.toggle("chosen", chosen);
    });
    document.querySelectorAll('a[data-choose="' + key + '"]').forEach(function (link) {
      var label = link.getAttribute("aria-label").replace(/, chosen$/, "");
      link.setAttribute("aria-label", chosen ? label + ", chosen" : label);
      link.setAttribute("aria-pressed", chosen ? "true" : "false");
    });
  }

  function announce(text) {
    var live = document.getElementById("bodychart-status");
    if (live) { live.textContent = text; }
  }

  function init() {
    var chart = document.querySelector('[data-bodychart="choose"]');
    if (!chart || chart.hasAttribute("data-ready")) { return; }
    chart.setAttribute("data-ready", "");
    chart.querySelectorAll("a[data-choose]").forEach(function (link) {
      link.setAttribute("role", "button");
      link.addEventListener("click", function (event) {
        event.preventDefault();
        var key = link.getAttribute("data-choose");
        var box = checkboxFor(key);
        if (!box || box.disabled) { return; }
        box.checked = !box.checked;
        box.dispatchEvent(new Event("change", { bubbles: true }));
      });
      link.addEventListener("keydown", function (event) {
        if (event.key === " ") { event.preventDefault(); link.click(); }
      });
    });
    document.querySelectorAll('input[type="checkbox"][id^="choose-"]').forEach(function (box) {
      var key = box.value;
      paint(key, box.checked);
      box.addEventListener("change", function () {
        paint(key, box.checked);
        var name = box.parentElement.textContent.trim().replace(/\s+/g, " ");
        announce((box.checked ? "Chosen: " : "Removed: ") + name);
      });
    });
  }

  document.addEventListener("DOMContentLoaded", init);
  document.addEventListener("htmx:load", init);  // a note section saved in place
})();
