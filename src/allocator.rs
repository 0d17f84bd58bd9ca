//! The memory allocator: mimalloc while plan files are parsed, the system's otherwise.
//!
//! Parsing makes millions of small allocations, which mimalloc serves markedly faster: a first
//! import of 10,000 actions takes 0.46 s with it and 0.55 s with the system's allocator. A
//! question answered from the store makes few, and there mimalloc cost more than it saved: it
//! keeps each size of block on pages of its own and moves a growing vector to fresh ones, so
//! `plan overdue` over 10,000 actions touched 150 more pages of new memory (a quarter more), and
//! took about 5% longer (docs/performance.md).
//!
//! A block is freed or resized by the allocator that made it, whichever is chosen at the time,
//! and which made it is told by its address: mimalloc is set to serve blocks only from the
//! arenas it reserves (`mi_option_disallow_os_alloc`), never from memory asked of the system
//! for one block, so its blocks are exactly those inside its arenas. A block it will not serve
//! that way (larger than an arena, or when no arena can be reserved) comes from the system's
//! allocator instead, and so does a mimalloc block grown beyond what it will serve.
//!
//! mimalloc's version 2 (the `v2` feature) gives freed memory back to the system after 10 ms,
//! where version 3 keeps it for a second: a first import of the national data peaks at about
//! 105 MiB rather than 130.

use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::Once;
use std::sync::atomic::{AtomicUsize, Ordering};

use mimalloc::MiMalloc;

pub struct Allocator;

/// How many `Parsing` guards are alive, on any thread.
static PARSING: AtomicUsize = AtomicUsize::new(0);

/// While one of these lives, new blocks come from mimalloc.
pub struct Parsing(());

pub fn parsing() -> Parsing {
    // Before mimalloc makes its first block, which only happens while a guard lives.
    static ARENAS_ONLY: Once = Once::new();
    ARENAS_ONLY.call_once(|| {
        // SAFETY: sets one of mimalloc's options, a plain value in its own memory.
        unsafe { mi_option_set(MI_OPTION_DISALLOW_OS_ALLOC, 1) }
    });
    PARSING.fetch_add(1, Ordering::Relaxed);
    Parsing(())
}

impl Drop for Parsing {
    fn drop(&mut self) {
        PARSING.fetch_sub(1, Ordering::Relaxed);
    }
}

// From mimalloc.h; the `mimalloc` crate links the library, and declares these only behind a
// feature that would add a dependency.
unsafe extern "C" {
    /// Whether `p` lies in memory mimalloc manages: in one of its arenas, or in memory it asked
    /// of the system for a block and could record (the latter never happens here).
    fn mi_is_in_heap_region(p: *const std::ffi::c_void) -> bool;
    fn mi_option_set(option: std::ffi::c_int, value: std::ffi::c_long);
}

/// `mi_option_disallow_os_alloc` in mimalloc.h's `mi_option_t` (version 2).
const MI_OPTION_DISALLOW_OS_ALLOC: std::ffi::c_int = 17;

fn made_by_mimalloc(ptr: *mut u8) -> bool {
    // SAFETY: the function only compares the address with mimalloc's own bookkeeping.
    unsafe { mi_is_in_heap_region(ptr.cast()) }
}

fn parsing_now() -> bool {
    PARSING.load(Ordering::Relaxed) > 0
}

/// A new block from `allocate`: mimalloc's while parsing, if it serves one from its arenas, else
/// the system's.
fn make(allocate: impl Fn(&dyn GlobalAlloc) -> *mut u8) -> *mut u8 {
    let ptr = if parsing_now() {
        allocate(&MiMalloc)
    } else {
        std::ptr::null_mut()
    };
    if ptr.is_null() {
        allocate(&System)
    } else {
        ptr
    }
}

