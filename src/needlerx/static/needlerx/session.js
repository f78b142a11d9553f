/* Session note, saved section by section in place (htmx): what was typed in other sections and
   not yet saved survives the swap, and focus goes to the message saying what happened. Without
   JavaScript every form posts and the page reloads, as before. No inline handlers (CSP). */
(function () {
  "use strict";
  var kept = [];

  function keepTyped(except) {
    kept = [];
    document.querySelectorAll("#note form.is-dirty").forEach(function (form) {
      if (form === except) { return; }
      var values = [];
      form.querySelectorAll("input, select, textarea").forEach(function (control) {
        if (!control.name || control.type === "hidden") { return; }
        if (control.type === "checkbox" || control.type === "radio") {
          values.push({ name: control.name, value: control.value, checked: control.checked });
        } else {
          values.push({ name: control.name, value: control.value });
        }
      });
      kept.push({ action: form.getAttribute("action"), values: values });
    });
  }

  function restoreTyped() {
    kept.forEach(function (saved) {
      var form = document.querySelector('#note form[action="' + saved.action + '"]');
      if (!form) { return; }
      saved.values.forEach(function (item) {
        form.querySelectorAll('[name="' + item.name + '"]').forEach(function (control) {
          if (control.type === "checkbox" || control.type === "radio") {
            if (control.value === item.value) { control.checked = item.checked; }
          } else {
            control.value = item.value;
          }
        });
      });
      form.dispatchEvent(new Event("input", { bubbles: true }));
    });
    kept = [];
  }

  document.addEventListener("htmx:beforeSwap", function (event) {
    keepTyped(event.detail.requestConfig ? event.detail.requestConfig.elt : null);
  });
  document.addEventListener("htmx:afterSettle", function () {
    restoreTyped();
    var status = document.getElementById("note-status");
    var field = document.querySelector(
      "#note .has-error input, #note .has-error select, #note .has-error textarea");
    var alert = document.querySelector("#note form [role='alert']");
    if (field) {
      field.focus();
    } else if (alert) {
      alert.setAttribute("tabindex", "-1");
      alert.focus();
    } else if (status) {
      status.focus();
    }
  });
})();
