import Foundation

/// The given names the name-pattern step starts an unknown person's name with
/// (`Gazetteers/given-names.txt`, built by `Scripts/build_gazetteers.py` from names-dataset).
public struct GivenNames: Sendable, Equatable {
    /// Name → its best rank in some country, and whether it is also an ordinary English word
    /// ("Will", "Mark"), which needs more evidence.
    let names: [String: (rank: Int, common: Bool)]
    /// The names that are ASCII (or canonically equal to ASCII), found by their bytes: resolution
    /// asks about the words of every run of capitalized words, and each was made a `String` and
    /// hashed with SipHash (about 1.5% of the gazetteer stage's samples in a profile).
    private let asciiNames: ASCIIKeyTable
    private let asciiEntries: [(rank: Int, common: Bool)]

    public static let fileName = "given-names.txt"
    public static let empty = GivenNames(names: [:])

    public var count: Int { names.count }

    public init(names: [String: (rank: Int, common: Bool)]) {
        self.names = names
        var keys: [String] = [], entries: [(rank: Int, common: Bool)] = []
        keys.reserveCapacity(names.count)
        entries.reserveCapacity(names.count)
        for (name, entry) in names {
            guard let ascii = ASCIIKeyTable.asciiForm(of: name) else { continue }
            keys.append(ascii)
            entries.append(entry)
        }
        asciiNames = ASCIIKeyTable(keys)
        asciiEntries = entries
    }

    public static func == (a: GivenNames, b: GivenNames) -> Bool {
        a.names.count == b.names.count && a.names.allSatisfy { key, value in
            b.names[key].map { $0.rank == value.rank && $0.common == value.common } ?? false
        }
    }

    /// Parses the file: `name<TAB>rank[<TAB>common]` a line, `#` comments.
    ///
    /// Read as bytes (tab and newline are ASCII): it is read at every start, and splitting the
    /// 47k-line file into `Character`s took 13% of start-up.
    public init(text: String, path: String) throws {
        var names: [String: (rank: Int, common: Bool)] = [:]
        var text = text
        // One pass over the bytes, fields found by their tabs: splitting into arrays of lines and
        // fields allocated twice a line, most of the file's load time (it is read at every start).
        try text.withUTF8 { utf8 in
            names.reserveCapacity(utf8.count / 12)
            var lineNumber = 0
            var lineStart = 0
            while lineStart <= utf8.count {
                lineNumber += 1
                var lineEnd = lineStart
                while lineEnd < utf8.count && utf8[lineEnd] != 0x0A { lineEnd += 1 }
                defer { lineStart = lineEnd + 1 }
                var end = lineEnd
                if end > lineStart && utf8[end - 1] == 0x0D { end -= 1 }
                if end == lineStart || utf8[lineStart] == 0x23 { continue }
                func field(from start: Int) -> Range<Int> {
                    var stop = start
                    while stop < end && utf8[stop] != 0x09 { stop += 1 }
                    return start..<stop
                }
                let name = field(from: lineStart)
                guard name.upperBound < end, !name.isEmpty else {
                    throw GazetteerError(file: path, line: lineNumber, reason: "expected name<TAB>rank[<TAB>common]")
                }
                let rankField = field(from: name.upperBound + 1)
                guard let rank = Int(String(decoding: UnsafeBufferPointer(rebasing: utf8[rankField]), as: UTF8.self)) else {
                    throw GazetteerError(file: path, line: lineNumber, reason: "expected name<TAB>rank[<TAB>common]")
                }
                let common = rankField.upperBound < end
                    && utf8[field(from: rankField.upperBound + 1)].elementsEqual("common".utf8)
                names[String(decoding: UnsafeBufferPointer(rebasing: utf8[name]), as: UTF8.self)] = (rank, common)
            }
        }
        self.init(names: names)
    }

    /// Loads `given-names.txt` from the gazetteer directory; an absent file gives no given names
    /// (the name-pattern step then works from titles only).
    public static func load(directory: URL) throws -> GivenNames {
        let path = directory.appendingPathComponent(fileName).path
        guard FileManager.default.fileExists(atPath: path) else { return .empty }
        guard let data = FileManager.default.contents(atPath: path) else {
            throw GazetteerError(file: path, reason: "cannot read file")
        }
        return try GivenNames(text: String(decoding: data, as: UTF8.self), path: path)
    }

    /// nil when `word` is not a given name, else whether it is also a common English word. An
    /// all-caps word ("JOHN") is looked up capitalized.
    func lookup(_ word: String) -> Bool? {
        entry(word)?.common
    }

