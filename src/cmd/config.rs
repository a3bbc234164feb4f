//! `cong config check`: validates and prints every effective setting with its meaning.

use cong_config::{Config, ConfigError, Source};
use std::process::ExitCode;

pub fn check(loaded: Result<(Config, Source), ConfigError>) -> ExitCode {
    let (config, source) = match loaded {
        Ok(l) => l,
        Err(e) => {
            eprintln!("cong: configuration is not valid: {e}");
            return ExitCode::from(2);
        }
    };
    match &source.file {
        Some(f) => println!("# configuration file: {}", f.display()),
        None => println!("# configuration file: none (defaults)"),
    }
    if source.env.is_empty() {
        println!("# environment: no CONG_* settings");
    } else {
        println!("# environment: {}", source.env.join(", "));
    }
    let mut section = String::new();
    for s in config.settings() {
        let (sec, key) = s.key.split_once('.').unwrap_or(("", &s.key));
        if sec != section {
            println!("\n[{sec}]");
            sec.clone_into(&mut section);
        }
        println!("# {}", s.doc);
        if s.value.starts_with('#') {
            println!("# {key} = …  {}", s.value);
        } else {
            println!("{key} = {}", s.value);
        }
    }
    println!("\n# configuration is valid");
    ExitCode::SUCCESS
}
