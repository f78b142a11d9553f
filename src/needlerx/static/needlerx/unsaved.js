/* Unsaved-changes guard: a form marked data-guard-unsaved warns before the page is left with
   edits that were not submitted. Plain JavaScript, no inline handlers (CSP). */
(function () {
  "use strict";
  var dirty = new Set();

  // The form's fields as name=value pairs: as they are now, or (served) as the page was sent,
  // from each field's default. Comparing against what was served counts typing done before this
  // script ran (a slow page) as a change, where a copy taken when the script ran would not.
  function snapshot(form, served) {
    var parts = [];
    Array.prototype.forEach.call(form.elements, function (field) {
      if (!field.name || field.disabled || field.name === "csrfmiddlewaretoken") { return; }
      var type = field.type;
      if (type === "submit" || type === "button" || type === "reset" || type === "file") { return; }
      if (type === "checkbox" || type === "radio") {
        if (served ? field.defaultChecked : field.checked) { parts.push(field.name + "=" + field.value); }
      } else if (field.tagName === "SELECT") {
        Array.prototype.forEach.call(field.options, function (option, index) {
          var chosen = served
            ? option.defaultSelected || (index === 0 && showsOneOption(field) && !hasDefault(field))
            : option.selected;
          if (chosen) { parts.push(field.name + "=" + option.value); }
        });
      } else {
        parts.push(field.name + "=" + (served ? field.defaultValue : field.value));
      }
    });
    return parts.join("&");
  }

  // A drop-down (one option shown, one chosen) starts on its first option when the page
  // marks none; a list box (multiple, or several rows shown) then starts with none chosen.
  function showsOneOption(select) {
    return !select.multiple && select.size <= 1;
  }

  function hasDefault(select) {
    return Array.prototype.some.call(select.options, function (option) { return option.defaultSelected; });
  }

  function watch(form) {
    if (form.hasAttribute("data-guard-watched")) { return; }
    form.setAttribute("data-guard-watched", "");
    var initial = snapshot(form, true);
    var update = function () {
      if (snapshot(form, false) !== initial) { dirty.add(form); } else { dirty.delete(form); }
      form.classList.toggle("is-dirty", dirty.has(form));
    };
    form.addEventListener("input", update);
    form.addEventListener("change", update);
    form.addEventListener("submit", function () { dirty.delete(form); });
    update();  // typed into before this script ran
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
