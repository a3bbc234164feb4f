//! `cong secrets rotate`: every secret the database keeps, re-sealed under the current key.

use super::store;
use crate::cli::{SecretsArgs, SecretsCommand};
use cong_config::Config;
use cong_domain::SystemClock;
use cong_domain::auth::Auth;
use cong_domain::secrets::Secrets;
use std::process::ExitCode;
use std::sync::Arc;

pub async fn run(mut config: Config, args: SecretsArgs) -> anyhow::Result<ExitCode> {
    super::init_logging();
    let store = store::open(&mut config, &args.store).await?;
    let secrets = Arc::new(Secrets::load(&config.secrets)?);
    let auth = Auth::new(
        store.clone(),
        config.auth.clone(),
        Arc::clone(&secrets),
        Arc::new(SystemClock),
    );
    let code = match args.command {
        // Each owner of sealed values re-seals its own: second-factor secrets, then TLS keys.
        SecretsCommand::Rotate => {
            let mut report = auth.reseal_secrets(true).await?;
            // Certificate keys and ACME accounts (server.tls.mode = "acme").
            cong_tls::reseal(&store, &secrets, &mut report).await?;
            println!(
                "{} value(s) re-sealed under key {} ({}); {} already under it",
                report.sealed,
                secrets.current_id().as_deref().unwrap_or("(none yet)"),
                config.secrets.key_file,
                report.unchanged
            );
            for (key, n) in &report.missing {
                eprintln!(
                    "cong: {n} value(s) sealed under key {key}, which is not loaded: add its file \
                     to secrets.old_key_files and run again"
                );
            }
            if report.missing.is_empty() {
                ExitCode::SUCCESS
            } else {
                ExitCode::from(1)
            }
        }
    };
    store.close().await;
    Ok(code)
}
