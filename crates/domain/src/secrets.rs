//! Secrets at rest: values the database keeps that must be worthless without a key the
//! operator keeps elsewhere — second-factor keys now, ACME account keys and certificates
//! next. This is cong's one facility for them.
//!
//! A value is sealed with XChaCha20-Poly1305 under the current key and stored as
//! `v1:<key id>:<base64 of nonce and ciphertext>`. The key id (8 hex digits derived from the
//! key) says which key opens it, so old keys can be kept for reading while
//! `cong secrets rotate` re-seals everything under a new one. Each value is sealed for a
//! place (`context`, such as `users.totp:12`), so a sealed value copied to another row does
//! not open there.
//!
//! The key is a file of 256 random bits (base64), made with mode 0600 the first time a value
//! is sealed; every node of a site needs the same file, and it belongs outside database
//! backups: a backup alone reveals no secret.

use base64::Engine;
use base64::engine::general_purpose::{STANDARD, URL_SAFE_NO_PAD};
use chacha20poly1305::aead::{Aead, KeyInit, Payload};
use chacha20poly1305::{XChaCha20Poly1305, XNonce};
use cong_config::SecretsConfig;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

/// What a sealed value starts with; the format's version.
const VERSION: &str = "v1";
const NONCE: usize = 24;

/// Why a secret cannot be sealed or opened. Never a panic: the caller answers 503 (a key
/// is missing) or 500 (a value is damaged), and logs this message, which names the key.
#[derive(Debug, thiserror::Error)]
pub enum SecretError {
    #[error(
        "a sealed value needs key {id}, which is not loaded: give its file in secrets.key_file or secrets.old_key_files (every node needs the same key files)"
    )]
    MissingKey { id: String },
    #[error("secret key file {path}: {why}")]
    KeyFile { path: String, why: String },
    #[error(
        "a value sealed under key {id} does not open: it is damaged, or was sealed for another place"
    )]
    Damaged { id: String },
    #[error("a sealed value is malformed (expected v1:<key id>:<base64>)")]
    Malformed,
}

impl From<SecretError> for crate::Error {
    fn from(e: SecretError) -> Self {
        match e {
            SecretError::MissingKey { .. } | SecretError::KeyFile { .. } => {
                crate::Error::Unavailable(e.to_string())
            }
            SecretError::Damaged { .. } | SecretError::Malformed => {
                crate::Error::Internal(e.to_string())
            }
        }
    }
}

struct Key {
    id: String,
    bytes: [u8; 32],
}

impl Key {
    fn new(bytes: [u8; 32]) -> Key {
        let id = blake3::derive_key("cong secrets key id v1", &bytes);
        Key {
            id: id[..4].iter().map(|b| format!("{b:02x}")).collect(),
            bytes,
        }
    }

    fn cipher(&self) -> XChaCha20Poly1305 {
        XChaCha20Poly1305::new(&self.bytes.into())
    }
}

/// The keys: the current one (which seals; read at start or made when first needed) and
/// former ones (which only open).
pub struct Secrets {
    key_file: PathBuf,
    current: Mutex<Option<Arc<Key>>>,
    old: Vec<Arc<Key>>,
}

impl std::fmt::Debug for Secrets {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Secrets")
            .field("key_file", &self.key_file)
            .field("current", &self.current_id())
            .field("old", &self.old.iter().map(|k| &k.id).collect::<Vec<_>>())
            .finish()
    }
}

fn key_file_error(path: &Path, why: impl std::fmt::Display) -> SecretError {
    SecretError::KeyFile {
        path: path.display().to_string(),
        why: why.to_string(),
    }
}

/// Reads a key file: 32 bytes in base64, on one line.
fn read_key(path: &Path) -> Result<Key, SecretError> {
    let text = std::fs::read_to_string(path).map_err(|e| key_file_error(path, e))?;
    let bytes = STANDARD
        .decode(text.trim())
        .ok()
        .and_then(|b| <[u8; 32]>::try_from(b).ok())
        .ok_or_else(|| key_file_error(path, "not a cong key (256 bits in base64 expected)"))?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        if let Ok(m) = std::fs::metadata(path)
            && m.permissions().mode() & 0o077 != 0
        {
            tracing::warn!(
                file = %path.display(),
                "the secret key file can be read by others than its owner: chmod 600 it"
            );
        }
    }
    Ok(Key::new(bytes))
}

/// Writes a new key file whole or not at all, and never over another node's: the key goes
/// to a temporary file (mode 0600) that is then linked to `path`, which fails if `path`
/// exists meanwhile; then the key in `path` wins.
fn create_key(path: &Path) -> Result<Key, SecretError> {
    use std::io::Write;
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir).map_err(|e| key_file_error(path, e))?;
    }
    let mut bytes = [0u8; 32];
    getrandom::fill(&mut bytes).map_err(|e| key_file_error(path, e))?;
    let tmp = path.with_extension(format!("tmp{}", std::process::id()));
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    let written = options
        .open(&tmp)
        .and_then(|mut f| {
            f.write_all(format!("{}\n", STANDARD.encode(bytes)).as_bytes())?;
            f.sync_all()
        })
        .and_then(|()| std::fs::hard_link(&tmp, path));
    let _ = std::fs::remove_file(&tmp);
    match written {
        Ok(()) => {
            let key = Key::new(bytes);
            tracing::info!(file = %path.display(), key = %key.id, "new secret key made");
            Ok(key)
        }
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => read_key(path),
        Err(e) => Err(key_file_error(path, e)),
    }
}

