-- HTTPS: each site's certificate obtained over ACME (the chain in clear, the key sealed with
-- the operator's key), with the state of its renewal; the ACME account per directory
-- (sealed); the challenges being answered (any node may be asked); and leases, so that one
-- node at a time orders a certificate.

CREATE TABLE tls_certificates (
    site_id      BIGINT PRIMARY KEY REFERENCES sites (id) ON DELETE CASCADE,
    names        TEXT    NOT NULL DEFAULT '',
    chain_pem    TEXT,
    key_sealed   TEXT,
    issuer       TEXT    NOT NULL DEFAULT '',
    not_before   BIGINT  NOT NULL DEFAULT 0,
    not_after    BIGINT  NOT NULL DEFAULT 0,
    obtained_at  BIGINT  NOT NULL DEFAULT 0,
    failures     BIGINT  NOT NULL DEFAULT 0,
    last_error   TEXT    NOT NULL DEFAULT '',
    last_attempt BIGINT  NOT NULL DEFAULT 0,
    next_attempt BIGINT  NOT NULL DEFAULT 0
);

CREATE TABLE acme_accounts (
    directory   TEXT    PRIMARY KEY,
    credentials TEXT    NOT NULL,
    created_at  BIGINT  NOT NULL
);

CREATE TABLE acme_challenges (
    token      TEXT    PRIMARY KEY,
    kind       TEXT    NOT NULL,
    name       TEXT    NOT NULL,
    value      TEXT    NOT NULL,
    expires_at BIGINT  NOT NULL
);

CREATE TABLE leases (
    name   TEXT    PRIMARY KEY,
    holder TEXT    NOT NULL,
    until  BIGINT  NOT NULL
);
