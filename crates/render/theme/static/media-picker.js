// cong back office: the media picker, one dialog of thumbnails for every place that takes a
// picture or a video (the cover, the gallery, the editor's picture and video dialogs):
// search as the library's, upload from inside it, one or several chosen. Exposed as
// window.congPicker(options, done). And the poster frame of a video: drawn by the browser
// from the chosen file before it is sent, so the server never has to decode video. Also
// window.congEl(tag, attrs, text), the element maker admin.js shares (loaded after this).
(function () {
  "use strict";
  function el(tag, attrs, text) {
    var e = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (k) { e.setAttribute(k, attrs[k]); });
    if (text) e.textContent = text;
    return e;
  }

  // A JPEG of the frame a second into the video (or a third of the way into a short one);
  // resolves to null when the browser cannot play the file.
  function posterOf(file) {
    return new Promise(function (resolve) {
      if (!window.URL || !URL.createObjectURL) return resolve(null);
      var url = URL.createObjectURL(file);
      var video = document.createElement("video");
      var done = false;
      function finish(blob) {
        if (done) return;
        done = true;
        URL.revokeObjectURL(url);
        resolve(blob);
      }
      video.muted = true;
      video.preload = "auto";
      video.addEventListener("error", function () { finish(null); });
      video.addEventListener("loadedmetadata", function () {
        var d = isFinite(video.duration) ? video.duration : 0;
        video.currentTime = Math.min(1, d / 3);
      });
      video.addEventListener("seeked", function () {
        var w = video.videoWidth, h = video.videoHeight;
        if (!w || !h) return finish(null);
        var scale = Math.min(1, 1600 / w);
        var canvas = document.createElement("canvas");
        canvas.width = Math.round(w * scale);
        canvas.height = Math.round(h * scale);
        canvas.getContext("2d").drawImage(video, 0, 0, canvas.width, canvas.height);
        canvas.toBlob(function (b) { finish(b); }, "image/jpeg", 0.85);
      });
      setTimeout(function () { finish(null); }, 15000);
      video.src = url;
    });
  }

  // Sends a video with its poster frame (or a picture) to a JSON upload endpoint.
  function send(opts, file) {
    var video = opts.kind === "video";
    return (video ? posterOf(file) : Promise.resolve(null)).then(function (poster) {
      var data = new FormData();
      data.append("file", file);
      if (video) data.append("title", file.name.replace(/\.[^.]+$/, ""));
      if (poster) data.append("poster", poster, "khung-hinh.jpg");
      return fetch(opts.upload, { method: "POST", body: data, credentials: "same-origin", headers: { "X-CSRF-Token": opts.csrf, Accept: "application/json" } })
        .then(function (r) { return r.json().catch(function () { return {}; }).then(function (j) { return { ok: r.ok, j: j, status: r.status }; }); });
    });
  }

  // The picker. options: kind ("image" or "video"), url (the JSON list), upload (the JSON
  // upload, or none), csrf, many (several may be chosen), title. `done(items)`.
  function picker(opts, done) {
    var video = opts.kind === "video";
    var noun = video ? "video" : "ảnh";
    var dialog = el("dialog", { class: "media-picker", "aria-labelledby": "picker-title" });
    dialog.appendChild(el("h2", { id: "picker-title" }, opts.title || (video ? "Chọn video" : "Chọn ảnh")));
    var searchLabel = el("label", { for: "picker-q" }, video ? "Tìm theo tên video" : "Tìm theo tên hoặc chú thích");
    var search = el("input", { id: "picker-q", type: "search" });
    dialog.appendChild(searchLabel);
    dialog.appendChild(search);
    var status = el("p", { class: "picker-status", role: "status" });
    if (opts.upload) {
      dialog.appendChild(el("label", { for: "picker-upload" }, video ? "Hoặc tải video mới lên (MP4, WebM)" : "Hoặc tải ảnh mới lên"));
      var file = el("input", { id: "picker-upload", type: "file", accept: video ? "video/mp4,video/webm" : "image/*" });
      if (opts.many) file.multiple = true;
      dialog.appendChild(file);
      file.addEventListener("change", function () {
        Array.prototype.forEach.call(file.files, function (f) {
          status.textContent = "Đang tải " + noun + " lên…";
          send(opts, f).then(function (r) {
            if (!r.ok) { status.textContent = (r.j && r.j.error) || "Không tải lên được (mã " + r.status + ")."; return; }
            if (!opts.many) chosen = {};
            items.unshift(r.j);
            chosen[String(r.j.id)] = r.j;
            draw();
          }).catch(function () { status.textContent = "Không tải lên được."; });
        });
      });
    }
    var grid = el("ul", { class: "picker-grid" });
    dialog.appendChild(status);
    dialog.appendChild(grid);
    var actions = el("div", { class: "actions" });
    var ok = el("button", { type: "button" }, opts.many ? "Thêm " + noun + " đã chọn" : "Chọn");
    var cancel = el("button", { type: "button", class: "secondary" }, "Huỷ");
    actions.appendChild(ok);
    actions.appendChild(cancel);
    dialog.appendChild(actions);
    var items = [];
    var chosen = {};
    function draw() {
      grid.textContent = "";
      items.forEach(function (it) {
        var li = el("li");
        var b = el("button", { type: "button", class: "picker-item", "aria-pressed": chosen[String(it.id)] ? "true" : "false" });
        if (it.thumb || !video) {
          b.appendChild(el("img", { src: it.thumb || it.src, alt: "", loading: "lazy", width: "120", height: "80" }));
        } else {
          b.appendChild(el("span", { class: "video-tile", "aria-hidden": "true" }, "▶"));
        }
        var label = it.caption || it.name || ("#" + it.id);
        b.appendChild(el("span", {}, video && it.length ? label + " (" + it.length + ")" : label));
        b.addEventListener("click", function () {
          var key = String(it.id);
          if (!opts.many) chosen = {};
          if (chosen[key]) delete chosen[key]; else chosen[key] = it;
          draw();
          grid.querySelectorAll("button")[items.indexOf(it)].focus();
        });
        li.appendChild(b);
        grid.appendChild(li);
      });
      var n = Object.keys(chosen).length;
      status.textContent = items.length ? (n ? "Đã chọn " + n + " " + noun + "." : items.length + " " + noun + ".") : "Không có " + noun + " nào.";
    }
    var timer = null;
    function load() {
      fetch(opts.url + "?q=" + encodeURIComponent(search.value.trim()), { credentials: "same-origin" })
        .then(function (r) { return r.ok ? r.json() : []; })
        .then(function (list) { items = list; draw(); })
        .catch(function () { status.textContent = "Không tải được thư viện."; });
    }
    search.addEventListener("input", function () { clearTimeout(timer); timer = setTimeout(load, 250); });
    function close() { dialog.close(); dialog.remove(); }
    cancel.addEventListener("click", close);
    dialog.addEventListener("cancel", function () { dialog.remove(); });
    ok.addEventListener("click", function () {
      var picked = Object.keys(chosen).map(function (k) { return chosen[k]; });
      close();
      done(picked);
    });
    document.body.appendChild(dialog);
    dialog.showModal();
    search.focus();
    load();
  }
  window.congPicker = picker;
  window.congEl = el;

  // The library's upload form: when no poster was chosen, the chosen video's frame goes in
  // the poster field before the form is sent (the form works the same without a script).
  function posterField(form) {
    var video = form.querySelector('input[name="file"]');
    var poster = form.querySelector('input[name="poster"]');
    var note = form.querySelector("#poster-status");
    if (!video || !poster || !window.DataTransfer) return;
    video.addEventListener("change", function () {
      if (!video.files[0] || (poster.files[0] && poster.dataset.auto !== "1")) return;
      if (note) note.textContent = "Đang lấy khung hình làm ảnh đại diện…";
      posterOf(video.files[0]).then(function (blob) {
        if (!blob) {
          if (note) note.textContent = "Trình duyệt không đọc được video này để lấy khung hình; có thể chọn ảnh đại diện.";
          return;
        }
        var dt = new DataTransfer();
        dt.items.add(new File([blob], "khung-hinh.jpg", { type: "image/jpeg" }));
        poster.files = dt.files;
        poster.dataset.auto = "1";
        if (note) note.textContent = "Đã lấy một khung hình của video làm ảnh đại diện.";
      });
    });
    poster.addEventListener("change", function () { poster.dataset.auto = ""; });
  }

  function start() {
    document.querySelectorAll("form[data-video-upload]").forEach(posterField);
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
