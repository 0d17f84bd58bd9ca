//! Plan text that tries to act instead of being read: terminal escape sequences (clear the
//! screen, hide text, write the clipboard, make links, set the window title), bells, C1 controls,
//! carriage returns, backspaces, bidirectional overrides, and Markdown and HTML that would run or
//! link. Every format for people shows it as text (docs/security.md).

mod common;

use std::path::{Path, PathBuf};

use common::{Run, Store, fixture, run};

const AS_OF: &str = "2016-06-30";

/// What an escaped escape sequence from the fixture looks like: shown, not obeyed.
const SHOWN_CLEAR_SCREEN: &str = "\\u{1b}[2J";
const SHOWN_RIGHT_TO_LEFT_OVERRIDE: &str = "\\u{202e}";

/// The hostile plan in a folder of its own, under a file name that is hostile too.
struct Hostile {
    store: Store,
    plans: tempfile::TempDir,
}

impl Hostile {
    fn new() -> Self {
        let plans = tempfile::tempdir().unwrap();
        std::fs::copy(
            fixture("hostile/hostile.toml"),
            plans.path().join("hostile\u{1b}]0;file\u{7}\u{202e}.toml"),
        )
        .unwrap();
        Self {
            store: Store::new(),
            plans,
        }
    }

    fn run(&self, color: &str, args: &[&str]) -> Run {
        run(self
            .store
            .plan(self.plans.path(), AS_OF)
            .args(["--color", color])
            .args(args))
    }

    /// `args` with `--color never` and `--color always`, each checked, and the plain output.
    fn both_colours(&self, args: &[&str], code: i32) -> Run {
        let plain = self.run("never", args);
        let coloured = self.run("always", args);
        let what = args.join(" ");
        assert_eq!(
            (plain.code, coloured.code),
            (code, code),
            "{what}: {}",
            plain.stderr
        );
        assert_inert(&format!("{what} (stdout)"), &plain.stdout);
        assert_inert(&format!("{what} (stderr)"), &plain.stderr);
        assert_only_our_colours(&format!("{what} (stdout)"), &coloured.stdout, &plain.stdout);
        assert_only_our_colours(&format!("{what} (stderr)"), &coloured.stderr, &plain.stderr);
        plain
    }
}

/// Whether `c` must never reach a terminal from plan text: a control character other than the
/// line feed (C0 with ESC, BEL, BS and CR; DEL; C1 with CSI), or a bidirectional or invisible
/// formatting character.
fn acts_instead_of_showing(c: char) -> bool {
    (c.is_control() && c != '\n')
        || matches!(
            c,
            '\u{061C}'
                | '\u{200B}'
                | '\u{200E}'
                | '\u{200F}'
                | '\u{202A}'..='\u{202E}'
                | '\u{2066}'..='\u{2069}'
        )
}

fn assert_inert(what: &str, text: &str) {
    if let Some((at, c)) = text
        .char_indices()
        .find(|(_, c)| acts_instead_of_showing(*c))
    {
        let from = text.floor_char_boundary(at.saturating_sub(40));
        panic!("{what}: {c:?} at byte {at}, after {:?}", &text[from..at]);
    }
}

/// The coloured output holds escape sequences of one kind only, our colours (`ESC [ n;n m`), and
/// without them it is exactly the plain output: nothing else about it was left to plan text.
fn assert_only_our_colours(what: &str, coloured: &str, plain: &str) {
    let mut uncoloured = String::new();
    let mut rest = coloured;
    while let Some(at) = rest.find('\u{1b}') {
        uncoloured.push_str(&rest[..at]);
        let sequence = &rest[at..];
        let parameters = sequence.strip_prefix("\u{1b}[").map(|s| {
            s.find(|c: char| !c.is_ascii_digit() && c != ';')
                .unwrap_or(s.len())
        });
        let length = match parameters {
            Some(n) if sequence[2 + n..].starts_with('m') => 2 + n + 1,
            _ => panic!(
                "{what}: an escape sequence that is not a colour: {:?}",
                &sequence[..sequence.floor_char_boundary(24)]
            ),
        };
        rest = &sequence[length..];
    }
    uncoloured.push_str(rest);
    assert_eq!(
        uncoloured, plain,
        "{what}: colour changed more than colours"
    );
}

#[test]
fn status_shows_plan_text_without_obeying_it() {
    let hostile = Hostile::new();
    let status = hostile.both_colours(&["status"], 0);
    assert!(
        status.stdout.contains(SHOWN_CLEAR_SCREEN),
        "{}",
        status.stdout
    );
    assert!(status.stdout.contains(SHOWN_RIGHT_TO_LEFT_OVERRIDE));
    assert!(status.stdout.contains("\\u{d}OVERWRITE\\u{8}\\u{8}"));
    assert!(status.stdout.contains("\\u{9b}31m"), "C1 CSI shown");
    assert!(
        status.stdout.contains("\\u{1b}]52;c;cHduZWQ=\\u{7}"),
        "clipboard write shown"
    );
    let coloured = hostile.run("always", &["status"]);
    assert!(coloured.stdout.contains("\u{1b}[1m"), "still coloured");
}

