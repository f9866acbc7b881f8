import CPrefetch
import Crypto
import PhraseMatcher

/// Finds gazetteer entities in each article and resolves every mention to one entity.
///
/// Per article: every alias found in the normalized text between word boundaries (`PhraseMatcher`,
/// `WordScalars`); hits whose
/// case rule fails against the original text are dropped; leftmost-longest non-overlapping hits are
/// chosen among the survivors (so a rejected long alias can fall back to a shorter valid one); each is
/// resolved to its best candidate entity and reported with Unicode-scalar offsets into the original.
public struct GazetteerStage: Stage {
    public static let name = "gazetteer"
    public let gazetteer: Gazetteer
    /// The article-level pass (context, name patterns, surnames); see `ArticleResolution`. Nil
    /// when the settings turn it off: each hit is then reported as its best entity.
    let resolution: ArticleResolution?
    /// What decides this stage's mentions besides the gazetteer's entries (`mentionsView`).
    let viewSeed: String
    /// A hash of the office holders resolution links lone surnames to (0 without resolution).
    let officeHoldersSignature: UInt64

    /// - Parameter viewSeed: a hash of everything besides the gazetteer's entries that decides the
    ///   mentions (Gazette's pipeline version, the normalize and gazetteer settings, the given
    ///   names), so that equal mentions views mean equal mentions (`mentionsView`).
    public init(gazetteer: Gazetteer, givenNames: GivenNames = .empty, articleResolution: Bool = true, viewSeed: String = "") {
        self.gazetteer = gazetteer
        self.viewSeed = viewSeed
        if articleResolution {
            let officeHolders = ArticleResolution.officeHolders(of: gazetteer)
            resolution = ArticleResolution(gazetteer: gazetteer, givenNames: givenNames, officeHoldersBySurname: officeHolders)
            var hash = StableHash()
            for surname in officeHolders.keys.sorted() {
                hash.add(surname)
                hash.add(UInt64(officeHolders[surname]!.count))
                for holder in officeHolders[surname]! { hash.add(gazetteer.entities[Int(holder)]) }
            }
            officeHoldersSignature = hash.value
        } else {
            resolution = nil
            officeHoldersSignature = 0
        }
    }

    public init(settings: GazetteerSettings, normalizeSettings: NormalizeSettings = NormalizeSettings()) throws {
        let gazetteer = try Gazetteer(settings: settings, normalizer: TextNormalizer(foldAccents: normalizeSettings.foldAccents))
        self.init(gazetteer: gazetteer, givenNames: try GivenNames.load(directory: settings.directory),
                  articleResolution: settings.articleResolution)
    }

    public func process(_ document: inout ArticleDocument) throws {
        guard let normalized = document.normalized else {
            throw GazetteerError(
                file: document.article.key,
                reason: "the gazetteer stage needs normalized text: run the normalize stage before it")
        }
        var text = document.article.text
        let articleDay = document.article.date.flatMap { Gazetteer.parseDate($0[...])?.first }
        let matches = normalized.bytes.withUnsafeBufferPointer { rawMatches(in: $0) }
        let view = mentionsView(of: document.article, matches: matches)
        document.mentionsView = view
        if let stored = document.storedMentionsView, stored == view {
            document.kept.insert(.mentions)
            return
        }
        let hits = text.withUTF8 { original in
            self.hits(of: matches, normalized: normalized, original: original, articleDay: articleDay)
        }
        if let resolution {
            document.mentions = resolution.resolve(text: document.article.text, hits: hits, articleDay: articleDay)
        } else {
            let instance = gazetteer.instance
            document.mentions = text.withUTF8 { original in
                hits.map { hit in
                    Mention(
                        entity: gazetteer.entities[Int(hit.entity)].ref, start: hit.start, end: hit.end,
                        surface: String(decoding: UnsafeBufferPointer(rebasing: original[hit.byteStart..<hit.byteEnd]), as: UTF8.self),
                        gazetteerEntity: GazetteerEntityHint(gazetteer: instance, index: hit.entity))
                }
            }
        }
    }

