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
    var initial = snapshot(form);
    var update = function () {
      if (snapshot(form) !== initial) { dirty.add(form); } else { dirty.delete(form); }
      form.classList.toggle("is-dirty", dirty.has(form));
    };
    form.addEventListener("input", update);
    form.addEventListener("change", update);
    form.addEventListener("submit", function () { dirty.delete(form); });
  }

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("form[data-guard-unsaved]").forEach(watch);
  });

  window.addEventListener("beforeunload", function (event) {
    if (dirty.size > 0) {
      event.preventDefault();
      event.returnValue = "";
    }
  });
})();
