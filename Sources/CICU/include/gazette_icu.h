#ifndef GAZETTE_ICU_H
#define GAZETTE_ICU_H
// Stable-named wrappers over the system ICU. Swift only sees ICU's versioned symbol names on Debian
// (`..._72`), so the normalizer calls Gazette needs live here, UTF-8 in and out.

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/// Normalizes one run of UTF-8 text for matching: NFKC case folding, optional accent folding
/// (combining diacritics removed, ł/ø/đ/ħ/ı mapped to their base letter), curly quotes to ' and ",
/// dashes and minus to '-', whitespace to ' ', control characters to ' ', format characters dropped.
///
/// The run is split at NFKC normalization boundaries into segments; every output byte records, in
/// `outSourceOffsets`, the byte offset (relative to `src`) of the segment that produced it, so each
/// output byte maps back to whole source scalars. Whitespace is not collapsed here (the caller
/// collapses runs across calls).
///
/// Returns the number of output bytes written, or, when `outCapacity` is too small, the negated
/// number of bytes needed (nothing useful is written then). Returns INT32_MIN on an ICU error.
/// Ill-formed UTF-8 sequences are treated as U+FFFD.
int32_t gazette_normalize_run(const uint8_t *src, int32_t srcLength, int32_t foldAccents,
                              uint8_t *out, int32_t *outSourceOffsets, int32_t outCapacity);

/// `gazette_normalize_run` with every segment made by ICU, none taken from the per-code-point
/// cache: the reference the cache is tested against.
int32_t gazette_normalize_run_uncached(const uint8_t *src, int32_t srcLength, int32_t foldAccents,
                                       uint8_t *out, int32_t *outSourceOffsets, int32_t outCapacity);

#ifdef __cplusplus
}
#endif

#endif
