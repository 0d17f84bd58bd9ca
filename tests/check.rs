//! `plan check`: every validation rule, located exactly, on real files.

mod common;

use common::{fixture, plan, run};

/// The GitHub annotations `plan check` prints for one fixture, and its exit code.
fn github(path: &str) -> (i32, Vec<String>) {
    let out = run(plan()
        .current_dir(fixture(""))
        .args(["check", "--format", "github", path]));
    (out.code, out.stdout.lines().map(str::to_string).collect())
}

fn assert_findings(path: &str, code: i32, expected: &[&str]) {
    let (actual_code, lines) = github(path);
    assert_eq!(lines, expected, "findings for {path}");
    assert_eq!(actual_code, code, "exit code for {path}");
}

#[test]
fn valid_plans_pass_silently() {
    for path in ["check/valid.toml", "check/inline-updates.toml"] {
        let out = run(plan().arg("check").arg(fixture(path)));
        assert_eq!(
            (out.code, out.stdout.as_str(), out.stderr.as_str()),
            (0, "", ""),
            "{path}"
        );
    }
}

#[test]
fn the_bundled_plans_and_examples_are_valid() {
    for path in ["plans", "examples"] {
        let out = run(plan().args(["check", "--strict", path]));
        assert_eq!(
            (out.code, out.stdout.as_str(), out.stderr.as_str()),
            (0, "", ""),
            "{path}"
        );
    }
}

#[test]
fn check_defaults_to_the_plans_option() {
    let out = run(plan()
        .arg("--plans")
        .arg(fixture("check/missing-key.toml"))
        .arg("check"));
    assert_eq!(out.code, 2);
    assert!(
        out.stderr
            .contains("missing required key `title` in [[actions]]"),
        "{}",
        out.stderr
    );
}

#[test]
fn a_syntax_error_is_located() {
    assert_findings(
        "check/syntax-error.toml",
        2,
        &[
            "::error file=check/syntax-error.toml,line=23,col=32::TOML syntax: invalid basic string, expected `\"`",
        ],
    );
}

#[test]
fn a_wrong_type_is_located_at_the_value() {
    assert_findings(
        "check/wrong-type.toml",
        2,
        &[
            "::error file=check/wrong-type.toml,line=50,col=12::`baseline` must be a number, found a string",
        ],
    );
}

#[test]
fn a_missing_key_points_at_its_table() {
    assert_findings(
        "check/missing-key.toml",
        2,
        &[
            "::error file=check/missing-key.toml,line=39,col=1::missing required key `title` in [[actions]]",
        ],
    );
}

#[test]
fn an_unknown_key_suggests_the_close_one() {
    let out = run(plan().arg("check").arg(fixture("check/unknown-key.toml")));
    assert_eq!(out.code, 2);
    assert!(
        out.stderr
            .contains("error: unknown key `deu` in [[actions]]"),
        "{}",
        out.stderr
    );
    assert!(
        out.stderr.contains("unknown-key.toml:44:1"),
        "{}",
        out.stderr
    );
    assert!(
        out.stderr.contains("help: did you mean `due`?"),
        "{}",
        out.stderr
    );
}

#[test]
fn values_outside_their_set_are_each_reported() {
    assert_findings(
        "check/value-outside-set.toml",
        2,
        &[
            "::error file=check/value-outside-set.toml,line=7,col=20::`satisfactory` is not a valid target_judgement",
            "::error file=check/value-outside-set.toml,line=31,col=12::`in progress` is not a valid status (help: did you mean \"in-progress\"?)",
            "::error file=check/value-outside-set.toml,line=32,col=9::`yellow` is not a valid rag",
            "::error file=check/value-outside-set.toml,line=54,col=13::`lower` is not a valid direction",
            "::error file=check/value-outside-set.toml,line=67,col=8::`visit` is not a valid kind",
        ],
    );
}

#[test]
fn duplicate_ids_point_at_the_second_and_name_the_first() {
    assert_findings(
        "check/duplicate-ids.toml",
        2,
        &[
            "::error file=check/duplicate-ids.toml,line=17,col=6::duplicate owner id `dcs`: first defined on line 9",
            "::error file=check/duplicate-ids.toml,line=44,col=6::duplicate action id `P1.1`: first defined on line 25",
            "::error file=check/duplicate-ids.toml,line=66,col=6::duplicate measure id `caseload`: first defined on line 51",
            "::error file=check/duplicate-ids.toml,line=73,col=6::duplicate priority id `P1`: first defined on line 21",
        ],
    );
}

