//! Copying a whole store to another (SQLite ⇄ PostgreSQL): every table, in foreign-key
//! order, in batches that can be resumed, with a count and an order-independent checksum
//! per table to prove the copy. Backups (`backup/`) read and write through the same specs.

use crate::sql::placeholders;
use crate::{Backend, Error, Result, Store};
use sqlx::any::AnyRow;
use sqlx::{AssertSqlSafe, Row};

/// How a column's values are read and written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Int,
    Text,
    Bytes,
}

/// A table to copy: its key (for order, resume and upsert) and its columns.
#[derive(Debug)]
pub struct TableSpec {
    pub name: &'static str,
    pub key: &'static [&'static str],
    pub columns: &'static [(&'static str, Kind)],
    /// Rows a freshly migrated database already has (so they do not make it "non-empty").
    pub seeded: bool,
}

use Kind::{Bytes, Int, Text};

impl TableSpec {
    /// Rows read (and written) at once: [`BATCH`], but a few for the media files and the
    /// questions' files, whose rows are whole files (megabytes each), so a copy or a backup
    /// holds a few megabytes of them in memory rather than gigabytes.
    pub fn batch(&self) -> i64 {
        if matches!(self.name, "media_files" | "question_files") {
            MEDIA_FILES_BATCH
        } else {
            BATCH
        }
    }
}

/// Rows of `media_files` read at once.
const MEDIA_FILES_BATCH: i64 = 4;

