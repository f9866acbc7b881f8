// The `gazette` executable carries tcmalloc's minimal build, linked whole (Package.swift): its
// `malloc` and `free` then serve every allocation of the process, the Swift runtime's and
// SQLite's included. glibc's allocator was ~7% of a `gazette tag` profile (most of it in
// `_int_malloc`, `unlink_chunk` and `_int_free` for the many small arrays and strings of each
// article); with tcmalloc a fresh 100 MB run used ~5% less CPU (docs/benchmarks.md).
//
// The declarations are weak so this file also builds where tcmalloc is not linked (macOS): the
// symbols are then null and the answer is "system".
#define _GNU_SOURCE  // RTLD_DEFAULT
#include "CAllocator.h"

#include <dlfcn.h>
#include <stddef.h>

const char *tc_version(int *major, int *minor, const char **patch) __attribute__((weak));
void *tc_malloc(size_t size) __attribute__((weak));

const char *gazette_allocator_name(void) {
    if (tc_version == NULL || tc_malloc == NULL) return "system";
    // tcmalloc defines `malloc` as an alias of `tc_malloc`. It serves the process only if the
    // dynamic linker resolves `malloc` to the executable's definition, ahead of the C library's.
    void *resolved = dlsym(RTLD_DEFAULT, "malloc");
    if (resolved != (void *)tc_malloc) return "system";
    return tc_version(NULL, NULL, NULL);
}
