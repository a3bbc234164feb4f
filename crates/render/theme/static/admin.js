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