#[test]
fn unknown_references_are_located_with_suggestions() {
    assert_findings(
        "check/unknown-references.toml",
        2,
        &[
            "::error file=check/unknown-references.toml,line=36,col=17::unknown owner `auditor` (help: known owner ids: dcs, qa)",
            "::error file=check/unknown-references.toml,line=41,col=12::unknown priority `P9` (help: known priority ids: P1)",
            "::error file=check/unknown-references.toml,line=43,col=9::unknown owner `dsc` (help: did you mean `dcs`?)",
            "::error file=check/unknown-references.toml,line=45,col=15::unknown action `P1.3` (help: did you mean `P1.1`?)",
            "::error file=check/unknown-references.toml,line=46,col=13::unknown measure `caseloads` (help: did you mean `caseload`?)",
        ],
    );
}

#[test]
fn a_dependency_cycle_names_its_actions() {
    assert_findings(
        "check/dependency-cycle.toml",
        2,
        &[
            "::error file=check/dependency-cycle.toml,line=46,col=15::dependency cycle: P1.1 → P1.2 → P1.1 (help: an action cannot wait, directly or through others, on itself)",
        ],
    );
}

#[test]
fn contradictory_dates_are_errors() {
    assert_findings(
        "check/start-after-due.toml",
        2,
        &[
            "::error file=check/start-after-due.toml,line=45,col=9::action `P1.2` starts on 2016-07-01, after it is due on 2016-06-30",
        ],
    );
    let (code, lines) = github("check/target-not-after-start.toml");
    assert_eq!(code, 2);
    assert_eq!(
        lines[0],
        "::error file=check/target-not-after-start.toml,line=6,col=10::the target date 2015-07-20 is not after the start date 2015-07-20"
    );
}

#[test]
fn a_revised_due_needs_a_note() {
    assert_findings(
        "check/revised-due-without-note.toml",
        2,
        &[
            "::error file=check/revised-due-without-note.toml,line=31,col=9::action `P1.1`: a revised due date needs a note saying why (help: add note = \"...\" to this update: a slipped deadline must be explained)",
        ],
    );
}

#[test]
fn verification_needs_both_who_and_when() {
    assert_findings(
        "check/verification-incomplete.toml",
        2,
        &[
            "::error file=check/verification-incomplete.toml,line=36,col=17::`verified_by` is given without `verified_on` (help: add verified_on = <date> to the evidence \"Recruitment tracker\")",
            "::error file=check/verification-incomplete.toml,line=41,col=17::`verified_on` is given without `verified_by` (help: add verified_by = \"<owner id>\" to the evidence \"Caseload audit\")",
        ],
    );
}

#[test]
fn a_rejection_is_whole_with_a_reason_and_never_beside_a_verification() {
    assert_findings(
        "check/rejection-invalid.toml",
        2,
        &[
            "::error file=check/rejection-invalid.toml,line=36,col=17::a rejection needs `rejected_by`, `rejected_on` and `reason`: `rejected_by` is given without `rejected_on` (help: say who rejected the evidence \"Recruitment tracker\", when, and why)",
            "::error file=check/rejection-invalid.toml,line=44,col=17::this evidence item is both verified and rejected (help: an item is one or the other; record new evidence for a second look)",
            "::error file=check/rejection-invalid.toml,line=51,col=17::unknown owner `nobody` (help: known owner ids: dcs, qa)",
            "::warning file=check/rejection-invalid.toml,line=52,col=17::this evidence item of action `P1.1` is rejected on 2016-02-01, before its own date 2016-02-10 (help: check both dates)",
            "::error file=check/rejection-invalid.toml,line=53,col=12::a rejection needs a reason saying why (help: say what the evidence \"Supervision audit\" lacks, so that its owner knows what to bring)",
        ],
    );
}

#[test]
fn a_plan_id_must_be_lowercase_letters_digits_and_dashes() {
    assert_findings(
        "check/bad-plan-id.toml",
        2,
        &[
            "::error file=check/bad-plan-id.toml,line=2,col=6::plan id `Fixture Plan` may use only lowercase letters, digits and '-' (help: try id = \"fixture-plan\")",
        ],
    );
}

#[test]
fn warnings_do_not_fail_unless_strict() {
    let expected = [
        "::warning file=check/warnings.toml,line=34,col=10::this update is dated 2015-10-01, before an earlier-written one dated 2015-12-01 (help: write each update after the ones dated before it)",
        "::warning file=check/warnings.toml,line=43,col=10::this evidence item is dated 2016-01-15, before an earlier-written one dated 2016-02-15 (help: write each evidence item after the ones dated before it)",
        "::warning file=check/warnings.toml,line=53,col=7::action `P1.2` is due on 2017-09-30, after the plan's target date 2017-07-20",
        "::warning file=check/warnings.toml,line=68,col=10::this reading is dated 2015-08-31, before an earlier-written one dated 2015-09-30 (help: write each reading after the ones dated before it)",
        "::warning file=check/warnings.toml,line=74,col=12::measure `flat` has the same baseline and target (help: a measure with nothing to improve cannot show progress)",
    ];
    assert_findings("check/warnings.toml", 0, &expected);
    let strict = run(plan()
        .args(["check", "--strict"])
        .arg(fixture("check/warnings.toml")));
    assert_eq!(strict.code, 1);
    assert!(
        strict
            .stderr
            .ends_with("plan check: 5 warnings in 1 of 1 file\n"),
        "{}",
        strict.stderr
    );
}

