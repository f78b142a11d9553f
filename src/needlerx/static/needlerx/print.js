/* The handout's Print button (the browser's own print works without it). */
"use strict";
document.querySelectorAll("[data-print]").forEach(function (button) {
  button.addEventListener("click", function () { window.print(); });
});
