import ArgumentParser
import Foundation
import GazetteCore

extension TopicDataFormat: ExpressibleByArgument {}
extension TopicDataPart: ExpressibleByArgument {}

extension Gazette {
    struct Train: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Train a topic model from labelled documents.",
            discussion: """
                Data layouts: a folder of folders, one per label (--split TSV selects a fixed split); \
                JSON lines with "text" and "labels"; Reuters-21578 SGML (--format reuters, ModApte \
                split from LEWISSPLIT). Multi-label when some document has several labels.
                """)

        @Option(help: "Training data: a folder, a .jsonl file, or a folder of reut2-*.sgm files.")
        var data: String
        @Option(help: "Where to write the model, e.g. Models/topics-v1.model.")
        var output: String
        @Option(help: "Data layout (folders, jsonl, reuters); guessed from the path when omitted.")
        var format: TopicDataFormat?
        @Option(help: "For folders: a TSV path<TAB>label<TAB>train|test, paths relative to the TSV's folder.")
        var split: String?
        @Option(help: "Which part to train on (train, test, all). Default: train with a split or Reuters, else all.")
        var part: TopicDataPart?
        @Option(help: "Seed for example order and calibration folds.")
        var seed: UInt64 = 1
        @Option(help: "SGD epochs.")
        var epochs: Int = 30
        @Option(help: "Initial SGD learning rate (decays linearly to zero).")
        var learningRate: Double = 1.0
        @Option(help: "L2 regularisation per example.")
        var l2: Double = 1e-5
        @Option(help: "log2 of the number of hash buckets.")
        var bucketBits: Int = 24
        @Option(help: "Highest word n-gram order.")
        var maxOrder: Int = 2
        @Option(help: "Minimum number of training documents a feature must occur in.")
        var minDf: Int = 2
        @Option(help: "Cross-validation folds for calibration (0 to skip).")
        var calibrationFolds: Int = 5
        @Option(help: "Also train on up to N lines (title, first paragraphs) of each document, for short news items.")
        var fragments: Int = 0
        @Option(help: "Exponent on idf: 1 tf-idf, 0 sublinear tf only.")
        var idfPower: Double = 1
        @Option(help: "Single-label: weight of the naive Bayes prior the regression is centred on (0: none).")
        var naiveBayes: Double = 0
        @Option(help: "Additive smoothing of the naive Bayes prior, in tf-idf mass.")
        var naiveBayesAlpha: Double = 0.1
        @Flag(help: "Leave out tokens made only of digits.")
        var skipNumbers = false
        @Flag(help: "Reuters: also train on TOPICS=\"YES\" documents without a topic, as negatives.")
        var keepUnlabelled = false
        @Flag(help: "Force one-vs-rest multi-label training.")
        var multiLabel = false

        func run() async throws {
            let dataURL = URL(fileURLWithPath: data)
            let format = format ?? TopicDataFormat.guess(for: dataURL)
            let part = part ?? ((split != nil || format == .reuters) ? .train : .all)
            let started = Date()
            let examples = try TopicCorpus.load(dataURL, format: format, part: part, split: split.map { URL(fileURLWithPath: $0) }, keepUnlabelled: keepUnlabelled)
            let loaded = Date()
            var options = TopicTrainingOptions()
            options.hashing = TopicHashing(bucketBits: bucketBits, minOrder: 1, maxOrder: maxOrder, seed: 0, skipNumbers: skipNumbers)
            options.seed = seed
            options.epochs = epochs
            options.learningRate = learningRate
            options.l2 = l2
            options.minDocumentFrequency = minDf
            options.calibrationFolds = calibrationFolds
            options.fragmentsPerDocument = fragments
            options.idfPower = idfPower
            options.naiveBayesWeight = naiveBayes
            options.naiveBayesAlpha = naiveBayesAlpha
            if multiLabel { options.multiLabel = true }
            let model = try TopicTrainer.train(examples, options: options)
            let trained = Date()
            let outputURL = URL(fileURLWithPath: output)
            try model.write(to: outputURL)
            let size = (try? FileManager.default.attributesOfItem(atPath: outputURL.path)[.size] as? Int) ?? 0
            print("documents: \(examples.count) (\(format.rawValue), part \(part.rawValue))")
            print("labels: \(model.labels.count) (\(model.multiLabel ? "multi-label, one-vs-rest" : "single-label, softmax"))")
            print("features: \(model.featureCount)")
            print(String(format: "load: %.2f s, train: %.2f s", loaded.timeIntervalSince(started), trained.timeIntervalSince(loaded)))
            print("model: \(outputURL.path) (\(size) bytes)")
        }
    }
}
