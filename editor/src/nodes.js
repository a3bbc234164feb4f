// The body's own blocks: a figure (picture, required alt text, caption, theme size), a
// YouTube video, and a video of the library played by the browser. All are atoms, edited through the toolbar's dialogs, and written out
// exactly as the server's allow-list keeps them, so a save reports nothing removed.
import { Node, mergeAttributes } from "@tiptap/core";
import { Table } from "@tiptap/extension-table";

export const YOUTUBE_EMBED = "https://www.youtube-nocookie.com/embed/";
const SIZES = ["wide", "left", "right"];

// The no-cookie player address of a YouTube link (watch, youtu.be, embed, shorts, live).
export function youtubeEmbed(url) {
  var m = /^https?:\/\/(?:(?:www\.|m\.)?youtube(?:-nocookie)?\.com\/(?:embed\/|shorts\/|live\/|watch\?(?:[^#]*&)?v=)|youtu\.be\/)([A-Za-z0-9_-]{11})(?:[?&#/]|$)/.exec(
    (url || "").trim()
  );
  return m ? YOUTUBE_EMBED + m[1] : null;
}

export const Figure = Node.create({
  name: "figure",
  group: "block",
  atom: true,
  draggable: true,
  selectable: true,
  addAttributes() {
    return { src: { default: "" }, alt: { default: "" }, caption: { default: "" }, size: { default: "" } };
  },
  parseHTML() {
    return [
      {
        tag: "figure",
        getAttrs(el) {
          var img = el.querySelector("img");
          if (!img) return false;
          var cap = el.querySelector("figcaption");
          return {
            src: img.getAttribute("src") || "",
            alt: img.getAttribute("alt") || "",
            caption: cap ? cap.textContent.trim() : "",
            size: SIZES.find(function (s) { return el.classList.contains(s); }) || ""
          };
        }
      },
      {
        tag: "img[src]",
        getAttrs(el) {
          return { src: el.getAttribute("src"), alt: el.getAttribute("alt") || "", caption: "", size: "" };
        }
      }
    ];
  },
  renderHTML({ node }) {
    var a = node.attrs;
    var out = ["figure", a.size ? { class: a.size } : {}, ["img", { src: a.src, alt: a.alt }]];
    if (a.caption) out.push(["figcaption", {}, a.caption]);
    return out;
  },
  addNodeView() {
    return function (props) {
      var a = props.node.attrs;
      var dom = document.createElement("figure");
      dom.className = "editor-figure" + (a.size ? " " + a.size : "");
      var img = document.createElement("img");
      img.src = a.src;
      img.alt = a.alt;
      dom.appendChild(img);
      var cap = document.createElement("figcaption");
      cap.textContent = a.caption || "(chưa có chú thích)";
      dom.appendChild(cap);
      return { dom: dom };
    };
  }
});

export const Video = Node.create({
  name: "video",
  group: "block",
  atom: true,
  draggable: true,
  selectable: true,
  addAttributes() {
    return { src: { default: "" }, title: { default: "Video YouTube" } };
  },
  parseHTML() {
    return [
      {
        tag: "iframe[src]",
        getAttrs(el) {
          var src = youtubeEmbed(el.getAttribute("src"));
          return src ? { src: src, title: el.getAttribute("title") || "Video YouTube" } : false;
        }
      }
    ];
  },
  renderHTML({ node }) {
    return [
      "iframe",
      mergeAttributes({
        src: node.attrs.src,
        title: node.attrs.title,
        loading: "lazy",
        allowfullscreen: "",
        referrerpolicy: "strict-origin-when-cross-origin"
      })
    ];
  },
  // The back office does not load the player (its policy allows no frames): a box says
  // which video it is.
  addNodeView() {
    return function (props) {
      var dom = document.createElement("div");
      dom.className = "editor-video";
      dom.textContent = "▶ " + props.node.attrs.title + " — " + props.node.attrs.src.replace(YOUTUBE_EMBED, "youtu.be/");
      return { dom: dom };
    };
  }
});

// A video of the library (`/media/{hash}.mp4|webm`), with its poster frame and its title
// as the caption: the browser's own player, nothing from elsewhere.
export const LocalVideo = Node.create({
  name: "localVideo",
  group: "block",
  atom: true,
  draggable: true,
  selectable: true,
  addAttributes() {
    return { src: { default: "" }, poster: { default: "" }, title: { default: "" } };
  },
  parseHTML() {
    function attrs(v, cap) {
      return {
        src: v.getAttribute("src"),
        poster: v.getAttribute("poster") || "",
        title: v.getAttribute("title") || (cap ? cap.textContent.trim() : "")
      };
    }
    return [
      {
        tag: "figure",
        getAttrs(el) {
          var v = el.querySelector("video[src]");
          return v ? attrs(v, el.querySelector("figcaption")) : false;
        }
      },
      { tag: "video[src]", getAttrs(el) { return attrs(el, null); } }
    ];
  },
  renderHTML({ node }) {
    var a = node.attrs;
    var v = { src: a.src, controls: "", preload: "metadata" };
    if (a.poster) v.poster = a.poster;
    if (a.title) v.title = a.title;
    var out = ["figure", {}, ["video", v]];
    if (a.title) out.push(["figcaption", {}, a.title]);
    return out;
  },
  addNodeView() {
    return function (props) {
      var a = props.node.attrs;
      var dom = document.createElement("figure");
      dom.className = "editor-figure";
      var v = document.createElement("video");
      v.src = a.src;
      if (a.poster) v.poster = a.poster;
      v.controls = true;
      v.preload = "metadata";
      dom.appendChild(v);
      var cap = document.createElement("figcaption");
      cap.textContent = a.title || "(chưa có tên video)";
      dom.appendChild(cap);
      return { dom: dom };
    };
  }
});

// A table as the allow-list keeps it: no inline widths, no colgroup.
export const PlainTable = Table.extend({
  renderHTML() {
    return ["table", {}, ["tbody", 0]];
  }
}).configure({ resizable: false });
