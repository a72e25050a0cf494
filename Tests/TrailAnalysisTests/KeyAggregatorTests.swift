import Foundation
import Testing
import TrailAnalysis
import TrailIngest
import TrailModel
import TrailTestSupport

@Suite("KeyAggregator: exact per-key activity")
struct KeyAggregatorTests {
    @Test("counts, time span, maps, hours and days of one key")
    func oneKey() throws {
        let records = [
            RecordBuilder {
                $0.eventTime = "2026-11-02T10:15:00Z"
                $0.eventName = "GetObject"
            },
            RecordBuilder {
                $0.eventTime = "2026-11-01T23:59:59Z"
                $0.eventName = "GetObject"
                $0.sourceIPAddress = "198.51.100.9"
            },
            RecordBuilder {
                $0.eventTime = "2026-11-05T10:00:00Z"
                $0.eventName = "PutObject"
                $0.errorCode = "AccessDenied"
                $0.awsRegion = "eu-west-1"
                $0.eventSource = "s3.amazonaws.com"
            },
            RecordBuilder {
                $0.accessKeyId = ""
                $0.eventName = "Decrypt"
            },
        ]
        let keys = keyActivities(records)
        #expect(keys.count == 1)
        let key = try #require(keys.first)
        #expect(key.accessKeyID.value == "AKIAIOSFODNN7EXAMPLE")
        #expect(key.kind == .longTerm)
        #expect(key.events == 3)
        #expect(key.errors == 1)
        #expect(Timestamp.format(key.firstSeen) == "2026-11-01T23:59:59Z")
        #expect(Timestamp.format(key.lastSeen) == "2026-11-05T10:00:00Z")
        #expect(key.eventNames.dictionary == ["GetObject": 2, "PutObject": 1])
        #expect(key.eventSources.dictionary == ["s3.amazonaws.com": 3])
        #expect(key.sourceIPs.dictionary == ["203.0.113.10": 2, "198.51.100.9": 1])
        #expect(key.regions.dictionary == ["us-east-1": 2, "eu-west-1": 1])
        #expect(key.userAgents.total == 3)
        #expect(key.activeHours[10] == 2 && key.activeHours[23] == 1)
        #expect(key.activeHours.reduce(0, +) == 3)
        #expect(key.activeDays == 3)
        #expect(key.dailyEvents.days.map(\.count) == [1, 1, 1])
        #expect(key.directEvents == 3)
        #expect(key.lastSuccess.map(Timestamp.format) == "2026-11-02T10:15:00Z")
        #expect(key.lastDirectUse.map(Timestamp.format) == "2026-11-05T10:00:00Z")
        // A long-term key: one /24 network per day of direct use.
        #expect(key.dailyNetworks.values.map(\.count).sorted() == [1, 1, 1])
        #expect(
            key.principal
                == Principal(
                    type: "IAMUser", arn: "arn:aws:iam::111122223333:user/alice", userName: "alice",
                    accountId: "111122223333"))
    }

    @Test("the principal is the earliest event's; at the same second, the smaller by ARN")
    func principalChoice() {
        let records = [
            RecordBuilder {
                $0.eventTime = "2026-11-02T10:00:00Z"
                $0.arn = "arn:aws:iam::111122223333:user/zed"
                $0.userName = "zed"
            },
            RecordBuilder {
                $0.eventTime = "2026-11-01T10:00:00Z"
                $0.arn = "arn:aws:iam::111122223333:user/bob"
                $0.userName = "bob"
            },
            RecordBuilder {
                $0.eventTime = "2026-11-01T10:00:00Z"
                $0.arn = "arn:aws:iam::111122223333:user/amy"
                $0.userName = "amy"
            },
        ]
        #expect(keyActivities(records).first?.principal.userName == "amy")
        #expect(keyActivities(records.reversed()).first?.principal.userName == "amy")
    }

    @Test("service calls, service events and console sessions are activity but not direct use")
    func directUse() throws {
        let records = [
            RecordBuilder { $0.eventTime = "2026-11-01T10:00:00Z" },
            RecordBuilder {
                $0.eventTime = "2026-11-03T10:00:00Z"
                $0.invokedBy = "cloudformation.amazonaws.com"
                $0.sourceIPAddress = "cloudformation.amazonaws.com"
            },
            RecordBuilder {
                $0.eventTime = "2026-11-04T10:00:00Z"
                $0.eventType = "AwsServiceEvent"
            },
            RecordBuilder {
                $0.eventTime = "2026-11-05T10:00:00Z"
                $0.sessionCredentialFromConsole = "true"
            },
        ]
        let key = try #require(keyActivities(records).first)
        #expect(key.events == 4)
        #expect(key.directEvents == 1)
        #expect(key.lastDirectUse.map(Timestamp.format) == "2026-11-01T10:00:00Z")
        #expect(key.dailyNetworks.count == 1)
    }

    @Test("records without an access key are counted, not aggregated")
    func withoutKey() {
        let aggregator = KeyAggregator()
        let records = [RecordBuilder { $0.accessKeyId = nil }, RecordBuilder { $0.accessKeyId = "" }, RecordBuilder()]
        aggregate(Array(RecordBuilder.document(records).utf8), into: aggregator)
        #expect(aggregator.recordsWithoutAccessKey == 2)
        #expect(aggregator.keyCount == 1)
    }

    @Test(
        "absorbing partitions gives exactly the one-pass result, with and without truncation",
        arguments: [
            // 3,000 keys grow the key table (1,024 slots at first) while adding and while absorbing, and are
            // absorbed on three threads; with a cap of 2, some of them take the one-thread sampling path.
            (1 as UInt64, 256, 12), (2, 256, 12), (3, 4, 12), (4, 2, 12), (5, 256, 3_000), (6, 2, 3_000),
        ])
    func absorbEqualsOnePass(seed: UInt64, cap: Int, keyCount: Int) {
        var generator = SeededGenerator(seed: seed)
        let keys = (0..<keyCount).map { "AKIATESTKEY\(String(format: "%09d", $0))" }
        let records = (0..<max(2_000, keyCount * 3)).map { index in
            RecordBuilder {
                $0.accessKeyId = keys[Int.random(in: 0..<keys.count, using: &generator)]
                $0.eventTime = Timestamp.format(1_790_000_000 + Int64.random(in: 0..<5_000_000, using: &generator))
                $0.sourceIPAddress = "10.0.0.\(Int.random(in: 0..<40, using: &generator))"
                $0.userAgent = "agent-\(Int.random(in: 0..<9, using: &generator))"
                $0.eventName =
                    ["GetObject", "PutObject", "ListBuckets", "DescribeInstances", "AssumeRole", "Decrypt"][
                        Int.random(in: 0..<6, using: &generator)]
                $0.awsRegion = ["us-east-1", "eu-west-1", "ap-south-1"][Int.random(in: 0..<3, using: &generator)]
                $0.userName = "user-\(index % 3)"
                $0.arn = "arn:aws:iam::111122223333:user/user-\(index % 3)"
                $0.errorCode = index % 11 == 0 ? "AccessDenied" : nil
            }
        }
        let onePass = keyActivities(records, valueCap: cap)
        var partitions = Array(repeating: [RecordBuilder](), count: 4)
        for record in records { partitions[Int.random(in: 0..<4, using: &generator)].append(record) }
        let parts = partitions.map { partition in
            let part = KeyAggregator(valueCap: cap)
            aggregate(Array(RecordBuilder.document(partition).utf8), into: part)
            return part
        }
        // The String-level merge of the parts' results (what the state store does with history)…
        var byMerge: [AccessKeyID: KeyActivity] = [:]
        for part in parts {
            for activity in part.finish() {
                if byMerge[activity.accessKeyID] == nil {
                    byMerge[activity.accessKeyID] = activity
                } else {
                    byMerge[activity.accessKeyID]!.merge(activity)
                }
            }
        }
        // …and the id-level absorb in an arbitrary grouping (what workers do) both equal one pass.
        let merged = parts[3]
        merged.absorb(parts[1], threads: 3)
        parts[0].absorb(parts[2])
        merged.absorb(parts[0], threads: 3)
        let absorbed = merged.finish().sorted { $0.accessKeyID < $1.accessKeyID }
        #expect(absorbed == onePass)
        #expect(byMerge.values.sorted { $0.accessKeyID < $1.accessKeyID } == onePass)
        if cap < 10 { #expect(onePass.contains { $0.sourceIPs.isTruncated }) }
    }

    @Test("finish orders keys by the bytes of their IDs, on one thread or several", arguments: [1, 3])
    func finishOrder(threads: Int) {
        var generator = SeededGenerator(seed: 7)
        // IDs sharing their first 16 bytes (the sort's integer prefix), shorter than 8 or 16 bytes, prefixes of
        // each other, and ordinary 20-byte IDs of both kinds; 3,000 keys so that three threads take part.
        let alphabet = Array("AIKS0Z".utf8)
        var ids = Set(["A", "AKIA", "AKIAAAAAAAAAAAAA", "AKIAAAAAAAAAAAAAA", "AKIAAAAAAAAAAAAA0", "AKIAAAAAAAAAAAAB"])
        while ids.count < 3_000 {
            let length = [3, 8, 9, 16, 17, 20, 20, 20].randomElement(using: &generator)!
            let tail = (0..<length).map { _ in alphabet.randomElement(using: &generator)! }
            ids.insert(
                (Bool.random(using: &generator) ? "AKIAAAAAAAAAAAAA" : "") + String(decoding: tail, as: UTF8.self))
        }
        let aggregator = KeyAggregator()
        let records = ids.shuffled(using: &generator).map { id in RecordBuilder { $0.accessKeyId = id } }
        aggregate(Array(RecordBuilder.document(records).utf8), into: aggregator)
        let finished = aggregator.finish(threads: threads).map(\.accessKeyID.value)
        #expect(finished == ids.sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) })
    }

    @Test("lookUp changes nothing; a value first met twice in one event counts once in each dimension")
    func lookUpThenAdd() throws {
        let aggregator = KeyAggregator()
        let reader = LogFileReader()
        // The name and the region share an interner: the region's lookup finds nothing, and by the time it is added
        // the name has interned the same bytes.
        let records = [
            RecordBuilder {
                $0.eventName = "eu-west-9"
                $0.awsRegion = "eu-west-9"
            },
            RecordBuilder {
                $0.accessKeyId = "ASIAY34FZKBOKMUTVV7A"
                $0.eventName = "GetObject"
                $0.awsRegion = "eu-west-9"
            },
            RecordBuilder {
                $0.eventName = "eu-west-9"
                $0.awsRegion = "eu-west-9"
            },
        ]
        var keysAfterLookUp: [Int] = []
        _ = reader.read(bytes: Array(RecordBuilder.document(records).utf8)) { event in
            let found = aggregator.lookUp(event)
            keysAfterLookUp.append(aggregator.keyCount)
            aggregator.add(event, with: found)
        }
        #expect(keysAfterLookUp == [0, 1, 2])
        let keys = aggregator.finish().sorted { $0.accessKeyID < $1.accessKeyID }
        #expect(keys.map(\.accessKeyID.value) == ["AKIAIOSFODNN7EXAMPLE", "ASIAY34FZKBOKMUTVV7A"])
        let first = try #require(keys.first)
        #expect(first.events == 2)
        #expect(first.eventNames.dictionary == ["eu-west-9": 2])
        #expect(first.regions.dictionary == ["eu-west-9": 2])
        #expect(keys.last?.eventNames.dictionary == ["GetObject": 1])
        #expect(keys.last?.regions.dictionary == ["eu-west-9": 1])
    }

    @Test("reset forgets everything")
    func reset() {
        let aggregator = KeyAggregator()
        aggregate(Array(RecordBuilder.document([RecordBuilder()]).utf8), into: aggregator)
        aggregator.reset()
        #expect(aggregator.keyCount == 0)
        #expect(aggregator.finish().isEmpty)
        aggregate(Array(RecordBuilder.document([RecordBuilder { $0.eventName = "X" }]).utf8), into: aggregator)
        #expect(aggregator.finish().first?.eventNames.dictionary == ["X": 1])
    }
}
