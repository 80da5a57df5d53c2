//! The conformance runner: drives an implementation through the suite over the protocol
//! (`scalingo-manifest conformance run`, `spec/protocol.md`).
//!
//! * [`Session`] manages the implementation's process: `sh -c COMMAND` in its own process
//!   group, started once (persistent mode) or once per case (per-case mode). A reader
//!   thread turns stdout into lines sent over a channel, so every wait has a deadline
//!   (the per-case timeout); a writer thread feeds stdin, so a process that stops reading
//!   cannot block the runner. A process that crashes, hangs past the timeout or breaks the
//!   protocol is killed with everything it started (its process group, and on Linux every
//!   process it left behind: [`reaper`]) and restarted for the next case;
//!   so is every process at the end of its case (per-case mode) or of the run.
//! * [`Filter`] selects cases by id, capability, status, rule, decision or tag.
//! * [`ExpectedFailures`] is the expected-failures file (`ID  reason` lines).
//! * [`run`] runs the selected cases and classifies each ([`Verdict`]); [`Report`] renders
//!   the human and JSON reports and decides the exit status.
//! * [`bench()`] measures cases per second.
//!
//! How a case is judged (from its [`Outcome`] and [`Status`], then the expected-failures
//! list): an output is compared with [`compare_case`]; a difference fails a `required` or
//! `optional` case and is only reported for an `implementation-defined` one; `skipped`
//! fails a `required` case and is allowed for the others; `errored`, a crash and a timeout
//! fail any case. A failing case that is listed is an expected failure; a listed case that
//! does not fail, whose capability the implementation does not declare, or that is not in
//! the suite, fails the run.

use std::collections::{BTreeMap, BTreeSet, VecDeque};
use std::fmt;
use std::io::{self, BufRead, BufReader, Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, ExitStatus, Stdio};

use std::sync::mpsc::{self, Receiver, RecvTimeoutError, Sender};
use std::sync::{Arc, Mutex};
use std::thread;
use std::time::{Duration, Instant};
use wait_timeout::ChildExt;

use serde::Serialize;
use serde_json::{json, Value};

use super::case::{self, Capability, Case, Status};
use super::compare::{compare_case, Difference};
use super::files;
use super::protocol::{
    self, Answer, CaseRef, Feature, Implementation, Request, StartAnswer, MAX_LINE_BYTES,
    PROTOCOL_VERSION,
};
use super::reaper;
use scalingo_manifest::escape;

/// Default time an implementation has to answer one request (the start handshake
/// included), in seconds.
pub const DEFAULT_TIMEOUT_SECS: f64 = 10.0;

/// How many times in a row the implementation may fail to start before the run stops.
pub const MAX_START_FAILURES: u32 = 3;

/// How much of the implementation's stderr is kept for crash reports, in bytes.
const STDERR_TAIL_BYTES: usize = 2000;

/// Longest wait for the rest of an exited implementation's stderr.
const STDERR_SETTLE: Duration = Duration::from_millis(500);

/// How long a stopped implementation has to exit before it is killed.
const STOP_GRACE: Duration = Duration::from_secs(2);

/// How the implementation is run.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Mode {
    /// Started once; newline-delimited JSON requests and answers (`start`, `run`, `stop`).
    Persistent,
    /// Started once per case: the case on stdin, the answer on stdout.
    PerCase,
}

impl Mode {
    /// `"persistent"` or `"per-case"`.
    pub fn as_str(self) -> &'static str {
        match self {
            Mode::Persistent => "persistent",
            Mode::PerCase => "per-case",
        }
    }
}

/// Everything that configures a run besides the cases.
#[derive(Debug, Clone, PartialEq)]
pub struct RunConfig {
    /// The implementation's command, run with `sh -c`.
    pub command: String,
    /// Persistent or per-case.
    pub mode: Mode,
    /// Time for one answer (and for the start handshake).
    pub timeout: Duration,
    /// Per-case mode: the capabilities the implementation implements (persistent mode:
    /// from the start answer; this field is ignored).
    pub capabilities: Vec<Capability>,
    /// Per-case mode: the features it declares (persistent mode: from the start answer).
    pub features: Vec<Feature>,
}

impl RunConfig {
    /// A persistent-mode configuration for `command` with the default timeout.
    pub fn persistent(command: &str) -> RunConfig {
        RunConfig {
            command: command.to_string(),
            mode: Mode::Persistent,
            timeout: Duration::from_secs_f64(DEFAULT_TIMEOUT_SECS),
            capabilities: Capability::ALL.to_vec(),
            features: Vec::new(),
        }
    }
}

/// A problem that stops the whole run (exit status 2): the implementation cannot be
/// started, or speaks another protocol version.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RunError {
    /// What went wrong, with the implementation's stderr when it helps.
    pub message: String,
}

impl fmt::Display for RunError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for RunError {}

// ---------------------------------------------------------------------------------------
// Processes

/// What the stdout reader thread sends.
enum Line {
    /// One line (without its `\n`).
    Text(String),
    /// A line longer than [`MAX_LINE_BYTES`].
    TooLong,
    /// End of stdout (the process exited or closed it), or a read error.
    End,
}

/// What waiting for a line gave.
enum Received {
    Line(String),
    TooLong,
    End,
    TimedOut,
}

/// How many batches of stdout lines may wait for the runner: with the batch size (what
/// one read of the 64 KiB buffer gave, or one line of at most [`MAX_LINE_BYTES`]), this
/// bounds the memory an implementation that writes faster than the runner reads can take.
const QUEUED_BATCHES: usize = 4;

/// One running implementation process.
struct Proc {
    child: Child,
    /// Its environment's [`reaper::TOKEN_VAR`].
    token: String,
    /// Its exit status was collected (its pid is no longer its own).
    reaped: bool,
    /// [`Proc::kill`] ran: everything it started is ended.
    ended: bool,
    stdin: Option<Sender<Vec<u8>>>,
    lines: Receiver<Vec<Line>>,
    /// Lines received and not yet read.
    ready: VecDeque<Line>,
    stderr: Arc<Mutex<Vec<u8>>>,
    /// Disconnected when the stderr reader has met the end of the pipe.
    stderr_done: Receiver<()>,
}

impl Proc {
    /// Starts `sh -c command` in a new process group, with its token in the environment
    /// ([`reaper`]) and threads for its three pipes.
    fn spawn(command: &str) -> io::Result<Proc> {
        reaper::adopt_orphans();
        let token = reaper::new_token();
        let mut cmd = Command::new("sh");
        cmd.arg("-c")
            .arg(command)
            .env(reaper::TOKEN_VAR, &token)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped());
        #[cfg(unix)]
        {
            use std::os::unix::process::CommandExt;
            cmd.process_group(0);
        }
        let mut child = cmd.spawn()?;
        reaper::register(child.id());
        let (Some(stdin), Some(stdout), Some(stderr)) =
            (child.stdin.take(), child.stdout.take(), child.stderr.take())
        else {
            reaper::end(child.id(), false, &token);
            let _ = child.kill();
            let _ = child.wait();
            reaper::unregister(child.id());
            return Err(io::Error::other("the process has no pipes"));
        };

        let (to_stdin, from_runner) = mpsc::channel::<Vec<u8>>();
        thread::spawn(move || {
            let mut stdin = stdin;
            for bytes in from_runner {
                if stdin
                    .write_all(&bytes)
                    .and_then(|()| stdin.flush())
                    .is_err()
                {
                    break;
                }
            }
            // dropping `stdin` closes the pipe: the implementation sees its end
        });

        // Lines go to the runner in batches: everything already read when the buffer runs
        // dry (an implementation that answers several requests at once costs one wake-up).
        let (to_runner, lines) = mpsc::sync_channel::<Vec<Line>>(QUEUED_BATCHES);
        thread::spawn(move || {
            let mut reader = BufReader::with_capacity(64 * 1024, stdout);
            let limit = u64::try_from(MAX_LINE_BYTES).unwrap_or(u64::MAX) + 1;
            let mut batch = Vec::new();
            loop {
                let mut buf = Vec::new();
                match (&mut reader).take(limit).read_until(b'\n', &mut buf) {
                    Ok(0) | Err(_) => {
                        batch.push(Line::End);
                        let _ = to_runner.send(batch);
                        return;
                    }
                    Ok(_) => {}
                }
                if buf.len() > MAX_LINE_BYTES {
                    batch.push(Line::TooLong);
                    let _ = to_runner.send(batch);
                    return;
                }
                if buf.last() == Some(&b'\n') {
                    buf.pop();
                }
                let text = String::from_utf8(buf)
                    .unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned());
                batch.push(Line::Text(text));
                if reader.buffer().is_empty() && to_runner.send(std::mem::take(&mut batch)).is_err()
                {
                    return;
                }
            }
        });

        let tail = Arc::new(Mutex::new(Vec::new()));
        let tail_writer = Arc::clone(&tail);
        let (stderr_end, stderr_done) = mpsc::channel::<()>();
        thread::spawn(move || {
            // dropped when the thread ends: the end of stderr was read
            let _stderr_end = stderr_end;
            let mut stderr = stderr;
            let mut chunk = [0u8; 4096];
            loop {
                match stderr.read(&mut chunk) {
                    Ok(0) | Err(_) => return,
                    Ok(n) => {
                        if let Ok(mut t) = tail_writer.lock() {
                            t.extend_from_slice(&chunk[..n]);
                            if t.len() > 2 * STDERR_TAIL_BYTES {
                                let cut = t.len() - STDERR_TAIL_BYTES;
                                t.drain(..cut);
                            }
                        }
                    }
                }
            }
        });

        Ok(Proc {
            child,
            token,
            reaped: false,
            ended: false,
            stdin: Some(to_stdin),
            lines,
            ready: VecDeque::new(),
            stderr: tail,
            stderr_done,
        })
    }

    /// Queues bytes for stdin (never blocks).
    fn send(&self, bytes: Vec<u8>) {
        if let Some(stdin) = &self.stdin {
            let _ = stdin.send(bytes);
        }
    }

    /// Closes stdin once everything queued is written.
    fn close_stdin(&mut self) {
        self.stdin = None;
    }

    /// The next stdout line, waiting until `deadline` at most.
    fn recv(&mut self, deadline: Instant) -> Received {
        if self.ready.is_empty() {
            let wait = deadline.saturating_duration_since(Instant::now());
            match self.lines.recv_timeout(wait) {
                Ok(batch) => self.ready.extend(batch),
                Err(RecvTimeoutError::Disconnected) => return Received::End,
                Err(RecvTimeoutError::Timeout) => return Received::TimedOut,
            }
        }
        match self.ready.pop_front() {
            Some(Line::Text(s)) => Received::Line(s),
            Some(Line::TooLong) => Received::TooLong,
            Some(Line::End) | None => Received::End,
        }
    }

    /// The last part of stderr, trimmed, as text (empty when there was none). Once the
    /// process has exited, what it wrote is read to the end first (for at most
    /// [`STDERR_SETTLE`]: a process it started may still hold the pipe open).
    fn stderr_tail(&self) -> String {
        if self.reaped {
            let _ = self.stderr_done.recv_timeout(STDERR_SETTLE);
        }
        let bytes = self.stderr.lock().map(|t| t.clone()).unwrap_or_default();
        let start = bytes.len().saturating_sub(STDERR_TAIL_BYTES);
        String::from_utf8_lossy(&bytes[start..]).trim().to_string()
    }

    /// Waits for the process to exit until `deadline`; `None` when it is still running.
    /// The wait itself is `wait-timeout`'s (woken by the child's exit, no polling).
    fn wait_until(&mut self, deadline: Instant) -> Option<ExitStatus> {
        let wait = deadline.saturating_duration_since(Instant::now());
        match self.child.wait_timeout(wait) {
            Ok(Some(status)) => {
                self.reaped();
                Some(status)
            }
            _ => None,
        }
    }

    /// Records that the exit status was collected.
    fn reaped(&mut self) {
        if !self.reaped {
            self.reaped = true;
            reaper::unregister(self.child.id());
        }
    }

    /// Kills the process with everything it started, whether or not it is still running
    /// (its process group, and on Linux every process it left behind: [`reaper`]), and
    /// reaps it. Idempotent.
    fn kill(&mut self) {
        self.stdin = None;
        if self.ended {
            return;
        }
        self.ended = true;
        reaper::end(self.child.id(), self.reaped, &self.token);
        if !self.reaped {
            let _ = self.child.kill();
            let _ = self.child.wait();
            self.reaped();
        }
    }

    /// Sends `stop` (persistent mode), closes stdin and gives the process
    /// [`STOP_GRACE`] to exit, then kills it and whatever it left running.
    fn stop(mut self, send_stop: bool) {
        if send_stop {
            self.send(Request::Stop.to_line().into_bytes());
        }
        self.close_stdin();
        let _ = self.wait_until(Instant::now() + STOP_GRACE);
        self.kill();
    }
}

impl Drop for Proc {
    /// A process is never left behind: whatever ends a [`Proc`] (a crash, a timeout, the
    /// end of a case in per-case mode, the end of the run) ends everything it started.
    fn drop(&mut self) {
        self.kill();
    }
}

fn with_stderr(message: String, stderr: &str) -> String {
    if stderr.is_empty() {
        message
    } else {
        format!("{message}; stderr ends with:\n{stderr}")
    }
}

// ---------------------------------------------------------------------------------------
// Sessions

/// What happened when a case was sent, before any judgement.
#[derive(Debug, Clone, PartialEq)]
pub enum Outcome {
    /// The implementation gave an output; `differences` is the comparison with `expected`
    /// (empty: it conforms).
    Output {
        /// Every difference ([`compare_case`]).
        differences: Vec<Difference>,
    },
    /// The implementation answered `skipped`.
    Skipped {
        /// Its reason.
        reason: String,
        /// Its issue link, if any.
        issue: Option<String>,
    },
    /// The implementation answered `errored`.
    Errored(String),
    /// The process exited, closed stdout, or broke the protocol (a line that is not an
    /// answer, a wrong `seq`); it was restarted.
    Crashed(String),
    /// No answer within the timeout; the process was killed and restarted.
    TimedOut,
    /// Not sent: the implementation does not declare the case's capability.
    NotRun(String),
}

/// How many `run` requests may be in flight at once in persistent mode.
pub const WINDOW: usize = 16;

fn not_declared(case: &Case) -> Outcome {
    Outcome::NotRun(format!("capability `{}` not declared", case.capability))
}

