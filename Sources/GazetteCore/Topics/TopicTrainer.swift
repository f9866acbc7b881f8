import Foundation

/// One labelled document for training or evaluation.
public struct TopicExample: Sendable, Equatable {
    public var id: String
    public var text: String
    public var labels: [String]

    public init(id: String, text: String, labels: [String]) {
        self.id = id
        self.text = text
        self.labels = labels
    }
}

public struct TopicTrainingOptions: Sendable {
    public var hashing = TopicHashing()
    /// Buckets in fewer training documents are not stored: they cannot generalise and would make
    /// the model large.
    public var minDocumentFrequency = 2
    public var epochs = 30
    /// Exponent applied to idf: 1 is plain tf-idf, 0 drops idf (sublinear tf only), in between
    /// damps the weight of rare words.
    public var idfPower = 1.0
    /// Single-label only: weight of a multinomial naive Bayes prior over the same tf-idf features.
    /// The logistic regression then learns the residual over `naiveBayesWeight` times the centred
    /// naive Bayes log-probabilities, and its L2 decay pulls towards that prior instead of zero, so
    /// words the discriminative fit left near zero still carry their topical evidence (short items).
    /// 0 turns it off.
    public var naiveBayesWeight = 0.0
    /// Additive smoothing of the naive Bayes prior, in tf-idf mass.
    public var naiveBayesAlpha = 0.1
    /// Initial SGD step, decayed linearly to zero over all epochs.
    public var learningRate = 1.0
    /// L2 regularisation strength per example.
    public var l2 = 1e-5
    /// Seeds the shuffling of examples and of calibration folds.
    public var seed: UInt64 = 1
    /// Folds of the cross-validation whose held-out scores fit the calibration (and the multi-label
    /// thresholds); fewer than 2 skips it.
    public var calibrationFolds = 5
    /// nil: multi-label when some example has no label or more than one.
    public var multiLabel: Bool?
    /// Also train on up to this many short fragments of each document (its non-empty lines: the
    /// title, then the first paragraphs), labelled as the document, so that the model learns to
    /// classify short news items and not only full articles. 0 trains on whole documents only.
    public var fragmentsPerDocument = 0

    public init() {}
}

/// Trains a `TopicModel`: sublinear tf-idf over hashed n-grams, L2-normalised; softmax (single
/// label) or one-vs-rest (multi-label) logistic regression by SGD with L2 decay; calibration fitted
/// on out-of-fold scores. Deterministic for a given seed: the same data gives the same model bytes.
public enum TopicTrainer {
    struct Design {
        var vectors: [TopicModel.FeatureVector]
        var targets: [[Int]]
        /// The source document of each row: fragments share their document's calibration fold.
        var groups: [Int]
        var groupCount: Int
        var featureCount: Int
        var labelCount: Int
        var multiLabel: Bool
    }

