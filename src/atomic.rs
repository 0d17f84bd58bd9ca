//! Writing a file so that it is either wholly written or not there at all: the bytes go to a
//! temporary file in the same folder, which is flushed to disk and then renamed into place. A full
//! disk or a crash part-way leaves the old file (or no file), never a partial one
//! (docs/security.md, "Output files").

use std::fs::{self, File};
use std::io::{self, Write};
use std::path::{Path, PathBuf};

/// What to do when there is already a file at the path.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum IfExists {
    /// Replace it, keeping its permissions (and, where the system allows, its owner).
    Replace,
    /// Leave it alone and fail with [`WriteError::Exists`]. This is decided when the new file
    /// takes its name, so a file that appears in the meantime is not overwritten either.
    Refuse,
}

/// Why a file was not written. Whatever the reason, no partial file and no temporary file is
/// left behind, and a file that was there before is unchanged.
#[derive(Debug, thiserror::Error)]
pub enum WriteError {
    #[error("{} already exists", .0.display())]
    Exists(PathBuf),
    /// A symbolic link, a folder, a device or a FIFO: replacing it would not do what was meant
    /// (a link's target would be left as it was, a device would be removed), and following a
    /// link would write somewhere not named.
    #[error("{} is not a regular file (a link, a folder or a device); not replacing it", .0.display())]
    NotAFile(PathBuf),
    /// Its permissions say no one may write it: someone meant it to stay as it is.
    #[error("{} is read-only; not replacing it", .0.display())]
    ReadOnly(PathBuf),
    /// It no longer holds what was read before it was edited: someone else changed it meanwhile.
    #[error("{} changed on disk while it was being edited; nothing was written, run the command again", .0.display())]
    ChangedMeanwhile(PathBuf),
    #[error("cannot write {}", .path.display())]
    Io {
        path: PathBuf,
        #[source]
        source: io::Error,
    },
}

/// Writes `bytes` to `path` atomically: afterwards the file holds exactly `bytes`, or, when this
/// fails, whatever was at `path` before is still there, untouched.
pub fn write(path: &Path, bytes: &[u8], if_exists: IfExists) -> Result<(), WriteError> {
    write_with(path, if_exists, |file| file.write_all(bytes), || Ok(()))
}

/// Replaces the file at `path`, which held `expected` when it was read, with `bytes` — but only
/// if it still holds `expected` at the last moment before the new file takes its place, so that
/// an edit made meanwhile (by a person or another `plan`) is never lost.
pub fn replace_unless_changed(
    path: &Path,
    expected: &[u8],
    bytes: &[u8],
) -> Result<(), WriteError> {
    let unchanged = || match fs::read(path) {
        Ok(now) if now == expected => Ok(()),
        Ok(_) => Err(WriteError::ChangedMeanwhile(path.to_path_buf())),
        Err(source) => Err(WriteError::Io {
            path: path.to_path_buf(),
            source,
        }),
    };
    write_with(
        path,
        IfExists::Replace,
        |file| file.write_all(bytes),
        unchanged,
    )
}

/// [`write`], with the content written by `fill` (the seam through which tests make the writing
/// fail part-way) and `before_rename` run last, when the new content is safely on disk.
fn write_with(
    path: &Path,
    if_exists: IfExists,
    fill: impl FnOnce(&mut File) -> io::Result<()>,
    before_rename: impl FnOnce() -> Result<(), WriteError>,
) -> Result<(), WriteError> {
    let failed = |source: io::Error| WriteError::Io {
        path: path.to_path_buf(),
        source,
    };
    let existing = match fs::symlink_metadata(path) {
        Ok(_) if if_exists == IfExists::Refuse => {
            return Err(WriteError::Exists(path.to_path_buf()));
        }
        Ok(metadata) if metadata.file_type().is_file() && metadata.permissions().readonly() => {
            return Err(WriteError::ReadOnly(path.to_path_buf()));
        }
        Ok(metadata) if metadata.file_type().is_file() => {
            // Whoever may not write the file may not replace it either, even where the folder
            // would let them rename another file over it.
            fs::OpenOptions::new()
                .write(true)
                .open(path)
                .map_err(failed)?;
            Some(metadata)
        }
        Ok(_) => return Err(WriteError::NotAFile(path.to_path_buf())),
        Err(e) if e.kind() == io::ErrorKind::NotFound => None,
        Err(e) => return Err(failed(e)),
    };
    let name = path.file_name().ok_or_else(|| {
        failed(io::Error::new(
            io::ErrorKind::InvalidInput,
            "the path does not name a file",
        ))
    })?;
    let folder = match path.parent() {
        Some(parent) if !parent.as_os_str().is_empty() => parent,
        _ => Path::new("."),
    };

    // A dot-file ending in `.tmp`: hidden from people, and never taken for a plan (`*.toml`).
    let prefix = format!(".{}.", name.to_string_lossy());
    let mut builder = tempfile::Builder::new();
    builder.prefix(&prefix).suffix(".tmp");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        // What `File::create` would give (0o666 less the umask), and never more than the file
        // being replaced allows, even for the moment before its own permissions are copied.
        let mode = existing
            .as_ref()
            .map_or(0o666, |m| m.permissions().mode() & 0o7777);
        builder.permissions(fs::Permissions::from_mode(mode));
    }
    let mut temporary = builder.tempfile_in(folder).map_err(failed)?;

    fill(temporary.as_file_mut()).map_err(failed)?;
    if let Some(metadata) = &existing {
        keep_owner_and_permissions(temporary.as_file(), metadata).map_err(failed)?;
    }
    temporary.as_file().sync_all().map_err(failed)?;
    before_rename()?;

    match if_exists {
        IfExists::Replace => temporary.persist(path).map(drop),
        IfExists::Refuse => temporary.persist_noclobber(path).map(drop),
    }
    .map_err(|e| match e.error.kind() {
        io::ErrorKind::AlreadyExists => WriteError::Exists(path.to_path_buf()),
        _ => failed(e.error),
    })?;
    sync_folder(folder);
    Ok(())
}