/// The outcome of an answer (compared with `expected` when it is an output).
fn to_outcome(case: &Case, answer: Result<Answer, Outcome>, features: &[Feature]) -> Outcome {
    match answer {
        Ok(Answer::Output(output)) => Outcome::Output {
            differences: compare_case(case, &output, features).differences,
        },
        Ok(Answer::Skipped { reason, issue }) => Outcome::Skipped { reason, issue },
        Ok(Answer::Errored(message)) => Outcome::Errored(message),
        Err(outcome) => outcome,
    }
}

/// One implementation under test: its process (persistent mode) and what it declared.
pub struct Session {
    config: RunConfig,
    proc: Option<Proc>,
    start: Option<StartAnswer>,
    seq: u64,
    restarts: u64,
    failed_starts: u32,
}

impl Session {
    /// A session for `config`; nothing is started until [`Session::start`] or the first
    /// case.
    pub fn new(config: RunConfig) -> Session {
        Session {
            config,
            proc: None,
            start: None,
            seq: 0,
            restarts: 0,
            failed_starts: 0,
        }
    }

    /// How many times the implementation was restarted after a crash, a timeout or a
    /// protocol error (persistent mode).
    pub fn restarts(&self) -> u64 {
        self.restarts
    }

    /// Starts the implementation (persistent mode) and returns what it declared; in
    /// per-case mode, returns the declaration built from the configuration (name: the
    /// command). Idempotent while the process runs.
    ///
    /// # Errors
    /// [`RunError`] when the process cannot be started or fails the handshake
    /// [`MAX_START_FAILURES`] times in a row, or answers another protocol version.
    pub fn start(&mut self) -> Result<StartAnswer, RunError> {
        if self.config.mode == Mode::PerCase {
            let declared = StartAnswer {
                version: PROTOCOL_VERSION,
                implementation: Implementation {
                    name: self.config.command.clone(),
                    version: String::new(),
                    language: String::new(),
                    homepage: None,
                },
                capabilities: self.config.capabilities.clone(),
                features: self.config.features.clone(),
            };
            self.start = Some(declared.clone());
            return Ok(declared);
        }
        loop {
            if self.proc.is_some() {
                if let Some(s) = &self.start {
                    return Ok(s.clone());
                }
            }
            match self.try_start() {
                Ok(answer) => {
                    self.failed_starts = 0;
                    if answer.version != PROTOCOL_VERSION {
                        self.shutdown();
                        return Err(RunError {
                            message: format!(
                                "the implementation speaks protocol version {}, this runner version {PROTOCOL_VERSION}",
                                answer.version
                            ),
                        });
                    }
                    if self.start.is_none() {
                        self.start = Some(answer);
                    }
                }
                Err(message) => {
                    self.failed_starts += 1;
                    if self.failed_starts >= MAX_START_FAILURES {
                        return Err(RunError {
                            message: format!(
                                "the implementation failed to start {MAX_START_FAILURES} times in a row; last time: {message}"
                            ),
                        });
                    }
                }
            }
        }
    }

    /// One start attempt: spawn, send `start`, read the answer.
    fn try_start(&mut self) -> Result<StartAnswer, String> {
        if let Some(p) = self.proc.take() {
            p.stop(false);
        }
        let proc = Proc::spawn(&self.config.command)
            .map_err(|e| format!("cannot run `sh -c {}`: {e}", self.config.command))?;
        proc.send(
            Request::Start {
                version: PROTOCOL_VERSION,
            }
            .to_line()
            .into_bytes(),
        );
        let deadline = Instant::now() + self.config.timeout;
        let mut proc = proc;
        let got = proc.recv(deadline);
        let result = match got {
            Received::Line(line) => protocol::parse_start_answer(&line).map_err(|e| e.message),
            Received::TooLong => Err("the start answer is too long".to_string()),
            Received::End => {
                let status = proc.wait_until(Instant::now() + Duration::from_millis(200));
                Err(format!(
                    "the implementation exited before answering `start`{}",
                    status.map(|s| format!(" ({s})")).unwrap_or_default()
                ))
            }
            Received::TimedOut => Err(format!(
                "no answer to `start` within {:.1} s",
                self.config.timeout.as_secs_f64()
            )),
        };
        match result {
            Ok(answer) => {
                self.proc = Some(proc);
                Ok(answer)
            }
            Err(message) => {
                let tail = proc.stderr_tail();
                proc.kill();
                Err(with_stderr(message, &tail))
            }
        }
    }

    /// What the implementation declared (after [`Session::start`]).
    pub fn declared(&self) -> Option<&StartAnswer> {
        self.start.as_ref()
    }

    /// Runs one case and compares its output.
    ///
    /// # Errors
    /// [`RunError`] when the implementation has to be restarted and cannot be.
    pub fn run_case(&mut self, case: &Case) -> Result<Outcome, RunError> {
        let mut outcomes = self.run_cases(&[case])?;
        Ok(outcomes
            .pop()
            .unwrap_or_else(|| Outcome::Crashed("no outcome".into())))
    }

    /// The capabilities and features declared, starting the implementation if needed.
    fn declaration(&mut self) -> Result<(Vec<Capability>, Vec<Feature>), RunError> {
        let running = self.config.mode == Mode::PerCase || self.proc.is_some();
        if self.start.is_none() || !running {
            self.start()?;
        }
        Ok(self
            .start
            .as_ref()
            .map(|s| (s.capabilities.clone(), s.features.clone()))
            .unwrap_or_default())
    }

    /// Runs `cases` and compares each output; the outcomes are in the order of `cases`.
    ///
    /// In persistent mode up to [`WINDOW`] requests are in flight (the implementation
    /// reads the next request while the runner compares the last answer); answers must
    /// come in the order of the requests. Each answer has the timeout from the moment the
    /// previous one arrived. When the process crashes, hangs or breaks the protocol, the
    /// case awaited gets the failure, the process is killed, and the requests sent after it
    /// are sent again to the restarted process.
    ///
    /// # Errors
    /// [`RunError`] when the implementation has to be (re)started and cannot be.
    pub fn run_cases(&mut self, cases: &[&Case]) -> Result<Vec<Outcome>, RunError> {
        let mut outcomes: Vec<Option<Outcome>> = vec![None; cases.len()];
        let mut pending: VecDeque<usize> = (0..cases.len()).collect();
        let mut inflight: VecDeque<(u64, usize)> = VecDeque::new();
        let mut front_since = Instant::now();
        let (mut capabilities, mut features) = self.declaration()?;
        loop {
            if self.config.mode == Mode::Persistent && self.proc.is_none() && !pending.is_empty() {
                // a restart after trouble
                (capabilities, features) = self.declaration()?;
            }
            if self.config.mode == Mode::PerCase {
                let Some(i) = pending.pop_front() else {
                    break;
                };
                let case = cases[i];
                outcomes[i] = Some(if capabilities.contains(&case.capability) {
                    let answer = self.ask_per_case(case);
                    to_outcome(case, answer, &features)
                } else {
                    not_declared(case)
                });
                continue;
            }
            // Refill the window when it is half empty, all new requests in one write.
            if inflight.len() <= WINDOW / 2 {
                let mut batch = Vec::new();
                while inflight.len() < WINDOW {
                    let Some(i) = pending.pop_front() else {
                        break;
                    };
                    let case = cases[i];
                    if !capabilities.contains(&case.capability) {
                        outcomes[i] = Some(not_declared(case));
                        continue;
                    }
                    self.seq += 1;
                    batch.extend_from_slice(
                        protocol::run_line(self.seq, &case.id, case.capability, &case.input)
                            .as_bytes(),
                    );
                    if inflight.is_empty() {
                        front_since = Instant::now();
                    }
                    inflight.push_back((self.seq, i));
                }
                if let (Some(p), false) = (&self.proc, batch.is_empty()) {
                    p.send(batch);
                }
            }
            let Some((seq, i)) = inflight.pop_front() else {
                break;
            };
            let answer = self.await_answer(seq, front_since + self.config.timeout);
            front_since = Instant::now();
            if answer.is_err() {
                // the process is gone: what it had not answered is sent again
                while let Some((_, j)) = inflight.pop_back() {
                    pending.push_front(j);
                }
            }
            outcomes[i] = Some(to_outcome(cases[i], answer, &features));
        }
        Ok(outcomes
            .into_iter()
            .map(|o| o.unwrap_or_else(|| Outcome::Crashed("no outcome".into())))
            .collect())
    }

    /// Waits until `deadline` for the answer to request `seq`; on a crash, a timeout or a
    /// protocol error the process is killed (the next case restarts it).
    fn await_answer(&mut self, seq: u64, deadline: Instant) -> Result<Answer, Outcome> {
        let Some(proc) = self.proc.as_mut() else {
            return Err(Outcome::Crashed("the implementation is not running".into()));
        };
        let failure = match proc.recv(deadline) {
            Received::Line(line) => match protocol::parse_run_answer(&line) {
                Ok(a) if a.seq == Some(seq) => return Ok(a.answer),
                Ok(a) => Outcome::Crashed(format!(
                    "protocol error: answer for seq {} while waiting for seq {seq}",
                    a.seq
                        .map_or_else(|| "(none)".to_string(), |s| s.to_string())
                )),
                Err(e) => Outcome::Crashed(format!("protocol error: {e}")),
            },
            Received::TooLong => Outcome::Crashed(format!(
                "protocol error: an answer line longer than {MAX_LINE_BYTES} bytes"
            )),
            Received::End => {
                let mut proc = self.proc.take();
                let status = proc
                    .as_mut()
                    .and_then(|p| p.wait_until(Instant::now() + Duration::from_millis(500)));
                let tail = proc.as_ref().map(Proc::stderr_tail).unwrap_or_default();
                if let Some(mut p) = proc {
                    p.kill();
                }
                self.restarts += 1;
                return Err(Outcome::Crashed(with_stderr(
                    format!(
                        "the implementation exited{}",
                        status.map(|s| format!(" ({s})")).unwrap_or_default()
                    ),
                    &tail,
                )));
            }
            Received::TimedOut => Outcome::TimedOut,
        };
        if let Some(mut p) = self.proc.take() {
            let tail = p.stderr_tail();
            p.kill();
            self.restarts += 1;
            if let Outcome::Crashed(m) = failure {
                return Err(Outcome::Crashed(with_stderr(m, &tail)));
            }
        }
        Err(failure)
    }

    /// Starts the implementation for one case, writes the case on stdin, reads the whole
    /// stdout as the answer.
    fn ask_per_case(&mut self, case: &Case) -> Result<Answer, Outcome> {
        let mut proc = Proc::spawn(&self.config.command).map_err(|e| {
            Outcome::Crashed(format!("cannot run `sh -c {}`: {e}", self.config.command))
        })?;
        let case_ref = CaseRef {
            id: case.id.clone(),
            capability: case.capability,
            input: case.input.clone(),
        };
        let mut bytes = serde_json::to_vec(&case_ref).unwrap_or_default();
        bytes.push(b'\n');
        proc.send(bytes);
        proc.close_stdin();
        let deadline = Instant::now() + self.config.timeout;
        let mut out = String::new();
        loop {
            match proc.recv(deadline) {
                Received::Line(line) => {
                    if out.len() + line.len() > MAX_LINE_BYTES {
                        proc.kill();
                        return Err(Outcome::Crashed(format!(
                            "the answer is longer than {MAX_LINE_BYTES} bytes"
                        )));
                    }
                    out.push_str(&line);
                    out.push('\n');
                }
                Received::TooLong => {
                    proc.kill();
                    return Err(Outcome::Crashed(format!(
                        "the answer is longer than {MAX_LINE_BYTES} bytes"
                    )));
                }
                Received::End => break,
                Received::TimedOut => {
                    proc.kill();
                    return Err(Outcome::TimedOut);
                }
            }
        }
        let status = proc.wait_until(deadline);
        let tail = proc.stderr_tail();
        if status.is_none() {
            proc.kill();
            return Err(Outcome::TimedOut);
        }
        let status_text = status.map(|s| s.to_string()).unwrap_or_default();
        if out.trim().is_empty() {
            return Err(Outcome::Crashed(with_stderr(
                format!("no answer on stdout ({status_text})"),
                &tail,
            )));
        }
        match protocol::parse_run_answer(out.trim()) {
            Ok(a) => Ok(a.answer),
            Err(e) => Err(Outcome::Crashed(with_stderr(
                format!("protocol error: {e} ({status_text})"),
                &tail,
            ))),
        }
    }

    /// Stops the implementation: `stop`, then a grace period, then a kill.
    pub fn shutdown(&mut self) {
        if let Some(p) = self.proc.take() {
            p.stop(self.config.mode == Mode::Persistent);
        }
    }
}

impl Drop for Session {
    fn drop(&mut self) {
        self.shutdown();
    }
}

// ---------------------------------------------------------------------------------------
// Selection and expected failures

/// Which cases to run: terms matched against a case's id, capability, status, rules,
/// decisions and tags. A term ending with `*` matches by prefix (`MAN-ENV-*`, `SMC-01*`;
/// `*` alone matches every case); a term starting with `!` excludes. Terms are compared
/// exactly (letter case included).
///
/// Each term is of the first kind, in the order id, capability, status, rule, decision,
/// tag, that it matches a word of in the suite. A case is selected when, for every kind
/// that has including terms, it matches at least one of them (OR within a kind, AND between
/// kinds: `env,validate` is both capabilities, `env,MAN-ENV-2` the `env` cases of that
/// rule), and it matches no excluding term. With no including term every case is selected.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Filter {
    include: Vec<String>,
    exclude: Vec<String>,
}

/// The kinds of words a [`Filter`] term is matched against, in the order a term's kind is
/// chosen.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum TermKind {
    /// The case id (`SMC-0042`, `GEN-7-1`).
    Id,
    /// The capability (`validate`).
    Capability,
    /// The status (`required`, `optional`, `implementation-defined`).
    Status,
    /// A rule ID of `rules` (`MAN-ENV-2`).
    Rule,
    /// A decision of `decisions` (`D-8`).
    Decision,
    /// A tag (`heroku`).
    Tag,
}

impl TermKind {
    /// Every kind, in the order a term's kind is chosen.
    const ALL: [TermKind; 6] = [
        TermKind::Id,
        TermKind::Capability,
        TermKind::Status,
        TermKind::Rule,
        TermKind::Decision,
        TermKind::Tag,
    ];

