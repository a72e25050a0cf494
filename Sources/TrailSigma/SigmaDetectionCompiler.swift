import Foundation
import TrailAnalysis
import TrailModel
import Yams

/// Compiles a Sigma rule's `detection` into searches and a condition: field names to paths, modifiers and values to
/// matchers.
enum SigmaDetectionCompiler {
    /// Modifiers keytrail refuses, with why: each would change what a rule means if ignored.
    static let unsupported: [String: String] = [
        "utf16le": "CloudTrail records are UTF-8 JSON; UTF-16 encodings never occur in them",
        "utf16be": "CloudTrail records are UTF-8 JSON; UTF-16 encodings never occur in them",
        "utf16": "CloudTrail records are UTF-8 JSON; UTF-16 encodings never occur in them",
        "wide": "CloudTrail records are UTF-8 JSON; UTF-16 encodings never occur in them",
        "expand": "placeholders need a pipeline configuration that keytrail does not have",
        "minute": "time-part modifiers are not supported", "hour": "time-part modifiers are not supported",
        "day": "time-part modifiers are not supported", "week": "time-part modifiers are not supported",
        "month": "time-part modifiers are not supported", "year": "time-part modifiers are not supported",
    ]

    /// Compiles one rule document; `warnings` gets what loads but probably does not do what its author meant.
    static func rule(
        _ mapping: Node.Mapping, file: String, node: Node, warnings: inout [SigmaProblem]
    ) throws(SigmaProblem) -> SigmaRule {
        let metadata = try SigmaLoader.Metadata(mapping, file: file, node: node)
        guard let detectionNode = mapping["detection"], let detection = detectionNode.mapping else {
            throw SigmaLoader.problem(file, node, "the rule has no detection mapping")
        }
        var names: [String] = []
        var searches: [SigmaSearch] = []
        var conditionNode: Node?
        var timeframe: Node?
        for (key, value) in detection {
            guard let name = key.string else { throw SigmaLoader.problem(file, key, "a search name must be text") }
            switch name {
            case "condition": conditionNode = value
            case "timeframe": timeframe = value
            default:
                names.append(name)
                searches.append(try search(value, file: file))
                warnings += fieldNamesAsValues(value, file: file)
            }
        }
        guard let conditionNode else {
            throw SigmaLoader.problem(file, detectionNode, "the detection has no condition")
        }
        let texts: [String]
        if let text = conditionNode.string {
            texts = [text]
        } else if let list = conditionNode.sequence?.compactMap(\.string), !list.isEmpty {
            texts = list
        } else {
            throw SigmaLoader.problem(file, conditionNode, "the condition must be text or a list of texts")
        }
        for text in texts where text.contains("|") {
            throw SigmaLoader.problem(
                file, conditionNode,
                SigmaLegacyCondition.rewriteAdvice(
                    condition: text, ruleID: metadata.id, timeframe: timeframe?.string))
        }
        if let timeframe {
            throw SigmaLoader.problem(
                file, timeframe,
                "timeframe \(timeframe.string ?? "") has no meaning in a single-event rule: this rule correlates events "
                    + "over time; write the searches as separate rules and a Sigma correlation rule over them "
                    + "(correlation: {type: temporal, rules: [<rule ids>], group-by: [userIdentity.arn], "
                    + "timespan: \(timeframe.string ?? "10m")})")
        }
        var parser = SigmaConditionParser(names: names)
        var conditions: [SigmaCondition] = []
        for text in texts {
            do throws(SigmaConditionParser.Failure) {
                conditions.append(try parser.parse(text))
            } catch {
                throw SigmaLoader.problem(file, conditionNode, error.description)
            }
        }
        return SigmaRule(
            id: metadata.id, name: metadata.name, title: metadata.title, description: metadata.description,
            severity: metadata.severity, references: metadata.references, attack: metadata.attack,
            falsePositives: metadata.falsePositives, file: file, searchNames: names, searches: searches,
            condition: conditions.count == 1 ? conditions[0] : .or(conditions))
    }

    /// Values that spell a field path (`responseElements.accessKey.userName`) compare as literal text; the author
    /// almost always meant `|fieldref`.
    private static func fieldNamesAsValues(_ node: Node, file: String) -> [SigmaProblem] {
        let prefixes = ["userIdentity.", "requestParameters.", "responseElements.", "additionalEventData."]
        var warnings: [SigmaProblem] = []
        let maps = node.mapping.map { [$0] } ?? node.sequence?.compactMap(\.mapping) ?? []
        for map in maps {
            for (key, value) in map where !(key.string ?? "").contains("|fieldref") {
                for item in value.sequence.map({ Array($0) }) ?? [value] {
                    guard let text = item.string, !text.contains(" "),
                        prefixes.contains(where: { text.hasPrefix($0) })
                    else { continue }
                    warnings.append(
                        SigmaLoader.problem(
                            file, item,
                            "\(key.string ?? "") is compared with the literal text \"\(text)\", which "
                                + "looks like a field name; add |fieldref to compare with that field's value"))
                }
            }
        }
        return warnings
    }

