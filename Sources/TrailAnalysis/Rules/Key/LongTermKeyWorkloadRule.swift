import TrailModel

/// `long-term-key-workload`: a long-term key used the way a workload uses credentials, where a role would fit.
///
/// Reasons, each with its numbers: (a) calls from AWS address space or user agents that name AWS compute
/// (`exec-env/`); (b) CI or infrastructure-as-code user agents; (c) machine cadence: most hours of the day and
/// most days, weekends included; (d) server SDKs on Linux rather than a CLI on a laptop; (e) many networks. Calls a
/// service made on the principal's behalf and console sessions are not evidence (they are not direct use). The
/// severity grows with the number of reasons; the remediation names the replacement that fits them.
struct LongTermKeyWorkloadRule {
    static let id = "long-term-key-workload"

    /// User-agent markers of CI systems and infrastructure-as-code tools, lowercased.
    static let automationMarkers: [(marker: String, tool: String)] = [
        ("exec-env/github_actions", "GitHub Actions"), ("github-actions", "GitHub Actions"),
        ("aws-credentials-for-github-actions", "GitHub Actions"), ("gitlab", "GitLab CI"), ("jenkins", "Jenkins"),
        ("circleci", "CircleCI"), ("bitbucket", "Bitbucket Pipelines"), ("terraform", "Terraform"),
        ("hashicorp", "Terraform"), ("pulumi", "Pulumi"), ("ansible", "Ansible"), ("spacelift", "Spacelift"),
        ("atlantis", "Atlantis"), ("cdk", "AWS CDK"), ("buildkite", "Buildkite"), ("teamcity", "TeamCity"),
        ("azure-pipelines", "Azure Pipelines"),
    ]

    /// `exec-env/` values that mean the caller ran on AWS compute.
    static let awsComputeMarkers = [
        "exec-env/aws_ecs", "exec-env/aws_lambda", "exec-env/aws_ec2", "exec-env/cloudshell",
    ]

    /// What a user agent says about its caller; computed once per distinct user agent.
    struct AgentTraits {
        var awsCompute = false
        var tool: String?
        var serverSDK = false

        init(_ agent: String) {
            let bytes = Array(agent.utf8)
            awsCompute = LongTermKeyWorkloadRule.awsComputeMarkers.contains { ASCII.contains(bytes, $0) }
            tool = LongTermKeyWorkloadRule.automationMarkers.first { ASCII.contains(bytes, $0.marker) }?.tool
            serverSDK = LongTermKeyWorkloadRule.isServerSDK(bytes)
        }
    }

    /// Each distinct user agent's traits, once judged.
    private var traits: [String: AgentTraits] = [:]

    private mutating func traitsOf(_ agent: String) -> AgentTraits {
        if let known = traits[agent] { return known }
        let computed = AgentTraits(agent)
        traits[agent] = computed
        return computed
    }

