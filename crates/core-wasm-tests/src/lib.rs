//! coop-core-wasm-tests — no code of its own: its tests and benchmark run coop-core in
//! WebAssembly (`cargo test --target wasm32-unknown-unknown -p coop-core-wasm-tests`).
