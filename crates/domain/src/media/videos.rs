//! Uploaded videos: checked by `cong-media` (real MP4 or WebM, a video track browsers play),
//! stored like images under their content hash with a poster frame from the image library,
//! listed, titled, deleted when nothing plays them; and the videos a body plays, found at
//! save time for the public video library.

use super::{MediaLibrary, Removed};
use crate::audit::{self, Actor, Entry};
use crate::auth::Action;
use crate::{Error, Result};
use cong_media::VideoRejection;
use cong_store::SiteId;
use cong_store::videos::{ArticleVideo, NewVideo, VideoRow, VideoUse};
use std::sync::LazyLock;

fn refused(r: VideoRejection) -> Error {
    match r {
        VideoRejection::TooLarge { .. } => Error::TooLarge(r.to_string()),
        VideoRejection::NotAVideo | VideoRejection::Unsupported(_) => {
            Error::Unsupported(r.to_string())
        }
        VideoRejection::NoVideoTrack | VideoRejection::Corrupt(_) => {
            if let VideoRejection::Corrupt(detail) = &r {
                tracing::info!(%detail, "video refused");
            }
            Error::Fields(vec![("file".to_owned(), r.to_string())])
        }
    }
}

/// An upload: the video's bytes and name, its title, and a poster image when one came (a
/// frame the browser drew, or a picture the editor chose).
pub struct VideoUpload {
    pub bytes: Vec<u8>,
    pub original_name: String,
    pub title: String,
    pub poster: Option<(String, Vec<u8>)>,
}

impl MediaLibrary {
    /// Largest video accepted, in bytes.
    pub fn max_video_bytes(&self) -> u64 {
        self.max_video_bytes
    }

    /// Checks and stores a video with its poster, its row and (for a back-office user, `by`)
    /// the audit entry in one transaction (the poster, an image of the library, is stored
    /// first: it stands alone). The same file uploaded twice is one row. Its id. `None`: the
    /// demo or an import, no one to check.
    pub async fn upload_video(
        &self,
        site: SiteId,
        by: Option<Actor<'_>>,
        up: VideoUpload,
    ) -> Result<i64> {
        if let Some(actor) = by {
            actor.require(Action::UploadMedia)?;
        }
        let max = self.max_video_bytes;
        let VideoUpload {
            bytes,
            original_name,
            title,
            poster,
        } = up;
        let (video, bytes) =
            tokio::task::spawn_blocking(move || (cong_media::check_video(&bytes, max), bytes))
                .await
                .map_err(|e| Error::Internal(format!("video task: {e}")))?;
        let video = video.map_err(refused)?;
        let name = clean_name(&original_name);
        let title = crate::text::nfc(title.trim());
        let poster_id = match poster.filter(|(_, b)| !b.is_empty()) {
            Some((poster_name, poster_bytes)) => {
                let caption = if title.is_empty() {
                    format!("Ảnh đại diện video {name}")
                } else {
                    format!("Ảnh đại diện video: {title}")
                };
                Some(
                    self.upload(site, by, poster_bytes, &poster_name, &caption)
                        .await?,
                )
            }
            None => None,
        };
        let file_name = format!("{}.{}", video.hash, video.format.ext());
        let now = jiff::Timestamp::now().as_second();
        let videos = self.store.videos(site);
        let mut tx = self.store.begin().await?;
        self.store
            .media_files()
            .insert(&mut tx, &file_name, &bytes, now)
            .await?;
        let id = videos
            .insert(
                &mut tx,
                &NewVideo {
                    hash: &video.hash,
                    file_name: &file_name,
                    mime: video.format.mime(),
                    bytes: i64::try_from(bytes.len()).unwrap_or(i64::MAX),
                    width: i64::from(video.width),
                    height: i64::from(video.height),
                    duration_ms: i64::try_from(video.duration_ms).unwrap_or(i64::MAX),
                    codec: video.codec,
                    title: &title,
                    original_name: &name,
                    search_key: &super::search_key(&name, &title),
                    uploaded_by: by.map(|a| a.user.id),
                },
                now,
            )
            .await?;
        if poster_id.is_some() {
            videos.set_poster(&mut tx, id, poster_id).await?;
        }
        if let Some(actor) = by {
            let entry = Entry {
                action: "video.upload",
                kind: "video",
                id: Some(id),
                detail: &name,
            };
            audit::append(&self.store, &mut tx, actor, entry, now).await?;
        }
        tx.commit().await?;
        Ok(id)
    }