#[test]
fn listings_show_plan_text_without_obeying_it() {
    let hostile = Hostile::new();
    for (args, code) in [
        (&["list"][..], 0),
        (&["list", "--sort", "owner"], 0),
        (&["overdue"], 1),
        (&["owners"], 0),
    ] {
        let out = hostile.both_colours(args, code);
        assert!(out.stdout.contains(SHOWN_CLEAR_SCREEN), "{args:?}");
    }
}

#[test]
fn show_prints_an_action_and_its_history_without_obeying_its_text() {
    let hostile = Hostile::new();
    for id in ["A1", "A2\u{1b}[2J\u{202e}", "A4"] {
        let out = hostile.both_colours(&["show", id], 0);
        assert!(out.stdout.contains(SHOWN_CLEAR_SCREEN), "{id:?}");
    }
    let shown = hostile.run("never", &["show", "A2\u{1b}[2J\u{202e}"]);
    assert!(
        shown.stdout.starts_with("A2\\u{1b}[2J\\u{202e} Slipped"),
        "{}",
        shown.stdout
    );
}

#[test]
fn an_error_quoting_plan_ids_shows_them_as_text() {
    let hostile = Hostile::new();
    let out = hostile.both_colours(&["show", "A2\u{1b}"], 2);
    assert!(
        out.stderr.contains("did you mean `A2\\u{1b}[2J\\u{202e}`?"),
        "{}",
        out.stderr
    );
}

#[test]
fn import_reports_changes_to_hostile_text_as_text() {
    let hostile = Hostile::new();
    let added = hostile.run("never", &["import"]);
    let other_store = Store::new();
    let coloured = run(other_store
        .plan(hostile.plans.path(), AS_OF)
        .args(["--color", "always", "import"]));
    assert_eq!((added.code, coloured.code), (0, 0), "{}", added.stderr);
    assert_inert("import", &added.stdout);
    assert_only_our_colours("import", &coloured.stdout, &added.stdout);
    assert!(
        added.stdout.contains("added plan hostile"),
        "{}",
        added.stdout
    );
    assert!(
        added
            .stdout
            .contains("hostile\\u{1b}]0;file\\u{7}\\u{202e}.toml")
    );

    let file = std::fs::read_dir(hostile.plans.path())
        .unwrap()
        .next()
        .unwrap()
        .unwrap()
        .path();
    let text = std::fs::read_to_string(&file).unwrap();
    std::fs::write(&file, text.replace("\"Completed ", "\"Completed again ")).unwrap();
    let changed = hostile.run("never", &["import"]);
    assert_eq!(changed.code, 0, "{}", changed.stderr);
    assert!(
        changed.stdout.contains("A1 title: Completed"),
        "{}",
        changed.stdout
    );
    assert_inert("import after a change", &changed.stdout);
}

#[test]
fn github_annotations_for_overdue_actions_show_plan_text_as_text() {
    let hostile = Hostile::new();
    let out = hostile.run("never", &["overdue", "--format", "github"]);
    assert_eq!(out.code, 1, "{}", out.stderr);
    assert_inert("overdue --format github", &out.stdout);
    let lines: Vec<&str> = out.stdout.lines().collect();
    assert_eq!(
        lines.len(),
        2,
        "one line per overdue action: {}",
        out.stdout
    );
    for line in lines {
        assert!(line.starts_with("::error file="), "{line}");
    }
    assert!(
        out.stdout.contains("::A2\\u{1b}[2J\\u{202e} \"Slipped"),
        "{}",
        out.stdout
    );
}

/// Plan files whose lines carry raw control bytes, which the human diagnostics quote.
fn files_with_raw_bytes(folder: &Path) -> Vec<PathBuf> {
    let valid = std::fs::read_to_string(fixture("check/valid.toml")).unwrap();
    // Legal TOML: C1 controls, bidirectional overrides and tabs may stand raw in a string, and
    // any character may be written as an escape. The owner and the duplicated id are errors whose
    // messages and source lines quote them.
    let legal = valid.replacen(
        "owner = \"dcs\"",
        "owner = \"nobody\u{202e}\t\u{9b}2J\u{85}\"",
        1,
    ) + &"\n[[actions]]\nid = \"A\\u001B[2J\\u202E\"\npriority = \"P1\"\ntitle = \"t\"\nowner = \"dcs\"\ndue = 2016-01-01\n".repeat(2);
    // Not TOML: ESC, BEL, BS and a lone CR may not stand raw in a string.
    let illegal = "[plan]\nid = \"x\"\ntitle = \"\u{1b}[2J\u{1b}]0;pwned\u{7}\u{8}\rOVERWRITE\"\n";
    let paths = [folder.join("legal.toml"), folder.join("illegal.toml")];
    std::fs::write(&paths[0], legal).unwrap();
    std::fs::write(&paths[1], illegal).unwrap();
    paths.to_vec()
}

