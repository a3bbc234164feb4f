//! `TestApp`: starts `cong serve` on a fresh copy of a demo database and talks to it.

#![allow(dead_code)]

use cong_store::Backend;
use cong_store::testing::{self, TestDb};
use regex::Regex;
use std::net::IpAddr;
use std::path::{Path, PathBuf};
use std::process::Stdio;
use std::sync::OnceLock;
use std::time::Duration;
use tokio::io::{AsyncBufReadExt, BufReader};
use tokio::process::{Child, Command};

pub const BIN: &str = env!("CARGO_BIN_EXE_cong");

/// A reader's browser.
pub const CHROME: &str = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/130.0.0.0 Safari/537.36";
pub const GOOGLEBOT: &str =
    "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)";

pub const REFERENCE_SLUG: &str = "hoi-nghi-tap-huan-ve-de-xuat-va-trien-khai-thuc-hien-cac-nhiem-vu-kh-cn-cho-cac-co-quan-khoi-dang";
pub const REFERENCE_TITLE: &str = "Hội nghị “Tập huấn về đề xuất và triển khai thực hiện các nhiệm vụ KH&amp;CN cho các cơ quan khối Đảng”";

/// The demo content, made once per test process by `cong demo` on the test backend: a
/// folder with its media (and, on SQLite, `cong.db`), and on PostgreSQL a template database.
struct Template {
    dir: PathBuf,
    pg_name: Option<String>,
}

fn template() -> &'static Template {
    template_for(testing::backend())
}

fn template_for(backend: Backend) -> &'static Template {
    static SQLITE: OnceLock<Template> = OnceLock::new();
    static POSTGRES: OnceLock<Template> = OnceLock::new();
    let cell = match backend {
        Backend::Sqlite => &SQLITE,
        Backend::Postgres => &POSTGRES,
    };
    cell.get_or_init(|| {
        let dir = std::env::temp_dir().join(format!(
            "cong-test-template-{}-{backend:?}",
            std::process::id()
        ));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).expect("template dir");
        // Made on a thread with its own runtime: this may run inside a test's runtime.
        let (url, pg_name) = std::thread::scope(|s| {
            s.spawn(|| {
                let rt = tokio::runtime::Builder::new_current_thread()
                    .enable_all()
                    .build()
                    .expect("runtime");
                rt.block_on(async {
                    match backend {
                        Backend::Sqlite => {
                            (format!("sqlite://{}", dir.join("cong.db").display()), None)
                        }
                        Backend::Postgres => {
                            let db = TestDb::create_pg_named("cong_tpl").await;
                            let name = db.pg_name().map(str::to_owned);
                            (db.leak(), name)
                        }
                    }
                })
            })
            .join()
            .expect("template thread")
        });
        let status = std::process::Command::new(BIN)
            .arg("demo")
            .arg("--database")
            .arg(&url)
            .env("CONG_SITE__MEDIA_DIR", dir.join("media"))
            .env_remove("CONG_CONFIG")
            .current_dir(&dir)
            .stdout(Stdio::null())
            .status()
            .expect("run cong demo");
        assert!(status.success(), "cong demo failed");
        Template { dir, pg_name }
    })
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).expect("mkdir");
    // The demo's images are in its database; its media folder may not even exist.
    let Ok(entries) = std::fs::read_dir(from) else {
        return;
    };
    for e in entries {
        let e = e.expect("entry");
        let target = to.join(e.file_name());
        if e.path().is_dir() {
            copy_dir(&e.path(), &target);
        } else {
            std::fs::copy(e.path(), target).expect("copy");
        }
    }
}

/// A fresh copy of the demo database on `backend`, whatever the test backend is.
pub async fn demo_database(backend: Backend, dir: &Path) -> TestDb {
    let t = template_for(backend);
    let from = match backend {
        Backend::Sqlite => t.dir.to_str().map(str::to_owned),
        Backend::Postgres => t.pg_name.clone(),
    };
    TestDb::create_from(backend, dir, from.as_deref()).await
}