    /// The kind's name, as the messages and the protocol document say it.
    fn as_str(self) -> &'static str {
        match self {
            TermKind::Id => "id",
            TermKind::Capability => "capability",
            TermKind::Status => "status",
            TermKind::Rule => "rule",
            TermKind::Decision => "decision",
            TermKind::Tag => "tag",
        }
    }

    /// The words of `case` of this kind.
    fn words(self, case: &Case) -> Vec<&str> {
        match self {
            TermKind::Id => vec![case.id.as_str()],
            TermKind::Capability => vec![case.capability.as_str()],
            TermKind::Status => vec![case.status.as_str()],
            TermKind::Rule => case.rules.iter().map(String::as_str).collect(),
            TermKind::Decision => case.decisions.iter().map(String::as_str).collect(),
            TermKind::Tag => case.tags.iter().map(String::as_str).collect(),
        }
    }
}

/// A term that selects nothing, or a filter that selects no case: the run does not start
/// (exit status 2), since a green run of nothing would pass by mistake.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FilterError {
    /// One line per problem (a term that matches no word of the suite, with the closest
    /// word; or the combination that selects nothing).
    pub problems: Vec<String>,
}

impl fmt::Display for FilterError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.problems.join("\n"))
    }
}

impl std::error::Error for FilterError {}

impl Filter {
    /// The filter of `terms` (each may also be a comma-separated list); the terms are
    /// checked against a suite by [`Filter::select`].
    pub fn new<S: AsRef<str>>(terms: &[S]) -> Filter {
        let mut f = Filter::default();
        for t in terms
            .iter()
            .flat_map(|t| t.as_ref().split(','))
            .map(str::trim)
            .filter(|t| !t.is_empty())
        {
            match t.strip_prefix('!') {
                Some(rest) if !rest.is_empty() => f.exclude.push(rest.to_string()),
                Some(_) => {}
                None => f.include.push(t.to_string()),
            }
        }
        f
    }

    fn word_matches(term: &str, word: &str) -> bool {
        match term.strip_suffix('*') {
            Some(prefix) => word.starts_with(prefix),
            None => word == term,
        }
    }

    fn matches_kind(term: &str, kind: TermKind, case: &Case) -> bool {
        kind.words(case)
            .into_iter()
            .any(|w| Self::word_matches(term, w))
    }

    /// The kind of `term` in `cases`: the first kind with a word it matches.
    fn kind_in(term: &str, cases: &[Case]) -> Option<TermKind> {
        TermKind::ALL
            .into_iter()
            .find(|&k| cases.iter().any(|c| Self::matches_kind(term, k, c)))
    }

    /// The cases of `cases` this filter selects, in their order.
    ///
    /// # Errors
    /// [`FilterError`] when a term (including or excluding) matches no word of any case of
    /// `cases` (a typo such as `valdiate`, with the closest word of the suite), or when the
    /// terms together select no case.
    pub fn select<'a>(&self, cases: &'a [Case]) -> Result<Vec<&'a Case>, FilterError> {
        let mut problems = Vec::new();
        let mut kinds = |terms: &[String]| -> Vec<(String, TermKind)> {
            terms
                .iter()
                .filter_map(|t| match Self::kind_in(t, cases) {
                    Some(k) => Some((t.clone(), k)),
                    None => {
                        problems.push(Self::unknown_term(t, cases));
                        None
                    }
                })
                .collect()
        };
        let include = kinds(&self.include);
        let exclude = kinds(&self.exclude);
        if !problems.is_empty() {
            return Err(FilterError { problems });
        }
        let selected: Vec<&Case> = cases
            .iter()
            .filter(|c| {
                TermKind::ALL.into_iter().all(|k| {
                    let mut of_kind = include.iter().filter(|(_, tk)| *tk == k).peekable();
                    of_kind.peek().is_none() || of_kind.any(|(t, _)| Self::matches_kind(t, k, c))
                }) && !exclude.iter().any(|(t, k)| Self::matches_kind(t, *k, c))
            })
            .collect();
        if selected.is_empty() {
            let terms: Vec<String> = include
                .iter()
                .map(|(t, k)| format!("{} `{t}`", k.as_str()))
                .chain(
                    exclude
                        .iter()
                        .map(|(t, k)| format!("not {} `{t}`", k.as_str())),
                )
                .collect();
            return Err(FilterError {
                problems: vec![format!(
                    "the filter selects no case: no case of the suite has {} (terms of one kind are alternatives, terms of different kinds must all match)",
                    terms.join(" and ")
                )],
            });
        }
        Ok(selected)
    }

    /// The message for a term that matches no word of `cases`.
    fn unknown_term(term: &str, cases: &[Case]) -> String {
        let mut words: Vec<&str> = cases
            .iter()
            .flat_map(|c| TermKind::ALL.into_iter().flat_map(move |k| k.words(c)))
            .collect();
        words.sort_unstable();
        words.dedup();
        let hint = scalingo_manifest::diag::suggest(term.trim_end_matches('*'), &words)
            .map(|w| format!(" (did you mean `{w}`?)"))
            .unwrap_or_default();
        format!(
            "the filter term `{term}` matches no case id, capability, status, rule, decision or tag of the suite{hint}"
        )
    }
}

/// The expected-failures file: one entry per line, `ID  reason` (the id, white space, a
/// non-empty reason to the end of the line); blank lines and lines starting with `#` are
/// ignored. Ids are `[A-Za-z0-9._-]+` and appear once. An id is a case id (`SMC-0083`), or
/// a rule (`MAN-3`) or a code (`SM0103`) the implementation does not implement: see
/// [`Listed`] and [`excuse`].
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ExpectedFailures {
    /// Id -> reason.
    pub entries: BTreeMap<String, String>,
}

impl ExpectedFailures {
    /// Reads the text of an expected-failures file.
    ///
    /// # Errors
    /// Every malformed line (`line N: ...`): an id with other characters, a missing
    /// reason, an id listed twice.
    pub fn parse(text: &str) -> Result<ExpectedFailures, Vec<String>> {
        let mut entries = BTreeMap::new();
        let mut problems = Vec::new();
        for (i, raw) in text.lines().enumerate() {
            let n = i + 1;
            let line = raw.trim();
            if line.is_empty() || line.starts_with('#') {
                continue;
            }
            let (id, reason) = match line.split_once(char::is_whitespace) {
                Some((id, reason)) => (id, reason.trim()),
                None => (line, ""),
            };
            let id_ok = id
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'_' | b'-'));
            if !id_ok {
                problems.push(format!("line {n}: `{id}` is not a case id, rule or code"));
            } else if reason.is_empty() {
                problems.push(format!("line {n}: `{id}` has no reason"));
            } else if entries.insert(id.to_string(), reason.to_string()).is_some() {
                problems.push(format!("line {n}: `{id}` is listed twice"));
            }
        }
        if problems.is_empty() {
            Ok(ExpectedFailures { entries })
        } else {
            Err(problems)
        }
    }

    /// Reads an expected-failures file: a regular file of at most
    /// [`files::MAX_XFAIL_FILE_BYTES`] bytes of UTF-8.
    ///
    /// # Errors
    /// The file cannot be read (it is missing, not a regular file, too large, not UTF-8),
    /// or [`ExpectedFailures::parse`]'s problems, each prefixed with the path.
    pub fn load(path: &Path) -> Result<ExpectedFailures, Vec<String>> {
        let text = files::read_text(path, files::MAX_XFAIL_FILE_BYTES).map_err(|e| vec![e])?;
        Self::parse(&text).map_err(|ps| {
            ps.into_iter()
                .map(|p| format!("{}: {p}", path.display()))
                .collect()
        })
    }

    /// The entries that name a rule or a code (not a case), with their reasons.
    pub fn rules_and_codes(&self) -> Vec<(&str, &str)> {
        self.entries
            .iter()
            .filter(|(id, _)| Listed::of(id) != Listed::Case)
            .map(|(id, r)| (id.as_str(), r.as_str()))
            .collect()
    }
}

/// What an entry of the expected-failures file names, from its form.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Listed {
    /// A case id (`SMC-0083`, `GEN-7-1`, or any other id of a suite).
    Case,
    /// A diagnostic code, `SM` and four digits (`SM0103`): the implementation does not
    /// report it.
    Code,
    /// A rule ID, capital letters and dashes then a number (`MAN-3`, `MAN-ENV-12`): the
    /// implementation does not implement the rule, so reports none of its codes.
    Rule,
}

impl Listed {
    /// The kind of the entry `id`.
    pub fn of(id: &str) -> Listed {
        let is_code =
            id.len() == 6 && id.starts_with("SM") && id[2..].bytes().all(|b| b.is_ascii_digit());
        let is_rule = !id.starts_with("SMC-")
            && !id.starts_with("GEN-")
            && id.rsplit_once('-').is_some_and(|(family, n)| {
                !n.is_empty()
                    && n.bytes().all(|b| b.is_ascii_digit())
                    && family
                        .split('-')
                        .all(|w| !w.is_empty() && w.bytes().all(|b| b.is_ascii_uppercase()))
            });
        if is_code {
            Listed::Code
        } else if is_rule {
            Listed::Rule
        } else {
            Listed::Case
        }
    }
}

/// The rules and codes `case` involves: the rules it names, the codes of the findings it
/// expects, and the rules of those codes.
fn involved_ids(case: &Case) -> BTreeSet<&str> {
    let mut ids: BTreeSet<&str> = case.rules.iter().map(String::as_str).collect();
    for code in case::expected_diagnostics(&case.expected)
        .filter_map(|d| d.get("code").and_then(Value::as_str))
    {
        ids.insert(code);
        if let Some(c) = scalingo_manifest::Code::from_code(code) {
            ids.insert(c.rule());
        }
    }
    ids
}

/// True when `case` names the rule `id` or expects a finding of the code or rule `id`.
#[cfg(test)]
fn case_involves(case: &Case, id: &str) -> bool {
    involved_ids(case).contains(id)
}

/// The rule/code entry (of `entries`, `(id, reason)`) that excuses a failing case's
/// `differences`, if every difference is excused: a missing, unexpected or near-miss
/// diagnostic whose code is listed, or belongs to a listed rule; and a changed `valid` or
/// `status` when the case expects an error finding that an entry excuses (the verdict
/// follows from the rule not implemented). `None` when some difference is not excused: the
/// case is judged on what is left and fails. The first entry used is returned.
pub fn excuse<'a>(
    case: &Case,
    differences: &[crate::compare::Difference],
    entries: &[(&'a str, &'a str)],
) -> Option<(&'a str, &'a str)> {
    let entries: BTreeMap<&'a str, &'a str> = entries.iter().copied().collect();
    let each = excusing_entries(case, differences, &entries);
    each.iter()
        .copied()
        .collect::<Option<Vec<_>>>()
        .and_then(|all| all.first().copied())
}

/// For each of a failing case's `differences`, the entry of `entries` (id to reason) that
/// excuses it (as [`excuse`] reads them; the code's own entry before its rule's), or
/// `None`. An entry that excuses some difference is in use even when others are not
/// excused (the case then fails on those): it is not stale.
fn excusing_entries<'a>(
    case: &Case,
    differences: &[crate::compare::Difference],
    entries: &BTreeMap<&'a str, &'a str>,
) -> Vec<Option<(&'a str, &'a str)>> {
    use crate::compare::DiffKind;
    let entry_for = |code: Option<&str>| -> Option<(&'a str, &'a str)> {
        let code = code?;
        let rule = scalingo_manifest::Code::from_code(code).map(|c| c.rule());
        [Some(code), rule]
            .into_iter()
            .flatten()
            .find_map(|id| entries.get_key_value(id).map(|(id, reason)| (*id, *reason)))
    };
    fn code_of(v: Option<&Value>) -> Option<&str> {
        v.and_then(|v| v.get("code")).and_then(Value::as_str)
    }
    let excused_error = case::expected_diagnostics(&case.expected)
        .filter(|d| d.get("severity").and_then(Value::as_str) == Some("error"))
        .find_map(|d| entry_for(code_of(Some(d))));
    differences
        .iter()
        .map(|d| match d.kind {
            DiffKind::MissingDiagnostic | DiffKind::UnexpectedDiagnostic | DiffKind::NearMiss => {
                entry_for(code_of(d.expected.as_ref()).or(code_of(d.actual.as_ref())))
            }
            DiffKind::Changed if matches!(d.pointer.as_str(), "/valid" | "/status") => {
                excused_error
            }
            _ => None,
        })
        .collect()
}

/// Loads the cases of a suite folder: the curated suite (a folder with `retired.json`) with
/// every check of [`case::load_suite`]; otherwise (a folder written by `conformance gen`)
/// every `<capability>/*.json` file read as a [`Case`], sorted by id. Either way every
/// file and folder is read within the limits of [`files`] (case files, their number and
/// their total size, folder entries).
///
/// # Errors
/// One message per problem.
pub fn load_cases(dir: &Path) -> Result<Vec<Case>, Vec<String>> {
    if dir.join("retired.json").exists() {
        return case::load_suite(dir).map_err(|e| e.problems);
    }
    let mut cases = Vec::new();
    let mut problems = Vec::new();
    let mut budget = files::SuiteBudget::default();
    for cap in Capability::ALL {
        let sub = dir.join(cap.as_str());
        if !sub.is_dir() {
            continue;
        }
        let paths = match files::list_folder(&sub, files::MAX_FOLDER_ENTRIES) {
            Ok(p) => p,
            Err(e) => {
                problems.push(e);
                continue;
            }
        };
        for p in paths
            .into_iter()
            .filter(|p| p.extension().is_some_and(|x| x == "json"))
        {
            if budget.exhausted() {
                break;
            }
            match budget.read_case(&p).and_then(|t| {
                serde_json::from_str::<Case>(&t).map_err(|e| format!("{}: {e}", p.display()))
            }) {
                Ok(c) if c.capability == cap => cases.push(c),
                Ok(c) => problems.push(format!(
                    "{}: a `{}` case in the `{cap}` folder",
                    p.display(),
                    c.capability
                )),
                Err(e) => problems.push(e),
            }
        }
    }
    if cases.is_empty() && problems.is_empty() {
        problems.push(format!("{}: no case found", dir.display()));
    }
    cases.sort_by(|a, b| a.id.cmp(&b.id));
    if problems.is_empty() {
        Ok(cases)
    } else {
        Err(problems)
    }
}

// ---------------------------------------------------------------------------------------
// Judgement and reports

/// The judgement of one case.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Verdict {
    /// The output conforms.
    Pass,
    /// The case fails and is not listed: the run fails.
    Fail,
    /// The case fails and is listed as an expected failure.
    ExpectedFailure,
    /// The case is listed but does not fail (it passes, or is an allowed skip or an
    /// implementation-defined difference): the run fails until the entry is removed.
    UnexpectedPass,
    /// Listed, but its capability is not declared, so it never runs: the run fails.
    StaleExpectedFailure,
    /// An `optional` or `implementation-defined` case the implementation skipped.
    Skipped,
    /// An `implementation-defined` case whose output differs: reported, not failed.
    ImplementationDefined,
    /// Not run: the implementation does not declare the case's capability.
    NotRun,
}

