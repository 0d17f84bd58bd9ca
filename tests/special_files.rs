//! Paths that are not plain, readable plan files: pipes, devices, huge files, unreadable folders,
//! links that go nowhere, and old-Mac line ends. Each is refused with a message and exit 2, the
//! store is left as it was, and nothing waits for ever or reads without end.

mod common;

use std::ffi::OsString;
use std::path::{Path, PathBuf};
use std::time::Duration;

use common::{Run, Store, fixture, plan, run};

/// Long enough for any real run; a command that waits on a pipe is killed, and the test fails,
/// instead of hanging the suite.
const HANG_GUARD: Duration = Duration::from_secs(60);

fn assert_refused(out: &Run, message: &str) {
    assert_eq!(
        out.code, 2,
        "stdout: {}\nstderr: {}",
        out.stdout, out.stderr
    );
    assert!(out.stderr.contains(message), "{}", out.stderr);
}

fn make_fifo(path: &Path) {
    let made = std::process::Command::new("mkfifo")
        .arg(path)
        .status()
        .expect("mkfifo runs");
    assert!(made.success());
}

/// A folder with one valid plan, imported into `store`.
fn imported_plans(store: &Store) -> PathBuf {
    let plans = store.dir.path().join("plans");
    std::fs::create_dir(&plans).unwrap();
    std::fs::copy(fixture("plans/small.toml"), plans.join("small.toml")).unwrap();
    let out = run(store.plan(&plans, "2016-06-30").arg("import"));
    assert_eq!(out.code, 0, "{}", out.stderr);
    plans
}

fn audit_events(store: &Store) -> Vec<String> {
    let conn = rusqlite::Connection::open(store.path()).unwrap();
    let mut stmt = conn.prepare("SELECT event FROM audit ORDER BY id").unwrap();
    stmt.query_map([], |r| r.get(0))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap()
}

#[test]
fn a_named_pipe_given_as_the_plan_path_is_refused_not_waited_on() {
    let store = Store::new();
    let fifo = store.dir.path().join("plan.toml");
    make_fifo(&fifo);
    let message = "cannot read the file: it is a named pipe (FIFO), not a regular file";
    for command in ["check", "status", "import"] {
        let out = run(store
            .plan(&fifo, "2016-06-30")
            .arg(command)
            .timeout(HANG_GUARD));
        assert_refused(&out, message);
    }
}

#[test]
fn a_device_is_refused_before_it_is_read() {
    let out = run(plan().args(["check", "/dev/zero"]).timeout(HANG_GUARD));
    assert_refused(
        &out,
        "cannot read the file: it is a device, not a regular file",
    );
}

#[test]
fn a_file_over_64_mib_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("huge.toml");
    // Sparse: no 64 MiB is written.
    let file = std::fs::File::create(&path).unwrap();
    file.set_len(64 * 1024 * 1024 + 1).unwrap();
    let out = run(plan().arg("check").arg(&path));
    assert_refused(
        &out,
        "the file is too large: 67108865 bytes, over the limit of 64 MiB for a plan file",
    );
}

#[test]
fn a_file_with_old_mac_line_ends_is_refused_for_what_it_is() {
    let dir = tempfile::tempdir().unwrap();
    let valid = std::fs::read_to_string(fixture("check/valid.toml")).unwrap();
    let message = "the file uses bare carriage returns (CR) as line ends; TOML needs LF or CRLF";
    // One starting with a comment was said to be empty: the comment seemed to run to the end.
    for (name, text) in [
        ("plain.toml", valid.replace('\n', "\r")),
        (
            "commented.toml",
            format!("# The plan\n{valid}").replace('\n', "\r"),
        ),
    ] {
        let path = dir.path().join(name);
        std::fs::write(&path, text).unwrap();
        let out = run(plan().args(["check", "--format", "github"]).arg(&path));
        assert_eq!(out.code, 2, "{}", out.stderr);
        assert_eq!(
            out.stdout,
            format!(
                "::error file={}::{message}: save it with Unix (LF) or Windows (CRLF) line ends\n",
                path.display()
            )
        );
    }
}

