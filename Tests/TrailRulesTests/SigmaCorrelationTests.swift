import Testing
import TrailAnalysis
import TrailEngine
import TrailModel
import TrailSigma
import TrailTestSupport

/// Base rules for the correlation tests: S3 listings and IAM key creations.
private let baseRules = """
    title: Bucket listing
    id: base-list
    name: bucket_listing
    logsource: {product: aws, service: cloudtrail}
    detection:
        sel:
            eventName: ListBuckets
        condition: sel
    level: low
    ---
    title: Access key created
    id: base-create
    name: key_created
    logsource: {product: aws, service: cloudtrail}
    detection:
        sel:
            eventName: CreateAccessKey
        condition: sel
    level: medium
    """

private func correlation(_ body: String, generate: Bool = false) -> String {
    """
    \(baseRules)
    ---
    title: Correlated
    id: corr-1
    level: high
    tags: [attack.t1580]
    correlation:
    \(body)
        generate: \(generate)
    """
}

/// A record at `minute` past 10:00 by `user` calling `name` from `ip`.
private func event(
    _ minute: Int, user: String = "alice", name: String = "ListBuckets", ip: String = "203.0.113.10"
)
    -> String
{
    RecordBuilder {
        $0.eventTime = "2026-11-02T10:\(String(format: "%02d", minute)):00Z"
        $0.eventID = "evt-\(user)-\(minute)-\(name)"
        $0.userName = user
        $0.arn = "arn:aws:iam::111122223333:user/\(user)"
        $0.eventName = name
        $0.sourceIPAddress = ip
        if name == "CreateAccessKey" { $0.eventSource = "iam.amazonaws.com" }
    }.json
}

@Suite("Sigma correlation rules")
struct SigmaCorrelationTests {
    @Test("event_count: enough events of one group within the timespan fire once; other groups do not")
    func eventCount() throws {
        let yaml = correlation(
            """
                type: event_count
                rules: [bucket_listing]
                group-by: [userIdentity.userName]
                timespan: 10m
                condition: {gte: 4}
            """)
        let records = (0..<5).map { event($0 * 2) } + (0..<3).map { event($0, user: "bob") }
        let result = findings(json: records, configuration: sigmaConfiguration(yaml))
        let correlated = result.filter { $0.rule == "sigma:corr-1" }
        #expect(correlated.count == 1)
        let finding = try #require(correlated.first)
        #expect(finding.severity == .high)
        #expect(finding.attack == ["T1580"])
        #expect(finding.evidence["groupBy"]?["userIdentity.userName"] == .string("alice"))
        #expect(finding.evidence["event_count"] == .integer(5))
        #expect(finding.eventCount == 5)
        // generate: false, so the base rule's own matches are not reported.
        #expect(!result.contains { $0.rule == "sigma:base-list" })
    }

