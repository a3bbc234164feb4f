//! Scheduled backups from a running node: at each time `[backup].schedule` names, the node
//! that claims that slot in the database (one of several sharing it) writes a backup into
//! `[backup].folder`, keeps the newest `keep`, and reports the outcome in the log and in
//! [`BackupStatus`] (which `/healthz?details` shows).

use crate::Clock;
use cong_config::{BackupConfig, Schedule};
use cong_store::Store;
use jiff::tz::TimeZone;
use jiff::{SignedDuration, Timestamp};
use std::future::Future;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// The outcome of the last backup this node made.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct LastBackup {
    /// When it ended (UTC, RFC 3339).
    pub finished_at: String,
    /// The file's name in the backup folder.
    pub file: String,
    pub bytes: u64,
    pub seconds: f64,
    pub ok: bool,
    /// Why it failed (for the log and the operator; not served to the public).
    #[serde(skip)]
    pub error: Option<String>,
}

/// What this node knows of its scheduled backups; shared (in an `Arc`) with the web layer.
#[derive(Debug, Default)]
pub struct BackupStatus {
    last: Mutex<Option<LastBackup>>,
    running: AtomicBool,
}

impl BackupStatus {
    /// The last backup this node made, if any since it started.
    pub fn last(&self) -> Option<LastBackup> {
        self.last.lock().unwrap_or_else(|p| p.into_inner()).clone()
    }

    /// True while this node writes a backup.
    pub fn running(&self) -> bool {
        self.running.load(Ordering::Relaxed)
    }

    fn record(&self, last: LastBackup) {
        let result = if last.ok { "ok" } else { "failed" };
        metrics::counter!("cong_backups_total", "result" => result).increment(1);
        *self.last.lock().unwrap_or_else(|p| p.into_inner()) = Some(last);
    }
}

/// The name of a backup made at `at`: `cong-backup-20261208T030000Z.tar.gz`, which sorts by
/// time (retention relies on it).
pub fn file_name(at: Timestamp) -> String {
    format!("cong-backup-{}.tar.gz", at.strftime("%Y%m%dT%H%M%SZ"))
}

fn is_backup_name(name: &str) -> bool {
    name.starts_with("cong-backup-") && name.ends_with(".tar.gz")
}

/// The most recent time the schedule names at or before `now`, as epoch seconds.
pub fn last_slot(schedule: Schedule, tz: &TimeZone, now: Timestamp) -> i64 {
    match schedule {
        Schedule::Every(d) => {
            let every = d.as_secs().max(1);
            now.as_second().div_euclid(every) * every
        }
        Schedule::Daily { hour, minute } => {
            let today = tz.to_datetime(now).date();
            let at = |date: jiff::civil::Date| {
                tz.to_timestamp(date.at(hour, minute, 0, 0))
                    .map_or(i64::MIN, Timestamp::as_second)
            };
            let t = at(today);
            if t <= now.as_second() {
                t
            } else {
                today.yesterday().map_or(t - 86_400, at)
            }
        }
    }
}

/// The first time the schedule names after `now`, as epoch seconds.
pub fn next_slot(schedule: Schedule, tz: &TimeZone, now: Timestamp) -> i64 {
    let last = last_slot(schedule, tz, now);
    match schedule {
        Schedule::Every(d) => last + d.as_secs().max(1),
        Schedule::Daily { hour, minute } => {
            let day = tz.to_datetime(now).date();
            [Ok(day), day.tomorrow()]
                .into_iter()
                .flatten()
                .filter_map(|d| tz.to_timestamp(d.at(hour, minute, 0, 0)).ok())
                .map(Timestamp::as_second)
                .find(|t| *t > now.as_second())
                .unwrap_or(last + 86_400)
        }
    }
}

/// Deletes all but the newest `keep` backups in `folder` (by name, which sorts by time);
/// returns the names deleted.
pub fn prune(folder: &Path, keep: usize) -> std::io::Result<Vec<String>> {
    let mut names: Vec<String> = std::fs::read_dir(folder)?
        .filter_map(|e| e.ok()?.file_name().into_string().ok())
        .filter(|n| is_backup_name(n))
        .collect();
    names.sort_unstable_by(|a, b| b.cmp(a));
    let old = names.split_off(keep.min(names.len()));
    for name in &old {
        std::fs::remove_file(folder.join(name))?;
    }
    Ok(old)
}

/// Removes temporary files of backups that stopped half-way (a killed node): hidden `.part`
/// files not written to for 10 minutes (a backup in progress writes to its own all along).
fn sweep_parts(folder: &Path) {
    let Ok(entries) = std::fs::read_dir(folder) else {
        return;
    };
    for e in entries.flatten() {
        let name = e.file_name().to_string_lossy().into_owned();
        let stale = e
            .metadata()
            .and_then(|m| m.modified())
            .ok()
            .and_then(|t| t.elapsed().ok())
            .is_some_and(|age| age > Duration::from_secs(600));
        if name.starts_with(".cong-backup-") && name.ends_with(".part") && stale {
            let _ = std::fs::remove_file(e.path());
        }
    }
}

