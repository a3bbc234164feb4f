//! The index on disk: created, reopened, recovered when damaged, owned by one process, and
//! never deleting files that are not its own.

use std::fs;

use cong_search::{Index, Kind, Opened, SearchError};

use crate::corpus::corpus;
use crate::search;

fn built(dir: &std::path::Path) -> Index {
    let (index, opened) = Index::open_or_create(dir).expect("open");
    assert_eq!(opened, Opened::Created);
    index.rebuild(corpus(), |_| {}).expect("rebuild");
    index
}

#[test]
fn created_then_reopened() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let dir = tmp.path().join("search");
    let index = built(&dir);
    index.delete(Kind::Article, 1).expect("delete");
    drop(index);
    let (index, opened) = Index::open_or_create(&dir).expect("reopen");
    assert_eq!(opened, Opened::Existing);
    assert_eq!(index.len(), 45);
    assert_eq!(
        search(&index, "dương liễu").hits[0].slug,
        "cay-duong-lieu-ven-bien"
    );
}

#[test]
fn a_second_owner_is_refused_and_nothing_is_deleted() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let index = built(tmp.path());
    let err = Index::open_or_create(tmp.path()).err().expect("locked");
    assert!(matches!(err, SearchError::Locked(_)), "{err}");
    assert_eq!(index.len(), 46);
    assert_eq!(
        search(&index, "hội nghị").total,
        search(&index, "hoi nghi").total
    );
}

#[test]
fn damaged_meta_is_recreated_and_other_files_survive() {
    let tmp = tempfile::tempdir().expect("tempdir");
    drop(built(tmp.path()));
    fs::write(tmp.path().join("meta.json"), "{ not json").expect("damage");
    fs::write(tmp.path().join("notes.txt"), "không phải của chỉ mục").expect("write");
    let (index, opened) = Index::open_or_create(tmp.path()).expect("open");
    assert!(matches!(opened, Opened::Recreated { .. }), "{opened:?}");
    assert!(index.is_empty());
    assert!(tmp.path().join("notes.txt").exists());
    index.rebuild(corpus(), |_| {}).expect("rebuild");
    assert_eq!(index.len(), 46);
}

#[test]
fn missing_segment_file_is_recreated() {
    let tmp = tempfile::tempdir().expect("tempdir");
    drop(built(tmp.path()));
    let segment_file = fs::read_dir(tmp.path())
        .expect("read_dir")
        .filter_map(Result::ok)
        .map(|e| e.path())
        .find(|p| p.extension().is_some_and(|e| e == "idx"))
        .expect("a segment's .idx file");
    fs::remove_file(segment_file).expect("remove");
    let (index, opened) = Index::open_or_create(tmp.path()).expect("open");
    let Opened::Recreated { reason } = opened else {
        panic!("expected Recreated, got {opened:?}")
    };
    assert!(!reason.is_empty());
    assert!(index.is_empty());
}

#[test]
fn leftover_files_without_meta_are_cleared() {
    let tmp = tempfile::tempdir().expect("tempdir");
    drop(built(tmp.path()));
    fs::remove_file(tmp.path().join("meta.json")).expect("remove meta");
    let (index, opened) = Index::open_or_create(tmp.path()).expect("open");
    assert!(matches!(opened, Opened::Recreated { .. }), "{opened:?}");
    assert!(index.is_empty());
}
