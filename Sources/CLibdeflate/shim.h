#ifndef KEYTRAIL_CLIBDEFLATE_SHIM_H
#define KEYTRAIL_CLIBDEFLATE_SHIM_H

#include <libdeflate.h>

#endif
