#ifndef KEYTRAIL_CPREFETCH_SHIM_H
#define KEYTRAIL_CPREFETCH_SHIM_H

/// Asks the CPU to start loading the cache line that holds `address`, to be written soon. Swift has no prefetch of
/// its own; the aggregator knows which key record an event will update a few hundred instructions before it does,
/// and with tens of thousands of keys those loads miss the caches. A hint only: it never faults.
static inline void keytrail_prefetch_for_write(const void *address) { __builtin_prefetch(address, 1, 3); }

#endif
