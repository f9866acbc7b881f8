/// The article-level pass after gazetteer matching: what one alias cannot tell, the article can.
///
/// - All-caps lines (headlines, result tables): a one-word hit of an acronym (`=`) or common-word
///   (`!`) alias counts there only when the same entity is also found in a normal line.
/// - Dates: a month name used as a date ("in May", "May 12") is not an entity.
/// - Ambiguous place aliases (Georgia, Victoria) go to the candidate whose country the article's
///   other places point to.
/// - Unknown people: a title ("President", "Mr.", "Foreign Minister") or a known given name followed
///   by capitalized words makes an article-local person (`local:person:<name>`).
/// - Later and earlier surname-only mentions ("Putin", "Mr Brown", "BLAIR") link to the person the
///   article names in full; a lone surname with no such person links to the only gazetteer person
///   of that surname in office at the article's date ("Bush" in 2001).
/// - Organizations: capitalized names ending in a kind of organization ("Sumitomo Bank") or built
///   as "Ministry of …" become article-local organizations (`local:organization:<name>`).
/// - Sports tables: a city or region directly followed by a score in a line of numbers names a
///   team (an organization), not the place; countries stay places (national teams).
///
/// A class: `resolve`'s closures and nested functions read its tables, and as a struct (its gazetteer
/// alone holds over a dozen arrays) it was copied for each article, every array retained and released.
final class ArticleResolution: Sendable {
    /// A gazetteer hit: chosen entity, the other entities its alias allowed, and its case rule.
    struct Hit {
        var entity: Int32
        var alternatives: [Int32]
        var start: Int
        var end: Int
        /// The same range in UTF-8 bytes: the surface is cut from it only for the hits that become
        /// mentions as they are (most hits' mentions take their text from the article's tokens).
        var byteStart: Int
        var byteEnd: Int
        var rule: AliasCaseRule.Kind
    }

    let gazetteer: Gazetteer
    let givenNames: GivenNames
    /// Lower-cased surname → gazetteer people with that surname and bounded years in office.
    let officeHoldersBySurname: [String: [Int32]]

    /// The name-pattern step's word lists (an instance's: see `NameWords`).
    let words = NameWords.shared
    /// The keys of `officeHoldersBySurname`, asked before it on a token's bytes.
    let officeHolderSurnames: LowercaseWordFilter

    init(gazetteer: Gazetteer, givenNames: GivenNames, officeHoldersBySurname: [String: [Int32]]) {
        self.gazetteer = gazetteer
        self.givenNames = givenNames
        self.officeHoldersBySurname = officeHoldersBySurname
        officeHolderSurnames = LowercaseWordFilter(officeHoldersBySurname.keys, capacity: officeHoldersBySurname.count)
    }

    /// One mention being decided: a gazetteer entity (`entity` ≥ 0) or an article-local one.
    ///
    /// Plain data, no `String`: the passes copy, filter and sort these many times, and with an
    /// `EntityRef` and a surface in each, every copy was six reference-counting calls. The surface is
    /// the text of `firstToken...lastToken`, made for the spans that become mentions.
    private struct Found {
        var start: Int
        var end: Int
        var firstToken: Int
        var lastToken: Int
        var ref: FoundRef
        var entity: Int32
        /// The case rule of the gazetteer alias that matched; nil for article-local spans.
        var rule: AliasCaseRule.Kind? = nil
    }

    /// The entity a span resolves to, without its strings: a gazetteer entity by index, or an
    /// article-local one named by the text of tokens `first...last` (`localRef`). Compared as
    /// `EntityRef`s (`entityRef(_:)`), never field by field: two local refs from different tokens
    /// can name the same entity.
    private struct FoundRef {
        /// The gazetteer entity's index, or -1 for an article-local entity.
        var entity: Int32
        var first: Int32
        var last: Int32
        var type: EntityType

        static func gazetteer(_ entity: Int32, _ type: EntityType) -> FoundRef {
            FoundRef(entity: entity, first: -1, last: -1, type: type)
        }

        static func local(_ type: EntityType, _ first: Int, _ last: Int) -> FoundRef {
            FoundRef(entity: -1, first: Int32(first), last: Int32(last), type: type)
        }
    }

    static func officeHolders(of gazetteer: Gazetteer) -> [String: [Int32]] {
        var index: [String: [Int32]] = [:]
        for (position, entity) in gazetteer.entities.enumerated() where entity.ref.type == .person {
            var words = entity.ref.name.split(separator: " ").map(String.init)
            while let last = words.last, isNameSuffix(last) { words.removeLast() }
            // "Birendra of Nepal" has no surname.
            guard entity.from != nil || entity.to != nil, words.count >= 2, !words.contains("of"),
                  let surname = words.last, surname.count > 1 else { continue }
            index[surname.lowercased(), default: []].append(Int32(position))
        }
        return index
    }

