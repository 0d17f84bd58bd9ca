//! The HTML monthly report, written by the real binary and opened in a real browser: headless
//! Chromium prints it to PDF and takes a screenshot of it.
//!
//! Without Chromium (PATH or `PLAN_CHROMIUM`) the browser test is skipped with a note, so that
//! `cargo test --locked` passes on a fresh machine; CI installs Chromium and sets
//! `PLAN_REQUIRE_BROWSER`, which turns a missing browser into a failure.

mod common;

use std::fs::File;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

use common::{Store, fixture, run};

const SCRIPT_TITLE: &str = "Cap caseloads <script>alert(1)</script>";
const ESCAPED_TITLE: &str = "Cap caseloads &lt;script&gt;alert(1)&lt;/script&gt;";
const BROWSERS: &[&str] = &["chromium", "chromium-browser", "google-chrome"];
const BROWSER_TIMEOUT: Duration = Duration::from_secs(60);
const PNG_SIGNATURE: &[u8] = b"\x89PNG\r\n\x1a\n";

/// Writes the June 2016 report of the small fixture, with a script in A2's title, as HTML.
fn write_report(dir: &Path) -> PathBuf {
    let source = std::fs::read_to_string(fixture("plans/small.toml")).expect("the fixture reads");
    let edited = source.replace(
        "title = \"Cap caseloads\"",
        &format!("title = \"{SCRIPT_TITLE}\""),
    );
    assert_ne!(edited, source, "the fixture's A2 title was not found");
    let plans = dir.join("plans");
    std::fs::create_dir(&plans).expect("a plans folder");
    std::fs::write(plans.join("small.toml"), edited).expect("the edited plan writes");

    let html = dir.join("report.html");
    let store = Store::new();
    let mut cmd = store.plan(&plans, "2016-07-01");
    cmd.args(["report", "--month", "2016-06", "-o"]).arg(&html);
    let result = run(&mut cmd);
    assert_eq!(result.code, 0, "plan report failed: {}", result.stderr);
    html
}

#[test]
fn html_report_shows_a_script_in_a_title_as_text() {
    let dir = tempfile::tempdir().expect("a temporary folder");
    let html = std::fs::read_to_string(write_report(dir.path())).expect("the report was written");
    assert!(html.contains(ESCAPED_TITLE), "{html}");
    assert!(!html.to_lowercase().contains("<script"), "{html}");
}

/// `PLAN_CHROMIUM`, else the first of the usual names on PATH.
fn find_browser() -> Option<PathBuf> {
    if let Some(path) = std::env::var_os("PLAN_CHROMIUM").filter(|p| !p.is_empty()) {
        return Some(PathBuf::from(path));
    }
    let path = std::env::var_os("PATH")?;
    BROWSERS
        .iter()
        .flat_map(|name| std::env::split_paths(&path).map(move |dir| dir.join(name)))
        .find(|candidate| candidate.is_file())
}

/// Runs headless Chromium on the page with one output flag, killing it after the timeout.
fn chromium(browser: &Path, page: &Path, output_args: &[String], work: &Path) {
    let profile = tempfile::tempdir().expect("a fresh browser profile");
    let log_path = work.join("chromium.log");
    let log = File::create(&log_path).expect("a log file");
    let mut child = Command::new(browser)
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--hide-scrollbars",
        ])
        .arg(format!("--user-data-dir={}", profile.path().display()))
        .args(output_args)
        .arg(format!("file://{}", page.display()))
        .stdout(log.try_clone().expect("the log file is shared"))
        .stderr(log)
        .spawn()
        .unwrap_or_else(|e| panic!("cannot start {}: {e}", browser.display()));
    let started = Instant::now();
    let status = loop {
        if let Some(status) = child.try_wait().expect("the browser can be waited for") {
            break status;
        }
        if started.elapsed() > BROWSER_TIMEOUT {
            let _ = child.kill();
            let _ = child.wait();
            panic!(
                "{} took over {BROWSER_TIMEOUT:?}; log:\n{}",
                browser.display(),
                read_log(&log_path)
            );
        }
        std::thread::sleep(Duration::from_millis(100));
    };
    assert!(
        status.success(),
        "{} failed ({status}); log:\n{}",
        browser.display(),
        read_log(&log_path)
    );
}

fn read_log(path: &Path) -> String {
    std::fs::read_to_string(path).unwrap_or_default()
}

fn read_output(path: &Path) -> Vec<u8> {
    std::fs::read(path).unwrap_or_else(|e| panic!("the browser wrote no {}: {e}", path.display()))
}

#[test]
fn html_report_prints_to_pdf_and_screenshots_in_chromium() {
    let Some(browser) = find_browser() else {
        assert!(
            std::env::var_os("PLAN_REQUIRE_BROWSER").is_none(),
            "PLAN_REQUIRE_BROWSER is set but no Chromium was found: put chromium, chromium-browser or \
             google-chrome on PATH, or set PLAN_CHROMIUM"
        );
        eprintln!("skipping: no Chromium; CI sets PLAN_REQUIRE_BROWSER");
        return;
    };
    let dir = tempfile::tempdir().expect("a temporary folder");
    let page = write_report(dir.path());
    let (pdf, png) = (dir.path().join("report.pdf"), dir.path().join("report.png"));

    let pdf_args = [
        format!("--print-to-pdf={}", pdf.display()),
        "--no-pdf-header-footer".to_string(),
    ];
    chromium(&browser, &page, &pdf_args, dir.path());
    let pdf = read_output(&pdf);
    assert!(pdf.starts_with(b"%PDF"), "not a PDF");
    assert!(pdf.len() > 10_000, "the PDF is only {} bytes", pdf.len());

    let png_args = [
        format!("--screenshot={}", png.display()),
        "--window-size=1240,1754".to_string(),
    ];
    chromium(&browser, &page, &png_args, dir.path());
    let png = read_output(&png);
    assert!(png.starts_with(PNG_SIGNATURE), "not a PNG");
    assert!(png.len() > 20_000, "the PNG is only {} bytes", png.len());
}
