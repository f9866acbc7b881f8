// zlib, from Debian's zlib1g-dev: gzip-compressed JSON-lines files are read through gzread.
#include <zlib.h>