/// Every table with data, parents before children. A new table is added here too; the
/// test `every_table_is_copied` fails until it is.
pub const TABLES: &[TableSpec] = &[
    TableSpec {
        name: "sites",
        key: &["id"],
        columns: &[
            ("id", Int),
            ("name", Text),
            ("address", Text),
            ("kind", Text),
            ("disabled", Int),
            ("created_at", Int),
            ("updated_at", Int),
        ],
        // Site 1 is made by the migration.
        seeded: true,
    },
    TableSpec {
        name: "site_hosts",
        key: &["host"],
        columns: &[("host", Text), ("site_id", Int), ("canonical", Int)],
        seeded: false,
    },
    TableSpec {
        name: "users",
        key: &["id"],
        columns: &[
            ("id", Int),
            ("username", Text),
            ("display_name", Text),
            ("role", Text),
            ("password_hash", Text),
            ("disabled", Int),
            ("totp_secret", Text),
            ("totp_enabled", Int),
            ("totp_last_step", Int),
            ("created_at", Int),
            ("updated_at", Int),
            ("last_login_at", Int),
            ("totp_pending_secret", Text),
            ("email", Text),
            ("notices", Int),
        ],
        seeded: false,
    },
    TableSpec {
        name: "site_roles",
        key: &["user_id", "site_id"],
        columns: &[("user_id", Int), ("site_id", Int), ("role", Text)],
        seeded: false,
    },
    TableSpec {
        name: "recovery_codes",
        key: &["user_id", "code_hash"],
        columns: &[("user_id", Int), ("code_hash", Text), ("used_at", Int)],
        seeded: false,
    },
    TableSpec {
        name: "sessions",
        key: &["token_hash"],
        columns: &[
            ("token_hash", Text),
            ("user_id", Int),
            ("csrf_token", Text),
            ("pending_totp", Int),
            ("created_at", Int),
            ("last_seen_at", Int),
            ("ip", Text),
            ("user_agent", Text),
            ("totp_attempts", Int),
        ],
        seeded: false,
    },
    TableSpec {
        name: "login_failures",
        key: &["id"],
        columns: &[("id", Int), ("scope", Text), ("at", Int)],
        seeded: false,
    },
    TableSpec {
        name: "login_tallies",
        key: &["day", "kind"],
        columns: &[("day", Int), ("kind", Text), ("n", Int)],
        seeded: false,
    },
    TableSpec {
        name: "audit_log",
        key: &["id"],
        columns: &[
            ("id", Int),
            ("at", Int),
            ("user_id", Int),
            ("username", Text),
            ("action", Text),
            ("object_kind", Text),
            ("object_id", Int),
            ("detail", Text),
            ("ip", Text),
            ("site_id", Int),
        ],
        seeded: false,
    },
    TableSpec {
        name: "pages",
        key: &["id"],
        columns: &[
            ("id", Int),
            ("slug", Text),
            ("title", Text),
            ("body_html", Text),
            ("created_at", Int),
            ("updated_at", Int),
            ("site_id", Int),
            ("trashed_at", Int),
            ("version", Int),
            ("lang", Text),
            ("translation_of", Int),
        ],
        seeded: false,
    },
    TableSpec {
        name: "sections",
        key: &["id"],
        columns: &[
            ("id", Int),
            ("slug", Text),
            ("name", Text),
            ("description", Text),
            ("position", Int),
            ("parent_id", Int),
            ("in_menu", Int),
            ("page_id", Int),
            ("created_at", Int),
            ("updated_at", Int),
            ("site_id", Int),
            ("lang", Text),
        ],
        seeded: false,
    },
    TableSpec {
        name: "user_sections",
        key: &["user_id", "site_id", "section_id"],
        columns: &[("user_id", Int), ("site_id", Int), ("section_id", Int)],
        seeded: false,
    },
    TableSpec {
        name: "section_sources",
        key: &["section_id", "source_site_id"],
        columns: &[("section_id", Int), ("source_site_id", Int)],
        seeded: false,
    },
    TableSpec {
        name: "media",
        key: &["id"],
        columns: &[
            ("id", Int),
            ("hash", Text),
            ("file_name", Text),
            ("mime", Text),
            ("width", Int),
            ("height", Int),
            ("bytes", Int),
            ("original_name", Text),
            ("created_at", Int),
            ("widths", Text),
            ("caption", Text),
            ("uploaded_by", Int),
            ("search_key", Text),
            ("site_id", Int),
            ("trashed_at", Int),
        ],
        seeded: false,
    },
    TableSpec {
        name: "media_files",
        key: &["name"],
        columns: &[
            ("name", Text),
            ("bytes", Bytes),
            ("size", Int),
            ("created_at", Int),
        ],
        seeded: false,
    },
    TableSpec {
        name: "articles",
        key: &["id"],
        columns: &[
            ("id", Int),
            ("section_id", Int),
            ("slug", Text),
            ("title", Text),
            ("summary", Text),
            ("body_html", Text),
            ("author", Text),
            ("status", Text),
            ("featured", Int),
            ("cover_media_id", Int),
            ("gallery_title", Text),
            ("published_at", Int),
            ("created_at", Int),
            ("updated_at", Int),
            ("created_by", Int),
            ("review_note", Text),
            ("site_id", Int),
            ("origin_article_id", Int),
            ("trashed_at", Int),
            ("translation_of", Int),
        ],
        seeded: false,
    },
    TableSpec {
        name: "article_revisions",
        key: &["id"],
        columns: &[
            ("id", Int),
            ("article_id", Int),
            ("created_at", Int),
            ("user_id", Int),
            ("username", Text),
            ("status", Text),
            ("section_id", Int),
            ("slug", Text),
            ("title", Text),
            ("summary", Text),
            ("body_html", Text),
            ("author", Text),
            ("cover_media_id", Int),
            ("gallery_title", Text),
            ("gallery_json", Text),
            ("published_at", Int),
            ("note", Text),
        ],
        seeded: false,
    },
    TableSpec {
        name: "article_redirects",
        key: &["site_id", "slug"],
        columns: &[("slug", Text), ("article_id", Int), ("site_id", Int)],
        seeded: false,
    },
    TableSpec {
        name: "videos",
        key: &["id"],
        columns: &[
            ("id", Int),
            ("site_id", Int),
            ("hash", Text),
            ("file_name", Text),
            ("mime", Text),
            ("bytes", Int),
            ("width", Int),
            ("height", Int),
            ("duration_ms", Int),
            ("codec", Text),
            ("poster_media_id", Int),
            ("title", Text),
            ("original_name", Text),
            ("search_key", Text),
            ("uploaded_by", Int),
            ("created_at", Int),
            ("trashed_at", Int),
        ],
        seeded: false,
    },
    TableSpec {
        name: "article_videos",
        key: &["article_id", "position"],
        columns: &[
            ("article_id", Int),
            ("position", Int),
            ("video_id", Int),
            ("youtube_id", Text),
            ("title", Text),
        ],
        seeded: false,
    },
    TableSpec {
        name: "article_images",
        key: &["article_id", "position"],
        columns: &[
            ("article_id", Int),
            ("position", Int),
            ("media_id", Int),
            ("caption", Text),
            ("alt", Text),
        ],
        seeded: false,
    },
    TableSpec {
        name: "site_settings",
        key: &["site_id", "key"],
        columns: &[("key", Text), ("value", Text), ("site_id", Int)],
        seeded: false,
    },
    TableSpec {
        name: "site_links",
        key: &["id"],
        columns: &[
            ("id", Int),
            ("title", Text),
            ("url", Text),
            ("position", Int),
            ("site_id", Int),
            ("lang", Text),
        ],
        seeded: false,
    },
    TableSpec {
        name: "menu_items",
        key: &["id"],
        columns: &[
            ("id", Int),
            ("lang", Text),
            ("position", Int),
            ("depth", Int),
            ("label", Text),
            ("target_kind", Text),
            ("target", Text),
            ("site_id", Int),
        ],
        seeded: false,
    },
    TableSpec {
        name: "home_blocks",
        key: &["id"],
        columns: &[
            ("id", Int),
            ("lang", Text),
            ("position", Int),
            ("kind", Text),
            ("section_id", Int),
            ("item_count", Int),
            ("title", Text),
            ("site_id", Int),
        ],
        seeded: false,
    },
    TableSpec {
        name: "banners",
        key: &["id"],
        columns: &[
            ("id", Int),
            ("lang", Text),
            ("place", Text),
            ("position", Int),
            ("media_id", Int),
            ("link", Text),
            ("alt", Text),
            ("starts_on", Text),
            ("ends_on", Text),
            ("site_id", Int),
        ],
        seeded: false,
    },
    TableSpec {
        name: "stats_secrets",
        key: &["day"],
        columns: &[("day", Int), ("secret", Bytes)],
        seeded: false,
    },
    TableSpec {
        name: "stats_visitors",
        key: &["visitor", "site_id"],
        columns: &[("visitor", Bytes), ("last_seen", Int), ("site_id", Int)],
        seeded: false,
    },
    TableSpec {
        name: "stats_article_seen",
        key: &["visitor", "article_id"],
        columns: &[
            ("visitor", Bytes),
            ("article_id", Int),
            ("last_counted", Int),
        ],
        seeded: false,
    },
    TableSpec {
        name: "stats_visits",
        key: &["site_id", "period", "key"],
        columns: &[
            ("period", Text),
            ("key", Int),
            ("visits", Int),
            ("site_id", Int),
        ],
        seeded: false,
    },
    TableSpec {
        name: "article_views",
        key: &["article_id"],
        columns: &[("article_id", Int), ("views", Int)],
        seeded: false,
    },
    TableSpec {
        name: "stats_page_views",
        key: &["site_id", "day"],
        columns: &[("site_id", Int), ("day", Int), ("views", Int)],
        seeded: false,
    },
    TableSpec {
        name: "article_views_daily",
        key: &["article_id", "day"],
        columns: &[("article_id", Int), ("day", Int), ("views", Int)],
        seeded: false,
    },
    TableSpec {
        name: "stats_flushes",
        key: &["id"],
        columns: &[("id", Int), ("seq", Int)],
        seeded: true,
    },
    TableSpec {
        name: "changes",
        key: &["id"],
        columns: &[("id", Int), ("kind", Text), ("entity_id", Int), ("at", Int)],
        seeded: false,
    },
    TableSpec {
        name: "tls_certificates",
        key: &["site_id"],
        columns: &[
            ("site_id", Int),
            ("names", Text),
            ("chain_pem", Text),
            ("key_sealed", Text),
            ("issuer", Text),
            ("not_before", Int),
            ("not_after", Int),
            ("obtained_at", Int),
            ("failures", Int),
            ("last_error", Text),
            ("last_attempt", Int),
            ("next_attempt", Int),
        ],
        seeded: false,
    },
    TableSpec {
        name: "acme_accounts",
        key: &["directory"],
        columns: &[
            ("directory", Text),
            ("credentials", Text),
            ("created_at", Int),
        ],
        seeded: false,
    },
    TableSpec {
        name: "acme_challenges",
        key: &["token"],
        columns: &[
            ("token", Text),
            ("kind", Text),
            ("name", Text),
            ("value", Text),
            ("expires_at", Int),
        ],
        seeded: false,
    },
    TableSpec {
        name: "leases",
        key: &["name"],
        columns: &[("name", Text), ("holder", Text), ("until", Int)],
        seeded: false,
    },
    TableSpec {
        name: "document_terms",
        key: &["id"],
        columns: &[
            ("id", Int),
            ("site_id", Int),
            ("vocabulary", Text),
            ("name", Text),
            ("slug", Text),
            ("position", Int),
        ],
        seeded: false,
    },
    TableSpec {
        name: "documents",
        key: &["id"],
        columns: &[
            ("id", Int),
            ("site_id", Int),
            ("slug", Text),
            ("number", Text),
            ("type_id", Int),
            ("issuer_id", Int),
            ("signer", Text),
            ("summary", Text),
            ("body_html", Text),
            ("issued_on", Text),
            ("effective_on", Text),
            ("expires_on", Text),
            ("status", Text),
            ("published_at", Int),
            ("search_key", Text),
            ("created_by", Int),
            ("created_at", Int),
            ("updated_at", Int),
            ("trashed_at", Int),
        ],
        seeded: false,
    },
    TableSpec {
        name: "document_fields",
        key: &["document_id", "term_id"],
        columns: &[("document_id", Int), ("term_id", Int)],
        seeded: false,
    },
    TableSpec {
        name: "document_relations",
        key: &["from_id", "to_id", "kind"],
        columns: &[("from_id", Int), ("to_id", Int), ("kind", Text)],
        seeded: false,
    },
    TableSpec {
        name: "document_revisions",
        key: &["id"],
        columns: &[
            ("id", Int),
            ("document_id", Int),
            ("created_at", Int),
            ("user_id", Int),
            ("username", Text),
            ("snapshot", Text),
            ("note", Text),
        ],
        seeded: false,
    },
    TableSpec {
        name: "files",
        key: &["id"],
        columns: &[
            ("id", Int),
            ("site_id", Int),
            ("hash", Text),
            ("kind", Text),
            ("bytes", Int),
            ("name", Text),
            ("text", Text),
            ("text_state", Text),
            ("created_by", Int),
            ("created_at", Int),
        ],
        seeded: false,
    },
    TableSpec {
        name: "attachments",
        key: &["owner_kind", "owner_id", "position"],
        columns: &[
            ("owner_kind", Text),
            ("owner_id", Int),
            ("position", Int),
            ("file_id", Int),
        ],
        seeded: false,
    },
    TableSpec {
        name: "mail_outbox",
        key: &["id"],
        columns: &[
            ("id", Int),
            ("site_id", Int),
            ("recipient", Text),
            ("subject", Text),
            ("body_text", Text),
            ("body_html", Text),
            ("kind", Text),
            ("created_at", Int),
            ("status", Text),
            ("attempts", Int),
            ("next_attempt_at", Int),
            ("last_error", Text),
            ("claimed_by", Text),
            ("claimed_until", Int),
            ("sent_at", Int),
        ],
        seeded: false,
    },
    TableSpec {
        name: "password_resets",
        key: &["token_hash"],
        columns: &[
            ("token_hash", Text),
            ("user_id", Int),
            ("created_at", Int),
            ("expires_at", Int),
            ("used_at", Int),
        ],
        seeded: false,
    },
    TableSpec {
        name: "feedback_topics",
        key: &["id"],
        columns: &[
            ("id", Int),
            ("site_id", Int),
            ("name", Text),
            ("mailbox", Text),
            ("position", Int),
            ("name_en", Text),
        ],
        seeded: false,
    },
    TableSpec {
        name: "feedback",
        key: &["id"],
        columns: &[
            ("id", Int),
            ("site_id", Int),
            ("topic_id", Int),
            ("code", Text),
            ("name", Text),
            ("email", Text),
            ("phone", Text),
            ("address", Text),
            ("subject", Text),
            ("body", Text),
            ("status", Text),
            ("note", Text),
            ("created_at", Int),
            ("handled_at", Int),
            ("handled_by", Int),
            ("consent_at", Int),
            ("consent_version", Text),
            ("anonymised_at", Int),
        ],
        seeded: false,
    },
    TableSpec {
        name: "consultations",
        key: &["document_id"],
        columns: &[
            ("document_id", Int),
            ("opens_on", Text),
            ("closes_on", Text),
            ("ends_at", Int),
            ("updated_at", Int),
        ],
        seeded: false,
    },
    TableSpec {
        name: "consultation_comments",
        key: &["id"],
        columns: &[
            ("id", Int),
            ("document_id", Int),
            ("name", Text),
            ("email", Text),
            ("organisation", Text),
            ("body", Text),
            ("status", Text),
            ("created_at", Int),
            ("moderated_at", Int),
            ("moderated_by", Int),
            ("consent_at", Int),
            ("consent_version", Text),
            ("anonymised_at", Int),
        ],
        seeded: false,
    },
    TableSpec {
        name: "form_proofs",
        key: &["proof"],
        columns: &[("proof", Text), ("expires_at", Int)],
        seeded: false,
    },
    TableSpec {
        name: "question_topics",
        key: &["id"],
        columns: &[
            ("id", Int),
            ("site_id", Int),
            ("name", Text),
            ("position", Int),
            ("name_en", Text),
        ],
        seeded: false,
    },
    TableSpec {
        name: "questions",
        key: &["id"],
        columns: &[
            ("id", Int),
            ("site_id", Int),
            ("topic_id", Int),
            ("code", Text),
            ("name", Text),
            ("email", Text),
            ("phone", Text),
            ("address", Text),
            ("title", Text),
            ("body", Text),
            ("public_title", Text),
            ("public_body", Text),
            ("status", Text),
            ("reject_reason", Text),
            ("merged_into", Int),
            ("assignee_id", Int),
            ("answer", Text),
            ("answered_by", Int),
            ("answered_at", Int),
            ("approved_by", Int),
            ("published_at", Int),
            ("search_key", Text),
            ("created_at", Int),
            ("updated_at", Int),
            ("consent_at", Int),
            ("consent_version", Text),
            ("anonymised_at", Int),
        ],
        seeded: false,
    },
    TableSpec {
        name: "question_files",
        key: &["question_id"],
        columns: &[
            ("question_id", Int),
            ("name", Text),
            ("kind", Text),
            ("size", Int),
            ("bytes", Bytes),
        ],
        seeded: false,
    },
    TableSpec {
        name: "schedule_entries",
        key: &["id"],
        columns: &[
            ("id", Int),
            ("starts_at", Int),
            ("ends_at", Int),
            ("all_day", Int),
            ("leaders", Text),
            ("content", Text),
            ("place", Text),
            ("host", Text),
            ("participants", Text),
            ("notes", Text),
            ("recurring", Int),
            ("status", Text),
            ("published_at", Int),
            ("adjusted_at", Int),
            ("sequence", Int),
            ("copied_from", Int),
            ("created_at", Int),
            ("updated_at", Int),
            ("site_id", Int),
        ],
        seeded: false,
    },
    TableSpec {
        name: "org_units",
        key: &["id"],
        columns: &[
            ("id", Int),
            ("parent_id", Int),
            ("kind", Text),
            ("name", Text),
            ("name_en", Text),
            ("slug", Text),
            ("duties", Text),
            ("duties_en", Text),
            ("address", Text),
            ("phone", Text),
            ("email", Text),
            ("position", Int),
            ("created_at", Int),
            ("updated_at", Int),
            ("site_id", Int),
        ],
        seeded: false,
    },
    TableSpec {
        name: "org_people",
        key: &["id"],
        columns: &[
            ("id", Int),
            ("unit_id", Int),
            ("name", Text),
            ("title", Text),
            ("title_en", Text),
            ("photo_media_id", Int),
            ("phone", Text),
            ("email", Text),
            ("precedence", Int),
            ("served_from", Text),
            ("served_until", Text),
            ("created_at", Int),
            ("updated_at", Int),
            ("site_id", Int),
        ],
        seeded: false,
    },
    TableSpec {
        name: "redirects",
        key: &["site_id", "old_path"],
        columns: &[
            ("site_id", Int),
            ("old_path", Text),
            ("target", Text),
            ("created_at", Int),
        ],
        seeded: false,
    },
    TableSpec {
        name: "import_origins",
        key: &["site_id", "source", "kind", "origin_id"],
        columns: &[
            ("site_id", Int),
            ("source", Text),
            ("kind", Text),
            ("origin_id", Text),
            ("item_id", Int),
        ],
        seeded: false,
    },
];

