// cong back office: the rich-text editor (Tiptap) on textareas marked data-editor. Without
// JavaScript the textarea stays and the form works the same; the server sanitizes whatever
// arrives either way. The textarea is kept in step on every change, with an `input` event,
// so whatever listens to it (autosave) sees the editor's text.
import { Editor } from "@tiptap/core";
import StarterKit from "@tiptap/starter-kit";
import { TableRow, TableHeader, TableCell } from "@tiptap/extension-table";
import { Figure, Video, LocalVideo, PlainTable } from "./nodes.js";
import { upload, pictureDialog, askDialog } from "./pictures.js";
import { videoDialog } from "./videos.js";

function imageFiles(list) {
  return Array.prototype.filter.call(list || [], function (f) { return /^image\//.test(f.type); });
}

function attach(area) {
  var cfg = {
    upload: area.dataset.upload,
    pick: area.dataset.pick,
    videoUpload: area.dataset.videoUpload,
    videoPick: area.dataset.videoPick,
    csrf: area.dataset.csrf
  };
  var wrap = document.createElement("div");
  wrap.className = "editor";
  var bar = document.createElement("div");
  bar.className = "editor-toolbar";
  bar.setAttribute("role", "toolbar");
  bar.setAttribute("aria-label", "Định dạng nội dung");
  var holder = document.createElement("div");
  var note = document.createElement("p");
  note.className = "editor-status";
  note.setAttribute("role", "status");
  wrap.append(bar, holder, note);
  area.parentNode.insertBefore(wrap, area.nextSibling);
  var label = document.querySelector('label[for="' + area.id + '"]');
  if (label && !label.id) label.id = area.id + "-label";

  // A picture dropped or pasted: uploaded at once, then the dialog asks for its alt text.
  function takeFiles(files) {
    if (!files.length || !cfg.upload) return false;
    note.textContent = "Đang tải ảnh lên…";
    upload(cfg, files[0]).then(function (m) {
      note.textContent = "";
      pictureDialog(cfg, { src: m.src, alt: m.caption || "" }, function (attrs) {
        editor.chain().focus().insertContent({ type: "figure", attrs: attrs }).run();
      });
    }, function (e) {
      note.textContent = e.message;
    });
    return true;
  }

  var editor = new Editor({
    element: holder,
    // Its own rules are in admin.css: the policy allows no inline style.
    injectCSS: false,
    extensions: [
      StarterKit.configure({
        heading: { levels: [2, 3] },
        code: false,
        codeBlock: false,
        link: { openOnClick: false, HTMLAttributes: { target: null, rel: null, class: null } }
      }),
      PlainTable,
      TableRow,
      TableHeader,
      TableCell,
      Figure,
      Video,
      LocalVideo
    ],
    content: area.value,
    editorProps: {
      attributes: {
        class: "editor-body",
        role: "textbox",
        "aria-multiline": "true",
        "aria-labelledby": label ? label.id : ""
      },
      handlePaste: function (view, event) {
        var files = imageFiles(event.clipboardData && event.clipboardData.files);
        if (!files.length) return false;
        event.preventDefault();
        return takeFiles(files);
      },
      handleDrop: function (view, event) {
        var files = imageFiles(event.dataTransfer && event.dataTransfer.files);
        if (!files.length) return false;
        event.preventDefault();
        return takeFiles(files);
      }
    },
    onUpdate: function () {
      area.value = editor.getHTML();
      area.dispatchEvent(new Event("input", { bubbles: true }));
    }
  });
  area.hidden = true;

  var buttons = [];
  function button(text, title, run, active) {
    var b = document.createElement("button");
    b.type = "button";
    b.textContent = text;
    b.title = title;
    b.setAttribute("aria-label", title);
    b.addEventListener("click", function () { run(); });
    if (active) buttons.push([b, active]);
    bar.appendChild(b);
    return b;
  }
  function group() {
    var s = document.createElement("span");
    s.className = "editor-sep";
    s.setAttribute("aria-hidden", "true");
    bar.appendChild(s);
  }
  var chain = function () { return editor.chain().focus(); };
  // A new block goes after a selected picture or video, not over it.
  function insertBlock(content) {
    var sel = editor.state.selection;
    if (sel.node) chain().insertContentAt(sel.to, content).run();
    else chain().insertContent(content).run();
  }
  button("Đoạn", "Đoạn văn thường", function () { chain().setParagraph().run(); }, function () { return editor.isActive("paragraph"); });
  button("Tiêu đề", "Tiêu đề mục", function () { chain().toggleHeading({ level: 2 }).run(); }, function () { return editor.isActive("heading", { level: 2 }); });
  button("Tiêu đề nhỏ", "Tiêu đề nhỏ", function () { chain().toggleHeading({ level: 3 }).run(); }, function () { return editor.isActive("heading", { level: 3 }); });
  group();
  button("Đ", "Chữ đậm", function () { chain().toggleBold().run(); }, function () { return editor.isActive("bold"); });
  button("N", "Chữ nghiêng", function () { chain().toggleItalic().run(); }, function () { return editor.isActive("italic"); });
  button("G", "Gạch chân", function () { chain().toggleUnderline().run(); }, function () { return editor.isActive("underline"); });
  button("Liên kết", "Chèn hoặc sửa liên kết", function () {
    askDialog("Liên kết", "Địa chỉ liên kết (để trống để bỏ liên kết)", editor.getAttributes("link").href, function () { return null; }, function (href) {
      if (href) chain().extendMarkRange("link").setLink({ href: href }).run();
      else chain().extendMarkRange("link").unsetLink().run();
    });
  }, function () { return editor.isActive("link"); });
  button("Trích dẫn", "Đoạn trích dẫn", function () { chain().toggleBlockquote().run(); }, function () { return editor.isActive("blockquote"); });
  button("Đánh số", "Danh sách đánh số", function () { chain().toggleOrderedList().run(); }, function () { return editor.isActive("orderedList"); });
  button("Gạch đầu dòng", "Danh sách gạch đầu dòng", function () { chain().toggleBulletList().run(); }, function () { return editor.isActive("bulletList"); });
  group();
  if (cfg.upload) {
    button("Ảnh", "Chèn ảnh", function () {
      var edit = editor.isActive("figure") ? Object.assign({ edit: true }, editor.getAttributes("figure")) : null;
      pictureDialog(cfg, edit, function (attrs) {
        if (edit) chain().updateAttributes("figure", attrs).run();
        else insertBlock({ type: "figure", attrs: attrs });
      });
    });
  }
  button("Video", "Chèn video", function () {
    videoDialog(cfg, insertBlock);
  });
  group();
  button("Bảng", "Chèn bảng", function () { chain().insertTable({ rows: 3, cols: 3, withHeaderRow: true }).run(); });
  var inTable = function () { return editor.isActive("table"); };
  var tableOnly = [];
  tableOnly.push(button("+ Hàng", "Thêm hàng", function () { chain().addRowAfter().run(); }));
  tableOnly.push(button("+ Cột", "Thêm cột", function () { chain().addColumnAfter().run(); }));
  tableOnly.push(button("− Hàng", "Xoá hàng", function () { chain().deleteRow().run(); }));
  tableOnly.push(button("− Cột", "Xoá cột", function () { chain().deleteColumn().run(); }));
  tableOnly.push(button("Hàng tiêu đề", "Bật hoặc tắt hàng tiêu đề", function () { chain().toggleHeaderRow().run(); }));
  tableOnly.push(button("Xoá bảng", "Xoá bảng", function () { chain().deleteTable().run(); }));
  group();
  button("↶", "Hoàn tác", function () { chain().undo().run(); });
  button("↷", "Làm lại", function () { chain().redo().run(); });

  function refresh() {
    buttons.forEach(function (p) { p[0].setAttribute("aria-pressed", p[1]() ? "true" : "false"); });
    var t = inTable();
    tableOnly.forEach(function (b) { b.disabled = !t; });
  }
  editor.on("selectionUpdate", refresh);
  editor.on("transaction", refresh);
  refresh();
  area.form.addEventListener("submit", function () { area.value = editor.getHTML(); });
  area.editor = editor;
}

function start() {
  document.querySelectorAll("textarea[data-editor]").forEach(attach);
}
if (document.readyState === "loading") {
  document.addEventListener("DOMContentLoaded", start);
} else {
  start();
}
