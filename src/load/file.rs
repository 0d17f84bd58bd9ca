//! Reading plan files from disk. Only regular files are read, and only up to a size no plan comes
//! near, so that a path naming a pipe, a device or a runaway file is refused with a message instead
//! of hanging the command or exhausting memory.

use std::fs::{File, FileType};
use std::io::{self, Read};
use std::path::Path;

/// The largest plan file read. The largest file of the national benchmark is under half a
/// megabyte and a plan of 20,000 actions with years of updates is 28 MB (docs/performance.md);
/// parsing holds a few times the file's size in memory.
pub const MAX_FILE_BYTES: u64 = 64 * 1024 * 1024;

/// The bytes of the plan file at `path`, or why they cannot be read, as a diagnostic says it.
pub fn read_plan_file(path: &Path) -> Result<Vec<u8>, String> {
    read_input(path).map_err(|why| match why {
        Unreadable::TooLarge(bytes) => format!(
            "the file is too large: {bytes} bytes, over the limit of {} MiB for a plan file",
            MAX_FILE_BYTES / (1024 * 1024)
        ),
        other => format!("cannot read the file: {other}"),
    })
}

/// Why a file was not read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Unreadable {
    /// The system's reason, in words: "permission denied".
    Io(String),
    /// A folder, a pipe, a device: what it is.
    NotRegular(&'static str),
    /// Its size in bytes, over `MAX_FILE_BYTES`.
    TooLarge(u64),
}

impl std::fmt::Display for Unreadable {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Unreadable::Io(reason) => f.write_str(reason),
            Unreadable::NotRegular(what) => f.write_str(what),
            Unreadable::TooLarge(bytes) => write!(
                f,
                "it is too large: {bytes} bytes, over the limit of {} MiB",
                MAX_FILE_BYTES / (1024 * 1024)
            ),
        }
    }
}

/// The bytes of a file given as input (a plan, a scorecard, a tracker): a regular file only, up
/// to `MAX_FILE_BYTES`, so that a pipe, a device or a runaway file is refused, not waited on.
pub fn read_input(path: &Path) -> Result<Vec<u8>, Unreadable> {
    let io = |e: io::Error| Unreadable::Io(io_reason(&e));
    let file = open(path).map_err(io)?;
    // The opened handle is checked, not the path, so that what is read is what was checked.
    let metadata = file.metadata().map_err(io)?;
    if !metadata.is_file() {
        return Err(Unreadable::NotRegular(not_regular(metadata.file_type())));
    }
    if metadata.len() > MAX_FILE_BYTES {
        return Err(Unreadable::TooLarge(metadata.len()));
    }
    let mut bytes = Vec::with_capacity(usize::try_from(metadata.len()).unwrap_or(0));
    // Bounded even so: the file may grow while it is read.
    file.take(MAX_FILE_BYTES + 1)
        .read_to_end(&mut bytes)
        .map_err(io)?;
    if bytes.len() as u64 > MAX_FILE_BYTES {
        return Err(Unreadable::TooLarge(bytes.len() as u64));
    }
    Ok(bytes)
}

/// Opens for reading without waiting: opening a named pipe otherwise blocks until something
/// writes to it, perhaps for ever. For a regular file the flag changes nothing; anything else is
/// refused before it is read. Nor may a terminal device become the process's controlling terminal.
#[cfg(unix)]
fn open(path: &Path) -> io::Result<File> {
    use std::os::unix::fs::OpenOptionsExt;
    std::fs::OpenOptions::new()
        .read(true)
        .custom_flags(libc::O_NONBLOCK | libc::O_NOCTTY)
        .open(path)
}

#[cfg(not(unix))]
fn open(path: &Path) -> io::Result<File> {
    File::open(path)
}

/// What a path that is not a regular file is, for the message that refuses it.
fn not_regular(kind: FileType) -> &'static str {
    if kind.is_dir() {
        return "it is a folder";
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        if kind.is_fifo() {
            return "it is a named pipe (FIFO), not a regular file";
        }
        if kind.is_char_device() || kind.is_block_device() {
            return "it is a device, not a regular file";
        }
        if kind.is_socket() {
            return "it is a socket, not a regular file";
        }
    }
    "it is not a regular file"
}

/// The reason an operation on a file failed, in the words of a message: "permission denied".
pub fn io_reason(e: &io::Error) -> String {
    match e.kind() {
        io::ErrorKind::NotFound => "no such file or folder".to_string(),
        io::ErrorKind::PermissionDenied => "permission denied".to_string(),
        io::ErrorKind::IsADirectory => "it is a folder".to_string(),
        _ => {
            // The system's own words, without the error number: "too many levels of symbolic links".
            let text = e.to_string();
            let text = text.split(" (os error").next().unwrap_or(&text);
            let mut chars = text.chars();
            chars.next().map_or_else(String::new, |first| {
                first.to_lowercase().chain(chars).collect()
            })
        }
    }
}
