import Foundation
import NIOCore
import NIOHTTP1
import NIOPosix
import Synchronization
import TrailAlerts

/// A real HTTP server on 127.0.0.1 for webhook tests: records every request, answers from a script of faults
/// (status codes, `Retry-After`, a connection that never answers), and counts findings by delivery id the way an
/// idempotent receiver would.
public final class TestWebhookServer: Sendable {
    /// One way to answer a request.
    public enum Reply: Sendable {
        /// Answer with `status`, optional `Retry-After` and body.
        case status(Int, retryAfter: String? = nil, body: String = "")
        /// Read the request and never answer (the client must time out).
        case hang
    }

    /// A request as received.
    public struct Request: Sendable {
        public var method: String
        public var path: String
        public var headers: [(String, String)]
        public var body: [UInt8]
        /// How it was answered.
        public var reply: Reply

        /// The first value of a header, by case-insensitive name.
        public func header(_ name: String) -> String? {
            headers.first { $0.0.lowercased() == name.lowercased() }?.1
        }
    }

    private let recorder: Recorder
    private let group: MultiThreadedEventLoopGroup
    private let channel: any Channel
    /// The server's port on 127.0.0.1.
    public let port: Int

    /// Starts a server that answers requests from `script` in order, then 200 for the rest.
    public init(script: [Reply] = []) throws {
        let recorder = Recorder(script: script)
        self.recorder = recorder
        group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        let bootstrap = ServerBootstrap(group: group)
            .serverChannelOption(.backlog, value: 64)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelInitializer { channel in
                channel.pipeline.configureHTTPServerPipeline().flatMap {
                    channel.pipeline.addHandler(RecordingHandler(recorder: recorder))
                }
            }
        channel = try bootstrap.bind(host: "127.0.0.1", port: 0).wait()
        port = channel.localAddress?.port ?? 0
    }

    /// The URL of `path` on this server.
    public func url(_ path: String = "/hook") -> String { "http://127.0.0.1:\(port)\(path)" }

    /// Answers the next requests from `script` (then 200), replacing what was left of the old one.
    public func setScript(_ script: [Reply]) { recorder.setScript(script) }

    /// Every request so far, in arrival order.
    public var requests: [Request] { recorder.requests }

    /// Finding ids received in batches answered 2xx, each delivery id counted once (as an idempotent receiver
    /// would), in order.
    public func deliveredFindingIDs() -> [String] {
        var seen = Set<String>()
        var ids: [String] = []
        for request in requests {
            guard case .status(let status, _, _) = request.reply, (200..<300).contains(status),
                let delivery = request.header("X-Keytrail-Delivery"), seen.insert(delivery).inserted
            else { continue }
            ids += Self.findingIDs(in: request.body)
        }
        return ids
    }

    /// The finding ids in a `keytrail.alerts/1` body.
    public static func findingIDs(in body: [UInt8]) -> [String] {
        guard let object = try? JSONSerialization.jsonObject(with: Data(body)) as? [String: Any],
            let findings = object["findings"] as? [[String: Any]]
        else { return [] }
        return findings.compactMap { $0["id"] as? String }
    }

    /// Stops the server, dropping connections left hanging.
    public func shutdown() {
        try? channel.close().wait()
        try? group.syncShutdownGracefully()
    }

    /// A port on 127.0.0.1 where nothing listens (bound, then closed).
    public static func closedPort() throws -> Int {
        let server = try TestWebhookServer()
        let port = server.port
        server.shutdown()
        return port
    }
}

/// The server's script and what it received, shared with the connections' handlers.
private final class Recorder: Sendable {
    private struct State {
        var script: [TestWebhookServer.Reply]
        var requests: [TestWebhookServer.Request] = []
    }

    private let state: Mutex<State>

    init(script: [TestWebhookServer.Reply]) { state = Mutex(State(script: script)) }

    var requests: [TestWebhookServer.Request] { state.withLock { $0.requests } }

    func setScript(_ script: [TestWebhookServer.Reply]) { state.withLock { $0.script = script } }

    /// Records `request` and says how to answer it.
    func reply(to request: TestWebhookServer.Request) -> TestWebhookServer.Reply {
        state.withLock { state in
            let reply = state.script.isEmpty ? .status(200) : state.script.removeFirst()
            var recorded = request
            recorded.reply = reply
            state.requests.append(recorded)
            return reply
        }
    }
}

private final class RecordingHandler: ChannelInboundHandler, @unchecked Sendable {
    typealias InboundIn = HTTPServerRequestPart
    typealias OutboundOut = HTTPServerResponsePart

    private let recorder: Recorder
    private var head: HTTPRequestHead?
    private var body: [UInt8] = []

    init(recorder: Recorder) { self.recorder = recorder }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head(let requestHead):
            head = requestHead
            body = []
        case .body(var buffer):
            body += buffer.readBytes(length: buffer.readableBytes) ?? []
        case .end:
            guard let head else { return }
            let request = TestWebhookServer.Request(
                method: head.method.rawValue, path: head.uri, headers: head.headers.map { ($0.name, $0.value) },
                body: body, reply: .status(0))
            switch recorder.reply(to: request) {
            case .hang:
                break
            case .status(let status, let retryAfter, let text):
                var headers = HTTPHeaders()
                headers.add(name: "Content-Length", value: "\(text.utf8.count)")
                if let retryAfter { headers.add(name: "Retry-After", value: retryAfter) }
                let responseHead = HTTPResponseHead(
                    version: head.version, status: HTTPResponseStatus(statusCode: status), headers: headers)
                context.write(wrapOutboundOut(.head(responseHead)), promise: nil)
                var buffer = context.channel.allocator.buffer(capacity: text.utf8.count)
                buffer.writeString(text)
                context.write(wrapOutboundOut(.body(.byteBuffer(buffer))), promise: nil)
                context.writeAndFlush(wrapOutboundOut(.end(nil)), promise: nil)
            }
        }
    }
}
