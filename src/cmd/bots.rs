//! `cong bots list|check`: which User-Agents the statistics never count, and why.

use crate::cli::BotsCommand;
use cong_config::Config;
use cong_domain::stats::{BotFilter, BotMatch};
use std::process::ExitCode;

pub fn run(config: &Config, cmd: BotsCommand) -> anyhow::Result<ExitCode> {
    let filter = BotFilter::new(&config.stats.extra_bot_patterns)?;
    match cmd {
        BotsCommand::List => {
            println!(
                "# Requests whose User-Agent matches one of these (case-insensitive) are not counted,"
            );
            println!("# nor requests without a User-Agent, HEAD requests and prefetches.");
            for p in filter.patterns() {
                println!("{}\t{}", p.source, p.pattern);
            }
            Ok(ExitCode::SUCCESS)
        }
        BotsCommand::Check { user_agent } => match filter.find_match(Some(&user_agent)) {
            None => {
                println!("counted: no bot pattern matches");
                Ok(ExitCode::SUCCESS)
            }
            Some(BotMatch::Missing) => {
                println!("not counted: no User-Agent");
                Ok(ExitCode::from(1))
            }
            Some(BotMatch::Pattern(p)) => {
                println!("not counted: matches {} pattern {:?}", p.source, p.pattern);
                Ok(ExitCode::from(1))
            }
        },
    }
}
