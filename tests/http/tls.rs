//! HTTPS from certificate files (`server.tls.mode = "files"`): HTTP/2 and HTTP/1.1 by ALPN,
//! HSTS, `Secure` cookies and `https://` links; plain HTTP only redirects; TLS 1.0 and 1.1
//! refused; a replaced pair of files served without a restart, open connections kept.

use crate::support::*;
use std::path::{Path, PathBuf};
use std::time::Duration;

/// A self-signed certificate for `names`, written as `{stem}.crt` and `{stem}.key`.
pub fn self_signed(dir: &Path, stem: &str, names: &[&str]) -> (PathBuf, PathBuf, String) {
    let names: Vec<String> = names.iter().map(|n| (*n).to_owned()).collect();
    let c = rcgen::generate_simple_self_signed(names).expect("certificate");
    let cert = dir.join(format!("{stem}.crt"));
    let key = dir.join(format!("{stem}.key"));
    let pem = c.cert.pem();
    std::fs::write(&cert, &pem).expect("write cert");
    std::fs::write(&key, c.signing_key.serialize_pem()).expect("write key");
    (cert, key, pem)
}

fn der_of(pem: &str) -> Vec<u8> {
    use rustls::pki_types::CertificateDer;
    use rustls::pki_types::pem::PemObject;
    CertificateDer::from_pem_slice(pem.as_bytes())
        .expect("pem")
        .to_vec()
}

async fn files_node(dir: &Path, cert: &Path, key: &Path, roots: &str) -> TestApp {
    let _ = dir;
    TestApp::builder()
        .env("CONG_SERVER__TLS__MODE", "files")
        .env("CONG_SERVER__TLS__LISTEN", "127.0.0.1:0")
        .env("CONG_SERVER__TLS__CERT_FILE", cert.to_str().expect("path"))
        .env("CONG_SERVER__TLS__KEY_FILE", key.to_str().expect("path"))
        .tls_root(roots)
        .start()
        .await
}

/// Runs a command, returning whether it succeeded and what it printed (both streams).
async fn run(program: &str, args: &[&str]) -> (bool, String) {
    let out = tokio::process::Command::new(program)
        .args(args)
        .stdin(std::process::Stdio::null())
        .output()
        .await
        .unwrap_or_else(|e| panic!("{program} not run: {e}"));
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    (out.status.success(), text)
}

#[tokio::test]
async fn https_serves_http2_with_hsts_and_secure_cookies_and_plain_http_only_redirects() {
    let dir = tempfile::tempdir().expect("dir");
    let (cert, key, pem) = self_signed(dir.path(), "site", &["localhost"]);
    let app = files_node(dir.path(), &cert, &key, &pem).await;
    assert!(app.https, "the node printed an https listener");

    let res = app.get("/").await;
    assert_eq!(res.status(), 200);
    assert_eq!(res.version(), reqwest::Version::HTTP_2, "h2 by ALPN");
    assert_eq!(
        res.headers()
            .get("strict-transport-security")
            .and_then(|v| v.to_str().ok()),
        Some("max-age=31536000"),
        "HSTS over HTTPS, without includeSubDomains"
    );
    let body = res.text().await.expect("body");
    let own = format!("https://localhost:{}/", app.port);
    assert!(
        body.contains(&format!("rel=\"canonical\" href=\"{own}")),
        "canonical address over https"
    );
    assert!(
        !body.contains(&format!("http://localhost:{}", app.port)),
        "no plain-http link to itself"
    );

    // HTTP/1.1 stays available.
    let h1 = https_client_alpn(
        reqwest::Client::builder().http1_only().user_agent(CHROME),
        &[&pem],
        &[b"http/1.1"],
    );
    let res = h1.get(app.url("/tin-tuc")).send().await.expect("h1");
    assert_eq!(res.version(), reqwest::Version::HTTP_11);
    assert!(res.status().is_success() || res.status() == 404);

    // Cookies are Secure over HTTPS.
    let res = app.get("/dang-nhap").await;
    assert_eq!(res.status(), 200);
    let cookie = res
        .headers()
        .get("set-cookie")
        .and_then(|v| v.to_str().ok())
        .expect("login page sets its cookie")
        .to_owned();
    assert!(cookie.contains("; Secure"), "{cookie}");

    // Plain HTTP: a permanent redirect to the same path and query over https.
    let plain = client_from(None, CHROME);
    let base = format!("http://127.0.0.1:{}", app.plain_port);
    let res = plain
        .get(format!("{base}/tin-tuc?trang=2"))
        .send()
        .await
        .expect("plain");
    assert_eq!(res.status(), 301);
    assert_eq!(
        res.headers().get("location").and_then(|v| v.to_str().ok()),
        Some(format!("https://127.0.0.1:{}/tin-tuc?trang=2", app.port).as_str())
    );
    assert!(res.headers().get("strict-transport-security").is_none());
    let res = plain
        .post(format!("{base}/dang-nhap"))
        .send()
        .await
        .expect("post");
    assert_eq!(res.status(), 308, "a form's POST stays a POST");
    let res = plain
        .get(format!("{base}/.well-known/acme-challenge/no-such-token"))
        .send()
        .await
        .expect("challenge");
    assert_eq!(res.status(), 404);
    let res = plain
        .get(format!("{base}/"))
        .header("host", "bad host!")
        .send()
        .await
        .expect("bad host");
    assert_eq!(res.status(), 400);

    // curl, an independent client, negotiates HTTP/2.
    let url = format!("https://localhost:{}/", app.port);
    let (ok, out) = run(
        "curl",
        &[
            "-sS",
            "--http2",
            "--cacert",
            cert.to_str().expect("path"),
            "-o",
            "/dev/null",
            "-w",
            "%{http_version}",
            &url,
        ],
    )
    .await;
    assert!(ok, "curl: {out}");
    assert_eq!(out.trim(), "2");

    // TLS 1.0 and 1.1 are refused; 1.2 and 1.3 are served (openssl offered only the one).
    let connect = format!("127.0.0.1:{}", app.port);
    for (flag, served) in [
        ("-tls1", false),
        ("-tls1_1", false),
        ("-tls1_2", true),
        ("-tls1_3", true),
    ] {
        let (ok, out) = run(
            "openssl",
            &[
                "s_client",
                "-connect",
                &connect,
                "-servername",
                "localhost",
                flag,
                "-cipher",
                "DEFAULT:@SECLEVEL=0",
            ],
        )
        .await;
        let negotiated = out.contains("Cipher is ") && !out.contains("Cipher is (NONE)");
        assert_eq!(ok && negotiated, served, "openssl {flag}:\n{out}");
    }
}