    @Test("event_count: events spread wider than the timespan do not fire")
    func eventCountOutsideWindow() {
        let yaml = correlation(
            """
                type: event_count
                rules: [base-list]
                group-by: [userIdentity.userName]
                timespan: 5m
                condition: {gte: 4}
            """)
        let records = (0..<4).map { event($0 * 3) }  // minutes 0, 3, 6, 9: at most two in any 5 minutes
        #expect(
            !findings(json: records, configuration: sigmaConfiguration(yaml)).contains { $0.rule == "sigma:corr-1" })
    }

    @Test("generate: true also reports the base rule's matches")
    func generate() {
        let yaml = correlation(
            """
                type: event_count
                rules: [bucket_listing]
                timespan: 10m
                condition: {gte: 2}
            """, generate: true)
        let result = findings(json: [event(1), event(2)], configuration: sigmaConfiguration(yaml))
        #expect(result.contains { $0.rule == "sigma:corr-1" })
        #expect(result.contains { $0.rule == "sigma:base-list" })
    }

    @Test("value_count: distinct source addresses per user")
    func valueCount() throws {
        let yaml = correlation(
            """
                type: value_count
                rules: [bucket_listing]
                group-by: [userIdentity.userName]
                timespan: 1h
                condition: {gte: 3, field: sourceIPAddress}
            """)
        let spread = (0..<3).map { event($0, ip: "198.51.100.\($0)") }
        let same = (0..<6).map { event($0, user: "bob") }
        let result = findings(json: spread + same, configuration: sigmaConfiguration(yaml))
            .filter { $0.rule == "sigma:corr-1" }
        #expect(result.count == 1)
        #expect(result.first?.evidence["value_count"] == .integer(3))
        #expect(result.first?.evidence["values"]?.arrayValue?.count == 3)
    }

    @Test("temporal: both rules within the timespan, in any order")
    func temporal() {
        let yaml = correlation(
            """
                type: temporal
                rules: [key_created, bucket_listing]
                group-by: [userIdentity.userName]
                timespan: 5m
            """)
        let together = [event(1), event(3, name: "CreateAccessKey")]
        #expect(
            findings(json: together, configuration: sigmaConfiguration(yaml)).contains { $0.rule == "sigma:corr-1" })
        let apart = [event(1), event(30, name: "CreateAccessKey")]
        #expect(!findings(json: apart, configuration: sigmaConfiguration(yaml)).contains { $0.rule == "sigma:corr-1" })
        let otherUsers = [event(1), event(2, user: "bob", name: "CreateAccessKey")]
        #expect(
            !findings(json: otherUsers, configuration: sigmaConfiguration(yaml)).contains { $0.rule == "sigma:corr-1" })
    }

    @Test("temporal_ordered: the rules must match in the order listed")
    func temporalOrdered() {
        let yaml = correlation(
            """
                type: temporal_ordered
                rules: [key_created, bucket_listing]
                group-by: [userIdentity.userName]
                timespan: 5m
            """)
        let inOrder = [event(1, name: "CreateAccessKey"), event(2)]
        #expect(findings(json: inOrder, configuration: sigmaConfiguration(yaml)).contains { $0.rule == "sigma:corr-1" })
        let reversed = [event(1), event(2, name: "CreateAccessKey")]
        #expect(
            !findings(json: reversed, configuration: sigmaConfiguration(yaml)).contains { $0.rule == "sigma:corr-1" })
    }

    @Test("aliases group different fields of different rules together")
    func aliases() {
        let yaml = correlation(
            """
                type: temporal
                rules: [key_created, bucket_listing]
                group-by: [person]
                aliases:
                    person:
                        key_created: requestParameters.userName
                        bucket_listing: userIdentity.userName
                timespan: 5m
            """)
        let records = [
            RecordBuilder {
                $0.eventTime = "2026-11-02T10:01:00Z"
                $0.eventID = "create"
                $0.eventSource = "iam.amazonaws.com"
                $0.eventName = "CreateAccessKey"
                $0.userName = "admin"
                $0.requestParameters = #"{"userName":"alice"}"#
            }.json,
            event(2),
        ]
        let result = findings(json: records, configuration: sigmaConfiguration(yaml)).filter {
            $0.rule == "sigma:corr-1"
        }
        #expect(result.count == 1)
        #expect(result.first?.evidence["groupBy"]?["person"] == .string("alice"))
    }

    @Test("the same findings whatever the number of workers")
    func workersAgree() async throws {
        let yaml = correlation(
            """
                type: event_count
                rules: [bucket_listing]
                group-by: [userIdentity.userName]
                timespan: 10m
                condition: {gte: 3}
            """)
        let folder = Fixtures.temporaryFolder("sigma-corr")
        for part in 0..<4 {
            let records = (0..<3).map { event(part * 15 + $0) }
            Fixtures.write("{\"Records\":[" + records.joined(separator: ",") + "]}", to: folder + "/part\(part).json")
        }
        let configuration = sigmaConfiguration(yaml)
        let one = await ScanPipeline(options: ScanOptions(paths: [folder], jobs: 1, configuration: configuration)).run()
        let four = await ScanPipeline(options: ScanOptions(paths: [folder], jobs: 4, configuration: configuration))
            .run()
        let ids = one.findings.filter { $0.rule == "sigma:corr-1" }.map(\.id)
        #expect(ids.count == 4)
        #expect(Set(ids) == Set(four.findings.filter { $0.rule == "sigma:corr-1" }.map(\.id)))
    }
}

@Suite("Sigma loader")
struct SigmaLoaderTests {
    private func errors(_ yaml: String) -> [String] {
        SigmaLoader.load(texts: [("rule.yml", yaml)]).errors.map(\.description)
    }

    @Test("an unknown modifier is an error naming the file and line")
    func unknownModifier() {
        let messages = errors(sigmaRule("    sel:\n        eventName|containz: x\n    condition: sel"))
        #expect(messages.count == 1)
        #expect(messages.first?.hasPrefix("rule.yml:8: unknown modifier \"containz\"") == true, "\(messages)")
    }

    @Test("an unsupported modifier says why")
    func unsupportedModifier() {
        let messages = errors(sigmaRule("    sel:\n        userAgent|utf16le|base64: x\n    condition: sel"))
        #expect(messages.first?.contains("UTF-8") == true, "\(messages)")
    }

    @Test("a condition naming a missing search lists the searches")
    func missingSearch() {
        let messages = errors(sigmaRule("    sel:\n        eventName: x\n    condition: sel and filter"))
        #expect(messages.first?.contains("\"filter\", which is not a search of this rule (searches: sel)") == true)
    }