pub struct Builder {
    env: Vec<(String, String)>,
    listen: String,
    demo: bool,
    wait_ready: bool,
    /// Serve this database (shared with other nodes) instead of a fresh one.
    shared: Option<String>,
    /// A program (and its arguments) that starts the binary, such as `prlimit …`.
    launcher: Vec<String>,
    /// The root (PEM) HTTPS answers are checked against, when the node serves TLS.
    tls_root: Option<String>,
}

impl Builder {
    pub fn env(mut self, key: &str, value: &str) -> Self {
        self.env.push((key.to_owned(), value.to_owned()));
        self
    }

    pub fn listen(mut self, addr: &str) -> Self {
        addr.clone_into(&mut self.listen);
        self
    }

    /// Serves an existing database, as another node of the same site.
    pub fn shared(mut self, url: &str) -> Self {
        self.shared = Some(url.to_owned());
        self
    }

    /// Returns as soon as the node listens, ready or not.
    pub fn no_wait(mut self) -> Self {
        self.wait_ready = false;
        self
    }

    /// Starts the binary through `program args…` (which must run its remaining arguments).
    pub fn launcher(mut self, program_and_args: &[&str]) -> Self {
        self.launcher = program_and_args.iter().map(|s| (*s).to_owned()).collect();
        self
    }

    /// Serves HTTPS whose certificates chain to `root_pem` (the client trusts only it).
    pub fn tls_root(mut self, root_pem: &str) -> Self {
        self.tls_root = Some(root_pem.to_owned());
        self
    }

    /// An empty database instead of the demo.
    pub fn empty(mut self) -> Self {
        self.demo = false;
        self
    }

    pub async fn start(self) -> TestApp {
        let dir = tempfile::tempdir().expect("temp dir");
        let backend = testing::backend();
        let db = if let Some(url) = &self.shared {
            copy_dir(&template().dir.join("media"), &dir.path().join("media"));
            Db::Shared(url.clone())
        } else if self.demo {
            let t = template();
            copy_dir(&t.dir.join("media"), &dir.path().join("media"));
            let from = match backend {
                Backend::Sqlite => t.dir.to_str().map(str::to_owned),
                Backend::Postgres => t.pg_name.clone(),
            };
            Db::Owned(TestDb::create_from(backend, dir.path(), from.as_deref()).await)
        } else {
            Db::Owned(TestDb::create(backend, dir.path()).await)
        };
        let mut app = TestApp {
            db,
            dir,
            wait_ready: self.wait_ready,
            env: self.env,
            listen: self.listen,
            launcher: self.launcher,
            child: None,
            port: 0,
            plain_port: 0,
            https: false,
            tls_root: self.tls_root,
            stderr_log: PathBuf::new(),
        };
        app.spawn().await;
        app
    }
}

/// The database a test node serves: its own, or one shared with other nodes.
pub enum Db {
    Owned(TestDb),
    Shared(String),
}

pub struct TestApp {
    pub db: Db,
    pub dir: tempfile::TempDir,
    /// Whether starting waits for `/healthz` (off for tests of a node whose store is down).
    pub wait_ready: bool,
    env: Vec<(String, String)>,
    listen: String,
    launcher: Vec<String>,
    child: Option<Child>,
    /// The port the site answers on (HTTPS when `https`).
    pub port: u16,
    /// With TLS on: the plain-HTTP port (challenges and redirects).
    pub plain_port: u16,
    pub https: bool,
    tls_root: Option<String>,
    stderr_log: PathBuf,
}

impl TestApp {
    pub fn builder() -> Builder {
        Builder {
            env: Vec::new(),
            listen: "127.0.0.1:0".to_owned(),
            demo: true,
            wait_ready: true,
            shared: None,
            launcher: Vec::new(),
            tls_root: None,
        }
    }

    pub async fn start() -> TestApp {
        Self::builder().start().await
    }

    pub fn db_url(&self) -> String {
        match &self.db {
            Db::Owned(db) => db.url().to_owned(),
            Db::Shared(url) => url.clone(),
        }
    }

