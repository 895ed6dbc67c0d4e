//! The thread count never changes the output: every example, 1 thread against 4, byte for byte,
//! in both report formats.

use std::process::Command;

fn run(threads: &str, format: &str) -> (Vec<u8>, Option<i32>) {
    let out = Command::new(env!("CARGO_BIN_EXE_idlint"))
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .args(["check", "rules", "fixtures", "tests/fuzz_regressions"])
        .args(["--threads", threads, "--format", format])
        .env("NO_COLOR", "1")
        .output()
        .expect("run idlint");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!stderr.contains("panicked"), "{stderr}");
    (out.stdout, out.status.code())
}

#[test]
fn one_thread_and_four_give_the_same_bytes() {
    for format in ["json", "human"] {
        let (one, code_one) = run("1", format);
        assert!(one.len() > 1000, "{format}: almost no output");
        // Several runs with 4 threads: scheduling differs from run to run.
        for _ in 0..3 {
            let (four, code_four) = run("4", format);
            assert_eq!(code_one, code_four, "{format}: exit codes differ");
            if one != four {
                let (a, b) = (
                    String::from_utf8_lossy(&one),
                    String::from_utf8_lossy(&four),
                );
                let line = a
                    .lines()
                    .zip(b.lines())
                    .position(|(x, y)| x != y)
                    .unwrap_or(0);
                panic!(
                    "{format}: output differs at line {}:\n1 thread:  {:?}\n4 threads: {:?}",
                    line + 1,
                    a.lines().nth(line),
                    b.lines().nth(line)
                );
            }
        }
    }
}
