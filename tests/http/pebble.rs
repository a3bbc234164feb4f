//! Pebble, Let's Encrypt's ACME test server (Debian's `pebble`), run for one test: its own
//! HTTPS certificate, a DNS server that answers every name with 127.0.0.1
//! (`pebble-challtestsrv`), and the ports where it checks challenges.

#![allow(dead_code)]

use std::path::PathBuf;
use std::process::Stdio;
use std::time::Duration;
use tokio::process::{Child, Command};

/// A port free now (bound and let go), below the kernel's ephemeral range (32768 and up on
/// Linux): every other test binds port 0 and gets one from that range, which could be the one
/// handed out here before the node it is meant for binds it.
pub fn free_port() -> u16 {
    use std::sync::atomic::{AtomicU16, Ordering};
    // Each process starts somewhere else in 20000..32000, then walks on.
    static NEXT: AtomicU16 = AtomicU16::new(0);
    let start = 20_000 + (std::process::id() % 12_000) as u16;
    let _ = NEXT.compare_exchange(0, start, Ordering::Relaxed, Ordering::Relaxed);
    for _ in 0..12_000 {
        let port = NEXT.fetch_add(1, Ordering::Relaxed);
        let port = 20_000 + port.wrapping_sub(20_000) % 12_000;
        if std::net::TcpListener::bind(("127.0.0.1", port)).is_ok() {
            return port;
        }
    }
    panic!("no free port in 20000..32000");
}

pub struct Pebble {
    _dir: tempfile::TempDir,
    pebble: Option<Child>,
    dns: Child,
    /// The ACME directory URL.
    pub directory: String,
    /// The certificate of pebble's own HTTPS (give it to cong as `acme_ca_file`).
    pub ca_file: PathBuf,
    ca_pem: String,
    management: u16,
}

impl Pebble {
    /// Starts pebble, checking HTTP-01 on `http_port` and TLS-ALPN-01 on `tls_port` of
    /// 127.0.0.1 for every name.
    pub async fn start(http_port: u16, tls_port: u16) -> Pebble {
        let dir = tempfile::tempdir().expect("dir");
        let own = rcgen::generate_simple_self_signed(vec!["localhost".to_owned()])
            .expect("pebble's certificate");
        let ca_file = dir.path().join("pebble.crt");
        let key_file = dir.path().join("pebble.key");
        let ca_pem = own.cert.pem();
        std::fs::write(&ca_file, &ca_pem).expect("write");
        std::fs::write(&key_file, own.signing_key.serialize_pem()).expect("write");
        let (acme, management, dns, dns_management) =
            (free_port(), free_port(), free_port(), free_port());
        let config = serde_json::json!({
            "pebble": {
                "listenAddress": format!("127.0.0.1:{acme}"),
                "managementListenAddress": format!("127.0.0.1:{management}"),
                "certificate": ca_file,
                "privateKey": key_file,
                "httpPort": http_port,
                "tlsPort": tls_port,
                "ocspResponderURL": "",
                "externalAccountBindingRequired": false
            }
        });
        let config_file = dir.path().join("pebble.json");
        std::fs::write(&config_file, config.to_string()).expect("write");
        let dns_child = Command::new("pebble-challtestsrv")
            .args(["-defaultIPv4", "127.0.0.1", "-defaultIPv6", ""])
            .args(["-dns01", &format!("127.0.0.1:{dns}")])
            .args(["-http01", "", "-https01", "", "-tlsalpn01", ""])
            .args(["-management", &format!("127.0.0.1:{dns_management}")])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .kill_on_drop(true)
            .spawn()
            .expect("pebble-challtestsrv (Debian package pebble) is installed");
        let log = std::fs::File::create(dir.path().join("pebble.log")).expect("log");
        let child = Command::new("pebble")
            .arg("-config")
            .arg(&config_file)
            .args(["-dnsserver", &format!("127.0.0.1:{dns}")])
            // Checks at once, every nonce good, and every order validated afresh.
            .env("PEBBLE_VA_NOSLEEP", "1")
            .env("PEBBLE_WFE_NONCEREJECT", "0")
            .env("PEBBLE_AUTHZREUSE", "0")
            .stdout(log.try_clone().expect("log"))
            .stderr(log)
            .kill_on_drop(true)
            .spawn()
            .expect("pebble (Debian package pebble) is installed");
        let p = Pebble {
            _dir: dir,
            pebble: Some(child),
            dns: dns_child,
            directory: format!("https://localhost:{acme}/dir"),
            ca_file,
            ca_pem,
            management,
        };
        let client = p.client();
        for _ in 0..100 {
            if let Ok(r) = client.get(&p.directory).send().await
                && r.status().is_success()
            {
                return p;
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        panic!("pebble did not start:\n{}", p.log());
    }

    fn client(&self) -> reqwest::Client {
        crate::support::https_client(reqwest::Client::builder(), &[&self.ca_pem])
    }

    /// The root the certificates pebble issues chain to (it makes a new one at each start).
    pub async fn root(&self) -> String {
        self.client()
            .get(format!("https://localhost:{}/roots/0", self.management))
            .send()
            .await
            .expect("roots")
            .text()
            .await
            .expect("root PEM")
    }

    /// Stops the CA (as if it were down).
    pub async fn stop(&mut self) {
        if let Some(mut c) = self.pebble.take() {
            let _ = c.kill().await;
        }
    }

    pub fn log(&self) -> String {
        std::fs::read_to_string(self._dir.path().join("pebble.log")).unwrap_or_default()
    }

    /// The environment that points a cong node (or `cong tls`) at this CA.
    pub fn env(&self, https_port: u16, challenge: &str) -> Vec<(String, String)> {
        [
            ("CONG_SERVER__TLS__MODE", "acme".to_owned()),
            (
                "CONG_SERVER__TLS__LISTEN",
                format!("127.0.0.1:{https_port}"),
            ),
            ("CONG_SERVER__TLS__ACME_DIRECTORY", self.directory.clone()),
            (
                "CONG_SERVER__TLS__ACME_EMAIL",
                "webmaster@skhcn.test".to_owned(),
            ),
            ("CONG_SERVER__TLS__ACME_CHALLENGE", challenge.to_owned()),
            (
                "CONG_SERVER__TLS__ACME_CA_FILE",
                self.ca_file.display().to_string(),
            ),
        ]
        .into_iter()
        .map(|(k, v)| (k.to_owned(), v))
        .collect()
    }
}
