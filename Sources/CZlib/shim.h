#ifndef KEYTRAIL_CZLIB_SHIM_H
#define KEYTRAIL_CZLIB_SHIM_H

#include <zlib.h>

/// zlib's init functions are macros that pass the library version and struct size; Swift cannot call macros.
static inline int keytrail_inflateInit2(z_streamp stream, int windowBits) {
    return inflateInit2(stream, windowBits);
}

static inline int keytrail_deflateInit2(z_streamp stream, int level, int windowBits) {
    return deflateInit2(stream, level, Z_DEFLATED, windowBits, 8, Z_DEFAULT_STRATEGY);
}

#endif