/// One value of a copied row.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Value {
    Null,
    Int(i64),
    Text(String),
    Bytes(Vec<u8>),
}

fn read_value(row: &AnyRow, i: usize, kind: Kind) -> Result<Value, sqlx::Error> {
    Ok(match kind {
        Int => row
            .try_get::<Option<i64>, _>(i)?
            .map_or(Value::Null, Value::Int),
        Text => row
            .try_get::<Option<String>, _>(i)?
            .map_or(Value::Null, Value::Text),
        Bytes => row
            .try_get::<Option<Vec<u8>>, _>(i)?
            .map_or(Value::Null, Value::Bytes),
    })
}

fn column_list(t: &TableSpec) -> String {
    t.columns
        .iter()
        .map(|(c, _)| *c)
        .collect::<Vec<_>>()
        .join(", ")
}

/// A table's count and checksum: the sum of each row's BLAKE3 hash (128 bits, wrapping), so
/// it does not depend on the order rows come in, and differs if any value does.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct TableSum {
    pub rows: i64,
    pub checksum: u128,
}

impl TableSum {
    /// Counts one more row.
    pub fn add(&mut self, row: &[Value]) {
        self.rows += 1;
        self.checksum = self.checksum.wrapping_add(row_hash(row));
    }
}

fn row_hash(values: &[Value]) -> u128 {
    let mut h = blake3::Hasher::new();
    for v in values {
        match v {
            Value::Null => {
                h.update(&[0]);
            }
            Value::Int(i) => {
                h.update(&[1]);
                h.update(&i.to_le_bytes());
            }
            Value::Text(s) => {
                h.update(&[2]);
                h.update(&(s.len() as u64).to_le_bytes());
                h.update(s.as_bytes());
            }
            Value::Bytes(b) => {
                h.update(&[3]);
                h.update(&(b.len() as u64).to_le_bytes());
                h.update(b);
            }
        }
    }
    let mut out = [0u8; 16];
    out.copy_from_slice(&h.finalize().as_bytes()[..16]);
    u128::from_le_bytes(out)
}