    /// Best rank of a given name (lower is more common), nil when it is not one.
    func rank(_ word: String) -> Int? {
        entry(word)?.rank
    }

    /// `entry` on the bytes of an ASCII word, with the same answers.
    func entry(asciiBytes word: UnsafeBufferPointer<UInt8>) -> (rank: Int, common: Bool)? {
        if let index = asciiNames.index(of: word) { return asciiEntries[index] }
        // All caps ("JOHN"): looked up with its first letter kept and the rest in lower case.
        guard word.count > 1, !word.contains(where: { $0 &- 0x61 < 26 }) else { return nil }
        return withUnsafeTemporaryAllocation(of: UInt8.self, capacity: word.count) { capitalized in
            capitalized[0] = word[0]
            for offset in 1..<word.count {
                let byte = word[offset]
                capitalized[offset] = byte &- 0x41 < 26 ? byte | 0x20 : byte
            }
            return asciiNames.index(of: UnsafeBufferPointer(capitalized)).map { asciiEntries[$0] }
        }
    }

    /// `word`'s rank and common-word flag as a given name, an all-caps word looked up capitalized.
    func entry(_ word: String) -> (rank: Int, common: Bool)? {
        if let entry = names[word] { return entry }
        // An all-caps word ("JOHN") is looked up as "John". Most misses are not all caps, and an
        // ASCII word says so by its bytes, without the upper-case copy the general test makes.
        var copy = word
        let asciiVerdict: Bool? = copy.withUTF8 { bytes in
            guard bytes.allSatisfy({ $0 < 0x80 }) else { return nil }
            return bytes.count > 1 && !bytes.contains(where: { $0 &- 0x61 < 26 })
        }
        if asciiVerdict == false { return nil }
        guard word.count > 1, word.uppercased() == word else { return nil }
        return names[word.prefix(1) + word.dropFirst().lowercased()]
    }
}

/// Word lists of the name-pattern step: titles that announce a person, words that are never part
/// of a name, and head words of organization names. They describe English news, not one corpus.
///
/// Instance lists, held by `ArticleResolution` (`words`): as static lets, every use in the
/// per-word passes went through `swift_once` (~1% of the gazetteer stage's samples).
struct NameWords: Sendable {
    /// The lists, made once.
    static let shared = NameWords()

