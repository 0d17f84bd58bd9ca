//! Replacing a plan file safely: the new text is written to a temporary file beside it, flushed
//! to disk, given the file's permissions and renamed over it, and only if the file still holds
//! what was read. A reader sees the old file or the new one, never half of either.

use std::io::Write;
use std::path::Path;

#[derive(Debug, thiserror::Error)]
pub enum WriteError {
    #[error(
        "{path} changed on disk while it was being edited; nothing was written, run the command again"
    )]
    ChangedMeanwhile { path: String },
    #[error("cannot write {path}: {source}")]
    Io {
        path: String,
        source: std::io::Error,
    },
}

/// Replaces the file at `path`, which held `expected` when it was read, with `contents`.
pub fn replace(path: &Path, expected: &[u8], contents: &[u8]) -> Result<(), WriteError> {
    let io = |source: std::io::Error| WriteError::Io {
        path: path.display().to_string(),
        source,
    };
    let folder = path
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let permissions = std::fs::metadata(path).map_err(io)?.permissions();
    // The temporary name starts with a dot and does not end in .toml, so that a sync running at
    // the same time never takes it for a plan file.
    let mut temporary = tempfile::Builder::new()
        .prefix(".plan-edit-")
        .suffix(".tmp")
        .tempfile_in(folder)
        .map_err(io)?;
    temporary.write_all(contents).map_err(io)?;
    temporary.as_file().sync_all().map_err(io)?;
    std::fs::set_permissions(temporary.path(), permissions).map_err(io)?;
    if std::fs::read(path).map_err(io)? != expected {
        return Err(WriteError::ChangedMeanwhile {
            path: path.display().to_string(),
        });
    }
    temporary.persist(path).map_err(|e| io(e.error))?;
    // The rename is durable once the folder is flushed; where folders cannot be opened for that,
    // the file itself is already safe.
    if let Ok(dir) = std::fs::File::open(folder) {
        let _ = dir.sync_all();
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    #[cfg(unix)]
    fn replaces_the_file_and_keeps_its_permissions() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("plan.toml");
        std::fs::write(&path, "old").unwrap();
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o640)).unwrap();
        replace(&path, b"old", b"new").unwrap();
        assert_eq!(std::fs::read_to_string(&path).unwrap(), "new");
        let mode = std::fs::metadata(&path).unwrap().permissions().mode();
        assert_eq!(mode & 0o777, 0o640);
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1);
    }

    #[test]
    fn refuses_when_the_file_changed_since_it_was_read() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("plan.toml");
        std::fs::write(&path, "edited by someone else").unwrap();
        let error = replace(&path, b"old", b"new").unwrap_err();
        assert!(matches!(error, WriteError::ChangedMeanwhile { .. }));
        assert_eq!(
            std::fs::read_to_string(&path).unwrap(),
            "edited by someone else"
        );
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1);
    }
}