#[test]
fn a_stray_carriage_return_is_located() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("stray.toml");
    let text = std::fs::read_to_string(fixture("check/valid.toml"))
        .unwrap()
        .replacen("[plan]\n", "[plan]\n# a stray\rcarriage return\n", 1);
    std::fs::write(&path, &text).unwrap();
    let out = run(plan().args(["check", "--format", "github"]).arg(&path));
    assert_eq!(out.code, 2, "{}", out.stderr);
    assert!(
        out.stdout
            .contains(",line=2,col=10::TOML syntax: carriage return must be followed by newline"),
        "{}",
        out.stdout
    );
}

#[test]
fn a_named_pipe_in_a_plans_folder_is_reported_and_the_store_kept() {
    let store = Store::new();
    let plans = imported_plans(&store);
    let before = std::fs::read(store.path()).unwrap();
    make_fifo(&plans.join("pipe.toml"));
    let message = "cannot read the file: it is a named pipe (FIFO), not a regular file";
    let check = run(plan().arg("check").arg(&plans).timeout(HANG_GUARD));
    assert_refused(&check, message);
    assert!(check.stderr.contains("pipe.toml"), "{}", check.stderr);
    for command in ["import", "status"] {
        let out = run(store
            .plan(&plans, "2016-06-30")
            .arg(command)
            .timeout(HANG_GUARD));
        assert_refused(&out, message);
    }
    assert_eq!(std::fs::read(store.path()).unwrap(), before);
    assert_eq!(audit_events(&store), ["added"]);
}

#[cfg(unix)]
#[test]
fn links_named_toml_that_lead_nowhere_are_reported() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::copy(fixture("check/valid.toml"), dir.path().join("valid.toml")).unwrap();
    std::os::unix::fs::symlink("loop.toml", dir.path().join("loop.toml")).unwrap();
    std::os::unix::fs::symlink("gone", dir.path().join("dangling.toml")).unwrap();
    let out = run(plan()
        .current_dir(dir.path())
        .args(["check", "--format", "github", "."]));
    assert_eq!(out.code, 2, "{}", out.stderr);
    assert_eq!(
        out.stdout,
        "::error file=./dangling.toml::cannot read the file: no such file or folder\n\
         ::error file=./loop.toml::cannot read the file: too many levels of symbolic links\n"
    );
}

#[test]
fn a_folder_named_toml_or_a_link_to_one_is_passed_over() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::copy(fixture("check/valid.toml"), dir.path().join("valid.toml")).unwrap();
    std::fs::create_dir(dir.path().join("archive.toml")).unwrap();
    #[cfg(unix)]
    std::os::unix::fs::symlink("archive.toml", dir.path().join("linked.toml")).unwrap();
    let out = run(plan().arg("check").arg(dir.path()));
    assert_eq!((out.code, out.stderr.as_str()), (0, ""));
}

