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
