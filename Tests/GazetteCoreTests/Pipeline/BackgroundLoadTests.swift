import Foundation
import Testing
@testable import GazetteCore

@Suite("BackgroundLoad")
struct BackgroundLoadTests {
    struct Failure: Error, Equatable { var reason: String }

    @Test("the value is made on another thread, once, and can be asked again")
    func valueComesFromAnotherThreadOnce() throws {
        let calls = ResultSlots<Bool>(count: 1)
        let load = BackgroundLoad { () -> [Int] in
            calls.store(Thread.isMainThread, at: 0)
            Thread.sleep(forTimeInterval: 0.05)
            return Array(0..<1000)
        }
        #expect(try load.value.count == 1000)
        #expect(try load.value.last == 999)
        #expect(calls.values() == [false])
    }

    @Test("an error thrown while loading is thrown by every ask")
    func errorsAreRethrown() {
        let load = BackgroundLoad { () throws -> Int in throw Failure(reason: "bad model") }
        #expect(throws: Failure(reason: "bad model")) { try load.value }
        #expect(throws: Failure(reason: "bad model")) { try load.value }
    }

    @Test("loads run at the same time, not one after the other")
    func loadsOverlap() throws {
        let start = Date()
        let loads = (0..<4).map { index in BackgroundLoad { () -> Int in Thread.sleep(forTimeInterval: 0.2); return index } }
        #expect(try loads.map { try $0.value } == [0, 1, 2, 3])
        #expect(Date().timeIntervalSince(start) < 0.7)
    }
}
