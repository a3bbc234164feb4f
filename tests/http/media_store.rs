//! Media files kept in the store: the node's media folder is a cache of them, filled on
//! demand, bounded by `media.cache_max_mb`, and files only an older install's folder had are
//! copied into the store at start.

use crate::support::*;
use std::time::{Duration, Instant};

const PW: &str = "Giấy trắng 2026!";

/// The demo's first image original (`{hash}.jpg`).
async fn a_demo_original(app: &TestApp) -> String {
    let store = app.store().await;
    let (rows, _) = store
        .media(cong_store::SiteId::FIRST)
        .list(None, 1, 0)
        .await
        .expect("media");
    rows[0].file_name.clone()
}

fn folder_files(app: &TestApp) -> Vec<(String, u64)> {
    let mut out: Vec<(String, u64)> = std::fs::read_dir(app.dir.path().join("media"))
        .map(|d| {
            d.filter_map(Result::ok)
                .filter(|e| !e.file_name().to_string_lossy().starts_with('.'))
                .map(|e| {
                    let len = e.metadata().map(|m| m.len()).unwrap_or(0);
                    (e.file_name().to_string_lossy().into_owned(), len)
                })
                .collect()
        })
        .unwrap_or_default();
    out.sort();
    out
}

/// A file deleted from the folder (or never there: the node's folder starts empty) is read
/// from the store, written back, and served with ranges and validators as before.
#[tokio::test]
async fn a_file_missing_from_the_folder_is_served_from_the_store() {
    let app = TestApp::start().await;
    let name = a_demo_original(&app).await;
    let path = format!("/media/{name}");
    let first = app.get(&path).await;
    assert_eq!(first.status(), 200);
    assert_eq!(first.headers()["content-type"], "image/jpeg");
    let bytes = first.bytes().await.expect("bytes");
    let stored = app
        .store()
        .await
        .media_files()
        .get(&name)
        .await
        .expect("get")
        .expect("stored");
    assert_eq!(bytes.as_ref(), stored.as_slice(), "the stored bytes");
    let on_disk = app.dir.path().join("media").join(&name);
    assert!(on_disk.exists(), "written into the folder");
    std::fs::remove_file(&on_disk).expect("rm");
    let again = app.get(&path).await;
    assert_eq!(again.status(), 200, "served again from the store");
    assert_eq!(again.bytes().await.expect("bytes"), bytes);
    assert!(on_disk.exists(), "and written back");
    // What ServeDir gives stays: ranges, and a 304 for a copy the browser has.
    let range = app
        .client()
        .get(app.url(&path))
        .header("range", "bytes=0-9")
        .send()
        .await
        .expect("range");
    assert_eq!(range.status(), 206);
    assert_eq!(range.bytes().await.expect("bytes").as_ref(), &bytes[..10]);
    std::fs::remove_file(&on_disk).expect("rm");
    let head = app
        .client()
        .head(app.url(&path))
        .send()
        .await
        .expect("head");
    assert_eq!(head.status(), 200, "HEAD fetches it too");
    assert_eq!(
        head.headers()["content-length"],
        bytes.len().to_string().as_str()
    );
    // Names that no stored file has, or no media file can have, stay 404.
    for bad in [
        "/media/0123456789abcdef0123456789abcdef.jpg",
        "/media/.hidden",
        "/media/a%2Fb.jpg",
        "/media/..%2Fcong.db",
    ] {
        assert_eq!(app.get(bad).await.status(), 404, "{bad}");
    }
}

/// Past `media.cache_max_mb` the least recently served files leave the folder; each is
/// still served (from the store again) when asked for.
#[tokio::test]
async fn the_folder_stays_within_its_bound() {
    let app = TestApp::builder()
        .env("CONG_MEDIA__CACHE_MAX_MB", "1")
        .start()
        .await;
    app.add_user("bientap", "editor", PW);
    let mut b = app.login("bientap", PW).await;
    b.get_page("/quan-tri/anh").await;
    // Four images of noise (JPEG cannot make them small; each file well under the bound),
    // with the demo's: well past 1 MB.
    for seed in 1..=4 {
        let res = b
            .upload(&format!("nhieu-{seed}.jpg"), noisy_jpeg(500, 400, seed), "")
            .await;
        assert_eq!(res.status(), 303, "uploaded");
    }
    // Images only: attachments (stored beside them) are served by /tep/, not /media/.
    let names: Vec<String> = stored_media_files(&app.store().await)
        .await
        .into_iter()
        .filter(|n| {
            [".jpg", ".png", ".webp", ".gif"]
                .iter()
                .any(|e| n.ends_with(e))
        })
        .collect();
    let mut served = 0u64;
    for name in &names {
        let res = app.get(&format!("/media/{name}")).await;
        assert_eq!(res.status(), 200, "{name}");
        served += res.bytes().await.expect("bytes").len() as u64;
        let kept: u64 = folder_files(&app).iter().map(|(_, len)| len).sum();
        assert!(kept <= 1024 * 1024, "{kept} bytes kept after {name}");
    }
    assert!(served > 2 * 1024 * 1024, "the test serves {served} bytes");
    let kept = folder_files(&app);
    assert!(kept.len() < names.len(), "some files left the folder");
    // The most recently served file is there; the first one served went first.
    assert!(kept.iter().any(|(n, _)| n == names.last().expect("one")));
    assert!(!kept.iter().any(|(n, _)| n == &names[0]));
    let res = app.get(&format!("/media/{}", names[0])).await;
    assert_eq!(
        res.status(),
        200,
        "an evicted file comes back from the store"
    );
}

/// An install from before files were stored: files only its folder has are copied into the
/// store at start, so nothing is lost when the folder becomes a cache.
#[tokio::test]
async fn files_only_the_folder_has_are_stored_at_start() {
    let mut app = TestApp::start().await;
    let name = a_demo_original(&app).await;
    let res = app.get(&format!("/media/{name}")).await;
    assert_eq!(res.status(), 200);
    let bytes = res.bytes().await.expect("bytes");
    app.stop().await;
    // As before this version: the row, the file in the folder, no stored copy.
    let store = app.store().await;
    let mut tx = store.begin().await.expect("tx");
    store
        .media_files()
        .delete(&mut tx, std::slice::from_ref(&name))
        .await
        .expect("delete");
    tx.commit().await.expect("commit");
    assert_eq!(store.media_files().get(&name).await.expect("get"), None);
    app.restart().await;
    let start = Instant::now();
    loop {
        if let Some(copied) = store.media_files().get(&name).await.expect("get") {
            assert_eq!(copied, bytes.as_ref(), "the folder's bytes");
            break;
        }
        assert!(
            start.elapsed() < Duration::from_secs(10),
            "not stored at start:\n{}",
            app.stderr()
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    // Logged once the whole folder is through (just after the row above is written).
    while !app.stderr().contains("media files from the folder stored") {
        assert!(
            start.elapsed() < Duration::from_secs(20),
            "the copy was not logged:\n{}",
            app.stderr()
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    // Now another node, with an empty folder, would serve it: so does this one without it.
    std::fs::remove_file(app.dir.path().join("media").join(&name)).expect("rm");
    let again = app.get(&format!("/media/{name}")).await;
    assert_eq!(again.status(), 200);
    assert_eq!(again.bytes().await.expect("bytes"), bytes);
}