#[test]
fn two_files_with_one_plan_id_are_an_error_naming_both() {
    let (code, lines) = github("check/same-plan-id");
    assert_eq!(code, 2);
    assert_eq!(
        lines,
        [
            "::error file=check/same-plan-id/b.toml,line=2,col=6::plan id `fixture` is already used by check/same-plan-id/a.toml; check/same-plan-id/b.toml must have an id of its own"
        ]
    );
}

#[test]
fn every_error_in_a_file_is_reported_in_one_run() {
    let out = run(plan()
        .arg("check")
        .arg(fixture("check/several-errors.toml")));
    assert_eq!(out.code, 2);
    for (message, place) in [
        (
            "plan id `Fixture Plan` may use only lowercase letters",
            "check/several-errors.toml:2:6",
        ),
        ("unknown owner `nobody`", "check/several-errors.toml:43:9"),
        (
            "`baseline` must be a number, found a boolean",
            "check/several-errors.toml:50:12",
        ),
        (
            "`inspection` is not a valid kind",
            "check/several-errors.toml:65:8",
        ),
    ] {
        assert!(
            out.stderr.contains(&format!("error: {message}")),
            "{message}\n{}",
            out.stderr
        );
        assert!(
            out.stderr
                .contains(&format!("--> {}", fixture(place).display())),
            "{place}\n{}",
            out.stderr
        );
    }
    assert!(
        out.stderr
            .ends_with("plan check: 4 errors in 1 of 1 file\n"),
        "{}",
        out.stderr
    );
}

#[test]
fn diagnostics_look_like_rustc() {
    let out = run(plan()
        .current_dir(fixture("check"))
        .args(["check", "duplicate-ids.toml"]));
    let first = out.stderr.split("\n\n").next().unwrap();
    assert_eq!(
        first,
        "error: duplicate owner id `dcs`: first defined on line 9
  --> duplicate-ids.toml:17:6
   |
 9 | id = \"dcs\"
   |      ----- first defined here
...
17 | id = \"dcs\"
   |      ^^^^^ defined again here
   |"
        .trim_end_matches("\n   |")
    );
}

#[test]
fn unreadable_files_get_one_clear_line() {
    let dir = tempfile::tempdir().unwrap();
    let not_utf8 = dir.path().join("latin1.toml");
    std::fs::write(&not_utf8, b"[plan]\ntitle = \"Caf\xe9\"\n").unwrap();
    let out = run(plan().arg("check").arg(&not_utf8));
    assert_eq!(out.code, 2);
    assert!(
        out.stderr
            .contains("the file is not UTF-8 text (invalid byte at line 2, column 13)"),
        "{}",
        out.stderr
    );

    for (path, message) in [
        ("check/empty.toml", "the file is empty"),
        ("check/not-a-plan.toml", "missing the [plan] table"),
        (
            "check/no-such-file.toml",
            "cannot read the file: no such file or folder",
        ),
    ] {
        let out = run(plan().arg("check").arg(fixture(path)));
        assert_eq!(out.code, 2, "{path}");
        assert!(out.stderr.contains(message), "{path}: {}", out.stderr);
    }
}

#[test]
fn a_folder_without_plans_is_bad_input() {
    let dir = tempfile::tempdir().unwrap();
    let out = run(plan().arg("check").arg(dir.path()));
    assert_eq!(out.code, 2);
    assert!(
        out.stderr.contains("no plan files (*.toml) found"),
        "{}",
        out.stderr
    );
}

