//! The CLI binary under test, for the integration tests that run it (`tests/cli.rs`,
//! `tests/conformance_runner.rs`, each including this file with `#[path]`).

use std::process::Command;
use std::sync::Once;

/// Path of the `scalingo-manifest` binary Cargo built for these tests.
pub const BIN: &str = env!("CARGO_BIN_EXE_scalingo-manifest");

/// Fails clearly when the binary was replaced by another checkout's build (the target
/// directory may be shared between worktrees; each has its own package version).
pub fn check_binary_identity() {
    static ONCE: Once = Once::new();
    ONCE.call_once(|| {
        let out = Command::new(BIN).arg("--version").output();
        let text = out
            .map(|o| String::from_utf8_lossy(&o.stdout).into_owned())
            .unwrap_or_default();
        assert_eq!(
            text.trim(),
            format!("scalingo-manifest {}", env!("CARGO_PKG_VERSION")),
            "{BIN} is not this crate's build (another build shares the target dir?); rebuild and rerun"
        );
    });
}
