import Foundation
@testable import GazetteCore

enum TopicFixtures {
    /// `Tests/Fixtures/topics`, found from this file's path.
    static let directory = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Fixtures/topics")

    /// `../shared/data` relative to the package root, when this machine has it.
    static let sharedData = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("shared/data")
    static var hasSharedData: Bool {
        FileManager.default.fileExists(atPath: sharedData.appendingPathComponent("topics/bbc-split.tsv").path)
    }

    static let vocabulary: [String: [String]] = [
        "sport": ["match", "goal", "striker", "coach", "league", "team", "score", "cup"],
        "money": ["bank", "shares", "profit", "market", "investors", "rates", "earnings", "bond"],
        "science": ["telescope", "genome", "physics", "lab", "planet", "molecule", "experiment", "cells"],
    ]
    static let filler = ["the", "a", "of", "and", "said", "on", "in", "today", "new", "week", "people", "big"]

    /// A synthetic corpus: each document mixes words of its label with filler words, and a
    /// multi-label document mixes two labels.
    static func synthetic(count: Int, seed: UInt64, multiLabel: Bool = false) -> [TopicExample] {
        var random = SplitMix64(seed: seed)
        let labels = vocabulary.keys.sorted()
        return (0..<count).map { index in
            var documentLabels = [labels[Int(random.next() % UInt64(labels.count))]]
            if multiLabel && random.next() % 3 == 0 {
                documentLabels.append(labels.first { $0 != documentLabels[0] && random.next() % 2 == 0 } ?? labels.first { $0 != documentLabels[0] }!)
            }
            var words: [String] = []
            for _ in 0..<20 {
                if random.next() % 2 == 0 {
                    let label = documentLabels[Int(random.next() % UInt64(documentLabels.count))]
                    let pool = vocabulary[label]!
                    words.append(pool[Int(random.next() % UInt64(pool.count))])
                } else {
                    words.append(filler[Int(random.next() % UInt64(filler.count))])
                }
            }
            return TopicExample(id: "synthetic-\(index)", text: words.joined(separator: " "), labels: documentLabels.sorted())
        }
    }

    static func smallOptions(seed: UInt64 = 7) -> TopicTrainingOptions {
        var options = TopicTrainingOptions()
        options.hashing = TopicHashing(bucketBits: 18)
        options.epochs = 10
        options.seed = seed
        options.calibrationFolds = 3
        return options
    }
}