    /// Token arrays from earlier articles, taken and given back by `resolve` (one per thread at
    /// work, at most `StoragePool.limit`).
    let tokenStorage = StoragePool<ArticleTokens.Storage>()
    /// Arrays are kept only from articles up to this size (news articles run to tens of KB): a
    /// kept set holds ~8 bytes of capacity a text byte (28-byte tokens reserved for a quarter of
    /// the bytes), one set per task at work, for the rest of the run.
    static let largestReusedText = 256 << 10

    func resolve(text: String, hits: [Hit], articleDay: Int?) -> [Mention] {
        let article = ArticleTokens(text: text, reusing: tokenStorage.take() ?? ArticleTokens.Storage())
        let mentions = resolve(article, hits: hits, articleDay: articleDay)
        // Here, after the pass whose locals shared them, the arrays are the article's alone, so
        // the next article refills them in place. Those of a large article are let go.
        if article.utf8.count <= Self.largestReusedText { tokenStorage.give(article.storage) }
        return mentions
    }

    private func resolve(_ article: ArticleTokens, hits: [Hit], articleDay: Int?) -> [Mention] {
        let tokens = article.tokens
        let texts = article.texts
        let lowers = article.lowercased
        func surface(_ first: Int, _ last: Int) -> String { article.text(from: first, through: last) }
        func gazetteerRef(_ entity: Int32) -> FoundRef { .gazetteer(entity, gazetteer.entities[Int(entity)].ref.type) }
        func entityRef(_ ref: FoundRef) -> EntityRef {
            ref.entity >= 0
                ? gazetteer.entities[Int(ref.entity)].ref
                : Self.localRef(ref.type, surface(Int(ref.first), Int(ref.last)))
        }
        // Hits come in text order: each one's tokens are looked for from where the last one's were.
        var hitCursor = 0
        func entityFound(_ hit: Hit, _ entity: Int32) -> Found? {
            guard let (first, last) = article.tokens(spanning: hit.start, hit.end, cursor: &hitCursor) else { return nil }
            return Found(start: hit.start, end: hit.end, firstToken: first, lastToken: last,
                         ref: gazetteerRef(entity), entity: entity, rule: hit.rule)
        }

        // 1. Gazetteer hits that stand on token boundaries; others are kept as they are.
        var scoreTokens = 0
        for (position, token) in tokens.enumerated() where token.kind == .number && article.token(position, contains: 0x2D) && Self.isScore(texts[position]) { scoreTokens += 1 }
        let sportsArticle = scoreTokens >= 2
        var found: [Found] = []
        found.reserveCapacity(hits.count)
        var unaligned: [Mention] = []
        for hit in hits {
            if var item = entityFound(hit, hit.entity) {
                // A name does not run across a line break ("Major League" / "Baseball" in a table).
                if tokens[item.firstToken].line != tokens[item.lastToken].line { continue }
                // Titles are not part of a name ("Princess Diana" is a mention of "Diana").
                while item.ref.type == .person, item.firstToken < item.lastToken,
                      article.word(item.firstToken, isIn: words.titles, bare: true) {
                    item.firstToken += 1
                    item.start = tokens[item.firstToken].start
                }
                found.append(item)
            } else {
                unaligned.append(Mention(
                    entity: gazetteer.entities[Int(hit.entity)].ref, start: hit.start, end: hit.end,
                    surface: article.text(bytes: hit.byteStart..<hit.byteEnd),
                    gazetteerEntity: GazetteerEntityHint(gazetteer: gazetteer.instance, index: hit.entity)))
            }
        }

        // 2. Months used as dates.
        found.removeAll { item in
            guard item.firstToken == item.lastToken, article.word(item.firstToken, isIn: words.months) else { return false }
            let next = item.lastToken + 1 < tokens.count ? tokens[item.lastToken + 1] : nil
            return next?.kind == .number || (item.firstToken > 0 && article.lowercasedWord(item.firstToken - 1, isIn: words.dateLeadWords))
        }

        // 3. A short all-caps word in a normal line is an abbreviation ("MON", "SER"), not a
        //    name written in capitals, unless its alias is an acronym.
        //    (Lists are cut in place with `removeAll`: `filter` copied every kept item, and an
        //    item's strings with it.)
        found.removeAll { item in
            guard item.firstToken == item.lastToken, !article.lineIsAllCaps[tokens[item.firstToken].line],
                  tokens[item.firstToken].allCaps, texts[item.firstToken].unicodeScalars.count <= 3,
                  let rule = item.rule else { return false }
            return !(rule == .exact || rule == .anyCase)
        }
        //    All-caps lines: acronym and common-word one-word hits need the entity in a normal line.
        //    (Most articles have no such hit: the set of entities in normal lines is made only
        //    when one is there to check.)
        func needsNormalLine(_ item: Found) -> Bool {
            guard article.lineIsAllCaps[tokens[item.firstToken].line], item.firstToken == item.lastToken,
                  let rule = item.rule else { return false }
            return rule == .exact || rule == .commonWord
        }
        if found.contains(where: needsNormalLine) {
            var seenInNormalLine: Set<Int32> = []
            for item in found where !article.lineIsAllCaps[tokens[item.firstToken].line] { seenInNormalLine.insert(item.entity) }
            found.removeAll { item in needsNormalLine(item) && !seenInNormalLine.contains(item.entity) }
        }
        var alternativesByStart: [Int: [Int32]] = [:]
        for hit in hits where !hit.alternatives.isEmpty { alternativesByStart[hit.start] = hit.alternatives }

        // 4. Ambiguous places: follow the countries of the article's unambiguous places.
        var countryVotes: [String: Int] = [:]
        for item in found where item.ref.type == .place && alternativesByStart[item.start] == nil {
            if let country = gazetteer.entities[Int(item.entity)].country { countryVotes[country, default: 0] += 1 }
        }
        for position in found.indices {
            guard let alternatives = alternativesByStart[found[position].start], found[position].ref.type == .place else { continue }
            // Entities' fields are read in place: a copy of an entity retains all its strings.
            var best = found[position].entity
            var bestVotes = gazetteer.entities[Int(best)].country.flatMap { countryVotes[$0] } ?? 0
            for alternative in alternatives {
                guard gazetteer.entities[Int(alternative)].ref.type == .place else { continue }
                let votes = gazetteer.entities[Int(alternative)].country.flatMap { countryVotes[$0] } ?? 0
                if votes > bestVotes { best = alternative; bestVotes = votes }
            }
            if best != found[position].entity {
                found[position].entity = best
                found[position].ref = gazetteerRef(best)
            }
        }

        // 5. Name patterns: people the gazetteer does not know.
        var tokenOwner = [Int](repeating: -1, count: tokens.count)
        for (position, item) in found.enumerated() {
            for t in item.firstToken...item.lastToken { tokenOwner[t] = position }
        }
        // Arrays that grow by appends are reserved from the article's size: growing one copies it
        // (in a profile, ~14 array growths an article in this function).
        var people: [Found] = []
        people.reserveCapacity(article.capitalizedWords.count / 2)
        var organizations: [Found] = []
        organizations.reserveCapacity(article.capitalizedWords.count / 4)
        // Only capitalized words and "al-…" words can be name words: the walk goes from one of
        // those to the next (both lists ascend) instead of testing every token.
        var t = 0
        var nextCapitalized = 0, nextPrefixed = 0
        let capitalizedWords = article.capitalizedWords, prefixedWords = article.prefixedLowerCaseWords
        while true {
            while nextCapitalized < capitalizedWords.count && Int(capitalizedWords[nextCapitalized]) < t { nextCapitalized += 1 }
            while nextPrefixed < prefixedWords.count && Int(prefixedWords[nextPrefixed]) < t { nextPrefixed += 1 }
            t = min(nextCapitalized < capitalizedWords.count ? Int(capitalizedWords[nextCapitalized]) : tokens.count,
                    nextPrefixed < prefixedWords.count ? Int(prefixedWords[nextPrefixed]) : tokens.count)
            guard t < tokens.count else { break }
            guard isNameWord(t, tokens, article) else { t += 1; continue }
            var end = t
            while end + 1 < tokens.count {
                if isNameWord(end + 1, tokens, article), tokens[end + 1].line == tokens[t].line { end += 1; continue }
                // A lower-case particle between name words ("van der", "bin").
                var look = end + 1
                while look < tokens.count, tokens[look].kind == .word, article.word(look, isIn: words.particles) { look += 1 }
                if look > end + 1, look < tokens.count, isNameWord(look, tokens, article), !tokens[look].sentenceInitial {
                    end = look
                    continue
                }
                break
            }
            if let person = personSpan(t, end, tokens, article) {
                people.append(Found(
                    start: tokens[person.first].start, end: tokens[person.last].end, firstToken: person.first,
                    lastToken: person.last, ref: .local(.person, person.first, person.last), entity: -1))
            }
            t = end + 1
        }
        func keptPerson(_ person: Found) -> Found? {
            // A gazetteer match that covers the given name and reaches as far ("Victoria Falls",
            // "Hong Kong") wins; otherwise the name wins over the places inside it ("Jordan" in
            // "Michael Jordan"). A gazetteer person found on the surname alone ("Stoltenberg" in
            // "Jason Stoltenberg") is that person only if the given name is in the person's name.
            var person = person
            let lastOwner = tokenOwner[person.lastToken]
            if lastOwner >= 0, found[lastOwner].ref.type == .place, found[lastOwner].firstToken == person.lastToken,
               let feature = gazetteer.entities[Int(found[lastOwner].entity)].feature, feature == "city" || feature == "capital",
               !Self.isInitial(texts[person.firstToken]), !hasTitle(before: person.firstToken, article),
               gazetteer.entities[Int(found[lastOwner].entity)].prior >= 5 && (article.givenName(person.firstToken, in: givenNames)?.rank ?? Int.max) > 100
                || person.lastToken + 1 < tokens.count && tokens[person.lastToken + 1].kind == .number
                    && texts[person.lastToken + 1].count == 1 && article.lineNumberCount[tokens[person.lastToken].line] >= 2 {
                return nil  // "Sparta Rotterdam", "Fortuna Sittard": a club, not a person
            }
            let firstOwner = tokenOwner[person.firstToken]
            if firstOwner >= 0, found[firstOwner].ref.type != .person,
               article.givenName(person.firstToken, in: givenNames) == nil || found[firstOwner].entity < 0
                || gazetteer.entities[Int(found[firstOwner].entity)].prior >= 6 {
                // "U.S. Open", "Sydney Bulldogs", "Jordan Valley": a place or organization that is
                // not a given name, or a country or big city, opens the name.
                return nil
            }
            // Each owner once, left to right (an item's tokens are contiguous, so repeats are
            // adjacent): no set to allocate, and the same order on every run.
            var previousOwner = -1
            for position in tokenOwner[person.firstToken...person.lastToken] {
                guard position >= 0, position != previousOwner else { continue }
                previousOwner = position
                let item = found[position]
                if item.ref.type == .person {
                    if item.firstToken <= person.firstToken && item.lastToken >= person.lastToken { return nil }
                    if item.firstToken < person.firstToken { return nil }
                    // "Rubens" (the painter) in "Rubens Barrichello": the longer name wins.
                    if item.firstToken == person.firstToken { continue }
                    let given = texts[person.firstToken]
                    if item.entity >= 0, entityRef(item.ref).name.split(separator: " ").contains(where: { $0 == given }) {
                        person.ref = item.ref
                    }
                    continue
                }
                if item.firstToken <= person.firstToken && item.lastToken >= person.lastToken { return nil }
                if item.firstToken < person.firstToken { return nil }
                if item.firstToken == person.firstToken && item.lastToken > item.firstToken { return nil }
            }
            return person
        }
        // Filtered in place (`compactMap` made a new array for every article).
        var keptPeople = 0
        for index in people.indices {
            guard let person = keptPerson(people[index]) else { continue }
            people[keptPeople] = person
            keptPeople += 1
        }
        people.removeSubrange(keptPeople...)

        // 6. Organization patterns. Only a capitalized word opens an organization's name.
        var nextFree = 0
        for first in article.capitalizedWords where Int(first) >= nextFree {
            let (span, scannedThrough) = organizationSpan(from: Int(first), tokens, article)
            guard let span else {
                // No later start in the words just scanned can find a name either: see
                // `organizationSpan`. Without this, a long run of capitalized words was scanned
                // again from each of its words.
                nextFree = scannedThrough + 1
                continue
            }
            organizations.append(Found(
                start: tokens[span.first].start, end: tokens[span.last].end, firstToken: span.first, lastToken: span.last,
                ref: .local(.organization, span.first, span.last), entity: -1))
            nextFree = span.last + 1
        }
        organizations.removeAll { organization in
            var previousOwner = -1
            for position in tokenOwner[organization.firstToken...organization.lastToken] {
                guard position >= 0, position != previousOwner else { continue }
                previousOwner = position
                let item = found[position]
                if item.firstToken < organization.firstToken || item.lastToken > organization.lastToken { return true }
                if item.firstToken == organization.firstToken && item.lastToken == organization.lastToken { return true }
            }
            return people.contains { $0.firstToken <= organization.lastToken && organization.firstToken <= $0.lastToken }
        }

        // 6b. Unknown names that open a row of figures ("Tranmere 2 …", "Gencor 93.12 92.0 …") and
        //     institutions named by one word after "the" ("the Senate", "the Commission").
        //     Both open with a capitalized word.
        nextFree = 0
        for capitalized in article.capitalizedWords where Int(capitalized) >= nextFree {
            let t = Int(capitalized)
            let token = tokens[t]
            if tokenOwner[t] < 0, t > 0, article.token(t - 1, is: "the", ignoringCase: true),
               tokens[t - 1].line == token.line, article.word(t, isIn: words.institutions),
               t + 1 >= tokens.count || !(tokens[t + 1].capitalized && tokens[t + 1].kind == .word && tokens[t + 1].line == token.line)
                || article.token(t + 1, is: "of") {
                organizations.append(Found(start: token.start, end: token.end, firstToken: t, lastToken: t,
                                           ref: .local(.organization, t, t), entity: -1))
                continue
            }
            let opensLine = t == 0 || tokens[t - 1].line != token.line
            guard opensLine, article.lineNumberCount[token.line] >= 2 else { continue }
            var end = t
            while end + 1 < tokens.count, tokens[end + 1].line == token.line, tokens[end + 1].kind == .word,
                  tokens[end + 1].capitalized { end += 1 }
            let owned = (t...end).contains { tokenOwner[$0] >= 0 }
            if !owned, end + 1 < tokens.count, tokens[end + 1].kind == .number, tokens[end + 1].line == token.line,
               !(t...end).allSatisfy({ article.word($0, isIn: words.nonNameWords) }), !article.lineIsAllCaps[token.line],
               !people.contains(where: { $0.firstToken <= end && t <= $0.lastToken }) {
                organizations.append(Found(start: token.start, end: tokens[end].end, firstToken: t, lastToken: end,
                                           ref: .local(.organization, t, end), entity: -1))
            }
            nextFree = end + 1
        }
        // 6c. Unknown acronyms in normal lines ("the SPLA", "IVAC"): organizations when the article
        //     writes one of them after "the" (products and technical terms seldom take it: "HDTV",
        //     "RFID"), unless they are units, times or economic terms. One written in brackets right
        //     after an organization's name ("Islamic Salvation Front ( FIS )") is that organization.
        //     (An all-caps word is capitalized: its first cased letter is upper case.)
        var acronymsAfterThe: Set<String> = []
        for capitalized in article.capitalizedWords {
            let position = Int(capitalized), token = tokens[position]
            guard position > 0, token.allCaps, article.token(position - 1, is: "the", ignoringCase: true),
                  !article.lineIsAllCaps[token.line] else { continue }
            acronymsAfterThe.insert(texts[position])
        }
        for capitalized in article.capitalizedWords {
            let position = Int(capitalized), token = tokens[position]
            guard token.allCaps, tokenOwner[position] < 0 else { continue }
            // Only an acronym in brackets or one the article writes after "the" can be kept (both
            // are checked again below): the other tests make its text and look up Unicode
            // properties, and most articles have neither kind.
            let inBrackets = position >= 2 && article.token(position - 1, is: "(") && position + 1 < tokens.count
                && article.token(position + 1, is: ")")
            guard inBrackets || !acronymsAfterThe.isEmpty else { continue }
            let text = texts[position]
            guard inBrackets || acronymsAfterThe.contains(text),
                  !organizations.contains(where: { $0.firstToken <= position && position <= $0.lastToken }) else { continue }
            let letters = token.end - token.start
            guard letters >= 2, letters <= 5, !article.lineIsAllCaps[token.line], !text.utf8.contains(0x2E),
                  text.unicodeScalars.allSatisfy({ $0.properties.isAlphabetic }),
                  !words.nonOrganizationAcronyms.contains(text), !Self.isNameSuffix(text),
                  !Self.isRomanNumeral(text) else { continue }
            var ref = FoundRef.local(.organization, position, position)
            if inBrackets, let named = found.first(where: { $0.lastToken == position - 2 })
                ?? organizations.first(where: { $0.lastToken == position - 2 }) {
                guard named.ref.type == .organization else { continue }
                ref = named.ref
            } else if !acronymsAfterThe.contains(text) {
                continue
            }
            organizations.append(Found(start: token.start, end: token.end, firstToken: position, lastToken: position,
                                       ref: ref, entity: -1))
        }
        organizations.sort { $0.start < $1.start }

        // Merge: new spans replace the gazetteer hits they cover. `found` is in text order and its
        // items do not overlap, before and after each merge.
        var covered = [Bool](repeating: false, count: tokens.count)  // all false between merges
        func merge(_ spans: [Found]) {
            guard !spans.isEmpty else { return }
            // New spans never overlap each other: the earlier, then the longer, is kept. The lists
            // mostly come in that order already, and then are not sorted again.
            func precedes(_ a: Found, _ b: Found) -> Bool { (a.start, -a.end) < (b.start, -b.end) }
            let inOrder = zip(spans, spans.dropFirst()).allSatisfy { precedes($0, $1) }
            var extra: [Found] = []
            extra.reserveCapacity(spans.count)
            for item in inOrder ? spans : spans.sorted(by: precedes)
            where extra.last.map({ $0.lastToken < item.firstToken }) ?? true {
                extra.append(item)
            }
            for item in extra { for position in item.firstToken...item.lastToken { covered[position] = true } }
            found.removeAll { item in (item.firstToken...item.lastToken).contains { covered[$0] } }
            for item in extra { for position in item.firstToken...item.lastToken { covered[position] = false } }
            // Both lists are in text order, and no kept item starts where a new one does (it would
            // share its first token): merged from the back, in place, as a sort by start would order
            // them, without the sort's buffer and comparisons.
            var kept = found.count - 1, next = extra.count - 1
            found.append(contentsOf: extra)
            var slot = found.count - 1
            while next >= 0 {
                if kept >= 0 && found[kept].start > extra[next].start {
                    found[slot] = found[kept]
                    kept -= 1
                } else {
                    found[slot] = extra[next]
                    next -= 1
                }
                slot -= 1
            }
        }
        merge(people)
        merge(organizations)

        // 7. Surnames: link lone name words to the people the article names in full.
        var bySurname: [String: FoundRef?] = [:]
        var surnames = LowercaseWordFilter(capacity: 16)
        for item in found where item.ref.type == .person && item.lastToken > item.firstToken {
            var last = item.lastToken
            while last > item.firstToken, Self.isNameSuffix(texts[last]) { last -= 1 }
            if last > item.firstToken, article.token(last - 1, is: "of") { continue }
            let surname = lowers[last]
            surnames.insert(surname)
            if let existing = bySurname[surname], existing.map(entityRef) != entityRef(item.ref) {
                bySurname[surname] = .some(nil)
            } else {
                bySurname[surname] = item.ref
            }
        }
        /// `bySurname`'s entry for token `position`, the filter asked first.
        func surnameEntry(_ position: Int) -> FoundRef?? {
            article.lowercasedWord(position, mayBeIn: surnames) ? bySurname[lowers[position]] : nil
        }
        // A person announced by a title with the surname only ("Mr Brown") is the one named in full.
        for position in found.indices where found[position].entity < 0 && found[position].ref.type == .person
            && found[position].firstToken == found[position].lastToken {
            if let known = surnameEntry(found[position].firstToken), let known {
                found[position].ref = known
            }
        }
        tokenOwner = [Int](repeating: -1, count: tokens.count)
        for (position, item) in found.enumerated() {
            for t in item.firstToken...item.lastToken { tokenOwner[t] = position }
        }
        var linked: [Found] = []
        linked.reserveCapacity(article.capitalizedWords.count / 2)
        for capitalized in article.capitalizedWords {
            let position = Int(capitalized), token = tokens[position]
            guard (token.ascii ? token.end - token.start : texts[position].count) > 1 else { continue }
            let owner = tokenOwner[position]
            if owner >= 0 {
                // Only a one-word hit can give way to a person: a place or organization, or a
                // gazetteer person found on the surname alone when the article names someone else
                // of that surname in full ("Patricia Hewitt … Ms Hewitt" is not Lleyton Hewitt).
                let item = found[owner]
                if item.firstToken != item.lastToken { continue }
                if item.ref.type == .person {
                    guard let known = surnameEntry(position), let known, entityRef(known) != entityRef(item.ref) else { continue }
                }
            }
            // Part of a longer capitalized name ("Brown" in "Brown University") is not a lone surname.
            let previous = position > 0 ? tokens[position - 1] : nil
            let next = position + 1 < tokens.count ? tokens[position + 1] : nil
            let allCapsLine = article.lineIsAllCaps[token.line]
            if !allCapsLine {
                if let next, next.kind == .word, next.capitalized, next.line == token.line, tokenOwner[position + 1] < 0,
                   !article.word(position + 1, isIn: words.nonNameWords) { continue }
                if let previous, previous.kind == .word, previous.capitalized, previous.line == token.line,
                   !article.word(position - 1, isIn: words.titles, bare: true), !previous.sentenceInitial || tokenOwner[position - 1] >= 0 { continue }
            }
            var ref: FoundRef?
            if let known = surnameEntry(position) {
                ref = known
            } else if owner < 0, !allCapsLine, let articleDay, article.lowercasedWord(position, mayBeIn: officeHolderSurnames),
                      let holders = officeHoldersBySurname[lowers[position]] {
                let inOffice = holders.filter { index in
                    (gazetteer.entities[Int(index)].from ?? Int.min) <= articleDay
                        && articleDay <= (gazetteer.entities[Int(index)].to ?? Int.max)
                }
                if inOffice.count == 1 { ref = gazetteerRef(inOffice[0]) }
            }
            guard let ref else { continue }
            linked.append(Found(start: token.start, end: token.end, firstToken: position, lastToken: position, ref: ref,
                                entity: -1))
        }
        merge(linked)

        // 8. Sports: a city or region (not a country: national teams are places) is a team when
        //    it is followed by a score ("Leeds 2 Chelsea 1", "Essex 72-0", standings rows), in a
        //    schedule line ("CINCINNATI AT ATLANTA"), next to a result verb in an article with
        //    scores ("Barcelona beat …", "against Marseille"), or in brackets after a player there.
        var teams: [Found] = []
        for position in found.indices where found[position].ref.type == .place && found[position].entity >= 0 {
            let item = found[position]
            guard !Self.fieldsNationalTeam(
                feature: gazetteer.entities[Int(item.entity)].feature, country: gazetteer.entities[Int(item.entity)].country)
            else { continue }
            let line = tokens[item.firstToken].line
            let previous = item.firstToken > 0 ? tokens[item.firstToken - 1] : nil
            let next = item.lastToken + 1 < tokens.count ? tokens[item.lastToken + 1] : nil
            var team = false
            let nextText = next == nil ? "" : texts[item.lastToken + 1]
            if let next, next.kind == .number, next.line == line, Self.isScore(nextText),
               article.lineNumberCount[line] >= 2 || nextText.utf8.contains(0x2D) {
                team = true
            } else if let next, next.line == line, nextText == "AT" || nextText == "at",
                      item.firstToken == 0 || tokens[item.firstToken - 1].line != line {
                // "CINCINNATI AT ATLANTA" opens its line.
                team = true
            } else if sportsArticle, !article.lineIsAllCaps[line] {
                let before = previous == nil ? "" : lowers[item.firstToken - 1]
                let after = next == nil ? "" : lowers[item.lastToken + 1]
                if words.resultVerbs.contains(after) || words.resultVerbs.contains(before) || before == "to" && item.firstToken >= 2 && article.lowercasedWord(item.firstToken - 2, isIn: words.resultVerbs) {
                    team = true
                } else if before == "(", after == ")", item.firstToken >= 2,
                          found.contains(where: { $0.lastToken == item.firstToken - 2 && $0.ref.type == .person }) {
                    team = true
                }
            }
            guard team else { continue }
            var start = item.firstToken
            // A club word before the city on a score line ("NEC Nijmegen", "Arminia Bielefeld").
            if let previous, previous.kind == .word, previous.capitalized, previous.line == line, start > 0,
               !article.lineIsAllCaps[line], !article.word(start - 1, isIn: words.nonNameWords),
               !texts[start - 1].hasSuffix("."), !article.word(start - 1, isIn: words.titles),
               !found.contains(where: { $0.lastToken == start - 1 && ($0.firstToken != $0.lastToken || $0.ref.type == .person) }) {
                start -= 1
            }
            teams.append(Found(start: tokens[start].start, end: item.end, firstToken: start, lastToken: item.lastToken,
                               ref: .local(.organization, start, item.lastToken), entity: -1))
        }
        merge(teams)

        let instance = gazetteer.instance
        var result = found.map {
            Mention(
                entity: entityRef($0.ref), start: $0.start, end: $0.end, surface: surface($0.firstToken, $0.lastToken),
                gazetteerEntity: $0.ref.entity >= 0 ? GazetteerEntityHint(gazetteer: instance, index: $0.ref.entity) : nil)
        }
        if !unaligned.isEmpty {
            result.append(contentsOf: unaligned)
            result.sort { $0.start < $1.start }
            var kept: [Mention] = []
            for mention in result where kept.last.map({ $0.end <= mention.start }) ?? true { kept.append(mention) }
            result = kept
        }
        return result
    }

