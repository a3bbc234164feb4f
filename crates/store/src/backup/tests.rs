//! Backups on the test backend: the snapshot holds still while the store changes, a restore
//! gives back the same rows and files, and a damaged or cut file is refused.

use super::*;
use crate::Store;
use crate::copy::{TABLES, Value};
use crate::media::NewMedia;
use crate::testing::{TestDb, migrated_store};
use std::path::Path;
use std::sync::Arc;

fn spec(name: &str) -> &'static crate::copy::TableSpec {
    TABLES.iter().find(|t| t.name == name).expect("table")
}

/// The files of the image `hash`, with two resized widths.
fn files(hash: &str) -> Vec<String> {
    crate::media::files_of(hash, &format!("{hash}.jpg"), "320,640")
}

/// A user (by id), and an image with two resized widths whose files are stored with it.
async fn fill(store: &Store, user: i64, hash: &str) {
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
                Value::Null,
                // notices
                Value::Int(1),
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
    for name in files(hash) {
        store
            .media_files()
            .insert(&mut tx, &name, format!("bytes of {name}").as_bytes(), 1)
            .await
            .expect("file");
    }
    tx.commit().await.expect("commit");
}

struct Site {
    _db: TestDb,
    store: Store,
    _dir: tempfile::TempDir,
}

async fn site() -> Site {
    let dir = tempfile::tempdir().expect("dir");
    let (db, store) = migrated_store(dir.path()).await;
    fill(&store, 1, "aaaa").await;
    Site {
        _db: db,
        store,
        _dir: dir,
    }
}

async fn backup(site: &Site, dest: &Path) -> crate::Result<Written> {
    let snap = site.store.snapshot().await?;
    snap.write_to(dest, Arc::new(())).await
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
    fill(&site.store, 2, "bbbb").await;
    let written = snap.write_to(&dest, Arc::new(())).await.expect("backup");
    let m = &written.manifest;
    assert_eq!(m.table("users").expect("users").rows, 1);
    assert_eq!(m.table("media").expect("media").rows, 1);
    assert_eq!(m.table("media_files").expect("files").rows, 5);
    let stored: u64 = files("aaaa")
        .iter()
        .map(|n| format!("bytes of {n}").len() as u64)
        .sum();
    assert_eq!((m.media_files, m.media_bytes), (5, stored));
    assert!(!part_path(&dest).exists(), "no temporary file left");

    let v = verify(&dest, &()).expect("verify");
    assert!(v.is_good(), "{:?}", v.problems);
    assert_eq!(v.media_files, 5);

    let dir = tempfile::tempdir().expect("dir");
    let (_db, target) = migrated_store(dir.path()).await;
    let r = target
        .restore_from(&dest, Arc::new(()))
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
    for name in files("aaaa") {
        let bytes = target.media_files().get(&name).await.expect("get");
        assert_eq!(
            bytes,
            Some(format!("bytes of {name}").into_bytes()),
            "{name}"
        );
    }
    assert_eq!(
        target.media_files().get("bbbb.jpg").await.expect("get"),
        None
    );
    // The id generators moved on: a new image does not collide with the restored one.
    fill(&target, 3, "cccc").await;
}

/// An image deleted (row and files) after the snapshot, before the backup read it: the
/// backup holds it whole all the same, files and row of the same moment.
#[tokio::test]
async fn an_image_deleted_after_the_snapshot_is_whole_in_the_backup() {
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
    site.store
        .media_files()
        .delete(&mut tx, &files("aaaa"))
        .await
        .expect("delete files");
    tx.commit().await.expect("commit");
    let written = snap.write_to(&dest, Arc::new(())).await.expect("backup");
    let m = &written.manifest;
    assert_eq!(
        m.table("media").expect("media").rows,
        1,
        "the snapshot's row"
    );
    assert_eq!(m.media_files, 5, "and its files");
    assert!(verify(&dest, &()).expect("verify").is_good());
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
