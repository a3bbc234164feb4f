// cong public pages: the one script, for what needs a browser. Pages work without it.
(function () {
  "use strict";
  // The print button is hidden until there is a script to press it.
  document.querySelectorAll("[data-print]").forEach(function (button) {
    button.hidden = false;
    button.addEventListener("click", function () { window.print(); });
  });

  // The menu folds behind its button on narrow screens (CSS decides the width); the button
  // says whether it is open, and Escape closes it again.
  var menu = document.querySelector("nav.menu");
  var toggle = menu && menu.querySelector(".menu-toggle");
  if (toggle) {
    menu.classList.add("folds");
    toggle.hidden = false;
    var setOpen = function (open) {
      menu.classList.toggle("open", open);
      toggle.setAttribute("aria-expanded", open ? "true" : "false");
    };
    toggle.addEventListener("click", function () { setOpen(!menu.classList.contains("open")); });
    menu.addEventListener("keydown", function (e) {
      if (e.key === "Escape" && menu.classList.contains("open")) { setOpen(false); toggle.focus(); }
    });
  }

  // Reading aids: text size (A−, A, A+) and high contrast, kept in this browser's storage
  // (no cookie, so every page stays the same for every visitor and can be kept by caches).
  var root = document.documentElement;
  var SIZES = 5;
  var NORMAL = 1;
  function read(key) {
    try { return window.localStorage.getItem(key); } catch (e) { return null; }
  }
  function keep(key, value) {
    try { window.localStorage.setItem(key, value); } catch (e) { /* private mode: this page only */ }
  }
  var size = parseInt(read("cong-co-chu"), 10);
  if (!(size >= 0 && size < SIZES)) size = NORMAL;
  var contrast = read("cong-tuong-phan") === "1";
  var aids = document.querySelector(".reading-aids");
  function apply() {
    for (var i = 0; i < SIZES; i++) root.classList.toggle("co-chu-" + i, i === size && i !== NORMAL);
    root.classList.toggle("tuong-phan-cao", contrast);
    if (!aids) return;
    aids.querySelector('[data-text-size="-1"]').disabled = size === 0;
    aids.querySelector('[data-text-size="1"]').disabled = size === SIZES - 1;
    aids.querySelector("[data-contrast]").setAttribute("aria-pressed", contrast ? "true" : "false");
  }
  apply();
  if (aids) {
    aids.hidden = false;
    aids.addEventListener("click", function (e) {
      var b = e.target.closest("button");
      if (!b) return;
      if (b.hasAttribute("data-contrast")) {
        contrast = !contrast;
        keep("cong-tuong-phan", contrast ? "1" : "0");
      } else {
        var step = parseInt(b.getAttribute("data-text-size"), 10);
        size = step === 0 ? NORMAL : Math.min(SIZES - 1, Math.max(0, size + step));
        keep("cong-co-chu", String(size));
      }
      apply();
    });
  }
})();