    private static func search(_ node: Node, file: String) throws(SigmaProblem) -> SigmaSearch {
        if let mapping = node.mapping { return .allOf(try tests(mapping, file: file)) }
        if let sequence = node.sequence {
            if sequence.allSatisfy({ $0.mapping != nil }) {
                var maps: [[SigmaFieldTest]] = []
                for item in sequence { maps.append(try tests(item.mapping!, file: file)) }
                return .anyOf(maps)
            }
            if sequence.allSatisfy({ $0.scalar != nil }) {
                var matchers: [SigmaValueMatcher] = []
                for item in sequence { matchers.append(try matcher(item, modifiers: [.contains], file: file)) }
                return .keywords(matchers, all: false)
            }
            throw SigmaLoader.problem(file, node, "a search list must hold only maps or only values")
        }
        if node.scalar != nil { return .keywords([try matcher(node, modifiers: [.contains], file: file)], all: false) }
        throw SigmaLoader.problem(file, node, "a search must be a map, a list of maps or a list of values")
    }

    private static func tests(_ mapping: Node.Mapping, file: String) throws(SigmaProblem) -> [SigmaFieldTest] {
        var tests: [SigmaFieldTest] = []
        for (key, value) in mapping {
            guard let text = key.string else { throw SigmaLoader.problem(file, key, "a field name must be text") }
            let parts = text.split(separator: "|", omittingEmptySubsequences: false).map(String.init)
            let values: [Node] = value.sequence.map { Array($0) } ?? [value]
            if parts[0].isEmpty {
                throw SigmaLoader.problem(
                    file, key, "a keyword search with modifiers (\(text)) is not supported; name a field instead")
            }
            let path = SigmaFieldPath(parts[0])
            let modifiers = try self.modifiers(parts.dropFirst(), key: key, file: file)
            if modifiers.exists {
                guard values.count == 1, let flag = scalar(values[0]).flatMap(\.bool) else {
                    throw SigmaLoader.problem(file, value, "exists takes true or false")
                }
                tests.append(SigmaFieldTest(path: path, check: .exists(flag)))
                continue
            }
            if modifiers.fieldref {
                var others: [SigmaFieldPath] = []
                for item in values {
                    guard let name = item.string, !name.isEmpty else {
                        throw SigmaLoader.problem(file, item, "fieldref takes field names")
                    }
                    others.append(SigmaFieldPath(name))
                }
                let kind = modifiers.values.last { [.contains, .startswith, .endswith].contains($0) }
                let patternKind: SigmaPattern.Kind =
                    kind == .contains ? .contains : kind == .startswith ? .prefix : kind == .endswith ? .suffix : .exact
                tests.append(SigmaFieldTest(path: path, check: .fieldref(others, patternKind, all: modifiers.all)))
                continue
            }
            var matchers: [SigmaValueMatcher] = []
            for item in values { matchers.append(try matcher(item, modifiers: modifiers.values, file: file)) }
            tests.append(SigmaFieldTest(path: path, check: .values(matchers, all: modifiers.all)))
        }
        return tests
    }

    enum Modifier: String {
        case contains, startswith, endswith, re, i, m, s, cidr, base64, base64offset, windash, cased
        case lt, lte, gt, gte
    }

    struct Modifiers {
        var values: [Modifier] = []
        var all = false
        var exists = false
        var fieldref = false
    }

    private static func modifiers(
        _ names: ArraySlice<String>, key: Node, file: String
    ) throws(SigmaProblem)
        -> Modifiers
    {
        var result = Modifiers()
        for name in names {
            switch name.lowercased() {
            case "all": result.all = true
            case "exists": result.exists = true
            case "fieldref": result.fieldref = true
            case let lowered:
                if let modifier = Modifier(rawValue: lowered) {
                    result.values.append(modifier)
                } else if let reason = unsupported[lowered] {
                    throw SigmaLoader.problem(file, key, "the modifier \"\(name)\" is not supported: \(reason)")
                } else {
                    throw SigmaLoader.problem(
                        file, key,
                        "unknown modifier \"\(name)\"; keytrail supports contains, startswith, endswith, all, re "
                            + "(with i, m, s), cidr, exists, fieldref, base64, base64offset, windash, cased, lt, lte, "
                            + "gt, gte")
                }
            }
        }
        let flags = result.values.filter { [.i, .m, .s].contains($0) }
        if !flags.isEmpty && !result.values.contains(.re) {
            throw SigmaLoader.problem(file, key, "the modifiers i, m and s apply only to re")
        }
        return result
    }