#[tokio::test]
async fn replaced_files_are_served_without_a_restart_and_open_connections_stay() {
    let dir = tempfile::tempdir().expect("dir");
    let first = dir.path().join("first");
    let second = dir.path().join("second");
    std::fs::create_dir_all(&first).expect("dir");
    std::fs::create_dir_all(&second).expect("dir");
    let (cert, key, pem_a) = self_signed(&first, "site", &["localhost", "a.test"]);
    let (cert_b, key_b, pem_b) = self_signed(&second, "site", &["localhost", "b.test"]);
    let roots = format!("{pem_a}{pem_b}");
    let live = dir.path().join("live");
    std::fs::create_dir_all(&live).expect("dir");
    let (live_cert, live_key) = (live.join("site.crt"), live.join("site.key"));
    std::fs::copy(&cert, &live_cert).expect("copy");
    std::fs::copy(&key, &live_key).expect("copy");
    let app = files_node(dir.path(), &live_cert, &live_key, &roots).await;

    // One client keeps its HTTP/2 connection open across the change.
    let kept = https_client(reqwest::Client::builder().user_agent(GOOGLEBOT), &[&roots]);
    let res = kept.get(app.url("/healthz")).send().await.expect("first");
    assert_eq!(peer_der(&res), der_of(&pem_a));

    // Replaced as certbot would: new files moved into place.
    for (from, to) in [(&key_b, &live_key), (&cert_b, &live_cert)] {
        let tmp = to.with_extension("new");
        std::fs::copy(from, &tmp).expect("copy");
        std::fs::rename(&tmp, to).expect("rename");
    }
    let mut served_b = false;
    for _ in 0..100 {
        let fresh = https_client(reqwest::Client::builder().user_agent(GOOGLEBOT), &[&roots]);
        let res = fresh.get(app.url("/healthz")).send().await.expect("fresh");
        if peer_der(&res) == der_of(&pem_b) {
            served_b = true;
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert!(served_b, "the new certificate is served within 10 s");
    let res = kept.get(app.url("/healthz")).send().await.expect("kept");
    assert_eq!(res.status(), 200, "the open connection still serves");
    assert_eq!(
        peer_der(&res),
        der_of(&pem_a),
        "on the same connection as before"
    );

    // A broken key is not served: the current certificate stays, and the log says why.
    std::fs::write(
        &live_key,
        "-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n",
    )
    .expect("write");
    tokio::time::sleep(Duration::from_secs(4)).await;
    let fresh = https_client(reqwest::Client::builder().user_agent(GOOGLEBOT), &[&roots]);
    let res = fresh.get(app.url("/healthz")).send().await.expect("after");
    assert_eq!(peer_der(&res), der_of(&pem_b));
    assert!(
        app.stderr().contains("previous certificate stays"),
        "{}",
        app.stderr()
    );
}

#[tokio::test]
async fn a_missing_certificate_file_stops_the_start_with_the_reason() {
    let dir = tempfile::tempdir().expect("dir");
    let out = std::process::Command::new(BIN)
        .args(["serve", "--listen", "127.0.0.1:0", "--database"])
        .arg(format!("sqlite://{}", dir.path().join("c.db").display()))
        .env_remove("CONG_CONFIG")
        .env("CONG_SERVER__TLS__MODE", "files")
        .env("CONG_SERVER__TLS__LISTEN", "127.0.0.1:0")
        .env("CONG_SERVER__TLS__CERT_FILE", dir.path().join("none.crt"))
        .env("CONG_SERVER__TLS__KEY_FILE", dir.path().join("none.key"))
        .current_dir(dir.path())
        .output()
        .expect("run");
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("none.crt"), "{err}");
}
