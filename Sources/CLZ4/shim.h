#ifndef KEYTRAIL_CLZ4_SHIM_H
#define KEYTRAIL_CLZ4_SHIM_H

#include <lz4.h>

#endif
