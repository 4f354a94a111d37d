import RundleJSON

/// The two signals a Garden client can send to a process.
public enum ProcessSignal: Int, Sendable, Hashable, CaseIterable {
    /// SIGTERM.
    case terminate = 0
    /// SIGKILL.
    case kill = 1
}

/// One message on a process's control connection, in either direction (Go's transport.ProcessPayload).
/// Every field is optional and written exactly when non-nil, so `"source":0` and `"signal":0` survive.
public struct ProcessPayload: GardenBody, Hashable {
    public var processID: String?
    /// Announces the id for the stdout/stderr routes (first server message only).
    public var streamID: String?
    /// 0 = stdin (1 and 2 exist in Go's enum but are never sent).
    public var source: Int?
    /// A stdin chunk; with `source` and no `data` the message means stdin EOF.
    public var data: String?
    public var exitStatus: Int?
    /// The server could not wait for the process.
    public var error: String?
    /// A window resize.
    public var tty: TTYSpec?
    /// A `ProcessSignal` raw value.
    public var signal: Int?

    /// A payload with the given fields.
    public init(
        processID: String? = nil, streamID: String? = nil, source: Int? = nil, data: String? = nil,
        exitStatus: Int? = nil, error: String? = nil, tty: TTYSpec? = nil, signal: Int? = nil
    ) {
        self.processID = processID
        self.streamID = streamID
        self.source = source
        self.data = data
        self.exitStatus = exitStatus
        self.error = error
        self.tty = tty
        self.signal = signal
    }

    public init(json: JSON) throws(GardenDecodingError) {
        let fields = try JSONFields(json, at: FieldPath("ProcessPayload"), goType: "transport.ProcessPayload")
        processID = try fields.string("process_id")
        streamID = try fields.string("stream_id")
        source = try fields.int("source", goType: "transport.Source")
        data = try fields.string("data")
        exitStatus = try fields.int("exit_status")
        error = try fields.string("error")
        tty = try fields.decode("tty") { (v, p) throws(GardenDecodingError) in try TTYSpec(json: v, at: p) }
        signal = try fields.int("signal", goType: "garden.Signal")
    }

    public func json() -> JSON {
        var writer = JSONWriter()
        writer.ifPresent("process_id", processID.map { JSON.string($0) })
        writer.ifPresent("stream_id", streamID.map { JSON.string($0) })
        writer.ifPresent("source", source.map { JSON($0) })
        writer.ifPresent("data", data.map { JSON.string($0) })
        writer.ifPresent("exit_status", exitStatus.map { JSON($0) })
        writer.ifPresent("error", error.map { JSON.string($0) })
        writer.ifPresent("tty", tty?.json())
        writer.ifPresent("signal", signal.map { JSON($0) })
        return writer.json
    }
}

extension ProcessPayload {
    /// The server's first message after the response head: which stream id to fetch output with.
    public static func streamStarted(processID: String, streamID: String) -> ProcessPayload {
        ProcessPayload(processID: processID, streamID: streamID)
    }

    /// The server's last message when the process exited with `status` (128+N after signal N).
    public static func exited(processID: String, status: Int) -> ProcessPayload {
        ProcessPayload(processID: processID, exitStatus: status)
    }

    /// The server's last message when waiting for the process failed.
    public static func failed(processID: String, error: String) -> ProcessPayload {
        ProcessPayload(processID: processID, error: error)
    }

    /// What a client message asks for, in the order the upstream server checks the fields.
    public enum ClientRequest: Sendable, Hashable {
        /// Resize the pty (a `tty` without `window_size` changes nothing).
        case resize(WindowSize?)
        /// Write these bytes (the UTF-8 of `data`) to the process's stdin.
        case stdin([UInt8])
        /// Close the process's stdin.
        case stdinEOF
        /// Deliver a signal.
        case signal(ProcessSignal)
        /// Anything else (including an unknown signal number): upstream stops reading; Rundle may ignore it.
        case unknown
    }

    /// This message read as a client request: `tty`, then `source`, then `signal`, as upstream dispatches.
    public var clientRequest: ClientRequest {
        if let tty { return .resize(tty.windowSize) }
        if source != nil {
            guard let data else { return .stdinEOF }
            return .stdin(Array(data.utf8))
        }
        if let signal {
            guard let known = ProcessSignal(rawValue: signal) else { return .unknown }
            return .signal(known)
        }
        return .unknown
    }
}
