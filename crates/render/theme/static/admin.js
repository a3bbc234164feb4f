// cong back office scripts (the rich-text editor is editor.js, built from editor/).

// Forms that carry files show how much of the upload has gone: sent by XMLHttpRequest
// (whose upload reports progress), the answer then shown as a normal submission would. Without
// a script, the form submits as usual.
(function () {
  "use strict";
  function attach(form) {
    var bar = form.querySelector("progress.upload-progress");
    if (!bar || !window.FormData || !window.XMLHttpRequest) {
      return;
    }
    form.addEventListener("submit", function (event) {
      var hasFiles = Array.prototype.some.call(
        form.querySelectorAll('input[type="file"]'),
        function (input) { return input.files && input.files.length > 0; }
      );
      if (!hasFiles || event.defaultPrevented) {
        return;
      }
      event.preventDefault();
      var xhr = new XMLHttpRequest();
      xhr.open("POST", form.action);
      bar.hidden = false;
      bar.value = 0;
      bar.setAttribute("aria-label", "Đang tải lên");
      xhr.upload.addEventListener("progress", function (e) {
        if (e.lengthComputable) {
          bar.value = Math.round((e.loaded / e.total) * 100);
        }
      });
      xhr.addEventListener("load", function () {
        // A redirect was followed: go where it led; anything else replaces this page.
        if (xhr.responseURL && xhr.responseURL !== form.action && xhr.status < 300) {
          window.location.assign(xhr.responseURL);
          return;
        }
        document.open();
        document.write(xhr.responseText);
        document.close();
      });
      xhr.addEventListener("error", function () {
        bar.hidden = true;
        form.submit();
      });
      xhr.send(new FormData(form));
    });
  }
  function start() {
    document.querySelectorAll("form[data-upload-progress]").forEach(attach);
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();

// Relation fields suggest documents by number or abstract as one types (a datalist filled
// from /quan-tri/van-ban/chon); without a script the number is typed whole.
(function () {
  "use strict";
  function start() {
    var list = document.getElementById("doc-numbers");
    if (!list || !window.fetch) {
      return;
    }
    var timer = null;
    document.querySelectorAll("input[data-pick]").forEach(function (input) {
      input.addEventListener("input", function () {
        clearTimeout(timer);
        var q = input.value.trim();
        if (q.length < 2) {
          return;
        }
        timer = setTimeout(function () {
          fetch(input.getAttribute("data-pick") + "?q=" + encodeURIComponent(q), { credentials: "same-origin" })
            .then(function (r) { return r.ok ? r.json() : []; })
            .then(function (docs) {
              list.textContent = "";
              docs.forEach(function (d) {
                var o = document.createElement("option");
                o.value = d.number;
                o.label = d.summary;
                list.appendChild(o);
              });
            })
            .catch(function () {});
        }, 200);
      });
    });
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();

// Autosave: an edit form marked data-autosave keeps what is typed in this browser's storage
// (every second of typing), so a crashed browser or a closed tab loses nothing. Opening the
// form again offers the kept copy; restored, it carries the version it was typed against,
// so saving it over someone else's newer save is refused like any stale save. Saving (or
// discarding) forgets it.
(function () {
  "use strict";
  var PREFIX = "cong-autosave:";
  function fields(form) {
    var out = {};
    Array.prototype.forEach.call(form.elements, function (el) {
      if (!el.name || el.name === "csrf" || el.type === "file" || el.type === "submit" || el.type === "button") {
        return;
      }
      if (el.type === "checkbox" || el.type === "radio") {
        if (!el.checked) {
          return;
        }
      }
      (out[el.name] = out[el.name] || []).push(el.value);
    });
    return out;
  }
  function same(a, b) {
    return JSON.stringify(a) === JSON.stringify(b);
  }
  function fill(form, saved) {
    var seen = {};
    Array.prototype.forEach.call(form.elements, function (el) {
      if (!el.name || el.name === "csrf" || !(el.name in saved) || el.type === "file") {
        return;
      }
      var values = saved[el.name];
      if (el.type === "checkbox" || el.type === "radio") {
        el.checked = values.indexOf(el.value) >= 0;
        return;
      }
      var i = seen[el.name] || 0;
      seen[el.name] = i + 1;
      if (i < values.length) {
        el.value = values[i];
        // The rich-text editor (editor.js) hangs on its textarea: it takes the text back.
        if (el.editor && el.editor.commands) {
          el.editor.commands.setContent(el.value);
        }
      }
    });
  }
  function attach(form) {
    var storage;
    try {
      storage = window.localStorage;
      storage.getItem("x");
    } catch (e) {
      return;
    }
    var key = PREFIX + form.getAttribute("data-autosave");
    var kept = null;
    try {
      kept = JSON.parse(storage.getItem(key) || "null");
    } catch (e) {
      kept = null;
    }
    var opened = fields(form);
    if (kept && kept.fields && !same(kept.fields, opened)) {
      var bar = document.createElement("div");
      bar.className = "autosave-offer";
      bar.setAttribute("role", "status");
      var at = new Date(kept.at);
      var text = document.createElement("p");
      text.textContent = "Có bản đang soạn dở được tự lưu lúc " +
        at.toLocaleString("vi-VN") + " trên trình duyệt này, chưa được lưu lên hệ thống.";
      var restore = document.createElement("button");
      restore.type = "button";
      restore.textContent = "Khôi phục bản tự lưu";
      var drop = document.createElement("button");
      drop.type = "button";
      drop.className = "secondary";
      drop.textContent = "Bỏ bản tự lưu";
      restore.addEventListener("click", function () {
        fill(form, kept.fields);
        bar.remove();
        form.querySelector("input, textarea, select").focus();
      });
      drop.addEventListener("click", function () {
        storage.removeItem(key);
        bar.remove();
      });
      bar.appendChild(text);
      bar.appendChild(restore);
      bar.appendChild(drop);
      form.parentNode.insertBefore(bar, form);
    }
    var timer = null;
    function keep() {
      timer = null;
      var now = fields(form);
      if (same(now, opened)) {
        return;
      }
      try {
        storage.setItem(key, JSON.stringify({ at: Date.now(), fields: now }));
      } catch (e) {
        // Storage full or refused: typing goes on, only the safety net is gone.
      }
    }
    function later() {
      if (timer === null) {
        timer = setTimeout(keep, 1000);
      }
    }
    form.addEventListener("input", later);
    form.addEventListener("change", later);
    form.addEventListener("submit", function (event) {
      // A preview (formaction elsewhere) is not a save: the copy stays.
      var via = event.submitter;
      if (via && via.getAttribute("formaction")) {
        return;
      }
      clearTimeout(timer);
      storage.removeItem(key);
    });
  }
  function start() {
    document.querySelectorAll("form[data-autosave]").forEach(attach);
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();

// The cover and the gallery, visually: a picker of thumbnails (search as the library's,
// upload inside it, several at once for the gallery), a thumbnail beside each row, rows added
// without limit, and the order changed by dragging or by the "Lên"/"Xuống" buttons (the
// keyboard's way). Without a script the rows' selects do the same, three new rows a save.
(function () {
  "use strict";
  // media-picker.js's, which every back-office page loads first.
  var el = window.congEl;
  function csrfOf(form) {
    var t = form.querySelector('input[name="csrf"]');
    return t ? t.value : "";
  }
  // A select shows the chosen picture's thumbnail; an id it does not list is added.
  function choose(select, item) {
    var value = String(item.id);
    var opt = Array.prototype.find.call(select.options, function (o) { return o.value === value; });
    if (!opt) {
      opt = el("option", { value: value, "data-thumb": item.thumb || item.src }, "#" + value + " " + (item.caption || item.name || ""));
      select.appendChild(opt);
    }
    select.value = value;
    select.dispatchEvent(new Event("change", { bubbles: true }));
  }
  function thumbFor(select) {
    // Its own thumbnail sits right after it (the form holds others, the rows').
    var next = select.nextElementSibling;
    var img = next && next.classList.contains("pick-thumb") ? next : null;
    if (!img) {
      img = el("img", { class: "pick-thumb", alt: "", width: "96", height: "64" });
      select.parentNode.insertBefore(img, select.nextSibling);
    }
    var opt = select.options[select.selectedIndex];
    var src = opt && opt.getAttribute("data-thumb");
    img.hidden = !src;
    if (src) img.src = src;
  }

  // The shared picker (media-picker.js), for pictures.
  function picker(form, url, upload, many, done) {
    window.congPicker({ kind: "image", url: url, upload: upload, csrf: csrfOf(form), many: many, title: many ? "Chọn ảnh cho bộ ảnh" : "Chọn ảnh đại diện" }, done);
  }

  function gallery(fieldset) {
    var form = fieldset.form || fieldset.closest("form");
    var list = fieldset.querySelector("ol");
    if (!list || !form) return;
    var live = el("p", { class: "visually-hidden", role: "status" });
    fieldset.appendChild(live);
    var serial = 1000;
    function rows() { return Array.prototype.slice.call(list.querySelectorAll("li.gallery-row")); }
    function renumber() {
      rows().forEach(function (row, i) {
        var label = row.querySelector("label");
        if (label) label.textContent = "Ảnh " + (i + 1);
        // The visible word first, then which picture: the name says what the button shows.
        row.querySelectorAll("button[data-move], button[data-clear]").forEach(function (b) {
          var which = b.querySelector(".visually-hidden") || b.appendChild(el("span", { class: "visually-hidden" }));
          which.textContent = " (ảnh " + (i + 1) + ")";
        });
      });
    }
    function move(row, up, focusWhich) {
      var other = up ? row.previousElementSibling : row.nextElementSibling;
      if (!other) return;
      if (up) list.insertBefore(row, other); else list.insertBefore(other, row);
      renumber();
      var pos = rows().indexOf(row) + 1;
      live.textContent = "Ảnh đã chuyển tới vị trí " + pos + ".";
      var b = row.querySelector('button[data-move="' + focusWhich + '"]');
      if (b) b.focus();
    }
    function decorate(row) {
      var select = row.querySelector("select");
      if (select) {
        thumbFor(select);
        select.addEventListener("change", function () { thumbFor(select); });
      }
      var tools = el("div", { class: "row-tools" });
      var up = el("button", { type: "button", "data-move": "up", class: "secondary" }, "Lên");
      var down = el("button", { type: "button", "data-move": "down", class: "secondary" }, "Xuống");
      var clear = el("button", { type: "button", class: "secondary", "data-clear": "" }, "Bỏ ảnh");
      up.addEventListener("click", function () { move(row, true, "up"); });
      down.addEventListener("click", function () { move(row, false, "down"); });
      clear.addEventListener("click", function () {
        row.querySelectorAll("input, select").forEach(function (f) { f.value = ""; });
        if (select) thumbFor(select);
        form.dispatchEvent(new Event("input"));
      });
      tools.appendChild(up);
      tools.appendChild(down);
      tools.appendChild(clear);
      row.appendChild(tools);
      row.draggable = true;
      row.addEventListener("dragstart", function (e) {
        if (e.target !== row) return;
        row.classList.add("dragging");
        e.dataTransfer.effectAllowed = "move";
        e.dataTransfer.setData("text/plain", "row");
      });
      row.addEventListener("dragend", function () { row.classList.remove("dragging"); renumber(); form.dispatchEvent(new Event("input")); });
      row.addEventListener("dragover", function (e) {
        var dragging = list.querySelector("li.dragging");
        if (!dragging || dragging === row) return;
        e.preventDefault();
        var box = row.getBoundingClientRect();
        var after = e.clientY > box.top + box.height / 2;
        list.insertBefore(dragging, after ? row.nextSibling : row);
      });
    }
    function addRow() {
      var last = rows()[rows().length - 1];
      var row = last.cloneNode(true);
      row.querySelectorAll(".row-tools, img.pick-thumb").forEach(function (n) { n.remove(); });
      serial += 1;
      row.querySelectorAll("input, select").forEach(function (f) {
        f.value = "";
        var id = f.id.replace(/-\d+$/, "-" + serial);
        row.querySelectorAll('label[for="' + f.id + '"]').forEach(function (l) { l.setAttribute("for", id); });
        f.id = id;
      });
      list.appendChild(row);
      decorate(row);
      renumber();
      return row;
    }
    function emptyRow() {
      return rows().find(function (r) { var s = r.querySelector("select"); return s && !s.value; }) || addRow();
    }
    rows().forEach(decorate);
    renumber();
    var bar = el("div", { class: "actions gallery-actions" });
    var pick = el("button", { type: "button" }, "Chọn ảnh từ thư viện…");
    var add = el("button", { type: "button", class: "secondary" }, "Thêm dòng ảnh");
    bar.appendChild(pick);
    bar.appendChild(add);
    list.parentNode.insertBefore(bar, list.nextSibling);
    var help = fieldset.querySelector(".gallery-help");
    if (help) help.textContent = "Kéo thả dòng, hoặc dùng nút Lên/Xuống, để đổi thứ tự. Bộ ảnh dài bao nhiêu cũng được; mỗi ảnh cần mô tả thay thế (alt).";
    add.addEventListener("click", function () { var r = addRow(); r.querySelector("select").focus(); });
    pick.addEventListener("click", function () {
      picker(form, fieldset.getAttribute("data-pick"), fieldset.getAttribute("data-upload"), true, function (picked) {
        var first = null;
        picked.forEach(function (it) {
          var row = emptyRow();
          choose(row.querySelector("select"), it);
          var alt = row.querySelector('input[name="gallery_alt"]');
          if (alt && !alt.value && it.alt) alt.value = it.alt;
          if (!first) first = row;
        });
        renumber();
        if (first) {
          var alt = first.querySelector('input[name="gallery_alt"]');
          (alt || first.querySelector("select")).focus();
          live.textContent = "Đã thêm " + picked.length + " ảnh vào bộ ảnh.";
        }
        form.dispatchEvent(new Event("input"));
      });
    });
  }

  function cover(select) {
    var form = select.form;
    thumbFor(select);
    select.addEventListener("change", function () { thumbFor(select); });
    var b = el("button", { type: "button", class: "secondary" }, "Chọn ảnh đại diện…");
    // After the select's thumbnail (thumbFor put it right after the select).
    select.parentNode.insertBefore(b, select.nextElementSibling.nextSibling);
    b.addEventListener("click", function () {
      picker(form, select.getAttribute("data-pick-one"), null, false, function (picked) {
        if (picked.length) choose(select, picked[0]);
        b.focus();
        form.dispatchEvent(new Event("input"));
      });
    });
  }

  function start() {
    if (!window.fetch || typeof HTMLDialogElement === "undefined" || !window.congPicker) return;
    document.querySelectorAll("fieldset.gallery-edit[data-pick]").forEach(gallery);
    document.querySelectorAll("select[data-pick-one]").forEach(cover);
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
