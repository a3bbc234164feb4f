// Giao diện: the rows of a list form (menu, home blocks, banners, links) reordered by
// dragging or by the "Lên"/"Xuống" buttons (the keyboard's way, the new place announced), and
// rows added without limit. Without a script the rows are saved in the order shown, with
// three blank rows for new entries.
(function () {
  "use strict";
  var el;
  function start() {
    // media-picker.js's, loaded (deferred) after this page's own script.
    el = window.congEl;
    if (!el) return;
    document.querySelectorAll("ol.rows-edit").forEach(function (list) {
      var form = list.closest("form");
      var live = el("p", { class: "visually-hidden", role: "status" });
      list.parentNode.insertBefore(live, list.nextSibling);
      var serial = 1000;
      function rows() { return Array.prototype.slice.call(list.querySelectorAll("li.edit-row")); }
      function renumber() {
        rows().forEach(function (row, i) {
          row.querySelectorAll("button[data-move]").forEach(function (b) {
            var which = b.querySelector(".visually-hidden") || b.appendChild(el("span", { class: "visually-hidden" }));
            which.textContent = " (dòng " + (i + 1) + ")";
          });
        });
      }
      function move(row, up) {
        var other = up ? row.previousElementSibling : row.nextElementSibling;
        if (!other) return;
        if (up) list.insertBefore(row, other); else list.insertBefore(other, row);
        renumber();
        live.textContent = "Dòng đã chuyển tới vị trí " + (rows().indexOf(row) + 1) + ".";
        var b = row.querySelector('button[data-move="' + (up ? "up" : "down") + '"]');
        if (b) b.focus();
      }
      function decorate(row) {
        var tools = el("div", { class: "row-tools" });
        var up = el("button", { type: "button", "data-move": "up", class: "secondary" }, "Lên");
        var down = el("button", { type: "button", "data-move": "down", class: "secondary" }, "Xuống");
        up.addEventListener("click", function () { move(row, true); });
        down.addEventListener("click", function () { move(row, false); });
        tools.appendChild(up);
        tools.appendChild(down);
        row.appendChild(tools);
        row.draggable = true;
        row.addEventListener("dragstart", function (e) {
          if (e.target !== row) return;
          row.classList.add("dragging");
          e.dataTransfer.effectAllowed = "move";
          e.dataTransfer.setData("text/plain", "row");
        });
        row.addEventListener("dragend", function () { row.classList.remove("dragging"); renumber(); });
        row.addEventListener("dragover", function (e) {
          var dragging = list.querySelector("li.dragging");
          if (!dragging || dragging === row) return;
          e.preventDefault();
          var box = row.getBoundingClientRect();
          list.insertBefore(dragging, e.clientY > box.top + box.height / 2 ? row.nextSibling : row);
        });
      }
      function addRow() {
        var all = rows();
        var row = all[all.length - 1].cloneNode(true);
        row.querySelectorAll(".row-tools, img.pick-thumb, button:not([type=submit])").forEach(function (n) { n.remove(); });
        serial += 1;
        row.querySelectorAll("input, select").forEach(function (f) {
          if (f.tagName === "SELECT") f.selectedIndex = 0; else f.value = "";
          var id = f.id.replace(/-\d+$/, "-" + serial);
          row.querySelectorAll('label[for="' + f.id + '"]').forEach(function (l) { l.setAttribute("for", id); });
          f.id = id;
        });
        list.appendChild(row);
        decorate(row);
        renumber();
        return row;
      }
      rows().forEach(decorate);
      renumber();
      var add = el("button", { type: "button", class: "secondary" }, "Thêm dòng");
      add.addEventListener("click", function () {
        var r = addRow();
        var first = r.querySelector("input, select");
        if (first) first.focus();
      });
      var bar = el("div", { class: "actions" });
      bar.appendChild(add);
      list.parentNode.insertBefore(bar, live.nextSibling);
      var help = form && form.querySelector(".rows-help");
      if (help) help.classList.remove("visually-hidden");
    });
  }
  // Deferred scripts all run before DOMContentLoaded: by then media-picker.js has too.
  if (document.readyState === "complete") {
    start();
  } else {
    document.addEventListener("DOMContentLoaded", start);
  }
})();