/// Rows read at once.
pub const BATCH: i64 = 500;

impl Store {
    pub async fn count_rows(&self, t: &TableSpec) -> Result<i64> {
        count_rows_on(self.read(), t).await
    }

    /// Rows of `t` whose key is at most `upto`.
    pub async fn count_rows_upto(&self, t: &TableSpec, upto: &[Value]) -> Result<i64> {
        let sql = format!(
            "SELECT COUNT(*) FROM {} WHERE ({}) <= ({})",
            t.name,
            t.key.join(", "),
            placeholders(1, t.key.len())
        );
        let mut q = sqlx::query_scalar(AssertSqlSafe(sql));
        for v in upto {
            q = match v {
                Value::Null => q.bind(Option::<i64>::None),
                Value::Int(i) => q.bind(*i),
                Value::Text(s) => q.bind(s.as_str()),
                Value::Bytes(b) => q.bind(b.as_slice()),
            };
        }
        Ok(q.fetch_one(self.read()).await?)
    }

    /// True when no table holds data beyond what a migration puts there.
    pub async fn is_empty(&self) -> Result<bool> {
        for t in TABLES.iter().filter(|t| !t.seeded) {
            if self.count_rows(t).await? > 0 {
                return Ok(false);
            }
        }
        Ok(true)
    }

