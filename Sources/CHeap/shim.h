#ifndef KEYTRAIL_CHEAP_SHIM_H
#define KEYTRAIL_CHEAP_SHIM_H

#if defined(__GLIBC__) || defined(__linux__)
#include <malloc.h>
#endif

/// Sets glibc's top pad: how much more than asked for the C heap takes from the system when it grows, and keeps
/// when it shrinks. glibc's `mallopt` is not in Swift's Glibc module, so this header reaches it. Returns 1 on
/// success, 0 where it failed or the C library is not glibc.
static inline int keytrail_set_heap_top_pad(int bytes) {
#if defined(M_TOP_PAD)
    return mallopt(M_TOP_PAD, bytes);
#else
    (void)bytes;
    return 0;
#endif
}

#endif
