//! `cong tls …`: what each site is served with over HTTPS, and a renewal on demand.

use super::store;
use crate::cli::{TlsArgs, TlsCommand};
use cong_config::{Config, TlsMode};
use cong_domain::SystemClock;
use cong_domain::secrets::Secrets;
use cong_domain::sites::Sites;
use cong_store::SiteId;
use std::process::ExitCode;
use std::sync::Arc;

pub async fn run(mut config: Config, args: TlsArgs) -> anyhow::Result<ExitCode> {
    super::init_logging();
    let tz = jiff::tz::TimeZone::get(&config.site.timezone)?;
    let when = |t: i64| -> String {
        jiff::Timestamp::from_second(t).map_or_else(
            |_| "?".to_owned(),
            |t| tz.to_datetime(t).strftime("%d/%m/%Y %H:%M").to_string(),
        )
    };
    let tls_cfg = config.server.tls.clone();
    match (&args.command, tls_cfg.mode) {
        (_, TlsMode::Off) => {
            eprintln!(
                "cong: TLS is off (server.tls.mode = \"off\"): a proxy in front serves HTTPS, if anything"
            );
            return Ok(ExitCode::from(2));
        }
        (TlsCommand::Status, TlsMode::Files) => {
            let chain = std::fs::read_to_string(&tls_cfg.cert_file)
                .map_err(|e| anyhow::anyhow!("{}: {e}", tls_cfg.cert_file))?;
            let info = cong_tls::inspect_pem(&chain)?;
            println!("certificate files: {}", tls_cfg.cert_file);
            println!("  names:   {}", info.names.join(", "));
            println!("  issuer:  {}", info.issuer);
            println!("  expires: {}", when(info.not_after));
            println!(
                "  renewal: by whoever writes the files (cong reads them again when they change)"
            );
            return Ok(ExitCode::SUCCESS);
        }
        (TlsCommand::Renew { .. }, TlsMode::Files) => {
            eprintln!(
                "cong: mode \"files\": renew the files themselves (cong reads them again when they change)"
            );
            return Ok(ExitCode::from(2));
        }
        (_, TlsMode::Acme) => {}
    }
    let store = store::open(&mut config, &args.store).await?;
    let clock = Arc::new(SystemClock);
    let sites = Arc::new(Sites::new(store.clone(), clock.clone()));
    sites.load().await?;
    let secrets = Arc::new(Secrets::load(&config.secrets)?);
    let Some(tls) =
        cong_tls::Tls::new(&tls_cfg, store.clone(), secrets, Arc::clone(&sites), clock)?
    else {
        return Ok(ExitCode::from(2));
    };
    let code = match args.command {
        TlsCommand::Status => {
            tls.reload().await?;
            let status = tls.status();
            println!("ACME directory: {}", tls_cfg.acme_directory);
            for site in sites.directory().all() {
                let names = cong_tls::names_of(site);
                let state = if site.disabled { " (disabled)" } else { "" };
                println!("site {} {}{state}", site.id, site.name);
                if names.is_empty() {
                    println!("  no host name to certify (the site answers on any name)");
                    continue;
                }
                match status.iter().find(|s| s.site == Some(site.id)) {
                    Some(s) if s.not_after > 0 => {
                        println!("  names:   {}", s.names.join(", "));
                        println!("  issuer:  {}", s.issuer);
                        println!("  expires: {}", when(s.not_after));
                        println!("  renewal: {}", when(s.renew_at));
                    }
                    _ => println!("  names:   {} (no certificate yet)", names.join(", ")),
                }
                if let Some(s) = status.iter().find(|s| s.site == Some(site.id))
                    && s.failures > 0
                {
                    println!(
                        "  failing: {} order(s) in a row; next try {}; last error: {}",
                        s.failures,
                        when(s.renew_at),
                        s.last_error
                    );
                }
            }
            ExitCode::SUCCESS
        }
        TlsCommand::Renew { site } => {
            let only = site.map(SiteId);
            if let Some(id) = only
                && sites.directory().find(id).is_none()
            {
                eprintln!("cong: no site {}", id.0);
                store.close().await;
                return Ok(ExitCode::from(2));
            }
            let (results, _) = tls.renew(only, true).await;
            let mut failed = false;
            if results.is_empty() {
                println!(
                    "nothing renewed: no site with a host name (or another node is ordering now)"
                );
            }
            for (site, r) in results {
                match r {
                    Ok(info) => println!(
                        "site {site}: renewed for {}; expires {}",
                        info.names.join(", "),
                        when(info.not_after)
                    ),
                    Err(e) => {
                        failed = true;
                        eprintln!("cong: site {site}: not renewed: {e}");
                    }
                }
            }
            if failed {
                ExitCode::from(1)
            } else {
                ExitCode::SUCCESS
            }
        }
    };
    store.close().await;
    Ok(code)
}
