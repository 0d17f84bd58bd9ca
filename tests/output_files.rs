//! Files `plan` writes — `report -o` and `plan init` — are written whole or not at all: a write
//! that fails part-way (a full disk) leaves no partial file, and an existing file as it was
//! (docs/security.md, "Output files").

mod common;

use std::path::Path;

use common::{Store, fixture, plan, run};

const AS_OF: &str = "2016-12-31";

fn names_in(folder: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(folder)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

/// The binary run as `args` in a process that may not write files longer than `blocks` × 512
/// bytes: a write beyond that fails with "File too large", part-way, as a write to a full disk
/// fails with "No space left on device". `ulimit -f` counts 512-byte blocks in every POSIX shell,
/// and ignoring SIGXFSZ turns the signal the kernel would send into that error.
#[cfg(unix)]
fn with_file_size_limit(blocks: u32, args: &[&std::ffi::OsStr]) -> common::Run {
    let mut cmd = assert_cmd::Command::new("/bin/sh");
    cmd.current_dir(env!("CARGO_MANIFEST_DIR"))
        .env_clear()
        .env("NO_COLOR", "1")
        .args(["-c", "trap '' XFSZ; ulimit -f \"$0\" && exec \"$@\""])
        .arg(blocks.to_string())
        .arg(env!("CARGO_BIN_EXE_plan"))
        .args(args);
    run(&mut cmd)
}

/// A plan whose monthly report is long: every action overdue, each with a long title.
fn long_plan(folder: &Path) -> std::path::PathBuf {
    let mut text = String::from(
        "[plan]\nid = \"long\"\ntitle = \"Long plan\"\norganisation = \"Council\"\n\
         start = 2016-01-01\ntarget = 2018-01-01\n\n[[owners]]\nid = \"dcs\"\nname = \"Dana Cole\"\n\n\
         [[priorities]]\nid = \"P1\"\ntitle = \"Everything\"\n",
    );
    for n in 1..=800 {
        text.push_str(&format!(
            "\n[[actions]]\nid = \"A{n}\"\npriority = \"P1\"\nowner = \"dcs\"\ndue = 2016-06-30\n\
             title = \"Action {n}: review every child's plan against the threshold document\"\n"
        ));
    }
    let path = folder.join("long.toml");
    std::fs::write(&path, text).unwrap();
    path
}

#[cfg(unix)]
#[test]
fn a_report_that_cannot_be_written_whole_leaves_no_partial_file() {
    const LIMIT_BLOCKS: u32 = 256;
    let store = Store::new();
    let plans = tempfile::tempdir().unwrap();
    let plan_file = long_plan(plans.path());
    let out = tempfile::tempdir().unwrap();
    let report = out.path().join("board.html");
    let report_args = |path: &Path| {
        let mut args: Vec<std::ffi::OsString> = vec!["--db".into(), store.path().into_os_string()];
        args.extend(["--plans".into(), plan_file.clone().into_os_string()]);
        args.extend(["--as-of", AS_OF, "report", "--month", "2016-07", "-o"].map(Into::into));
        args.push(path.into());
        args
    };

    // Written without a limit, the report is much longer than the limit; this also syncs the
    // store, so the limited run below has nothing else to write.
    let whole = out.path().join("whole.html");
    let first = run(plan().args(report_args(&whole)));
    assert_eq!(first.code, 0, "{}", first.stderr);
    let length = std::fs::metadata(&whole).unwrap().len();
    assert!(length > 2 * 512 * u64::from(LIMIT_BLOCKS), "{length} bytes");
    std::fs::remove_file(&whole).unwrap();

    let args = report_args(&report);
    let args: Vec<&std::ffi::OsStr> = args.iter().map(|a| a.as_os_str()).collect();
    let failed = with_file_size_limit(LIMIT_BLOCKS, &args);
    assert_eq!(failed.code, 3, "{}", failed.stderr);
    assert!(
        failed
            .stderr
            .contains(&format!("cannot write {}", report.display())),
        "{}",
        failed.stderr
    );
    assert_eq!(
        names_in(out.path()),
        Vec::<String>::new(),
        "no file, no temporary file"
    );

    // An earlier report stays as it was.
    std::fs::write(&report, "last month's report").unwrap();
    let failed = with_file_size_limit(LIMIT_BLOCKS, &args);
    assert_eq!(failed.code, 3, "{}", failed.stderr);
    assert_eq!(
        std::fs::read_to_string(&report).unwrap(),
        "last month's report"
    );
    assert_eq!(names_in(out.path()), ["board.html"]);
}

#[cfg(unix)]
#[test]
fn init_on_a_full_disk_leaves_no_empty_plan_and_a_retry_succeeds() {
    let dir = tempfile::tempdir().unwrap();
    let failed = with_file_size_limit(1, &["init".as_ref(), dir.path().as_os_str()]);
    assert_eq!(failed.code, 3, "{}", failed.stderr);
    assert!(failed.stderr.contains("cannot write"), "{}", failed.stderr);
    assert_eq!(names_in(dir.path()), Vec::<String>::new());

    let retried = run(plan().arg("init").arg(dir.path()));
    assert_eq!(retried.code, 0, "{}", retried.stderr);
    assert_eq!(names_in(dir.path()), ["improvement-plan.toml"]);
    let check = run(plan().args(["check", "--strict"]).arg(dir.path()));
    assert_eq!((check.code, check.stderr.as_str()), (0, ""));
}

#[test]
fn a_report_replaces_an_older_one_in_place() {
    let store = Store::new();
    let out = tempfile::tempdir().unwrap();
    std::fs::write(
        out.path().join("r.md"),
        "an older, longer report than this one will be\n".repeat(200),
    )
    .unwrap();
    // A path naming no folder: the temporary file goes in the current one, beside the report.
    let written = run(store
        .plan(&fixture("plans/small.toml"), AS_OF)
        .current_dir(out.path())
        .args(["report", "--month", "2016-07", "-o", "r.md"]));
    assert_eq!(written.code, 0, "{}", written.stderr);
    let text = std::fs::read_to_string(out.path().join("r.md")).unwrap();
    assert!(text.starts_with("# Small Improvement Plan"), "{text}");
    assert!(!text.contains("older"), "{text}");
    assert_eq!(names_in(out.path()), ["r.md"]);
}

#[cfg(unix)]
#[test]
fn a_report_is_not_written_through_a_symbolic_link() {
    let store = Store::new();
    let out = tempfile::tempdir().unwrap();
    let target = out.path().join("elsewhere.txt");
    let link = out.path().join("report.md");
    std::fs::write(&target, "not a report").unwrap();
    std::os::unix::fs::symlink(&target, &link).unwrap();
    let refused = run(store
        .plan(&fixture("plans/small.toml"), AS_OF)
        .args(["report", "--month", "2016-07", "-o"])
        .arg(&link));
    assert_eq!(refused.code, 2, "{}", refused.stderr);
    assert!(
        refused.stderr.contains("not a regular file"),
        "{}",
        refused.stderr
    );
    assert_eq!(std::fs::read_to_string(&target).unwrap(), "not a report");
    assert!(
        std::fs::symlink_metadata(&link)
            .unwrap()
            .file_type()
            .is_symlink()
    );
}

#[test]
fn every_file_written_with_o_is_named_on_stderr_with_its_kind_and_size() {
    let store = Store::new();
    let out = tempfile::tempdir().unwrap();
    let cases: [(&[&str], &str, &str); 3] = [
        (&["report", "--month", "2016-07", "-o"], "r.md", "Markdown"),
        (&["report", "--month", "2016-07", "-o"], "r.html", "HTML"),
        (&["export", "-o"], "board.xlsx", "Excel workbook"),
    ];
    for (args, name, kind) in cases {
        let written = run(store
            .plan(&fixture("plans/small.toml"), AS_OF)
            .current_dir(out.path())
            .args(args)
            .arg(name));
        assert_eq!(written.code, 0, "{}", written.stderr);
        let bytes = std::fs::metadata(out.path().join(name)).unwrap().len();
        let size = format!("{:.0} KB", (bytes as f64 / 1024.0).max(1.0));
        assert_eq!(written.stderr, format!("wrote {name} ({kind}, {size})\n"));
        assert!(written.stdout.is_empty(), "{}", written.stdout);
    }
}
