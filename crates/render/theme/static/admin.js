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
