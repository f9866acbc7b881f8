#ifndef CFILECACHE_H
#define CFILECACHE_H

#include <stddef.h>
#include <sys/types.h>

/// Reads up to `count` bytes at `offset` of `fd` only if they are already in the page cache: Linux's
/// `preadv2` with `RWF_NOWAIT`, which Swift's Glibc module does not expose. Returns the bytes read
/// (fewer than asked when only the first ones are cached), or -1 with `errno` set: `EAGAIN` when the
/// read would have waited for the disk (asked twice: the first refusal can come with the bytes in
/// memory), `ENOSYS`/`EOPNOTSUPP`/`EINVAL` where the system or file system cannot tell (then read
/// the usual way).
ssize_t cfilecache_read_if_cached(int fd, void *buffer, size_t count, off_t offset);

/// Asks the kernel to start reading the first `length` bytes of `fd` into the page cache and returns
/// at once (`posix_fadvise(POSIX_FADV_WILLNEED)` on Linux, `F_RDADVISE` on macOS). Returns 0, or an
/// error number; a failed hint is harmless.
int cfilecache_advise_will_need(int fd, off_t length);

#endif