    async fn spawn(&mut self) {
        self.stderr_log = self.dir.path().join(format!("stderr-{}.log", self.port));
        let stderr = std::fs::File::create(&self.stderr_log).expect("log file");
        let mut cmd = match self.launcher.split_first() {
            Some((program, args)) => {
                let mut c = Command::new(program);
                c.args(args).arg(BIN);
                c
            }
            None => Command::new(BIN),
        };
        cmd.arg("serve")
            .arg("--listen")
            .arg(&self.listen)
            .arg("--database")
            .arg(self.db_url())
            .current_dir(self.dir.path())
            .env_remove("CONG_CONFIG")
            .env("CONG_SITE__MEDIA_DIR", self.dir.path().join("media"))
            .env("CONG_SITE__SEARCH_DIR", self.dir.path().join("search"))
            .env("RUST_LOG", "warn,cong=info")
            .stdout(Stdio::piped())
            .stderr(stderr)
            .kill_on_drop(true);
        for (k, v) in &self.env {
            cmd.env(k, v);
        }
        let mut child = cmd.spawn().expect("spawn cong");
        let stdout = child.stdout.take().expect("stdout");
        let mut lines = BufReader::new(stdout).lines();
        let re = Regex::new(r"listening on (https?)://\S+:(\d+)").expect("regex");
        let redirect = Regex::new(r"redirecting http://\S+:(\d+)").expect("regex");
        let mut plain_port = 0;
        let port = tokio::time::timeout(Duration::from_secs(30), async {
            while let Ok(Some(line)) = lines.next_line().await {
                if let Some(c) = re.captures(&line) {
                    let https = &c[1] == "https";
                    let port = c[2].parse::<u16>().ok()?;
                    if !https {
                        return Some((port, false));
                    }
                    // The redirecting listener is printed next.
                    while let Ok(Some(line)) = lines.next_line().await {
                        if let Some(c) = redirect.captures(&line) {
                            plain_port = c[1].parse::<u16>().ok()?;
                            return Some((port, true));
                        }
                    }
                }
            }
            None
        })
        .await
        .ok()
        .flatten();
        self.plain_port = plain_port;
        let Some((port, https)) = port else {
            let log = std::fs::read_to_string(&self.stderr_log).unwrap_or_default();
            panic!("cong did not start:\n{log}");
        };
        // Keep reading stdout so the child never blocks on a full pipe.
        tokio::spawn(async move { while let Ok(Some(_)) = lines.next_line().await {} });
        self.port = port;
        self.https = https;
        self.child = Some(child);
        if self.wait_ready {
            self.wait_until_ready().await;
        }
    }