impl Verdict {
    /// True for the verdicts that make the run fail.
    pub fn fails_run(self) -> bool {
        matches!(
            self,
            Verdict::Fail | Verdict::UnexpectedPass | Verdict::StaleExpectedFailure
        )
    }

    /// The kebab-case name (`"expected-failure"`).
    pub fn as_str(self) -> &'static str {
        match self {
            Verdict::Pass => "pass",
            Verdict::Fail => "fail",
            Verdict::ExpectedFailure => "expected-failure",
            Verdict::UnexpectedPass => "unexpected-pass",
            Verdict::StaleExpectedFailure => "stale-expected-failure",
            Verdict::Skipped => "skipped",
            Verdict::ImplementationDefined => "implementation-defined",
            Verdict::NotRun => "not-run",
        }
    }
}

/// Judges one outcome (see the module doc).
pub fn judge(status: Status, outcome: &Outcome, listed: bool) -> Verdict {
    // Does the case fail, before the list is read? `None`: it does not, but it is not a
    // pass either (an allowed skip or an implementation-defined difference).
    let fails = match outcome {
        Outcome::Output { differences } if differences.is_empty() => Some(false),
        Outcome::Output { .. } => match status {
            Status::ImplementationDefined => None,
            _ => Some(true),
        },
        Outcome::Skipped { .. } => match status {
            Status::Required => Some(true),
            _ => None,
        },
        Outcome::Errored(_) | Outcome::Crashed(_) | Outcome::TimedOut => Some(true),
        Outcome::NotRun(_) => {
            return if listed {
                Verdict::StaleExpectedFailure
            } else {
                Verdict::NotRun
            }
        }
    };
    match (fails, listed) {
        (Some(true), true) => Verdict::ExpectedFailure,
        (Some(true), false) => Verdict::Fail,
        (_, true) => Verdict::UnexpectedPass,
        (Some(false), false) => Verdict::Pass,
        (None, false) => match outcome {
            Outcome::Skipped { .. } => Verdict::Skipped,
            _ => Verdict::ImplementationDefined,
        },
    }
}

/// One case's result.
#[derive(Debug, Clone, PartialEq)]
pub struct CaseResult {
    /// The case id.
    pub id: String,
    /// Its capability.
    pub capability: Capability,
    /// Its status.
    pub status: Status,
    /// Its rules.
    pub rules: Vec<String>,
    /// Its description.
    pub description: String,
    /// Its input as compact JSON, cut to about 300 characters (for failure blocks).
    pub input_excerpt: String,
    /// What happened.
    pub outcome: Outcome,
    /// The judgement.
    pub verdict: Verdict,
    /// The reason given in the expected-failures file, when listed.
    pub listed_reason: Option<String>,
}

impl CaseResult {
    /// The case's file, relative to the suite folder (`validate/SMC-0001.json`), as
    /// [`Case::rel_path`] names it.
    pub fn path(&self) -> String {
        case::case_path(self.capability, &self.id)
    }
}

/// The result of a run.
#[derive(Debug, Clone, PartialEq)]
pub struct Report {
    /// What the implementation declared (per-case mode: built from the options).
    pub declared: StartAnswer,
    /// Persistent or per-case.
    pub mode: Mode,
    /// The selected cases, in suite order.
    pub results: Vec<CaseResult>,
    /// The stale entries of the expected-failures file, with their reasons: case ids not
    /// in the suite, and rules or codes that no case of the suite names or that excused no
    /// difference of the cases run. Each fails the run.
    pub unknown_listed: Vec<(String, String)>,
    /// Restarts after crashes, timeouts and protocol errors.
    pub restarts: u64,
    /// Wall time of the run.
    pub elapsed: Duration,
    /// The expected-failures file, if one was given (for messages).
    pub xfail_path: Option<PathBuf>,
    /// The suite folder the cases were read from, if known (for the case files named in
    /// failure blocks); [`run`] leaves it `None`, the CLI sets it.
    pub suite_dir: Option<PathBuf>,
    /// The suite's version and content hash, and whether its files still hash to it
    /// ([`crate::case::suite_identity`]); [`run`] leaves it `None`, the CLI sets it.
    pub suite: Option<crate::case::SuiteIdentity>,
}

/// The JSON Schema (draft 2020-12) of the JSON report ([`Report::json`]), written by hand
/// and published by `conformance regen` as `spec/vectors/report.schema.json`, beside the
/// case schema, so that a CI dashboard can check what it reads (`spec/protocol.md`,
/// "Reports and exit codes"). `tests/conformance_runner.rs` validates real reports with it.
pub const REPORT_SCHEMA: &str = r##"{
  "$schema": "https://json-schema.org/draft/2020-12/schema",
  "$id": "urn:scalingo-manifest:conformance:report:1",
  "title": "scalingo-manifest conformance report",
  "description": "The JSON report of `scalingo-manifest conformance run --format json` (spec/protocol.md, \"Reports and exit codes\"). Fields may be added in a later version of the same format.",
  "type": "object",
  "required": ["format", "version", "protocol", "implementation", "capabilities", "features", "mode", "suite", "level", "passed", "summary", "totals", "totals_by_capability", "totals_by_rule", "restarts", "elapsed_seconds", "cases", "unknown_expected_failures"],
  "properties": {
    "format": {"const": "scalingo-manifest-conformance-report"},
    "version": {"const": 1},
    "protocol": {"type": "integer", "minimum": 1},
    "implementation": {
      "type": "object",
      "required": ["name", "version", "language"],
      "properties": {
        "name": {"type": "string"},
        "version": {"type": "string"},
        "language": {"type": "string"},
        "homepage": {"type": "string"}
      }
    },
    "capabilities": {"type": "array", "items": {"$ref": "#/$defs/capability"}, "uniqueItems": true},
    "features": {"type": "array", "items": {"enum": ["verdict-only", "exact-secrets", "no-positions"]}, "uniqueItems": true},
    "mode": {"enum": ["persistent", "per-case"]},
    "suite": {
      "oneOf": [
        {"type": "null"},
        {
          "type": "object",
          "required": ["version", "sha256", "verified"],
          "additionalProperties": false,
          "properties": {
            "version": {"type": "string"},
            "sha256": {"type": "string", "pattern": "^[0-9a-f]{64}$"},
            "verified": {"type": "boolean"}
          }
        }
      ]
    },
    "level": {"enum": ["full", "no-positions", "verdict-only"]},
    "passed": {"type": "boolean"},
    "summary": {"type": "string"},
    "totals": {"$ref": "#/$defs/totals"},
    "totals_by_capability": {
      "type": "object",
      "propertyNames": {"$ref": "#/$defs/capability"},
      "additionalProperties": {"$ref": "#/$defs/totals"}
    },
    "totals_by_rule": {"type": "object", "additionalProperties": {"$ref": "#/$defs/totals"}},
    "restarts": {"type": "integer", "minimum": 0},
    "elapsed_seconds": {"type": "number", "minimum": 0},
    "cases": {"type": "array", "items": {"$ref": "#/$defs/case"}},
    "unknown_expected_failures": {
      "type": "array",
      "items": {
        "type": "object",
        "required": ["id", "reason"],
        "properties": {"id": {"type": "string"}, "reason": {"type": "string"}}
      }
    }
  },
  "$defs": {
    "totals": {
      "type": "object",
      "required": ["selected", "passed", "failed", "expected_failures", "unexpected_passes", "stale_expected_failures", "skipped", "implementation_defined", "not_run", "errored", "crashed", "timed_out"],
      "additionalProperties": {"type": "integer", "minimum": 0}
    },
    "capability": {"enum": ["validate", "procfile", "locate", "source", "env", "addons", "formation", "hooks", "resolve"]},
    "case": {
      "type": "object",
      "required": ["id", "capability", "status", "rules", "path", "verdict", "outcome"],
      "properties": {
        "id": {"type": "string"},
        "capability": {"$ref": "#/$defs/capability"},
        "status": {"enum": ["required", "optional", "implementation-defined"]},
        "rules": {"type": "array", "items": {"type": "string"}},
        "path": {"type": "string"},
        "verdict": {"enum": ["pass", "fail", "expected-failure", "unexpected-pass", "stale-expected-failure", "skipped", "implementation-defined", "not-run"]},
        "outcome": {"enum": ["output", "skipped", "errored", "crashed", "timed-out", "not-run"]},
        "differences": {"type": "array", "minItems": 1, "items": {"$ref": "#/$defs/difference"}},
        "message": {
          "oneOf": [
            {"type": "string"},
            {
              "type": "object",
              "required": ["reason"],
              "properties": {"reason": {"type": "string"}, "issue": {"type": ["string", "null"]}}
            }
          ]
        },
        "expected_failure_reason": {"type": "string"}
      },
      "allOf": [
        {"if": {"properties": {"outcome": {"enum": ["timed-out", "output"]}}}, "then": {"not": {"required": ["message"]}}},
        {"if": {"properties": {"outcome": {"enum": ["skipped", "errored", "crashed", "not-run"]}}}, "then": {"required": ["message"], "not": {"required": ["differences"]}}}
      ]
    },
    "difference": {
      "type": "object",
      "required": ["pointer", "kind"],
      "properties": {
        "pointer": {"type": "string"},
        "kind": {"enum": ["missing", "unexpected", "changed", "missing-diagnostic", "unexpected-diagnostic", "near-miss", "secret-shape", "secret-repeated"]},
        "expected": true,
        "actual": true,
        "fields": {"type": "array", "items": {"type": "string"}, "minItems": 1}
      },
      "allOf": [
        {"if": {"properties": {"kind": {"const": "near-miss"}}}, "then": {"required": ["expected", "actual", "fields"]}, "else": {"not": {"required": ["fields"]}}}
      ]
    }
  }
}
"##;

/// The conformance level a run measures, from the features the implementation declares:
/// what its passing cases vouch for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
#[non_exhaustive]
pub enum Level {
    /// Every compared field: codes, severities, pointers, lines and columns.
    Full,
    /// Codes, severities and pointers; not the line and column of findings
    /// ([`Feature::NoPositions`]).
    NoPositions,
    /// For `validate` and `procfile`, the verdict (`valid`) alone
    /// ([`Feature::VerdictOnly`]); other capabilities as [`Level::NoPositions`] or
    /// [`Level::Full`] would say.
    VerdictOnly,
}

impl Level {
    /// The level of an implementation declaring `features` (`verdict-only` wins over
    /// `no-positions`).
    pub fn of(features: &[Feature]) -> Level {
        if features.contains(&Feature::VerdictOnly) {
            Level::VerdictOnly
        } else if features.contains(&Feature::NoPositions) {
            Level::NoPositions
        } else {
            Level::Full
        }
    }

    /// The kebab-case name (`"no-positions"`).
    pub fn as_str(self) -> &'static str {
        match self {
            Level::Full => "full",
            Level::NoPositions => "no-positions",
            Level::VerdictOnly => "verdict-only",
        }
    }

    /// What the level compares, in a few words.
    fn meaning(self) -> &'static str {
        match self {
            Level::Full => "every field compared, positions of findings included",
            Level::NoPositions => {
                "codes, severities and pointers compared; not the line and column of findings"
            }
            Level::VerdictOnly => "for validate and procfile, the verdict alone",
        }
    }
}

/// Counts per verdict and per kind of trouble.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Totals {
    /// Selected cases.
    pub selected: usize,
    /// [`Verdict::Pass`].
    pub passed: usize,
    /// [`Verdict::Fail`].
    pub failed: usize,
    /// [`Verdict::ExpectedFailure`].
    pub expected_failures: usize,
    /// [`Verdict::UnexpectedPass`].
    pub unexpected_passes: usize,
    /// [`Verdict::StaleExpectedFailure`] plus the stale entries of the expected-failures
    /// file ([`Report::unknown_listed`]).
    pub stale_expected_failures: usize,
    /// [`Verdict::Skipped`].
    pub skipped: usize,
    /// [`Verdict::ImplementationDefined`].
    pub implementation_defined: usize,
    /// [`Verdict::NotRun`].
    pub not_run: usize,
    /// Outcomes `errored` (whatever the verdict).
    pub errored: usize,
    /// Outcomes crashed.
    pub crashed: usize,
    /// Outcomes timed out.
    pub timed_out: usize,
}

impl Report {
    /// The counts.
    pub fn totals(&self) -> Totals {
        let mut t = Self::count(self.results.iter());
        t.stale_expected_failures += self.unknown_listed.len();
        t
    }

    /// The counts of each capability that has selected cases, in [`Capability::ALL`]'s
    /// order (stale entries not in the suite are counted in [`Report::totals`] only).
    pub fn totals_by_capability(&self) -> Vec<(Capability, Totals)> {
        Capability::ALL
            .into_iter()
            .filter_map(|cap| {
                let t = Self::count(self.results.iter().filter(|r| r.capability == cap));
                (t.selected > 0).then_some((cap, t))
            })
            .collect()
    }

    /// The counts of the cases naming each rule (a case counts for every rule it names),
    /// by rule ID.
    pub fn totals_by_rule(&self) -> BTreeMap<String, Totals> {
        let mut rules: BTreeMap<String, Vec<&CaseResult>> = BTreeMap::new();
        for r in &self.results {
            for rule in &r.rules {
                rules.entry(rule.clone()).or_default().push(r);
            }
        }
        rules
            .into_iter()
            .map(|(rule, rs)| (rule, Self::count(rs.into_iter())))
            .collect()
    }

