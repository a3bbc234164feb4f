//! Login throttling: after a few failures, each further try from the same place waits twice
//! as long as the one before, up to a cap. Failures are counted per account *and address*
//! and per address; never per account alone, so an attacker elsewhere cannot lock the real
//! administrator out.

/// The scope of one account tried from one address.
pub fn account_scope(username: &str, ip: &str) -> String {
    format!("acct:{}|{ip}", username.to_lowercase())
}

/// The prefix of every scope of an account (for unlocking it).
pub fn account_prefix(username: &str) -> String {
    format!("acct:{}|", username.to_lowercase())
}

/// The scope of one address, whatever account it tries.
pub fn address_scope(ip: &str) -> String {
    format!("ip:{ip}")
}

/// Seconds still to wait, after `failures` recent failures (the last at `last`), when the
/// first `free` cost nothing: 1 s after the first over, then 2, 4, 8 … up to `max`.
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
    (last + delay - now).max(0)
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
        assert_eq!(wait(5, Some(100), 5, 900, 100), 1);
        assert_eq!(wait(6, Some(100), 5, 900, 100), 2);
        assert_eq!(wait(8, Some(100), 5, 900, 100), 8);
        assert_eq!(wait(8, Some(100), 5, 900, 105), 3, "time passing counts");
        assert_eq!(wait(50, Some(100), 5, 900, 100), 900, "capped");
        assert_eq!(wait(50, Some(100), 5, 900, 1000), 0, "and it ends");
        assert_eq!(wait(9, None, 5, 900, 100), 0);
    }

    #[test]
    fn scopes() {
        assert_eq!(account_scope("Admin", "1.2.3.4"), "acct:admin|1.2.3.4");
        assert!(account_scope("admin", "::1").starts_with(&account_prefix("ADMIN")));
        assert_eq!(address_scope("::1"), "ip:::1");
    }
}
