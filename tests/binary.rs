//! How the `plan` executable is linked. On x86-64 Linux with glibc the project's cargo settings
//! (.cargo/config.toml) link it statically, which saves every command the dynamic loader's work
//! (docs/performance.md); a change to those settings that loses it should fail here rather than
//! show only as a slower benchmark.

use std::path::Path;

#[test]
fn the_settings_link_plan_statically_on_x86_64_linux_with_glibc() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join(".cargo/config.toml");
    let text = std::fs::read_to_string(&path).unwrap();
    let settings: toml::Table = toml::from_str(&text).unwrap();
    // Naming the machine's own target keeps the flag off procedural macros and build scripts,
    // which cannot be linked statically: without it the flag would break every build.
    assert_eq!(
        settings["build"]["target"].as_str(),
        Some("host-tuple"),
        "{}",
        path.display()
    );
    let only = "cfg(all(target_os = \"linux\", target_env = \"gnu\", target_arch = \"x86_64\"))";
    let flags = &settings["target"][only]["rustflags"];
    let flags: Vec<&str> = flags
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|f| f.as_str())
        .collect();
    assert_eq!(
        flags,
        ["-C", "target-feature=+crt-static"],
        "{}",
        path.display()
    );
}

/// The kinds of the program headers of an ELF executable (64-bit, little-endian).
#[cfg(all(target_os = "linux", target_env = "gnu", target_arch = "x86_64"))]
fn program_header_kinds(elf: &[u8]) -> Vec<u32> {
    assert_eq!(&elf[..4], b"\x7fELF", "not an ELF file");
    assert_eq!(elf[4], 2, "not a 64-bit ELF file");
    assert_eq!(elf[5], 1, "not a little-endian ELF file");
    let u16_at = |at: usize| u16::from_le_bytes(elf[at..at + 2].try_into().unwrap()) as usize;
    let u32_at = |at: usize| u32::from_le_bytes(elf[at..at + 4].try_into().unwrap());
    let u64_at = |at: usize| u64::from_le_bytes(elf[at..at + 8].try_into().unwrap()) as usize;
    let (offset, size, count) = (u64_at(0x20), u16_at(0x36), u16_at(0x38));
    (0..count).map(|i| u32_at(offset + i * size)).collect()
}

/// What the settings make of the binary, unless flags of one's own (`RUSTFLAGS`, which cargo
/// gives the tests it runs as well) took their place.
#[cfg(all(target_os = "linux", target_env = "gnu", target_arch = "x86_64"))]
#[test]
fn plan_is_linked_statically_and_placed_at_a_random_address() {
    for own in ["RUSTFLAGS", "CARGO_ENCODED_RUSTFLAGS"] {
        if std::env::var_os(own).is_some() {
            eprintln!(
                "{own} is set, in place of the project's flags: how plan is linked is its own"
            );
            return;
        }
    }
    const PT_DYNAMIC: u32 = 2;
    const PT_INTERP: u32 = 3;
    const ET_DYN: u16 = 3;
    let elf = std::fs::read(env!("CARGO_BIN_EXE_plan")).unwrap();
    let kinds = program_header_kinds(&elf);
    assert!(
        !kinds.contains(&PT_INTERP),
        "plan names a dynamic loader: it is linked dynamically (see .cargo/config.toml)"
    );
    // A static executable that can be loaded anywhere keeps a dynamic section for its own
    // relocations, and is of the type of a shared object.
    assert!(
        kinds.contains(&PT_DYNAMIC),
        "plan is a fixed-address executable"
    );
    assert_eq!(
        u16::from_le_bytes([elf[16], elf[17]]),
        ET_DYN,
        "plan is not position-independent"
    );
}
