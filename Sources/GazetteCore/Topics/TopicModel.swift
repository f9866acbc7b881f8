import Crypto
import Foundation

/// A linear topic classifier over hashed word n-grams with sublinear tf-idf weighting and L2
/// normalisation, producing calibrated probabilities.
///
/// Single-label models are multinomial logistic regressions (softmax with a fitted temperature);
/// multi-label models are one-vs-rest logistic regressions with per-label Platt scaling. Only the
/// buckets seen often enough in training are stored, so the model is sparse and small.
public struct TopicModel: Sendable {
    public static let formatVersion: UInt32 = 1
    public static let magic: [UInt8] = Array("GAZTOPIC".utf8)
    /// Larger files are refused before being read: a model this size is a mistake, not a model.
    public static let maximumFileSize = 512 << 20

    public var labels: [String]
    public var multiLabel: Bool
    public var hashing: TopicHashing
    /// Stored buckets, strictly increasing; feature `i` is `buckets[i]`.
    public private(set) var buckets: [UInt32]
    public private(set) var idf: [Float]
    /// Row-major: `weights[feature * labels.count + label]`.
    public private(set) var weights: [Float]
    public private(set) var biases: [Float]
    /// Calibrated logit of label `k` is `calibrationScale[k] * logit + calibrationOffset[k]`, then
    /// softmax (single-label) or logistic (multi-label).
    public var calibrationScale: [Double]
    public var calibrationOffset: [Double]
    /// Per-label decision thresholds on calibrated probabilities chosen in training (multi-label);
    /// `Pipeline.yaml` thresholds override them.
    public var thresholds: [Double]

    private let featureIndex: [UInt32: Int32]
    /// The same map as `featureIndex`, as an open-addressing table: the per-article hot path looks
    /// up every n-gram, and `Dictionary`'s SipHash dominated the topic stage's profile.
    let featureTable: FeatureTable
    /// `idf` and `weights` row by row, for the per-article path (TopicFeatures.swift).
    let packedRows: PackedFeatureRows
    let tokenizer = TopicTokenizer()

    public init(
        labels: [String], multiLabel: Bool, hashing: TopicHashing, buckets: [UInt32], idf: [Float],
        weights: [Float], biases: [Float], calibrationScale: [Double], calibrationOffset: [Double],
        thresholds: [Double]
    ) {
        precondition(idf.count == buckets.count && weights.count == buckets.count * labels.count)
        precondition(biases.count == labels.count && calibrationScale.count == labels.count)
        precondition(calibrationOffset.count == labels.count && thresholds.count == labels.count)
        self.labels = labels
        self.multiLabel = multiLabel
        self.hashing = hashing
        self.buckets = buckets
        self.idf = idf
        self.weights = weights
        self.biases = biases
        self.calibrationScale = calibrationScale
        self.calibrationOffset = calibrationOffset
        self.thresholds = thresholds
        var index: [UInt32: Int32] = [:]
        index.reserveCapacity(buckets.count)
        for (position, bucket) in buckets.enumerated() { index[bucket] = Int32(position) }
        self.featureIndex = index
        self.featureTable = FeatureTable(buckets: buckets, bucketBits: hashing.bucketBits)
        self.packedRows = PackedFeatureRows(idf: idf, weights: weights, labelCount: labels.count)
    }

    public var featureCount: Int { buckets.count }

    // MARK: Features

    /// A document as the model sees it: stored features with their tf-idf values, L2-normalised.
    public struct FeatureVector: Sendable {
        public var features: [Int32] = []
        public var values: [Float] = []

        /// Appends a feature seen `count` times, weighted by sublinear tf × idf.
        mutating func append(_ feature: Int32, count: Int, idf: Float, squaredNorm: inout Float) {
            let value = (1 + Float(log(Double(count)))) * idf
            features.append(feature)
            values.append(value)
            squaredNorm += value * value
        }

        /// Scales the values to unit L2 norm (a vector with no known feature stays empty).
        mutating func normalize(squaredNorm: Float) {
            guard squaredNorm > 0 else { return }
            let inverseNorm = 1 / squaredNorm.squareRoot()
            for position in values.indices { values[position] *= inverseNorm }
        }
    }

