//! Cookieless visitor identity: a keyed hash of (today's secret, client IP, User-Agent).
//!
//! The secret changes every local day and old ones are deleted, so a hash cannot be linked
//! to the same reader on another day; the hash is all that is kept of a reader.

use std::net::IpAddr;

/// A visitor for one day; 128 bits of the keyed BLAKE3 hash.
pub type VisitorId = cong_store::stats::VisitorKey;

/// A day's secret: the BLAKE3 key.
pub type Secret = [u8; 32];

/// The visitor behind a client address and User-Agent under a day's secret. An IPv4 client
/// reached over an IPv6 socket (`::ffff:a.b.c.d`) hashes as the IPv4 address it is.
pub fn visitor_id(secret: &Secret, ip: IpAddr, user_agent: &str) -> VisitorId {
    let mut h = blake3::Hasher::new_keyed(secret);
    match ip.to_canonical() {
        IpAddr::V4(v4) => {
            h.update(&[4]);
            h.update(&v4.octets());
        }
        IpAddr::V6(v6) => {
            h.update(&[6]);
            h.update(&v6.octets());
        }
    }
    h.update(user_agent.as_bytes());
    let mut id = [0u8; 16];
    id.copy_from_slice(&h.finalize().as_bytes()[..16]);
    id
}

/// A fresh random secret.
pub fn new_secret() -> Secret {
    let mut s = [0u8; 32];
    // The OS generator failing is not something a portal can go on from.
    #[allow(clippy::expect_used)]
    getrandom::fill(&mut s).expect("the operating system's random generator");
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn same_reader_same_day_same_id() {
        let s = new_secret();
        let ip: IpAddr = "203.113.1.7".parse().expect("ip");
        assert_eq!(visitor_id(&s, ip, "UA"), visitor_id(&s, ip, "UA"));
        assert_ne!(visitor_id(&s, ip, "UA"), visitor_id(&s, ip, "UA2"));
        let other: IpAddr = "203.113.1.8".parse().expect("ip");
        assert_ne!(visitor_id(&s, ip, "UA"), visitor_id(&s, other, "UA"));
    }

    #[test]
    fn new_secret_new_id() {
        let ip: IpAddr = "2001:db8::1".parse().expect("ip");
        assert_ne!(
            visitor_id(&new_secret(), ip, "UA"),
            visitor_id(&new_secret(), ip, "UA")
        );
    }

    #[test]
    fn mapped_ipv4_is_ipv4() {
        let s = new_secret();
        let v4: IpAddr = "127.0.0.1".parse().expect("ip");
        let mapped: IpAddr = "::ffff:127.0.0.1".parse().expect("ip");
        assert_eq!(visitor_id(&s, v4, "UA"), visitor_id(&s, mapped, "UA"));
    }
}
