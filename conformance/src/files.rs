//! Bounded reads of every file the conformance tools read (`conformance run`, `bench`,
//! `regen`, and the suite checks): issue 12, "a bound on every output and every read";
//! `spec/protocol.md`, "Limits", states the same numbers.
//!
//! Each kind of file has a limit, defined once here. A file is read through
//! [`Read::take`] with the limit plus one byte, so a larger file is refused after reading
//! at most one byte more than the limit, whatever its size (`--xfail /dev/zero` once
//! grew to 6 GB in 20 seconds). Only regular files (or symbolic links to one) are read: a
//! folder, a device (`/dev/zero`), a FIFO or a socket is refused with a message, never
//! read, and never opened in a way that could block (a FIFO is checked before it is
//! opened, and opened with `O_NONBLOCK` in case it was swapped in meanwhile). Folders are
//! listed up to [`MAX_FOLDER_ENTRIES`] entries. Every error names the file; whoever prints
//! it escapes it (rule `DIAG-13`).

use std::fs::{self, File, OpenOptions};
use std::io::Read;
use std::path::{Path, PathBuf};

const MIB: u64 = 1024 * 1024;

/// The largest case file, in bytes (8 MiB): a case of the suite or of a folder written by
/// `conformance gen`. The largest case of `spec/vectors/` is about 260 KB (a 1 MiB
/// manifest written as `manifest_parts`, rule `LIM-1`).
pub const MAX_CASE_FILE_BYTES: u64 = 8 * MIB;

/// The largest expected-failures file (`--xfail`), in bytes (1 MiB): some 10,000 lines of
/// an id and a reason. The longest one in this repository has 70 lines.
pub const MAX_XFAIL_FILE_BYTES: u64 = MIB;

/// The largest `retired.json` of a suite, in bytes (16 MiB): room for every id of a
/// suite of [`MAX_SUITE_CASES`] cases, with a reason each.
pub const MAX_RETIRED_FILE_BYTES: u64 = 16 * MIB;

/// The largest spec page (`spec/*.md`) read for the rule IDs and decisions a case may
/// name, in bytes (4 MiB; the largest page, `decisions.md`, is under 100 KB).
pub const MAX_SPEC_FILE_BYTES: u64 = 4 * MIB;

/// The largest `index.json` read for a suite's identity, in bytes (64 MiB: an entry is
/// under 600 bytes, so room for [`MAX_SUITE_CASES`] cases; the curated index is about 200 KB).
pub const MAX_SUITE_INDEX_BYTES: u64 = 64 * MIB;

/// The largest `case.schema.json` or `report.schema.json` read for a suite's identity, in
/// bytes (1 MiB; the published ones are about 20 KB and 5 KB).
pub const MAX_CASE_SCHEMA_BYTES: u64 = MIB;

/// Most bytes the spec pages (`spec/*.md`) hold together when `conformance pack` reads
/// them into the suite's archive (each is also at most [`MAX_SPEC_FILE_BYTES`]).
pub const MAX_SPEC_PAGES_BYTES: u64 = 64 * MIB;

/// The most case files a suite folder may hold (100,000; `spec/vectors/` holds about 540).
pub const MAX_SUITE_CASES: usize = 100_000;

/// The most bytes all the case files of a suite may hold together (256 MiB;
/// `spec/vectors/` holds under 2 MiB).
pub const MAX_SUITE_BYTES: u64 = 256 * MIB;

/// The most entries a folder the tools list may hold (100,000): the suite folder, each
/// capability folder, the spec folder. More is an error, found after reading one entry
/// more than the limit.
pub const MAX_FOLDER_ENTRIES: usize = 100_000;

/// What a path is, in words, for a refusal (`a folder`, `a device`, ...).
fn kind_of(meta: &fs::Metadata) -> &'static str {
    let t = meta.file_type();
    if t.is_dir() {
        return "a folder";
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        if t.is_char_device() || t.is_block_device() {
            return "a device";
        }
        if t.is_fifo() {
            return "a FIFO (named pipe)";
        }
        if t.is_socket() {
            return "a socket";
        }
    }
    "not a regular file"
}