    /// A scalar value of a rule: its text, and what it is when written plainly (null, a boolean, a number).
    struct Scalar {
        var text: String
        var isNull: Bool
        var bool: Bool?
        var number: Double?
    }

    private static func scalar(_ node: Node) -> Scalar? {
        guard let scalar = node.scalar else { return nil }
        let text = scalar.string
        guard scalar.style == .plain else { return Scalar(text: text, isNull: false, bool: nil, number: nil) }
        let lowered = text.lowercased()
        return Scalar(
            text: text, isNull: lowered == "null" || lowered == "~" || text.isEmpty,
            bool: lowered == "true" ? true : lowered == "false" ? false : nil,
            number: Double(text).flatMap { $0.isFinite ? $0 : nil })
    }

    private static func matcher(
        _ node: Node, modifiers: [Modifier], file: String
    ) throws(SigmaProblem)
        -> SigmaValueMatcher
    {
        guard let value = scalar(node) else {
            throw SigmaLoader.problem(file, node, "a value must be a string, number, boolean or null")
        }
        if value.isNull {
            guard modifiers.isEmpty else { throw SigmaLoader.problem(file, node, "null takes no modifiers") }
            return .null
        }
        let cased = modifiers.contains(.cased)
        if modifiers.contains(.re) {
            let flags = String(modifiers.filter { [.i, .m, .s].contains($0) }.map(\.rawValue).joined())
            do {
                return .regex(try SigmaRegex(value.text, flags: flags))
            } catch {
                throw SigmaLoader.problem(file, node, "invalid regular expression \"\(value.text)\": \(error)")
            }
        }
        if modifiers.contains(.cidr) {
            guard let network = CIDR(value.text) else {
                throw SigmaLoader.problem(file, node, "\"\(value.text)\" is not a CIDR network")
            }
            return .cidr(network)
        }
        if let comparison = modifiers.lazy.compactMap({ SigmaComparison(rawValue: $0.rawValue) }).first {
            guard let number = value.number ?? Double(value.text) else {
                throw SigmaLoader.problem(file, node, "\(comparison.rawValue) takes a number")
            }
            return .compare(comparison, number)
        }
        let kind: SigmaPattern.Kind =
            modifiers.contains(.contains)
            ? .contains : modifiers.contains(.startswith) ? .prefix : modifiers.contains(.endswith) ? .suffix : .exact
        let transforms = modifiers.filter { [.base64, .base64offset, .windash].contains($0) }
        if transforms.isEmpty {
            if let flag = value.bool, kind == .exact { return .bool(flag) }
            if let number = value.number, kind == .exact {
                return .number(number, SigmaPattern(value.text, modifier: .exact, cased: cased))
            }
            return .text(SigmaPattern(value.text, modifier: kind, cased: cased))
        }
        var variants = [value.text]
        for transform in transforms {
            switch transform {
            case .windash: variants = variants.flatMap(windashVariants)
            case .base64: variants = variants.map { Data($0.utf8).base64EncodedString() }
            case .base64offset: variants = variants.flatMap(base64OffsetVariants)
            default: break
            }
        }
        // Encoded values are case-sensitive: folding them would match other bytes.
        let encoded = cased || transforms.contains(.base64) || transforms.contains(.base64offset)
        let matchers = variants.map { variant in
            SigmaValueMatcher.text(
                SigmaPattern(encoded && !cased ? escapeWildcards(variant) : variant, modifier: kind, cased: encoded))
        }
        return matchers.count == 1 ? matchers[0] : .anyOf(matchers)
    }

    /// `windash`: the value with each `-` also as `/`, en dash, em dash and horizontal bar.
    private static func windashVariants(_ text: String) -> [String] {
        guard text.contains("-") else { return [text] }
        return ["-", "/", "\u{2013}", "\u{2014}", "\u{2015}"].map { text.replacingOccurrences(of: "-", with: $0) }
    }

    /// `base64offset`: the three encodings of the value at each offset within a base64 stream, with the characters
    /// that depend on neighbouring bytes cut off.
    private static func base64OffsetVariants(_ text: String) -> [String] {
        let bytes = Array(text.utf8)
        return (0..<3).map { offset in
            // As pySigma does: pad with spaces, cut the characters that depend on the padding or what follows.
            let padded = [UInt8](repeating: UInt8(ascii: " "), count: offset) + bytes
            let characters = Array(Data(padded).base64EncodedString())
            let start = [0, 2, 3][offset]
            let end = [0, 3, 2][(bytes.count + offset) % 3]
            let upper = max(start, characters.count - end)
            return String(characters[start..<upper])
        }
    }

    /// Encoded values are literal: a backslash in the encoding must not read as an escape.
    private static func escapeWildcards(_ text: String) -> String {
        text.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "*", with: "\\*")
            .replacingOccurrences(of: "?", with: "\\?")
    }
}
