//! Who is asking, and whether the request is a counted page view: the client address behind
//! trusted proxies, prefetches, HEAD, bots.

use ipnet::IpNet;
use std::net::IpAddr;

/// The client's address. `X-Forwarded-For` is read only when the peer is a trusted proxy,
/// and then from the right: the first address that is not itself a trusted proxy is the
/// client. Entries further left were written by the client and can be forged.
pub fn client_ip(peer: IpAddr, forwarded_for: &[&str], trusted: &[IpNet]) -> IpAddr {
    let peer = peer.to_canonical();
    let is_trusted = |ip: &IpAddr| trusted.iter().any(|net| net.contains(ip));
    if !is_trusted(&peer) {
        return peer;
    }
    let mut client = peer;
    let hops = forwarded_for
        .iter()
        .rev()
        .flat_map(|h| h.rsplit(','))
        .map(str::trim);
    for hop in hops {
        match parse_hop(hop) {
            Some(ip) => {
                client = ip;
                if !is_trusted(&ip) {
                    break;
                }
            }
            // An unreadable entry ends the chain: keep the last address we could vouch for.
            None => break,
        }
    }
    client
}

/// One `X-Forwarded-For` entry: `1.2.3.4`, `1.2.3.4:5678`, `2001:db8::1`, `[2001:db8::1]:80`.
fn parse_hop(hop: &str) -> Option<IpAddr> {
    if let Ok(ip) = hop.parse::<IpAddr>() {
        return Some(ip.to_canonical());
    }
    if let Ok(sa) = hop.parse::<std::net::SocketAddr>() {
        return Some(sa.ip().to_canonical());
    }
    hop.strip_prefix('[')
        .and_then(|h| h.strip_suffix(']'))
        .and_then(|h| h.parse::<IpAddr>().ok())
        .map(|ip| ip.to_canonical())
}

/// True when a browser says it is only prefetching or prerendering (the reader may never
/// see the page): `Sec-Purpose`, `Purpose`, `X-Purpose`, `X-Moz`.
pub fn is_prefetch(
    sec_purpose: Option<&str>,
    purpose: Option<&str>,
    x_purpose: Option<&str>,
    x_moz: Option<&str>,
) -> bool {
    let has = |v: Option<&str>, words: &[&str]| {
        v.is_some_and(|v| {
            let v = v.to_ascii_lowercase();
            words.iter().any(|w| v.contains(w))
        })
    };
    has(sec_purpose, &["prefetch", "prerender"])
        || has(purpose, &["prefetch", "prerender"])
        || has(x_purpose, &["preview", "prefetch"])
        || has(x_moz, &["prefetch"])
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ip(s: &str) -> IpAddr {
        s.parse().expect("ip")
    }

    fn nets(list: &[&str]) -> Vec<IpNet> {
        list.iter().map(|n| n.parse().expect("cidr")).collect()
    }

    #[test]
    fn untrusted_peer_forwarded_for_is_ignored() {
        let got = client_ip(ip("203.0.113.9"), &["1.2.3.4"], &nets(&["10.0.0.0/8"]));
        assert_eq!(got, ip("203.0.113.9"));
        let got = client_ip(ip("2001:db8::9"), &["1.2.3.4"], &[]);
        assert_eq!(got, ip("2001:db8::9"));
    }

    #[test]
    fn trusted_proxy_gives_the_rightmost_untrusted_hop() {
        let trusted = nets(&["10.0.0.0/8", "fd00::/8"]);
        // The client forged "6.6.6.6"; the proxy appended the real address.
        let got = client_ip(ip("10.0.0.2"), &["6.6.6.6, 198.51.100.7"], &trusted);
        assert_eq!(got, ip("198.51.100.7"));
        // Two proxies, IPv6 client.
        let got = client_ip(ip("fd00::1"), &["2001:db8::42, 10.1.1.1"], &trusted);
        assert_eq!(got, ip("2001:db8::42"));
        // Headers repeated: read as one list.
        let got = client_ip(ip("10.0.0.2"), &["6.6.6.6", "198.51.100.7"], &trusted);
        assert_eq!(got, ip("198.51.100.7"));
    }

    #[test]
    fn trusted_proxy_without_header_is_the_client() {
        let got = client_ip(ip("10.0.0.2"), &[], &nets(&["10.0.0.0/8"]));
        assert_eq!(got, ip("10.0.0.2"));
    }

    #[test]
    fn garbage_ends_the_chain() {
        let trusted = nets(&["10.0.0.0/8"]);
        let got = client_ip(ip("10.0.0.2"), &["198.51.100.7, nonsense"], &trusted);
        assert_eq!(got, ip("10.0.0.2"));
    }

    #[test]
    fn ports_brackets_and_mapped_addresses() {
        let trusted = nets(&["127.0.0.0/8", "::1/128"]);
        assert_eq!(
            client_ip(ip("::ffff:127.0.0.1"), &["[2001:db8::5]:443"], &trusted),
            ip("2001:db8::5")
        );
        assert_eq!(
            client_ip(ip("::1"), &["198.51.100.7:5000"], &trusted),
            ip("198.51.100.7")
        );
        // A mapped peer that is not trusted comes back as plain IPv4.
        assert_eq!(
            client_ip(ip("::ffff:198.51.100.1"), &[], &[]),
            ip("198.51.100.1")
        );
    }

    #[test]
    fn prefetch_headers() {
        assert!(is_prefetch(Some("prefetch"), None, None, None));
        assert!(is_prefetch(Some("prefetch;prerender"), None, None, None));
        assert!(is_prefetch(None, Some("prefetch"), None, None));
        assert!(is_prefetch(None, None, Some("preview"), None));
        assert!(is_prefetch(None, None, None, Some("prefetch")));
        assert!(!is_prefetch(None, None, None, None));
        assert!(!is_prefetch(Some("anything-else"), None, None, None));
    }
}