    /// "V." or "J.R.": one or more single capital letters, each with its dot.
    static func isInitial(_ word: String) -> Bool {
        // Walked in place: this runs for every name word, and an array of its scalars allocated.
        var count = 0
        for scalar in word.unicodeScalars {
            if count % 2 == 0 {
                guard scalar.isASCII ? (scalar.value >= 0x41 && scalar.value <= 0x5A) : ScalarProperties.isUppercase(scalar) else { return false }
            } else {
                guard scalar == "." else { return false }
            }
            count += 1
        }
        return count >= 2 && count % 2 == 0
    }

    private func hasTitle(before index: Int, _ article: ArticleTokens) -> Bool {
        guard index > 0 else { return false }
        return article.word(index - 1, isIn: words.titles, bare: true)
            || article.word(index - 1, isIn: words.roleNouns, bare: true)
    }

    /// A score or table figure: "2", "2-1", "72-0", "255-9"; not a year or a decimal.
    static func isScore(_ text: String) -> Bool {
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count <= 2 else { return false }
        return parts.allSatisfy { part in !part.isEmpty && part.count <= 3 && part.allSatisfy(\.isASCII) && part.allSatisfy(\.isNumber) }
    }

    /// Countries field national teams, which stay places; so do the four home nations of the UK.
    static func fieldsNationalTeam(feature: String?, country: String?) -> Bool {
        if feature == "country" || feature == "former-country" { return true }
        return country == "GB" && feature == "admin1"
    }

