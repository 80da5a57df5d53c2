//! Ending an implementation together with every process it started (`spec/protocol.md`,
//! "Processes"; issue 12).
//!
//! Killing the implementation's process group is not enough: a child may leave the group
//! (`setsid`, `setpgid`) or double-fork, and keep running, holding the runner's pipes
//! open. On Linux the runner therefore:
//!
//! 1. makes itself a *child subreaper* (`prctl(PR_SET_CHILD_SUBREAPER)`, [`adopt_orphans`]),
//!    so that a process orphaned below it is re-parented to the runner, not to `init`: every
//!    process an implementation started stays in the runner's tree of processes;
//! 2. starts every implementation with a token in its environment ([`TOKEN_VAR`]), unique
//!    to that implementation process, which its children inherit;
//! 3. to end an implementation, walks the runner's tree (`/proc/<pid>/task/*/children`)
//!    and takes: the implementation's own tree, every process of its process group, and
//!    every orphan re-parented to the runner that carries the token (`/proc/<pid>/environ`)
//!    or, when the runner has [claimed every orphan](claim_orphans) (the CLI, whose only
//!    business is the implementation), any orphan at all; then each such process's whole
//!    tree. The implementations of other sessions running in the same process are never
//!    taken (they are registered while they run);
//! 4. stops each process taken (`SIGSTOP`, so that none can fork any more) and walks
//!    again until nothing new is found, then kills them all (`SIGKILL`), kills the process
//!    group too, and reaps every one re-parented to it (no zombie is left), within
//!    [`END_TIMEOUT`].
//!
//! Elsewhere (other Unix systems) only the process group is killed, as before: a child that
//! left the group survives. On Windows only the implementation's own process is killed.

use std::collections::BTreeSet;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::Mutex;
use std::time::Duration;

/// The environment variable that carries an implementation's token (`<runner pid>-<n>`).
/// An implementation should leave it alone; a process that clears it and leaves the
/// process group is still ended by the CLI (see [`claim_orphans`]).
pub const TOKEN_VAR: &str = "SCALINGO_MANIFEST_CONFORMANCE_TOKEN";

/// How long ending an implementation may take at most: stopping, killing and reaping.
pub const END_TIMEOUT: Duration = Duration::from_secs(2);

static CLAIM_ALL: AtomicBool = AtomicBool::new(false);
static NEXT_TOKEN: AtomicU64 = AtomicU64::new(1);
/// The implementation processes started and not yet reaped, across sessions.
static LIVE: Mutex<BTreeSet<u32>> = Mutex::new(BTreeSet::new());

/// A new token for an implementation process.
pub(crate) fn new_token() -> String {
    format!(
        "{}-{}",
        std::process::id(),
        NEXT_TOKEN.fetch_add(1, Ordering::Relaxed)
    )
}

/// Makes the calling process a child subreaper (Linux; elsewhere nothing), once. Every
/// [`Session`](super::runner::Session) calls it before it starts an implementation. It is
/// a property of the whole process: orphans of any other child of the process are
/// re-parented to it too, and are its to reap.
pub fn adopt_orphans() {
    #[cfg(target_os = "linux")]
    {
        static DONE: std::sync::Once = std::sync::Once::new();
        DONE.call_once(|| {
            let me = rustix::process::getpid();
            // A failure leaves the runner as before: process groups only.
            let _ = rustix::process::set_child_subreaper(Some(me));
        });
    }
}

/// Declares that the calling process has no child of its own besides the implementations
/// the runner starts, so that any orphan re-parented to it belongs to an implementation
/// and is ended with it, even one that cleared its environment and left the process
/// group. The CLI (`conformance run`, `conformance bench`) calls it; a program that runs
/// other children beside the runner must not. Also [`adopt_orphans`].
pub fn claim_orphans() {
    CLAIM_ALL.store(true, Ordering::SeqCst);
    adopt_orphans();
}

pub(crate) fn register(pid: u32) {
    if let Ok(mut live) = LIVE.lock() {
        live.insert(pid);
    }
}

