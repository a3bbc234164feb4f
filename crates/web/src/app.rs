//! The state every handler shares.

use cong_domain::content::Content;
use cong_domain::stats::Stats;
use cong_render::Renderer;
use jiff::tz::TimeZone;
use std::path::PathBuf;
use std::sync::Arc;

/// Services and settings of one running portal.
#[derive(Debug)]
pub struct App {
    pub content: Content,
    pub stats: Arc<Stats>,
    pub renderer: Renderer,
    pub tz: TimeZone,
    pub media_dir: PathBuf,
    pub max_uri_bytes: usize,
    pub request_timeout: std::time::Duration,
}

pub(crate) type SharedApp = Arc<App>;