/// Opens `path` for reading when it is a regular file, without blocking on a FIFO.
fn open_regular(path: &Path) -> Result<File, String> {
    let shown = path.display();
    let meta = fs::metadata(path).map_err(|e| format!("{shown}: {e}"))?;
    if !meta.is_file() {
        return Err(format!(
            "{shown}: {}, not a regular file: not read",
            kind_of(&meta)
        ));
    }
    let mut options = OpenOptions::new();
    options.read(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        // A FIFO swapped in after the check above must not block the open. The flag
        // changes nothing for a regular file.
        options.custom_flags(rustix::fs::OFlags::NONBLOCK.bits() as i32);
    }
    let file = options.open(path).map_err(|e| format!("{shown}: {e}"))?;
    let meta = file.metadata().map_err(|e| format!("{shown}: {e}"))?;
    if !meta.is_file() {
        return Err(format!(
            "{shown}: {}, not a regular file: not read",
            kind_of(&meta)
        ));
    }
    Ok(file)
}

/// Reads the regular file `path`, refusing it when it holds more than `limit` bytes (at
/// most `limit + 1` bytes are read).
///
/// # Errors
/// A message naming the file: it cannot be read, it is not a regular file, or it is
/// larger than `limit`.
pub fn read_bytes(path: &Path, limit: u64) -> Result<Vec<u8>, String> {
    let file = open_regular(path)?;
    let mut buf = Vec::new();
    file.take(limit.saturating_add(1))
        .read_to_end(&mut buf)
        .map_err(|e| format!("{}: {e}", path.display()))?;
    if buf.len() as u64 > limit {
        return Err(format!(
            "{}: larger than the limit of {limit} bytes: not read",
            path.display()
        ));
    }
    Ok(buf)
}

/// [`read_bytes`], as UTF-8 text.
///
/// # Errors
/// As [`read_bytes`], and when the file is not UTF-8.
pub fn read_text(path: &Path, limit: u64) -> Result<String, String> {
    String::from_utf8(read_bytes(path, limit)?)
        .map_err(|e| format!("{}: not UTF-8 ({e})", path.display()))
}

/// True when `path` is a regular file whose bytes are exactly `bytes`; reads at most
/// `bytes.len() + 1` bytes (`conformance regen` compares what it would write with what is
/// there, so the limit is the size of what it would write).
pub(crate) fn same_content(path: &Path, bytes: &[u8]) -> bool {
    read_bytes(path, bytes.len() as u64).is_ok_and(|old| old == bytes)
}

/// The entries of the folder `path`, sorted, at most `limit` of them.
///
/// # Errors
/// A message naming the folder: it cannot be listed, or it has more than `limit` entries
/// (at most `limit + 1` are read).
pub(crate) fn list_folder(path: &Path, limit: usize) -> Result<Vec<PathBuf>, String> {
    let entries = fs::read_dir(path).map_err(|e| format!("{}: {e}", path.display()))?;
    let mut out = Vec::new();
    for entry in entries.take(limit.saturating_add(1)) {
        let entry = entry.map_err(|e| format!("{}: {e}", path.display()))?;
        out.push(entry.path());
    }
    if out.len() > limit {
        return Err(format!(
            "{}: more than {limit} entries: not read",
            path.display()
        ));
    }
    out.sort();
    Ok(out)
}

/// The running totals of a suite being read: case files and their bytes, each against its
/// limit ([`MAX_SUITE_CASES`], [`MAX_SUITE_BYTES`]; smaller ones in tests, where the real
/// ones are too large to reach).
#[derive(Debug)]
pub(crate) struct SuiteBudget {
    cases: usize,
    bytes: u64,
    max_cases: usize,
    max_bytes: u64,
}

impl Default for SuiteBudget {
    fn default() -> Self {
        SuiteBudget {
            cases: 0,
            bytes: 0,
            max_cases: MAX_SUITE_CASES,
            max_bytes: MAX_SUITE_BYTES,
        }
    }
}

