#include <sqlite3.h>

// SQLITE_TRANSIENT is a macro Swift cannot import: it casts -1 to a destructor pointer.
static inline sqlite3_destructor_type gazette_sqlite_transient(void) { return SQLITE_TRANSIENT; }

// sqlite3_config is variadic, which Swift cannot call. Memory statistics off: with them on (the
// default of this build), every SQLite allocation takes one process-wide mutex, which the tag
// run's writer and its fingerprint lookup (another connection, on another thread) then contend
// for. Only valid before the library is initialized (SQLITE_MISUSE after).
static inline int gazette_sqlite_disable_memory_statistics(void) { return sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0); }