    /// A hit that passed the boundary and case checks, with the entity it resolves to.
    private struct Survivor {
        var entity: Int32
        var alternatives: [Int32]
        var rule: AliasCaseRule.Kind
        var sourceStart: Int
        var sourceEnd: Int
    }

    /// Every alias occurrence between word boundaries in the normalized text, by start, shortest
    /// first: all the gazetteer gives an article before case rules and resolution.
    private func rawMatches(in bytes: UnsafeBufferPointer<UInt8>) -> [Match] {
        var matches: [Match] = []
        // News text has about one alias occurrence per 130 bytes (BBC set: 39,967 in 5.0 MB).
        matches.reserveCapacity(bytes.count / 64 + 8)
        gazetteer.patternNeedsCapital.withUnsafeBufferPointer { needsCapital in
            gazetteer.candidateStart.withUnsafeBufferPointer { candidateStart in
                gazetteer.patternSignatures.withUnsafeBufferPointer { signatures in
                    gazetteer.matcher.forEachMatch(in: bytes) { pattern, start, end in
                        // The per-pattern and per-candidate tables are large and read at random:
                        // their lines are asked for here and below, for all hits, before any hit
                        // is checked, so the cache misses overlap (rounds, as each address depends
                        // on the last). The signatures (2.5 MB) are read next, by `mentionsView`.
                        cprefetch_read(needsCapital.baseAddress! + Int(pattern))
                        cprefetch_read(candidateStart.baseAddress! + Int(pattern))
                        cprefetch_read(signatures.baseAddress! + Int(pattern))
                        matches.append(Match(phraseID: pattern, start: start, end: end))
                    }
                }
            }
        }
        return matches
    }

    /// The article's mentions view: a hash of everything its mentions are made from. The stage's
    /// mentions are a function of the text, its date, the seed (settings, given names), the
    /// office holders, and, from the gazetteer, only the aliases found in the text with their
    /// candidates (`Gazetteer.patternSignatures`): the raw matches decide the hits, and resolution
    /// reads the gazetteer only through the hits' entities and the office holders. So after a
    /// gazetteer edit, an article whose view did not change keeps its stored mentions, without
    /// resolving them again.
    func mentionsView(of article: Article, matches: [Match]) -> String {
        var hasher = viewHasher
        Self.add(article.contentHash, to: &hasher)
        Self.add(article.date, to: &hasher)
        withUnsafeTemporaryAllocation(of: UInt64.self, capacity: 2 * matches.count) { fields in
            gazetteer.patternSignatures.withUnsafeBufferPointer { signatures in
                for (index, match) in matches.enumerated() {
                    fields[2 * index] = (UInt64(UInt32(truncatingIfNeeded: match.start))
                        | UInt64(UInt32(truncatingIfNeeded: match.end)) << 32).littleEndian
                    fields[2 * index + 1] = signatures[Int(match.phraseID)].littleEndian
                }
            }
            hasher.update(bufferPointer: UnsafeRawBufferPointer(fields))
        }
        // 128 bits, as each part of the pipeline fingerprint.
        return String(ContentHash.hex(digest: hasher.finalize()).prefix(32))
    }

    /// The view's hasher after what all articles share: the format, the seed, the office holders.
    private var viewHasher: SHA256 {
        var hasher = SHA256()
        Self.add("gazette mentions view 2", to: &hasher)
        Self.add(viewSeed, to: &hasher)
        withUnsafeBytes(of: officeHoldersSignature.littleEndian) { hasher.update(bufferPointer: $0) }
        return hasher
    }

    /// A text's UTF-8 bytes, then a byte that ends it and tells nil (1) from a text (0).
    private static func add(_ text: String?, to hasher: inout SHA256) {
        var bytes = text ?? ""
        bytes.withUTF8 { hasher.update(bufferPointer: UnsafeRawBufferPointer($0)) }
        withUnsafeBytes(of: UInt8(text == nil ? 1 : 0)) { hasher.update(bufferPointer: $0) }
    }