/// Gives the new file the permissions of the one it replaces, and its owner and group where the
/// system lets us (only an administrator may give a file away; anyone may keep their group).
fn keep_owner_and_permissions(file: &File, existing: &fs::Metadata) -> io::Result<()> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        let (uid, gid) = (existing.uid(), existing.gid());
        if std::os::unix::fs::fchown(file, Some(uid), Some(gid)).is_err() {
            let _ = std::os::unix::fs::fchown(file, None, Some(gid));
        }
    }
    file.set_permissions(existing.permissions())
}

/// Makes the rename itself durable. Not every file system can flush a folder; the file is in
/// place either way, so a failure here is not reported.
fn sync_folder(folder: &Path) {
    #[cfg(unix)]
    if let Ok(folder) = File::open(folder) {
        let _ = folder.sync_all();
    }
    #[cfg(not(unix))]
    let _ = folder;
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names_in(folder: &Path) -> Vec<String> {
        let mut names: Vec<String> = fs::read_dir(folder)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        names.sort();
        names
    }

    /// Writes half of `bytes`, then fails as a full disk does.
    fn half_then_disk_full(bytes: &[u8]) -> impl FnOnce(&mut File) -> io::Result<()> + '_ {
        move |file| {
            file.write_all(&bytes[..bytes.len() / 2])?;
            Err(io::Error::other("no space left on device"))
        }
    }

    #[test]
    fn a_new_file_is_written_whole() {
        let folder = tempfile::tempdir().unwrap();
        let path = folder.path().join("report.html");
        write(&path, b"<!doctype html>", IfExists::Refuse).unwrap();
        assert_eq!(fs::read(&path).unwrap(), b"<!doctype html>");
        assert_eq!(names_in(folder.path()), ["report.html"]);
    }

    #[test]
    fn a_failed_write_leaves_no_file_behind() {
        let folder = tempfile::tempdir().unwrap();
        let path = folder.path().join("report.html");
        for if_exists in [IfExists::Replace, IfExists::Refuse] {
            let error = write_with(&path, if_exists, half_then_disk_full(b"0123456789"), || {
                Ok(())
            })
            .unwrap_err();
            assert!(matches!(error, WriteError::Io { .. }), "{error:?}");
            assert_eq!(names_in(folder.path()), Vec::<String>::new());
        }
    }

    #[test]
    fn a_failed_replacement_leaves_the_old_file_as_it_was() {
        let folder = tempfile::tempdir().unwrap();
        let path = folder.path().join("plan.toml");
        fs::write(&path, "old").unwrap();
        let error = write_with(
            &path,
            IfExists::Replace,
            half_then_disk_full(b"new text"),
            || Ok(()),
        )
        .unwrap_err();
        assert!(matches!(error, WriteError::Io { .. }), "{error:?}");
        assert_eq!(fs::read_to_string(&path).unwrap(), "old");
        assert_eq!(names_in(folder.path()), ["plan.toml"]);
    }

    #[test]
    fn refusing_leaves_an_existing_file_alone() {
        let folder = tempfile::tempdir().unwrap();
        let path = folder.path().join("improvement-plan.toml");
        fs::write(&path, "# my own work\n").unwrap();
        let error = write(&path, b"starter", IfExists::Refuse).unwrap_err();
        assert!(matches!(error, WriteError::Exists(_)), "{error:?}");
        assert_eq!(fs::read_to_string(&path).unwrap(), "# my own work\n");
        assert_eq!(names_in(folder.path()), ["improvement-plan.toml"]);
    }

    #[test]
    fn replacing_writes_the_new_content() {
        let folder = tempfile::tempdir().unwrap();
        let path = folder.path().join("plan.toml");
        fs::write(&path, "old and longer").unwrap();
        write(&path, b"new", IfExists::Replace).unwrap();
        assert_eq!(fs::read_to_string(&path).unwrap(), "new");
        assert_eq!(names_in(folder.path()), ["plan.toml"]);
    }

    #[cfg(unix)]
    #[test]
    fn replacing_keeps_the_permissions() {
        use std::os::unix::fs::PermissionsExt;
        let folder = tempfile::tempdir().unwrap();
        let path = folder.path().join("plan.toml");
        fs::write(&path, "old").unwrap();
        fs::set_permissions(&path, fs::Permissions::from_mode(0o640)).unwrap();
        write(&path, b"new", IfExists::Replace).unwrap();
        let mode = fs::metadata(&path).unwrap().permissions().mode() & 0o7777;
        assert_eq!(mode, 0o640);
    }

    #[cfg(unix)]
    #[test]
    fn a_new_file_gets_the_usual_permissions_not_a_temporary_files() {
        use std::os::unix::fs::PermissionsExt;
        let folder = tempfile::tempdir().unwrap();
        let ours = folder.path().join("ours.html");
        let usual = folder.path().join("usual.html");
        write(&ours, b"x", IfExists::Replace).unwrap();
        fs::write(&usual, b"x").unwrap();
        let mode = |p: &Path| fs::metadata(p).unwrap().permissions().mode() & 0o7777;
        assert_eq!(mode(&ours), mode(&usual));
    }

    #[cfg(unix)]
    #[test]
    fn a_symbolic_link_is_neither_followed_nor_replaced() {
        let folder = tempfile::tempdir().unwrap();
        let target = folder.path().join("target.toml");
        let link = folder.path().join("link.toml");
        fs::write(&target, "target").unwrap();
        std::os::unix::fs::symlink(&target, &link).unwrap();
        let error = write(&link, b"new", IfExists::Replace).unwrap_err();
        assert!(matches!(error, WriteError::NotAFile(_)), "{error:?}");
        assert!(
            fs::symlink_metadata(&link)
                .unwrap()
                .file_type()
                .is_symlink()
        );
        assert_eq!(fs::read_to_string(&target).unwrap(), "target");
        let error = write(&link, b"new", IfExists::Refuse).unwrap_err();
        assert!(matches!(error, WriteError::Exists(_)), "{error:?}");
    }

    #[test]
    fn a_file_changed_since_it_was_read_is_not_replaced() {
        let folder = tempfile::tempdir().unwrap();
        let path = folder.path().join("plan.toml");
        fs::write(&path, "edited by someone else").unwrap();
        let error = replace_unless_changed(&path, b"old", b"new").unwrap_err();
        assert!(
            matches!(error, WriteError::ChangedMeanwhile(_)),
            "{error:?}"
        );
        assert_eq!(fs::read_to_string(&path).unwrap(), "edited by someone else");
        assert_eq!(names_in(folder.path()), ["plan.toml"]);
        replace_unless_changed(&path, b"edited by someone else", b"new").unwrap();
        assert_eq!(fs::read_to_string(&path).unwrap(), "new");
    }

    #[cfg(unix)]
    #[test]
    fn a_read_only_file_is_not_replaced() {
        use std::os::unix::fs::PermissionsExt;
        let folder = tempfile::tempdir().unwrap();
        let path = folder.path().join("plan.toml");
        fs::write(&path, "old").unwrap();
        fs::set_permissions(&path, fs::Permissions::from_mode(0o444)).unwrap();
        let error = write(&path, b"new", IfExists::Replace).unwrap_err();
        assert!(matches!(error, WriteError::ReadOnly(_)), "{error:?}");
        assert_eq!(fs::read_to_string(&path).unwrap(), "old");
    }

    #[test]
    fn a_folder_is_not_replaced() {
        let folder = tempfile::tempdir().unwrap();
        let error = write(folder.path(), b"x", IfExists::Replace).unwrap_err();
        assert!(matches!(error, WriteError::NotAFile(_)), "{error:?}");
    }
}
