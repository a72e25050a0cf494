/* The floor keytrail is measured against: inflate every file with zlib, 256 KiB at a time, and do nothing else.
 * Usage: zlib-floor FILE... ; prints the decompressed byte count. Build: cc -O2 zlib-floor.c -lz */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#define CHUNK (256 * 1024)

int main(int argc, char **argv) {
    static unsigned char in[CHUNK], out[CHUNK];
    unsigned long long total = 0;
    for (int i = 1; i < argc; i++) {
        FILE *f = fopen(argv[i], "rb");
        if (!f) { perror(argv[i]); return 2; }
        z_stream s;
        memset(&s, 0, sizeof s);
        if (inflateInit2(&s, 15 + 32) != Z_OK) return 2;
        int status = Z_OK;
        size_t n;
        while (status != Z_STREAM_END && (n = fread(in, 1, CHUNK, f)) > 0) {
            s.next_in = in;
            s.avail_in = (uInt)n;
            do {
                s.next_out = out;
                s.avail_out = CHUNK;
                status = inflate(&s, Z_NO_FLUSH);
                if (status != Z_OK && status != Z_STREAM_END && status != Z_BUF_ERROR) {
                    fprintf(stderr, "%s: inflate failed (%d)\n", argv[i], status);
                    return 2;
                }
                total += CHUNK - s.avail_out;
            } while (s.avail_out == 0 && status != Z_STREAM_END);
        }
        inflateEnd(&s);
        fclose(f);
    }
    printf("%llu\n", total);
    return 0;
}
