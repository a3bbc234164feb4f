//! Random tokens: session cookies (stored hashed), CSRF tokens, recovery codes.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;

/// 256 random bits, URL-safe.
pub fn random_token() -> String {
    let mut b = [0u8; 32];
    // Without the OS generator nothing about sessions can be safe; stop here.
    #[allow(clippy::expect_used)]
    getrandom::fill(&mut b).expect("the operating system's random generator");
    URL_SAFE_NO_PAD.encode(b)
}

/// What the store keeps of a token: its BLAKE3 hash, so a stolen database opens nothing.
pub fn token_hash(token: &str) -> String {
    blake3::hash(token.as_bytes()).to_hex().to_string()
}

/// Ten recovery codes like "k3f9-x2m7-q8w4", from an alphabet without look-alikes.
pub fn recovery_codes() -> Vec<String> {
    const ALPHABET: &[u8] = b"abcdefghjkmnpqrstuvwxyz23456789";
    (0..10)
        .map(|_| {
            let mut b = [0u8; 12];
            #[allow(clippy::expect_used)]
            getrandom::fill(&mut b).expect("the operating system's random generator");
            let chars: String = b
                .iter()
                .map(|x| ALPHABET[usize::from(*x) % ALPHABET.len()] as char)
                .collect();
            format!("{}-{}-{}", &chars[..4], &chars[4..8], &chars[8..])
        })
        .collect()
}

/// Recovery codes are compared after normalising what the user typed.
pub fn normalise_code(code: &str) -> String {
    code.chars()
        .filter(|c| c.is_ascii_alphanumeric())
        .map(|c| c.to_ascii_lowercase())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_are_random_and_hashed() {
        let (a, b) = (random_token(), random_token());
        assert_ne!(a, b);
        assert_eq!(a.len(), 43);
        assert_eq!(token_hash(&a), token_hash(&a));
        assert_ne!(token_hash(&a), a);
        let codes = recovery_codes();
        assert_eq!(codes.len(), 10);
        assert_eq!(codes[0].len(), 14);
        assert_eq!(normalise_code(" K3F9-x2m7 q8w4 "), "k3f9x2m7q8w4");
    }
}
