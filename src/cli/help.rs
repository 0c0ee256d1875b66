//! clap's parts of the command line in Russian: headings, flags, usage
//! lines and usage errors.

use super::Cli;

/// The command line with its help in Russian: clap's own headings, flags and
/// "[default: …]" notes are replaced here, in one place.
pub fn command() -> clap::Command {
    use clap::{Arg, ArgAction, CommandFactory};
    fn russian(cmd: clap::Command, prefix: &str) -> clap::Command {
        let cmd = cmd
            .help_template("{about-with-newline}\nИспользование: {usage}\n\n{all-args}{after-help}")
            .subcommand_help_heading("Команды")
            .subcommand_value_name("КОМАНДА")
            .disable_help_flag(true)
            .arg(
                Arg::new("help")
                    .short('h')
                    .long("help")
                    .action(ArgAction::Help)
                    .help("Показать эту справку")
                    .help_heading("Параметры"),
            )
            .mut_args(|a| {
                let a = if a.get_action().takes_values() {
                    a.hide_default_value(true).hide_possible_values(true)
                } else {
                    a
                };
                if a.get_help_heading().is_none() {
                    let heading = if a.is_positional() {
                        "Аргументы"
                    } else {
                        "Параметры"
                    };
                    a.help_heading(heading)
                } else {
                    a
                }
            });
        // clap's usage line says «[OPTIONS]»: spell it out in Russian.
        let name = format!("{prefix}{}", cmd.get_name());
        let positionals: Vec<String> = cmd
            .get_positionals()
            .map(|p| {
                let v = p
                    .get_value_names()
                    .and_then(|v| v.first())
                    .map(|v| v.to_string())
                    .unwrap_or_else(|| p.get_id().to_string());
                if p.is_last_set() {
                    format!("[-- {v}…]")
                } else if p.is_required_set() {
                    v
                } else {
                    format!("[{v}…]")
                }
            })
            .collect();
        let usage = if cmd.has_subcommands() {
            format!("{name} <КОМАНДА>")
        } else {
            format!("{name} [ПАРАМЕТРЫ] {}", positionals.join(" "))
        };
        let sub_prefix = format!("{name} ");
        cmd.override_usage(usage.trim_end().to_string())
            .mut_subcommands(|c| russian(c, &sub_prefix))
    }
    let cmd = Cli::command().disable_version_flag(true).arg(
        Arg::new("version")
            .short('V')
            .long("version")
            .action(ArgAction::Version)
            .help("Показать версию"),
    );
    russian(cmd, "")
}

/// Parses the process arguments with [`command`]; usage errors are told in
/// Russian and end the process with code 2.
pub fn parse() -> Cli {
    use clap::FromArgMatches;
    use clap::error::{ContextKind, ErrorKind};
    let result = command()
        .try_get_matches()
        .and_then(|m| Cli::from_arg_matches(&m));
    match result {
        Ok(cli) => cli,
        Err(e) if matches!(e.kind(), ErrorKind::DisplayHelp | ErrorKind::DisplayVersion) => {
            e.exit()
        }
        Err(e) => {
            let ctx = |k| e.get(k).map(|v| v.to_string()).unwrap_or_default();
            let message = match e.kind() {
                ErrorKind::UnknownArgument => {
                    format!("неизвестный параметр «{}»", ctx(ContextKind::InvalidArg))
                }
                ErrorKind::InvalidSubcommand => {
                    let hint = ctx(ContextKind::SuggestedSubcommand);
                    let hint = if hint.is_empty() {
                        String::new()
                    } else {
                        format!("; возможно, имелось в виду «{hint}»")
                    };
                    format!(
                        "неизвестная команда «{}»{hint}",
                        ctx(ContextKind::InvalidSubcommand)
                    )
                }
                ErrorKind::InvalidValue => format!(
                    "недопустимое значение «{}» для {}; возможные: {}",
                    ctx(ContextKind::InvalidValue),
                    ctx(ContextKind::InvalidArg),
                    ctx(ContextKind::ValidValue)
                ),
                ErrorKind::MissingRequiredArgument => format!(
                    "не указан обязательный аргумент {}",
                    ctx(ContextKind::InvalidArg)
                ),
                ErrorKind::MissingSubcommand
                | ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand => {
                    // Every command, from the definition itself.
                    let names: Vec<String> = command()
                        .get_subcommands()
                        .map(|c| c.get_name().to_string())
                        .collect();
                    format!("не указана команда: {}", names.join(", "))
                }
                _ => e.to_string().trim().to_string(),
            };
            eprintln!("ошибка: {message}\nсправка: prikaz --help");
            std::process::exit(2);
        }
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn command_line_definition_is_consistent() {
        super::command().debug_assert();
    }

    #[test]
    fn a_missing_command_lists_every_command() {
        let names: Vec<String> = super::command()
            .get_subcommands()
            .map(|c| c.get_name().to_string())
            .collect();
        for c in [
            "check",
            "build",
            "register",
            "journal",
            "verify",
            "completions",
            "man",
            "help",
        ] {
            assert!(names.iter().any(|n| n == c), "{names:?}");
        }
    }

    #[test]
    fn help_is_in_russian() {
        let mut cmd = super::command();
        let help = cmd.render_help().to_string();
        assert!(
            help.contains("Использование:") && help.contains("Команды"),
            "{help}"
        );
        let build = cmd
            .find_subcommand_mut("build")
            .expect("build")
            .render_help()
            .to_string();
        for english in ["Usage", "Options", "Arguments", "Print help", "[default"] {
            assert!(!build.contains(english), "«{english}» in:\n{build}");
        }
    }
}
