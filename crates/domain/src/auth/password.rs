//! Passwords: the policy (length, not common, not the user's name) and Argon2id hashing.

use argon2::{Argon2, PasswordHash, PasswordHasher, PasswordVerifier};
use std::collections::HashSet;
use std::sync::LazyLock;

static COMMON: LazyLock<HashSet<&'static str>> = LazyLock::new(|| {
    include_str!("common-passwords.txt")
        .lines()
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .collect()
});

/// Longest password accepted (Argon2 handles more, but nobody types more).
pub const MAX_CHARS: usize = 128;

/// Why a password is refused, as told to the user.
pub fn check_policy(password: &str, username: &str, min_chars: u32) -> Result<(), String> {
    let chars = password.chars().count();
    if chars < min_chars as usize {
        return Err(format!("Mật khẩu phải có ít nhất {min_chars} ký tự."));
    }
    if chars > MAX_CHARS {
        return Err(format!("Mật khẩu dài tối đa {MAX_CHARS} ký tự."));
    }
    let lower = password.to_lowercase();
    if COMMON.contains(lower.as_str()) {
        return Err("Mật khẩu này quá phổ biến, dễ bị đoán. Hãy chọn mật khẩu khác.".to_owned());
    }
    if !username.is_empty() && lower.contains(&username.to_lowercase()) {
        return Err("Mật khẩu không được chứa tên đăng nhập.".to_owned());
    }
    if password.chars().collect::<HashSet<_>>().len() < 4 {
        return Err("Mật khẩu cần nhiều ký tự khác nhau hơn.".to_owned());
    }
    Ok(())
}

/// An Argon2id PHC string (default parameters: 19 MiB, 2 passes). Slow on purpose: call
/// from a blocking thread.
pub fn hash(password: &str) -> Result<String, String> {
    let h: PasswordHash = Argon2::default()
        .hash_password(password.as_bytes())
        .map_err(|e| e.to_string())?;
    Ok(h.to_string())
}

/// True when `password` matches the PHC string `phc` (comparison in constant time).
pub fn verify(password: &str, phc: &str) -> bool {
    Argon2::default()
        .verify_password(password.as_bytes(), phc)
        .is_ok()
}

/// A hash that matches nothing anyone types: checked for unknown users, so an unknown name
/// and a wrong password take the same time.
pub static DECOY: LazyLock<String> = LazyLock::new(|| {
    let mut noise = [0u8; 24];
    let _ = getrandom::fill(&mut noise);
    hash(&format!("{noise:?}")).unwrap_or_default()
});

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn policy() {
        assert!(check_policy("ngắn", "a", 10).is_err());
        assert!(check_policy("qwertyuiop", "a", 10).is_err(), "common");
        assert!(
            check_policy("Password123", "a", 10).is_err(),
            "common, any case"
        );
        assert!(
            check_policy("matkhau123", "a", 10).is_err(),
            "Vietnamese favourite"
        );
        assert!(
            check_policy("bientapvien-2026!", "bientapvien", 10).is_err(),
            "contains the name"
        );
        assert!(
            check_policy("aaaaaaaaaaaa", "x", 10).is_err(),
            "too few distinct characters"
        );
        assert!(check_policy("Đồng hồ cát 2026", "kieudiem", 10).is_ok());
        assert!(
            check_policy(&"x1y2".repeat(40), "u", 10).is_err(),
            "too long"
        );
    }

    #[test]
    fn hash_and_verify() {
        let h = hash("Đồng hồ cát 2026").expect("hash");
        assert!(h.starts_with("$argon2id$"));
        assert!(verify("Đồng hồ cát 2026", &h));
        assert!(!verify("Đồng hồ cát 2027", &h));
        assert!(!verify("anything", &DECOY));
        assert!(!verify("x", "not a phc string"));
    }
}