pub(crate) fn unregister(pid: u32) {
    if let Ok(mut live) = LIVE.lock() {
        live.remove(&pid);
    }
}

/// Whether `pid` is registered as a running implementation (for tests).
#[cfg(test)]
pub(crate) fn is_registered(pid: u32) -> bool {
    LIVE.lock().is_ok_and(|live| live.contains(&pid))
}

/// Ends the implementation whose process is `leader` (started in its own process group,
/// with `token`), with every process it started (the module doc). `leader_reaped`: its
/// own exit status was already collected (its pid may then be another process's, so it
/// is neither walked nor signalled). The leader itself is left for its owner to reap.
pub(crate) fn end(leader: u32, leader_reaped: bool, token: &str) {
    #[cfg(target_os = "linux")]
    linux::end(leader, leader_reaped, token);
    #[cfg(all(unix, not(target_os = "linux")))]
    let _ = token;
    #[cfg(unix)]
    if !leader_reaped {
        if let Some(pid) = i32::try_from(leader)
            .ok()
            .and_then(rustix::process::Pid::from_raw)
        {
            let _ = rustix::process::kill_process_group(pid, rustix::process::Signal::KILL);
        }
    }
    #[cfg(not(unix))]
    let _ = (leader, leader_reaped, token);
}

#[cfg(target_os = "linux")]
mod linux {
    use std::collections::BTreeSet;
    use std::fs::{self, File};
    use std::io::Read;
    use std::sync::atomic::Ordering;
    use std::thread;
    use std::time::{Duration, Instant};

    use rustix::io::Errno;
    use rustix::process::{kill_process, waitpid, Pid, Signal, WaitOptions};

    use super::{CLAIM_ALL, END_TIMEOUT, LIVE, TOKEN_VAR};

    /// The most bytes read of one `/proc` file (`stat`, `children`, `environ`).
    const PROC_FILE_LIMIT: u64 = 4 * 1024 * 1024;
    /// The most threads of one process whose children are listed.
    const MAX_TASKS: usize = 100_000;

    fn read_proc(path: &str) -> Option<Vec<u8>> {
        let mut buf = Vec::new();
        File::open(path)
            .ok()?
            .take(PROC_FILE_LIMIT)
            .read_to_end(&mut buf)
            .ok()?;
        Some(buf)
    }

    /// The process group of `pid` (`/proc/<pid>/stat`, field 5).
    fn process_group(pid: u32) -> Option<u32> {
        let stat = read_proc(&format!("/proc/{pid}/stat"))?;
        let close = stat.iter().rposition(|&b| b == b')')?;
        let rest = std::str::from_utf8(&stat[close + 1..]).ok()?;
        // state, ppid, pgrp
        rest.split_whitespace().nth(2)?.parse().ok()
    }

    /// The children of every thread of `pid`.
    fn children(pid: u32) -> Vec<u32> {
        let Ok(tasks) = fs::read_dir(format!("/proc/{pid}/task")) else {
            return Vec::new();
        };
        let mut out = Vec::new();
        for task in tasks.take(MAX_TASKS).flatten() {
            let path = task.path().join("children");
            let Some(bytes) = path.to_str().and_then(read_proc) else {
                continue;
            };
            out.extend(
                String::from_utf8_lossy(&bytes)
                    .split_whitespace()
                    .filter_map(|p| p.parse::<u32>().ok()),
            );
        }
        out
    }

    fn has_token(pid: u32, token: &str) -> bool {
        let wanted = format!("{TOKEN_VAR}={token}");
        read_proc(&format!("/proc/{pid}/environ"))
            .is_some_and(|env| env.split(|&b| b == 0).any(|v| v == wanted.as_bytes()))
    }

    /// `root` and every process below it, added to `into`.
    fn add_tree(root: u32, into: &mut BTreeSet<u32>) {
        let mut stack = vec![root];
        while let Some(p) = stack.pop() {
            if into.insert(p) {
                stack.extend(children(p));
            }
        }
    }

