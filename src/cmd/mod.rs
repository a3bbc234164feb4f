//! One module per subcommand; each is a short function over the layers.

mod backup;
mod bots;
mod config;
mod documents;
mod generate;
mod import;
mod migrate_store;
mod reindex;
mod restore;
mod secrets;
mod serve;
mod site;
mod store;
mod tls;
mod user;

use crate::cli::{Cli, Command, ConfigCommand};
use std::process::ExitCode;

pub async fn run(cli: Cli) -> anyhow::Result<ExitCode> {
    let loaded = cong_config::load(cli.config.as_deref());
    match cli.command {
        Command::Config(ConfigCommand::Check) => Ok(config::check(loaded)),
        Command::Bots(cmd) => bots::run(&loaded?.0, cmd),
        Command::Serve(args) => serve::run(loaded?.0, args).await,
        Command::Migrate(args) => store::migrate(loaded?.0, args).await,
        Command::Demo(args) => store::demo(loaded?.0, args).await,
        Command::MigrateStore(args) => migrate_store::run(loaded?.0, args).await,
        Command::User(args) => user::run(loaded?.0, args).await,
        Command::Site(args) => site::run(loaded?.0, args).await,
        Command::Secrets(args) => secrets::run(loaded?.0, args).await,
        Command::Tls(args) => tls::run(loaded?.0, args).await,
        Command::Documents(args) => documents::run(loaded?.0, args).await,
        Command::Import(args) => import::run(loaded?.0, args).await,
        Command::Reindex(args) => reindex::run(loaded?.0, args).await,
        Command::Generate(args) => generate::run(loaded?.0, args).await,
        Command::Backup(args) => backup::run(loaded?.0, args).await,
        Command::Restore(args) => restore::run(loaded?.0, args).await,
    }
}

/// Starts logging: `RUST_LOG` if set, else info for cong and warnings for the rest.
pub fn init_logging() {
    let filter = tracing_subscriber::EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("warn,cong=info"));
    let _ = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        // Colour codes only for a terminal: a log file or journald gets plain text.
        .with_ansi(std::io::IsTerminal::is_terminal(&std::io::stderr()))
        .try_init();
}
