# Sourced by the scripts: puts the tools they install on PATH.
export PATH="${CARGO_HOME:-$HOME/.cargo}/bin:$ROOT/node_modules/.bin:$PATH"