/// The scheduled backups of one node.
pub struct Scheduler {
    store: Store,
    folder: PathBuf,
    schedule: Schedule,
    keep: usize,
    tz: TimeZone,
    clock: Arc<dyn Clock>,
    status: Arc<BackupStatus>,
}

impl Scheduler {
    pub fn new(
        config: &BackupConfig,
        store: Store,
        tz: TimeZone,
        clock: Arc<dyn Clock>,
        status: Arc<BackupStatus>,
    ) -> Scheduler {
        Scheduler {
            store,
            folder: PathBuf::from(&config.folder),
            schedule: config.schedule,
            keep: usize::try_from(config.keep).unwrap_or(usize::MAX).max(1),
            tz,
            clock,
            status,
        }
    }

    /// Until `stop`: at each slot of the schedule (and at once for a slot missed while no
    /// node ran), claims the slot and, if this node got it, makes the backup. Does nothing
    /// when no folder is set. A backup cut off by `stop` leaves no file.
    pub async fn run(self, stop: impl Future<Output = ()>) {
        if self.folder.as_os_str().is_empty() {
            return;
        }
        tracing::info!(folder = %self.folder.display(), schedule = %self.schedule, keep = self.keep, "scheduled backups on");
        tokio::pin!(stop);
        loop {
            let due = last_slot(self.schedule, &self.tz, self.clock.now());
            let wait = match self.store.claim_backup_slot(due).await {
                Ok(true) => {
                    tokio::select! {
                        () = &mut stop => return,
                        () = self.make() => {}
                    }
                    self.until_next()
                }
                Ok(false) => self.until_next(),
                Err(e) => {
                    tracing::warn!(error = %e, "scheduled backup not claimed; retrying in a minute");
                    Duration::from_secs(60)
                }
            };
            tokio::select! {
                () = &mut stop => return,
                () = tokio::time::sleep(wait) => {}
            }
        }
    }

    fn until_next(&self) -> Duration {
        let now = self.clock.now();
        let next = next_slot(self.schedule, &self.tz, now);
        let secs = next.saturating_sub(now.as_second()).max(1);
        Duration::from_secs(u64::try_from(secs).unwrap_or(60))
    }

    /// Makes one backup into the folder, prunes the old ones, and records the outcome.
    pub async fn make(&self) {
        self.status.running.store(true, Ordering::Relaxed);
        let started = Instant::now();
        let name = file_name(self.clock.now());
        let result = self.write(&self.folder.join(&name)).await;
        let seconds = started.elapsed().as_secs_f64();
        let finished_at = self.clock.now().to_string();
        let last = match result {
            Ok(w) => {
                tracing::info!(
                    file = %w.path.display(),
                    bytes = w.bytes,
                    took = ?SignedDuration::from_secs_f64(seconds),
                    media_files = w.manifest.media_files,
                    "backup made"
                );
                match prune(&self.folder, self.keep) {
                    Ok(old) if !old.is_empty() => {
                        tracing::info!(deleted = ?old, "older backups deleted");
                    }
                    Ok(_) => {}
                    Err(e) => tracing::warn!(error = %e, "older backups not deleted"),
                }
                LastBackup {
                    finished_at,
                    file: name,
                    bytes: w.bytes,
                    seconds,
                    ok: true,
                    error: None,
                }
            }
            Err(e) => {
                tracing::error!(error = %e, file = %name, "backup failed");
                LastBackup {
                    finished_at,
                    file: name,
                    bytes: 0,
                    seconds,
                    ok: false,
                    error: Some(e.to_string()),
                }
            }
        };
        self.status.record(last);
        self.status.running.store(false, Ordering::Relaxed);
    }