    /// Waits until `/healthz` says the node serves (store migrated, counters loaded).
    pub async fn wait_until_ready(&self) {
        let client = self.client_as(GOOGLEBOT);
        for _ in 0..300 {
            if let Ok(r) = client.get(self.url("/healthz")).send().await
                && r.status() == 200
            {
                return;
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        panic!("cong never became ready:\n{}", self.stderr());
    }

    pub fn url(&self, path: &str) -> String {
        if self.https {
            format!("https://localhost:{}{path}", self.port)
        } else {
            format!("http://127.0.0.1:{}{path}", self.port)
        }
    }

    /// A client that looks like a reader's browser, from 127.0.0.1.
    pub fn client(&self) -> reqwest::Client {
        self.client_as(CHROME)
    }

    /// A client with this User-Agent that trusts the node's TLS root, when it serves TLS.
    pub fn client_as(&self, ua: &str) -> reqwest::Client {
        match &self.tls_root {
            Some(root) if self.https => {
                https_client(reqwest::Client::builder().user_agent(ua), &[root.as_str()])
            }
            _ => client_from(None, ua),
        }
    }

    pub async fn get(&self, path: &str) -> reqwest::Response {
        self.client()
            .get(self.url(path))
            .send()
            .await
            .expect("request")
    }

    /// GET as a bot, which is never counted: for reading numbers without changing them.
    pub async fn peek(&self, path: &str) -> String {
        client_from(None, GOOGLEBOT)
            .get(self.url(path))
            .send()
            .await
            .expect("request")
            .text()
            .await
            .expect("body")
    }

    /// GET from a given source address (any of 127.0.0.0/8) with a given User-Agent.
    pub async fn get_from(&self, ip: &str, ua: &str, path: &str) -> reqwest::Response {
        client_from(Some(ip.parse().expect("ip")), ua)
            .get(self.url(path))
            .send()
            .await
            .expect("request")
    }

    /// Stops with SIGTERM and waits; returns the exit status.
    pub async fn stop(&mut self) -> std::process::ExitStatus {
        let mut child = self.child.take().expect("running");
        if let Some(pid) = child.id() {
            let _ = std::process::Command::new("kill")
                .arg("-TERM")
                .arg(pid.to_string())
                .status();
        }
        tokio::time::timeout(Duration::from_secs(30), child.wait())
            .await
            .expect("stopped within 30 s")
            .expect("exit status")
    }

    /// Kills without warning (SIGKILL).
    pub async fn kill(&mut self) {
        let mut child = self.child.take().expect("running");
        child.kill().await.expect("kill");
    }

    /// Starts again on the same database (a new port).
    pub async fn restart(&mut self) {
        if self.child.is_some() {
            self.stop().await;
        }
        self.spawn().await;
    }

    /// The process id of the running binary.
    pub fn pid(&self) -> u32 {
        self.child.as_ref().and_then(Child::id).expect("running")
    }

    /// Resident memory of the running binary, in bytes (VmRSS).
    pub fn resident_bytes(&self) -> u64 {
        resident_bytes_of(self.pid()).expect("VmRSS")
    }

    /// The `/metrics` exposition, read with the token the node was started with.
    pub async fn metrics(&self, token: &str) -> String {
        self.client()
            .get(self.url("/metrics"))
            .bearer_auth(token)
            .send()
            .await
            .expect("metrics")
            .text()
            .await
            .expect("body")
    }

    /// Files the running binary holds open (sockets included).
    pub fn open_files(&self) -> usize {
        std::fs::read_dir(format!("/proc/{}/fd", self.pid()))
            .expect("its /proc entry")
            .count()
    }

    /// Waits until the node's log has a line ending with `what` (30 s at most).
    pub async fn wait_for_log(&self, what: &str) {
        for _ in 0..300 {
            if self.stderr().lines().any(|l| l.trim_end().ends_with(what)) {
                return;
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        panic!("the log never said {what:?}:\n{}", self.stderr());
    }

    pub fn stderr(&self) -> String {
        std::fs::read_to_string(&self.stderr_log).unwrap_or_default()
    }
}

/// Resident memory of process `pid`, in bytes (VmRSS); `None` once it is gone.
pub fn resident_bytes_of(pid: u32) -> Option<u64> {
    std::fs::read_to_string(format!("/proc/{pid}/status"))
        .ok()?
        .lines()
        .find_map(|l| l.strip_prefix("VmRSS:"))
        .and_then(|v| v.split_whitespace().next())
        .and_then(|kb| kb.parse::<u64>().ok())
        .map(|kb| kb * 1024)
}

/// Chooses the TLS provider of this test process (reqwest panics at a client's build
/// without one); idempotent.
pub fn crypto() {
    let _ = rustls::crypto::ring::default_provider().install_default();
}

pub fn client_from(local: Option<IpAddr>, ua: &str) -> reqwest::Client {
    crypto();
    let mut b = reqwest::Client::builder()
        .user_agent(ua)
        .no_proxy()
        .redirect(reqwest::redirect::Policy::none())
        .timeout(Duration::from_secs(30));
    if let Some(ip) = local {
        b = b.local_address(ip);
    }
    b.build().expect("client")
}

/// The five numbers of the visitor widget: online, today, week, month, total.
/// The site stylesheet's hashed address, as a page links it.
pub fn stylesheet(html: &str) -> String {
    regex::Regex::new(r#"href="(/static/site\.[0-9a-f]+\.css)""#)
        .expect("regex")
        .captures(html)
        .expect("the stylesheet")[1]
        .to_owned()
}

pub fn widget(html: &str) -> [i64; 5] {
    let mut out = [0; 5];
    for (i, key) in ["online", "today", "week", "month", "total"]
        .iter()
        .enumerate()
    {
        let re = Regex::new(&format!(r#"data-stat="{key}">([\d.]+)<"#)).expect("regex");
        let caps = re
            .captures(html)
            .unwrap_or_else(|| panic!("no widget row {key}"));
        out[i] = caps[1].replace('.', "").parse().expect("number");
    }
    out
}

/// The "Lượt xem" of an article page.
pub fn views(html: &str) -> i64 {
    let re = Regex::new(r#"Lượt xem: <span data-stat="views">([\d.]+)<"#).expect("regex");
    re.captures(html).expect("view count")[1]
        .replace('.', "")
        .parse()
        .expect("number")
}

/// Waits for the flusher (about a second) to have written what was counted.
pub async fn after_flush() {
    tokio::time::sleep(Duration::from_millis(1600)).await;
}

/// A request written byte for byte (for targets a client library would refuse or fix):
/// returns the status code and the whole response text.
pub async fn raw(port: u16, method: &str, target: &[u8]) -> (u16, String) {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let mut s = tokio::net::TcpStream::connect(("127.0.0.1", port))
        .await
        .expect("connect");
    let mut req = Vec::new();
    req.extend_from_slice(method.as_bytes());
    req.push(b' ');
    req.extend_from_slice(target);
    req.extend_from_slice(b" HTTP/1.1\r\nHost: localhost\r\nUser-Agent: ");
    req.extend_from_slice(CHROME.as_bytes());
    req.extend_from_slice(b"\r\nConnection: close\r\n\r\n");
    s.write_all(&req).await.expect("write");
    let mut out = Vec::new();
    let _ = tokio::time::timeout(Duration::from_secs(30), s.read_to_end(&mut out)).await;
    let text = String::from_utf8_lossy(&out).into_owned();
    let status = text
        .split(' ')
        .nth(1)
        .and_then(|c| c.parse().ok())
        .unwrap_or(0);
    (status, text)
}

/// Runs futures concurrently on the test's runtime and collects their outputs in order.
pub async fn join_all<F, T>(futures: impl IntoIterator<Item = F>) -> Vec<T>
where
    F: std::future::Future<Output = T> + Send + 'static,
    T: Send + 'static,
{
    let handles: Vec<_> = futures.into_iter().map(tokio::spawn).collect();
    let mut out = Vec::with_capacity(handles.len());
    for h in handles {
        out.push(h.await.expect("task"));
    }
    out
}

/// A browser with cookies, for the back office: keeps the session and the last CSRF token.
pub struct Browser {
    pub client: reqwest::Client,
    pub base: String,
    pub csrf: String,
}

fn csrf_in(html: &str) -> Option<String> {
    Regex::new(r#"name="csrf" value="([^"]+)""#)
        .expect("regex")
        .captures(html)
        .map(|c| c[1].to_owned())
}

impl TestApp {
    /// Creates a back-office account through `cong user add` (password on standard input):
    /// "admin" is a system administrator, another role is held on site 1.
    pub fn add_user(&self, username: &str, role: &str, password: &str) {
        self.add_user_with(username, role, &[], password);
    }

    /// Creates an account with `role` on site `site` only.
    pub fn add_user_on(&self, username: &str, role: &str, site: i64, password: &str) {
        self.add_user_with(username, role, &["--site", &site.to_string()], password);
    }

    pub fn add_user_with(&self, username: &str, role: &str, extra: &[&str], password: &str) {
        use std::io::Write;
        let url = self.db_url();
        let mut args = vec!["user", "--database", &url, "add", username, "--role", role];
        args.extend_from_slice(extra);
        let mut child = std::process::Command::new(BIN)
            .args(&args)
            .env_remove("CONG_CONFIG")
            .stdin(Stdio::piped())
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .expect("cong user add");
        child
            .stdin
            .take()
            .expect("stdin")
            .write_all(format!("{password}\n").as_bytes())
            .expect("write password");
        let out = child.wait_with_output().expect("wait");
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
    }

    /// A fresh browser (no session yet), from `ip`.
    pub fn browser_from(&self, ip: &str) -> Browser {
        let client = reqwest::Client::builder()
            .user_agent(CHROME)
            .no_proxy()
            .cookie_store(true)
            .redirect(reqwest::redirect::Policy::none())
            .local_address(ip.parse::<IpAddr>().expect("ip"))
            .timeout(Duration::from_secs(60))
            .build()
            .expect("client");
        Browser {
            client,
            base: format!("http://127.0.0.1:{}", self.port),
            csrf: String::new(),
        }
    }

    pub fn browser(&self) -> Browser {
        self.browser_from("127.0.0.1")
    }

    /// Logs in (password only) and returns the browser; panics unless it lands in /quan-tri.
    pub async fn login(&self, username: &str, password: &str) -> Browser {
        let mut b = self.browser();
        let res = b.try_login(username, password).await;
        assert_eq!(res.status(), 303, "login of {username}");
        assert_eq!(res.headers()["location"], "/quan-tri");
        b.get_page("/quan-tri").await;
        b
    }
}

impl Browser {
    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    pub async fn get(&self, path: &str) -> reqwest::Response {
        self.client
            .get(self.url(path))
            .send()
            .await
            .expect("request")
    }

    /// GETs a page, keeps its CSRF token, returns status and body.
    pub async fn get_page(&mut self, path: &str) -> (u16, String) {
        let res = self.get(path).await;
        let status = res.status().as_u16();
        let html = res.text().await.expect("body");
        if let Some(t) = csrf_in(&html) {
            self.csrf = t;
        }
        (status, html)
    }

    /// POSTs a form with the current CSRF token.
    pub async fn post(&self, path: &str, fields: &[(&str, &str)]) -> reqwest::Response {
        let mut all: Vec<(&str, &str)> = vec![("csrf", self.csrf.as_str())];
        all.extend_from_slice(fields);
        self.post_raw(path, &all).await
    }

    /// POSTs exactly these fields (no token added).
    pub async fn post_raw(&self, path: &str, fields: &[(&str, &str)]) -> reqwest::Response {
        let body: String = form_urlencoded::Serializer::new(String::new())
            .extend_pairs(fields)
            .finish();
        self.client
            .post(self.url(path))
            .header("content-type", "application/x-www-form-urlencoded")
            .body(body)
            .send()
            .await
            .expect("request")
    }

    /// POSTs exactly these fields as `multipart/form-data`, with a file in `file` =
    /// (field, name, bytes) if given (no token added).
    pub async fn post_multipart(
        &self,
        path: &str,
        fields: &[(&str, &str)],
        file: Option<(&str, &str, Vec<u8>)>,
    ) -> reqwest::Response {
        let mut form = reqwest::multipart::Form::new();
        for (k, v) in fields {
            form = form.text(k.to_string(), v.to_string());
        }
        if let Some((field, name, bytes)) = file {
            let part = reqwest::multipart::Part::bytes(bytes).file_name(name.to_owned());
            form = form.part(field.to_owned(), part);
        }
        self.client
            .post(self.url(path))
            .multipart(form)
            .send()
            .await
            .expect("request")
    }

    /// Uploads a picture through the editor's JSON endpoint (the token in its header, as
    /// editor.js sends it); returns the new image's id.
    pub async fn upload_image(&self, name: &str, bytes: Vec<u8>) -> i64 {
        let part = reqwest::multipart::Part::bytes(bytes).file_name(name.to_owned());
        let res = self
            .client
            .post(self.url("/quan-tri/anh/chen"))
            .header("x-csrf-token", &self.csrf)
            .multipart(reqwest::multipart::Form::new().part("file", part))
            .send()
            .await
            .expect("upload");
        assert_eq!(res.status(), 201, "{name} uploaded");
        let body: serde_json::Value =
            serde_json::from_str(&res.text().await.expect("body")).expect("json");
        body["id"].as_i64().expect("its id")
    }

    /// Opens the login page (for its pre-session token) and submits the password.
    pub async fn try_login(&mut self, username: &str, password: &str) -> reqwest::Response {
        self.get_page("/dang-nhap").await;
        self.post(
            "/dang-nhap",
            &[
                ("username", username),
                ("password", password),
                ("next", "/quan-tri"),
            ],
        )
        .await
    }

    /// Writes and publishes an article at once (as an editor or administrator); returns its
    /// id. `section_id` 2 is "Tin tức - Sự kiện" in the demo content.
    pub async fn publish(
        &mut self,
        title: &str,
        section_id: i64,
        summary: &str,
        body: &str,
    ) -> i64 {
        self.get_page("/quan-tri/bai-viet/moi").await;
        let section = section_id.to_string();
        let res = self
            .post(
                "/quan-tri/bai-viet/moi",
                &[
                    ("title", title),
                    ("section_id", &section),
                    ("summary", summary),
                    ("body_html", body),
                    ("author", "Kiều Diễm"),
                ],
            )
            .await;
        assert_eq!(res.status(), 303, "draft of {title:?} created");
        let id: i64 = res.headers()["location"]
            .to_str()
            .expect("ascii")
            .trim_start_matches("/quan-tri/bai-viet/")
            .split('?')
            .next()
            .and_then(|s| s.parse().ok())
            .expect("id in the location");
        let res = self
            .post(&format!("/quan-tri/bai-viet/{id}/xuat-ban"), &[])
            .await;
        assert_eq!(res.status(), 303, "{title:?} published");
        id
    }

    /// Uploads a file to the media library; returns the response.
    pub async fn upload(&self, name: &str, bytes: Vec<u8>, caption: &str) -> reqwest::Response {
        let part = reqwest::multipart::Part::bytes(bytes).file_name(name.to_owned());
        let form = reqwest::multipart::Form::new()
            .text("csrf", self.csrf.clone())
            .text("caption", caption.to_owned())
            .part("file", part);
        self.client
            .post(self.url("/quan-tri/anh/tai-len"))
            .multipart(form)
            .send()
            .await
            .expect("upload")
    }
}

/// A JPEG of `w` × `h` pixels of noise (seeded by `seed`), which JPEG cannot make small:
/// about 3 bytes a pixel.
pub fn noisy_jpeg(w: u32, h: u32, seed: u32) -> Vec<u8> {
    let mut x = seed.wrapping_mul(2_654_435_761).max(1);
    let img = image::RgbImage::from_fn(w, h, |_, _| {
        // xorshift: random enough for a codec.
        x ^= x << 13;
        x ^= x >> 17;
        x ^= x << 5;
        let [a, b, c, _] = x.to_le_bytes();
        image::Rgb([a, b, c])
    });
    let mut out = std::io::Cursor::new(Vec::new());
    img.write_to(&mut out, image::ImageFormat::Jpeg)
        .expect("encode");
    out.into_inner()
}

/// The stored image files' names (`media_files`, attachments left out), in name order.
pub async fn stored_media_files(store: &cong_store::Store) -> Vec<String> {
    let t = cong_store::copy::TABLES
        .iter()
        .find(|t| t.name == "media_files")
        .expect("media_files is copied");
    let mut names = Vec::new();
    let mut after: Option<Vec<cong_store::copy::Value>> = None;
    loop {
        let rows = store
            .read_rows(t, after.as_deref(), 100)
            .await
            .expect("media files");
        let done = rows.len() < 100;
        for r in &rows {
            // Images only: attachments are stored beside them but served by /tep/.
            if let cong_store::copy::Value::Text(n) = &r[0]
                && [".jpg", ".png", ".webp", ".gif"]
                    .iter()
                    .any(|e| n.ends_with(e))
            {
                names.push(n.clone());
            }
        }
        after = rows.last().map(|r| cong_store::copy::key_of(t, r));
        if done {
            return names;
        }
    }
}

/// A JPEG photo-like image of `w` × `h`, made by code.
pub fn jpeg(w: u32, h: u32) -> Vec<u8> {
    let img = image::RgbImage::from_fn(w, h, |x, y| {
        image::Rgb([
            (x * 255 / w) as u8,
            (y * 255 / h) as u8,
            ((x + y) % 256) as u8,
        ])
    });
    let mut out = std::io::Cursor::new(Vec::new());
    img.write_to(&mut out, image::ImageFormat::Jpeg)
        .expect("encode");
    out.into_inner()
}

impl TestApp {
    /// The node's store, opened from the test (to read what it wrote).
    pub async fn store(&self) -> cong_store::Store {
        cong_store::Store::open(&cong_config::DatabaseConfig {
            url: self.db_url(),
            ..Default::default()
        })
        .await
        .expect("open the node's store")
    }
}

impl TestApp {
    /// Sets an environment variable for the next start (see [`TestApp::restart`]).
    pub fn set_env(&mut self, key: &str, value: &str) {
        self.env.retain(|(k, _)| k != key);
        self.env.push((key.to_owned(), value.to_owned()));
    }
}

impl TestApp {
    /// Runs `cong site ARGS…` on this node's database; returns its standard output (panics
    /// unless it succeeds).
    pub fn site_command(&self, args: &[&str]) -> String {
        let mut all = vec!["site", "--database"];
        let url = self.db_url();
        all.push(&url);
        all.extend_from_slice(args);
        let out = std::process::Command::new(BIN)
            .args(&all)
            .env_remove("CONG_CONFIG")
            .stdin(Stdio::null())
            .output()
            .expect("cong site");
        assert!(
            out.status.success(),
            "cong site {args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8_lossy(&out.stdout).into_owned()
    }

    /// The address of a site of this node reached by a host name (`skhcn.test`), which the
    /// clients of [`TestApp::client_for`] and [`TestApp::browser_at`] resolve to the node.
    pub fn address(&self, host: &str) -> String {
        format!("http://{host}:{}", self.port)
    }

    /// A reader's client that reaches this node under any of `hosts`.
    pub fn client_for(&self, hosts: &[&str]) -> reqwest::Client {
        let node = std::net::SocketAddr::from(([127, 0, 0, 1], self.port));
        let mut b = reqwest::Client::builder()
            .user_agent(CHROME)
            .no_proxy()
            .redirect(reqwest::redirect::Policy::none())
            .timeout(Duration::from_secs(60));
        for h in hosts {
            b = b.resolve(h, node);
        }
        b.build().expect("client")
    }

    /// A fresh browser for the back office of the site at `host`.
    pub fn browser_at(&self, host: &str) -> Browser {
        let node = std::net::SocketAddr::from(([127, 0, 0, 1], self.port));
        let client = reqwest::Client::builder()
            .user_agent(CHROME)
            .no_proxy()
            .cookie_store(true)
            .redirect(reqwest::redirect::Policy::none())
            .resolve(host, node)
            .timeout(Duration::from_secs(60))
            .build()
            .expect("client");
        Browser {
            client,
            base: self.address(host),
            csrf: String::new(),
        }
    }
}

/// The certificate the server showed for this response (an `https_client`'s).
pub fn peer_der(res: &reqwest::Response) -> Vec<u8> {
    res.extensions()
        .get::<reqwest::tls::TlsInfo>()
        .and_then(|i| i.peer_certificate())
        .expect("TLS info")
        .to_vec()
}

/// A client over HTTPS that trusts only these roots (PEM), offers HTTP/2 and HTTP/1.1, and
/// keeps what the handshake showed (`reqwest::tls::TlsInfo`) on each response.
pub fn https_client(builder: reqwest::ClientBuilder, roots_pem: &[&str]) -> reqwest::Client {
    https_client_alpn(builder, roots_pem, &[b"h2", b"http/1.1"])
}

/// The same, offering only these ALPN protocols.
pub fn https_client_alpn(
    builder: reqwest::ClientBuilder,
    roots_pem: &[&str],
    alpn: &[&[u8]],
) -> reqwest::Client {
    use rustls::pki_types::CertificateDer;
    use rustls::pki_types::pem::PemObject;
    crypto();
    let mut roots = rustls::RootCertStore::empty();
    for pem in roots_pem {
        for cert in CertificateDer::pem_slice_iter(pem.as_bytes()) {
            roots.add(cert.expect("root PEM")).expect("root");
        }
    }
    let provider = std::sync::Arc::new(rustls::crypto::ring::default_provider());
    let mut config = rustls::ClientConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .expect("versions")
        .with_root_certificates(roots)
        .with_no_client_auth();
    config.alpn_protocols = alpn.iter().map(|p| p.to_vec()).collect();
    builder
        .tls_backend_preconfigured(config)
        .tls_info(true)
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .expect("https client")
}