    pub async fn find_video(&self, site: SiteId, id: i64) -> Result<VideoRow> {
        self.store
            .videos(site)
            .find_by_id(id)
            .await?
            .ok_or(Error::NotFound)
    }

    /// Newest first; with `search`, those whose title or file name holds its words.
    pub async fn list_videos(
        &self,
        site: SiteId,
        search: Option<&str>,
        limit: i64,
        offset: i64,
    ) -> Result<(Vec<VideoRow>, i64)> {
        let folded = search.map(crate::text::fold_words);
        Ok(self
            .store
            .videos(site)
            .list(folded.as_deref(), limit, offset)
            .await?)
    }

    /// Renames a video and, when one came, gives it a new poster.
    pub async fn update_video(
        &self,
        actor: Actor<'_>,
        id: i64,
        title: &str,
        poster: Option<(String, Vec<u8>)>,
    ) -> Result<()> {
        actor.require(Action::ManageMedia)?;
        let row = self.find_video(actor.site, id).await?;
        let title = crate::text::nfc(title.trim());
        let poster_id = match poster.filter(|(_, b)| !b.is_empty()) {
            Some((name, bytes)) => Some(
                self.upload(
                    actor.site,
                    Some(actor),
                    bytes,
                    &name,
                    &format!("Ảnh đại diện video: {title}"),
                )
                .await?,
            ),
            None => None,
        };
        let now = jiff::Timestamp::now().as_second();
        let videos = self.store.videos(actor.site);
        let mut tx = self.store.begin().await?;
        let key = super::search_key(&row.original_name, &title);
        videos.set_title(&mut tx, id, &title, &key).await?;
        if poster_id.is_some() {
            videos.set_poster(&mut tx, id, poster_id).await?;
        }
        let entry = Entry {
            action: "video.edit",
            kind: "video",
            id: Some(id),
            detail: &title,
        };
        audit::append(&self.store, &mut tx, actor, entry, now).await?;
        tx.commit().await?;
        Ok(())
    }

    /// Where a video plays: the articles, and whether a static page does.
    pub async fn video_usage(&self, site: SiteId, id: i64) -> Result<(Vec<VideoUse>, bool)> {
        Ok(self.store.videos(site).usage(id).await?)
    }

    /// Refuses, with the reason, a video something still plays.
    pub async fn require_video_unused(&self, site: SiteId, id: i64) -> Result<()> {
        let (articles, in_page) = self.video_usage(site, id).await?;
        if let Some(a) = articles.first() {
            return Err(Error::Conflict(format!(
                "Video đang được dùng trong bài «{}»; gỡ khỏi bài trước khi xoá.",
                a.title
            )));
        }
        if in_page {
            return Err(Error::Conflict(
                "Video đang được dùng trong một trang tĩnh; gỡ khỏi trang trước khi xoá."
                    .to_owned(),
            ));
        }
        Ok(())
    }

    /// Deletes a video nothing plays: its row, its file (unless another site's library has
    /// the same), the audit entry and the change record in one transaction. Its poster stays
    /// in the image library.
    pub async fn delete_video(&self, actor: Actor<'_>, id: i64) -> Result<()> {
        actor.require(Action::ManageMedia)?;
        if self.remove_video(actor.site, Some(actor), id, "").await? {
            Ok(())
        } else {
            Err(Error::Conflict(
                "Video đang được dùng; gỡ khỏi bài hoặc trang trước khi xoá.".to_owned(),
            ))
        }
    }

