//! `cong import wordpress FILE`: a WordPress site's content, pictures and old addresses
//! moved in, with a report of every item.

use super::store;
use crate::cli::{ImportArgs, ImportCommand};
use cong_config::Config;
use cong_domain::SystemClock;
use cong_domain::content::Content;
use cong_domain::import::wordpress::Import;
use cong_domain::import::{Files, Outcome, Report};
use cong_domain::media::MediaLibrary;
use cong_store::SiteId;
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;

/// The largest file fetched from the old site (the media library refuses larger ones anyway).
const MAX_FETCH: usize = 64 * 1024 * 1024;

pub async fn run(mut config: Config, args: ImportArgs) -> anyhow::Result<ExitCode> {
    super::init_logging();
    let ImportCommand::Wordpress {
        file,
        site,
        media_from,
        dry_run,
    } = args.command;
    let reader = std::io::BufReader::new(
        std::fs::File::open(&file).map_err(|e| anyhow::anyhow!("{}: {e}", file.display()))?,
    );
    let export = cong_wxr::parse(reader).map_err(|e| anyhow::anyhow!("{}: {e}", file.display()))?;
    let files = OldSite::new(&export.base_site_url, media_from.as_deref())?;
    let store = store::open(&mut config, &args.store).await?;
    let content = Content::new(store.clone(), config.listing.clone(), Arc::new(SystemClock));
    let media = MediaLibrary::new(
        store.clone(),
        PathBuf::from(&config.site.media_dir),
        cong_media::Limits {
            max_bytes: config.media.max_bytes,
            max_pixels: config.media.max_pixels,
        },
    );
    let import = Import {
        content: &content,
        media: &media,
        files: &files,
        site: SiteId(site),
        dry_run,
    };
    let report = import.run(&export).await?;
    store.close().await;
    print(&report, dry_run);
    Ok(if report.has_problems() {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}

fn print(report: &Report, dry_run: bool) {
    for l in &report.lines {
        let outcome = match &l.outcome {
            Outcome::Added => "added".to_owned(),
            Outcome::Updated => "updated".to_owned(),
            Outcome::Unchanged => "unchanged".to_owned(),
            Outcome::WouldAdd => "would be added".to_owned(),
            Outcome::WouldUpdate => "would be updated".to_owned(),
            Outcome::Skipped(why) => format!("skipped: {why}"),
            Outcome::Failed(why) => format!("FAILED: {why}"),
        };
        let at = l
            .address
            .as_deref()
            .map(|a| format!(" → {a}"))
            .unwrap_or_default();
        println!("{} {} “{}”: {outcome}{at}", l.kind, l.origin, l.title);
    }
    for p in &report.pictures {
        match &p.outcome {
            Ok(a) if a.is_empty() => println!("picture {}: found", p.url),
            Ok(a) => println!("picture {} → {a}", p.url),
            Err(why) => println!("picture {}: MISSING ({why})", p.url),
        }
    }
    for n in &report.notices {
        println!("notice: {} {}: {}", n.kind, n.origin, n.what);
    }
    println!(
        "{:<12} {:>8} {:>8}",
        "",
        "source",
        if dry_run { "would" } else { "in cong" }
    );
    for c in &report.counts {
        println!("{:<12} {:>8} {:>8}", c.kind, c.in_source, c.imported);
    }
}

/// The old site's files: from a folder (a copy of wp-content/uploads, or of the folder that
/// holds wp-content), or over HTTP from the site (or a copy at another address).
struct OldSite {
    base: String,
    folder: Option<PathBuf>,
    fetch_from: Option<String>,
    client: reqwest::Client,
}

impl OldSite {
    fn new(base: &str, from: Option<&str>) -> anyhow::Result<OldSite> {
        let _ = rustls::crypto::ring::default_provider().install_default();
        let client = reqwest::Client::builder()
            .user_agent("cong-import")
            .timeout(std::time::Duration::from_secs(60))
            .build()?;
        let (folder, fetch_from) = match from {
            Some(f) if f.starts_with("http://") || f.starts_with("https://") => {
                (None, Some(f.trim_end_matches('/').to_owned()))
            }
            Some(f) => {
                let dir = PathBuf::from(f);
                let uploads = dir.join("wp-content").join("uploads");
                let dir = if uploads.is_dir() { uploads } else { dir };
                if !dir.is_dir() {
                    anyhow::bail!("--media-from {f}: no such folder");
                }
                (Some(dir), None)
            }
            None => (None, None),
        };
        Ok(OldSite {
            base: base.trim_end_matches('/').to_owned(),
            folder,
            fetch_from,
            client,
        })
    }
}

impl Files for OldSite {
    async fn get(&self, url: &str) -> Result<Vec<u8>, String> {
        if let Some(dir) = &self.folder {
            let Some((_, rel)) = url.split_once("/wp-content/uploads/") else {
                return Err("not under wp-content/uploads".to_owned());
            };
            let rel = rel.split(['?', '#']).next().unwrap_or(rel);
            if rel.split('/').any(|p| p == ".." || p.is_empty()) {
                return Err("not a file of the uploads folder".to_owned());
            }
            let path = dir.join(rel);
            return std::fs::read(&path).map_err(|e| format!("{}: {e}", path.display()));
        }
        let url = match &self.fetch_from {
            Some(from) => match url.strip_prefix(&self.base) {
                Some(rest) => format!("{from}{rest}"),
                None => url.to_owned(),
            },
            None => url.to_owned(),
        };
        let res = self
            .client
            .get(&url)
            .send()
            .await
            .map_err(|e| format!("{url}: {e}"))?;
        if !res.status().is_success() {
            return Err(format!("{url}: HTTP {}", res.status().as_u16()));
        }
        let bytes = res.bytes().await.map_err(|e| format!("{url}: {e}"))?;
        if bytes.len() > MAX_FETCH {
            return Err(format!("{url}: larger than {MAX_FETCH} bytes"));
        }
        Ok(bytes.to_vec())
    }
}
