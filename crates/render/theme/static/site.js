// cong public pages: the one script, for what needs a browser. Pages work without it.
(function () {
  "use strict";
  // The print button is hidden until there is a script to press it.
  document.querySelectorAll("[data-print]").forEach(function (button) {
    button.hidden = false;
    button.addEventListener("click", function () { window.print(); });
  });
})();
