#ifndef GAZETTE_CALLOCATOR_H
#define GAZETTE_CALLOCATOR_H

/// The allocator that serves the process's `malloc`: tcmalloc's version string ("gperftools 2.10")
/// when the executable carries tcmalloc and its `malloc` is the one the process resolves, else
/// "system". Benchmarks record it; a test checks the link.
const char *gazette_allocator_name(void);

#endif
