import Foundation
import GuildhallDiscordModels
import Testing

@Suite("DiscordTimestamp")
struct DiscordTimestampTests {
    @Test("parses Discord's forms", arguments: [
        ("2022-09-14T17:00:18.704163+00:00", Int64(1_663_174_818_704_163)),
        ("2017-07-11T17:27:07.299000+00:00", 1_499_794_027_299_000),
        ("2021-04-12T23:40:39+00:00", 1_618_270_839_000_000),
        ("2021-04-12T23:40:39Z", 1_618_270_839_000_000),
        ("2021-04-12T23:40:39.5Z", 1_618_270_839_500_000),
        ("2024-10-18T18:41:21.109604", 1_729_276_881_109_604),
        ("2021-04-12T23:40:39.123456789+00:00", 1_618_270_839_123_456),
        ("2021-04-13T01:40:39+02:00", 1_618_270_839_000_000),
        ("2021-04-12T21:10:39-0230", 1_618_270_839_000_000),
        ("2021-04-12T22:40:39-01", 1_618_270_839_000_000),
        ("1970-01-01T00:00:00+00:00", 0),
        ("1969-12-31T23:59:59.999999+00:00", -1),
        ("2000-02-29T00:00:00+00:00", 951_782_400_000_000),
        ("0000-01-01T00:00:00+00:00", -62_167_219_200_000_000),
    ])
    func parses(text: String, micros: Int64) throws {
        let timestamp = try #require(DiscordTimestamp(iso8601: text))
        #expect(timestamp.microsecondsSinceEpoch == micros)
    }

    @Test("rejects malformed and impossible timestamps", arguments: [
        "", "2021-04-12", "2021-04-12T23:40", "2021-13-01T00:00:00Z", "2021-02-29T00:00:00Z", "1900-02-29T00:00:00Z",
        "2021-04-31T00:00:00Z", "2021-04-12T24:00:00Z", "2021-04-12T23:60:00Z", "2021-04-12T23:40:60Z",
        "2021-04-12T23:40:39.Z", "2021-04-12T23:40:39.1234567890Z", "2021-04-12T23:40:39+2", "2021-04-12T23:40:39+24:00",
        "2021-04-12T23:40:39+02:60", "2021-04-12T23:40:39+02:", "2021-04-12T23:40:39 junk", "2021-04-12T23:40:39ZZ",
        "20x1-04-12T23:40:39Z", "2021/04/12T23:40:39Z", "2021-04-12X23:40:39Z",
    ])
    func rejects(text: String) {
        #expect(DiscordTimestamp(iso8601: text) == nil)
    }

    @Test("prints Discord's form, with microseconds only when there are any")
    func prints() {
        #expect(DiscordTimestamp(microsecondsSinceEpoch: 1_663_174_818_704_163).iso8601 == "2022-09-14T17:00:18.704163+00:00")
        #expect(DiscordTimestamp(microsecondsSinceEpoch: 1_499_794_027_299_000).iso8601 == "2017-07-11T17:27:07.299000+00:00")
        #expect(DiscordTimestamp(microsecondsSinceEpoch: 1_618_270_839_000_000).description == "2021-04-12T23:40:39+00:00")
        #expect(DiscordTimestamp(microsecondsSinceEpoch: -1).iso8601 == "1969-12-31T23:59:59.999999+00:00")
        #expect(DiscordTimestamp(microsecondsSinceEpoch: 951_782_400_000_000).iso8601 == "2000-02-29T00:00:00+00:00")
        #expect(DiscordTimestamp(microsecondsSinceEpoch: -62_167_219_200_000_000).iso8601 == "0000-01-01T00:00:00+00:00")
    }

    @Test("text survives a parse and print for every day of a leap cycle")
    func civilRoundTrip() throws {
        var micros: Int64 = 946_684_800_000_000 // 2000-01-01
        for _ in 0..<(4 * 366) {
            let timestamp = DiscordTimestamp(microsecondsSinceEpoch: micros + 12_345)
            #expect(DiscordTimestamp(iso8601: timestamp.iso8601) == timestamp)
            micros += 86_400_000_000
        }
    }

    @Test("Codable uses the string form and rejects garbage with a decoding error")
    func codable() throws {
        let timestamp = DiscordTimestamp(millisecondsSinceEpoch: 1_499_794_027_299)
        #expect(try JSONHelpers.string([timestamp]) == "[\"2017-07-11T17:27:07.299000+00:00\"]")
        #expect(try JSONHelpers.roundTrip([timestamp]) == [timestamp])
        #expect(throws: DecodingError.self) { try JSONHelpers.decode([DiscordTimestamp].self, "[\"yesterday\"]") }
    }

    @Test("arithmetic, dates and ordering")
    func arithmetic() {
        let start = DiscordTimestamp(millisecondsSinceEpoch: 1_000)
        let later = start.advanced(by: .seconds(90) + .microseconds(7))
        #expect(later.microsecondsSinceEpoch == 91_000_007)
        #expect(later.duration(since: start) == .seconds(90) + .microseconds(7))
        #expect(start.duration(since: later) == .zero - .seconds(90) - .microseconds(7))
        #expect(start < later)
        #expect(later.millisecondsSinceEpoch == 91_000)
        #expect(DiscordTimestamp(microsecondsSinceEpoch: -1).millisecondsSinceEpoch == -1)
        let date = Date(timeIntervalSince1970: 1_618_270_839.25)
        #expect(DiscordTimestamp(date: date).microsecondsSinceEpoch == 1_618_270_839_250_000)
        #expect(DiscordTimestamp(date: date).date == date)
    }
}
