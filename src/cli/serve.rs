//! The long-running commands: `prikaz lsp` for editors and `prikaz preview`
//! for the browser.

use std::io::Write;
use std::path::PathBuf;

use crate::project::root::Scope;

#[derive(clap::Args, Debug)]
pub struct PreviewArgs {
    /// План, документ которого показать первым (по умолчанию — первый документ репозитория)
    #[arg(value_name = "ПУТЬ")]
    pub path: Option<PathBuf>,
    /// Порт на 127.0.0.1 (по умолчанию — любой свободный)
    #[arg(long, default_value_t = 0)]
    pub port: u16,
    /// Открыть страницу в браузере
    #[arg(long)]
    pub open: bool,
}

pub fn lsp() -> i32 {
    match crate::lsp::serve_stdio() {
        Ok(()) => 0,
        Err(crate::lsp::LspError::ExitWithoutShutdown) => 1,
        Err(e) => {
            eprintln!("ошибка: {e}");
            2
        }
    }
}

pub fn preview(a: &PreviewArgs) -> i32 {
    let paths: Vec<PathBuf> = a.path.iter().cloned().collect();
    let scope = match Scope::of(&paths) {
        Ok(s) => s,
        Err(e) => {
            eprintln!("ошибка: {e}");
            return 2;
        }
    };
    let engine = match super::engine(None, &[]) {
        Ok(e) => e,
        Err(code) => return code,
    };
    let config = crate::preview::Config {
        port: a.port,
        open: a.open,
        first: a.path.clone().filter(|p| p.is_file()),
    };
    let ready = |url: &str| {
        // The URL on stdout alone, so a script can read it.
        println!("{url}");
        let _ = std::io::stdout().flush();
        if super::chatty() {
            eprintln!("предпросмотр: {url} (остановить — Ctrl+C)");
        }
    };
    match crate::preview::serve(scope, engine, config, &ready) {
        Ok(()) => 0,
        Err(e) => {
            eprintln!("ошибка: {e}");
            2
        }
    }
}
