//! A WordPress site's pictures (its attachments) into the media library: fetched from the
//! old site's files, checked and resized like any upload, their old addresses kept.

use super::body::{Stored, plain};
use super::wordpress::{Import, SOURCE};
use super::{Files, Outcome, Picture, Report};
use crate::Result;
use crate::content::ImportOrigin;
use crate::redirects::old_address_of;
use cong_wxr::{Export, PostType};
use std::collections::HashMap;

impl<F: Files> Import<'_, F> {
    /// The pictures of the media library: fetched, checked and stored like any upload.
    pub(super) async fn attachments(
        &self,
        export: &Export,
        report: &mut Report,
    ) -> Result<HashMap<i64, Stored>> {
        let mut out = HashMap::new();
        for item in export
            .items
            .iter()
            .filter(|i| i.post_type == PostType::Attachment)
        {
            let id = item.id.to_string();
            let title = plain(&item.title);
            let url = item.attachment_url.clone();
            if !is_picture(&url) {
                report.line(
                    "attachment",
                    &id,
                    &title,
                    Outcome::Skipped(
                        "not a picture (documents belong in the library: add them there)"
                            .to_owned(),
                    ),
                    None,
                );
                report.pictures.push(Picture {
                    url,
                    outcome: Err("not a picture".to_owned()),
                });
                continue;
            }
            let bytes = match self.files.get(&url).await {
                Ok(b) => b,
                Err(why) => {
                    report.line(
                        "attachment",
                        &id,
                        &title,
                        Outcome::Failed(why.clone()),
                        None,
                    );
                    report.pictures.push(Picture {
                        url,
                        outcome: Err(why),
                    });
                    continue;
                }
            };
            if self.dry_run {
                let outcome = self.would("attachment", &id).await?;
                report.line("attachment", &id, &title, outcome, None);
                report.pictures.push(Picture {
                    url: url.clone(),
                    outcome: Ok(String::new()),
                });
                out.insert(
                    item.id,
                    Stored {
                        id: 0,
                        url,
                        alt: String::new(),
                        caption: String::new(),
                    },
                );
                continue;
            }
            let name = url.rsplit('/').next().unwrap_or("anh").to_owned();
            let caption = plain(&item.excerpt);
            let known = self
                .content
                .origin(
                    self.site,
                    ImportOrigin {
                        source: SOURCE,
                        kind: "attachment",
                        id: &id,
                    },
                )
                .await?;
            match self
                .media
                .upload(self.site, None, bytes, &name, &caption)
                .await
            {
                Ok(media_id) => {
                    let row = self.media.find(self.site, media_id).await?;
                    let address = format!("/media/{}", row.file_name);
                    let old: Vec<String> =
                        [format!("/?attachment_id={}", item.id), item.link.clone()]
                            .iter()
                            .filter_map(|u| old_address_of(u))
                            .collect();
                    self.content
                        .import_place(
                            self.site,
                            ImportOrigin {
                                source: SOURCE,
                                kind: "attachment",
                                id: &id,
                            },
                            media_id,
                            &old,
                            &address,
                        )
                        .await?;
                    let outcome = match known {
                        Some(k) if k == media_id => Outcome::Unchanged,
                        Some(_) => Outcome::Updated,
                        None => Outcome::Added,
                    };
                    report.line("attachment", &id, &title, outcome, Some(address.clone()));
                    report.pictures.push(Picture {
                        url: url.clone(),
                        outcome: Ok(address.clone()),
                    });
                    let alt = item
                        .meta("_wp_attachment_image_alt")
                        .unwrap_or_default()
                        .trim()
                        .to_owned();
                    out.insert(
                        item.id,
                        Stored {
                            id: media_id,
                            url: address,
                            alt,
                            caption,
                        },
                    );
                }
                Err(e) => {
                    report.line(
                        "attachment",
                        &id,
                        &title,
                        Outcome::Failed(e.to_string()),
                        None,
                    );
                    report.pictures.push(Picture {
                        url,
                        outcome: Err(e.to_string()),
                    });
                }
            }
        }
        Ok(out)
    }
}

fn is_picture(url: &str) -> bool {
    let lower = url.to_ascii_lowercase();
    [".jpg", ".jpeg", ".png", ".gif", ".webp"]
        .iter()
        .any(|e| lower.split(['?', '#']).next().unwrap_or("").ends_with(e))
}
