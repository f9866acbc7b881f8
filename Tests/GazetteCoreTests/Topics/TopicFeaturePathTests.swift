import Foundation
import Testing
@testable import GazetteCore

/// The streaming feature path (TopicFeatures.swift) against a straightforward reference written
/// here: `TopicTokenizer.tokenize`, `TopicHashing.grams`, a `Dictionary` from bucket to feature,
/// sublinear tf-idf summed in ascending feature order, and logits as plain loops. Features, values,
/// logits and scores must be bit-identical, on varied text and hashing settings.
@Suite("Topic feature path matches the reference")
struct TopicFeaturePathTests {
    struct Reference {
        var features: [Int32]
        var values: [Float]
        var logits: [Double]
    }

    static func reference(_ model: TopicModel, text: String) -> Reference {
        let tokens = TopicTokenizer().tokenize(text)
        let grams = model.hashing.grams(of: tokens)
        var index: [UInt32: Int32] = [:]
        for (feature, bucket) in model.buckets.enumerated() { index[bucket] = Int32(feature) }
        var counts: [Int32: Int] = [:]
        for gram in grams {
            if let feature = index[gram.bucket] { counts[feature, default: 0] += 1 }
        }
        let features = counts.keys.sorted()
        var values = features.map { (1 + Float(log(Double(counts[$0]!)))) * model.idf[Int($0)] }
        var squaredNorm: Float = 0
        for value in values { squaredNorm += value * value }
        if squaredNorm > 0 {
            let inverseNorm = 1 / squaredNorm.squareRoot()
            values = values.map { $0 * inverseNorm }
        }
        let labelCount = model.labels.count
        var logits = model.biases.map(Double.init)
        for (feature, value) in zip(features, values) {
            for label in 0..<labelCount {
                logits[label] += Double(value * model.weights[Int(feature) * labelCount + label])
            }
        }
        return Reference(features: features, values: values, logits: logits)
    }

    /// Texts that exercise the tokenizer's branches: ASCII case and digits, Latin-1 capitals and
    /// the multiplication sign, other scripts, separators (curly quotes, no-break space, general
    /// and CJK punctuation, U+FEFF), 4-byte scalars, empty and separator-only text, repeats beyond
    /// the small-count table, and long articles (the last one of ~50,000 n-grams, whose counting
    /// table takes about a megabyte).
    static let words = TopicFixtures.vocabulary.values.flatMap { $0 } + TopicFixtures.filler
    static var texts: [String] {
        var texts = [
            "", " ", "\n\n\t", "—“”…", "a", "7", "2005", "A", "É",
            "The striker scored a goal in the cup match",
            "BANK profit, shares & market: investors' earnings (rates) +bond+",
            "ÉCOLE Über × ÷ Ǆemal résumé Москва 東京 naïve café",
            "“said”\u{00A0}he—then «non» said\u{FEFF}the coach。goal、league",
            "3 goals in 2005 and 12,000 fans; 3.5% rates; 1st 2nd 3rd",
            "emoji 🙂 goal 🏆 cup 𝔘𝔫𝔦𝔠𝔬𝔡𝔢 league",
            String(repeating: "goal ", count: 70) + String(repeating: "bank ", count: 200),
            "Shares slide as the central bank raises interest rates and profits fall",
            "The actress won an Oscar for her role in the box office hit film",
        ]
        var random = SplitMix64(seed: 42)
        let extras: [String] = ["É", "ß", "—", "\u{00A0}", "東", "🙂", "1999", ",", "\n", "Ü", "×", "\u{3001}", "\u{FEFF}"]
        for length in [5, 40, 400, 5000, 30_000] {
            var pieces: [String] = []
            for _ in 0..<length {
                if random.next() % 5 == 0 {
                    pieces.append(extras[Int(random.next() % UInt64(extras.count))])
                } else {
                    let word = words[Int(random.next() % UInt64(words.count))]
                    pieces.append(random.next() % 4 == 0 ? word.capitalized : word)
                }
                if random.next() % 3 != 0 { pieces.append(" ") }
            }
            texts.append(pieces.joined())
        }
        return texts
    }

    static func trainedModel(_ hashing: TopicHashing, multiLabel: Bool = false) throws -> TopicModel {
        var options = TopicFixtures.smallOptions()
        options.hashing = hashing
        options.epochs = 3
        options.calibrationFolds = 0
        options.minDocumentFrequency = 1
        return try TopicTrainer.train(TopicFixtures.synthetic(count: 120, seed: 9, multiLabel: multiLabel), options: options)
    }