    /// Rows of `t` in key order, after the key `after` (values of the key columns).
    pub async fn read_rows(
        &self,
        t: &TableSpec,
        after: Option<&[Value]>,
        limit: i64,
    ) -> Result<Vec<Vec<Value>>> {
        read_rows_on(self.read(), t, after, limit).await
    }

    /// Writes rows (upsert on the key, so a re-run after an interruption is harmless).
    pub async fn write_rows(&self, t: &TableSpec, rows: &[Vec<Value>]) -> Result<()> {
        if rows.is_empty() {
            return Ok(());
        }
        let n = t.columns.len();
        let updates: Vec<String> = t
            .columns
            .iter()
            .filter(|(c, _)| !t.key.contains(c))
            .map(|(c, _)| format!("{c} = excluded.{c}"))
            .collect();
        let conflict = if updates.is_empty() {
            "DO NOTHING".to_owned()
        } else {
            format!("DO UPDATE SET {}", updates.join(", "))
        };
        let mut tx = self.begin_write().await?;
        // Stay well under the bound-parameter limits of both databases.
        let per_statement = (crate::sql::CHUNK / n).max(1);
        for chunk in rows.chunks(per_statement) {
            let values: Vec<String> = (0..chunk.len())
                .map(|i| format!("({})", placeholders(i * n + 1, n)))
                .collect();
            let sql = format!(
                "INSERT INTO {} ({}) VALUES {} ON CONFLICT ({}) {conflict}",
                t.name,
                column_list(t),
                values.join(", "),
                t.key.join(", ")
            );
            let mut q = sqlx::query(AssertSqlSafe(sql));
            for row in chunk {
                for (v, (_, kind)) in row.iter().zip(t.columns) {
                    q = bind_as(q, v, *kind);
                }
            }
            q.execute(&mut *tx).await?;
        }
        tx.commit().await?;
        Ok(())
    }

