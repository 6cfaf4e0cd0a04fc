/* Intentionally empty: the target's API is the static inline functions of
 * include/buddylab_prefetch.h. SwiftPM needs one source file to build a C target. */
#include "buddylab_prefetch.h"