    @Test("broken conditions are errors")
    func brokenConditions() {
        for condition in ["sel and", "(sel", "sel or or sel", "1 of nothing*", "not"] {
            #expect(
                errors(sigmaRule("    sel:\n        eventName: x\n    condition: \(condition)")).count == 1,
                "\(condition)")
        }
    }

    @Test("an invalid regular expression is an error")
    func badRegex() {
        #expect(errors(sigmaRule("    sel:\n        userAgent|re: '(unclosed'\n    condition: sel")).count == 1)
    }

    @Test(
        "a regular expression that repeats a repeating group (exponential backtracking) is refused with the part",
        arguments: [
            ("(a+)+$", "(a+)+"), (#"^(x\w*)*y"#, #"(x\w*)*"#), ("(?:a|b+){2,}", "(?:a|b+){2,}"),
            ("((ab)*c)+", "((ab)*c)+"), ("(a{1,9})*", "(a{1,9})*"),
        ])
    func exponentialRegex(pattern: String, part: String) {
        let problems = errors(sigmaRule("    sel:\n        userAgent|re: '\(pattern)'\n    condition: sel"))
        #expect(problems.count == 1)
        #expect(problems.first?.contains("\"\(part)\" repeats a group that itself repeats") == true, "\(problems)")
    }

    @Test(
        "regular expressions without nested repetition load",
        arguments: [
            ".+:assumed-role/aws:.+", "(ab)+", "(a+){3}", "[(+]+", #"\(a+\)+"#, "(a+)?", "(a+)b+", "x{2}(y+)",
            "(a|b)*c",
        ])
    func safeRegex(pattern: String) {
        #expect(errors(sigmaRule("    sel:\n        userAgent|re: '\(pattern)'\n    condition: sel")).isEmpty)
    }

    @Test("a condition nested deeper than 64 brackets or nots is refused, not a stack overflow")
    func deepCondition() {
        let deep = String(repeating: "(", count: 5_000) + "sel" + String(repeating: ")", count: 5_000)
        let problems = errors(sigmaRule("    sel:\n        eventName: x\n    condition: \(deep)"))
        #expect(problems.first?.contains("deeper than 64 levels") == true, "\(problems)")
        let nots = String(repeating: "not ", count: 65) + "sel"
        #expect(errors(sigmaRule("    sel:\n        eventName: x\n    condition: \(nots)")).count == 1)
        let fine = String(repeating: "(", count: 60) + "sel" + String(repeating: ")", count: 60)
        #expect(errors(sigmaRule("    sel:\n        eventName: x\n    condition: \(fine)")).isEmpty)
    }

    @Test("a rule without an id or title is an error; a rule for another log source is skipped")
    func metadata() {
        #expect(
            errors("title: x\nlogsource: {product: aws, service: cloudtrail}\ndetection: {sel: {a: b}, condition: sel}")
                .first?.contains("no id") == true)
        let windows = SigmaLoader.load(texts: [
            (
                "win.yml",
                "title: x\nid: y\nlogsource: {product: windows, category: process_creation}\ndetection: {sel: {a: b}, condition: sel}"
            )
        ])
        #expect(windows.errors.isEmpty)
        #expect(windows.skipped.count == 1)
        #expect(windows.rules.isEmpty)
    }

    @Test("a correlation over a rule that was not loaded is an error")
    func unknownCorrelatedRule() {
        let yaml =
            "title: c\nid: c\ncorrelation:\n    type: event_count\n    rules: [nope]\n    timespan: 5m\n    condition: {gte: 2}"
        #expect(errors(yaml).first?.contains("refers to rule \"nope\"") == true)
    }

    @Test("generate takes a plain boolean; anything else is an error naming the line", arguments: ["yes", "off"])
    func generateValues(plain: String) {
        let yaml = correlation(
            "    type: event_count\n    rules: [base-list]\n    timespan: 5m\n    condition: {gte: 2}")
        let report = SigmaLoader.load(texts: [
            ("rule.yml", yaml.replacingOccurrences(of: "generate: false", with: "generate: \(plain)"))
        ])
        #expect(report.errors.isEmpty)
        #expect(report.rules.correlations.first?.generate == (plain == "yes"))
        let quoted = errors(yaml.replacingOccurrences(of: "generate: false", with: "generate: 'true'"))
        #expect(quoted.count == 1)
        #expect(quoted.first?.contains("rule.yml:") == true && quoted.first?.contains("generate must be") == true)
    }

    @Test("duplicate rule ids are an error")
    func duplicateIDs() {
        let rule = sigmaRule("    sel:\n        eventName: x\n    condition: sel")
        #expect(errors(rule + "\n---\n" + rule).first?.contains("also used") == true)
    }

    @Test("regexes: the literal every match contains is checked first")
    func requiredLiteral() {
        #expect(
            SigmaRegex.requiredLiteral(of: ".+:assumed-role/aws:.+").map { String(decoding: $0, as: UTF8.self) }
                == ":assumed-role/aws:")
        #expect(SigmaRegex.requiredLiteral(of: "abc?d") == Array("ab".utf8))
        #expect(SigmaRegex.requiredLiteral(of: "a|b") == nil)
        #expect(SigmaRegex.requiredLiteral(of: "(abc)?d") == nil)
        #expect(SigmaRegex.requiredLiteral(of: "x[abc]+yz\\.w") == Array("yz.w".utf8))
    }
}
