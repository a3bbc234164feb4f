//! The theme's static files, served under names that carry a hash of their content, so a
//! browser may keep them for a year and still never use a stale one.

use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::{Arc, OnceLock};

/// One static file, ready to serve.
#[derive(Debug, Clone)]
pub struct Asset {
    pub bytes: Vec<u8>,
    pub content_type: &'static str,
    /// The hashed name, as in `/static/site.1a2b3c4d5e.css`.
    pub hashed_name: String,
    /// A strong ETag (the content hash).
    pub etag: String,
    /// The compressed forms, made once in the background after start.
    packed: OnceLock<Packed>,
}

/// A text file's compressed forms, each kept only when smaller than the file itself.
#[derive(Debug, Clone, Default)]
pub struct Packed {
    pub gzip: Option<Vec<u8>>,
    pub br: Option<Vec<u8>>,
}

impl Asset {
    /// Text worth compressing (the other types are compressed already, or tiny).
    pub fn compressible(&self) -> bool {
        (self.content_type.starts_with("text/") || self.content_type == "image/svg+xml")
            && self.bytes.len() >= 256
    }

    /// The compressed forms, once made; `None` until then (serve the plain bytes).
    pub fn packed(&self) -> Option<&Packed> {
        self.packed.get()
    }
}

/// gzip and brotli at their best levels: paid once per file, off the request path.
fn precompress(asset: &Asset) -> Packed {
    use std::io::Write;
    if !asset.compressible() {
        return Packed::default();
    }
    let bytes = &asset.bytes[..];
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
    let gzip = gz.write_all(bytes).and_then(|()| gz.finish()).ok();
    let mut br = Vec::new();
    let params = brotli::enc::BrotliEncoderParams {
        quality: 11,
        ..Default::default()
    };
    let brotli = brotli::BrotliCompress(&mut &bytes[..], &mut br, &params)
        .ok()
        .map(|_| br);
    let smaller = |v: Option<Vec<u8>>| v.filter(|c| c.len() < bytes.len());
    Packed {
        gzip: smaller(gzip),
        br: smaller(brotli),
    }
}

/// Every static file of the theme, by plain name and by hashed name.
#[derive(Debug, Default)]
pub struct Assets {
    by_name: HashMap<String, Asset>,
    by_hashed: HashMap<String, String>,
}

fn content_type(name: &str) -> &'static str {
    match name.rsplit('.').next().unwrap_or("") {
        "css" => "text/css; charset=utf-8",
        "js" => "text/javascript; charset=utf-8",
        "svg" => "image/svg+xml",
        "png" => "image/png",
        "jpg" | "jpeg" => "image/jpeg",
        "webp" => "image/webp",
        "ico" => "image/x-icon",
        "woff2" => "font/woff2",
        "txt" => "text/plain; charset=utf-8",
        _ => "application/octet-stream",
    }
}

impl Assets {
    /// The embedded static files, each replaced by the theme folder's copy if it has one.
    pub fn load(theme_dir: Option<&PathBuf>) -> Assets {
        let mut assets = Assets::default();
        let names: Vec<String> = super::Theme::iter()
            .filter_map(|p| p.strip_prefix("static/").map(str::to_owned))
            .collect();
        let mut extra = Vec::new();
        if let Some(dir) = theme_dir
            && let Ok(entries) = std::fs::read_dir(dir.join("static"))
        {
            for e in entries.flatten() {
                let name = e.file_name().to_string_lossy().into_owned();
                if e.path().is_file() && !names.contains(&name) {
                    extra.push(name);
                }
            }
        }
        for name in names.into_iter().chain(extra) {
            if let Some(bytes) = super::theme_file(theme_dir, &format!("static/{name}")) {
                assets.insert(name, bytes);
            }
        }
        assets
    }

    fn insert(&mut self, name: String, bytes: Vec<u8>) {
        let hash = blake3::hash(&bytes).to_hex();
        let short = &hash.as_str()[..10];
        let hashed_name = match name.rsplit_once('.') {
            Some((stem, ext)) => format!("{stem}.{short}.{ext}"),
            None => format!("{name}.{short}"),
        };
        self.by_hashed.insert(hashed_name.clone(), name.clone());
        self.by_name.insert(
            name.clone(),
            Asset {
                content_type: content_type(&name),
                etag: format!("\"{short}\""),
                hashed_name,
                bytes,
                packed: OnceLock::new(),
            },
        );
    }

    /// Compresses the text files: the small ones at once (milliseconds), the large ones
    /// (the editor's script: brotli at its best level takes a good part of a second) on a
    /// thread of their own, so start-up does not wait for them. Until then a large file is
    /// served plain.
    pub fn pack(self: &Arc<Self>) {
        const AT_ONCE: usize = 64 * 1024;
        let mut large = Vec::new();
        for (name, a) in &self.by_name {
            if a.bytes.len() <= AT_ONCE {
                a.packed.get_or_init(|| precompress(a));
            } else {
                large.push(name.clone());
            }
        }
        if large.is_empty() {
            return;
        }
        let assets = Arc::clone(self);
        let spawned = std::thread::Builder::new()
            .name("cong-assets".to_owned())
            .spawn(move || {
                for a in large.iter().filter_map(|n| assets.by_name.get(n)) {
                    a.packed.get_or_init(|| precompress(a));
                }
            });
        if let Err(e) = spawned {
            tracing::warn!(error = %e, "large static files will be compressed on the fly");
        }
    }

    /// The URL of a static file by its plain name.
    pub fn url(&self, name: &str) -> Option<String> {
        self.by_name
            .get(name)
            .map(|a| format!("/static/{}", a.hashed_name))
    }

    /// A static file by the name in its URL: the hashed name (cache for good), or the
    /// plain name (for robots and old links; cache briefly). The bool says which.
    pub fn find(&self, requested: &str) -> Option<(&Asset, bool)> {
        if let Some(plain) = self.by_hashed.get(requested) {
            return self.by_name.get(plain).map(|a| (a, true));
        }
        self.by_name.get(requested).map(|a| (a, false))
    }
}