    private static let nameSuffixes: WordSet = ["Jr", "Sr", "II", "III", "IV", "JR", "SR"]

    /// "II", "Jr", "Sr.": ends a name but is not a surname.
    static func isNameSuffix(_ word: String) -> Bool {
        nameSuffixes.contains(Self.bare(word))
    }

    static func isRomanNumeral(_ word: String) -> Bool {
        !word.isEmpty && word.allSatisfy { "IVXLC".contains($0) }
    }

    static func bare(_ word: String) -> String {
        word.hasSuffix(".") ? String(word.dropLast()) : word
    }

    /// An article-local entity: its key is the name in lower case with runs of spaces and line
    /// breaks made one space, so "Theo van Gogh" and "THEO VAN GOGH" are one entity.
    static func localRef(_ type: EntityType, _ name: String) -> EntityRef {
        // Literals, not interpolation: "local:organization:" is too long for an inline string, and
        // interpolating it allocated once a name.
        let prefix: String
        switch type {
        case .person: prefix = "local:person:"
        case .place: prefix = "local:place:"
        case .treaty: prefix = "local:treaty:"
        case .organization: prefix = "local:organization:"
        }
        var utf8Name = name
        // ASCII names (nearly all) are keyed byte by byte; "\r\n" is one Character, not a break,
        // so a name with "\r" takes the general path too.
        let key: String? = utf8Name.withUTF8 { bytes in
            guard bytes.allSatisfy({ $0 < 0x80 && $0 != 0x0D }) else { return nil }
            // Written in place into one string (an array first, then a string, took three allocations).
            let prefixBytes = prefix.utf8
            return String(unsafeUninitializedCapacity: prefixBytes.count + bytes.count) { key in
                var length = 0
                for byte in prefixBytes { key[length] = byte; length += 1 }
                var pendingSpace = false
                for byte in bytes {
                    if byte == 0x20 || byte == 0x0A {
                        pendingSpace = length > prefixBytes.count
                        continue
                    }
                    if pendingSpace { key[length] = 0x20; length += 1; pendingSpace = false }
                    key[length] = byte >= 0x41 && byte <= 0x5A ? byte | 0x20 : byte
                    length += 1
                }
                return length
            }
        }
        let normalized = key ?? prefix + name.lowercased().split(whereSeparator: { $0 == " " || $0 == "\n" }).joined(separator: " ")
        return EntityRef(key: normalized, name: name, type: type)
    }

