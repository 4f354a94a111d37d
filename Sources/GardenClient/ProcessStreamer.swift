import GardenProtocol

/// Follows a process over a hijacked control connection as the Go client's `streamProcess`
/// does: first payload (process and stream ids), stdin pump, stdout and stderr connections,
/// then a waiter for the exit status.
struct ProcessStreamer {
    let connection: GardenConnection
    let handle: String

    func start(control: GardenHijackedConnection, io: ProcessIO) throws -> GardenProcess {
        var payloads = ProcessPayloadStream(connection: control)
        let first: ProcessPayload
        do {
            guard let payload = try payloads.next(timeout: connection.options.responseTimeout) else {
                throw GardenClientError(.processFailed, "connection: decode failed: EOF before the first process message")
            }
            first = payload
        } catch {
            control.shutdown()
            throw error
        }
        let process = GardenProcess(id: first.processID ?? "", streamID: first.streamID ?? "", control: control)

        if let stdin = io.stdin {
            do {
                try startThread { StdinPump.run(stdin, to: process) }
            } catch {
                control.shutdown()
                throw error
            }
        }

        let outputs = OutputGroup()
        for (route, name, sink) in [(GardenRoute.stdout, "Stdout", io.stdout), (.stderr, "Stderr", io.stderr)] {
            guard let sink else { continue }
            do {
                let stream = try connection.hijack(route, params: ["handle": handle, "pid": process.id,
                                                                   "streamid": process.streamID],
                                                   contentType: "application/json")
                process.track(stream)
                outputs.enter()
                do {
                    try startThread { Self.copy(stream, to: sink); outputs.leave() }
                } catch {
                    outputs.leave()
                    throw error
                }
            } catch {
                // As Go: the process object is returned, and its wait reports the failure.
                process.finish(.failure(GardenClientError(.streamAttachFailed, "connection: failed to hijack stream \(name): \(error)")))
                return process
            }
        }

        do throws(GardenClientError) {
            try startThread { [payloads] in
                var payloads = payloads
                let result = Self.waitForExit(&payloads)
                outputs.wait()
                process.finish(result)
            }
        } catch {
            process.finish(.failure(error))
        }
        return process
    }

    /// Reads payloads until an exit status or an error (other payloads are ignored).
    private static func waitForExit(_ payloads: inout ProcessPayloadStream) -> Result<Int32, GardenClientError> {
        while true {
            let payload: ProcessPayload?
            do {
                payload = try payloads.next()
            } catch {
                return .failure(error)
            }
            guard let payload else {
                return .failure(GardenClientError(.processFailed, "connection: decode failed: EOF"))
            }
            if let error = payload.error {
                return .failure(GardenClientError(.processFailed, "connection: process error: \(error)"))
            }
            if let status = payload.exitStatus {
                return .success(Int32(truncatingIfNeeded: status))
            }
        }
    }

    /// Copies an output stream to its sink until EOF (or until the connection fails).
    private static func copy(_ stream: GardenHijackedConnection, to sink: OutputSink) {
        while let bytes = try? stream.read(), !bytes.isEmpty {
            sink.write(bytes)
        }
    }
}

/// Counts running output copiers; `wait()` blocks until none is left (Go's WaitGroup).
final class OutputGroup: Sendable {
    private let count = ConditionLock(0)

    func enter() { count.mutate { $0 += 1 } }
    func leave() { count.mutate { $0 -= 1 } }
    func wait() { _ = count.wait { $0 == 0 ? true : nil } }
}