    async fn write(&self, dest: &Path) -> cong_store::Result<cong_store::backup::Written> {
        std::fs::create_dir_all(&self.folder).map_err(|e| {
            cong_store::Error::Backup(format!("cannot create {}: {e}", self.folder.display()))
        })?;
        sweep_parts(&self.folder);
        let snapshot = self.store.snapshot().await?;
        snapshot.write_to(dest, Arc::new(())).await
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ts(s: &str) -> Timestamp {
        s.parse().expect("timestamp")
    }

    #[test]
    fn daily_slots_are_local_times() {
        let tz = TimeZone::get("Asia/Ho_Chi_Minh").expect("tz");
        let at3 = Schedule::Daily { hour: 3, minute: 0 };
        // 03:00 in Hà Nội is 20:00 UTC the day before.
        let now = ts("2026-12-08T01:00:00Z"); // 08:00 local
        assert_eq!(
            last_slot(at3, &tz, now),
            ts("2026-12-07T20:00:00Z").as_second()
        );
        assert_eq!(
            next_slot(at3, &tz, now),
            ts("2026-12-08T20:00:00Z").as_second()
        );
        let now = ts("2026-12-07T19:59:59Z"); // 02:59:59 local
        assert_eq!(
            last_slot(at3, &tz, now),
            ts("2026-12-06T20:00:00Z").as_second()
        );
        assert_eq!(
            next_slot(at3, &tz, now),
            ts("2026-12-07T20:00:00Z").as_second()
        );
        let now = ts("2026-12-07T20:00:00Z"); // exactly 03:00: due now
        assert_eq!(last_slot(at3, &tz, now), now.as_second());
    }

    #[test]
    fn interval_slots_count_from_the_epoch() {
        let tz = TimeZone::UTC;
        let six = Schedule::Every(SignedDuration::from_hours(6));
        let now = ts("2026-12-08T13:10:00Z");
        assert_eq!(
            last_slot(six, &tz, now),
            ts("2026-12-08T12:00:00Z").as_second()
        );
        assert_eq!(
            next_slot(six, &tz, now),
            ts("2026-12-08T18:00:00Z").as_second()
        );
    }

    #[test]
    fn names_sort_by_time_and_retention_keeps_the_newest() {
        assert_eq!(
            file_name(ts("2026-12-08T03:00:05Z")),
            "cong-backup-20261208T030005Z.tar.gz"
        );
        let dir = tempfile::tempdir().expect("dir");
        let names = [
            "cong-backup-20261206T030000Z.tar.gz",
            "cong-backup-20261208T030000Z.tar.gz",
            "cong-backup-20261207T030000Z.tar.gz",
            "notes.txt",
            ".cong-backup-20261209T030000Z.tar.gz.part",
        ];
        for n in names {
            std::fs::write(dir.path().join(n), n).expect("write");
        }
        let deleted = prune(dir.path(), 2).expect("prune");
        assert_eq!(deleted, ["cong-backup-20261206T030000Z.tar.gz"]);
        let mut left: Vec<String> = std::fs::read_dir(dir.path())
            .expect("dir")
            .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
            .collect();
        left.sort();
        assert_eq!(
            left,
            [
                ".cong-backup-20261209T030000Z.tar.gz.part",
                "cong-backup-20261207T030000Z.tar.gz",
                "cong-backup-20261208T030000Z.tar.gz",
                "notes.txt"
            ]
        );
    }

    /// The node makes the due backup into the folder, keeps `keep`, and says so in its
    /// status; a second node on the same database does not make the same slot again.
    #[tokio::test]
    async fn a_scheduled_backup_is_made_once_per_slot_and_reported() {
        let dir = tempfile::tempdir().expect("dir");
        let (_db, store) = cong_store::testing::migrated_store(dir.path()).await;
        let folder = dir.path().join("backups");
        std::fs::create_dir_all(&folder).expect("folder");
        for old in [
            "cong-backup-20000101T000000Z.tar.gz",
            "cong-backup-20000102T000000Z.tar.gz",
        ] {
            std::fs::write(folder.join(old), "old").expect("old");
        }
        let config = BackupConfig {
            folder: folder.display().to_string(),
            schedule: Schedule::Every(SignedDuration::from_hours(24)),
            keep: 2,
        };
        let node = |status: Arc<BackupStatus>| {
            Scheduler::new(
                &config,
                store.clone(),
                TimeZone::UTC,
                Arc::new(crate::SystemClock),
                status,
            )
        };
        let (a, b) = (
            Arc::new(BackupStatus::default()),
            Arc::new(BackupStatus::default()),
        );
        let stop = tokio::time::sleep(Duration::from_secs(3));
        tokio::join!(node(a.clone()).run(stop), async {
            tokio::time::sleep(Duration::from_millis(500)).await;
            node(b.clone())
                .run(tokio::time::sleep(Duration::from_secs(1)))
                .await;
        });
        let last = a.last().expect("node A made the due backup");
        assert!(last.ok, "{:?}", last.error);
        assert!(last.bytes > 0);
        assert!(b.last().is_none(), "node B found the slot taken");
        let mut left: Vec<String> = std::fs::read_dir(&folder)
            .expect("dir")
            .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
            .collect();
        left.sort();
        assert_eq!(
            left,
            ["cong-backup-20000102T000000Z.tar.gz", last.file.as_str()]
        );
        let v = cong_store::backup::verify(&folder.join(&last.file), &()).expect("verify");
        assert!(v.is_good(), "{:?}", v.problems);
    }
}
