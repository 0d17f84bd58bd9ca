//! How a sync tells that a plan file changed: size and modification time first, the content's hash
//! when those could be fooled (a file written again as it was being read; `import --rehash` after
//! copying files with their times kept). See docs/store.md, "How a sync works".

mod common;

use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime};

use common::{Store, fixture, run};

const AS_OF: &str = "2016-06-30";

fn plans_with_small(dir: &Path) -> PathBuf {
    let plans = dir.join("plans");
    std::fs::create_dir_all(&plans).unwrap();
    std::fs::copy(fixture("plans/small.toml"), plans.join("small.toml")).unwrap();
    plans
}

fn set_modified(path: &Path, time: SystemTime) {
    let file = std::fs::File::options().write(true).open(path).unwrap();
    file.set_modified(time).unwrap();
}

/// Replaces the file's content with other content of the same size and puts its modification time
/// back, as `cp -p` or `touch -r` would: only the content tells the two apart.
fn swap_content_keeping_size_and_time(path: &Path) {
    let modified = std::fs::metadata(path).unwrap().modified().unwrap();
    let text = std::fs::read_to_string(path).unwrap();
    let swapped = text.replace("title = \"Cap caseloads\"", "title = \"Cap Caseloads\"");
    assert_eq!((swapped.len(), swapped != text), (text.len(), true));
    std::fs::write(path, swapped).unwrap();
    set_modified(path, modified);
}

fn title_of_a2(store: &Store, plans: &Path) -> String {
    let out = run(store.plan(plans, AS_OF).args(["list", "--format", "json"]));
    assert_eq!(out.code, 0, "{}", out.stderr);
    let list: serde_json::Value = serde_json::from_str(&out.stdout).unwrap();
    list["actions"]
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["id"] == "A2")
        .map(|a| a["title"].as_str().unwrap().to_string())
        .unwrap()
}

#[test]
fn import_rehash_reads_a_file_replaced_with_its_size_and_time_kept() {
    let store = Store::new();
    let plans = plans_with_small(store.dir.path());
    let file = plans.join("small.toml");
    // Last modified long before it is synced: no reason to doubt its size and time later.
    set_modified(
        &file,
        SystemTime::UNIX_EPOCH + Duration::from_secs(1_451_606_400),
    );
    assert_eq!(run(store.plan(&plans, AS_OF).arg("import")).code, 0);

    swap_content_keeping_size_and_time(&file);
    let quick = run(store.plan(&plans, AS_OF).arg("import"));
    assert_eq!(quick.stdout, "0 files changed, 1 up to date\n");

    let rehash = run(store.plan(&plans, AS_OF).args(["import", "--rehash"]));
    assert_eq!(rehash.code, 0, "{}", rehash.stderr);
    assert!(
        rehash
            .stdout
            .contains("  action A2 title: Cap caseloads → Cap Caseloads\n"),
        "{}",
        rehash.stdout
    );
    assert_eq!(title_of_a2(&store, &plans), "Cap Caseloads");
}

#[test]
fn import_rehash_of_unchanged_files_writes_nothing() {
    let store = Store::new();
    let plans = plans_with_small(store.dir.path());
    set_modified(
        &plans.join("small.toml"),
        SystemTime::UNIX_EPOCH + Duration::from_secs(1_451_606_400),
    );
    assert_eq!(run(store.plan(&plans, AS_OF).arg("import")).code, 0);
    let before = std::fs::read(store.path()).unwrap();
    let modified = std::fs::metadata(store.path()).unwrap().modified().unwrap();

    let rehash = run(store.plan(&plans, AS_OF).args(["import", "--rehash"]));
    assert_eq!(rehash.stdout, "0 files changed, 1 up to date\n");
    assert_eq!(std::fs::read(store.path()).unwrap(), before);
    assert_eq!(
        std::fs::metadata(store.path()).unwrap().modified().unwrap(),
        modified
    );
}

#[test]
fn a_file_synced_just_after_it_was_written_is_hashed_again_by_the_next_command() {
    let store = Store::new();
    let plans = plans_with_small(store.dir.path());
    // Written a moment ago and synced now: a second write within the same tick of the file
    // system's clock would leave its time as it is.
    assert_eq!(run(store.plan(&plans, AS_OF).arg("import")).code, 0);
    swap_content_keeping_size_and_time(&plans.join("small.toml"));

    assert_eq!(title_of_a2(&store, &plans), "Cap Caseloads");
    let out = run(store.plan(&plans, AS_OF).arg("import"));
    assert_eq!(out.stdout, "0 files changed, 1 up to date\n");
}

/// A file is known by its real path, however it is reached: through a linked folder, a relative
/// path, or a link to the file itself. Reached another way, it is the same file, up to date.
#[cfg(unix)]
#[test]
fn a_file_reached_by_another_path_is_the_same_file() {
    let store = Store::new();
    let plans = plans_with_small(store.dir.path());
    let old = SystemTime::UNIX_EPOCH + Duration::from_secs(1_451_606_400);
    set_modified(&plans.join("small.toml"), old);
    let linked_folder = store.dir.path().join("linked");
    std::os::unix::fs::symlink(&plans, &linked_folder).unwrap();
    let import = run(store.plan(&linked_folder, AS_OF).arg("import"));
    assert_eq!(import.code, 0, "{}", import.stderr);

    let by_real_path = run(store.plan(&plans, AS_OF).arg("import"));
    assert_eq!(by_real_path.stdout, "0 files changed, 1 up to date\n");
    let relative = run(store
        .plan(Path::new("plans/./small.toml"), AS_OF)
        .current_dir(store.dir.path())
        .arg("import"));
    assert_eq!(relative.stdout, "0 files changed, 1 up to date\n");

    // A folder holding only a link to the file: the link's target is the file.
    let elsewhere = store.dir.path().join("elsewhere");
    std::fs::create_dir(&elsewhere).unwrap();
    std::os::unix::fs::symlink(plans.join("small.toml"), elsewhere.join("link.toml")).unwrap();
    let through_link = run(store.plan(&elsewhere, AS_OF).arg("import"));
    assert_eq!(through_link.stdout, "0 files changed, 1 up to date\n");
}