    /// A capitalized word that can be part of a person's name (an initial "V." included).
    private func isNameWord(_ index: Int, _ tokens: [ArticleTokens.Token], _ article: ArticleTokens) -> Bool {
        let token = tokens[index]
        guard token.kind == .word, !article.lineIsAllCaps[token.line] else { return false }
        if token.capitalized { return true }
        // "al-Assad", "el-Sisi" style names: the tokenizer marks them by their bytes; over four
        // characters, not only bytes.
        return token.prefixedLowerCase && article.texts[index].count > 4
    }

    /// The person inside the run of name words `first...last`, if the run announces one.
    private func personSpan(_ first: Int, _ last: Int, _ tokens: [ArticleTokens.Token], _ article: ArticleTokens) -> (first: Int, last: Int)? {
        let texts = article.texts
        var start = first
        var end = last
        // Trailing words that are never names ("… Monday").
        while end >= start, article.word(end, isIn: words.nonNameWords) || article.word(end, isIn: words.titles, bare: true) { end -= 1 }
        guard end >= start else { return nil }
        // A title inside the run: the person follows the last one ("Foreign Minister Yevgeny Primakov").
        var titled = false
        var k = end - 1
        while k >= start {
            if article.word(k, isIn: words.titles, bare: true) {
                // After a determiner a title word is a common noun or adjective: "the General
                // Election", "a Deputy Minister", "the Chief Executive" announce no one.
                if k == first, first > 0, article.lowercasedWord(first - 1, isIn: words.determiners),
                   tokens[first - 1].line == tokens[first].line {
                    break
                }
                titled = true
                start = k + 1
                break
            }
            k -= 1
        }
        if !titled {
            // A lower-case role word right before the run ("spokesman Nikolaus van der Pas").
            if first > 0, tokens[first - 1].kind == .word, article.word(first - 1, isIn: words.roleNouns, bare: true),
               tokens[first - 1].line == tokens[first].line {
                titled = true
            }
        }
        // Leading words that are never names ("When John Smith …").
        while start <= end, article.word(start, isIn: words.nonNameWords) { start += 1 }
        guard start <= end else { return nil }
        if titled {
            // A title alone before one word that opens a new sentence is not enough evidence.
            return (start, end)
        }
        // Initials before a surname ("G. Thorpe", "J.R. Smith").
        if start < end, Self.isInitial(texts[start]), !Self.isInitial(texts[end]) { return (start, end) }
        // A known given name followed by at least one more name word.
        var g = start
        while g < end {
            if let common = article.givenName(g, in: givenNames, bare: true)?.common {
                if common && tokens[g].sentenceInitial && g == first { g += 1; continue }
                return (g, end)
            }
            g += 1
        }
        return nil
    }

