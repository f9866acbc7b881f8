#include "gazette_icu.h"

#include <unicode/normalizer2.h>
#include <unicode/uchar.h>
#include <unicode/unistr.h>
#include <unicode/utf8.h>

#include <atomic>
#include <climits>
#include <string>
#include <vector>

namespace {

struct Normalizers {
    const icu::Normalizer2 *nfkcCasefold = nullptr;
    const icu::Normalizer2 *nfd = nullptr;
    const icu::Normalizer2 *nfc = nullptr;
    bool ok = false;

    Normalizers() {
        UErrorCode status = U_ZERO_ERROR;
        nfkcCasefold = icu::Normalizer2::getNFKCCasefoldInstance(status);
        nfd = icu::Normalizer2::getNFDInstance(status);
        nfc = icu::Normalizer2::getNFCInstance(status);
        ok = U_SUCCESS(status);
    }
};

// ICU's instances are immutable singletons; a function-local static is initialized once, thread-safely.
const Normalizers &normalizers() {
    static const Normalizers instance;
    return instance;
}

// Combining diacritical mark blocks only: stripping every nonspacing mark would also erase vowel
// signs of Indic and Arabic scripts, which are letters there, not accents.
bool isFoldableAccent(UChar32 c) {
    return (c >= 0x0300 && c <= 0x036F) || (c >= 0x1AB0 && c <= 0x1AFF) ||
           (c >= 0x1DC0 && c <= 0x1DFF) || (c >= 0x20D0 && c <= 0x20FF) ||
           (c >= 0xFE20 && c <= 0xFE2F);
}

// Letters with a stroke or bar have no canonical decomposition, so NFD cannot strip them.
UChar32 foldStrokeLetter(UChar32 c) {
    switch (c) {
    case 0x0142: return 'l';  // ł
    case 0x00F8: return 'o';  // ø
    case 0x0111: return 'd';  // đ
    case 0x0127: return 'h';  // ħ
    case 0x0131: return 'i';  // ı
    default: return c;
    }
}

// The punctuation and space mapping applied after normalization. Returns -1 to drop the code point.
UChar32 mapPunctuationAndSpace(UChar32 c) {
    switch (c) {
    case 0x2018: case 0x2019: case 0x201A: case 0x201B: case 0x2032: case 0x2035: case 0xFF07:
        return '\'';
    case 0x201C: case 0x201D: case 0x201E: case 0x201F: case 0x2033: case 0x2036: case 0xFF02:
        return '"';
    case 0x2212:  // minus sign
        return '-';
    default: break;
    }
    int8_t category = u_charType(c);
    if (category == U_DASH_PUNCTUATION) return '-';
    if (category == U_CONTROL_CHAR) return ' ';
    if (u_isUWhiteSpace(c)) return ' ';
    if (category == U_FORMAT_CHAR) return -1;
    return c;
}

void appendUTF8(std::string &out, UChar32 c) {
    uint8_t buffer[4];
    int32_t length = 0;
    UBool error = false;
    U8_APPEND(buffer, length, 4, c, error);
    out.append(reinterpret_cast<const char *>(buffer), length);
}

// Appends the normalized form of one segment (a code point with a normalization boundary before
// it, and every code point that may interact with it) to `out`. False on an ICU error.
bool appendNormalizedSegment(const Normalizers &n, const icu::UnicodeString &segment, bool foldAccents,
                             std::string &out) {
    thread_local icu::UnicodeString normalized, decomposed, stripped;
    UErrorCode status = U_ZERO_ERROR;
    n.nfkcCasefold->normalize(segment, normalized, status);
    if (U_FAILURE(status)) return false;
    if (foldAccents) {
        n.nfd->normalize(normalized, decomposed, status);
        if (U_FAILURE(status)) return false;
        stripped.remove();
        for (int32_t i = 0; i < decomposed.length();) {
            UChar32 d = decomposed.char32At(i);
            i += U16_LENGTH(d);
            if (!isFoldableAccent(d)) stripped.append(foldStrokeLetter(d));
        }
        n.nfc->normalize(stripped, normalized, status);
        if (U_FAILURE(status)) return false;
    }
    for (int32_t i = 0; i < normalized.length();) {
        UChar32 r = normalized.char32At(i);
        i += U16_LENGTH(r);
        UChar32 mapped = mapPunctuationAndSpace(r);
        if (mapped >= 0) appendUTF8(out, mapped);
    }
    return true;
}

// Most segments of non-ASCII news text are one code point between ASCII ones ("é", "’", "—",
// and the ASCII letter before each run), and a segment's form does not depend on what stands
// around it. So the form of a one-code-point segment below kCachedLimit is kept the first time it
// is made, per accent setting, instead of three ICU normalizations each time (measured: text with
// an accented letter in a quarter of its words normalized at 165 MB/s per core, its ASCII words
// eight bytes at a time).
//
// One word per code point: the top byte is 0 while the form is not known, the form's length + 1
// (1 to 8) when it is, 0xFF when it is longer than 7 bytes (made by ICU every time); the form's
// bytes fill the low bytes. A relaxed atomic word: threads that make the same form at once store
// the same value. Zero-initialized in static storage, so pages are touched only where used.
constexpr UChar32 kCachedLimit = 0x3000;
std::atomic<uint64_t> singleCodePointForms[2][kCachedLimit];
constexpr uint64_t kUncacheable = 0xFFull << 56;

uint64_t packedForm(const std::string &form) {
    if (form.size() > 7) return kUncacheable;
    uint64_t packed = static_cast<uint64_t>(form.size() + 1) << 56;
    for (size_t i = 0; i < form.size(); ++i) packed |= static_cast<uint64_t>(static_cast<uint8_t>(form[i])) << (8 * i);
    return packed;
}

int32_t normalizeRun(const uint8_t *src, int32_t srcLength, int32_t foldAccents, uint8_t *out,
                     int32_t *outSourceOffsets, int32_t outCapacity, bool useCache) {
    const Normalizers &n = normalizers();
    if (!n.ok) return INT32_MIN;

    // Per-thread scratch, reused across calls to avoid an allocation per run.
    thread_local std::string output, form;
    thread_local std::vector<int32_t> offsets;
    thread_local icu::UnicodeString segment;
    output.clear();
    offsets.clear();
    const bool fold = foldAccents != 0;

    int32_t index = 0;
    while (index < srcLength) {
        // Collect one segment: a code point with a normalization boundary before it, plus every
        // following code point that may interact with it.
        int32_t segmentStart = index;
        segment.remove();
        UChar32 c;
        U8_NEXT(src, index, srcLength, c);
        if (c < 0) c = 0xFFFD;
        segment.append(c);
        int32_t codePoints = 1;
        while (index < srcLength) {
            int32_t peek = index;
            UChar32 next;
            U8_NEXT(src, peek, srcLength, next);
            if (next < 0) next = 0xFFFD;
            if (n.nfkcCasefold->hasBoundaryBefore(next)) break;
            segment.append(next);
            ++codePoints;
            index = peek;
        }

        size_t before = output.size();
        if (useCache && codePoints == 1 && c < kCachedLimit) {
            std::atomic<uint64_t> &slot = singleCodePointForms[fold ? 1 : 0][c];
            uint64_t packed = slot.load(std::memory_order_relaxed);
            if (packed == 0) {
                form.clear();
                if (!appendNormalizedSegment(n, segment, fold, form)) return INT32_MIN;
                packed = packedForm(form);
                slot.store(packed, std::memory_order_relaxed);
            }
            if (packed != kUncacheable) {
                size_t length = static_cast<size_t>(packed >> 56) - 1;
                for (size_t i = 0; i < length; ++i) output.push_back(static_cast<char>((packed >> (8 * i)) & 0xFF));
                offsets.insert(offsets.end(), length, segmentStart);
                continue;
            }
        }
        if (!appendNormalizedSegment(n, segment, fold, output)) return INT32_MIN;
        offsets.insert(offsets.end(), output.size() - before, segmentStart);
    }

    int32_t produced = static_cast<int32_t>(output.size());
    if (produced > outCapacity) return -produced;
    output.copy(reinterpret_cast<char *>(out), produced);
    for (int32_t i = 0; i < produced; ++i) outSourceOffsets[i] = offsets[i];
    return produced;
}

}  // namespace

extern "C" int32_t gazette_normalize_run_uncached(const uint8_t *src, int32_t srcLength, int32_t foldAccents,
                                                  uint8_t *out, int32_t *outSourceOffsets, int32_t outCapacity) {
    return normalizeRun(src, srcLength, foldAccents, out, outSourceOffsets, outCapacity, false);
}

extern "C" int32_t gazette_normalize_run(const uint8_t *src, int32_t srcLength, int32_t foldAccents,
                                         uint8_t *out, int32_t *outSourceOffsets, int32_t outCapacity) {
    return normalizeRun(src, srcLength, foldAccents, out, outSourceOffsets, outCapacity, true);
}
