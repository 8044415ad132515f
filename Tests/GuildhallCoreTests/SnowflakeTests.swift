import Foundation
@testable import GuildhallCore
import GuildhallFixtures
import Testing

@Suite("Snowflake")
struct SnowflakeTests {
    @Test("parses unsigned 64-bit decimal strings", arguments: [
        ("0", UInt64(0)),
        ("1", 1),
        ("4194304", 4_194_304),
        ("18446744073709551615", UInt64.max),
    ])
    func parsesDecimal(text: String, value: UInt64) throws {
        let id = try #require(Snowflake(text))
        #expect(id.rawValue == value)
        #expect(id.description == text)
        #expect(Snowflake(Substring(text))?.rawValue == value)
    }

    @Test("rejects anything that is not an unsigned 64-bit integer", arguments: [
        "", " ", "-1", "12a", "0x10", " 12", "12 ", "1.0", "1e3",
        "18446744073709551616", "99999999999999999999999",
        "１２", "١٢", "12\u{0}",
    ])
    func rejects(text: String) {
        #expect(Snowflake(text) == nil)
    }

    @Test func factoryIdsRoundTripThroughTheirDecimalForm() throws {
        var factory = MockFactory(seed: 11)
        for _ in 0..<100 {
            let id = factory.snowflake()
            #expect(Snowflake(id.description) == id)
            #expect(Snowflake(String(id.rawValue)) == id)
        }
    }

    @Test("builds from its parts and reads the timestamp back", arguments: [
        (UInt64(0), UInt8(0), UInt8(0), UInt16(0)),
        (1, 1, 2, 3),
        (123_456_789, 31, 31, 4095),
        (MockFactory.windowStartMilliseconds - Snowflake.discordEpochMilliseconds, 7, 19, 2048),
    ])
    func composes(offset: UInt64, worker: UInt8, process: UInt8, increment: UInt16) {
        let timestamp = Snowflake.discordEpochMilliseconds + offset
        let id = Snowflake(timestampMilliseconds: timestamp, worker: worker, process: process, increment: increment)
        #expect(id.timestampMilliseconds == timestamp)
        #expect(id.rawValue >> 22 == offset)
        #expect((id.rawValue >> 17) & 0x1F == UInt64(worker))
        #expect((id.rawValue >> 12) & 0x1F == UInt64(process))
        #expect(id.rawValue & 0xFFF == UInt64(increment))
    }

    @Test func partsAreMaskedToTheirWidths() {
        let timestamp = MockFactory.windowStartMilliseconds
        let masked = Snowflake(timestampMilliseconds: timestamp, worker: 0xFF, process: 0xE1, increment: 0xFFFF)
        let plain = Snowflake(timestampMilliseconds: timestamp, worker: 0x1F, process: 0x01, increment: 0x0FFF)
        #expect(masked == plain)
        #expect(masked.timestampMilliseconds == timestamp)
    }

    @Test func defaultsLeaveTheLowBitsEmpty() {
        let id = Snowflake(timestampMilliseconds: MockFactory.windowStartMilliseconds)
        #expect(id.rawValue & 0x3F_FFFF == 0)
    }

    @Test func discordEpochIsTheFirstMillisecondOf2015() {
        #expect(Snowflake.discordEpochMilliseconds == 1_420_070_400_000)
        #expect(Snowflake(0).timestampMilliseconds == Snowflake.discordEpochMilliseconds)
        let date = Date(timeIntervalSince1970: Double(Snowflake.discordEpochMilliseconds) / 1000)
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        let parts = calendar.dateComponents([.year, .month, .day, .hour, .minute, .second], from: date)
        #expect([parts.year, parts.month, parts.day, parts.hour, parts.minute, parts.second] == [2015, 1, 1, 0, 0, 0])
    }

    @Test("shard is (id >> 22) % count", arguments: [
        (0, 1, 0),
        (0, 16, 0),
        ((5 << 22) | 0x3F_FFFF, 3, 2),
        (7 << 22, 7, 0),
        (7 << 22, 8, 7),
        ((1000 << 22) | 12345, 16, 8),
        (UInt64.max, 1024, 1023),
    ] as [(UInt64, Int, Int)])
    func shard(raw: UInt64, count: Int, expected: Int) {
        #expect(Snowflake(raw).shard(count: count) == expected)
    }