    /// Sublinear tf-idf over the known buckets of `bucketCounts`, L2-normalised. Unknown buckets are
    /// dropped before normalising, exactly as in training.
    static func vector(
        bucketCounts: [(bucket: UInt32, count: Int)], featureIndex: (UInt32) -> Int32?, idf: [Float]
    ) -> FeatureVector {
        var vector = FeatureVector()
        vector.features.reserveCapacity(bucketCounts.count)
        vector.values.reserveCapacity(bucketCounts.count)
        var squaredNorm: Float = 0
        for (bucket, count) in bucketCounts {
            guard let feature = featureIndex(bucket) else { continue }
            vector.append(feature, count: count, idf: idf[Int(feature)], squaredNorm: &squaredNorm)
        }
        vector.normalize(squaredNorm: squaredNorm)
        return vector
    }

    /// The feature vector of `text`: the same as `vector(bucketCounts: hashing.bucketCounts(...))`,
    /// computed by the streaming path of TopicFeatures.swift.
    public func vector(for text: String) -> FeatureVector {
        withUTF8(text, "") { text, _ in
            withFeatures(of: [text]) { features, values in
                FeatureVector(features: Array(features), values: Array(values))
            }
        }
    }

    // MARK: Prediction

    /// Raw (uncalibrated) logits, one per label.
    public func logits(for vector: FeatureVector) -> [Double] {
        let labelCount = labels.count
        var logits = biases.map(Double.init)
        // Raw pointers in the inner loop (it ran a uniqueness and bounds check per addition); the
        // additions happen in the same order, so the sums are unchanged.
        logits.withUnsafeMutableBufferPointer { logits in
            weights.withUnsafeBufferPointer { weights in
                vector.features.withUnsafeBufferPointer { features in
                    vector.values.withUnsafeBufferPointer { values in
                        for index in 0..<min(features.count, values.count) {
                            let value = values[index]
                            let row = weights.baseAddress! + Int(features[index]) * labelCount
                            for label in 0..<labelCount {
                                logits[label] += Double(value * row[label])
                            }
                        }
                    }
                }
            }
        }
        return logits
    }

    /// Calibrated probabilities from raw logits, in label order.
    public func probabilities(logits: [Double]) -> [Double] {
        var calibrated = logits.indices.map { calibrationScale[$0] * logits[$0] + calibrationOffset[$0] }
        if multiLabel {
            return calibrated.map { 1 / (1 + exp(-$0)) }
        }
        let maximum = calibrated.max() ?? 0
        var total = 0.0
        for index in calibrated.indices {
            calibrated[index] = exp(calibrated[index] - maximum)
            total += calibrated[index]
        }
        return calibrated.map { $0 / total }
    }

    /// Calibrated probability of every label, highest first (ties by label order).
    public func predict(text: String) -> [TopicScore] {
        ranked(probabilities(logits: withUTF8(text, "") { text, _ in logits(utf8: [text]) }))
    }

    /// `predict(text: TopicStage.input(title: title, text: text))` without joining the strings: a
    /// token ends at the end of the title, as it would at the line break between them.
    public func predict(title: String, text: String) -> [TopicScore] {
        ranked(probabilities(logits: withUTF8(title, text) { logits(utf8: [$0, $1]) }))
    }

    private func ranked(_ probabilities: [Double]) -> [TopicScore] {
        zip(labels, probabilities).enumerated()
            .sorted { $0.element.1 != $1.element.1 ? $0.element.1 > $1.element.1 : $0.offset < $1.offset }
            .map { TopicScore(label: $0.element.0, score: $0.element.1) }
    }

    /// The labels the model assigns on its own: the argmax for a single-label model; for a
    /// multi-label model every label at or above its trained threshold, or the best one if none is.
    public func decide(_ scores: [TopicScore]) -> [String] {
        guard let best = scores.first else { return [] }
        guard multiLabel else { return [best.label] }
        let passing = scores.filter { score in
            guard let index = labels.firstIndex(of: score.label) else { return false }
            return score.score >= thresholds[index]
        }
        return passing.isEmpty ? [best.label] : passing.map(\.label)
    }

