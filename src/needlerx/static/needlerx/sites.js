/* Evaluation, sites: for one condition "None" and its sites exclude each other, so ticking a
   site unticks "None" and ticking "None" unticks the sites. Without JavaScript the save refuses
   both at once and says so for the condition. No inline handlers (CSP). */
(function () {
  "use strict";
  document.addEventListener("change", function (event) {
    var box = event.target;
    if (!box.checked || box.type !== "checkbox" || !box.closest) { return; }
    var table = box.closest("[data-site-table]");
    if (!table) { return; }
    var isNone = box.hasAttribute("data-site-none");
    table.querySelectorAll("input[type=checkbox]").forEach(function (other) {
      if (other !== box && other.checked && other.hasAttribute("data-site-none") !== isNone) {
        other.checked = false;
      }
    });
  });
})();