    public static func train(_ examples: [TopicExample], options: TopicTrainingOptions = .init()) throws -> TopicModel {
        guard !examples.isEmpty else { throw TopicDataError(file: "(training data)", reason: "no training examples") }
        let labels = Array(Set(examples.flatMap(\.labels))).sorted()
        guard labels.count >= 2 else {
            throw TopicDataError(file: "(training data)", reason: "need at least two labels, found \(labels.count)")
        }
        let multiLabel = options.multiLabel ?? examples.contains { $0.labels.count != 1 }
        let labelIndex = Dictionary(uniqueKeysWithValues: labels.enumerated().map { ($1, $0) })
        let hashing = options.hashing

        // Bucket counts of every document (in parallel: tokenising dominates for big corpora).
        var rows: [(text: String, labels: [String], group: Int)] = []
        for (index, example) in examples.enumerated() {
            rows.append((example.text, example.labels, index))
            for fragment in fragments(of: example.text, limit: options.fragmentsPerDocument) {
                rows.append((fragment, example.labels, index))
            }
        }
        let counts = parallelMap(rows.map(\.text)) { hashing.bucketCounts(ofText: $0) }
        // Document frequency counts source documents, not rows: a bigram in an article and in its
        // own title is still in one document.
        var documentFrequency: [UInt32: Int] = [:]
        var lastGroup: [UInt32: Int] = [:]
        for (row, document) in counts.enumerated() {
            let group = rows[row].group
            for (bucket, _) in document where lastGroup[bucket] != group {
                lastGroup[bucket] = group
                documentFrequency[bucket, default: 0] += 1
            }
        }
        let buckets = documentFrequency.filter { $0.value >= options.minDocumentFrequency }.keys.sorted()
        let featureIndex = Dictionary(uniqueKeysWithValues: buckets.enumerated().map { ($1, Int32($0)) })
        let documentCount = Double(examples.count)
        // Smoothed idf, as scikit-learn's: ln((1 + n) / (1 + df)) + 1.
        let idf = buckets.map {
            Float(pow(log((1 + documentCount) / (1 + Double(documentFrequency[$0]!))) + 1, options.idfPower))
        }
        let vectors = counts.map { TopicModel.vector(bucketCounts: $0, featureIndex: { featureIndex[$0] }, idf: idf) }
        let targets = rows.map { $0.labels.compactMap { labelIndex[$0] }.sorted() }
        let design = Design(
            vectors: vectors, targets: targets, groups: rows.map(\.group), groupCount: examples.count,
            featureCount: buckets.count, labelCount: labels.count, multiLabel: multiLabel)

        let calibrate = options.calibrationFolds >= 2 && examples.count >= 2 * options.calibrationFolds
        // The final model and the calibration folds train concurrently; each is deterministic.
        let (weights, biases, heldOut) = fitWithHeldOut(design, options: options, folds: calibrate ? options.calibrationFolds : 0)

        var scale = [Double](repeating: 1, count: labels.count)
        var offset = [Double](repeating: 0, count: labels.count)
        var thresholds = [Double](repeating: multiLabel ? 0.5 : 0, count: labels.count)
        if calibrate {
            if multiLabel {
                for label in 0..<labels.count {
                    let scores = heldOut.map { $0[label] }
                    let truth = targets.map { $0.contains(label) }
                    (scale[label], offset[label]) = fitPlatt(scores: scores, truth: truth)
                    let probabilities = scores.map { 1 / (1 + exp(-(scale[label] * $0 + offset[label]))) }
                    thresholds[label] = bestF1Threshold(probabilities: probabilities, truth: truth)
                }
            } else {
                let temperatureScale = fitSoftmaxScale(logits: heldOut, truth: targets.map { $0.first ?? 0 })
                scale = [Double](repeating: temperatureScale, count: labels.count)
            }
        }
        return TopicModel(
            labels: labels, multiLabel: multiLabel, hashing: hashing, buckets: buckets, idf: idf,
            weights: TopicModel.quantizationRoundTrip(weights, labelCount: labels.count), biases: biases,
            calibrationScale: scale, calibrationOffset: offset, thresholds: thresholds)
    }

    /// The first `limit` non-empty lines of a multi-line document (title, then paragraphs).
    static func fragments(of text: String, limit: Int) -> [String] {
        guard limit > 0 else { return [] }
        let lines = text.split(whereSeparator: \.isNewline)
            .map { $0.trimmingCharacters(in: .whitespaces) }
            .filter { !$0.isEmpty }
        guard lines.count > 1 else { return [] }
        return Array(lines.prefix(limit))
    }

    // MARK: SGD

    /// Logistic regression by SGD over `rows`: a linearly decaying step, L2 decay applied lazily
    /// through a global weight scale, biases unregularised.
    static func fit(_ design: Design, rows: [Int], options: TopicTrainingOptions) -> (weights: [Float], biases: [Float]) {
        let labelCount = design.labelCount
        var weights = [Float](repeating: 0, count: design.featureCount * labelCount)
        var biases = [Float](repeating: 0, count: labelCount)
        let prior = design.multiLabel || options.naiveBayesWeight == 0
            ? nil : naiveBayesPrior(design, rows: rows, options: options)
        // The prior's share of each row's logits, fixed during training.
        var priorLogits = [[Float]](repeating: [], count: prior == nil ? 0 : design.vectors.count)
        if let prior {
            for row in rows {
                var logits = [Float](repeating: 0, count: labelCount)
                let vector = design.vectors[row]
                for (feature, value) in zip(vector.features, vector.values) {
                    for label in 0..<labelCount { logits[label] += value * prior[Int(feature) * labelCount + label] }
                }
                priorLogits[row] = logits
            }
        }
        var scale = 1.0
        var random = SplitMix64(seed: options.seed)
        var order = rows
        let totalSteps = Double(max(1, options.epochs * rows.count))
        var step = 0.0
        // Hot loop: raw buffers so the per-feature label loops vectorise.
        let logits = UnsafeMutableBufferPointer<Float>.allocate(capacity: labelCount)
        let gradient = UnsafeMutableBufferPointer<Float>.allocate(capacity: labelCount)
        defer { logits.deallocate(); gradient.deallocate() }
        weights.withUnsafeMutableBufferPointer { weights in
            let weights = weights.baseAddress!
            for _ in 0..<options.epochs {
                random.shuffle(&order)
                for row in order {
                    let rate = options.learningRate * max(1 - step / totalSteps, 1e-4)
                    step += 1
                    scale *= 1 - rate * options.l2
                    if scale < 1e-6 {
                        for index in 0..<(design.featureCount * labelCount) { weights[index] *= Float(scale) }
                        scale = 1
                    }
                    let vector = design.vectors[row]
                    for label in 0..<labelCount { logits[label] = 0 }
                    vector.features.withUnsafeBufferPointer { features in
                        vector.values.withUnsafeBufferPointer { values in
                            for position in 0..<features.count {
                                let row = weights + Int(features[position]) * labelCount
                                let value = values[position]
                                for label in 0..<labelCount { logits[label] += value * row[label] }
                            }
                        }
                    }
                    let floatScale = Float(scale)
                    for label in 0..<labelCount { logits[label] = logits[label] * floatScale + biases[label] }
                    if prior != nil {
                        for label in 0..<labelCount { logits[label] += priorLogits[row][label] }
                    }
                    if design.multiLabel {
                        for label in 0..<labelCount { gradient[label] = 1 / (1 + exp(-logits[label])) }
                    } else {
                        var maximum = -Float.infinity
                        for label in 0..<labelCount { maximum = max(maximum, logits[label]) }
                        var total: Float = 0
                        for label in 0..<labelCount { gradient[label] = exp(logits[label] - maximum); total += gradient[label] }
                        for label in 0..<labelCount { gradient[label] /= total }
                    }
                    for label in design.targets[row] { gradient[label] -= 1 }
                    let floatRate = Float(rate)
                    for label in 0..<labelCount { biases[label] -= floatRate * gradient[label] }
                    let weightStep = Float(rate / scale)
                    vector.features.withUnsafeBufferPointer { features in
                        vector.values.withUnsafeBufferPointer { values in
                            for position in 0..<features.count {
                                let row = weights + Int(features[position]) * labelCount
                                let factor = weightStep * values[position]
                                for label in 0..<labelCount { row[label] -= factor * gradient[label] }
                            }
                        }
                    }
                }
            }
            for index in 0..<(design.featureCount * labelCount) { weights[index] *= Float(scale) }
            if let prior {
                for index in 0..<(design.featureCount * labelCount) { weights[index] += prior[index] }
            }
        }
        return (weights, biases)
    }

