/* Unsaved-changes guard: a form marked data-guard-unsaved warns before the page is left with
   edits that were not submitted. Plain JavaScript, no inline handlers (CSP). */
(function () {
  "use strict";
  var dirty = new Set();

  function snapshot(form) {
    var data = new FormData(form);
    var parts = [];
    data.forEach(function (value, key) {
      if (key !== "csrfmiddlewaretoken") { parts.push(key + "=" + value); }
    });
    return parts.join("&");
  }

  function watch(form) {
    if (form.hasAttribute("data-guard-watched")) { return; }
    form.setAttribute("data-guard-watched", "");
    var initial = snapshot(form);
    var update = function () {
      if (snapshot(form) !== initial) { dirty.add(form); } else { dirty.delete(form); }
      form.classList.toggle("is-dirty", dirty.has(form));
    };
    form.addEventListener("input", update);
    form.addEventListener("change", update);
    form.addEventListener("submit", function () { dirty.delete(form); });
  }

  function watchAll() {
    document.querySelectorAll("form[data-guard-unsaved]").forEach(watch);
  }

  document.addEventListener("DOMContentLoaded", watchAll);
  document.addEventListener("htmx:load", watchAll);  // forms swapped in by a save in place

  window.addEventListener("beforeunload", function (event) {
    dirty.forEach(function (form) { if (!form.isConnected) { dirty.delete(form); } });
    if (dirty.size > 0) {
      event.preventDefault();
      event.returnValue = "";
    }
  });
})();