    /// An organization name starting at `first`: capitalized words (with "of", "&"…) ending in a kind
    /// of organization, or a kind of organization followed by "of" and capitalized words.
    ///
    /// Also the last token the search looked at as part of the name. When no name is found, no
    /// start after `first` up to that token finds one: such a start reaches no further (it crosses
    /// "of" only after a head word it shares with `first`'s search), and a kind of organization
    /// after it, or a head followed by "of", would have made `first`'s search succeed.
    private func organizationSpan(
        from first: Int, _ tokens: [ArticleTokens.Token], _ article: ArticleTokens
    ) -> (span: (first: Int, last: Int)?, scannedThrough: Int) {
        let token = tokens[first]
        guard token.kind == .word, token.capitalized, !article.lineIsAllCaps[token.line],
              !article.word(first, isIn: words.nonNameWords) || article.word(first, isIn: words.organizationHeads) else { return (nil, first) }
        var end = first
        var lastHead = article.word(first, isIn: words.organizationHeads) && first > 0 ? first : -1
        var sawOfHead = article.word(first, isIn: words.organizationOfHeads)
        var index = first + 1
        while index < tokens.count, tokens[index].line == token.line {
            let word = tokens[index]
            if word.kind == .word, word.capitalized {
                if article.word(index, isIn: words.organizationHeads) { lastHead = index }
                if article.word(index, isIn: words.organizationOfHeads) { sawOfHead = true }
                end = index
                index += 1
                continue
            }
            // "Bank of Tokyo" crosses "of"; "Shares of Sumitomo Bank" does not.
            if sawOfHead, article.word(index, isIn: words.organizationConnectors), index + 1 < tokens.count,
               tokens[index + 1].kind == .word, tokens[index + 1].capitalized, tokens[index + 1].line == token.line {
                index += 1
                continue
            }
            break
        }
        if lastHead > first { return ((first, lastHead), end) }
        // "Ministry of Defence", "Bank of Tokyo": a head word followed by "of" and a name.
        if sawOfHead && end > first {
            for k in first..<end where article.word(k, isIn: words.organizationOfHeads) && article.token(k + 1, is: "of") {
                return ((first, end), end)
            }
        }
        return (nil, end)
    }
}