    /// The n-grams of `text` that weigh most for `label`: tf-idf value times the label's weight,
    /// largest contributions first. Hashing loses the n-gram text, so the text's own n-grams are
    /// recomputed and matched to their buckets.
    public func explain(text: String, label: String, top: Int = 5) -> [(feature: String, weight: Double)] {
        guard let labelIndex = labels.firstIndex(of: label), top > 0 else { return [] }
        let tokens = tokenizer.tokenize(text)
        let grams = hashing.grams(of: tokens)
        var sortedBuckets = grams.map(\.bucket)
        sortedBuckets.sort()
        var counts: [(bucket: UInt32, count: Int)] = []
        for bucket in sortedBuckets {
            if let last = counts.last, last.bucket == bucket { counts[counts.count - 1].count += 1 } else { counts.append((bucket, 1)) }
        }
        let vector = Self.vector(bucketCounts: counts, featureIndex: { featureIndex[$0] }, idf: idf)
        var contribution: [Int32: Double] = [:]
        for (feature, value) in zip(vector.features, vector.values) {
            contribution[feature] = Double(value * weights[Int(feature) * labels.count + labelIndex])
        }
        // First occurrence of each bucket gives its text.
        var seen = Set<UInt32>()
        var explained: [(feature: String, weight: Double)] = []
        for gram in grams where !seen.contains(gram.bucket) {
            seen.insert(gram.bucket)
            guard let feature = featureIndex[gram.bucket], let weight = contribution[feature] else { continue }
            let text = gram.tokens.map(tokens.string(at:)).joined(separator: " ")
            explained.append((text, weight))
        }
        explained.sort { $0.weight != $1.weight ? $0.weight > $1.weight : $0.feature < $1.feature }
        return Array(explained.prefix(top))
    }

    // MARK: File format

    /// The model file: little-endian, `GAZTOPIC`, version, flags (bit 0: multi-label, bit 1: number
    /// tokens skipped), hashing
    /// (bucket bits, n-gram orders, seed), labels, per-label calibration scale/offset, threshold and
    /// bias, per-label weight scales, then the stored features (bucket, Float32 idf, one Int16 weight
    /// per label), and a SHA-256 of everything before it.
    public func serialized() -> [UInt8] {
        var writer = ByteWriter()
        writer.bytes.append(contentsOf: Self.magic)
        writer.u32(Self.formatVersion)
        writer.u32((multiLabel ? 1 : 0) | (hashing.skipNumbers ? 2 : 0))
        writer.u32(UInt32(hashing.bucketBits))
        writer.u32(UInt32(hashing.minOrder))
        writer.u32(UInt32(hashing.maxOrder))
        writer.u64(hashing.seed)
        writer.u32(UInt32(labels.count))
        for label in labels {
            let utf8 = Array(label.utf8)
            writer.u32(UInt32(utf8.count))
            writer.bytes.append(contentsOf: utf8)
        }
        for index in labels.indices {
            writer.f64(calibrationScale[index])
            writer.f64(calibrationOffset[index])
            writer.f64(thresholds[index])
            writer.f32(biases[index])
        }
        let scales = Self.weightScales(weights, labelCount: labels.count)
        for scale in scales { writer.f32(scale) }
        writer.u32(UInt32(buckets.count))
        for feature in buckets.indices {
            writer.u32(buckets[feature])
            writer.f32(idf[feature])
            for label in labels.indices {
                let quantized = Self.quantize(weights[feature * labels.count + label], scale: scales[label])
                writer.u16(UInt16(bitPattern: quantized))
            }
        }
        writer.bytes.append(contentsOf: SHA256.hash(data: writer.bytes))
        return writer.bytes
    }

    /// Weights are stored as 16-bit integers times a per-label power of two: the smallest one that
    /// fits the label's largest weight. Powers of two make the round trip exact and repeatable.
    static func weightScales(_ weights: [Float], labelCount: Int) -> [Float] {
        var largest = [Float](repeating: 0, count: labelCount)
        for (index, weight) in weights.enumerated() {
            largest[index % labelCount] = max(largest[index % labelCount], abs(weight))
        }
        return largest.map { maximum in
            guard maximum > 0 else { return 1 }
            return Float(sign: .plus, exponent: Int((maximum / 32767).exponent) + 1, significand: 1)
        }
    }