    fn count<'a>(results: impl Iterator<Item = &'a CaseResult>) -> Totals {
        let mut t = Totals::default();
        for r in results {
            t.selected += 1;
            match r.verdict {
                Verdict::Pass => t.passed += 1,
                Verdict::Fail => t.failed += 1,
                Verdict::ExpectedFailure => t.expected_failures += 1,
                Verdict::UnexpectedPass => t.unexpected_passes += 1,
                Verdict::StaleExpectedFailure => t.stale_expected_failures += 1,
                Verdict::Skipped => t.skipped += 1,
                Verdict::ImplementationDefined => t.implementation_defined += 1,
                Verdict::NotRun => t.not_run += 1,
            }
            match r.outcome {
                Outcome::Errored(_) => t.errored += 1,
                Outcome::Crashed(_) => t.crashed += 1,
                Outcome::TimedOut => t.timed_out += 1,
                _ => {}
            }
        }
        t
    }

    /// True when nothing fails the run: exit status 0.
    pub fn passed(&self) -> bool {
        self.unknown_listed.is_empty() && !self.results.iter().any(|r| r.verdict.fails_run())
    }

    /// The exit status of `conformance run`: 0 when [`Report::passed`], else 1.
    pub fn exit_code(&self) -> u8 {
        u8::from(!self.passed())
    }

    /// The ids of the cases with `verdict`, in suite order.
    pub fn ids(&self, verdict: Verdict) -> Vec<&str> {
        self.results
            .iter()
            .filter(|r| r.verdict == verdict)
            .map(|r| r.id.as_str())
            .collect()
    }

    fn implementation_line(&self) -> String {
        let i = &self.declared.implementation;
        let mut s = i.name.clone();
        if !i.version.is_empty() {
            s.push_str(&format!(" {}", i.version));
        }
        if !i.language.is_empty() {
            s.push_str(&format!(" ({})", i.language));
        }
        let features: Vec<&str> = self.declared.features.iter().map(|f| f.as_str()).collect();
        format!(
            "{s}, {} mode, protocol {PROTOCOL_VERSION}{}",
            self.mode.as_str(),
            if features.is_empty() {
                String::new()
            } else {
                format!(", features: {}", features.join(", "))
            }
        )
    }

    /// The human report: one block per case that fails the run, per expected failure
    /// (one line) and per implementation-defined difference, then the totals and the
    /// result (`PASS` or `FAIL`).
    pub fn human(&self) -> String {
        // DIAG-13: every field comes from the suite, the expected-failures file or the
        // implementation, and is escaped: single-line fields as such, so that no line of
        // the report (`PASS`, `FAIL ...`) can be forged.
        let line = |s: &str| escape::single_line(s).into_owned();
        let mut out = String::new();
        let xfail = line(&self.xfail_path.as_ref().map_or_else(
            || "the expected failures".to_string(),
            |p| p.display().to_string(),
        ));
        for r in &self.results {
            let head = line(&format!(
                "{} ({}, {}, rules: {})",
                r.id,
                r.capability,
                r.status.as_str(),
                r.rules.join(", ")
            ));
            let reason = line(r.listed_reason.as_deref().unwrap_or(""));
            match r.verdict {
                Verdict::Fail => {
                    out.push_str(&format!("FAIL {head}\n     {}\n", line(&r.description)));
                    let file = self
                        .suite_dir
                        .as_ref()
                        .map_or_else(|| r.path(), |d| d.join(r.path()).display().to_string());
                    out.push_str(&format!("     case: {}\n", line(&file)));
                    out.push_str(&format!("     input: {}\n", line(&r.input_excerpt)));
                    out.push_str(&outcome_lines(&r.outcome));
                }
                Verdict::UnexpectedPass => out.push_str(&format!(
                    "UNEXPECTED PASS {head}\n     listed in {xfail} ({reason}) but does not fail: remove the entry\n"
                )),
                Verdict::StaleExpectedFailure => out.push_str(&format!(
                    "STALE {head}\n     listed in {xfail}, but the implementation does not declare `{}`: remove the entry\n",
                    line(&r.capability.to_string())
                )),
                Verdict::ImplementationDefined => {
                    out.push_str(&format!(
                        "DIFFERS (implementation-defined, not a failure) {head}\n"
                    ));
                    out.push_str(&outcome_lines(&r.outcome));
                }
                Verdict::ExpectedFailure => out.push_str(&format!(
                    "expected failure {}: {reason}\n",
                    line(&r.id)
                )),
                _ => {}
            }
        }
        for (id, reason) in &self.unknown_listed {
            let why = match Listed::of(id) {
                Listed::Case => "but not in the suite",
                Listed::Rule | Listed::Code => {
                    "but names nothing of the suite, or excuses no failure of the cases run"
                }
            };
            out.push_str(&format!(
                "STALE {}\n     listed in {xfail} ({}) {why}: remove the entry\n",
                line(id),
                line(reason)
            ));
        }
        let by_capability = self.totals_by_capability();
        if by_capability.len() > 1 {
            out.push('\n');
            for (cap, t) in &by_capability {
                out.push_str(&format!(
                    "{cap}: {} selected, {} passed, {} failed, {} expected failures, {} skipped, {} not run\n",
                    t.selected, t.passed, t.failed, t.expected_failures, t.skipped, t.not_run
                ));
            }
        }
        let failing: Vec<String> = self
            .totals_by_rule()
            .into_iter()
            .filter(|(_, t)| t.failed > 0)
            .map(|(rule, t)| format!("{rule} ({})", t.failed))
            .collect();
        if !failing.is_empty() {
            out.push_str(&line(&format!(
                "rules with failing cases: {}",
                failing.join(", ")
            )));
            out.push('\n');
        }
        let t = self.totals();
        let secs = self.elapsed.as_secs_f64();
        let ran = t.selected - t.not_run;
        out.push_str(&format!(
            "\n{}\n{} cases selected: {} passed, {} failed, {} expected failures, {} unexpected passes, {} stale expected failures, {} skipped, {} implementation-defined differences, {} not run (capability not declared)\n",
            line(&self.implementation_line()),
            t.selected,
            t.passed,
            t.failed,
            t.expected_failures,
            t.unexpected_passes,
            t.stale_expected_failures,
            t.skipped,
            t.implementation_defined,
            t.not_run
        ));
        out.push_str(&format!(
            "errored {}, crashed {}, timed out {}, restarts {}; {ran} cases run in {secs:.2} s\n",
            t.errored, t.crashed, t.timed_out, self.restarts
        ));
        if let Some(id) = &self.suite {
            out.push_str(&line(&format!(
                "suite {}, sha256 {}{}",
                id.version,
                id.sha256,
                if id.verified {
                    ""
                } else {
                    " (its files were changed since its index was written: not that suite)"
                }
            )));
            out.push('\n');
        }
        let level = self.level();
        out.push_str(&format!(
            "level: {} ({})\n",
            level.as_str(),
            level.meaning()
        ));
        out.push_str(&line(&self.summary()));
        out.push('\n');
        out.push_str(if self.passed() { "PASS\n" } else { "FAIL\n" });
        out
    }

    /// One line that states the result as a claim, for a badge or a release note: the
    /// implementation, the suite (version and the first 12 digits of its hash), the level,
    /// and the counts: `"app.json (npm) 1.3.0: suite 0.1.0 (sha256 <12 hex digits>), level
    /// verdict-only: <n> passed, <n> expected failures, 0 failed, <n> not run, of <n> cases:
    /// PASS"` (failed counts the failures, unexpected passes and stale entries).
    pub fn summary(&self) -> String {
        let t = self.totals();
        let i = &self.declared.implementation;
        let suite = self.suite.as_ref().map_or_else(
            || "a suite without a versioned index".to_string(),
            |s| {
                format!(
                    "suite {} (sha256 {}{})",
                    s.version,
                    s.sha256.get(..12).unwrap_or(&s.sha256),
                    if s.verified { "" } else { ", modified" }
                )
            },
        );
        format!(
            "{} {}: {suite}, level {}: {} passed, {} expected failures, {} failed, {} not run, of {} cases: {}",
            i.name,
            i.version,
            self.level().as_str(),
            t.passed,
            t.expected_failures,
            t.failed + t.unexpected_passes + t.stale_expected_failures,
            t.not_run,
            t.selected,
            if self.passed() { "PASS" } else { "FAIL" }
        )
    }

    /// The conformance level of the run ([`Level::of`] the declared features).
    pub fn level(&self) -> Level {
        Level::of(&self.declared.features)
    }

    /// The JSON report (one object, documented in `spec/protocol.md`): format and version,
    /// the implementation, mode, totals, `passed`, every selected case with its verdict
    /// and details, and the stale entries of the expected-failures file.
    pub fn json(&self) -> Value {
        let cases: Vec<Value> = self
            .results
            .iter()
            .map(|r| {
                let mut m = serde_json::Map::new();
                m.insert("id".into(), json!(r.id));
                m.insert("capability".into(), json!(r.capability));
                m.insert("status".into(), json!(r.status));
                m.insert("rules".into(), json!(r.rules));
                m.insert("path".into(), json!(r.path()));
                m.insert("verdict".into(), json!(r.verdict));
                let (kind, detail) = outcome_json(&r.outcome);
                m.insert("outcome".into(), json!(kind));
                if let Some((k, v)) = detail {
                    m.insert(k.into(), v);
                }
                if let Some(reason) = &r.listed_reason {
                    m.insert("expected_failure_reason".into(), json!(reason));
                }
                serde_json::Value::Object(m)
            })
            .collect();
        let unknown: Vec<Value> = self
            .unknown_listed
            .iter()
            .map(|(id, reason)| json!({"id": id, "reason": reason}))
            .collect();
        json!({
            "format": "scalingo-manifest-conformance-report",
            "version": 1,
            "protocol": PROTOCOL_VERSION,
            "implementation": self.declared.implementation,
            "capabilities": self.declared.capabilities,
            "features": self.declared.features,
            "mode": self.mode,
            "suite": self.suite,
            "level": self.level(),
            "passed": self.passed(),
            "summary": self.summary(),
            "totals": self.totals(),
            "totals_by_capability": self
                .totals_by_capability()
                .into_iter()
                .map(|(c, t)| (c.as_str().to_string(), json!(t)))
                .collect::<serde_json::Map<String, Value>>(),
            "totals_by_rule": self.totals_by_rule(),
            "restarts": self.restarts,
            "elapsed_seconds": (self.elapsed.as_secs_f64() * 1000.0).round() / 1000.0,
            "cases": cases,
            "unknown_expected_failures": unknown,
        })
    }
}

/// The indented detail lines of an outcome in the human report.
fn outcome_lines(outcome: &Outcome) -> String {
    match outcome {
        Outcome::Output { differences } => differences
            .iter()
            .map(|d| format!("     {}\n", escape::single_line(&d.to_string())))
            .collect(),
        Outcome::Skipped { reason, issue } => format!(
            "     skipped a required case: {}\n",
            escape::single_line(&format!(
                "{reason}{}",
                issue
                    .as_ref()
                    .map(|i| format!(" ({i})"))
                    .unwrap_or_default()
            ))
        ),
        Outcome::Errored(m) => format!("     errored: {}\n", indent(m)),
        Outcome::Crashed(m) => format!("     crashed (restarted): {}\n", indent(m)),
        Outcome::TimedOut => "     timed out (killed and restarted)\n".to_string(),
        Outcome::NotRun(m) => format!("     not run: {}\n", escape::single_line(m)),
    }
}

/// A multi-line field of the report (an error message, the end of the implementation's
/// stderr), escaped (rule `DIAG-13`: `\n` and `\t` kept, every other control shown as
/// `\u{X}`) and with every line after the first indented, so that none of its lines
/// can pass for a line of the report's own.
fn indent(text: &str) -> String {
    escape::multi_line(text).replace('\n', "\n       ")
}

fn outcome_json(outcome: &Outcome) -> (&'static str, Option<(&'static str, Value)>) {
    match outcome {
        Outcome::Output { differences } if differences.is_empty() => ("output", None),
        Outcome::Output { differences } => (
            "output",
            Some((
                "differences",
                serde_json::to_value(differences).unwrap_or(Value::Null),
            )),
        ),
        Outcome::Skipped { reason, issue } => (
            "skipped",
            Some(("message", json!({"reason": reason, "issue": issue}))),
        ),
        Outcome::Errored(m) => ("errored", Some(("message", json!(m)))),
        Outcome::Crashed(m) => ("crashed", Some(("message", json!(m)))),
        Outcome::TimedOut => ("timed-out", None),
        Outcome::NotRun(m) => ("not-run", Some(("message", json!(m)))),
    }
}

/// Runs the cases of `cases` that `filter` selects through the implementation of
/// `config`, judges each against `expected` (the module doc), and reports.
///
/// # Errors
/// [`RunError`] when the filter selects nothing ([`Filter::select`]: checked before the
/// implementation starts) or the implementation cannot be started (see [`Session::start`]).
pub fn run(
    cases: &[Case],
    filter: &Filter,
    xfail: &ExpectedFailures,
    xfail_path: Option<&Path>,
    config: &RunConfig,
) -> Result<Report, RunError> {
    let started = Instant::now();
    let selected = filter.select(cases).map_err(|e| RunError {
        message: e.to_string(),
    })?;
    let mut session = Session::new(config.clone());
    let declared = session.start()?;
    let outcomes = session.run_cases(&selected)?;
    let mut results = Vec::new();
    let by_rule: BTreeMap<&str, &str> = xfail.rules_and_codes().into_iter().collect();
    let mut used: BTreeSet<&str> = BTreeSet::new();
    let mut involved: BTreeSet<&str> = BTreeSet::new();
    for (case, outcome) in selected.into_iter().zip(outcomes) {
        let mut listed_reason = xfail.entries.get(&case.id).cloned();
        let mut verdict = judge(case.status, &outcome, listed_reason.is_some());
        involved.extend(involved_entries(case, &outcome, &by_rule));
        // A case that fails only where a rule or code the implementation does not
        // implement shows is an expected failure, with that entry's reason.
        // Every entry that excuses one of its differences is in use, whether or not the
        // others are excused.
        if let (Verdict::Fail, Outcome::Output { differences }) = (verdict, &outcome) {
            let each = excusing_entries(case, differences, &by_rule);
            used.extend(each.iter().flatten().map(|(id, _)| *id));
            let all: Option<Vec<_>> = each.into_iter().collect();
            if let Some((id, reason)) = all.and_then(|all| all.first().copied()) {
                verdict = Verdict::ExpectedFailure;
                listed_reason = Some(format!("{id}: {reason}"));
            }
        }
        results.push(CaseResult {
            id: case.id.clone(),
            capability: case.capability,
            status: case.status,
            rules: case.rules.clone(),
            description: case.description.clone(),
            input_excerpt: crate::compare::short_json_of(&case.input, 300),
            outcome,
            verdict,
            listed_reason,
        });
    }
    session.shutdown();
    let unknown_listed = stale_entries(xfail, cases, &involved, &used);
    Ok(Report {
        declared,
        mode: config.mode,
        results,
        unknown_listed,
        restarts: session.restarts(),
        elapsed: started.elapsed(),
        xfail_path: xfail_path.map(Path::to_path_buf),
        suite_dir: None,
        suite: None,
    })
}