    /// `naiveBayesWeight` times the multinomial naive Bayes log-probabilities of each feature per
    /// label, estimated from the tf-idf mass of `rows` and centred across labels (softmax ignores a
    /// per-feature constant, and centring keeps the prior's logits small for features without
    /// evidence).
    static func naiveBayesPrior(_ design: Design, rows: [Int], options: TopicTrainingOptions) -> [Float] {
        let labelCount = design.labelCount
        var mass = [Double](repeating: 0, count: design.featureCount * labelCount)
        var labelMass = [Double](repeating: 0, count: labelCount)
        for row in rows {
            guard let label = design.targets[row].first else { continue }
            let vector = design.vectors[row]
            for (feature, value) in zip(vector.features, vector.values) {
                mass[Int(feature) * labelCount + label] += Double(value)
                labelMass[label] += Double(value)
            }
        }
        let alpha = options.naiveBayesAlpha
        let denominators = labelMass.map { log($0 + alpha * Double(design.featureCount)) }
        var prior = [Float](repeating: 0, count: mass.count)
        var logProbabilities = [Double](repeating: 0, count: labelCount)
        for feature in 0..<design.featureCount {
            for label in 0..<labelCount {
                logProbabilities[label] = log(mass[feature * labelCount + label] + alpha) - denominators[label]
            }
            let mean = logProbabilities.reduce(0, +) / Double(labelCount)
            for label in 0..<labelCount {
                prior[feature * labelCount + label] = Float(options.naiveBayesWeight * (logProbabilities[label] - mean))
            }
        }
        return prior
    }

    /// The model fitted on all rows and, for `folds` ≥ 2, the raw logits of every example from a
    /// model trained without its fold (for calibration), all trained in parallel.
    static func fitWithHeldOut(_ design: Design, options: TopicTrainingOptions, folds: Int)
        -> (weights: [Float], biases: [Float], heldOut: [[Double]])
    {
        var random = SplitMix64(seed: options.seed ^ 0xF01D)
        var shuffledGroups = Array(0..<design.groupCount)
        random.shuffle(&shuffledGroups)
        var foldOfGroup = [Int](repeating: 0, count: design.groupCount)
        for (position, group) in shuffledGroups.enumerated() { foldOfGroup[group] = folds > 0 ? position % folds : 0 }
        let foldRows = (0..<folds).map { fold in design.vectors.indices.filter { foldOfGroup[design.groups[$0]] == fold } }
        // Job 0 is the final model; job f + 1 leaves out fold f.
        let models = parallelMap(Array(0...folds)) { job -> (weights: [Float], biases: [Float]) in
            if job == 0 { return fit(design, rows: Array(design.vectors.indices), options: options) }
            let training = (0..<folds).filter { $0 != job - 1 }.flatMap { foldRows[$0] }.sorted()
            return fit(design, rows: training, options: options)
        }
        var heldOut = [[Double]](repeating: [], count: folds > 0 ? design.vectors.count : 0)
        for fold in 0..<folds {
            let (weights, biases) = models[fold + 1]
            for row in foldRows[fold] {
                var logits = biases.map(Double.init)
                let vector = design.vectors[row]
                for (feature, value) in zip(vector.features, vector.values) {
                    let base = Int(feature) * design.labelCount
                    for label in 0..<design.labelCount { logits[label] += Double(value * weights[base + label]) }
                }
                heldOut[row] = logits
            }
        }
        return (models[0].weights, models[0].biases, heldOut)
    }