    /// Titles before a name ("President Clinton", "Mr. Brown", "Foreign Minister Yevgeny Primakov").
    /// Compared without a trailing dot.
    let titles: WordSet = [
        "Mr", "Mrs", "Ms", "Dr", "Prof", "Professor", "President", "Sen", "Senator", "Rep",
        "Representative", "Gov", "Governor", "Minister", "Premier", "Chancellor", "King", "Queen", "Prince",
        "Princess", "Pope", "Sheikh", "Sheik", "Ayatollah", "Emir", "Sultan", "General", "Gen", "Lt",
        "Col", "Colonel", "Maj", "Capt", "Captain", "Sgt", "Cpl", "Adm", "Admiral", "Marshal", "Judge",
        "Justice", "Rev", "Reverend", "Cardinal", "Archbishop", "Bishop", "Rabbi", "Imam", "Mullah", "Mayor",
        "Secretary", "Ambassador", "Commissioner", "Chairman", "Chairwoman", "Speaker", "Sir", "Dame",
        "Lord", "Lady", "Coach", "Detective", "Inspector", "Superintendent", "Constable", "Officer",
        "Vice-President", "Vice-Premier", "Chief", "Executive", "Deputy", "Director", "Envoy", "Mme", "Mlle", "Herr",
        "Monsieur", "Madame", "Senor", "Señor", "Signor",
    ]
    /// Lower-case role words right before a name ("spokesman Nikolaus van der Pas").
    let roleNouns: WordSet = [
        "president", "minister", "premier", "chancellor", "spokesman", "spokeswoman", "spokesperson",
        "leader", "chairman", "chairwoman", "director", "secretary", "envoy", "ambassador", "general",
        "captain", "colonel", "judge", "mayor", "governor", "senator", "coach", "manager", "striker",
        "midfielder", "defender", "goalkeeper", "forward", "batsman", "bowler", "player", "champion",
        "driver", "rider", "analyst", "economist", "trader", "dealer", "official", "commander",
        "lawyer", "attorney", "prosecutor", "correspondent", "reporter", "editor", "actor", "actress",
        "singer", "writer", "author", "dissident", "candidate", "challenger", "opponent", "rival",
        "teammate", "compatriot", "veteran", "newcomer", "seed", "boss", "founder", "owner", "executive",
        "chief", "head", "deputy", "aide", "adviser", "advisor", "mr", "mrs", "ms", "dr",
    ]
    /// Capitalized words that are never part of a person's name: sentence openers, days, months.
    let nonNameWords: WordSet = [
        "The", "A", "An", "In", "On", "At", "By", "For", "From", "To", "Of", "And", "But", "Or", "If",
        "When", "While", "After", "Before", "As", "With", "Without", "Under", "Over", "This", "That",
        "These", "Those", "It", "Its", "He", "She", "We", "They", "I", "His", "Her", "Their", "Our",
        "There", "Here", "Some", "All", "No", "Not", "Yes", "New", "Former", "Both", "Mother", "Father",
        "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday",
        "January", "February", "March", "April", "June", "July", "August", "September", "October",
        "November", "December", "Jan", "Feb", "Mar", "Apr", "Jun", "Jul", "Aug", "Sep", "Sept", "Oct",
        "Nov", "Dec", "God", "Allah", "Christ", "Jesus", "Internet", "Web", "Reuters",
        "North", "South", "East", "West", "Northern", "Southern", "Eastern", "Western", "Central",
        "Democrat", "Democrats", "Republican", "Republicans", "Party", "Group", "Bank", "Inc", "Corp",
        "Ltd", "Co", "University", "Club", "Council", "Ministry", "Army", "Police", "Court", "Street",
        "Road", "Avenue", "Square", "Airport", "Hotel", "Stadium", "Park", "River", "Lake", "Island",
        "Islands", "Mount", "Cup", "League", "Open", "Championship", "Championships", "Games", "Grand",
        "Prix", "Division", "Index", "Exchange", "Times", "News", "Post", "Daily", "Journal", "Radio",
        "Television", "TV", "Agency", "Press", "Service", "Newsroom",
    ]
    /// Words after which a title word is not a title ("the General Election").
    let determiners: WordSet = ["the", "a", "an", "this", "that", "its", "their", "his", "her", "our"]
    /// Lower-case particles inside names ("Nikolaus van der Pas", "Osama bin Laden").
    let particles: WordSet = [
        "van", "von", "de", "der", "den", "da", "das", "dos", "do", "du", "del", "della", "di", "la", "le",
        "ter", "ten", "bin", "ibn", "al", "el", "y", "e",
    ]
    /// Month names: "May" in "in May" or "May 12" is a date, not the person or the town.
    let months: WordSet = [
        "January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
        "November", "December",
    ]
    /// Words before a month name that make it a date.
    let dateLeadWords: WordSet = [
        "in", "on", "since", "until", "till", "by", "from", "to", "through", "last", "next", "early", "late",
        "mid", "of", "before", "after", "during", "end", "this", "that",
    ]
    /// Last words of organization names ("Sumitomo Bank", "Islamic Salvation Front", "Ajax Amsterdam"
    /// is not one: only kinds of organization).
    let organizationHeads: WordSet = [
        "Inc", "Corp", "Corporation", "Co", "Ltd", "Plc", "PLC", "AG", "SA", "NV", "GmbH", "SpA", "Group",
        "Holdings", "Holding", "Bank", "Bancorp", "Party", "Council", "Association", "Federation", "Union",
        "Ministry", "Agency", "University", "College", "Club", "Committee", "Commission", "Institute",
        "Front", "Movement", "Army", "League", "Board", "Airlines", "Airways", "Motors", "Industries",
        "Systems", "Securities", "Exchange", "Fund", "Trust", "Foundation", "Authority", "Department",
        "Organisation", "Organization", "Court", "Parliament", "Assembly", "Police", "Times", "Post",
        "Journal", "Television", "Radio", "Press", "Corps", "Brigade", "Brigades", "Guard", "Navy",
        "Office", "Service", "Services", "Technologies", "Electronics", "Telecom", "Communications",
        "Petroleum", "Oil", "Energy", "Steel", "Chemical", "Chemicals", "Pharmaceuticals", "Insurance",
        "Investments", "Capital", "Partners", "Enterprises", "Society", "Congress", "Senate", "Cabinet",
        "Tribunal", "Alliance", "Coalition", "Council", "Secretariat", "Directorate", "Bureau",
        "Church", "Hospital", "School", "Team", "United", "Rovers", "Wanderers", "Athletic", "FC", "Newsroom",
    ]
    /// Head words that are followed by "of …" ("Bank of Tokyo", "Ministry of Defence").
    let organizationOfHeads: WordSet = [
        "Bank", "Ministry", "University", "Department", "Institute", "Council", "Committee", "Federation",
        "Association", "Union", "Party", "Office", "Commission", "League", "Church", "Organisation",
        "Organization", "Court", "Board", "Chamber", "College", "Academy", "Society", "Bureau", "Agency",
        "Army", "Front", "Movement", "Congress", "Assembly", "House", "Parliament", "School", "Museum",
    ]
    /// Verbs of a match result next to a team's name ("Leeds beat Chelsea", "lost to Leeds").
    let resultVerbs: WordSet = [
        "beat", "beats", "defeated", "defeats", "drew", "draw", "lost", "lose", "loses", "won", "win", "wins",
        "edged", "thrashed", "crushed", "routed", "downed", "hammered", "outclassed", "overwhelmed",
        "eliminated", "knocked", "held", "trail", "trailed", "led", "lead", "leads", "host", "hosts", "hosted",
        "visit", "visits", "visited", "played", "face", "faces", "faced", "meet", "meets", "met",
        "against", "v", "vs", "versus",
    ]
    /// Institutions named by one capitalized word after "the" ("the Senate said").
    let institutions: WordSet = [
        "Senate", "Commission", "Congress", "Parliament", "Cabinet", "Pentagon", "Politburo", "Bundestag",
        "Bundesrat", "Duma", "Knesset", "Treasury", "Fed", "Government", "Assembly", "Council", "Presidium",
        "Sejm", "Storting", "Riksdag", "Majlis", "Lords", "Commons", "Vatican", "Junta", "Army", "Navy",
    ]
    /// All-caps words of news that are not organizations: time zones, units, economic and
    /// sports-statistics terms, currency codes, pronouns and headline words.
    let nonOrganizationAcronyms: WordSet = [
        "GMT", "AM", "PM", "EST", "EDT", "CST", "CDT", "PST", "PDT", "BST", "CET", "CEST", "UTC", "TV", "OK",
        "ID", "CEO", "CFO", "COO", "GDP", "GNP", "CPI", "PPI", "VAT", "EPS", "NA", "YR", "AIDS", "HIV", "DNA",
        "MP", "MPS", "PHD", "AGM", "IPO", "USD", "DM", "FFR", "JPY", "GBP", "EUR", "YEN", "CHF", "SFR", "NOTE",
        "FY", "NET", "LTD", "INC", "PLC", "RBI", "ERA", "HR", "AB", "IP", "BB", "SO", "ER", "SV", "GP", "GS",
        "PCT", "BPD", "KM", "KG", "MW", "CM", "MM", "MLN", "BLN", "BN", "NO", "YES", "THE", "AND", "OF", "A",
        "I", "Q", "QTR", "FOB", "CIF", "LIBOR", "RPI", "ISM", "PMI", "NAV", "P/E", "PE", "EBIT", "EBITDA",
        "MPH", "RPM", "LCD", "PC", "PCS", "CD", "CDS", "DVD", "SMS", "URL", "FAQ", "ATM", "SUV", "NB", "PS",
        "UPDATE", "CORRECTED", "RPT", "FACTBOX", "WRAPUP", "ADVISORY", "URGENT", "FLASH", "BULLETIN",
        "DEC", "JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV",
        "MON", "TUE", "WED", "THU", "FRI", "SAT", "SUN", "HK", "NZ", "LT", "ST", "CT", "RE", "VS",
    ]
    /// Words joining an organization name ("Bank of England", "Procter & Gamble").
    let organizationConnectors: WordSet = ["of", "for", "and", "&", "de", "du", "des", "der", "on"]
}

