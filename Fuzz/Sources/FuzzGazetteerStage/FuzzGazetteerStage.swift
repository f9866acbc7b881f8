import FuzzDriver
import GazetteCore

/// The gazetteer stage (matching, case rules, the article-level pass) on any text, with a small
/// gazetteer that exercises every resolution rule: people with terms in office, ambiguous places,
/// an acronym, common-word and any-case aliases, organizations. Whatever the text, the stage must
/// not trap, and its mentions must keep the offset contract: ordered, non-overlapping, inside the
/// text in Unicode scalars, each surface equal to the text at its offsets.
let rows = """
id\ttype\tname\taliases\tprior\tfrom\tto\tcountry\tfeature
p:putin\tperson\tVladimir Putin\tVladimir V. Putin|Путин\t6\t2000\t2015\tRU\t
p:gordon-brown\tperson\tGordon Brown\t\t6\t2007-06-27\t2010-05-11\tGB\t
p:bush-43\tperson\tGeorge W. Bush\tGeorge Bush\t6\t2001-01-20\t2009-01-20\tUS\t
p:hewitt\tperson\tLleyton Hewitt\tHewitt\t6\t\t\tAU\t
p:may\tperson\tTheresa May\t!May\t6\t2016-07-13\t2019-07-24\tGB\t
p:oneill\tperson\tPaul O'Neill\tO'Neill\t5\t\t\tUS\t
c:georgia\tplace\tGeorgia\t\t8.5\t\t\tGE\tcountry
a:georgia-us\tplace\tGeorgia\t\t6\t\t\tUS\tadmin1
c:jordan\tplace\tJordan\t\t8.5\t\t\tJO\tcountry
c:chad\tplace\tChad\t!Chad\t8.5\t\t\tTD\tcountry
t:sale\tplace\tSale\t!Sale\t5.1\t\t\tMA\tcity
t:leeds\tplace\tLeeds\t\t5.8\t\t\tGB\tcity
t:sao-paulo\tplace\tSão Paulo\tSao Paulo\t7\t\t\tBR\tcity
c:us\tplace\tUnited States\tU.S.|US|USA\t9\t\t\tUS\tcountry
o:eta\torganization\tETA\t=ETA\t6\t\t\t\t
o:un\torganization\tUnited Nations\t=UN|U.N.\t8\t\t\t\t
o:fifa\torganization\tFIFA\t~fifa\t7\t\t\t\t
"""

let stage: GazetteerStage = {
    let gazetteer = try! Gazetteer(sources: [(path: "fuzz.tsv", text: rows)])
    let names = GivenNames(names: ["Michael": (5, false), "John": (1, false), "Mark": (5, true), "Émile": (40, false)])
    return GazetteerStage(gazetteer: gazetteer, givenNames: names)
}()

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    guard size >= 1 else { return 0 }
    // The first byte picks an article date (terms in office decide lone surnames) or none.
    let dates = [nil, "2005-03-01", "2008-01-01", "2017-06-01", "1990-01-01"]
    let date = dates[Int(data[0]) % dates.count]
    let text = String(decoding: UnsafeBufferPointer(start: data + 1, count: size - 1), as: UTF8.self)
    let article = Article(key: "fuzz", path: "/fuzz", title: "", date: date, text: text, contentHash: "", byteSize: size - 1)
    var document = ArticleDocument(article: article)
    do {
        try NormalizeStage().process(&document)
        try stage.process(&document)
    } catch {
        preconditionFailure("the gazetteer stage threw on normalized text: \(error)")
    }
    let scalars = Array(text.unicodeScalars)
    var previousEnd = 0
    for mention in document.mentions {
        precondition(mention.start >= previousEnd && mention.start < mention.end && mention.end <= scalars.count,
                     "mention \(mention.start)..<\(mention.end) out of order or outside \(scalars.count) scalars")
        var surface = String.UnicodeScalarView()
        surface.append(contentsOf: scalars[mention.start..<mention.end])
        precondition(String(surface) == mention.surface, "surface \(mention.surface.debugDescription) is not the text at its offsets")
        previousEnd = mention.end
    }
    return 0
}

// SwiftPM links an executable's entry point as `FuzzGazetteerStage_main`; hand control to libFuzzer's driver.
@_cdecl("FuzzGazetteerStage_main")
public func entryPoint(_ argc: Int32, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> Int32 {
    runLibFuzzer(argc, argv, fuzz)
}
