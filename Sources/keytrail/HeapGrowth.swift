import CHeap

/// How the C heap grows under keytrail's threads.
///
/// glibc gives each thread that allocates an arena of its own: a 64 MiB reservation that it makes accessible a page
/// at a time, so every 4 KiB of growth is an `mprotect` call and a merge of the mapping in the kernel. Resolving
/// 49,119 keys into records allocates ~100 MiB that way: a one-job scan of the 1 GB benchmark corpus made 19,550
/// such calls, 14,000 of them while resolving. A top pad of the whole reservation makes an arena's memory accessible
/// in one call. Pages are still backed only when first written, so memory use stays with what is allocated; what
/// the pad changes is that an arena keeps up to the pad of freed memory instead of returning it at once
/// (docs/PERFORMANCE.md, eleventh session).
enum HeapGrowth {
    /// glibc's per-thread heap reservation on 64-bit systems (`HEAP_MAX_SIZE`).
    static let arenaReservation: Int32 = 64 << 20

    /// Sets the pad; call it before worker threads allocate. Does nothing where the C library is not glibc.
    static func configure() {
        _ = keytrail_set_heap_top_pad(arenaReservation)
    }
}