/// The rule/code entries of `entries` (id to reason) that `case` involves (its rules, the
/// codes it expects and their rules), when it ran: a case not run (capability not
/// declared) involves none.
fn involved_entries<'a>(
    case: &Case,
    outcome: &Outcome,
    entries: &BTreeMap<&'a str, &'a str>,
) -> Vec<&'a str> {
    if matches!(outcome, Outcome::NotRun(_)) {
        return Vec::new();
    }
    involved_ids(case)
        .into_iter()
        .filter_map(|id| entries.get_key_value(id).map(|(id, _)| *id))
        .collect()
}

/// The stale entries of `xfail`, with their reasons: a case id not in `cases` (the
/// suite); a rule or code that no case of the suite names, or that cases run involve
/// (`involved`) while excusing none of their differences (not in `used`). Linear in the
/// entries and the cases.
fn stale_entries(
    xfail: &ExpectedFailures,
    cases: &[Case],
    involved: &BTreeSet<&str>,
    used: &BTreeSet<&str>,
) -> Vec<(String, String)> {
    let known: BTreeSet<&str> = cases.iter().map(|c| c.id.as_str()).collect();
    let named: BTreeSet<&str> = cases.iter().flat_map(involved_ids).collect();
    xfail
        .entries
        .iter()
        .filter(|(id, _)| match Listed::of(id) {
            Listed::Case => !known.contains(id.as_str()),
            Listed::Rule | Listed::Code => {
                !named.contains(id.as_str())
                    || (involved.contains(id.as_str()) && !used.contains(id.as_str()))
            }
        })
        .map(|(id, r)| (id.clone(), r.clone()))
        .collect()
}

/// A speed measurement: how many cases ran (each one sent, answered and compared) in how
/// long.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct BenchResult {
    /// Cases run.
    pub cases: u64,
    /// Whole passes over the selected cases.
    pub rounds: u64,
    /// Cases whose answer was not a conforming output (should be 0 for the reference).
    pub not_passing: u64,
    /// Wall time, handshake excluded.
    pub elapsed: Duration,
}

impl BenchResult {
    /// Cases per second.
    pub fn per_second(&self) -> f64 {
        let s = self.elapsed.as_secs_f64();
        if s > 0.0 {
            self.cases as f64 / s
        } else {
            0.0
        }
    }
}

