import Foundation

/// A CoNLL-format NER corpus: one token per line with its tag in the last column, blank lines between
/// sentences, `-DOCSTART-` lines between documents. Both IOB1 (CoNLL-2003) and IOB2 tags are read.
public struct CoNLLCorpus: Sendable {
    public struct Sentence: Sendable, Equatable {
        public var tokens: [String]
        public var tags: [String]
    }

    public struct Document: Sendable, Equatable {
        public var sentences: [Sentence]
    }

    /// A gold or predicted entity: a token range within one document and a type (`PER`, `LOC`…).
    public struct Span: Hashable, Sendable, Comparable {
        public var sentence: Int
        public var startToken: Int
        /// Exclusive.
        public var endToken: Int
        public var type: String

        public static func < (a: Span, b: Span) -> Bool {
            (a.sentence, a.startToken, a.endToken, a.type) < (b.sentence, b.startToken, b.endToken, b.type)
        }
    }

    public var documents: [Document]

    public struct FormatError: Error, CustomStringConvertible {
        public var file: String
        public var line: Int
        public var reason: String
        public var description: String { "\(file):\(line): \(reason)" }
    }

    public static func load(_ url: URL) throws -> CoNLLCorpus {
        guard let data = FileManager.default.contents(atPath: url.path) else {
            throw FormatError(file: url.path, line: 0, reason: "cannot read file")
        }
        let text = String(decoding: data, as: UTF8.self)
        return try parse(text, file: url.path)
    }

    public static func parse(_ text: String, file: String) throws -> CoNLLCorpus {
        var documents: [Document] = []
        var sentences: [Sentence] = []
        var tokens: [String] = [], tags: [String] = []
        func endSentence() {
            if !tokens.isEmpty { sentences.append(Sentence(tokens: tokens, tags: tags)) }
            tokens = []
            tags = []
        }
        func endDocument() {
            endSentence()
            if !sentences.isEmpty { documents.append(Document(sentences: sentences)) }
            sentences = []
        }
        var lineNumber = 0
        for rawLine in text.split(separator: "\n", omittingEmptySubsequences: false) {
            lineNumber += 1
            let line = rawLine.trimmingCharacters(in: .whitespacesAndNewlines)
            if line.isEmpty { endSentence(); continue }
            let columns = line.split(whereSeparator: { $0 == " " || $0 == "\t" })
            if columns.first == "-DOCSTART-" { endDocument(); continue }
            guard columns.count >= 2 else {
                throw FormatError(file: file, line: lineNumber, reason: "expected a token and a tag, found '\(line.prefix(60))'")
            }
            let tag = String(columns.last!)
            guard tag == "O" || tag.hasPrefix("B-") || tag.hasPrefix("I-") else {
                throw FormatError(file: file, line: lineNumber, reason: "tag '\(tag)' is not O, B-TYPE or I-TYPE")
            }
            tokens.append(String(columns[0]))
            tags.append(tag)
        }
        endDocument()
        return CoNLLCorpus(documents: documents)
    }

    /// Gold spans of a document. An entity starts at `B-X`, or at `I-X` after anything but `X`
    /// (IOB1's convention, and a repair of broken IOB2), so both schemes decode the same way.
    public static func spans(of document: Document) -> [Span] {
        var result: [Span] = []
        for (index, sentence) in document.sentences.enumerated() {
            var open: Span?
            for (position, tag) in sentence.tags.enumerated() {
                let type = tag == "O" ? nil : CoNLLCorpus.canonicalType(String(tag.dropFirst(2)))
                if let current = open, type == current.type, tag.hasPrefix("I-") {
                    open!.endToken = position + 1
                    continue
                }
                if let current = open { result.append(current) }
                open = type.map { Span(sentence: index, startToken: position, endToken: position + 1, type: $0) }
            }
            if let current = open { result.append(current) }
        }
        return result
    }

    /// Gold types of other corpora mapped onto CoNLL's names (re3d says `Person`, `Organisation`…).
    public static func canonicalType(_ type: String) -> String {
        switch type.uppercased() {
        case "PER", "PERSON": "PER"
        case "LOC", "LOCATION", "GPE": "LOC"
        case "ORG", "ORGANISATION", "ORGANIZATION": "ORG"
        case "MISC": "MISC"
        default: type
        }
    }
}