impl Secrets {
    /// Reads the key files: `key_file` when it exists (it is made when first needed), and
    /// every one of `old_key_files`, which must exist.
    pub fn load(cfg: &SecretsConfig) -> Result<Secrets, SecretError> {
        let key_file = PathBuf::from(&cfg.key_file);
        let current = if key_file.exists() {
            Some(Arc::new(read_key(&key_file)?))
        } else {
            None
        };
        let old = cfg
            .old_key_files
            .iter()
            .map(|f| read_key(Path::new(f)).map(Arc::new))
            .collect::<Result<Vec<_>, _>>()?;
        Ok(Secrets {
            key_file,
            current: Mutex::new(current),
            old,
        })
    }

    /// Keys that live only in memory (tests).
    #[cfg(test)]
    pub(crate) fn ephemeral() -> Secrets {
        let mut bytes = [0u8; 32];
        getrandom::fill(&mut bytes).expect("random");
        Secrets {
            key_file: PathBuf::new(),
            current: Mutex::new(Some(Arc::new(Key::new(bytes)))),
            old: Vec::new(),
        }
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Option<Arc<Key>>> {
        self.current
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    /// The current key, made (and its file written) if there is none yet.
    fn current(&self) -> Result<Arc<Key>, SecretError> {
        let mut current = self.lock();
        if let Some(k) = current.as_ref() {
            return Ok(Arc::clone(k));
        }
        let key = Arc::new(create_key(&self.key_file)?);
        *current = Some(Arc::clone(&key));
        Ok(key)
    }

    /// The id of the key that seals, if it exists yet.
    pub fn current_id(&self) -> Option<String> {
        self.lock().as_ref().map(|k| k.id.clone())
    }

    /// True when a value sealed under key `id` can be opened.
    pub fn has_key(&self, id: &str) -> bool {
        self.current_id().as_deref() == Some(id) || self.old.iter().any(|k| k.id == id)
    }

    fn key(&self, id: &str) -> Option<Arc<Key>> {
        {
            let mut current = self.lock();
            // Another node sharing the file, or `cong` from the command line, made the key
            // after this process started without one: read it now.
            if current.is_none()
                && self.key_file.exists()
                && let Ok(k) = read_key(&self.key_file)
            {
                *current = Some(Arc::new(k));
            }
            if let Some(k) = current.as_ref().filter(|k| k.id == id) {
                return Some(Arc::clone(k));
            }
        }
        self.old.iter().find(|k| k.id == id).cloned()
    }

    /// Seals `plain` for `context` under the current key.
    pub fn seal(&self, context: &str, plain: &str) -> Result<String, SecretError> {
        let key = self.current()?;
        let mut nonce = [0u8; NONCE];
        getrandom::fill(&mut nonce).map_err(|e| key_file_error(&self.key_file, e))?;
        let sealed = key
            .cipher()
            .encrypt(
                &XNonce::from(nonce),
                Payload {
                    msg: plain.as_bytes(),
                    aad: context.as_bytes(),
                },
            )
            .map_err(|_| SecretError::Damaged { id: key.id.clone() })?;
        let mut bytes = Vec::with_capacity(NONCE + sealed.len());
        bytes.extend_from_slice(&nonce);
        bytes.extend_from_slice(&sealed);
        Ok(format!(
            "{VERSION}:{}:{}",
            key.id,
            URL_SAFE_NO_PAD.encode(bytes)
        ))
    }

    /// Opens a value sealed for `context`.
    pub fn unseal(&self, context: &str, sealed: &str) -> Result<String, SecretError> {
        let (id, body) = parse(sealed).ok_or(SecretError::Malformed)?;
        let key = self
            .key(id)
            .ok_or_else(|| SecretError::MissingKey { id: id.to_owned() })?;
        let damaged = || SecretError::Damaged { id: id.to_owned() };
        let bytes = URL_SAFE_NO_PAD.decode(body).map_err(|_| damaged())?;
        if bytes.len() < NONCE {
            return Err(damaged());
        }
        let (nonce, ciphertext) = bytes.split_at(NONCE);
        let nonce = <[u8; NONCE]>::try_from(nonce).map_err(|_| damaged())?;
        let plain = key
            .cipher()
            .decrypt(
                &XNonce::from(nonce),
                Payload {
                    msg: ciphertext,
                    aad: context.as_bytes(),
                },
            )
            .map_err(|_| damaged())?;
        String::from_utf8(plain).map_err(|_| damaged())
    }

    /// A key for hashing with (such as names typed at the login, kept hashed), derived from
    /// the current key for `purpose`; made if there is none yet.
    pub fn derive(&self, purpose: &str) -> Result<[u8; 32], SecretError> {
        Ok(blake3::derive_key(purpose, &self.current()?.bytes))
    }
}

/// The key id and body of a sealed value.
fn parse(sealed: &str) -> Option<(&str, &str)> {
    let rest = sealed.strip_prefix(VERSION)?.strip_prefix(':')?;
    let (id, body) = rest.split_once(':')?;
    (id.len() == 8 && id.bytes().all(|b| b.is_ascii_hexdigit())).then_some((id, body))
}

/// True when `value` is sealed (rather than a clear value from before sealing).
pub fn is_sealed(value: &str) -> bool {
    parse(value).is_some()
}

/// The id of the key a sealed value needs.
pub fn key_of(sealed: &str) -> Option<&str> {
    parse(sealed).map(|(id, _)| id)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cfg(dir: &Path, old: &[&Path]) -> SecretsConfig {
        SecretsConfig {
            key_file: dir.join("keys/secret.key").display().to_string(),
            old_key_files: old.iter().map(|p| p.display().to_string()).collect(),
        }
    }

    #[test]
    fn seals_opens_and_binds_to_its_place() {
        let s = Secrets::ephemeral();
        let sealed = s.seal("users.totp:1", "JBSWY3DPEHPK3PXP").expect("seal");
        assert!(is_sealed(&sealed) && sealed.starts_with("v1:"));
        assert!(!sealed.contains("JBSWY3DPEHPK3PXP"));
        assert_eq!(key_of(&sealed), s.current_id().as_deref());
        assert_eq!(
            s.unseal("users.totp:1", &sealed).expect("open"),
            "JBSWY3DPEHPK3PXP"
        );
        assert_ne!(
            s.seal("users.totp:1", "JBSWY3DPEHPK3PXP").expect("seal"),
            sealed,
            "a new nonce each time"
        );
        assert!(matches!(
            s.unseal("users.totp:2", &sealed),
            Err(SecretError::Damaged { .. })
        ));
        let mut tampered = sealed.clone();
        tampered.pop();
        tampered.push(if sealed.ends_with('A') { 'B' } else { 'A' });
        assert!(s.unseal("users.totp:1", &tampered).is_err());
        assert!(matches!(
            s.unseal("users.totp:1", "JBSWY3DPEHPK3PXP"),
            Err(SecretError::Malformed)
        ));
        assert!(!is_sealed("JBSWY3DPEHPK3PXP"));
    }

    #[test]
    fn the_key_file_is_made_once_private_and_rotates() {
        let dir = tempfile::tempdir().expect("dir");
        let first = Secrets::load(&cfg(dir.path(), &[])).expect("load");
        assert_eq!(first.current_id(), None, "made when first needed");
        let sealed = first.seal("c", "bí mật").expect("seal");
        let file = dir.path().join("keys/secret.key");
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(&file).expect("file").permissions().mode();
            assert_eq!(mode & 0o777, 0o600);
        }
        // Another node (or the next start) reads the same key.
        let again = Secrets::load(&cfg(dir.path(), &[])).expect("load");
        assert_eq!(again.unseal("c", &sealed).expect("open"), "bí mật");
        // Without it: a clear error naming the key.
        let old = dir.path().join("old.key");
        std::fs::rename(&file, &old).expect("move");
        let without = Secrets::load(&cfg(dir.path(), &[])).expect("load");
        let err = without.unseal("c", &sealed).expect_err("no key");
        assert!(matches!(err, SecretError::MissingKey { .. }));
        assert!(err.to_string().contains(key_of(&sealed).expect("id")));
        // Rotated: the old key opens, a new one seals.
        let rotated = Secrets::load(&cfg(dir.path(), &[&old])).expect("load");
        assert_eq!(rotated.unseal("c", &sealed).expect("open"), "bí mật");
        let resealed = rotated.seal("c", "bí mật").expect("seal");
        assert_ne!(key_of(&resealed), key_of(&sealed));
        assert!(rotated.has_key(key_of(&sealed).expect("id")));
        // A missing or malformed old key file stops the load, clearly.
        let missing = Secrets::load(&cfg(dir.path(), &[&dir.path().join("nope.key")]));
        assert!(matches!(missing, Err(SecretError::KeyFile { .. })));
        std::fs::write(&old, "not a key\n").expect("write");
        let err = Secrets::load(&cfg(dir.path(), &[&old])).expect_err("malformed");
        assert!(err.to_string().contains("not a cong key"), "{err}");
    }

    #[test]
    fn a_key_another_node_made_after_this_one_started_is_read_when_needed() {
        let dir = tempfile::tempdir().expect("dir");
        let started_without = Secrets::load(&cfg(dir.path(), &[])).expect("load");
        assert_eq!(started_without.current_id(), None);
        let other = Secrets::load(&cfg(dir.path(), &[])).expect("load");
        let sealed = other.seal("tls-key", "khóa").expect("seal");
        assert_eq!(
            started_without
                .unseal("tls-key", &sealed)
                .expect("opened with the file made since"),
            "khóa"
        );
    }
}