// SAFETY: every call is passed on, unchanged, to one of two allocators that uphold the
// `GlobalAlloc` contract; a block is always freed or resized by the one that made it.
unsafe impl GlobalAlloc for Allocator {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        // SAFETY: as the caller promises for `layout`.
        make(|allocator| unsafe { allocator.alloc(layout) })
    }

    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        // SAFETY: as the caller promises for `layout`.
        make(|allocator| unsafe { allocator.alloc_zeroed(layout) })
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        // SAFETY: `ptr` was made with `layout` by the allocator that is asked to free it.
        unsafe {
            if made_by_mimalloc(ptr) {
                MiMalloc.dealloc(ptr, layout);
            } else {
                System.dealloc(ptr, layout);
            }
        }
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        // SAFETY: as `dealloc`. A mimalloc block that mimalloc cannot grow in its arenas is
        // moved to a block of the system's: its bytes, up to the smaller size, copied, and the
        // old block freed only once the new one exists.
        unsafe {
            if !made_by_mimalloc(ptr) {
                return System.realloc(ptr, layout, new_size);
            }
            let grown = MiMalloc.realloc(ptr, layout, new_size);
            if !grown.is_null() {
                return grown;
            }
            let new_layout = Layout::from_size_align_unchecked(new_size, layout.align());
            let moved = System.alloc(new_layout);
            if !moved.is_null() {
                std::ptr::copy_nonoverlapping(ptr, moved, layout.size().min(new_size));
                MiMalloc.dealloc(ptr, layout);
            }
            moved
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Fills a block made under one choice, grows it under another, and frees it under a third.
    fn made_grown_freed(made_parsing: bool, grown_parsing: bool, freed_parsing: bool) {
        let during = |parsing_now: bool| parsing_now.then(parsing);
        let layout = Layout::from_size_align(100, 16).unwrap();
        let made = during(made_parsing);
        // SAFETY: the layout is not zero-sized, and the block is used within its size.
        unsafe {
            let ptr = Allocator.alloc(layout);
            assert!(!ptr.is_null());
            // Only while this thread parses is the choice known: tests on other threads may
            // be parsing too.
            let by_mimalloc = made_by_mimalloc(ptr);
            assert!(by_mimalloc || !made_parsing);
            ptr.write_bytes(7, 100);
            drop(made);
            let grown = during(grown_parsing);
            let ptr = Allocator.realloc(ptr, layout, 5000);
            assert_eq!(
                made_by_mimalloc(ptr),
                by_mimalloc,
                "moved to the other allocator"
            );
            assert!((0..100).all(|i| *ptr.add(i) == 7));
            drop(grown);
            let _freed = during(freed_parsing);
            Allocator.dealloc(ptr, Layout::from_size_align(5000, 16).unwrap());
        }
    }

    #[test]
    fn a_block_is_grown_and_freed_by_the_allocator_that_made_it() {
        for made in [false, true] {
            for grown in [false, true] {
                for freed in [false, true] {
                    made_grown_freed(made, grown, freed);
                }
            }
        }
    }

    /// More than an arena (1 GiB) holds: mimalloc would ask the system for it alone, at an
    /// address it cannot always recognise as its own. Only reserved, never touched.
    const HUGE: usize = 3 << 29;

    #[test]
    fn a_block_larger_than_mimallocs_arenas_comes_from_the_system() {
        let _parsing = parsing();
        let layout = Layout::from_size_align(HUGE, 16).unwrap();
        // SAFETY: a block of the layout's size, written within it and freed with it.
        unsafe {
            assert!(
                MiMalloc.alloc(layout).is_null(),
                "mimalloc went to the system"
            );
            let ptr = Allocator.alloc(layout);
            assert!(!ptr.is_null());
            assert!(!made_by_mimalloc(ptr));
            ptr.write_bytes(1, 64);
            Allocator.dealloc(ptr, layout);
        }
    }

    #[test]
    fn a_mimalloc_block_grown_beyond_its_arenas_moves_to_the_system_whole() {
        let _parsing = parsing();
        let layout = Layout::from_size_align(100, 16).unwrap();
        // SAFETY: blocks of their layouts' sizes, read and written within them.
        unsafe {
            let ptr = Allocator.alloc(layout);
            assert!(made_by_mimalloc(ptr));
            for i in 0..100 {
                *ptr.add(i) = i as u8;
            }
            let grown = Allocator.realloc(ptr, layout, HUGE);
            assert!(!grown.is_null());
            assert!(!made_by_mimalloc(grown));
            assert!((0..100).all(|i| *grown.add(i) == i as u8));
            Allocator.dealloc(grown, Layout::from_size_align(HUGE, 16).unwrap());
        }
    }

    #[test]
    fn zeroed_blocks_are_zero_from_either() {
        let layout = Layout::from_size_align(4096, 64).unwrap();
        for parsing_now in [false, true] {
            let _guard = parsing_now.then(parsing);
            // SAFETY: a block of the layout's size, read within it and freed with it.
            unsafe {
                let ptr = Allocator.alloc_zeroed(layout);
                assert_eq!(ptr as usize % 64, 0);
                assert!((0..4096).all(|i| *ptr.add(i) == 0));
                Allocator.dealloc(ptr, layout);
            }
        }
    }
}
