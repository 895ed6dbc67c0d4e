//! Parsers: one module per input syntax. Failures become diagnostics, never panics.
pub mod bicep;
pub mod json;
pub mod script;

use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Instant;

/// Time spent in parsers, summed over threads, for `--timings`. Parsing happens inside the
/// front ends (which parse and lower per unit), so it is measured where it happens.
static PARSE_NANOS: AtomicU64 = AtomicU64::new(0);

/// Adds the time from its creation to its drop to the parse total.
pub struct ParseTimer(Instant);

impl ParseTimer {
    pub fn start() -> Self {
        ParseTimer(Instant::now())
    }
}

impl Drop for ParseTimer {
    fn drop(&mut self) {
        let nanos = self.0.elapsed().as_nanos().min(u64::MAX as u128) as u64;
        PARSE_NANOS.fetch_add(nanos, Ordering::Relaxed);
    }
}

/// Parse time so far in this process (all threads).
pub fn parse_time() -> std::time::Duration {
    std::time::Duration::from_nanos(PARSE_NANOS.load(Ordering::Relaxed))
}