/// A small fixed set of words, asked about nearly every token of every article. Most answers are
/// "no", and a `Set<String>` hashes the whole word (SipHash) before it can say so; here a table of
/// (first byte, length) pairs present in the set answers most of them, and the rest are found
/// in an `ASCIIKeyTable`, with no `String` made.
struct WordSet: ExpressibleByArrayLiteral, Sendable {
    /// Every word; asked for non-ASCII words, which Swift compares by canonical equivalence
    /// ("Señor" written with a combining tilde).
    private let words: Set<String>
    /// By first UTF-8 byte: bit `min(length, 63)` set when an ASCII word of that length starts with it.
    private let shapes: [UInt64]
    private let table: ASCIIKeyTable
    /// Whether every word has an ASCII form (`ASCIIKeyTable.asciiForm`).
    private let allWordsHaveASCIIForms: Bool

    init(arrayLiteral elements: String...) {
        words = Set(elements)
        let asciiForms = words.compactMap(ASCIIKeyTable.asciiForm(of:))
        allWordsHaveASCIIForms = asciiForms.count == words.count
        var shapes = [UInt64](repeating: 0, count: 256)
        for word in asciiForms {
            guard let first = word.utf8.first else { continue }
            shapes[Int(first)] |= 1 << UInt64(min(word.utf8.count, 63))
        }
        self.shapes = shapes
        table = ASCIIKeyTable(asciiForms)
    }