#[test]
fn check_quotes_hostile_lines_and_ids_as_text() {
    let folder = tempfile::tempdir().unwrap();
    let paths = files_with_raw_bytes(folder.path());
    let check = |color: &str| {
        run(common::plan()
            .args(["check", "--color", color])
            .args(&paths))
    };
    let plain = check("never");
    let coloured = check("always");
    assert_eq!((plain.code, coloured.code), (2, 2), "{}", plain.stderr);
    assert_inert("check (stderr)", &plain.stderr);
    assert_only_our_colours("check (stderr)", &coloured.stderr, &plain.stderr);
    for shown in [
        // The messages quote values with their escapes…
        "unknown owner `nobody\\u{202e} \\u{9b}2J\\u{85}`",
        "A\\u{1b}[2J\\u{202e}",
        // …and the quoted lines show one character for each control, so that columns still
        // count the file's characters.
        "owner = \"nobody\u{fffd}    \u{fffd}2J\u{fffd}\"",
        "title = \"␛[2J␛]0;pwned␇␈␍OVERWRITE\"",
        "illegal.toml:3:14",
    ] {
        assert!(plain.stderr.contains(shown), "{shown}: {}", plain.stderr);
    }
    assert!(coloured.stderr.contains("\u{1b}["), "still coloured");
}

#[test]
fn check_annotations_for_github_show_hostile_ids_as_text() {
    let folder = tempfile::tempdir().unwrap();
    let paths = files_with_raw_bytes(folder.path());
    let out = run(common::plan()
        .args(["check", "--format", "github"])
        .args(&paths));
    assert_eq!(out.code, 2, "{}", out.stderr);
    assert_inert("check --format github", &out.stdout);
    assert!(
        out.stdout.contains("A\\u{1b}[2J\\u{202e}"),
        "{}",
        out.stdout
    );
    assert!(
        out.stdout.lines().all(|l| l.starts_with("::error ")),
        "{}",
        out.stdout
    );
}

/// The Markdown report of the hostile plan's June.
fn hostile_markdown() -> String {
    let hostile = Hostile::new();
    let out = hostile.run("never", &["report", "--month", "2016-06"]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    out.stdout
}

#[test]
fn the_markdown_report_shows_controls_as_text() {
    let md = hostile_markdown();
    assert_inert("report (markdown)", &md);
    assert!(md.contains("\\u{1b}\\[2J"), "{md}");
}

#[test]
fn the_markdown_report_has_no_html_links_or_images_from_plan_text() {
    let md = hostile_markdown();
    let unescaped = |pattern: char| {
        md.match_indices(pattern)
            .filter(|(at, _)| !md[..*at].ends_with('\\'))
            .count()
    };
    assert_eq!(unescaped('<'), 0, "raw HTML: {md}");
    assert_eq!(unescaped('>'), 0, "raw HTML: {md}");
    assert_eq!(unescaped('['), 0, "a link or an image: {md}");
    assert_eq!(unescaped('@'), 0, "an e-mail autolink: {md}");
    for made_up in ["](", "![", "http://", "https://", "javascript:", "www."] {
        assert!(!md.contains(made_up), "{made_up}: {md}");
    }
    // The text is all there, escaped: a reader sees what the plan says.
    for shown in [
        "\\<script\\>alert(1)\\</script\\>",
        "\\<img src=x onerror=alert(1)\\>",
        "\\[click me\\]\\(javascript\\:alert(1))",
        "https\\://evil\\.example/bare",
    ] {
        assert!(md.contains(shown), "{shown}: {md}");
    }
}

#[test]
fn the_markdown_report_keeps_its_own_structure() {
    let md = hostile_markdown();
    let headings: Vec<&str> = md.lines().filter(|l| l.starts_with('#')).collect();
    assert_eq!(headings.len(), 14, "{headings:#?}");
    assert!(headings[0].starts_with("# Plan "), "{}", headings[0]);
    // Each table row has as many cells as its header: a `|` from plan text does not add one.
    let cells = |line: &str| {
        line.match_indices('|')
            .filter(|(at, _)| !line[..*at].ends_with('\\'))
            .count()
    };
    let mut header_cells = None;
    for line in md.lines() {
        match (line.starts_with('|'), header_cells) {
            (true, None) => header_cells = Some(cells(line)),
            (true, Some(n)) => assert_eq!(cells(line), n, "{line}"),
            (false, _) => header_cells = None,
        }
    }
    assert!(md.contains("**Council "), "our emphasis stays");
    assert!(md.contains("· plan `hostile`"), "our code span stays");
}

#[test]
fn the_html_report_shows_controls_as_text() {
    let hostile = Hostile::new();
    let out = hostile.run(
        "never",
        &["report", "--month", "2016-06", "--format", "html"],
    );
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert_inert("report (html)", &out.stdout);
    let lower = out.stdout.to_lowercase();
    assert!(!lower.contains("<script"), "no script");
    assert!(!lower.contains("<img"), "no image");
    assert!(!lower.contains("href="), "no link");
    assert!(out.stdout.contains("&lt;script&gt;"));
}
