//! `cong site …`: the instance's sites from the command line (the operator needs no account).

use super::store;
use crate::cli::{SiteArgs, SiteCommand};
use cong_config::Config;
use cong_domain::SystemClock;
use cong_domain::auth::By;
use cong_domain::sites::{SiteForm, Sites};
use cong_store::SiteId;
use cong_store::sites::SiteKind;
use std::process::ExitCode;
use std::sync::Arc;

fn kind(name: &str) -> anyhow::Result<SiteKind> {
    SiteKind::parse(name).ok_or_else(|| anyhow::anyhow!("kind must be portal or component"))
}

pub async fn run(mut config: Config, args: SiteArgs) -> anyhow::Result<ExitCode> {
    super::init_logging();
    let store = store::open(&mut config, &args.store).await?;
    let sites = Sites::new(store.clone(), Arc::new(SystemClock));
    sites.load().await?;
    // What the operator got wrong (an address another site holds) exits 2 with the reason.
    let refused = |e: cong_domain::Error| -> anyhow::Result<ExitCode> {
        match e {
            cong_domain::Error::Fields(fields) => {
                for (_, m) in fields {
                    eprintln!("cong: {m}");
                }
                Ok(ExitCode::from(2))
            }
            cong_domain::Error::NotFound => {
                eprintln!("cong: no such site");
                Ok(ExitCode::from(2))
            }
            e => Err(e.into()),
        }
    };
    let code = match args.command {
        SiteCommand::Add {
            name,
            address,
            aliases,
            kind: k,
        } => {
            let form = SiteForm {
                name,
                address,
                kind: kind(&k)?,
                aliases,
            };
            match sites.add(By::CommandLine, &form).await {
                Ok(id) => {
                    println!("{id}");
                    ExitCode::SUCCESS
                }
                Err(e) => refused(e)?,
            }
        }
        SiteCommand::List => {
            for s in sites.directory().all() {
                println!(
                    "{}\t{}\t{}\t{}\t{}{}",
                    s.id,
                    s.kind.as_str(),
                    if s.address.is_empty() {
                        "(any host name)"
                    } else {
                        &s.address
                    },
                    s.aliases.join(","),
                    s.name,
                    if s.disabled { "\t(disabled)" } else { "" }
                );
            }
            ExitCode::SUCCESS
        }
        SiteCommand::Set {
            id,
            name,
            address,
            aliases,
            kind: k,
        } => {
            let dir = sites.directory();
            let Some(now) = dir.find(SiteId(id)) else {
                return refused(cong_domain::Error::NotFound);
            };
            let form = SiteForm {
                name: name.unwrap_or_else(|| now.name.clone()),
                address: address.unwrap_or_else(|| now.address.clone()),
                kind: match k {
                    Some(k) => kind(&k)?,
                    None => now.kind,
                },
                aliases: aliases.unwrap_or_else(|| now.aliases.clone()),
            };
            match sites.update(By::CommandLine, SiteId(id), &form).await {
                Ok(()) => {
                    println!("site {id} changed");
                    ExitCode::SUCCESS
                }
                Err(e) => refused(e)?,
            }
        }
        SiteCommand::Disable { id } | SiteCommand::Enable { id } => {
            let disable = matches!(args.command, SiteCommand::Disable { .. });
            match sites
                .set_disabled(By::CommandLine, SiteId(id), disable)
                .await
            {
                Ok(()) => {
                    println!("site {id} {}", if disable { "disabled" } else { "enabled" });
                    ExitCode::SUCCESS
                }
                Err(e) => refused(e)?,
            }
        }
    };
    store.close().await;
    Ok(code)
}