    /// Same answer as `Set<String>.contains`.
    func contains(_ word: String) -> Bool {
        var utf8Word = word
        let ascii = utf8Word.withUTF8 { utf8 in utf8.allSatisfy({ $0 < 0x80 }) ? contains(asciiBytes: utf8) : nil }
        return ascii ?? words.contains(word)
    }

    /// Whether the word whose UTF-8 bytes are `word` is surely not in the set, told from its bytes:
    /// it holds a scalar from U+00C0 to U+027F (lead byte 0xC3 to 0xC9: the accented Latin
    /// letters) and every word of the set has an ASCII form. Such a scalar's canonical decomposition
    /// keeps a non-ASCII scalar, so the word is canonically equal to no ASCII word. False means
    /// "ask `contains`".
    func surelyLacks(utf8 word: UnsafeBufferPointer<UInt8>) -> Bool {
        allWordsHaveASCIIForms && word.contains { $0 &- 0xC3 <= 0xC9 - 0xC3 }
    }

    /// `contains` for a word given as ASCII bytes.
    func contains(asciiBytes word: UnsafeBufferPointer<UInt8>) -> Bool {
        guard let first = word.first, shapes[Int(first)] & (1 << UInt64(min(word.count, 63))) != 0 else { return false }
        return table.index(of: word) != nil
    }
}

/// ASCII keys found by their bytes: an FNV-1a hash into a small open-addressing table, then one
/// `memcmp`. What `WordSet` and `GivenNames` answer ASCII words with, without making a `String`
/// and hashing it with SipHash.
///
/// Each slot keeps the top half of its key's hash beside the key's index, so a probe that meets
/// another key is told apart in the slot itself: most words asked about are not keys (resolution
/// asks about every capitalized word), and reading the other key's offsets and bytes made two more
/// cache misses a probe (the given-name table's slots, offsets and bytes take ~1.5 MB, more than
/// the 1 MiB L2 cache of a core here).
struct ASCIIKeyTable: Sendable {
    /// The keys' bytes, one after another; key `i` is `bytes[starts[i]..<starts[i + 1]]`.
    private let bytes: [UInt8]
    private let starts: [Int32]
    /// Open addressing, at most half full: 0 for an empty slot, else the top 32 bits of the key's
    /// hash above the key's index + 1.
    private let slots: [UInt64]

    /// The keys, each ASCII; key `i` is found as `i`. A key given twice is found as the first.
    init(_ keys: [String]) {
        var bytes: [UInt8] = []
        var starts: [Int32] = [0]
        for key in keys {
            precondition(key.utf8.allSatisfy { $0 < 0x80 }, "ASCIIKeyTable keys are ASCII")
            bytes.append(contentsOf: key.utf8)
            starts.append(Int32(bytes.count))
        }
        var capacity = 8
        while capacity < 2 * starts.count { capacity *= 2 }
        var slots = [UInt64](repeating: 0, count: capacity)
        bytes.withUnsafeBufferPointer { all in
            for index in 0..<(starts.count - 1) {
                let key = UnsafeBufferPointer(rebasing: all[Int(starts[index])..<Int(starts[index + 1])])
                let hash = Self.hash(key)
                var slot = Int(truncatingIfNeeded: hash) & (capacity - 1)
                var duplicate = false
                while slots[slot] != 0 {
                    let other = Int(truncatingIfNeeded: slots[slot] & Self.indexMask) - 1
                    if key.elementsEqual(all[Int(starts[other])..<Int(starts[other + 1])]) { duplicate = true; break }
                    slot = (slot + 1) & (capacity - 1)
                }
                if !duplicate { slots[slot] = hash & ~Self.indexMask | UInt64(index + 1) }
            }
        }
        self.bytes = bytes
        self.starts = starts
        self.slots = slots
    }

    private static let indexMask: UInt64 = 0xFFFF_FFFF