/// Runs `plan` with these arguments as a user whom file permissions bind. Root reads a folder of
/// mode 000 regardless, through two capabilities; they are dropped for the child, so that it meets
/// the permissions as any other user would. `None` when that cannot be arranged here.
#[cfg(target_os = "linux")]
fn run_bound_by_permissions(args: &[OsString], unreadable: &Path) -> Option<Run> {
    use std::os::unix::process::CommandExt;
    let mut cmd = std::process::Command::new(env!("CARGO_BIN_EXE_plan"));
    cmd.current_dir(env!("CARGO_MANIFEST_DIR"))
        .env_clear()
        .env("NO_COLOR", "1")
        .env("COLUMNS", "120")
        .args(args);
    let permissions_bypassed = if unreadable.is_dir() {
        std::fs::read_dir(unreadable).is_ok()
    } else {
        std::fs::File::open(unreadable).is_ok()
    };
    if permissions_bypassed {
        // The capabilities, as numbered in linux/capability.h.
        const CAP_DAC_OVERRIDE: libc::c_ulong = 1;
        const CAP_DAC_READ_SEARCH: libc::c_ulong = 2;
        // SAFETY: prctl is async-signal-safe, and the closure touches no memory of the parent.
        unsafe {
            cmd.pre_exec(|| {
                for cap in [CAP_DAC_OVERRIDE, CAP_DAC_READ_SEARCH] {
                    if libc::prctl(libc::PR_CAPBSET_DROP, cap, 0, 0, 0) != 0 {
                        return Err(std::io::Error::last_os_error());
                    }
                }
                Ok(())
            });
        }
    }
    match cmd.output() {
        Ok(output) => Some(Run {
            code: output.status.code().expect("the process exited"),
            stdout: String::from_utf8(output.stdout).unwrap(),
            stderr: String::from_utf8(output.stderr).unwrap(),
        }),
        Err(e) => {
            eprintln!(
                "skipped: cannot run plan without the capability to read any folder ({e}); \
                 an unreadable folder cannot be made for it here"
            );
            None
        }
    }
}

#[cfg(target_os = "linux")]
#[test]
fn an_unreadable_plans_folder_is_an_error_not_an_empty_folder() {
    use std::os::unix::fs::PermissionsExt;
    let store = Store::new();
    let plans = imported_plans(&store);
    let before = std::fs::read(store.path()).unwrap();
    std::fs::set_permissions(&plans, std::fs::Permissions::from_mode(0o000)).unwrap();
    let outcomes: Vec<Option<Run>> = ["import", "status", "check"]
        .into_iter()
        .map(|command| {
            let args = [
                "--db".into(),
                store.path().into(),
                "--plans".into(),
                plans.clone().into(),
                "--as-of".into(),
                "2016-06-30".into(),
                command.into(),
            ];
            run_bound_by_permissions(&args, &plans)
        })
        .collect();
    std::fs::set_permissions(&plans, std::fs::Permissions::from_mode(0o755)).unwrap();
    for out in outcomes.into_iter().flatten() {
        assert_refused(&out, "cannot read the folder: permission denied");
    }
    assert_eq!(std::fs::read(store.path()).unwrap(), before);
    assert_eq!(audit_events(&store), ["added"]);
    // Readable again, the folder is as it was: nothing to record.
    let again = run(store.plan(&plans, "2016-06-30").arg("import"));
    assert_eq!(again.stdout, "0 files changed, 1 up to date\n");
}

#[cfg(target_os = "linux")]
#[test]
fn an_unreadable_plan_file_in_a_folder_is_reported() {
    use std::os::unix::fs::PermissionsExt;
    let store = Store::new();
    let plans = imported_plans(&store);
    let file = plans.join("small.toml");
    // Edited, so that the sync reads the file rather than trusting the store.
    let mut text = std::fs::read_to_string(&file).unwrap();
    text.push_str("# edited\n");
    std::fs::write(&file, text).unwrap();
    std::fs::set_permissions(&file, std::fs::Permissions::from_mode(0o000)).unwrap();
    let args = [
        "--db".into(),
        store.path().into(),
        "--plans".into(),
        plans.clone().into(),
        "import".into(),
    ];
    let out = run_bound_by_permissions(&args, &file);
    std::fs::set_permissions(&file, std::fs::Permissions::from_mode(0o644)).unwrap();
    if let Some(out) = out {
        assert_refused(&out, "cannot read the file: permission denied");
    }
    assert_eq!(audit_events(&store), ["added"]);
}

