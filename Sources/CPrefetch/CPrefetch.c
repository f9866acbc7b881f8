// The target's only function is `static inline` in include/CPrefetch.h; SwiftPM needs one source file.
#include "CPrefetch.h"
