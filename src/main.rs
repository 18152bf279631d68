//! The page: Trunk builds this binary for wasm32 and `www/index.html` loads it.

#[cfg(target_arch = "wasm32")]
fn main() {
    replication_playground::ui::start();
}

#[cfg(not(target_arch = "wasm32"))]
fn main() {
    eprintln!("The playground runs in a browser: start it with `scripts/run` (see README.md).");
    std::process::exit(2);
}