#[cfg(target_os = "linux")]
#[test]
fn a_store_in_a_folder_that_cannot_be_written_says_why_and_where_else() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap();
    let locked = dir.path().join("locked");
    std::fs::create_dir(&locked).unwrap();
    std::fs::set_permissions(&locked, std::fs::Permissions::from_mode(0o000)).unwrap();
    let db = locked.join("plan.db");
    let args = [
        "--db".into(),
        db.clone().into(),
        "--plans".into(),
        fixture("plans/small.toml").into(),
        "--as-of".into(),
        "2016-06-30".into(),
        "status".into(),
    ];
    let out = run_bound_by_permissions(&args, &locked);
    std::fs::set_permissions(&locked, std::fs::Permissions::from_mode(0o755)).unwrap();
    if let Some(out) = out {
        assert_eq!(out.code, 3, "{}", out.stderr);
        assert_eq!(
            out.stderr,
            format!(
                "error: cannot create the store {}: permission denied\n\
                 help: keep the store in a folder you can write to, with `--db PATH` or the \
                 PLAN_DB environment variable\n",
                db.display()
            )
        );
    }
}

/// `plan status` of the store, with its folder read-only for the command's run; `None` where
/// permissions cannot be made to bind.
#[cfg(target_os = "linux")]
fn status_in_read_only_folder(store: &Store, plans: PathBuf) -> Option<Run> {
    use std::os::unix::fs::PermissionsExt;
    let folder = store.dir.path();
    std::fs::set_permissions(folder, std::fs::Permissions::from_mode(0o555)).unwrap();
    let args = [
        "--db".into(),
        store.path().into(),
        "--plans".into(),
        plans.into(),
        "--as-of".into(),
        "2016-06-30".into(),
        "status".into(),
    ];
    let out = run_bound_by_permissions(&args, folder);
    std::fs::set_permissions(folder, std::fs::Permissions::from_mode(0o755)).unwrap();
    out
}

#[cfg(target_os = "linux")]
#[test]
fn a_store_used_before_its_folder_became_read_only_can_still_be_read() {
    let store = Store::new();
    let plans = imported_plans(&store);
    // The write-ahead log and its index stay beside the store, the log empty.
    let log = std::fs::metadata(store.path().with_extension("db-wal")).unwrap();
    assert_eq!(log.len(), 0);
    assert!(store.path().with_extension("db-shm").exists());
    if let Some(out) = status_in_read_only_folder(&store, plans) {
        assert_eq!(out.code, 0, "{}", out.stderr);
        assert!(out.stdout.contains("Test Council"), "{}", out.stdout);
    }
}

/// A read-only folder does not make the store read-only: its files are still writable, and a
/// changed plan file is synced into it (docs/store.md).
#[cfg(target_os = "linux")]
#[test]
fn a_store_used_before_its_folder_became_read_only_is_still_synced() {
    let store = Store::new();
    let plans = imported_plans(&store);
    let file = plans.join("small.toml");
    let text = std::fs::read_to_string(&file).unwrap();
    std::fs::write(&file, text.replace("Test Council", "Renamed Council")).unwrap();
    if let Some(out) = status_in_read_only_folder(&store, plans) {
        assert_eq!(out.code, 0, "{}", out.stderr);
        assert!(out.stdout.contains("Renamed Council"), "{}", out.stdout);
    }
}

#[cfg(target_os = "linux")]
#[test]
fn a_store_in_a_read_only_folder_says_where_else_to_keep_it() {
    let store = Store::new();
    let plans = imported_plans(&store);
    // As a store copied on its own into a read-only folder: no log or index beside it.
    for beside in ["db-wal", "db-shm"] {
        std::fs::remove_file(store.path().with_extension(beside)).unwrap();
    }
    if let Some(out) = status_in_read_only_folder(&store, plans) {
        assert_eq!(out.code, 3, "{}", out.stderr);
        assert_eq!(
            out.stderr,
            format!(
                "error: the store {} cannot be used: its folder {} is read-only, and the store's \
                 write-ahead log (files ending -wal and -shm) must be beside it even to read it; \
                 make the folder writable, or copy the store into one that is and name the copy \
                 with `--db PATH` or the PLAN_DB environment variable\n",
                store.path().display(),
                store.dir.path().display()
            )
        );
    }
}