    @inline(__always)
    static func quantize(_ weight: Float, scale: Float) -> Int16 {
        Int16(max(-32767, min(32767, (weight / scale).rounded())))
    }

    /// `weights` as they read back from a model file.
    public static func quantizationRoundTrip(_ weights: [Float], labelCount: Int) -> [Float] {
        let scales = weightScales(weights, labelCount: labelCount)
        return weights.enumerated().map { index, weight in
            Float(quantize(weight, scale: scales[index % labelCount])) * scales[index % labelCount]
        }
    }

    public func write(to url: URL) throws {
        do {
            try Data(serialized()).write(to: url, options: .atomic)
        } catch {
            throw TopicModelError(file: url.path, reason: .unreadable("cannot write: \(error.localizedDescription)"))
        }
    }

    public static func load(from url: URL) throws -> TopicModel {
        let file = url.path
        let attributes = try? FileManager.default.attributesOfItem(atPath: file)
        if let size = attributes?[.size] as? Int, size > maximumFileSize {
            throw TopicModelError(file: file, reason: .tooLarge(size))
        }
        guard let data = FileManager.default.contents(atPath: file) else {
            throw TopicModelError(file: file, reason: .unreadable("no such file or not readable"))
        }
        return try decode([UInt8](data), file: file)
    }

    /// Decodes a model file. A damaged file usually breaks the structure before the trailing
    /// checksum is reached, so a structural error in a file whose checksum does not match is
    /// reported as corruption — what happened — rather than as the first symptom.
    public static func decode(_ bytes: [UInt8], file: String) throws -> TopicModel {
        do {
            return try decodeChecked(bytes, file: file)
        } catch let error as TopicModelError {
            if case .malformed = error.reason, bytes.count > SHA256.byteCount,
               !Array(SHA256.hash(data: bytes[0..<(bytes.count - SHA256.byteCount)])).elementsEqual(bytes.suffix(SHA256.byteCount)) {
                throw TopicModelError(file: file, reason: .checksumMismatch)
            }
            throw error
        }
    }

