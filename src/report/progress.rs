//! A progress bar on stderr (indicatif) for long runs: only when stderr is a terminal and the
//! output is read by people, and only drawn once the run has taken about a second.

use crate::engine::Observer;
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use std::io::IsTerminal;
use std::sync::{Arc, Mutex};
use std::time::Duration;

/// Whether a run shows a progress bar.
pub fn wanted(human_format: bool, stderr_is_terminal: bool) -> bool {
    human_format && stderr_is_terminal && std::env::var_os("IDLINT_NO_PROGRESS").is_none()
}

/// How long a run goes before the bar appears (`IDLINT_PROGRESS_DELAY_MS` for tests).
fn delay() -> Duration {
    std::env::var("IDLINT_PROGRESS_DELAY_MS")
        .ok()
        .and_then(|v| v.parse().ok())
        .map(Duration::from_millis)
        .unwrap_or(Duration::from_millis(1000))
}

pub struct Progress {
    bar: ProgressBar,
    /// Set once finished, so a late timer never shows the bar.
    done: Arc<Mutex<bool>>,
}

impl Progress {
    /// A hidden bar that a timer thread reveals after the delay, or `None` when not wanted.
    pub fn start(human_format: bool) -> Option<Progress> {
        if !wanted(human_format, std::io::stderr().is_terminal()) {
            return None;
        }
        let bar = ProgressBar::with_draw_target(Some(0), ProgressDrawTarget::hidden());
        bar.set_style(
            ProgressStyle::with_template("{spinner} {msg:<28} [{bar:30}] {pos}/{len} {elapsed}")
                .unwrap_or_else(|_| ProgressStyle::default_bar())
                .progress_chars("=> "),
        );
        let done = Arc::new(Mutex::new(false));
        let (b, d) = (bar.clone(), done.clone());
        let wait = delay();
        std::thread::spawn(move || {
            std::thread::sleep(wait);
            // Holding the lock: `finish` cannot run between the check and the reveal.
            if let Ok(finished) = d.lock()
                && !*finished
            {
                b.set_draw_target(ProgressDrawTarget::stderr());
                b.enable_steady_tick(Duration::from_millis(120));
            }
        });
        Some(Progress { bar, done })
    }

    pub fn finish(self) {
        let guard = self.done.lock();
        if let Ok(mut g) = guard {
            *g = true;
            self.bar.finish_and_clear();
        } else {
            self.bar.finish_and_clear();
        }
    }
}

impl Observer for Progress {
    fn stage(&self, name: &'static str, total: u64) {
        self.bar.set_message(name);
        if total > 0 {
            self.bar.set_length(total);
            self.bar.set_position(0);
        }
    }

    fn advance(&self) {
        self.bar.inc(1);
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn only_for_people_on_a_terminal() {
        assert!(!super::wanted(false, true), "never for JSON/SARIF");
        assert!(
            !super::wanted(true, false),
            "never when stderr is not a terminal"
        );
    }
}
