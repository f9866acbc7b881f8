import FuzzDriver
import GazetteCore

/// Model loader: any bytes decode to a model or throw a `TopicModelError` naming the file; never a
/// crash, a trap on a bad count, or an allocation sized by an untrusted field.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    do {
        let model = try TopicModel.decode(bytes, file: "/fuzz/input.model")
        // A model that decodes must serialize back to the same bytes.
        precondition(model.serialized() == bytes, "decode/serialize round trip differs")
    } catch let error as TopicModelError {
        precondition(error.file == "/fuzz/input.model")
    } catch {
        preconditionFailure("unexpected error type: \(error)")
    }
    return 0
}

// SwiftPM links an executable's entry point as `FuzzTopicModel_main`; hand control to libFuzzer's driver.
@_cdecl("FuzzTopicModel_main")
public func entryPoint(_ argc: Int32, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> Int32 {
    runLibFuzzer(argc, argv, fuzz)
}