    @Test func shardFormulaHoldsForFactoryIds() {
        var factory = MockFactory(seed: 3)
        for _ in 0..<500 {
            let id = factory.snowflake()
            for count in [1, 2, 3, 16, 100] {
                let shard = id.shard(count: count)
                #expect(shard == Int((id.rawValue >> 22) % UInt64(count)))
                #expect((0..<count).contains(shard))
            }
        }
    }

    @Test("database value keeps every bit", arguments: [
        (UInt64(0), Int64(0)),
        (1, 1),
        (UInt64(Int64.max), Int64.max),
        (UInt64(1) << 63, Int64.min),
        (UInt64.max, -1),
    ] as [(UInt64, Int64)])
    func databaseValue(raw: UInt64, stored: Int64) {
        let id = Snowflake(raw)
        #expect(id.databaseValue == stored)
        #expect(Snowflake(databaseValue: stored) == id)
    }

    @Test func comparesByValue() {
        #expect(Snowflake(1) < Snowflake(2))
        #expect(!(Snowflake(2) < Snowflake(2)))
        #expect([Snowflake(9), Snowflake(UInt64.max), Snowflake(0)].sorted() == [Snowflake(0), Snowflake(9), Snowflake(UInt64.max)])
        #expect(Snowflake("10")! > Snowflake("9")!)
    }

    // MARK: Codable

    struct Holder: Codable, Equatable {
        let id: Snowflake
        let ids: [Snowflake]
    }

    @Test func encodesAsADecimalString() throws {
        var factory = MockFactory(seed: 5)
        let a = factory.snowflake(), b = factory.snowflake()
        let data = try JSONEncoder().encode(Holder(id: a, ids: [b, Snowflake(UInt64.max)]))
        let object = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        #expect(object["id"] as? String == a.description)
        let ids = try #require(object["ids"] as? [Any])
        #expect(ids.compactMap { $0 as? String } == [b.description, "18446744073709551615"])
    }

    @Test func roundTripsThroughJSON() throws {
        var factory = MockFactory(seed: 6)
        let holder = Holder(id: factory.snowflake(), ids: (0..<5).map { _ in factory.snowflake() } + [Snowflake(0), Snowflake(UInt64.max)])
        let decoded = try JSONDecoder().decode(Holder.self, from: JSONEncoder().encode(holder))
        #expect(decoded == holder)
    }

    @Test func decodesStringsAndTolerantlyBareNumbers() throws {
        let json = #"{"id": "123456789012345678", "ids": [42, "18446744073709551615", 0]}"#
        let holder = try JSONDecoder().decode(Holder.self, from: Data(json.utf8))
        #expect(holder.id.rawValue == 123_456_789_012_345_678)
        #expect(holder.ids.map(\.rawValue) == [42, UInt64.max, 0])
    }

    @Test("refuses JSON that is not a snowflake", arguments: [
        #"{"id": "abc", "ids": []}"#,
        #"{"id": "", "ids": []}"#,
        #"{"id": "-5", "ids": []}"#,
        #"{"id": -5, "ids": []}"#,
        #"{"id": 1.5, "ids": []}"#,
        #"{"id": true, "ids": []}"#,
        #"{"id": null, "ids": []}"#,
        #"{"id": "18446744073709551616", "ids": []}"#,
    ])
    func refusesJSON(json: String) {
        #expect(throws: DecodingError.self) {
            try JSONDecoder().decode(Holder.self, from: Data(json.utf8))
        }
    }

    @Test func badStringNamesTheValue() {
        do {
            _ = try JSONDecoder().decode(Holder.self, from: Data(#"{"id": "nope", "ids": []}"#.utf8))
            Issue.record("decoding should have failed")
        } catch let DecodingError.dataCorrupted(context) {
            #expect(context.debugDescription.contains("'nope' is not a snowflake"))
        } catch {
            Issue.record("unexpected error \(error)")
        }
    }
}
