#include <zlib.h>

/// inflateInit2 is a macro; Swift calls this instead.
static inline int bench_inflateInit2(z_streamp stream, int windowBits) {
    return inflateInit2(stream, windowBits);
}
