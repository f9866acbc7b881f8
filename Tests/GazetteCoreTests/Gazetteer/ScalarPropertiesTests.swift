import Testing
@testable import GazetteCore

/// `ScalarProperties` answers the common non-ASCII scalars from a table made once; every answer must
/// be the standard library's.
@Suite struct ScalarPropertiesTests {
    @Test("the table's answers are the library's, for every scalar in and around its ranges")
    func tableAgreesWithTheLibrary() {
        let values = Array(0x80..<0x900) + Array(0x1FF0..<0x2080)
        #expect(values.contains { ScalarProperties.Common.bits(of: Unicode.Scalar($0)!) == nil }, "values outside the table too")
        for value in values {
            let scalar = Unicode.Scalar(value)!
            let properties = scalar.properties
            let category = properties.generalCategory
            let label = "U+\(String(value, radix: 16))"
            #expect(ScalarProperties.isAlphabetic(scalar) == properties.isAlphabetic, "\(label)")
            #expect(ScalarProperties.isWhitespace(scalar) == properties.isWhitespace, "\(label)")
            #expect(ScalarProperties.isUppercase(scalar) == properties.isUppercase, "\(label)")
            #expect(ScalarProperties.isLowercase(scalar) == properties.isLowercase, "\(label)")
            #expect(ScalarProperties.isMark(scalar) == (category == .nonspacingMark || category == .spacingMark), "\(label)")
            #expect(ScalarProperties.isWhitespaceOrFormat(scalar) == (properties.isWhitespace || category == .format), "\(label)")
            let facts = ScalarProperties.caseFacts(scalar)
            #expect(facts.isWordPart == (properties.isAlphabetic || properties.numericType != nil
                || category == .nonspacingMark || category == .spacingMark), "\(label)")
            #expect(facts.isUpper == properties.changesWhenLowercased, "\(label)")
            #expect(facts.isLower == properties.changesWhenUppercased, "\(label)")
        }
    }
}
