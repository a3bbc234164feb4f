//! Backups on the test backend: the snapshot holds still while the store changes, a restore
//! gives back the same rows and files, and a damaged or cut file is refused.

use super::manifest::DELETED_AFTER_SNAPSHOT;
use super::*;
use crate::Store;
use crate::copy::{TABLES, Value};
use crate::media::NewMedia;
use crate::testing::{TestDb, migrated_store};
use std::path::{Path, PathBuf};
use std::sync::Arc;

fn spec(name: &str) -> &'static crate::copy::TableSpec {
    TABLES.iter().find(|t| t.name == name).expect("table")
}

/// A user (by id), and an image with two resized widths whose files are in `media`.
async fn fill(store: &Store, media: &Path, user: i64, hash: &str) {
    store
        .write_rows(
            spec("users"),
            &[vec![
                Value::Int(user),
                Value::Text(format!("user{user}")),
                Value::Text("Người dùng".into()),
                Value::Text("editor".into()),
                Value::Text("$argon2id$x".into()),
                Value::Int(0),
                Value::Null,
                Value::Int(0),
                Value::Null,
                Value::Int(1),
                Value::Int(1),
                Value::Null,
                Value::Null,
            ]],
        )
        .await
        .expect("user");
    store
        .write_rows(
            spec("stats_secrets"),
            &[vec![Value::Int(20_000 + user), Value::Bytes(vec![7; 32])]],
        )
        .await
        .expect("secret");
    let mut tx = store.begin().await.expect("tx");
    let id = store
        .media(crate::SiteId::FIRST)
        .insert(
            &mut tx,
            &NewMedia {
                hash,
                file_name: &format!("{hash}.jpg"),
                mime: "image/jpeg",
                width: 10,
                height: 10,
                bytes: 5,
                original_name: "ảnh.jpg",
                search_key: "anh",
            },
            1,
        )
        .await
        .expect("media");
    store
        .media(crate::SiteId::FIRST)
        .set_widths(&mut tx, id, "320,640")
        .await
        .expect("widths");
    tx.commit().await.expect("commit");
    std::fs::create_dir_all(media).expect("media dir");
    for name in [
        format!("{hash}.jpg"),
        format!("{hash}-320.webp"),
        format!("{hash}-320.jpg"),
        format!("{hash}-640.webp"),
        format!("{hash}-640.jpg"),
    ] {
        std::fs::write(media.join(&name), format!("bytes of {name}")).expect("file");
    }
}

struct Site {
    _db: TestDb,
    store: Store,
    media: PathBuf,
    _dir: tempfile::TempDir,
}

async fn site() -> Site {
    let dir = tempfile::tempdir().expect("dir");
    let (db, store) = migrated_store(dir.path()).await;
    let media = dir.path().join("media");
    fill(&store, &media, 1, "aaaa").await;
    Site {
        _db: db,
        store,
        media,
        _dir: dir,
    }
}

async fn backup(site: &Site, dest: &Path) -> crate::Result<Written> {
    let snap = site.store.snapshot().await?;
    snap.write_to(&site.store, &site.media, dest, Arc::new(()))
        .await
}

/// What was written after the snapshot is not in the backup, though it is read later; a
/// restore gives back exactly the snapshot's rows and files.
#[tokio::test]
async fn the_backup_is_the_moment_of_its_snapshot_and_restores_exactly() {
    let site = site().await;
    let out = tempfile::tempdir().expect("out");
    let dest = out.path().join("b.tar.gz");
    let snap = site.store.snapshot().await.expect("snapshot");
    // After the snapshot: another user and image, which the backup must not hold.
    fill(&site.store, &site.media, 2, "bbbb").await;
    let written = snap
        .write_to(&site.store, &site.media, &dest, Arc::new(()))
        .await
        .expect("backup");
    let m = &written.manifest;
    assert_eq!(m.table("users").expect("users").rows, 1);
    assert_eq!(m.table("media").expect("media").rows, 1);
    assert_eq!(m.media.len(), 5, "{:?}", m.media);
    assert!(m.media.iter().all(|f| f.file.starts_with("aaaa")));
    assert!(m.media_absent.is_empty());
    assert!(!part_path(&dest).exists(), "no temporary file left");

    let v = verify(&dest, &()).expect("verify");
    assert!(v.is_good(), "{:?}", v.problems);
    assert_eq!(v.media_files, 5);

    let dir = tempfile::tempdir().expect("dir");
    let (_db, target) = migrated_store(dir.path()).await;
    let media = dir.path().join("restored-media");
    let r = target
        .restore_from(&dest, &media, Arc::new(()))
        .await
        .expect("restore");
    assert!(r.is_good(), "{:?}", r.problems);
    for t in TABLES {
        let sum = target.table_sum(t).await.expect("sum");
        assert!(
            m.table(t.name).expect("listed").matches(&sum),
            "{} restored as in the manifest",
            t.name
        );
    }
    for f in &m.media {
        let bytes = std::fs::read(media.join(&f.file)).expect("restored file");
        assert_eq!(blake3::hash(&bytes).to_hex().to_string(), f.blake3);
    }
    // The id generators moved on: a new image does not collide with the restored one.
    fill(&target, &media, 3, "cccc").await;
}

