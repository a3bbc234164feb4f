// Pictures in the body: upload one (toolbar, drop, paste) through the media library's JSON
// endpoint, or choose one already there with the shared picker; the dialog asks for the alt text (required), a
// caption and the size before the figure goes in.

// Sends one image file; resolves to {id, src, thumb, caption} or rejects with the server's
// Vietnamese message.
export function upload(cfg, file) {
  var body = new FormData();
  body.append("file", file, file.name || "anh-dan.png");
  return fetch(cfg.upload, {
    method: "POST",
    body: body,
    credentials: "same-origin",
    headers: { "X-CSRF-Token": cfg.csrf, Accept: "application/json" }
  }).then(function (r) {
    return r.json().catch(function () { return {}; }).then(function (j) {
      if (!r.ok) throw new Error(j.error || "Không tải được ảnh lên (mã " + r.status + ").");
      return j;
    });
  });
}

export function el(tag, attrs, text) {
  var e = document.createElement(tag);
  Object.keys(attrs || {}).forEach(function (k) { e.setAttribute(k, attrs[k]); });
  if (text) e.textContent = text;
  return e;
}

var count = 0;

// The picture dialog. `start`: a picture already chosen (uploaded by drop or paste, or the
// selected figure being edited); `done(attrs)` inserts or updates the figure.
export function pictureDialog(cfg, start, done) {
  var n = ++count;
  var dlg = el("dialog", { class: "editor-dialog", "aria-labelledby": "pic-title-" + n });
  var form = el("form", { method: "dialog" });
  form.appendChild(el("h2", { id: "pic-title-" + n }, start && start.edit ? "Sửa ảnh" : "Chèn ảnh"));
  var chosen = Object.assign({ src: "", alt: "", caption: "", size: "" }, start || {});
  var preview = el("img", { class: "editor-preview", alt: "", hidden: "" });
  var status = el("p", { class: "editor-status", role: "status" });
  var error = el("p", { class: "editor-error", role: "alert" });
  function show() {
    if (chosen.src) {
      preview.src = chosen.src;
      preview.hidden = false;
    }
  }
  if (!chosen.src) {
    var fl = el("label", { for: "pic-file-" + n }, "Tải ảnh mới lên");
    var file = el("input", { id: "pic-file-" + n, type: "file", accept: "image/jpeg,image/png,image/webp,image/gif" });
    file.addEventListener("change", function () {
      if (!file.files[0]) return;
      status.textContent = "Đang tải ảnh lên…";
      error.textContent = "";
      upload(cfg, file.files[0]).then(function (m) {
        chosen.src = m.src;
        status.textContent = "Đã tải lên.";
        show();
      }, function (e) {
        status.textContent = "";
        error.textContent = e.message;
      });
    });
    form.append(fl, file);
    // The library through the shared picker (media-picker.js, loaded on every back-office page).
    var lib = el("button", { type: "button", class: "secondary" }, "Chọn trong thư viện ảnh…");
    lib.addEventListener("click", function () {
      if (!window.congPicker) return;
      window.congPicker({ kind: "image", url: cfg.pick, upload: cfg.upload, csrf: cfg.csrf, many: false, title: "Chọn ảnh chèn vào bài" }, function (picked) {
        var m = picked[0];
        if (!m) return lib.focus();
        chosen.src = m.src;
        if (!alt.value) alt.value = m.alt || "";
        show();
        alt.focus();
      });
    });
    form.append(lib);
  }
  form.append(preview, status);
  var al = el("label", { for: "pic-alt-" + n }, "Mô tả ảnh cho người không xem được ảnh (bắt buộc)");
  var alt = el("input", { id: "pic-alt-" + n, required: "", value: chosen.alt });
  var cl = el("label", { for: "pic-cap-" + n }, "Chú thích");
  var cap = el("input", { id: "pic-cap-" + n, value: chosen.caption });
  var zl = el("label", { for: "pic-size-" + n }, "Cỡ và vị trí");
  var size = el("select", { id: "pic-size-" + n });
  [["", "Vừa cột chữ"], ["wide", "Rộng"], ["left", "Bên trái"], ["right", "Bên phải"]].forEach(function (o) {
    var opt = el("option", { value: o[0] }, o[1]);
    if (o[0] === chosen.size) opt.selected = true;
    size.appendChild(opt);
  });
  form.append(al, alt, cl, cap, zl, size, error);
  var ok = el("button", { type: "submit", value: "ok" }, start && start.edit ? "Lưu ảnh" : "Chèn ảnh");
  var cancel = el("button", { type: "button" }, "Huỷ");
  var actions = el("p", { class: "editor-actions" });
  actions.append(ok, cancel);
  form.appendChild(actions);
  dlg.appendChild(form);
  cancel.addEventListener("click", function () { dlg.close(); });
  form.addEventListener("submit", function (e) {
    e.preventDefault();
    if (!chosen.src) {
      error.textContent = "Chọn hoặc tải lên một ảnh.";
      return;
    }
    if (!alt.value.trim()) {
      error.textContent = "Nhập mô tả ảnh: người dùng trình đọc màn hình cần nó.";
      alt.focus();
      return;
    }
    dlg.close();
    done({ src: chosen.src, alt: alt.value.trim(), caption: cap.value.trim(), size: size.value });
  });
  dlg.addEventListener("close", function () { dlg.remove(); });
  document.body.appendChild(dlg);
  dlg.showModal();
  show();
  (chosen.src ? alt : dlg.querySelector("input")).focus();
}

// A short dialog with one field (a link's or a video's address); `check(value)` returns an
// error message or null.
export function askDialog(title, label, value, check, done) {
  var n = ++count;
  var dlg = el("dialog", { class: "editor-dialog", "aria-labelledby": "ask-title-" + n });
  var form = el("form", { method: "dialog" });
  var input = el("input", { id: "ask-" + n, type: "text", inputmode: "url", value: value || "" });
  var error = el("p", { class: "editor-error", role: "alert" });
  var ok = el("button", { type: "submit" }, "Đồng ý");
  var cancel = el("button", { type: "button" }, "Huỷ");
  var actions = el("p", { class: "editor-actions" });
  actions.append(ok, cancel);
  form.append(el("h2", { id: "ask-title-" + n }, title), el("label", { for: "ask-" + n }, label), input, error, actions);
  dlg.appendChild(form);
  cancel.addEventListener("click", function () { dlg.close(); });
  form.addEventListener("submit", function (e) {
    e.preventDefault();
    var problem = check(input.value.trim());
    if (problem) {
      error.textContent = problem;
      input.focus();
      return;
    }
    dlg.close();
    done(input.value.trim());
  });
  dlg.addEventListener("close", function () { dlg.remove(); });
  document.body.appendChild(dlg);
  dlg.showModal();
  input.focus();
}