    /// Every process to end now (the module doc, step 3); `known` were taken before.
    fn collect(
        me: u32,
        leader: u32,
        leader_reaped: bool,
        token: &str,
        known: &BTreeSet<u32>,
    ) -> BTreeSet<u32> {
        let live = LIVE.lock().map(|l| l.clone()).unwrap_or_default();
        let claim_all = CLAIM_ALL.load(Ordering::SeqCst);
        let mut targets = BTreeSet::new();
        for child in children(me) {
            let ours = if child == leader {
                !leader_reaped
            } else if live.contains(&child) {
                false // another implementation, still running
            } else {
                known.contains(&child)
                    || process_group(child) == Some(leader)
                    || has_token(child, token)
                    || claim_all
            };
            if ours {
                add_tree(child, &mut targets);
            }
        }
        targets
    }

    fn pid(p: u32) -> Option<Pid> {
        i32::try_from(p).ok().and_then(Pid::from_raw)
    }

    pub(super) fn end(leader: u32, leader_reaped: bool, token: &str) {
        let me = std::process::id();
        let deadline = Instant::now() + END_TIMEOUT;
        // Freeze: stop what is found, walk again, until nothing new turns up.
        let mut stopped: BTreeSet<u32> = BTreeSet::new();
        loop {
            let found = collect(me, leader, leader_reaped, token, &stopped);
            let new: Vec<u32> = found.difference(&stopped).copied().collect();
            if new.is_empty() || Instant::now() >= deadline {
                break;
            }
            for p in new {
                if let Some(id) = pid(p) {
                    let _ = kill_process(id, Signal::STOP);
                }
                stopped.insert(p);
            }
        }
        for &p in &stopped {
            if let Some(id) = pid(p) {
                let _ = kill_process(id, Signal::KILL);
            }
        }
        // Reap every process re-parented to the runner; the leader is its owner's to reap.
        let mut left: Vec<u32> = stopped.into_iter().filter(|&p| p != leader).collect();
        while !left.is_empty() {
            left.retain(|&p| {
                let Some(id) = pid(p) else {
                    return false;
                };
                match waitpid(Some(id), WaitOptions::NOHANG) {
                    Ok(Some(_)) => false,
                    Ok(None) => true,
                    // not (yet) the runner's child: its dying parent has not let it go yet
                    Err(Errno::CHILD) => fs::metadata(format!("/proc/{p}")).is_ok(),
                    Err(_) => false,
                }
            });
            if left.is_empty() || Instant::now() >= deadline {
                break;
            }
            thread::sleep(Duration::from_millis(1));
        }
    }

    #[cfg(test)]
    mod tests {
        use super::*;
        use std::os::unix::process::CommandExt;
        use std::process::{Child, Command};

        /// A `sleep` in a process group of its own (its group is its pid).
        fn sleeper() -> Child {
            Command::new("sleep")
                .arg("30")
                .process_group(0)
                .spawn()
                .expect("sleep runs")
        }

        /// The process group is field 5 of `/proc/<pid>/stat`, read after the command
        /// name's closing parenthesis: a child in its own group has its pid as group, our
        /// own group is the kernel's, and a process that does not exist has none.
        #[test]
        fn process_group_reads_the_kernels_field() {
            let mut child = sleeper();
            let id = child.id();
            let group = process_group(id);
            let ours = process_group(std::process::id());
            let _ = child.kill();
            let _ = child.wait();
            assert_eq!(group, Some(id));
            let kernel = rustix::process::getpgid(None).expect("our group");
            assert_eq!(ours.map(i64::from), Some(i64::from(kernel.as_raw_pid())));
            assert_eq!(process_group(u32::MAX), None);
        }

        /// A child started here is among our children; it is not after it is reaped.
        #[test]
        fn children_lists_every_child() {
            let mut child = sleeper();
            let id = child.id();
            let listed = children(std::process::id());
            let _ = child.kill();
            let _ = child.wait();
            assert!(listed.contains(&id), "{listed:?} lacks {id}");
            assert!(!children(std::process::id()).contains(&id));
        }