/// Runs the selected cases again and again through one session until at least `min_time`
/// has passed (whole passes only), and measures the rate. In persistent mode the
/// implementation is started once, before the clock starts.
///
/// # Errors
/// [`RunError`] when the filter selects nothing ([`Filter::select`]) or the implementation
/// cannot be started.
pub fn bench(
    cases: &[Case],
    filter: &Filter,
    config: &RunConfig,
    min_time: Duration,
) -> Result<BenchResult, RunError> {
    let selected = filter.select(cases).map_err(|e| RunError {
        message: e.to_string(),
    })?;
    let mut session = Session::new(config.clone());
    session.start()?;
    let started = Instant::now();
    let mut result = BenchResult {
        cases: 0,
        rounds: 0,
        not_passing: 0,
        elapsed: Duration::ZERO,
    };
    if selected.is_empty() {
        return Ok(result);
    }
    loop {
        let outcomes = session.run_cases(&selected)?;
        for (case, outcome) in selected.iter().zip(&outcomes) {
            result.cases += 1;
            let ok = matches!(outcome, Outcome::Output { differences }
                if differences.is_empty() || case.status == Status::ImplementationDefined);
            if !ok {
                result.not_passing += 1;
            }
        }
        result.rounds += 1;
        if started.elapsed() >= min_time {
            break;
        }
    }
    result.elapsed = started.elapsed();
    session.shutdown();
    Ok(result)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::compare::DiffKind;
    use serde_json::json;

    /// The next thing `proc` says, within 20 s.
    fn next(proc: &mut Proc) -> String {
        match proc.recv(Instant::now() + Duration::from_secs(20)) {
            Received::Line(s) => format!(
                "line {} bytes: {}",
                s.len(),
                s.chars().take(20).collect::<String>()
            ),
            Received::TooLong => "too long".into(),
            Received::End => "end".into(),
            Received::TimedOut => "timed out".into(),
        }
    }

    /// An implementation's stdout is read line by line: the newline is not part of a line,
    /// and a last line without one is whole.
    #[cfg(unix)]
    #[test]
    fn proc_reads_lines_exactly() {
        let mut proc = Proc::spawn("printf 'abc\\n{\"x\": 1}\\nlast'").expect("sh runs");
        assert_eq!(next(&mut proc), "line 3 bytes: abc");
        assert_eq!(next(&mut proc), "line 8 bytes: {\"x\": 1}");
        assert_eq!(next(&mut proc), "line 4 bytes: last");
        assert_eq!(next(&mut proc), "end");
    }

    /// An answer line of exactly `MAX_LINE_BYTES` bytes (its newline included) is read; one
    /// byte more is too long.
    #[cfg(unix)]
    #[test]
    fn proc_answer_lines_are_bounded_at_max_line_bytes_exactly() {
        let at = |n: usize| format!("head -c {n} /dev/zero | tr '\\0' a; echo");
        let mut proc = Proc::spawn(&at(MAX_LINE_BYTES - 1)).expect("sh runs");
        assert_eq!(
            next(&mut proc),
            format!("line {} bytes: {}", MAX_LINE_BYTES - 1, "a".repeat(20))
        );
        assert_eq!(next(&mut proc), "end");
        let mut proc = Proc::spawn(&at(MAX_LINE_BYTES)).expect("sh runs");
        assert_eq!(next(&mut proc), "too long");
    }

    /// A process whose exit status was collected is no longer registered as a running
    /// implementation; one that is killed is reaped (no zombie is left) and unregistered.
    #[cfg(unix)]
    #[test]
    fn proc_exit_and_kill_reap_and_unregister() {
        let mut proc = Proc::spawn("exit 3").expect("sh runs");
        let id = proc.child.id();
        assert!(reaper::is_registered(id));
        let status = proc.wait_until(Instant::now() + Duration::from_secs(20));
        assert_eq!(status.and_then(|s| s.code()), Some(3));
        assert!(proc.reaped && !reaper::is_registered(id));
        let proc = Proc::spawn("sleep 30").expect("sh runs");
        let id = proc.child.id();
        drop(proc);
        assert!(!reaper::is_registered(id));
        assert!(
            std::fs::metadata(format!("/proc/{id}")).is_err() || !cfg!(target_os = "linux"),
            "{id} was not reaped"
        );
    }

    /// A start that fails is tried again: an implementation that fails once and then
    /// answers is started; one that fails `MAX_START_FAILURES` times in a row is not.
    #[cfg(unix)]
    #[test]
    fn a_failed_start_is_tried_again() {
        let dir = scratch("restart");
        let answer = declares_validate("flaky");
        let flag = dir.join("started-once");
        let heard = dir.join("heard");
        let session = |command: String| {
            Session::new(RunConfig {
                command,
                mode: Mode::Persistent,
                timeout: Duration::from_secs(20),
                capabilities: Vec::new(),
                features: Vec::new(),
            })
        };
        let mut once = session(format!(
            "if [ -e '{flag}' ]; then printf '%s\\n' '{answer}'; cat > '{heard}'; else touch '{flag}'; exit 1; fi",
            flag = flag.display(),
            heard = heard.display()
        ));
        let started = once.start();
        let declared = once.declared().map(|d| d.implementation.name.clone());
        once.shutdown();
        // Shutting a persistent session down sends `stop` before the grace period.
        let heard_stop = std::fs::read_to_string(&heard).unwrap_or_default();
        // It closes stdout, then exits: the runner waits a moment for the exit status.
        let mut never = session("exec >&-; sleep 0.1; exit 1".into());
        let refused = never.start();
        let _ = std::fs::remove_dir_all(&dir);
        assert_eq!(
            started
                .expect("started on the second try")
                .implementation
                .name,
            "flaky"
        );
        assert_eq!(declared.as_deref(), Some("flaky"));
        assert!(
            heard_stop.ends_with(&Request::Stop.to_line()),
            "{heard_stop}"
        );
        let message = refused.expect_err("never starts").message;
        assert!(
            message.contains(&format!("failed to start {MAX_START_FAILURES} times")),
            "{message}"
        );
        assert!(
            message.contains("exited before answering `start` (exit status: 1)"),
            "{message}"
        );
    }

    /// `stop` sends the stop request, closes stdin and gives the implementation time to
    /// finish before it is killed.
    #[cfg(unix)]
    #[test]
    fn proc_stop_sends_stop_and_waits_its_grace() {
        let dir = scratch("stop");
        let file = dir.join("said");
        let proc = Proc::spawn(&format!(
            "read line; sleep 0.3; printf '%s' \"$line\" > '{}'",
            file.display()
        ))
        .expect("sh runs");
        proc.stop(true);
        let said = std::fs::read_to_string(&file).unwrap_or_default();
        let _ = std::fs::remove_dir_all(&dir);
        assert_eq!(said, Request::Stop.to_line().trim_end());
    }

    /// Only the end of stderr is kept, in at most twice `STDERR_TAIL_BYTES`, and its last
    /// `STDERR_TAIL_BYTES` are what the report shows.
    #[cfg(unix)]
    #[test]
    fn proc_keeps_a_bounded_tail_of_stderr() {
        let mut proc = Proc::spawn("head -c 50000 /dev/zero | tr '\\0' e >&2; printf END >&2")
            .expect("sh runs");
        assert!(proc
            .wait_until(Instant::now() + Duration::from_secs(20))
            .is_some());
        let tail = proc.stderr_tail();
        assert_eq!(tail.len(), STDERR_TAIL_BYTES);
        assert!(tail.ends_with("eeeEND"), "{}", &tail[tail.len() - 10..]);
        let kept = proc.stderr.lock().map(|t| t.len()).unwrap_or_default();
        assert!(kept <= 2 * STDERR_TAIL_BYTES, "{kept} bytes kept");
    }

    /// The `start` answer of a fake implementation that declares `validate` only.
    fn declares_validate(name: &str) -> String {
        serde_json::to_string(&StartAnswer {
            version: PROTOCOL_VERSION,
            implementation: Implementation {
                name: name.into(),
                version: "1".into(),
                language: "sh".into(),
                homepage: None,
            },
            capabilities: vec![Capability::Validate],
            features: Vec::new(),
        })
        .expect("JSON")
    }

    /// A persistent implementation in sh that declares `validate` and numbers its answers
    /// itself, 1, 2, ... (answers come in the order of the requests, so these are the `seq`s
    /// the runner must have sent), answers `{"valid": true}` to `runs` requests, then
    /// exits. It starts once: started again (after a crash, or for a second round of
    /// `bench`), it fails, and the runner gives up after `MAX_START_FAILURES` tries.
    fn counting_fake(dir: &Path, runs: usize) -> RunConfig {
        let flag = dir.join("started");
        let command = format!(
            "if [ -e '{flag}' ]; then echo 'started again' >&2; exit 1; fi; touch '{flag}'; \
             read start; printf '%s\\n' '{answer}'; n=0; \
             while [ $n -lt {runs} ] && read request; do n=$((n + 1)); \
             printf '{{\"seq\": %d, \"output\": {{\"valid\": true}}}}\\n' $n; done",
            flag = flag.display(),
            answer = declares_validate("counting"),
        );
        RunConfig {
            command,
            mode: Mode::Persistent,
            timeout: Duration::from_secs(20),
            capabilities: Vec::new(),
            features: Vec::new(),
        }
    }

    /// A validate case expecting `{"valid": valid}`.
    fn expecting(id: &str, status: Status, valid: bool) -> Case {
        Case {
            expected: json!({ "valid": valid }),
            ..case(id, status)
        }
    }

    /// `run` requests carry `seq` 1, 2, ... in the order sent: an implementation that
    /// numbers its answers itself is answered in step, with no restart.
    #[cfg(unix)]
    #[test]
    fn run_requests_are_numbered_from_one() {
        let dir = scratch("seq");
        let mut session = Session::new(counting_fake(&dir, 3));
        let cases = [
            expecting("SMC-0001", Status::Required, true),
            expecting("SMC-0002", Status::Required, true),
            expecting("SMC-0003", Status::Required, true),
        ];
        let outcomes = session.run_cases(&cases.iter().collect::<Vec<_>>());
        let restarts = session.restarts();
        drop(session);
        let _ = std::fs::remove_dir_all(&dir);
        let no_difference = Outcome::Output {
            differences: Vec::new(),
        };
        assert_eq!(outcomes.expect("runs"), vec![no_difference; 3]);
        assert_eq!(restarts, 0);
    }

    /// `bench` counts the cases run, the whole rounds, and the cases that did not pass (a
    /// difference in a required case, a capability not declared; a difference in an
    /// implementation-defined case passes). With no minimum time it runs one round: the
    /// fake answers one round only and cannot be started again.
    #[cfg(unix)]
    #[test]
    fn bench_counts_cases_rounds_and_what_did_not_pass() {
        let dir = scratch("bench");
        let config = counting_fake(&dir, 4);
        let cases = [
            expecting("SMC-0001", Status::Required, true),
            expecting("SMC-0002", Status::Required, false),
            expecting("SMC-0003", Status::ImplementationDefined, false),
            Case {
                capability: Capability::Procfile,
                ..case("SMC-0004", Status::Required)
            },
            expecting("SMC-0005", Status::Optional, true),
        ];
        let result = bench(&cases, &Filter::new(&["*"]), &config, Duration::ZERO);
        let _ = std::fs::remove_dir_all(&dir);
        let result = result.expect("one round runs");
        assert_eq!(
            (result.cases, result.rounds, result.not_passing),
            (5, 1, 2),
            "{result:?}"
        );
    }

    /// A per-case answer may take `MAX_LINE_BYTES` bytes over several lines (the newlines
    /// between them counted); one byte more is refused.
    #[cfg(unix)]
    #[test]
    fn per_case_answers_are_bounded_at_max_line_bytes_exactly() {
        // A first line of blanks, then `{"errored": "eee..."}` up to `total` bytes.
        let answer_of = |total: usize| {
            let blanks = MAX_LINE_BYTES / 2;
            let message = total - blanks - 1 - "{\"errored\": \"\"}".len();
            let command = format!(
                "cat > /dev/null; head -c {blanks} /dev/zero | tr '\\0' ' '; echo; \
                 printf '{{\"errored\": \"'; head -c {message} /dev/zero | tr '\\0' e; \
                 printf '\"}}\\n'"
            );
            let mut session = Session::new(RunConfig {
                command,
                mode: Mode::PerCase,
                timeout: Duration::from_secs(60),
                capabilities: vec![Capability::Validate],
                features: Vec::new(),
            });
            (
                message,
                session.ask_per_case(&case("SMC-0001", Status::Required)),
            )
        };
        let (message, at_limit) = answer_of(MAX_LINE_BYTES);
        match at_limit {
            Ok(Answer::Errored(m)) => assert_eq!(m.len(), message),
            other => panic!("{:?}", other.map(|_| "another answer")),
        }
        let (_, over) = answer_of(MAX_LINE_BYTES + 1);
        assert_eq!(
            over,
            Err(Outcome::Crashed(format!(
                "the answer is longer than {MAX_LINE_BYTES} bytes"
            )))
        );
    }

    fn case(id: &str, status: Status) -> Case {
        Case {
            id: id.into(),
            rules: vec!["MAN-ENV-2".into(), "DIAG-5".into()],
            decisions: vec!["D-8".into()],
            description: "d".into(),
            capability: Capability::Validate,
            status,
            tags: vec!["heroku".into()],
            input: json!({}),
            expected: json!({}),
        }
    }

    fn differs() -> Outcome {
        Outcome::Output {
            differences: vec![Difference {
                pointer: "/valid".into(),
                kind: DiffKind::Changed,
                expected: Some(json!(true)),
                actual: Some(json!(false)),
                fields: Vec::new(),
            }],
        }
    }

    /// Terms match every label of a case; OR within a kind, AND between kinds; a term that
    /// matches nothing, or a filter that selects nothing, is an error.
    #[test]
    fn filters_select_by_kind_and_refuse_to_select_nothing() {
        let a = case("SMC-0042", Status::Optional);
        let mut b = case("SMC-0043", Status::Required);
        b.capability = Capability::Env;
        b.rules = vec!["ENV-1".into()];
        b.decisions.clear();
        b.tags.clear();
        let suite = vec![a, b];
        let ids = |terms: &[&str]| {
            Filter::new(terms)
                .select(&suite)
                .map(|v| v.iter().map(|c| c.id.clone()).collect::<Vec<_>>())
        };
        assert_eq!(ids(&[]).unwrap(), ["SMC-0042", "SMC-0043"]);
        for term in [
            "SMC-0042",
            "validate",
            "optional",
            "MAN-ENV-2",
            "D-8",
            "heroku",
            "MAN-ENV-*",
            "SMC-0042*",
            "DIAG-*",
        ] {
            assert_eq!(ids(&[term]).unwrap(), ["SMC-0042"], "{term}");
        }
        assert_eq!(ids(&["*"]).unwrap().len(), 2);
        // OR within a kind.
        assert_eq!(ids(&["env,validate"]).unwrap().len(), 2);
        assert_eq!(ids(&["SMC-0042", "SMC-0043"]).unwrap().len(), 2);
        // AND between kinds.
        assert_eq!(ids(&["env", "ENV-*"]).unwrap(), ["SMC-0043"]);
        assert_eq!(ids(&["required", "env"]).unwrap(), ["SMC-0043"]);
        let none = ids(&["validate", "ENV-1"]).unwrap_err();
        assert_eq!(
            none.problems,
            ["the filter selects no case: no case of the suite has capability `validate` and rule `ENV-1` (terms of one kind are alternatives, terms of different kinds must all match)"]
        );
        // Exclusion.
        assert_eq!(ids(&["!heroku"]).unwrap(), ["SMC-0043"]);
        assert_eq!(ids(&["!MAN-*"]).unwrap(), ["SMC-0043"]);
        assert!(ids(&["validate", "!heroku"]).is_err());
        // A term that matches nothing: a typo is not a green run of nothing.
        let typo = ids(&["valdiate"]).unwrap_err();
        assert_eq!(
            typo.problems,
            ["the filter term `valdiate` matches no case id, capability, status, rule, decision or tag of the suite (did you mean `validate`?)"]
        );
        assert!(ids(&["!dokku"]).is_err());
        assert!(ids(&["man-env-2"]).is_err(), "letter case counts");
        assert!(ids(&["MAN-ENV"]).is_err(), "no prefix without `*`");
        assert_eq!(ids(&["D-9", "SMC-9*"]).unwrap_err().problems.len(), 2);
    }

    /// An entry is a case id, a code or a rule by its form.
    #[test]
    fn listed_entries_are_cases_codes_or_rules() {
        for (id, kind) in [
            ("SMC-0083", Listed::Case),
            ("GEN-7-1", Listed::Case),
            ("SM0103", Listed::Code),
            ("MAN-3", Listed::Rule),
            ("MAN-ENV-12", Listed::Rule),
            ("PROC-LIM-1", Listed::Rule),
            ("SM01", Listed::Case),
            ("SM01034", Listed::Case),
            ("man-3", Listed::Case),
            ("MAN-", Listed::Case),
            ("-3", Listed::Case),
            ("MAN--3", Listed::Case),
            ("MAN-3a", Listed::Case),
        ] {
            assert_eq!(Listed::of(id), kind, "{id}");
        }
        let x = ExpectedFailures::parse("SMC-0001  r\nMAN-3  not yet\nSM0105  never\n").unwrap();
        assert_eq!(
            x.rules_and_codes(),
            [("MAN-3", "not yet"), ("SM0105", "never")]
        );
    }

    /// A failing case is excused when every difference is a finding of a listed rule or
    /// code, or a verdict that follows from a listed error finding.
    #[test]
    fn excuse_needs_every_difference_to_be_a_listed_finding() {
        let mut c = case("SMC-0001", Status::Required);
        c.expected = json!({"valid": false, "diagnostics": [
            {"code": "SM0103", "severity": "warning", "pointer": "/logo"},
            {"code": "SM0101", "severity": "error", "pointer": "/name"}
        ]});
        let diag = |code: &str, kind: DiffKind| Difference {
            pointer: "/diagnostics".into(),
            kind,
            expected: Some(json!({"code": code})),
            actual: None,
            fields: Vec::new(),
        };
        let valid = Difference {
            pointer: "/valid".into(),
            kind: DiffKind::Changed,
            expected: Some(json!(false)),
            actual: Some(json!(true)),
            fields: Vec::new(),
        };
        let by_rule = [("MAN-3", "no URL checks")];
        let by_code = [("SM0101", "no type checks")];
        let warning = [diag("SM0103", DiffKind::MissingDiagnostic)];
        assert_eq!(
            excuse(&c, &warning, &by_rule),
            Some(("MAN-3", "no URL checks"))
        );
        assert_eq!(excuse(&c, &warning, &by_code), None);
        // The verdict follows from an excused error, not from an excused warning.
        let error_and_verdict = [diag("SM0101", DiffKind::MissingDiagnostic), valid.clone()];
        assert_eq!(excuse(&c, &error_and_verdict, &by_code), Some(by_code[0]));
        assert_eq!(excuse(&c, std::slice::from_ref(&valid), &by_rule), None);
        // Another difference is not excused: the case is judged on it.
        let other = [
            diag("SM0103", DiffKind::NearMiss),
            diag("SM0108", DiffKind::UnexpectedDiagnostic),
        ];
        assert_eq!(excuse(&c, &other, &by_rule), None);
        let secret = Difference {
            pointer: "/vars/A/value".into(),
            kind: DiffKind::SecretShape,
            expected: None,
            actual: Some(json!("x")),
            fields: Vec::new(),
        };
        assert_eq!(excuse(&c, &[secret], &by_rule), None);
        assert_eq!(excuse(&c, &[], &by_rule), None, "nothing to excuse");
        assert!(case_involves(&c, "MAN-ENV-2") && case_involves(&c, "SM0103"));
        assert!(case_involves(&c, "MAN-2") && !case_involves(&c, "MAN-5"));
    }

    /// Every entry that excuses one of a case's differences is in use (so not stale), when
    /// two entries excuse the case together, and when another difference is not excused.
    #[test]
    fn every_entry_that_excuses_a_difference_is_in_use() {
        let mut c = case("SMC-0001", Status::Required);
        c.expected = json!({"valid": false, "diagnostics": [
            {"code": "SM0103", "severity": "warning", "pointer": "/logo"},
            {"code": "SM0101", "severity": "error", "pointer": "/name"}
        ]});
        let diag = |code: &str| Difference {
            pointer: "/diagnostics".into(),
            kind: DiffKind::MissingDiagnostic,
            expected: Some(json!({"code": code})),
            actual: None,
            fields: Vec::new(),
        };
        let both = [("MAN-3", "no URL checks"), ("SM0101", "no type checks")];
        let differences = [diag("SM0103"), diag("SM0101")];
        let map: BTreeMap<&str, &str> = both.into();
        assert_eq!(
            excusing_entries(&c, &differences, &map),
            [Some(both[0]), Some(both[1])]
        );
        assert_eq!(excuse(&c, &differences, &both), Some(both[0]));
        let differences = [diag("SM0103"), diag("SM0108")];
        assert_eq!(
            excusing_entries(&c, &differences, &map),
            [Some(both[0]), None]
        );
        assert_eq!(excuse(&c, &differences, &both), None);
    }

    /// Totals per capability and per rule count the same verdicts as the whole.
    #[test]
    fn totals_by_capability_and_by_rule() {
        let ok = Outcome::Output {
            differences: vec![],
        };
        let mut r = report(
            vec![
                (Verdict::Pass, ok.clone()),
                (Verdict::Fail, differs()),
                (Verdict::Pass, ok),
            ],
            vec![],
        );
        r.results[2].capability = Capability::Procfile;
        r.results[2].rules = vec!["PROC-1".into(), "JSON-7".into()];
        let by_cap = r.totals_by_capability();
        assert_eq!(by_cap.len(), 2);
        assert_eq!(
            (by_cap[0].0, by_cap[0].1.selected, by_cap[0].1.failed),
            (Capability::Validate, 2, 1)
        );
        assert_eq!((by_cap[1].0, by_cap[1].1.passed), (Capability::Procfile, 1));
        let by_rule = r.totals_by_rule();
        assert_eq!(by_rule["JSON-7"].selected, 3);
        assert_eq!(by_rule["JSON-7"].failed, 1);
        assert_eq!(by_rule["PROC-1"].passed, 1);
        let h = r.human();
        assert!(h.contains("\nvalidate: 2 selected, 1 passed, 1 failed, 0 expected failures, 0 skipped, 0 not run\nprocfile: 1 selected, 1 passed,"), "{h}");
        assert!(h.contains("rules with failing cases: JSON-7 (1)\n"), "{h}");
        let j = r.json();
        assert_eq!(j["totals_by_capability"]["procfile"]["passed"], 1);
        assert_eq!(j["totals_by_rule"]["JSON-7"]["failed"], 1);
    }

    #[test]
    fn expected_failures_file_format() {
        let text = "# comment\n\nSMC-0001  formation is an array in app.json 1.3.0\n  GEN-7-1\tthe reason  \n";
        let x = ExpectedFailures::parse(text).unwrap();
        assert_eq!(x.entries.len(), 2);
        assert_eq!(
            x.entries["SMC-0001"],
            "formation is an array in app.json 1.3.0"
        );
        assert_eq!(x.entries["GEN-7-1"], "the reason");
        let e =
            ExpectedFailures::parse("SMC-0001\nSMC-0002 r\nSMC-0002 again\nSMC/3 r\n").unwrap_err();
        assert_eq!(
            e,
            vec![
                "line 1: `SMC-0001` has no reason".to_string(),
                "line 3: `SMC-0002` is listed twice".to_string(),
                "line 4: `SMC/3` is not a case id, rule or code".to_string(),
            ]
        );
    }

    #[test]
    fn judgement_by_status_outcome_and_listing() {
        use Status::*;
        use Verdict as V;
        let pass = Outcome::Output {
            differences: vec![],
        };
        let skip = Outcome::Skipped {
            reason: "r".into(),
            issue: None,
        };
        let table: Vec<(Status, Outcome, bool, Verdict)> = vec![
            (Required, pass.clone(), false, V::Pass),
            (Required, pass.clone(), true, V::UnexpectedPass),
            (Required, differs(), false, V::Fail),
            (Required, differs(), true, V::ExpectedFailure),
            (Optional, differs(), false, V::Fail),
            (
                ImplementationDefined,
                differs(),
                false,
                V::ImplementationDefined,
            ),
            (ImplementationDefined, differs(), true, V::UnexpectedPass),
            (Required, skip.clone(), false, V::Fail),
            (Required, skip.clone(), true, V::ExpectedFailure),
            (Optional, skip.clone(), false, V::Skipped),
            (Optional, skip.clone(), true, V::UnexpectedPass),
            (ImplementationDefined, skip, false, V::Skipped),
            (Optional, Outcome::Errored("e".into()), false, V::Fail),
            (
                Required,
                Outcome::Crashed("c".into()),
                true,
                V::ExpectedFailure,
            ),
            (Required, Outcome::TimedOut, false, V::Fail),
            (Required, Outcome::NotRun("n".into()), false, V::NotRun),
            (
                Required,
                Outcome::NotRun("n".into()),
                true,
                V::StaleExpectedFailure,
            ),
        ];
        for (status, outcome, listed, want) in table {
            assert_eq!(
                judge(status, &outcome, listed),
                want,
                "{status:?} {outcome:?} {listed}"
            );
        }
        assert!(V::Fail.fails_run() && V::UnexpectedPass.fails_run());
        assert!(V::StaleExpectedFailure.fails_run());
        for v in [
            V::Pass,
            V::ExpectedFailure,
            V::Skipped,
            V::ImplementationDefined,
            V::NotRun,
        ] {
            assert!(!v.fails_run(), "{v:?}");
        }
    }

    fn report(results: Vec<(Verdict, Outcome)>, unknown: Vec<(String, String)>) -> Report {
        Report {
            declared: StartAnswer {
                version: 1,
                implementation: Implementation {
                    name: "impl".into(),
                    version: "2".into(),
                    language: "go".into(),
                    homepage: None,
                },
                capabilities: vec![Capability::Validate],
                features: vec![Feature::VerdictOnly],
            },
            mode: Mode::Persistent,
            results: results
                .into_iter()
                .enumerate()
                .map(|(i, (verdict, outcome))| CaseResult {
                    id: format!("SMC-{:04}", i + 1),
                    capability: Capability::Validate,
                    status: Status::Required,
                    rules: vec!["JSON-7".into()],
                    description: format!("case {i}"),
                    input_excerpt: "{\"date\":\"2026-12-07\"}".into(),
                    outcome,
                    verdict,
                    listed_reason: (verdict == Verdict::ExpectedFailure
                        || verdict == Verdict::UnexpectedPass)
                        .then(|| "because".to_string()),
                })
                .collect(),
            unknown_listed: unknown,
            restarts: 1,
            elapsed: Duration::from_millis(1500),
            xfail_path: Some(PathBuf::from("xfail.txt")),
            suite_dir: Some(PathBuf::from("spec/vectors")),
            suite: Some(crate::case::SuiteIdentity {
                version: "0.1.0".into(),
                sha256: "ab".repeat(32),
                verified: false,
            }),
        }
    }

    #[test]
    fn reports_name_every_failing_case_and_count_everything() {
        let ok = Outcome::Output {
            differences: vec![],
        };
        let r = report(
            vec![
                (Verdict::Pass, ok.clone()),
                (Verdict::Fail, differs()),
                (Verdict::ExpectedFailure, Outcome::TimedOut),
                (Verdict::UnexpectedPass, ok),
                (Verdict::Fail, Outcome::Crashed("boom\nline 2".into())),
            ],
            vec![("SMC-9999".into(), "gone".into())],
        );
        let t = r.totals();
        assert_eq!(
            (
                t.selected,
                t.passed,
                t.failed,
                t.expected_failures,
                t.unexpected_passes
            ),
            (5, 1, 2, 1, 1)
        );
        assert_eq!(
            (t.stale_expected_failures, t.crashed, t.timed_out),
            (1, 1, 1)
        );
        assert!(!r.passed());
        assert_eq!(r.exit_code(), 1);
        let h = r.human();
        assert!(h.contains("FAIL SMC-0002 (validate, required, rules: JSON-7)\n     case 1\n     case: spec/vectors/validate/SMC-0002.json\n     input: {\"date\":\"2026-12-07\"}\n     /valid: expected true, got false\n"), "{h}");
        assert!(h.contains("UNEXPECTED PASS SMC-0004"), "{h}");
        assert!(
            h.contains("listed in xfail.txt (because) but does not fail"),
            "{h}"
        );
        assert!(
            h.contains("crashed (restarted): boom\n       line 2"),
            "{h}"
        );
        assert!(
            h.contains("STALE SMC-9999\n     listed in xfail.txt (gone) but not in the suite"),
            "{h}"
        );
        assert!(h.contains("expected failure SMC-0003: because"), "{h}");
        assert!(
            h.contains("impl 2 (go), persistent mode, protocol 1, features: verdict-only"),
            "{h}"
        );
        assert!(h.ends_with("FAIL\n"));
        let j = r.json();
        assert_eq!(j["passed"], json!(false));
        assert_eq!(j["totals"]["failed"], json!(2));
        assert_eq!(j["cases"][1]["verdict"], json!("fail"));
        assert_eq!(j["cases"][1]["differences"][0]["kind"], json!("changed"));
        assert_eq!(j["cases"][2]["outcome"], json!("timed-out"));
        assert_eq!(j["cases"][2]["expected_failure_reason"], json!("because"));
        assert_eq!(j["unknown_expected_failures"][0]["id"], json!("SMC-9999"));
        assert_eq!(j["implementation"]["name"], json!("impl"));
        assert_eq!(j["features"], json!(["verdict-only"]));

        let good = report(
            vec![(
                Verdict::Pass,
                Outcome::Output {
                    differences: vec![],
                },
            )],
            vec![],
        );
        assert!(good.passed());
        assert_eq!(good.exit_code(), 0);
        assert!(good.human().ends_with("PASS\n"));
    }

    #[test]
    fn a_filter_error_shows_one_problem_a_line() {
        let e = FilterError {
            problems: vec!["first".into(), "second".into()],
        };
        assert_eq!(e.to_string(), "first\nsecond");
    }

    /// A changed field other than `valid` and `status` is not excused by a listed error.
    #[test]
    fn only_the_verdict_follows_from_an_excused_error() {
        let mut c = case("SMC-0001", Status::Required);
        c.expected = json!({"valid": false, "diagnostics": [
            {"code": "SM0101", "severity": "error", "pointer": "/name"}
        ]});
        let missing = Difference {
            pointer: "/diagnostics".into(),
            kind: DiffKind::MissingDiagnostic,
            expected: Some(json!({"code": "SM0101"})),
            actual: None,
            fields: Vec::new(),
        };
        let changed = |pointer: &str| Difference {
            pointer: pointer.into(),
            kind: DiffKind::Changed,
            expected: Some(json!(false)),
            actual: Some(json!(true)),
            fields: Vec::new(),
        };
        let by_code = [("SM0101", "no type checks")];
        for pointer in ["/valid", "/status"] {
            let d = [missing.clone(), changed(pointer)];
            assert_eq!(excuse(&c, &d, &by_code), Some(by_code[0]), "{pointer}");
        }
        let d = [missing, changed("/vars")];
        assert_eq!(excuse(&c, &d, &by_code), None);
    }

    fn scratch(name: &str) -> PathBuf {
        let dir =
            std::env::temp_dir().join(format!("scalingo-runner-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        dir
    }

    /// A folder written by `conformance gen` (no `retired.json`) is read case by case:
    /// every `<capability>/*.json`, sorted by id; a case in another capability's folder
    /// is a problem, a file that is not `.json` is not read, an empty folder has no case.
    #[test]
    fn load_cases_reads_a_generated_folder() {
        let dir = scratch("gen");
        let caps = [Capability::Validate, Capability::Env];
        let written = crate::generate::write_generated(7, 6, &caps, &dir).unwrap();
        let cases = load_cases(&dir).unwrap();
        assert_eq!(cases.len(), 6);
        let ids: Vec<&str> = cases.iter().map(|c| c.id.as_str()).collect();
        let mut sorted = ids.clone();
        sorted.sort_unstable();
        assert_eq!(ids, sorted);
        for c in &cases {
            assert!(dir.join(c.rel_path()).is_file(), "{}", c.id);
        }
        assert_eq!(written.len(), 7, "six cases and the index");
        // A file that is not `.json` is not read.
        std::fs::write(dir.join("validate").join("README.txt"), "not a case").unwrap();
        assert_eq!(load_cases(&dir).unwrap().len(), 6);
        // A case in the folder of another capability is a problem.
        let env = cases
            .iter()
            .find(|c| c.capability == Capability::Env)
            .expect("an env case");
        let misplaced = dir.join("validate").join("SMC-misplaced.json");
        std::fs::copy(dir.join(env.rel_path()), &misplaced).unwrap();
        let problems = load_cases(&dir).unwrap_err();
        assert_eq!(
            problems,
            [format!(
                "{}: a `env` case in the `validate` folder",
                misplaced.display()
            )]
        );
        std::fs::remove_dir_all(&dir).unwrap();
        let empty = scratch("empty");
        assert_eq!(
            load_cases(&empty).unwrap_err(),
            [format!("{}: no case found", empty.display())]
        );
        std::fs::remove_dir_all(&empty).unwrap();
    }

    #[test]
    fn verdict_and_level_names() {
        use Verdict as V;
        let names: Vec<&str> = [
            V::Pass,
            V::Fail,
            V::ExpectedFailure,
            V::UnexpectedPass,
            V::StaleExpectedFailure,
            V::Skipped,
            V::ImplementationDefined,
            V::NotRun,
        ]
        .into_iter()
        .map(Verdict::as_str)
        .collect();
        assert_eq!(
            names,
            [
                "pass",
                "fail",
                "expected-failure",
                "unexpected-pass",
                "stale-expected-failure",
                "skipped",
                "implementation-defined",
                "not-run"
            ]
        );
        let levels: Vec<(&str, &str)> = [Level::Full, Level::NoPositions, Level::VerdictOnly]
            .into_iter()
            .map(|l| (l.as_str(), l.meaning()))
            .collect();
        assert_eq!(
            levels,
            [
                (
                    "full",
                    "every field compared, positions of findings included"
                ),
                (
                    "no-positions",
                    "codes, severities and pointers compared; not the line and column of findings"
                ),
                (
                    "verdict-only",
                    "for validate and procfile, the verdict alone"
                ),
            ]
        );
    }

    /// A report with every verdict and every kind of outcome.
    fn every_verdict() -> Report {
        let ok = Outcome::Output {
            differences: vec![],
        };
        report(
            vec![
                (Verdict::Pass, ok.clone()),
                (Verdict::Fail, differs()),
                (Verdict::Fail, Outcome::Errored("bad".into())),
                (Verdict::ExpectedFailure, Outcome::TimedOut),
                (Verdict::UnexpectedPass, ok),
                (
                    Verdict::StaleExpectedFailure,
                    Outcome::Crashed("boom".into()),
                ),
                (
                    Verdict::Skipped,
                    Outcome::Skipped {
                        reason: "r".into(),
                        issue: None,
                    },
                ),
                (Verdict::ImplementationDefined, differs()),
                (Verdict::NotRun, Outcome::NotRun("not declared".into())),
            ],
            vec![("MAN-3".into(), "gone".into())],
        )
    }

    #[test]
    fn every_verdict_and_outcome_is_counted() {
        let r = every_verdict();
        assert_eq!(
            r.totals(),
            Totals {
                selected: 9,
                passed: 1,
                failed: 2,
                expected_failures: 1,
                unexpected_passes: 1,
                stale_expected_failures: 2,
                skipped: 1,
                implementation_defined: 1,
                not_run: 1,
                errored: 1,
                crashed: 1,
                timed_out: 1,
            }
        );
        assert_eq!(r.ids(Verdict::Fail), ["SMC-0002", "SMC-0003"]);
        assert_eq!(r.ids(Verdict::NotRun), ["SMC-0009"]);
        assert!(r.ids(Verdict::Pass).len() == 1 && r.ids(Verdict::Pass)[0] == "SMC-0001");
    }

    #[test]
    fn the_human_report_of_every_verdict() {
        let r = every_verdict();
        let h = r.human();
        assert!(
            h.contains("STALE SMC-0006 (validate, required, rules: JSON-7)\n     listed in xfail.txt, but the implementation does not declare `validate`: remove the entry\n"),
            "{h}"
        );
        assert!(
            h.contains("DIFFERS (implementation-defined, not a failure) SMC-0008 (validate, required, rules: JSON-7)\n     /valid: expected true, got false\n"),
            "{h}"
        );
        assert!(
            h.contains(
                "STALE MAN-3\n     listed in xfail.txt (gone) but names nothing of the suite"
            ),
            "{h}"
        );
        assert!(
            h.contains("\nerrored 1, crashed 1, timed out 1, restarts 1; 8 cases run in 1.50 s\n"),
            "{h}"
        );
        // One capability: no line per capability.
        assert!(!h.contains("validate: "), "{h}");
        let mut two = every_verdict();
        two.results[0].capability = Capability::Env;
        let h = two.human();
        assert!(
            h.contains("\nvalidate: 8 selected, 0 passed, 2 failed, 1 expected failures, 1 skipped, 1 not run\nenv: 1 selected, 1 passed, 0 failed, 0 expected failures, 0 skipped, 0 not run\n"),
            "{h}"
        );
    }

    #[test]
    fn the_summary_states_the_claim() {
        assert_eq!(
            every_verdict().summary(),
            "impl 2: suite 0.1.0 (sha256 abababababab, modified), level verdict-only: 1 passed, 1 expected failures, 5 failed, 1 not run, of 9 cases: FAIL"
        );
        let mut good = report(
            vec![(
                Verdict::Pass,
                Outcome::Output {
                    differences: vec![],
                },
            )],
            vec![],
        );
        good.suite = None;
        good.declared.features.clear();
        assert_eq!(
            good.summary(),
            "impl 2: a suite without a versioned index, level full: 1 passed, 0 expected failures, 0 failed, 0 not run, of 1 cases: PASS"
        );
    }

    #[test]
    fn an_output_without_differences_has_no_differences_key() {
        let j = every_verdict().json();
        assert_eq!(j["cases"][0]["outcome"], json!("output"));
        assert!(j["cases"][0].get("differences").is_none(), "{j}");
        assert_eq!(j["cases"][1]["differences"][0]["pointer"], json!("/valid"));
    }

    /// A case not run involves no entry; a case run involves the entries it names.
    #[test]
    fn only_cases_run_involve_entries() {
        let c = case("SMC-0001", Status::Required);
        let entries: BTreeMap<&str, &str> = [("MAN-ENV-2", "r"), ("MAN-3", "r")].into();
        let ok = Outcome::Output {
            differences: vec![],
        };
        assert_eq!(involved_entries(&c, &ok, &entries), ["MAN-ENV-2"]);
        assert_eq!(involved_entries(&c, &differs(), &entries), ["MAN-ENV-2"]);
        let not_run = Outcome::NotRun("capability not declared".into());
        assert!(involved_entries(&c, &not_run, &entries).is_empty());
    }

    /// Stale: a case id not in the suite; a rule or code no case names; a rule or code
    /// that cases run involve but that excused nothing. Not stale: a rule named only by
    /// cases not run, or one that excused a failure.
    #[test]
    fn stale_entries_of_the_expected_failures_file() {
        let a = case("SMC-0001", Status::Required); // rules MAN-ENV-2, DIAG-5
        let mut b = case("SMC-0002", Status::Required);
        b.rules = vec!["ENV-1".into()];
        let cases = [a, b];
        let xfail = ExpectedFailures::parse(
            "SMC-0001 in the suite\nSMC-0099 not in the suite\nMAN-ENV-2 used\nDIAG-5 involved, unused\nENV-1 not involved\nJSON-7 named by no case\n",
        )
        .unwrap();
        let involved: BTreeSet<&str> = ["MAN-ENV-2", "DIAG-5"].into_iter().collect();
        let used: BTreeSet<&str> = ["MAN-ENV-2"].into_iter().collect();
        let stale = stale_entries(&xfail, &cases, &involved, &used);
        let ids: Vec<&str> = stale.iter().map(|(id, _)| id.as_str()).collect();
        assert_eq!(ids, ["DIAG-5", "JSON-7", "SMC-0099"]);
        assert_eq!(stale[0].1, "involved, unused");
    }

    /// Cases per second; no time measured is no rate (not a division by zero).
    #[test]
    fn bench_rate() {
        let b = |cases, ms| BenchResult {
            cases,
            rounds: 1,
            not_passing: 0,
            elapsed: Duration::from_millis(ms),
        };
        assert_eq!(b(10, 4000).per_second(), 2.5);
        assert_eq!(b(3, 500).per_second(), 6.0);
        assert_eq!(b(10, 0).per_second(), 0.0);
    }
}
