//! `playground-server [config-file] [--<directive> <value> ...]`: the engine as a redis-server
//! drop-in on real TCP. Stops cleanly on SIGTERM, SIGINT or SHUTDOWN.

#[cfg(not(target_arch = "wasm32"))]
fn main() {
    use replication_playground::server::{self, options::Options};

    let args: Vec<String> = std::env::args().skip(1).collect();
    let settings = Options::parse(&args, |path| std::fs::read_to_string(path))
        .and_then(|options| options.settings());
    let (listen, config) = match settings {
        Ok(settings) => settings,
        Err(error) => {
            eprintln!("{error}");
            std::process::exit(1);
        }
    };
    if let Err(error) = server::run(&listen, config) {
        eprintln!("playground-server: {error}");
        std::process::exit(1);
    }
}

#[cfg(target_arch = "wasm32")]
fn main() {}