        /// A child carrying the token is taken with the implementation, unless it is
        /// registered (another session's implementation, still running); once unregistered
        /// it is taken again. Nothing is signalled: `collect` only says what `end` would take.
        #[test]
        fn registered_implementations_are_never_taken() {
            let token = super::super::new_token();
            let mut child = Command::new("sleep")
                .arg("30")
                .process_group(0)
                .env(TOKEN_VAR, &token)
                .spawn()
                .expect("sleep runs");
            let id = child.id();
            // Until the child has run `exec`, its environment is still ours (no token).
            for _ in 0..500 {
                if has_token(id, &token) {
                    break;
                }
                std::thread::sleep(Duration::from_millis(10));
            }
            let me = std::process::id();
            let none = BTreeSet::new();
            let before = collect(me, u32::MAX, true, &token, &none);
            super::super::register(id);
            let registered = collect(me, u32::MAX, true, &token, &none);
            super::super::unregister(id);
            let after = collect(me, u32::MAX, true, &token, &none);
            let _ = child.kill();
            let _ = child.wait();
            assert!(before.contains(&id), "the token marks it: {before:?}");
            assert!(!registered.contains(&id), "registered: {registered:?}");
            assert!(after.contains(&id), "unregistered: {after:?}");
        }

        /// A child of ours in the implementation's process group is taken with it, token or
        /// not (a process the implementation started that was re-parented to the runner).
        #[test]
        fn members_of_the_process_group_are_taken() {
            let mut leader = sleeper();
            let group = i32::try_from(leader.id()).expect("a pid");
            let mut member = Command::new("sleep")
                .arg("30")
                .process_group(group)
                .spawn()
                .expect("sleep runs");
            let taken = collect(
                std::process::id(),
                leader.id(),
                false,
                "no-such-token",
                &BTreeSet::new(),
            );
            for c in [&mut leader, &mut member] {
                let _ = c.kill();
                let _ = c.wait();
            }
            assert!(taken.contains(&leader.id()), "{taken:?}");
            assert!(taken.contains(&member.id()), "{taken:?}");
        }

        /// Ending an implementation kills what it started and reaps each process that was
        /// re-parented to the runner, so that no zombie is left; the leader is left for its
        /// owner to reap.
        #[test]
        fn end_reaps_what_was_reparented_and_leaves_the_leader() {
            super::super::adopt_orphans();
            let token = super::super::new_token();
            let mut leader = Command::new("sh")
                .args(["-c", "sleep 30 & wait"])
                .process_group(0)
                .env(TOKEN_VAR, &token)
                .spawn()
                .expect("sh runs");
            let id = leader.id();
            let mut below = Vec::new();
            for _ in 0..500 {
                below = children(id);
                if !below.is_empty() {
                    break;
                }
                std::thread::sleep(Duration::from_millis(10));
            }
            assert!(!below.is_empty(), "sh started its sleep");
            super::end(id, false, &token);
            let status = leader
                .wait()
                .expect("the leader is left for its owner to reap");
            assert!(!status.success());
            for p in below {
                assert!(
                    fs::metadata(format!("/proc/{p}")).is_err(),
                    "{p} is left (a zombie not reaped)"
                );
            }
        }

        /// Tokens are unique to an implementation process, and name the runner's pid.
        #[test]
        fn tokens_are_unique_and_name_the_runner() {
            let a = super::super::new_token();
            let b = super::super::new_token();
            assert_ne!(a, b);
            let prefix = format!("{}-", std::process::id());
            assert!(a.starts_with(&prefix) && b.starts_with(&prefix), "{a} {b}");
        }

        /// The bound on one `/proc` read, in bytes.
        #[test]
        fn a_proc_file_is_read_up_to_4_mib() {
            assert_eq!(PROC_FILE_LIMIT, 4_194_304);
            assert!(read_proc("/proc/self/stat").is_some_and(|b| !b.is_empty()));
            assert_eq!(read_proc("/proc/no-such-file"), None);
        }
    }
}
