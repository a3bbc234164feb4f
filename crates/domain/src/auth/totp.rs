//! The optional second factor: TOTP (RFC 6238, SHA-1, 6 digits, 30 s, one step of skew),
//! enrolled by scanning a QR code the server draws.

use totp_rs::{Builder, Secret, Totp};

/// Issuer shown in authenticator apps.
const ISSUER: &str = "cong";

fn totp(secret_b32: &str, account: &str) -> Result<Totp, String> {
    let secret = Secret::try_from_base32(secret_b32).map_err(|e| e.to_string())?;
    Builder::new()
        .with_secret(secret)
        .with_account_name(account)
        .with_issuer(Some(ISSUER))
        .build()
        .map_err(|e| e.to_string())
}

/// A new secret (160 bits), base32.
pub fn new_secret() -> String {
    let mut b = [0u8; 20];
    #[allow(clippy::expect_used)]
    getrandom::fill(&mut b).expect("the operating system's random generator");
    Secret::from(b).to_base32()
}

/// The `otpauth://` URL an authenticator app reads.
pub fn url(secret_b32: &str, account: &str) -> Result<String, String> {
    totp(secret_b32, account)?
        .to_url()
        .map_err(|e| e.to_string())
}

/// The URL as an SVG QR code, to put inline in the page.
pub fn qr_svg(url: &str) -> Result<String, String> {
    let code = qrcode::QrCode::new(url.as_bytes()).map_err(|e| e.to_string())?;
    Ok(code
        .render::<qrcode::render::svg::Color<'_>>()
        .min_dimensions(200, 200)
        .quiet_zone(true)
        .build())
}

/// The time step a code is valid for at `now`, or `None` when it is wrong.
pub fn check(secret_b32: &str, account: &str, code: &str, now: i64) -> Option<i64> {
    let code: String = code.chars().filter(char::is_ascii_digit).collect();
    let t = totp(secret_b32, account).ok()?;
    t.check(&code, u64::try_from(now).ok()?)
        .and_then(|step| i64::try_from(step).ok())
}

/// The current code (for tests and for showing what the app should display).
pub fn current(secret_b32: &str, account: &str, now: i64) -> Option<String> {
    let t = totp(secret_b32, account).ok()?;
    Some(t.generate(u64::try_from(now).ok()?).to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_check_within_one_step() {
        let s = new_secret();
        let now = 1_780_000_000;
        let code = current(&s, "kieudiem", now).expect("code");
        assert_eq!(code.len(), 6);
        assert!(check(&s, "kieudiem", &code, now).is_some());
        assert!(
            check(&s, "kieudiem", &code, now + 30).is_some(),
            "skew of one step"
        );
        assert!(check(&s, "kieudiem", &code, now + 90).is_none());
        assert!(check(&s, "kieudiem", "000000x", now).is_none() || code == "000000");
        let u = url(&s, "kieudiem").expect("url");
        assert!(u.starts_with("otpauth://totp/cong:kieudiem?"), "{u}");
        let svg = qr_svg(&u).expect("svg");
        assert!(svg.contains("<svg") && svg.contains("</svg>"));
    }
}
