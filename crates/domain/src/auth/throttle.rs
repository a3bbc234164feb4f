//! Login throttling: after a few failures, each further try from the same place waits twice
//! as long as the one before, up to a cap. Failures are counted per account *and address*
//! and per address; never per account alone, so an attacker elsewhere cannot lock the real
//! administrator out. Second-factor codes, which only someone with the password can try,
//! are capped per account.
//!
//! An address is an IPv4 address, or an IPv6 client's /64 (one line, one customer: the
//! other 2^64 addresses of it are the same client). Accounts are named by id; a name that
//! matches no account by a keyed hash, so what people type (often a password) is never kept.

use std::net::IpAddr;

/// The network a client is throttled as: an IPv4 address (IPv4-mapped IPv6 too), or an
/// IPv6 /64. Text that is no address is kept as it is, bounded.
pub fn net(ip: &str) -> String {
    match ip.parse::<IpAddr>().map(|ip| ip.to_canonical()) {
        Ok(IpAddr::V4(v4)) => v4.to_string(),
        Ok(IpAddr::V6(v6)) => {
            let s = v6.segments();
            let prefix = std::net::Ipv6Addr::new(s[0], s[1], s[2], s[3], 0, 0, 0, 0);
            format!("{prefix}/64")
        }
        Err(_) => ip.chars().take(64).collect(),
    }
}

/// The scope of one account tried from one network.
pub fn account_scope(user_id: i64, net: &str) -> String {
    format!("{}{net}", account_prefix(user_id))
}

/// The prefix of every scope of an account (for unlocking it).
pub fn account_prefix(user_id: i64) -> String {
    format!("acct:u{user_id}|")
}

/// The scope of a name that matches no account, tried from one network: the name only as a
/// keyed hash (128 bits), under a key kept outside the database.
pub fn unknown_scope(key: &[u8; 32], name: &str, net: &str) -> String {
    let h = blake3::keyed_hash(key, name.as_bytes());
    format!("acct:h{}|{net}", &h.to_hex()[..32])
}

/// The scope of one network, whatever account it tries.
pub fn address_scope(net: &str) -> String {
    format!("ip:{net}")
}

/// The scope of an account's second-factor codes, from anywhere.
pub fn code_scope(user_id: i64) -> String {
    format!("totp:u{user_id}")
}

/// Seconds still to wait, after `failures` recent failures (the last at `last`), when the
/// first `free` cost nothing: 1 s after the first over, then 2, 4, 8 … up to `max`. Times
/// are whole seconds, so a failure counts from the end of its second: the wait is never
/// shorter than promised.
pub fn wait(failures: i64, last: Option<i64>, free: u32, max: i64, now: i64) -> i64 {
    let over = failures - i64::from(free);
    let Some(last) = last else { return 0 };
    if over < 0 {
        return 0;
    }
    let delay = if over >= 30 {
        max
    } else {
        (1i64 << over).min(max)
    };
    (last + 1 + delay - now).max(0)
}

/// Seconds still to wait once `cap` failures fell within `window` (the last at `last`): the
/// window runs out from the last failure, whatever comes meanwhile.
pub fn capped(failures: i64, last: Option<i64>, cap: u32, window: i64, now: i64) -> i64 {
    match last {
        Some(last) if failures >= i64::from(cap) => (last + 1 + window - now).max(0),
        _ => 0,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn waits_double_and_are_capped() {
        assert_eq!(
            wait(4, Some(100), 5, 900, 100),
            0,
            "under the free failures"
        );
        assert_eq!(
            wait(5, Some(100), 5, 900, 100),
            2,
            "1 s from the end of second 100"
        );
        assert_eq!(wait(5, Some(100), 5, 900, 101), 1);
        assert_eq!(wait(5, Some(100), 5, 900, 102), 0);
        assert_eq!(wait(6, Some(100), 5, 900, 101), 2);
        assert_eq!(wait(8, Some(100), 5, 900, 101), 8);
        assert_eq!(wait(8, Some(100), 5, 900, 106), 3, "time passing counts");
        assert_eq!(wait(50, Some(100), 5, 900, 101), 900, "capped");
        assert_eq!(wait(50, Some(100), 5, 900, 1001), 0, "and it ends");
        assert_eq!(wait(9, None, 5, 900, 100), 0);
    }

    #[test]
    fn a_cap_waits_out_the_window() {
        assert_eq!(capped(9, Some(100), 10, 900, 100), 0);
        assert_eq!(capped(10, Some(100), 10, 900, 101), 900);
        assert_eq!(capped(10, Some(100), 10, 900, 1001), 0);
    }

    #[test]
    fn networks() {
        assert_eq!(net("203.0.113.5"), "203.0.113.5");
        assert_eq!(net("::ffff:203.0.113.5"), "203.0.113.5", "IPv4-mapped");
        assert_eq!(net("2001:db8:1:2:aaaa::1"), "2001:db8:1:2::/64");
        assert_eq!(net("2001:db8:1:2:ffff:ffff:ffff:ffff"), "2001:db8:1:2::/64");
        assert_ne!(net("2001:db8:1:3::1"), net("2001:db8:1:2::1"));
        assert_eq!(net("::1"), "::/64");
        assert_eq!(net("cli"), "cli");
        assert_eq!(net(&"x".repeat(500)).len(), 64);
    }

    #[test]
    fn scopes() {
        assert_eq!(account_scope(7, "1.2.3.4"), "acct:u7|1.2.3.4");
        assert!(account_scope(7, "::/64").starts_with(&account_prefix(7)));
        assert!(!account_scope(70, "x").starts_with(&account_prefix(7)));
        assert_eq!(address_scope("2001:db8::/64"), "ip:2001:db8::/64");
        let key = [7u8; 32];
        let s = unknown_scope(&key, "matkhau-cua-toi", "1.2.3.4");
        assert!(!s.contains("matkhau"), "{s}");
        assert_eq!(s, unknown_scope(&key, "matkhau-cua-toi", "1.2.3.4"));
        assert_ne!(s, unknown_scope(&[8u8; 32], "matkhau-cua-toi", "1.2.3.4"));
        assert_eq!(s.len(), "acct:h".len() + 32 + "|1.2.3.4".len());
    }
}
