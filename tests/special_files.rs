//! Paths that are not plain, readable plan files: pipes, devices, huge files and old-Mac line
//! ends. Each is refused with a message and exit 2, and nothing waits for ever or reads without
//! end.

mod common;

use std::path::Path;
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
