#ifndef KEYTRAIL_CISAL_SHIM_H
#define KEYTRAIL_CISAL_SHIM_H

#include <isa-l/igzip_lib.h>

#endif