    // MARK: Calibration

    /// Platt scaling: the logistic fit `p = σ(a·s + b)` to held-out scores, with Platt's smoothed
    /// targets so that rare labels do not get extreme probabilities. Newton's method on two
    /// parameters with a small ridge.
    static func fitPlatt(scores: [Double], truth: [Bool]) -> (Double, Double) {
        let positives = Double(truth.filter { $0 }.count)
        let negatives = Double(truth.count) - positives
        let high = (positives + 1) / (positives + 2)
        let low = 1 / (negatives + 2)
        var a = 1.0, b = 0.0
        for _ in 0..<50 {
            var gA = 0.0, gB = 0.0, hAA = 1e-6, hAB = 0.0, hBB = 1e-6
            for (score, isPositive) in zip(scores, truth) {
                let p = 1 / (1 + exp(-(a * score + b)))
                let difference = p - (isPositive ? high : low)
                let weight = max(p * (1 - p), 1e-12)
                gA += difference * score
                gB += difference
                hAA += weight * score * score
                hAB += weight * score
                hBB += weight
            }
            let determinant = hAA * hBB - hAB * hAB
            guard determinant > 1e-18 else { break }
            let stepA = (hBB * gA - hAB * gB) / determinant
            let stepB = (hAA * gB - hAB * gA) / determinant
            a -= stepA
            b -= stepB
            if abs(stepA) + abs(stepB) < 1e-9 { break }
        }
        return (a, b)
    }

    /// Temperature scaling for softmax: the logit multiplier minimising held-out log loss, by golden
    /// section search on its logarithm.
    static func fitSoftmaxScale(logits: [[Double]], truth: [Int]) -> Double {
        func loss(_ logScale: Double) -> Double {
            let scale = exp(logScale)
            var total = 0.0
            for (row, label) in zip(logits, truth) {
                let scaled = row.map { $0 * scale }
                let maximum = scaled.max()!
                let logSum = log(scaled.reduce(0) { $0 + exp($1 - maximum) }) + maximum
                total += logSum - scaled[label]
            }
            return total
        }
        var low = log(0.05), high = log(50.0)
        let ratio = (5.0.squareRoot() - 1) / 2
        var x1 = high - ratio * (high - low), x2 = low + ratio * (high - low)
        var f1 = loss(x1), f2 = loss(x2)
        for _ in 0..<60 {
            if f1 < f2 {
                high = x2; x2 = x1; f2 = f1
                x1 = high - ratio * (high - low); f1 = loss(x1)
            } else {
                low = x1; x1 = x2; f1 = f2
                x2 = low + ratio * (high - low); f2 = loss(x2)
            }
        }
        return exp((low + high) / 2)
    }

    /// The probability threshold maximising held-out F1 for one label, searched on a coarse grid and
    /// kept at 0.5 for labels with too few positives to choose from.
    static func bestF1Threshold(probabilities: [Double], truth: [Bool]) -> Double {
        let positives = truth.filter { $0 }.count
        guard positives >= 5 else { return 0.5 }
        var best = (threshold: 0.5, f1: -1.0)
        for step in 1...19 {
            let threshold = Double(step) * 0.05
            var truePositive = 0, predicted = 0
            for (probability, isPositive) in zip(probabilities, truth) where probability >= threshold {
                predicted += 1
                if isPositive { truePositive += 1 }
            }
            let f1 = predicted + positives == 0 ? 0 : 2 * Double(truePositive) / Double(predicted + positives)
            if f1 > best.f1 + 1e-12 { best = (threshold, f1) }
        }
        return best.threshold
    }
}

/// Small, fast, seedable generator (SplitMix64) so that shuffles are the same on every platform.
struct SplitMix64 {
    var state: UInt64
    init(seed: UInt64) { state = seed }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        return TopicHashing.mix(state)
    }

    /// Fisher–Yates with our own generator (the standard library's shuffle may change between releases).
    mutating func shuffle<T>(_ array: inout [T]) {
        guard array.count > 1 else { return }
        for index in stride(from: array.count - 1, to: 0, by: -1) {
            let other = Int(next() % UInt64(index + 1))
            array.swapAt(index, other)
        }
    }
}