    static let hashings = [
        TopicHashing(bucketBits: 18),
        TopicHashing(bucketBits: 24, minOrder: 1, maxOrder: 3, seed: 7),
        TopicHashing(bucketBits: 20, minOrder: 2, maxOrder: 2),
        TopicHashing(bucketBits: 9, skipNumbers: true),  // few buckets: groups of several, collisions
        TopicHashing(bucketBits: 32, maxOrder: 1),
    ]

    func expectSame(_ model: TopicModel, _ text: String) {
        let expected = Self.reference(model, text: text)
        let vector = model.vector(for: text)
        #expect(vector.features == expected.features, "\(text.prefix(60))")
        #expect(vector.values.map(\.bitPattern) == expected.values.map(\.bitPattern), "\(text.prefix(60))")
        let logits = withUTF8(text, "") { text, _ in model.logits(utf8: [text]) }
        #expect(logits.map(\.bitPattern) == expected.logits.map(\.bitPattern), "\(text.prefix(60))")
        #expect(model.logits(for: vector).map(\.bitPattern) == expected.logits.map(\.bitPattern))
        let probabilities = model.probabilities(logits: expected.logits)
        let scores = model.predict(text: text)
        #expect(scores.count == model.labels.count)
        for score in scores {
            let label = model.labels.firstIndex(of: score.label)!
            #expect(score.score.bitPattern == probabilities[label].bitPattern)
        }
    }

    @Test(arguments: 0..<hashings.count)
    func trainedModelsMatchTheReference(hashing: Int) throws {
        let model = try Self.trainedModel(Self.hashings[hashing], multiLabel: hashing % 2 == 1)
        #expect(model.featureCount > 0)
        for text in Self.texts { expectSame(model, text) }
    }

    @Test func shippedModelMatchesTheReference() throws {
        let model = try TopicModel.load(from: ShippedTopicModelTests.url)
        for text in Self.texts { expectSame(model, text) }
        // Some of these texts must reach known features, or the comparison says little.
        #expect(Self.texts.filter { !Self.reference(model, text: $0).features.isEmpty }.count >= 10)
    }

    @Test func titleAndTextScoreAsTheJoinedInput() throws {
        let model = try TopicModel.load(from: ShippedTopicModelTests.url)
        let pairs = [("", "Shares slide"), ("Cup final", ""), ("Cup final", "The striker scored"),
                     ("Москва", "東京 bank"), ("ends mid-word", "word starts")]
        for (title, text) in pairs {
            #expect(model.predict(title: title, text: text) == model.predict(text: TopicStage.input(title: title, text: text)))
        }
    }

    @Test(arguments: 0..<hashings.count)
    func trainingBucketCountsMatchTheTokenizerPath(hashing: Int) {
        let hashing = Self.hashings[hashing]
        for text in Self.texts {
            let streamed = hashing.bucketCounts(ofText: text)
            let reference = hashing.bucketCounts(of: TopicTokenizer().tokenize(text))
            #expect(streamed.map(\.bucket) == reference.map(\.bucket))
            #expect(streamed.map(\.count) == reference.map(\.count))
        }
    }

    @Test func featureTableOutcomesAgreeWithADictionary() {
        var random = SplitMix64(seed: 5)
        for (count, bits) in [(0, 8), (1, 24), (3, 4), (200, 9), (5000, 24), (40_000, 17), (3000, 32)] {
            let limit = UInt64(1) << UInt64(bits)
            var set = Set<UInt32>()
            while set.count < count { set.insert(UInt32(random.next() % limit)) }
            let buckets = set.sorted()
            let table = FeatureTable(buckets: buckets, bucketBits: bits)
            let index = Dictionary(uniqueKeysWithValues: buckets.enumerated().map { ($1, Int32($0)) })
            table.withLookup { lookup in
                for probe in 0..<4000 {
                    // Stored buckets, random ones in range, and (without bucketBits) ones beyond it.
                    let bucket = probe % 3 == 0 && !buckets.isEmpty
                        ? buckets[Int(random.next() % UInt64(buckets.count))] : UInt32(random.next() % limit)
                    let expected = index[bucket] ?? -1
                    #expect(lookup.feature(of: bucket) == expected)
                    var outcome = lookup.firstOutcome(of: bucket)
                    #expect(outcome >= -2)
                    if outcome == -2 { outcome = lookup.feature(of: bucket) }
                    #expect(outcome == expected)
                }
            }
            let inferred = FeatureTable(buckets: buckets)
            for _ in 0..<1000 {
                let bucket = UInt32(truncatingIfNeeded: random.next())
                #expect(inferred.feature(of: bucket) == index[bucket] ?? -1)
            }
        }
    }
}
