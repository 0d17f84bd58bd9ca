//! Counts in words, the same everywhere a report says them: "1 action", "3 actions", "1 day".

/// `count` and `noun`, with an "s" unless there is exactly one.
pub fn plural(count: usize, noun: &str) -> String {
    if count == 1 {
        format!("1 {noun}")
    } else {
        format!("{count} {noun}s")
    }
}

/// A number of days: "1 day", "12 days", "-1 day".
pub fn days(days: i64) -> String {
    if days.abs() == 1 {
        format!("{days} day")
    } else {
        format!("{days} days")
    }
}

/// A file's size for a person: "512 bytes", "48 KB", "2.3 MB" (units of 1024).
pub fn size(bytes: usize) -> String {
    const KB: f64 = 1024.0;
    match bytes as f64 {
        b if b < KB => plural(bytes, "byte"),
        b if b < KB * KB => format!("{:.0} KB", (b / KB).max(1.0)),
        b => format!("{:.1} MB", b / (KB * KB)),
    }
}

/// Names for a message, cut to the first `shown`: "a, b, c and 142 more".
pub fn abbreviated<S: AsRef<str>>(names: &[S], shown: usize) -> String {
    let listed: Vec<&str> = names.iter().take(shown).map(AsRef::as_ref).collect();
    match names.len().saturating_sub(shown) {
        0 => listed.join(", "),
        more => format!("{} and {more} more", listed.join(", ")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_is_singular_and_everything_else_plural() {
        assert_eq!(plural(1, "file"), "1 file");
        assert_eq!(plural(0, "file"), "0 files");
        assert_eq!(days(1), "1 day");
        assert_eq!(days(-1), "-1 day");
        assert_eq!(days(12), "12 days");
    }

    #[test]
    fn sizes_are_in_the_unit_that_reads_best() {
        assert_eq!(size(1), "1 byte");
        assert_eq!(size(512), "512 bytes");
        assert_eq!(size(48 * 1024 + 100), "48 KB");
        assert_eq!(size(2_400_000), "2.3 MB");
    }

    #[test]
    fn long_lists_are_cut() {
        assert_eq!(abbreviated(&["a", "b"], 8), "a, b");
        let many: Vec<String> = (1..=150).map(|i| format!("p{i}")).collect();
        assert_eq!(abbreviated(&many, 2), "p1, p2 and 148 more");
    }
}