    /// [`delete_video`](Self::delete_video) by `by`, or by the upkeep (`None`, which says
    /// `why`); false when the video is in use (nothing is deleted).
    pub(crate) async fn remove_video(
        &self,
        site: SiteId,
        by: Option<Actor<'_>>,
        id: i64,
        why: &str,
    ) -> Result<bool> {
        let row = self.find_video(site, id).await?;
        let now = jiff::Timestamp::now().as_second();
        let videos = self.store.videos(site);
        let mut tx = self.store.begin().await?;
        if !videos.delete_unused(&mut tx, id).await? {
            return Ok(false);
        }
        let shared = videos.hash_in_use(&mut tx, &row.hash).await?;
        let gone = Removed {
            action: "video.delete",
            kind: "video",
            id,
            name: &row.original_name,
            why,
            files: if shared {
                Vec::new()
            } else {
                vec![row.file_name.clone()]
            },
        };
        self.finish_removal(tx, site, by, gone, now).await?;
        Ok(true)
    }
}

fn clean_name(name: &str) -> String {
    crate::text::nfc(name.trim())
        .chars()
        .filter(|c| !c.is_control())
        .take(200)
        .collect()
}

static PLAYER: LazyLock<regex::Regex> = LazyLock::new(|| {
    #[allow(clippy::expect_used)]
    regex::Regex::new(r#"<(video|iframe)\b([^>]*)>"#).expect("player pattern")
});
static ATTR: LazyLock<regex::Regex> = LazyLock::new(|| {
    #[allow(clippy::expect_used)]
    regex::Regex::new(r#"\s(src|title)="([^"]*)""#).expect("attribute pattern")
});
static UPLOADED: LazyLock<regex::Regex> = LazyLock::new(|| {
    #[allow(clippy::expect_used)]
    regex::Regex::new(r"^/media/([0-9a-f]{32})\.(?:mp4|webm)$").expect("video address")
});

/// The videos a sanitized body plays, in order: uploaded ones by their file's hash, YouTube
/// ones by their id, each with its title.
pub fn in_body(html: &str) -> Vec<ArticleVideo> {
    let unescape = |s: &str| {
        s.replace("&quot;", "\"")
            .replace("&lt;", "<")
            .replace("&gt;", ">")
            .replace("&amp;", "&")
    };
    PLAYER
        .captures_iter(html)
        .filter_map(|c| {
            let (mut src, mut title) = ("", "");
            for a in ATTR.captures_iter(c.get(2).map_or("", |m| m.as_str())) {
                match a.get(1).map(|m| m.as_str()) {
                    Some("src") => src = a.get(2).map_or("", |m| m.as_str()),
                    Some(_) => title = a.get(2).map_or("", |m| m.as_str()),
                    None => {}
                }
            }
            let title = unescape(title);
            if &c[1] == "video" {
                UPLOADED.captures(src).map(|h| ArticleVideo::Uploaded {
                    hash: h[1].to_owned(),
                    title,
                })
            } else {
                src.strip_prefix(crate::text::embed::YOUTUBE_EMBED)
                    .map(|id| ArticleVideo::Youtube {
                        id: id.to_owned(),
                        title,
                    })
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::{ArticleVideo, in_body};

    #[test]
    fn a_body_names_its_videos_in_order_with_their_titles() {
        let hash = "0123456789abcdef0123456789abcdef";
        let body = format!(
            r#"<iframe src="https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ" title="Phóng sự &amp; tin" loading="lazy"></iframe><p>x</p><video src="/media/{hash}.webm" poster="/media/a.jpg" title="Họp báo" controls=""></video><video src="/media/{hash}.mp4" controls=""></video><video src="/media/nothex.mp4"></video>"#
        );
        assert_eq!(
            in_body(&body),
            vec![
                ArticleVideo::Youtube {
                    id: "dQw4w9WgXcQ".to_owned(),
                    title: "Phóng sự & tin".to_owned()
                },
                ArticleVideo::Uploaded {
                    hash: hash.to_owned(),
                    title: "Họp báo".to_owned()
                },
                ArticleVideo::Uploaded {
                    hash: hash.to_owned(),
                    title: String::new()
                },
            ]
        );
    }
}