impl SuiteBudget {
    /// A budget of at most `max_cases` case files holding at most `max_bytes` bytes.
    #[cfg(test)]
    fn with_limits(max_cases: usize, max_bytes: u64) -> Self {
        SuiteBudget {
            cases: 0,
            bytes: 0,
            max_cases,
            max_bytes,
        }
    }

    /// Reads one case file of the suite `dir` as text: at most [`MAX_CASE_FILE_BYTES`],
    /// and within what is left of the suite's budget.
    ///
    /// # Errors
    /// As [`read_text`], and when the suite's limits are passed (the message says which).
    pub(crate) fn read_case(&mut self, path: &Path) -> Result<String, String> {
        self.cases += 1;
        if self.cases > self.max_cases {
            return Err(format!(
                "{}: the suite has more than {} case files: not read",
                path.display(),
                self.max_cases
            ));
        }
        let text = read_text(path, MAX_CASE_FILE_BYTES)?;
        self.bytes += text.len() as u64;
        if self.bytes > self.max_bytes {
            return Err(format!(
                "{}: the suite's case files hold more than {} bytes together: not read",
                path.display(),
                self.max_bytes
            ));
        }
        Ok(text)
    }

    /// True once a limit of the suite was passed (reading more is pointless).
    pub(crate) fn exhausted(&self) -> bool {
        self.cases > self.max_cases || self.bytes > self.max_bytes
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn temp(name: &str) -> PathBuf {
        let dir = std::env::temp_dir().join(format!(
            "scalingo-manifest-files-{}-{name}",
            std::process::id()
        ));
        let _ = fs::remove_dir_all(&dir);
        fs::create_dir_all(&dir).unwrap();
        dir
    }

    #[test]
    fn a_file_at_the_limit_is_read_and_one_byte_more_is_refused() {
        let dir = temp("limit");
        let f = dir.join("f.txt");
        fs::write(&f, "abcd").unwrap();
        assert_eq!(read_text(&f, 4).unwrap(), "abcd");
        let e = read_text(&f, 3).unwrap_err();
        assert!(e.contains("larger than the limit of 3 bytes"), "{e}");
        assert!(e.contains("f.txt"), "{e}");
        fs::write(&f, [0xff, 0xfe]).unwrap();
        assert!(read_text(&f, 10).unwrap_err().contains("not UTF-8"));
        assert!(same_content(&f, &[0xff, 0xfe]));
        assert!(!same_content(&f, &[0xff]));
        assert!(!same_content(&dir.join("missing"), b""));
        let _ = fs::remove_dir_all(&dir);
    }

    #[test]
    fn folders_devices_and_fifos_are_refused_without_reading() {
        let dir = temp("kinds");
        let e = read_bytes(&dir, MAX_XFAIL_FILE_BYTES).unwrap_err();
        assert!(e.contains("a folder, not a regular file"), "{e}");
        #[cfg(unix)]
        {
            let e = read_bytes(Path::new("/dev/zero"), MAX_XFAIL_FILE_BYTES).unwrap_err();
            assert!(e.contains("/dev/zero: a device"), "{e}");
            let fifo = dir.join("fifo");
            let made = std::process::Command::new("mkfifo")
                .arg(&fifo)
                .status()
                .is_ok_and(|s| s.success());
            if made {
                // no writer: opening it for reading would block forever
                let e = read_bytes(&fifo, MAX_XFAIL_FILE_BYTES).unwrap_err();
                assert!(e.contains("a FIFO"), "{e}");
            }
        }
        let _ = fs::remove_dir_all(&dir);
    }

    #[test]
    fn folder_listings_are_bounded() {
        let dir = temp("listing");
        for n in 0..5 {
            fs::write(dir.join(format!("{n}.json")), "{}").unwrap();
        }
        assert_eq!(list_folder(&dir, 5).unwrap().len(), 5);
        let e = list_folder(&dir, 4).unwrap_err();
        assert!(e.contains("more than 4 entries"), "{e}");
        let _ = fs::remove_dir_all(&dir);
    }

    #[test]
    fn the_limits_are_pinned_in_bytes() {
        // `spec/protocol.md`, "Limits", states these numbers: a change must be deliberate.
        assert_eq!(MAX_CASE_FILE_BYTES, 8_388_608);
        assert_eq!(MAX_XFAIL_FILE_BYTES, 1_048_576);
        assert_eq!(MAX_RETIRED_FILE_BYTES, 16_777_216);
        assert_eq!(MAX_SPEC_FILE_BYTES, 4_194_304);
        assert_eq!(MAX_SUITE_INDEX_BYTES, 67_108_864);
        assert_eq!(MAX_CASE_SCHEMA_BYTES, 1_048_576);
        assert_eq!(MAX_SPEC_PAGES_BYTES, 67_108_864);
        assert_eq!(MAX_SUITE_CASES, 100_000);
        assert_eq!(MAX_SUITE_BYTES, 268_435_456);
        assert_eq!(MAX_FOLDER_ENTRIES, 100_000);
        let budget = SuiteBudget::default();
        assert_eq!(
            (
                budget.cases,
                budget.bytes,
                budget.max_cases,
                budget.max_bytes
            ),
            (0, 0, MAX_SUITE_CASES, MAX_SUITE_BYTES)
        );
    }

    #[test]
    fn a_case_file_at_its_limit_is_read_and_one_byte_more_is_refused() {
        let dir = temp("case-limit");
        let f = dir.join("case.json");
        let mut text = vec![b' '; usize::try_from(MAX_CASE_FILE_BYTES).unwrap()];
        fs::write(&f, &text).unwrap();
        let mut budget = SuiteBudget::default();
        assert_eq!(budget.read_case(&f).unwrap().len(), text.len());
        text.push(b' ');
        fs::write(&f, &text).unwrap();
        let e = budget.read_case(&f).unwrap_err();
        assert!(e.contains("larger than the limit of 8388608 bytes"), "{e}");
        let _ = fs::remove_dir_all(&dir);
    }

    #[test]
    fn a_suite_budget_counts_case_files_up_to_its_limit() {
        let dir = temp("budget-cases");
        let f = dir.join("case.json");
        fs::write(&f, "{}").unwrap();
        let mut budget = SuiteBudget::with_limits(2, 1000);
        assert_eq!(budget.read_case(&f).unwrap(), "{}");
        assert!(!budget.exhausted());
        assert_eq!(budget.read_case(&f).unwrap(), "{}");
        assert!(!budget.exhausted(), "at the limit, not past it");
        assert_eq!((budget.cases, budget.bytes), (2, 4));
        let e = budget.read_case(&f).unwrap_err();
        assert!(e.contains("case.json"), "{e}");
        assert!(e.contains("the suite has more than 2 case files"), "{e}");
        assert!(budget.exhausted(), "the number of cases alone exhausts it");
        assert_eq!(budget.bytes, 4, "a case file over the count is not read");
        let _ = fs::remove_dir_all(&dir);
    }

    #[test]
    fn a_suite_budget_counts_bytes_up_to_its_limit() {
        let dir = temp("budget-bytes");
        let (four, six, one) = (dir.join("4.json"), dir.join("6.json"), dir.join("1.json"));
        fs::write(&four, "abcd").unwrap();
        fs::write(&six, "efghij").unwrap();
        fs::write(&one, "k").unwrap();
        let mut budget = SuiteBudget::with_limits(1000, 10);
        assert_eq!(budget.read_case(&four).unwrap(), "abcd");
        assert_eq!(budget.read_case(&six).unwrap(), "efghij");
        assert!(!budget.exhausted(), "at the limit, not past it");
        assert_eq!((budget.cases, budget.bytes), (2, 10));
        let e = budget.read_case(&one).unwrap_err();
        assert!(e.contains("1.json"), "{e}");
        assert!(e.contains("hold more than 10 bytes together"), "{e}");
        assert!(budget.exhausted(), "the bytes alone exhaust it");
        assert_eq!((budget.cases, budget.bytes), (3, 11));
        let _ = fs::remove_dir_all(&dir);
    }
}