    /// The last key a table holds (for resuming a copy), or `None` when it is empty.
    pub async fn last_key(&self, t: &TableSpec) -> Result<Option<Vec<Value>>> {
        let keys = t.key.join(", ");
        let desc: Vec<String> = t.key.iter().map(|k| format!("{k} DESC")).collect();
        let sql = format!(
            "SELECT {keys} FROM {} ORDER BY {} LIMIT 1",
            t.name,
            desc.join(", ")
        );
        let row = sqlx::query(AssertSqlSafe(sql))
            .fetch_optional(self.read())
            .await?;
        let Some(row) = row else { return Ok(None) };
        let kinds: Vec<Kind> = t
            .key
            .iter()
            .map(|k| {
                t.columns
                    .iter()
                    .find(|(c, _)| c == k)
                    .map_or(Text, |(_, kind)| *kind)
            })
            .collect();
        Ok(Some(
            kinds
                .iter()
                .enumerate()
                .map(|(i, kind)| read_value(&row, i, *kind))
                .collect::<Result<_, _>>()?,
        ))
    }

    /// A table's row count and checksum.
    pub async fn table_sum(&self, t: &TableSpec) -> Result<TableSum> {
        let mut sum = TableSum::default();
        let mut after: Option<Vec<Value>> = None;
        loop {
            let rows = self.read_rows(t, after.as_deref(), t.batch()).await?;
            for r in &rows {
                sum.add(r);
            }
            match rows.last() {
                Some(last) if rows.len() == usize::try_from(t.batch()).unwrap_or(usize::MAX) => {
                    after = Some(key_of(t, last));
                }
                _ => return Ok(sum),
            }
        }
    }