    /// The leftmost-longest hits that pass their case rules (`Match.leftmostLongest` over the
    /// survivors), resolved to their best entities.
    ///
    /// Whether a hit survives depends on it alone, so the choice is made as the matcher reports the
    /// hits (`leftmostLongestSurvivors`): a hit inside a chosen one ("york" in "new york") and a
    /// shorter one behind a longer survivor are never checked.
    private func hits(
        of matches: [Match], normalized: NormalizedText, original: UnsafeBufferPointer<UInt8>, articleDay: Int?
    ) -> [ArticleResolution.Hit] {
        guard !matches.isEmpty else { return [] }
        gazetteer.candidateRule.withUnsafeBufferPointer { rules in
            gazetteer.candidateEntity.withUnsafeBufferPointer { entities in
                for match in matches {
                    let candidate = Int(gazetteer.candidateStart[Int(match.phraseID)])
                    cprefetch_read(rules.baseAddress! + candidate)
                    cprefetch_read(entities.baseAddress! + candidate)
                }
            }
        }
        gazetteer.entities.withUnsafeBufferPointer { entities in
            for match in matches {
                let candidate = Int(gazetteer.candidateStart[Int(match.phraseID)])
                cprefetch_read(entities.baseAddress! + Int(gazetteer.candidateEntity[candidate]))
            }
        }
        let chosen = Self.leftmostLongestSurvivors(of: matches) { match in
            survivor(
                pattern: Int(match.phraseID), start: match.start, end: match.end,
                normalized: normalized, original: original, articleDay: articleDay)
        }
        // Chosen hits do not overlap in the normalized text, so their source ranges are ordered.
        var byteOffsets: [Int] = []
        byteOffsets.reserveCapacity(chosen.count * 2)
        for survivor in chosen {
            byteOffsets.append(survivor.sourceStart)
            byteOffsets.append(survivor.sourceEnd)
        }
        let scalarOffsets = ScalarOffsets.scalarOffsets(ofSortedByteOffsets: byteOffsets, in: original)
        return chosen.enumerated().map { index, survivor in
            ArticleResolution.Hit(
                entity: survivor.entity, alternatives: survivor.alternatives,
                start: scalarOffsets[2 * index], end: scalarOffsets[2 * index + 1],
                byteStart: survivor.sourceStart, byteEnd: survivor.sourceEnd, rule: survivor.rule)
        }
    }

    /// `Match.leftmostLongest` over the matches that survive, for matches in the matcher's order
    /// (by start, shortest first), asking `survives` only about the matches that can be chosen: of
    /// the matches that start at one place, the longest survivor is chosen, and only if that place
    /// is not inside the previous chosen match. Each chosen match's survivor, in text order.
    @inline(__always)
    static func leftmostLongestSurvivors<Survivor>(
        of matches: [Match], _ survives: (Match) -> Survivor?
    ) -> [Survivor] {
        var chosen: [Survivor] = []
        chosen.reserveCapacity(matches.count)
        var reachedEnd = Int.min
        var groupStart = 0
        while groupStart < matches.count {
            let start = matches[groupStart].start
            var groupEnd = groupStart + 1
            while groupEnd < matches.count && matches[groupEnd].start == start { groupEnd += 1 }
            if start >= reachedEnd {
                // Longest first: the first survivor is the one leftmost-longest keeps.
                for index in stride(from: groupEnd - 1, through: groupStart, by: -1) {
                    guard let survivor = survives(matches[index]) else { continue }
                    chosen.append(survivor)
                    reachedEnd = matches[index].end
                    break
                }
            }
            groupStart = groupEnd
        }
        return chosen
    }

