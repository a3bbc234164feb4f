//! Certificates and keys: PEM text made into what rustls serves, and a certificate read for
//! what people need to know about it (names, issuer, validity).

use crate::{Error, Result};
use rustls::pki_types::pem::PemObject;
use rustls::pki_types::{CertificateDer, PrivateKeyDer};
use rustls::sign::CertifiedKey;
use std::sync::Arc;

/// A chain (leaf first) and its private key, checked to belong together.
pub(crate) fn certified_key(chain_pem: &str, key_pem: &str) -> Result<Arc<CertifiedKey>> {
    let chain = CertificateDer::pem_slice_iter(chain_pem.as_bytes())
        .collect::<Result<Vec<_>, _>>()
        .map_err(|e| Error::Certificate(format!("certificate PEM not readable: {e}")))?;
    if chain.is_empty() {
        return Err(Error::Certificate(
            "no certificate in the certificate file".to_owned(),
        ));
    }
    let key = PrivateKeyDer::from_pem_slice(key_pem.as_bytes())
        .map_err(|e| Error::Certificate(format!("private key PEM not readable: {e}")))?;
    certified_der(chain, key)
}

/// The same from DER.
pub(crate) fn certified_der(
    chain: Vec<CertificateDer<'static>>,
    key: PrivateKeyDer<'static>,
) -> Result<Arc<CertifiedKey>> {
    let provider = rustls::crypto::ring::default_provider();
    let ck = CertifiedKey::from_der(chain, key, &provider)
        .map_err(|e| Error::Certificate(format!("certificate and key do not go together: {e}")))?;
    Ok(Arc::new(ck))
}

/// What a certificate says about itself.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CertInfo {
    /// DNS names of the subject alternative name extension.
    pub names: Vec<String>,
    pub issuer: String,
    /// Unix seconds.
    pub not_before: i64,
    pub not_after: i64,
}

/// Reads the leaf (first) certificate of a PEM chain.
pub fn inspect_pem(chain_pem: &str) -> Result<CertInfo> {
    let leaf = CertificateDer::pem_slice_iter(chain_pem.as_bytes())
        .next()
        .ok_or_else(|| Error::Certificate("no certificate in the PEM".to_owned()))?
        .map_err(|e| Error::Certificate(format!("certificate PEM not readable: {e}")))?;
    inspect_der(&leaf)
}

pub(crate) fn inspect_der(der: &[u8]) -> Result<CertInfo> {
    let (_, cert) = x509_parser::parse_x509_certificate(der)
        .map_err(|e| Error::Certificate(format!("certificate not readable: {e}")))?;
    let mut names = Vec::new();
    if let Ok(Some(san)) = cert.subject_alternative_name() {
        for n in &san.value.general_names {
            if let x509_parser::extensions::GeneralName::DNSName(d) = n {
                names.push((*d).to_owned());
            }
        }
    }
    let validity = cert.validity();
    Ok(CertInfo {
        names,
        issuer: cert.issuer().to_string(),
        not_before: validity.not_before.timestamp(),
        not_after: validity.not_after.timestamp(),
    })
}

/// The self-signed certificate a TLS-ALPN-01 check expects for `name` (RFC 8737): the
/// digest of the key authorization in the acmeIdentifier extension.
pub(crate) fn alpn_challenge_key(name: &str, digest: &[u8]) -> Result<Arc<CertifiedKey>> {
    let mut params = rcgen::CertificateParams::new(vec![name.to_owned()])?;
    params.custom_extensions = vec![rcgen::CustomExtension::new_acme_identifier(digest)];
    let key = rcgen::KeyPair::generate()?;
    let cert = params.self_signed(&key)?;
    let key_der = PrivateKeyDer::Pkcs8(rustls::pki_types::PrivatePkcs8KeyDer::from(
        key.serialize_der(),
    ));
    // Not through `certified_der`: its key check parses the certificate with webpki, which
    // refuses the critical acmeIdentifier extension this certificate exists to carry.
    let signer = rustls::crypto::ring::default_provider()
        .key_provider
        .load_private_key(key_der)
        .map_err(|e| Error::Certificate(format!("challenge key: {e}")))?;
    Ok(Arc::new(CertifiedKey::new(
        vec![cert.der().clone()],
        signer,
    )))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn self_signed(names: &[&str]) -> (String, String) {
        let names: Vec<String> = names.iter().map(|n| (*n).to_owned()).collect();
        let c = rcgen::generate_simple_self_signed(names).expect("cert");
        (c.cert.pem(), c.signing_key.serialize_pem())
    }

    #[test]
    fn a_chain_and_its_key_are_served_and_read() {
        let (cert, key) = self_signed(&["skhcn.example.gov.vn", "www.skhcn.example.gov.vn"]);
        certified_key(&cert, &key).expect("served");
        let info = inspect_pem(&cert).expect("read");
        assert_eq!(
            info.names,
            ["skhcn.example.gov.vn", "www.skhcn.example.gov.vn"]
        );
        assert!(info.not_after > info.not_before);
    }

    #[test]
    fn a_key_of_another_certificate_or_garbage_is_refused_with_the_reason() {
        let (cert, _) = self_signed(&["a.example"]);
        let (_, other_key) = self_signed(&["b.example"]);
        let e = certified_key(&cert, &other_key).expect_err("mismatch");
        assert!(e.to_string().contains("do not go together"), "{e}");
        let e = certified_key("not a pem", &other_key).expect_err("no cert");
        assert!(e.to_string().contains("no certificate"), "{e}");
        let e = certified_key(
            &cert,
            "-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n",
        )
        .expect_err("bad key");
        assert!(!e.to_string().is_empty());
    }

    #[test]
    fn a_tls_alpn_challenge_certificate_carries_the_digest() {
        let key = alpn_challenge_key("skhcn.example.gov.vn", &[7u8; 32]).expect("made");
        let info = inspect_der(&key.cert[0]).expect("read");
        assert_eq!(info.names, ["skhcn.example.gov.vn"]);
        let (_, cert) = x509_parser::parse_x509_certificate(&key.cert[0]).expect("parse");
        // id-pe-acmeIdentifier (RFC 8737), critical, holding the digest as an OCTET STRING.
        let ext = cert
            .extensions()
            .iter()
            .find(|e| e.oid.to_id_string() == "1.3.6.1.5.5.7.1.31")
            .expect("acmeIdentifier");
        assert!(ext.critical);
        assert_eq!(&ext.value[2..], &[7u8; 32]);
    }
}