    /// A word as the ASCII key it is equal to: an ASCII word itself, another word when its canonical
    /// decomposition is ASCII (the Kelvin sign "K" is "K", and Swift's `String` equality makes them
    /// equal), else nil. A set's words have distinct forms: two words with one form are equal.
    static func asciiForm(of word: String) -> String? {
        if word.utf8.allSatisfy({ $0 < 0x80 }) { return word }
        let decomposed = word.decomposedStringWithCanonicalMapping
        return decomposed.utf8.allSatisfy({ $0 < 0x80 }) ? decomposed : nil
    }

    @inline(__always)
    private static func hash(_ word: UnsafeBufferPointer<UInt8>) -> UInt64 {
        var hash: UInt64 = 0xCBF2_9CE4_8422_2325
        for byte in word { hash = (hash ^ UInt64(byte)) &* 0x0100_0000_01B3 }
        return hash
    }

    /// The index of the key spelled by `word`, if any.
    func index(of word: UnsafeBufferPointer<UInt8>) -> Int? {
        let hash = Self.hash(word)
        let tag = hash & ~Self.indexMask
        return slots.withUnsafeBufferPointer { slots in
            let mask = slots.count - 1
            var slot = Int(truncatingIfNeeded: hash) & mask
            while true {
                let stored = slots[slot]
                if stored == 0 { return nil }
                if stored & ~Self.indexMask == tag {
                    let entry = Int(truncatingIfNeeded: stored & Self.indexMask)
                    let start = Int(starts[entry - 1]), end = Int(starts[entry])
                    let equal = end - start == word.count
                        && (word.isEmpty || bytes.withUnsafeBufferPointer { memcmp($0.baseAddress! + start, word.baseAddress!, word.count) == 0 })
                    if equal { return entry - 1 }
                }
                slot = (slot + 1) & mask
            }
        }
    }
}

/// A Bloom filter over lower-case words, asked with the bytes of ASCII tokens: "no" means the
/// word is surely not among those entered, so resolution skips making the token's lower-case
/// `String` and hashing it for a dictionary that does not hold it (most capitalized words of an
/// article are not a surname it names in full, nor an office holder's).
///
/// Words are entered by their ASCII form (`ASCIIKeyTable.asciiForm`): an ASCII token can only
/// equal a word that has one, so a word without one is left out and the filter stays exact for
/// the tokens it is asked about. Non-ASCII tokens are not asked: they go to the dictionary.
struct LowercaseWordFilter: Sendable {
    private var words: [UInt64]
    private let bitMask: UInt64

    /// Room for about `capacity` words at ~16 bits a word (two bits set each: ~1% false "maybe").
    init(capacity: Int) {
        var bits = 256
        while bits < capacity * 16 { bits *= 2 }
        words = [UInt64](repeating: 0, count: bits / 64)
        bitMask = UInt64(bits - 1)
    }

    init<Words: Sequence<String>>(_ words: Words, capacity: Int) {
        self.init(capacity: capacity)
        for word in words { insert(word) }
    }

    /// FNV-1a of `bytes` with ASCII letters in lower case.
    @inline(__always)
    static func hash(asciiBytes bytes: UnsafeBufferPointer<UInt8>) -> UInt64 {
        var hash: UInt64 = 0xCBF2_9CE4_8422_2325
        for byte in bytes { hash = (hash ^ UInt64(byte &- 0x41 < 26 ? byte | 0x20 : byte)) &* 0x0100_0000_01B3 }
        return hash
    }

    /// The two bits of the filter a word's hash sets, and asks.
    @inline(__always)
    private func bits(of hash: UInt64) -> (first: UInt64, second: UInt64) {
        (hash >> 40 & bitMask, hash >> 20 & bitMask)
    }

    mutating func insert(_ word: String) {
        guard var ascii = ASCIIKeyTable.asciiForm(of: word) else { return }
        let (first, second) = bits(of: ascii.withUTF8 { Self.hash(asciiBytes: $0) })
        words[Int(first >> 6)] |= 1 << (first & 63)
        words[Int(second >> 6)] |= 1 << (second & 63)
    }

    /// False when no word entered has this hash (`hash(asciiBytes:)` of a token's bytes).
    @inline(__always)
    func mayContain(hash: UInt64) -> Bool {
        let (first, second) = bits(of: hash)
        return words[Int(first >> 6)] & (1 << (first & 63)) != 0 && words[Int(second >> 6)] & (1 << (second & 63)) != 0
    }
}