    /// The hit of `pattern` at `start..<end` of the normalized text with its best entity, or nil
    /// when no candidate's case rule accepts the original text there.
    @inline(__always)
    private func survivor(
        pattern: Int, start: Int, end: Int, normalized: NormalizedText,
        original: UnsafeBufferPointer<UInt8>, articleDay: Int?
    ) -> Survivor? {
        if gazetteer.patternNeedsCapital[pattern] {
            let first = original[Int(normalized.sourceOffsets[start])]
            if first >= 0x61 && first <= 0x7A { return nil }
        }
        let source = normalized.sourceRange(normalizedStart: start, normalizedEnd: end)
        let sourceEnd = Self.trimmedEnd(original, source)
        let surface = CaseShape(UnsafeBufferPointer(rebasing: original[source.lowerBound..<sourceEnd]))
        var sentenceStart: Bool?
        var best: Int32 = -1
        var bestRule = AliasCaseRule.Kind.cased
        // Accepted candidates: the first one apart, so the usual single-candidate hit allocates nothing.
        var firstAccepted: Int32 = -1
        var moreAccepted: [Int32] = []
        var bestKey = (inOffice: false, prior: -Double.infinity)
        for candidate in Int(gazetteer.candidateStart[pattern])..<Int(gazetteer.candidateStart[pattern + 1]) {
            let rule = gazetteer.candidateRule[candidate]
            if rule.kind == .commonWord && sentenceStart == nil {
                sentenceStart = Self.isSentenceStart(original, at: source.lowerBound)
            }
            guard rule.accepts(surface, atSentenceStart: sentenceStart ?? false) else { continue }
            let entityIndex = gazetteer.candidateEntity[candidate]
            if firstAccepted < 0 { firstAccepted = entityIndex } else { moreAccepted.append(entityIndex) }
            // Only the fields needed, not a copy of the entity (its strings would be retained).
            let prior = gazetteer.entities[Int(entityIndex)].prior
            let from = gazetteer.entities[Int(entityIndex)].from, to = gazetteer.entities[Int(entityIndex)].to
            let inOffice = articleDay.map { day in
                (from != nil || to != nil) && (from ?? Int.min) <= day && day <= (to ?? Int.max)
            } ?? false
            // Prefer the entity in office at the article date, then the highest prior; ties keep
            // load order.
            if best < 0 || (inOffice && !bestKey.inOffice)
                || (inOffice == bestKey.inOffice && prior > bestKey.prior) {
                best = entityIndex
                bestRule = rule.kind
                bestKey = (inOffice, prior)
            }
        }
        guard best >= 0 else { return nil }
        return Survivor(
            entity: best, alternatives: moreAccepted.isEmpty ? [] : ([firstAccepted] + moreAccepted).filter { $0 != best },
            rule: bestRule, sourceStart: source.lowerBound, sourceEnd: sourceEnd)
    }

    /// The end of `range` without trailing whitespace or format characters (a dropped soft hyphen
    /// or zero-width space after the last matched letter belongs to the next chunk's gap).
    static func trimmedEnd(_ original: UnsafeBufferPointer<UInt8>, _ range: Range<Int>) -> Int {
        var end = range.upperBound
        while end > range.lowerBound {
            // ASCII: only the white space controls and the space trim (no ASCII scalar is a format
            // character), without a Unicode property lookup.
            let last = original[end - 1]
            if last < 0x80 {
                guard last == 0x20 || (0x09...0x0D).contains(last) else { break }
                end -= 1
                continue
            }
            let start = previousScalarStart(original, before: end)
            let scalar = decodeScalar(original, at: start).0
            guard ScalarProperties.isWhitespaceOrFormat(scalar) else { break }
            end = start
        }
        return end
    }

    /// Whether the original text at `start` opens a sentence: only spaces, opening quotes or
    /// brackets lie between it and the start of the text, a line break, or `.`, `!`, `?`, `…`.
    static func isSentenceStart(_ original: UnsafeBufferPointer<UInt8>, at start: Int) -> Bool {
        var index = start
        while index > 0 {
            let previous = previousScalarStart(original, before: index)
            let scalar = decodeScalar(original, at: previous).0
            switch scalar {
            case "\n", "\r", ".", "!", "?", "\u{2026}", "\u{2029}", "\u{2028}": return true
            case " ", "\t", "\u{A0}", "\"", "'", "(", "[", "\u{201C}", "\u{2018}", "\u{AB}", "\u{2014}", "\u{2013}", "-":
                index = previous
            default:
                return false
            }
        }
        return true
    }
}
