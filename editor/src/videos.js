// Videos in the body: one of the library's (chosen, or uploaded with its poster frame, through
// the shared picker) or a YouTube link (its no-cookie player); the dialog asks for the title
// shown under it.
import { youtubeEmbed } from "./nodes.js";
import { el } from "./pictures.js";

var count = 0;

// `done(content)` inserts the node: a `localVideo` or a YouTube `video`.
export function videoDialog(cfg, done) {
  var n = ++count;
  var dlg = el("dialog", { class: "editor-dialog", "aria-labelledby": "vid-title-" + n });
  var form = el("form", { method: "dialog" });
  form.appendChild(el("h2", { id: "vid-title-" + n }, "Chèn video"));
  var chosen = null;
  var shown = el("p", { class: "editor-status", role: "status" });
  var error = el("p", { class: "editor-error", role: "alert" });
  var tl = el("label", { for: "vid-name-" + n }, "Tên video (hiện dưới video)");
  var title = el("input", { id: "vid-name-" + n });
  if (cfg.videoPick) {
    var lib = el("button", { type: "button", class: "secondary" }, "Chọn hoặc tải video lên…");
    lib.addEventListener("click", function () {
      if (!window.congPicker) return;
      window.congPicker({ kind: "video", url: cfg.videoPick, upload: cfg.videoUpload, csrf: cfg.csrf, many: false, title: "Chọn video" }, function (picked) {
        chosen = picked[0] || chosen;
        if (chosen) {
          shown.textContent = "Đã chọn: " + (chosen.title || chosen.name) + (chosen.length ? " (" + chosen.length + ")" : "") + ".";
          if (!title.value) title.value = chosen.title || "";
          yt.value = "";
          title.focus();
        } else {
          lib.focus();
        }
      });
    });
    form.append(el("p", {}, "Video của cổng (tải lên MP4 hoặc WebM):"), lib, shown);
  }
  var yl = el("label", { for: "vid-yt-" + n }, "Hoặc địa chỉ video trên YouTube");
  var yt = el("input", { id: "vid-yt-" + n, type: "text", inputmode: "url" });
  yt.addEventListener("input", function () {
    if (yt.value.trim()) {
      chosen = null;
      shown.textContent = "";
    }
  });
  form.append(yl, yt, tl, title, error);
  var ok = el("button", { type: "submit" }, "Chèn video");
  var cancel = el("button", { type: "button" }, "Huỷ");
  var actions = el("p", { class: "editor-actions" });
  actions.append(ok, cancel);
  form.appendChild(actions);
  dlg.appendChild(form);
  cancel.addEventListener("click", function () { dlg.close(); });
  form.addEventListener("submit", function (e) {
    e.preventDefault();
    var name = title.value.trim();
    if (chosen) {
      dlg.close();
      done({ type: "localVideo", attrs: { src: chosen.src, poster: chosen.poster || "", title: name } });
      return;
    }
    var link = yt.value.trim();
    if (!link) {
      error.textContent = "Chọn một video của cổng hoặc nhập địa chỉ YouTube.";
      return;
    }
    var src = youtubeEmbed(link);
    if (!src) {
      error.textContent = "Chỉ nhận địa chỉ video YouTube (youtube.com hoặc youtu.be).";
      yt.focus();
      return;
    }
    dlg.close();
    done({ type: "video", attrs: { src: src, title: name || "Video YouTube" } });
  });
  dlg.addEventListener("close", function () { dlg.remove(); });
  document.body.appendChild(dlg);
  dlg.showModal();
  (lib || yt).focus();
}
