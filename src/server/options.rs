//! The command line and config file of `playground-server`, in redis-server's syntax:
//! `playground-server [config-file] [--<directive> <value> ...]`.

use std::fmt;

use crate::engine::config::set_directive;
use crate::engine::Config;

/// One directive and its arguments, e.g. `save` with `["3600", "1"]`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Directive {
    /// The directive's name, lower-cased.
    pub name: String,
    /// Its arguments.
    pub args: Vec<String>,
}

/// What is wrong with the command line or the config file, said as redis-server would.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct OptionsError(pub String);

impl fmt::Display for OptionsError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// Parsed options: the config file's directives first, then the command line's (which win).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Options {
    /// The config file given as the first argument, if any.
    pub config_file: Option<String>,
    /// Every directive in the order it takes effect.
    pub directives: Vec<Directive>,
}

impl Options {
    /// Parses the arguments after the program name. `read_file` reads the config file (a
    /// parameter so tests need no files).
    pub fn parse(
        args: &[String],
        read_file: impl Fn(&str) -> std::io::Result<String>,
    ) -> Result<Options, OptionsError> {
        let mut options = Options::default();
        let mut rest = args;
        if let Some(first) = args.first().filter(|arg| !arg.starts_with("--")) {
            let text = read_file(first).map_err(|error| {
                OptionsError(format!(
                    "Fatal error, can't open config file '{first}': {error}"
                ))
            })?;
            options.directives.extend(parse_config_text(&text)?);
            options.config_file = Some(first.clone());
            rest = &args[1..];
        }
        options.directives.extend(parse_command_line(rest)?);
        Ok(options)
    }
}

/// `--name value value --other value`: each `--` starts a directive (redis-server's rule).
fn parse_command_line(args: &[String]) -> Result<Vec<Directive>, OptionsError> {
    let mut directives: Vec<Directive> = Vec::new();
    for arg in args {
        match arg.strip_prefix("--") {
            Some(name) if !name.is_empty() => directives.push(Directive {
                name: name.to_ascii_lowercase(),
                args: Vec::new(),
            }),
            _ => match directives.last_mut() {
                Some(directive) => directive.args.push(arg.clone()),
                None => {
                    return Err(OptionsError(format!(
                        "Invalid argument '{arg}': expected --<directive>"
                    )))
                }
            },
        }
    }
    Ok(directives)
}

impl Options {
    /// Where to listen and the node's settings: playground-server's defaults (loopback only, the
    /// working directory as `dir`), then every directive in order through the engine's directive
    /// table, as redis-server applies its config file and arguments.
    pub fn settings(&self) -> Result<(super::Listen, Config), OptionsError> {
        let mut config = Config::default();
        let cwd = std::env::current_dir()
            .map(|dir| dir.display().to_string())
            .unwrap_or_else(|_| "/".into());
        for (name, value) in [("bind", "127.0.0.1"), ("dir", cwd.as_str())] {
            set_directive(&mut config, name, &[value.as_bytes()]).map_err(OptionsError)?;
        }
        for directive in &self.directives {
            let args: Vec<&[u8]> = directive.args.iter().map(|arg| arg.as_bytes()).collect();
            set_directive(&mut config, &directive.name, &args)
                .map_err(|reason| directive_error(directive, &reason))?;
        }
        let listen = super::Listen {
            bind: listen_address(&config.bind),
            port: config.port,
        };
        Ok((listen, config))
    }
}

/// The address to listen on: the first of `bind`, with Redis's `*` (any IPv4) and `::*` (any
/// IPv6) spelled as socket addresses, and the `-` prefix (optional address) dropped.
fn listen_address(bind: &[String]) -> String {
    let first = bind.first().map(String::as_str).unwrap_or("127.0.0.1");
    match first.trim_start_matches('-') {
        "*" => "0.0.0.0".to_string(),
        "::*" => "::".to_string(),
        address => address.to_string(),
    }
}

fn directive_error(directive: &Directive, reason: &str) -> OptionsError {
    let line = std::iter::once(directive.name.as_str())
        .chain(directive.args.iter().map(String::as_str))
        .collect::<Vec<_>>()
        .join(" ");
    config_error(1, &line, reason)
}

/// A redis.conf text: one directive per line, `#` comments, redis-cli-style quoting.
pub fn parse_config_text(text: &str) -> Result<Vec<Directive>, OptionsError> {
    let mut directives = Vec::new();
    for (index, line) in text.lines().enumerate() {
        let line = line.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let Some(words) = crate::engine::resp::split_args(line.as_bytes()) else {
            return Err(config_error(
                index + 1,
                line,
                "Unbalanced quotes in configuration line",
            ));
        };
        let mut words = words
            .into_iter()
            .map(|word| String::from_utf8_lossy(&word).into_owned());
        if let Some(name) = words.next() {
            directives.push(Directive {
                name: name.to_ascii_lowercase(),
                args: words.collect(),
            });
        }
    }
    Ok(directives)
}

/// redis-server's config error report.
pub fn config_error(line_number: usize, line: &str, reason: &str) -> OptionsError {
    OptionsError(format!(
        "\n*** FATAL CONFIG FILE ERROR (Redis 7.0.15) ***\nReading the configuration file, at line {line_number}\n>>> '{line}'\n{reason}"
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn strings(words: &[&str]) -> Vec<String> {
        words.iter().map(|w| w.to_string()).collect()
    }

    #[test]
    fn command_line_directives_follow_the_config_file() {
        let options = Options::parse(
            &strings(&["redis.conf", "--port", "7000", "--save", "60", "1"]),
            |_| Ok("# comment\nport 6380\nrequirepass \"a b\"\n".to_string()),
        )
        .unwrap();
        let names: Vec<_> = options
            .directives
            .iter()
            .map(|d| (d.name.as_str(), d.args.clone()))
            .collect();
        assert_eq!(
            names,
            vec![
                ("port", strings(&["6380"])),
                ("requirepass", strings(&["a b"])),
                ("port", strings(&["7000"])),
                ("save", strings(&["60", "1"])),
            ]
        );
    }

    #[test]
    fn bad_input_is_an_error_not_a_panic() {
        assert!(Options::parse(&strings(&["--"]), |_| Ok(String::new())).is_err());
        assert!(Options::parse(&strings(&["missing.conf"]), |_| Err(
            std::io::ErrorKind::NotFound.into()
        ))
        .is_err());
        assert!(parse_config_text("port \"6379").is_err());
    }
}