    private static func decodeChecked(_ bytes: [UInt8], file: String) throws -> TopicModel {
        if bytes.count > maximumFileSize { throw TopicModelError(file: file, reason: .tooLarge(bytes.count)) }
        var reader = ByteReader(bytes: bytes, file: file)
        guard bytes.count >= magic.count else {
            throw TopicModelError(file: file, reason: bytes.elementsEqual(magic.prefix(bytes.count)) ? .truncated : .wrongMagic)
        }
        guard Array(bytes[0..<magic.count]) == magic else { throw TopicModelError(file: file, reason: .wrongMagic) }
        reader.offset = magic.count
        let version = try reader.u32()
        guard version == formatVersion else { throw TopicModelError(file: file, reason: .unsupportedVersion(version)) }
        let digestSize = SHA256.byteCount
        guard bytes.count >= magic.count + 4 + digestSize else { throw TopicModelError(file: file, reason: .truncated) }
        let flags = try reader.u32()
        guard flags & ~3 == 0 else { throw TopicModelError(file: file, reason: .malformed("unknown flags \(flags)")) }
        let bucketBits = Int(try reader.u32())
        let minOrder = Int(try reader.u32())
        let maxOrder = Int(try reader.u32())
        let seed = try reader.u64()
        guard (1...32).contains(bucketBits), 1 <= minOrder, minOrder <= maxOrder, maxOrder <= 8 else {
            throw TopicModelError(file: file, reason: .malformed("hashing settings out of range"))
        }
        let labelCount = Int(try reader.u32())
        guard labelCount >= 1, labelCount <= 100_000 else {
            throw TopicModelError(file: file, reason: .malformed("label count \(labelCount)"))
        }
        var labels: [String] = []
        for _ in 0..<labelCount {
            let length = Int(try reader.u32())
            let utf8 = try reader.take(length)
            guard let label = String(validating: utf8, as: UTF8.self), !label.isEmpty else {
                throw TopicModelError(file: file, reason: .malformed("label is not UTF-8"))
            }
            labels.append(label)
        }
        var scale: [Double] = [], offset: [Double] = [], thresholds: [Double] = [], biases: [Float] = []
        for _ in 0..<labelCount {
            scale.append(try reader.f64())
            offset.append(try reader.f64())
            thresholds.append(try reader.f64())
            biases.append(try reader.f32())
        }
        var scales: [Float] = []
        for _ in 0..<labelCount {
            let scale = try reader.f32()
            guard scale > 0, scale.isFinite else { throw TopicModelError(file: file, reason: .malformed("weight scale \(scale)")) }
            scales.append(scale)
        }
        let featureCount = Int(try reader.u32())
        let rowSize = 8 + 2 * labelCount
        guard featureCount <= (bytes.count - reader.offset) / rowSize else {
            throw TopicModelError(file: file, reason: .truncated)
        }
        var buckets = [UInt32](), idf = [Float](), weights = [Float]()
        buckets.reserveCapacity(featureCount)
        idf.reserveCapacity(featureCount)
        weights.reserveCapacity(featureCount * labelCount)
        let bucketLimit = UInt64(1) << UInt64(bucketBits)
        for _ in 0..<featureCount {
            let bucket = try reader.u32()
            guard UInt64(bucket) < bucketLimit, buckets.last.map({ $0 < bucket }) ?? true else {
                throw TopicModelError(file: file, reason: .malformed("feature buckets out of order or range"))
            }
            buckets.append(bucket)
            idf.append(try reader.f32())
            for label in 0..<labelCount { weights.append(Float(Int16(bitPattern: try reader.u16())) * scales[label]) }
        }
        let digest = try reader.take(digestSize)
        guard reader.offset == bytes.count else {
            throw TopicModelError(file: file, reason: .malformed("\(bytes.count - reader.offset) unexpected trailing bytes"))
        }
        guard Array(SHA256.hash(data: bytes[0..<(bytes.count - digestSize)])).elementsEqual(digest) else {
            throw TopicModelError(file: file, reason: .checksumMismatch)
        }
        return TopicModel(
            labels: labels, multiLabel: flags & 1 == 1,
            hashing: TopicHashing(
                bucketBits: bucketBits, minOrder: minOrder, maxOrder: maxOrder, seed: seed, skipNumbers: flags & 2 == 2),
            buckets: buckets, idf: idf, weights: weights, biases: biases, calibrationScale: scale,
            calibrationOffset: offset, thresholds: thresholds)
    }
}

struct ByteWriter {
    var bytes: [UInt8] = []
    mutating func u32(_ value: UInt32) { withUnsafeBytes(of: value.littleEndian) { bytes.append(contentsOf: $0) } }
    mutating func u16(_ value: UInt16) { withUnsafeBytes(of: value.littleEndian) { bytes.append(contentsOf: $0) } }
    mutating func u64(_ value: UInt64) { withUnsafeBytes(of: value.littleEndian) { bytes.append(contentsOf: $0) } }
    mutating func f32(_ value: Float) { u32(value.bitPattern) }
    mutating func f64(_ value: Double) { u64(value.bitPattern) }
}

struct ByteReader {
    let bytes: [UInt8]
    let file: String
    var offset = 0

    mutating func take(_ count: Int) throws -> ArraySlice<UInt8> {
        guard count >= 0, count <= bytes.count - offset else { throw TopicModelError(file: file, reason: .truncated) }
        defer { offset += count }
        return bytes[offset..<(offset + count)]
    }
    mutating func u16() throws -> UInt16 {
        let slice = try take(2)
        return UInt16(slice[slice.startIndex]) | UInt16(slice[slice.startIndex + 1]) << 8
    }
    mutating func u32() throws -> UInt32 {
        let slice = try take(4)
        return slice.reversed().reduce(0) { $0 << 8 | UInt32($1) }
    }
    mutating func u64() throws -> UInt64 {
        let slice = try take(8)
        return slice.reversed().reduce(0) { $0 << 8 | UInt64($1) }
    }
    mutating func f32() throws -> Float { Float(bitPattern: try u32()) }
    mutating func f64() throws -> Double { Double(bitPattern: try u64()) }
}
