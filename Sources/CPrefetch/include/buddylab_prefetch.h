#ifndef BUDDYLAB_PREFETCH_H
#define BUDDYLAB_PREFETCH_H

/* Swift has no prefetch intrinsic; this header gives the engine one (static inline, so the
 * Swift compiler inlines it to a single prefetch instruction). The kernel does the same for the
 * same reason: free_pcppages_bulk() prefetches each page's buddy (prefetch_buddy) before the
 * lock-held __free_one_page loop. */
static inline void buddylab_prefetch_write(const void *address) {
    __builtin_prefetch(address, 1, 3);
}

static inline void buddylab_prefetch_read(const void *address) {
    __builtin_prefetch(address, 0, 3);
}

#endif
