import Foundation
import Testing
@testable import GazetteCore

@Suite("Topic data loaders")
struct TopicCorpusTests {
    let fixtures = TopicFixtures.directory

    @Test func folderOfFolders() throws {
        let all = try TopicCorpus.load(fixtures.appendingPathComponent("folders"), format: .folders)
        #expect(all.count == 4)
        #expect(all.map { $0.labels[0] } == ["cats", "cats", "dogs", "dogs"])
        #expect(all[0].text.hasPrefix("Cats purr\n"))
    }

    @Test func folderSplitSelectsPart() throws {
        let split = fixtures.appendingPathComponent("split.tsv")
        let train = try TopicCorpus.load(fixtures.appendingPathComponent("folders"), format: .folders, part: .train, split: split)
        let test = try TopicCorpus.load(fixtures.appendingPathComponent("folders"), format: .folders, part: .test, split: split)
        #expect(train.map { URL(fileURLWithPath: $0.id).lastPathComponent } == ["1.txt", "1.txt"])
        #expect(test.map(\.labels) == [["cats"], ["dogs"]])
        #expect(test.allSatisfy { $0.id.hasSuffix("2.txt") })
        #expect(throws: TopicDataError.self) {
            _ = try TopicCorpus.load(fixtures.appendingPathComponent("folders"), format: .folders, part: .train)
        }
    }

    @Test func jsonLines() throws {
        let examples = try TopicCorpus.load(fixtures.appendingPathComponent("tiny.jsonl"), format: .jsonl)
        #expect(examples.count == 3)
        #expect(examples[0].id == "a")
        #expect(examples[0].text == "Rates rise\nThe central bank raised interest rates again.")
        #expect(examples[1].labels == ["economy", "sport"])
        #expect(examples[1].id.hasSuffix("tiny.jsonl#L2"))
        #expect(examples[2].labels == ["misc"])
    }

    @Test func badJSONLineNamesTheLine() throws {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("bad-\(UUID().uuidString).jsonl")
        defer { try? FileManager.default.removeItem(at: url) }
        try Data("{\"text\": \"ok\", \"labels\": [\"a\"]}\n{\"text\": \"no labels\"}\n".utf8).write(to: url)
        do {
            _ = try TopicCorpus.load(url, format: .jsonl)
            Issue.record("expected an error")
        } catch let error as TopicDataError {
            #expect(error.line == 2)
            #expect(error.description.contains(url.path + ":2:"))
        }
    }

    @Test func reutersModApte() throws {
        let url = fixtures.appendingPathComponent("tiny.sgm")
        let train = try TopicCorpus.load(url, format: .reuters, part: .train)
        let test = try TopicCorpus.load(url, format: .reuters, part: .test)
        #expect(train.map(\.id) == ["reuters:101"])
        #expect(train[0].labels == ["grain", "wheat"])
        #expect(train[0].text.contains("FARMERS SELL WHEAT <ABC>"))
        #expect(train[0].text.contains("wheat & corn"))
        #expect(train[0].text.contains("CHICAGO"))
        #expect(!train[0].text.contains("<BODY>"))
        #expect(test.map(\.labels) == [["earn"]])
        #expect(try TopicCorpus.load(url, format: .reuters, part: .all).count == 2)
        let withUnlabelled = try TopicCorpus.load(url, format: .reuters, part: .train, keepUnlabelled: true)
        #expect(withUnlabelled.map(\.id) == ["reuters:101", "reuters:104"])
        #expect(withUnlabelled[1].labels.isEmpty)
        #expect(withUnlabelled[1].text.contains("NO TOPIC BRIEF"))
        #expect(TopicDataFormat.guess(for: url) == .reuters)
        #expect(TopicDataFormat.guess(for: fixtures.appendingPathComponent("tiny.jsonl")) == .jsonl)
        #expect(TopicDataFormat.guess(for: fixtures.appendingPathComponent("folders")) == .folders)
    }

    @Test(.enabled(if: TopicFixtures.hasSharedData)) func sharedCorporaSplitSizes() throws {
        let topics = TopicFixtures.sharedData.appendingPathComponent("topics")
        let split = topics.appendingPathComponent("bbc-split.tsv")
        let bbcTrain = try TopicCorpus.load(topics.appendingPathComponent("bbc"), format: .folders, part: .train, split: split)
        let bbcTest = try TopicCorpus.load(topics.appendingPathComponent("bbc"), format: .folders, part: .test, split: split)
        #expect(bbcTrain.count == 1781)
        #expect(bbcTest.count == 444)
        let reuters = topics.appendingPathComponent("reuters21578")
        let reutersTrain = try TopicCorpus.load(reuters, format: .reuters, part: .train)
        let reutersTest = try TopicCorpus.load(reuters, format: .reuters, part: .test)
        #expect(reutersTrain.count == 7775)
        #expect(reutersTest.count == 3019)
        let shared = Set(reutersTrain.flatMap(\.labels)).intersection(reutersTest.flatMap(\.labels))
        #expect(shared.count == 90)
    }
}