    /// Deletes every row of every copied table (children first), for `--force`.
    pub async fn delete_all(&self) -> Result<()> {
        let mut tx = self.begin_write().await?;
        for t in TABLES.iter().rev() {
            // Site 1 stays (the copy overwrites it): the copy's own marker is kept in its
            // settings until the copy is done.
            let keep = if t.name == "sites" {
                " WHERE id <> 1"
            } else {
                ""
            };
            sqlx::query(AssertSqlSafe(format!("DELETE FROM {}{keep}", t.name)))
                .execute(&mut *tx)
                .await?;
        }
        tx.commit().await?;
        Ok(())
    }

    /// After rows were written with their ids, moves PostgreSQL's id generators past them.
    pub async fn reset_id_sequences(&self) -> Result<()> {
        if self.backend() != Backend::Postgres {
            return Ok(());
        }
        for t in TABLES
            .iter()
            .filter(|t| t.key == ["id"] && t.name != "stats_flushes")
        {
            let sql = format!(
                "SELECT setval(pg_get_serial_sequence('{0}', 'id'), COALESCE((SELECT MAX(id) FROM {0}), 0) + 1, false)",
                t.name
            );
            sqlx::query(AssertSqlSafe(sql))
                .execute(self.write())
                .await?;
        }
        Ok(())
    }
}

/// `SELECT COUNT(*)` of a table, through any connection (a pool, or a backup's snapshot).
pub(crate) async fn count_rows_on<'c>(
    exec: impl sqlx::Executor<'c, Database = sqlx::Any>,
    t: &TableSpec,
) -> Result<i64> {
    Ok(
        sqlx::query_scalar(AssertSqlSafe(format!("SELECT COUNT(*) FROM {}", t.name)))
            .fetch_one(exec)
            .await?,
    )
}

