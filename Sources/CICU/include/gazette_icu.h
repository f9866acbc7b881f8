#ifndef GAZETTE_ICU_H
#define GAZETTE_ICU_H
// Stable-named wrappers over the system ICU (to be filled by the normalize stage work).
#endif
