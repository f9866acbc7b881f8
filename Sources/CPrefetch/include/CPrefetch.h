#ifndef CPREFETCH_H
#define CPREFETCH_H

/// Asks the CPU to start loading the cache line holding `address` (for reading, kept in all cache
/// levels) without waiting for it. Swift has no prefetch intrinsic; this `static inline` function is
/// imported and inlined into the Swift caller, so it costs one instruction.
static inline __attribute__((always_inline)) void cprefetch_read(const void *address) {
    __builtin_prefetch(address, 0, 3);
}

#endif