/// Truncated and garbled copies of the real plan: always a diagnostic and exit 2, never a panic.
#[test]
fn mangled_copies_of_the_sunderland_plan_never_panic() {
    let original = std::fs::read("plans/sunderland.toml").unwrap();
    let dir = tempfile::tempdir().unwrap();
    let mut variants: Vec<Vec<u8>> = Vec::new();
    // Cut at many points, including inside strings, dates and multi-byte characters.
    for cut in (1..original.len()).step_by(original.len() / 40) {
        variants.push(original[..cut].to_vec());
    }
    // Overwrite bytes with characters that break TOML in different ways.
    for (i, junk) in [b'"', b'[', b'=', b'\xff', b'{', b'\n', b'#', b']']
        .iter()
        .enumerate()
    {
        let mut garbled = original.clone();
        for at in (97 * (i + 1)..garbled.len()).step_by(1201) {
            garbled[at] = *junk;
        }
        variants.push(garbled);
    }
    for (i, bytes) in variants.iter().enumerate() {
        std::fs::write(dir.path().join(format!("v{i:03}.toml")), bytes).unwrap();
    }
    let out = run(plan().args(["check", "--format", "github"]).arg(dir.path()));
    assert_eq!(out.code, 2, "{}", out.stderr);
    assert!(!out.stderr.contains("panicked"), "{}", out.stderr);
    for i in 0..variants.len() {
        let name = format!("v{i:03}.toml");
        assert!(
            out.stdout
                .lines()
                .any(|l| l.starts_with("::error") && l.contains(&name)),
            "no error reported for {name}"
        );
    }
}

#[test]
fn the_ci_example_checks_strictly_with_annotations() {
    let script = |plans: &str| {
        std::process::Command::new("bash")
            .current_dir(env!("CARGO_MANIFEST_DIR"))
            .env("PLAN_BIN", assert_cmd::cargo::cargo_bin!("plan"))
            .args(["examples/ci-check.sh", plans])
            .output()
            .unwrap()
    };
    assert_eq!(script("plans").status.code(), Some(0));
    let warned = script("tests/fixtures/check/warnings.toml");
    assert_eq!(warned.status.code(), Some(1));
    assert!(
        String::from_utf8(warned.stdout)
            .unwrap()
            .starts_with("::warning file=tests/fixtures/check/warnings.toml,line=34,col=10::")
    );
    assert_eq!(
        script("tests/fixtures/check/missing-key.toml")
            .status
            .code(),
        Some(2)
    );
}

#[test]
fn a_false_history_is_located_at_each_offending_date() {
    assert_findings(
        "check/history.toml",
        2,
        &[
            "::warning file=check/history.toml,line=26,col=10::this update of action `P1.1` is dated 2015-08-15, before the action starts on 2015-09-01 (help: check the date, and that this update is written under the action it is about)",
            "::warning file=check/history.toml,line=36,col=12::this update of action `P1.1` reopens the action, done until then, without a note saying why (help: add note = \"...\": a board will ask why)",
            "::warning file=check/history.toml,line=39,col=10::this evidence item of action `P1.1` is dated 2015-08-20, before the action starts on 2015-09-01 (help: check the date, and that this evidence item is written under the action it is about)",
            "::warning file=check/history.toml,line=42,col=17::this evidence item of action `P1.1` is verified on 2015-08-10, before its own date 2015-08-20 (help: check both dates)",
            "::warning file=check/history.toml,line=49,col=7::action `P1.2` is due on 2061-06-30, after the plan's target date 2017-07-20",
            "::warning file=check/history.toml,line=54,col=12::action `P1.2` is marked done on 2016-01-15, but it depends on `P1.1` (in-progress) not done by then (help: check the date, the dependency, and that this update is written under the action it is about)",
            "::warning file=check/history.toml,line=66,col=12::this update of action `P1.3` drops the action without a note saying why (help: add note = \"...\": a board will ask why)",
            "::warning file=check/history.toml,line=69,col=10::this evidence item is dated 2005-02-01, more than a year before the plan starts on 2015-07-20 (help: a date so far from the plan's own dates is usually a typo in the year)",
            "::error file=check/history.toml,line=84,col=10::measure `caseload` has two readings on 2015-09-30 (help: keep one reading per date: which one counts would be a guess)",
            "::warning file=check/history.toml,line=88,col=8::this milestone is dated 2105-11-10, more than 3 years after the plan's target date 2017-07-20 (help: a date so far from the plan's own dates is usually a typo in the year)",
        ],
    );
}

#[test]
fn an_update_pasted_at_the_end_of_the_file_is_caught() {
    assert_findings(
        "check/appended-update.toml",
        0,
        &[
            "::warning file=check/appended-update.toml,line=40,col=1::this update is written after [[measures]] (line 33), so TOML gives it to action `P1.2` (line 25), the last one above it (help: move it into the block of the action it is about; `plan update`, `plan evidence` and `plan reading` write it in the right place)",
            "::warning file=check/appended-update.toml,line=41,col=8::this update of action `P1.2` is dated 2016-02-01, before the action starts on 2016-06-01 (help: check the date, and that this update is written under the action it is about)",
        ],
    );
    let strict = run(plan().current_dir(fixture("")).args([
        "check",
        "--strict",
        "check/appended-update.toml",
    ]));
    assert_eq!(strict.code, 1, "{}", strict.stderr);
}