/// Rows of `t` in key order after the key `after`, through any connection (a pool, or a
/// backup's snapshot).
pub(crate) async fn read_rows_on<'c>(
    exec: impl sqlx::Executor<'c, Database = sqlx::Any>,
    t: &TableSpec,
    after: Option<&[Value]>,
    limit: i64,
) -> Result<Vec<Vec<Value>>> {
    let keys = t.key.join(", ");
    let mut sql = format!("SELECT {} FROM {}", column_list(t), t.name);
    if after.is_some() {
        sql.push_str(&format!(
            " WHERE ({keys}) > ({})",
            placeholders(1, t.key.len())
        ));
    }
    sql.push_str(&format!(" ORDER BY {keys} LIMIT {limit}"));
    let mut q = sqlx::query(AssertSqlSafe(sql));
    for v in after.unwrap_or(&[]) {
        q = bind(q, v);
    }
    let rows = q.fetch_all(exec).await?;
    rows.iter()
        .map(|r| {
            t.columns
                .iter()
                .enumerate()
                .map(|(i, (_, kind))| read_value(r, i, *kind).map_err(Error::from))
                .collect()
        })
        .collect()
}

/// The key values of a row, in key order.
pub fn key_of(t: &TableSpec, row: &[Value]) -> Vec<Value> {
    t.key
        .iter()
        .filter_map(|k| t.columns.iter().position(|(c, _)| c == k))
        .map(|i| row[i].clone())
        .collect()
}

/// [`bind`], a NULL typed as its column: PostgreSQL gives each column of a multi-row VALUES
/// one type, so a NULL sent as a number beside a text in the same column is refused.
fn bind_as<'q>(
    q: sqlx::query::Query<'q, sqlx::Any, sqlx::any::AnyArguments>,
    v: &'q Value,
    kind: Kind,
) -> sqlx::query::Query<'q, sqlx::Any, sqlx::any::AnyArguments> {
    match (v, kind) {
        (Value::Null, Text) => q.bind(Option::<String>::None),
        (Value::Null, Bytes) => q.bind(Option::<Vec<u8>>::None),
        _ => bind(q, v),
    }
}

fn bind<'q>(
    q: sqlx::query::Query<'q, sqlx::Any, sqlx::any::AnyArguments>,
    v: &'q Value,
) -> sqlx::query::Query<'q, sqlx::Any, sqlx::any::AnyArguments> {
    match v {
        Value::Null => q.bind(Option::<i64>::None),
        Value::Int(i) => q.bind(*i),
        Value::Text(s) => q.bind(s.as_str()),
        Value::Bytes(b) => q.bind(b.as_slice()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every table the migrations create is in `TABLES` with every column.
    #[tokio::test]
    async fn every_table_is_copied() {
        let dir = tempfile::tempdir().expect("dir");
        let cfg = cong_config::DatabaseConfig {
            url: format!("sqlite://{}", dir.path().join("t.db").display()),
            ..Default::default()
        };
        let store = Store::open(&cfg).await.expect("open");
        store.migrate().await.expect("migrate");
        let tables: Vec<String> = sqlx::query_scalar(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite%' AND name <> '_sqlx_migrations' ORDER BY name",
        )
        .fetch_all(store.read())
        .await
        .expect("tables");
        let mut listed: Vec<String> = TABLES.iter().map(|t| t.name.to_owned()).collect();
        listed.sort();
        assert_eq!(tables, listed);
        for t in TABLES {
            let cols: Vec<String> = sqlx::query_scalar(AssertSqlSafe(format!(
                "SELECT name FROM pragma_table_info('{}') ORDER BY cid",
                t.name
            )))
            .fetch_all(store.read())
            .await
            .expect("columns");
            let spec: Vec<&str> = t.columns.iter().map(|(c, _)| *c).collect();
            assert_eq!(cols, spec, "columns of {}", t.name);
        }
    }

    #[test]
    fn checksums_ignore_order_but_not_values() {
        let a = vec![Value::Int(1), Value::Text("Hội nghị".into())];
        let b = vec![Value::Int(2), Value::Null];
        let s1 = row_hash(&a).wrapping_add(row_hash(&b));
        let s2 = row_hash(&b).wrapping_add(row_hash(&a));
        assert_eq!(s1, s2);
        let c = vec![Value::Int(2), Value::Text(String::new())];
        assert_ne!(row_hash(&b), row_hash(&c), "NULL is not an empty string");
    }
}
