// cong back office: the rich-text editor (Quill, vendored) on textareas marked data-editor.
// Without JavaScript the textarea stays and the form works the same; the server sanitizes
// whatever arrives either way.
(function () {
  "use strict";
  function start() {
    if (typeof Quill === "undefined") return;
    document.querySelectorAll("textarea[data-editor]").forEach(function (area) {
      var holder = document.createElement("div");
      holder.className = "editor";
      area.parentNode.insertBefore(holder, area.nextSibling);
      var editor = new Quill(holder, {
        theme: "snow",
        modules: {
          toolbar: [
            [{ header: [2, 3, false] }],
            ["bold", "italic", "underline", "link", "blockquote"],
            [{ list: "ordered" }, { list: "bullet" }],
            ["clean"]
          ]
        }
      });
      editor.clipboard.dangerouslyPasteHTML(area.value);
      area.hidden = true;
      var label = document.querySelector('label[for="' + area.id + '"]');
      if (label) {
        editor.root.setAttribute("aria-labelledby", label.id || (label.id = area.id + "-label"));
      }
      editor.root.setAttribute("role", "textbox");
      editor.root.setAttribute("aria-multiline", "true");
      // Pickers are drawn as spans; give them names screen readers can say.
      holder.parentNode.querySelectorAll(".ql-picker-label").forEach(function (el) {
        el.setAttribute("aria-label", "Kiểu đoạn văn");
      });
      area.form.addEventListener("submit", function () {
        // innerHTML rather than getSemanticHTML, which turns every space into &nbsp;.
        area.value = editor.root.innerHTML;
      });
    });
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();

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
