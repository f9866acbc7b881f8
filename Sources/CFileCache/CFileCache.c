// preadv2 and RWF_NOWAIT are GNU extensions: declared only with _GNU_SOURCE, before any include.
#define _GNU_SOURCE
#include "CFileCache.h"

#include <errno.h>
#include <fcntl.h>
#include <sys/uio.h>

ssize_t cfilecache_read_if_cached(int fd, void *buffer, size_t count, off_t offset) {
#if defined(__linux__) && defined(RWF_NOWAIT)
    struct iovec vector = { .iov_base = buffer, .iov_len = count };
    ssize_t got = preadv2(fd, &vector, 1, offset, RWF_NOWAIT);
    // A refusal can come with the bytes in memory (seen once each on files the kernel had read
    // ahead, most likely at its read-ahead mark): asked again at once, such a read succeeds, while
    // bytes on disk are refused again (the read the first ask started takes far longer).
    if (got < 0 && errno == EAGAIN) got = preadv2(fd, &vector, 1, offset, RWF_NOWAIT);
    return got;
#else
    (void)fd; (void)buffer; (void)count; (void)offset;
    errno = ENOSYS;
    return -1;
#endif
}

int cfilecache_advise_will_need(int fd, off_t length) {
#if defined(__linux__)
    return posix_fadvise(fd, 0, length, POSIX_FADV_WILLNEED);
#elif defined(__APPLE__)
    struct radvisory advice = { .ra_offset = 0, .ra_count = (int)(length > 0x7fffffff ? 0x7fffffff : length) };
    return fcntl(fd, F_RDADVISE, &advice) == -1 ? errno : 0;
#else
    (void)fd; (void)length;
    return 0;
#endif
}