    mutating func judge(_ key: KnownKey, in context: KeyRuleContext) -> Finding? {
        guard let activity = key.activity, !key.isRoot, activity.kind == .longTerm,
            activity.directEvents >= context.thresholds.workloadMinimumEvents
        else { return nil }
        var reasons: [JSONValue.Member] = []
        var fits: [String] = []
        let agents = activity.userAgents.sortedByCount
        // Each agent's traits looked up once, for the three reasons that read them.
        let agentTraits = agents.map { (traits: traitsOf($0.value), count: $0.count) }
        let addresses = activity.sourceIPs.sortedByCount
        let total = max(1, activity.userAgents.total)

        // (a) AWS compute.
        var fromAWS = 0
        if let ranges = context.awsRanges {
            fromAWS = addresses.filter { ranges.contains($0.value) }.reduce(0) { $0 + $1.count }
        }
        let computeEvents = agentTraits.filter(\.traits.awsCompute).reduce(0) { $0 + $1.count }
        if fromAWS * 2 >= total || computeEvents * 2 >= total {
            var facts: [JSONValue.Member] = []
            if fromAWS > 0 { facts.append(.init("eventsFromAWSAddresses", .integer(Int64(fromAWS)))) }
            if computeEvents > 0 {
                facts.append(.init("eventsWithAWSComputeUserAgents", .integer(Int64(computeEvents))))
            }
            reasons.append(.init("awsCompute", .object(facts)))
            fits.append(
                "run it with the compute's own role: an EC2 instance profile, an ECS task role or a Lambda "
                    + "execution role")
        }

        // (b) CI and infrastructure as code.
        var tools: [String: Int] = [:]
        for entry in agentTraits {
            if let tool = entry.traits.tool { tools[tool, default: 0] += entry.count }
        }
        let toolEvents = tools.values.reduce(0, +)
        if toolEvents * 4 >= total {
            reasons.append(
                .init(
                    "automationTools",
                    .object(tools.sorted { $0.key < $1.key }.map { .init($0.key, .integer(Int64($0.value))) })))
            fits.append(
                tools.keys.contains("GitHub Actions") || tools.keys.contains("GitLab CI")
                    || tools.keys.contains("CircleCI") || tools.keys.contains("Bitbucket Pipelines")
                    ? "let the CI system assume a role through OIDC federation (no stored key)"
                    : "run the tool under a role it assumes (OIDC federation from CI, or the runner's instance role)"
            )
        }

        // (c) Machine cadence.
        let busyHours = activity.activeHours.filter { $0 > 0 }.count
        let spanDays = max(1, KeyRuleContext.days(from: activity.firstSeen, to: activity.lastSeen) + 1)
        let dayShare = Double(activity.activeDays) / Double(spanDays)
        let weekendDays = activity.dailyEvents.days.filter { Self.isWeekend($0.day) }.count
        if busyHours >= 18 && spanDays >= 7 && dayShare >= 0.8 && weekendDays > 0 {
            reasons.append(
                .init(
                    "machineCadence",
                    .object([
                        .init("activeHoursOfDay", .integer(Int64(busyHours))),
                        .init("activeDays", .integer(Int64(activity.activeDays))),
                        .init("spanDays", .integer(Int64(spanDays))),
                        .init("weekendDays", .integer(Int64(weekendDays))),
                    ])))
        }

        // (d) Server SDKs on Linux.
        let serverEvents = agentTraits.filter(\.traits.serverSDK).reduce(0) { $0 + $1.count }
        if serverEvents * 2 >= total {
            reasons.append(.init("serverSDK", .object([.init("events", .integer(Int64(serverEvents)))])))
        }

        // (e) Many networks.
        let networks = Set(addresses.compactMap { NetworkPrefix.of($0.value) })
        if networks.count >= context.thresholds.workloadNetworks {
            reasons.append(
                .init(
                    "manyNetworks",
                    .object([
                        .init("networks", .integer(Int64(networks.count))),
                        .init(
                            "examples",
                            .array(networks.sorted().prefix(8).map { .string(NetworkPrefix.describe($0)) })),
                    ])))
        }

        guard !reasons.isEmpty else { return nil }
        if fits.isEmpty {
            fits.append(
                "give the server an identity instead of a key: IAM Roles Anywhere outside AWS, or a role where "
                    + "it runs")
        }
        let severity: Severity = reasons.count >= 3 ? .high : reasons.count == 2 ? .medium : .low
        return context.finding(
            Self.id, key: key, severity: severity,
            title: "Used by a workload where a role would fit: long-term \(key.phrase)",
            evidence: [
                .init("reasons", .object(reasons)),
                .init("directEvents", .integer(Int64(activity.directEvents))),
                .init("topUserAgents", .array(agents.prefix(3).map { .string($0.value) })),
            ],
            remediation: fits.map { $0.prefix(1).uppercased() + $0.dropFirst() }.joined(separator: "; ")
                + "; then delete the key.")
    }

    static func isWeekend(_ day: Int32) -> Bool {
        // 1970-01-01 was a Thursday: day 2 is Saturday, 3 Sunday.
        let weekday = ((Int(day) % 7) + 7) % 7
        return weekday == 2 || weekday == 3
    }

    /// A server SDK or CLI on Linux, not a laptop's CLI.
    static func isServerSDK(_ agent: [UInt8]) -> Bool {
        let sdk = ["boto3", "botocore", "aws-sdk-", "aws-cli"].contains { ASCII.contains(agent, $0) }
        let linux = ASCII.contains(agent, "linux") || ASCII.contains(agent, "amzn")
        let laptop = ["darwin", "macos", "windows", "win32"].contains { ASCII.contains(agent, $0) }
        return sdk && linux && !laptop
    }
}