/// An image deleted (row and files) after the snapshot, before its files were read: the
/// backup still succeeds, and its manifest says which files are absent and why.
#[tokio::test]
async fn an_image_deleted_after_the_snapshot_is_recorded_as_absent() {
    let site = site().await;
    let out = tempfile::tempdir().expect("out");
    let dest = out.path().join("b.tar.gz");
    let snap = site.store.snapshot().await.expect("snapshot");
    let mut tx = site.store.begin().await.expect("tx");
    let id = site
        .store
        .media(crate::SiteId::FIRST)
        .find_by_hash("aaaa")
        .await
        .expect("find")
        .expect("there")
        .id;
    assert!(
        site.store
            .media(crate::SiteId::FIRST)
            .delete_unused(&mut tx, id)
            .await
            .expect("delete")
    );
    tx.commit().await.expect("commit");
    for e in std::fs::read_dir(&site.media).expect("dir") {
        std::fs::remove_file(e.expect("entry").path()).expect("rm");
    }
    let written = snap
        .write_to(&site.store, &site.media, &dest, Arc::new(()))
        .await
        .expect("a backup all the same");
    let m = &written.manifest;
    assert_eq!(
        m.table("media").expect("media").rows,
        1,
        "the snapshot's row"
    );
    assert!(m.media.is_empty());
    assert_eq!(m.media_absent.len(), 5);
    assert!(
        m.media_absent
            .iter()
            .all(|a| a.reason == DELETED_AFTER_SNAPSHOT)
    );
    assert!(verify(&dest, &()).expect("verify").is_good());
}

/// A file missing while the library still lists its image is a real loss: an error that
/// names it, and no backup file.
#[tokio::test]
async fn a_missing_file_of_a_listed_image_is_an_error_naming_it() {
    let site = site().await;
    std::fs::remove_file(site.media.join("aaaa-640.webp")).expect("rm");
    let out = tempfile::tempdir().expect("out");
    let dest = out.path().join("b.tar.gz");
    let e = backup(&site, &dest).await.expect_err("refused");
    assert!(e.to_string().contains("aaaa-640.webp"), "{e}");
    assert!(!dest.exists());
    assert!(!part_path(&dest).exists(), "the temporary file is removed");
}

/// A file cut short, or with one byte changed anywhere, is never taken for a good backup.
#[tokio::test]
async fn a_cut_or_damaged_file_is_refused() {
    let site = site().await;
    let out = tempfile::tempdir().expect("out");
    let dest = out.path().join("b.tar.gz");
    backup(&site, &dest).await.expect("backup");
    let bytes = std::fs::read(&dest).expect("read");
    let bad = out.path().join("bad.tar.gz");
    for cut in [bytes.len() - 1, bytes.len() - 8, bytes.len() / 2, 100] {
        std::fs::write(&bad, &bytes[..cut]).expect("write");
        assert!(
            verify(&bad, &()).is_err(),
            "cut at {cut} of {}",
            bytes.len()
        );
    }
    // Every 7th byte in turn, past the gzip header (whose time and OS bytes no check
    // covers, nor need to). A few bits of a compressed stream change nothing it unpacks to
    // (the code of a symbol never used): those are the same backup.
    let unpacked = |b: &[u8]| {
        let mut out = Vec::new();
        std::io::Read::read_to_end(&mut flate2::read::GzDecoder::new(b), &mut out).map(|_| out)
    };
    let original = unpacked(&bytes).expect("unpacks");
    let mut caught = 0;
    for at in (10..bytes.len()).step_by(7) {
        let mut b = bytes.clone();
        b[at] ^= 0x20;
        if unpacked(&b).is_ok_and(|u| u == original) {
            continue;
        }
        std::fs::write(&bad, &b).expect("write");
        let good = verify(&bad, &()).map(|v| v.is_good()).unwrap_or(false);
        assert!(!good, "a flipped byte at {at} went unnoticed");
        caught += 1;
    }
    assert!(caught > bytes.len() / 10, "{caught} damaged files tried");
}

/// Of several nodes, one takes each scheduled slot; a later slot is free again.
#[tokio::test]
async fn a_backup_slot_is_taken_once() {
    let dir = tempfile::tempdir().expect("dir");
    let (_db, store) = migrated_store(dir.path()).await;
    assert!(store.claim_backup_slot(1_000).await.expect("claim"));
    assert!(!store.claim_backup_slot(1_000).await.expect("again"));
    assert!(!store.claim_backup_slot(900).await.expect("older"));
    assert!(store.claim_backup_slot(10_000).await.expect("newer"));
}

/// A file that cannot be written gives the writer's own error, naming the path.
#[tokio::test]
async fn an_unwritable_destination_is_named() {
    let site = site().await;
    let out = tempfile::tempdir().expect("out");
    let dest = out.path().join("no-such-folder").join("b.tar.gz");
    let e = backup(&site, &dest).await.expect_err("refused");
    assert!(e.to_string().contains("no-such-folder"), "{e}");
}
