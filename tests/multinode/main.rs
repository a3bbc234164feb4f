//! Several nodes on one PostgreSQL database, the database going away and coming back,
//! moving a store between SQLite and PostgreSQL, and backups restored into the other store.
//! These always run on PostgreSQL (the server of `CONG_TEST_PG_URL`, or one they start
//! themselves with `pg_ctl`).

#[path = "../http/support.rs"]
mod support;

#[path = "../http/pebble.rs"]
mod pebble;

mod acme;
mod backup;
mod migrate_store;
mod outage;
mod two_nodes;
