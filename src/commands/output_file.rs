//! Writing a command's output file whole or not at all: the bytes go to a temporary file in the
//! same folder, flushed to disk, then renamed into place, so that nobody ever opens half a plan
//! or half a workbook. The temporary name starts with a dot and ends in `.tmp`, so that a sync
//! running meanwhile never takes it for a plan file.

use std::io::Write;
use std::path::Path;

use crate::error::{CliError, CliResult};

/// What to do when the file is already there.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Existing {
    /// Refuse (bad input, exit 2), leaving it as it was.
    Keep,
    /// Replace it.
    Replace,
}

/// Writes `contents` to `path`, creating its folder if need be.
pub fn write(path: &Path, contents: &[u8], existing: Existing) -> CliResult<()> {
    let shown = path.display().to_string();
    let failed = |e: std::io::Error| {
        CliError::Store(anyhow::Error::new(e).context(format!("cannot write {shown}")))
    };
    let refuse = || {
        CliError::input(format!(
            "{shown} already exists; not overwriting it (move it away or choose another name)"
        ))
    };
    if existing == Existing::Keep && path.exists() {
        return Err(refuse());
    }
    let folder = path
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    std::fs::create_dir_all(folder).map_err(failed)?;
    let mut temporary = tempfile::Builder::new()
        .prefix(".plan-output-")
        .suffix(".tmp")
        .tempfile_in(folder)
        .map_err(failed)?;
    temporary.write_all(contents).map_err(failed)?;
    temporary.as_file().sync_all().map_err(failed)?;
    match existing {
        // Refuses atomically if the file appeared since the check above.
        Existing::Keep => temporary.persist_noclobber(path).map_err(|e| {
            if e.error.kind() == std::io::ErrorKind::AlreadyExists {
                refuse()
            } else {
                failed(e.error)
            }
        })?,
        Existing::Replace => temporary.persist(path).map_err(|e| failed(e.error))?,
    };
    // The rename is durable once the folder is flushed; where a folder cannot be opened for
    // that, the file itself is already safe.
    if let Ok(dir) = std::fs::File::open(folder) {
        let _ = dir.sync_all();
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn never_overwrites_when_asked_to_keep() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("plan.toml");
        std::fs::write(&path, "mine").unwrap();
        let error = write(&path, b"theirs", Existing::Keep).unwrap_err();
        assert_eq!(error.exit_code(), 2);
        assert_eq!(std::fs::read_to_string(&path).unwrap(), "mine");
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1);
    }

    #[test]
    fn replaces_and_creates_folders() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("new/board.xlsx");
        write(&path, b"one", Existing::Keep).unwrap();
        write(&path, b"two", Existing::Replace).unwrap();
        assert_eq!(std::fs::read_to_string(&path).unwrap(), "two");
        assert_eq!(
            std::fs::read_dir(dir.path().join("new")).unwrap().count(),
            1
        );
    }
}
