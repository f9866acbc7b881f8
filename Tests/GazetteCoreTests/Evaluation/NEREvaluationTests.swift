import Foundation
import Testing
@testable import GazetteCore

@Suite("NER evaluation")
struct NEREvaluationTests {
    static let iob1 = """
        -DOCSTART- -X- O O

        Tony NNP I-NP I-PER
        Blair NNP I-NP I-PER
        met VBD I-VP O
        Gordon NNP I-NP I-PER
        Brown NNP I-NP I-PER
        in IN I-PP O
        New NNP I-NP I-LOC
        York NNP I-NP I-LOC
        . . O O

        Leeds NNP I-NP I-ORG
        Chelsea NNP I-NP B-ORG
        """

    @Test("IOB1 and IOB2 decode to the same spans")
    func decodesBothSchemes() throws {
        let iob2 = Self.iob1.replacingOccurrences(of: "I-NP I-PER\nBlair", with: "I-NP B-PER\nBlair")
            .replacingOccurrences(of: "Gordon NNP I-NP I-PER", with: "Gordon NNP I-NP B-PER")
            .replacingOccurrences(of: "New NNP I-NP I-LOC", with: "New NNP I-NP B-LOC")
            .replacingOccurrences(of: "Leeds NNP I-NP I-ORG", with: "Leeds NNP I-NP B-ORG")
        let one = try CoNLLCorpus.parse(Self.iob1, file: "a")
        let two = try CoNLLCorpus.parse(iob2, file: "b")
        let expected: [CoNLLCorpus.Span] = [
            .init(sentence: 0, startToken: 0, endToken: 2, type: "PER"),
            .init(sentence: 0, startToken: 3, endToken: 5, type: "PER"),
            .init(sentence: 0, startToken: 6, endToken: 8, type: "LOC"),
            .init(sentence: 1, startToken: 0, endToken: 1, type: "ORG"),
            .init(sentence: 1, startToken: 1, endToken: 2, type: "ORG"),
        ]
        #expect(CoNLLCorpus.spans(of: one.documents[0]) == expected)
        #expect(CoNLLCorpus.spans(of: two.documents[0]) == expected)
    }

    @Test("re3d's type names map onto CoNLL's")
    func typeNames() throws {
        let corpus = try CoNLLCorpus.parse("Islamic\tB-Organisation\nState\tI-Organisation\nin\tO\nSyria\tB-Location\n", file: "r")
        #expect(CoNLLCorpus.spans(of: corpus.documents[0]).map(\.type) == ["ORG", "LOC"])
    }

    @Test("a malformed line is named by number")
    func malformedLine() {
        #expect(throws: CoNLLCorpus.FormatError.self) { try CoNLLCorpus.parse("Tony I-PER\nBlair\n", file: "x") }
    }

    @Test("mentions map to token spans; misaligned mentions can never be correct")
    func mapsMentions() throws {
        let document = try CoNLLCorpus.parse(Self.iob1, file: "a").documents[0]
        let text = NEREvaluation.text(of: document)
        #expect(text == "Tony Blair met Gordon Brown in New York .\nLeeds Chelsea\n")
        let person = EntityRef(key: "p", name: "Tony Blair", type: .person)
        let place = EntityRef(key: "l", name: "York", type: .place)
        let spans = NEREvaluation.predictedSpans([
            Mention(entity: person, start: 0, end: 10, surface: "Tony Blair"),
            Mention(entity: place, start: 35, end: 39, surface: "York"),
            Mention(entity: place, start: 36, end: 39, surface: "ork"),
        ], in: document)
        #expect(spans[0] == .init(sentence: 0, startToken: 0, endToken: 2, type: "PER"))
        #expect(spans[1] == .init(sentence: 0, startToken: 7, endToken: 8, type: "LOC"))
        #expect(spans[2].sentence == -1)
    }

    @Test("scores are strict and micro-averaged over PER, LOC and ORG")
    func scores() {
        let evaluation = NEREvaluation(byType: [
            "PER": .init(gold: 4, predicted: 2, correct: 2),
            "LOC": .init(gold: 2, predicted: 4, correct: 1),
            "MISC": .init(gold: 10, predicted: 0, correct: 0),
        ], documents: 1, seconds: 0)
        #expect(evaluation.micro == .init(gold: 6, predicted: 6, correct: 3))
        #expect(evaluation.micro.f1 == 0.5)
        #expect(evaluation.byType["PER"]!.precision == 1.0)
        #expect(abs(evaluation.byType["PER"]!.f1 - 2.0 / 3.0) < 1e-12)
        #expect(evaluation.table().contains("micro      6          6        3      0.500   0.500   0.500"))
    }

    @Test("round trip on the evaluation path: gazetteer mentions come back as the gold token spans")
    func roundTripThroughTagRun() async throws {
        let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("Tests/Fixtures/gazetteer").path
        let settings = try PipelineSettings.parse(
            "version: 1\nstages:\n  - normalize:\n  - gazetteer: {directory: \(fixtures), files: [small.tsv]}\n",
            file: "Pipeline.yaml", baseDirectory: URL(fileURLWithPath: "/"))
        let pipeline = try StageRegistry.makePipeline(settings)
        // Accented and non-Latin tokens make scalar, UTF-16 and byte offsets all differ.
        let corpus = try CoNLLCorpus.parse("""
            -DOCSTART- O

            Flights O
            from O
            São B-LOC
            Paulo I-LOC
            and O
            Москва B-LOC
            reached O
            New B-LOC
            York I-LOC
            City I-LOC
            . O

            The O
            Bank B-ORG
            of I-ORG
            England I-ORG
            met O
            NATO B-ORG
            in O
            Zürich B-LOC
            . O
            """, file: "roundtrip")
        let result = try await NEREvaluation.run(corpus, pipeline: pipeline, jobs: 2)
        #expect(result.byType["LOC"] == NEREvaluation.Score(gold: 4, predicted: 4, correct: 4))
        #expect(result.byType["ORG"] == NEREvaluation.Score(gold: 2, predicted: 2, correct: 2))
        #expect(result.micro.f1 == 1.0)
    }
}
