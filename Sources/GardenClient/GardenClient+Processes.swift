import GardenProtocol

extension GardenClient {
    /// Starts a process in the container and follows it: stdin from `io.stdin` (then EOF),
    /// stdout/stderr into the sinks given. Returns once the streams are attached; the
    /// process's exit status comes from `wait()`.
    public func run(_ handle: String, _ spec: GardenProcessSpec, io: ProcessIO = ProcessIO()) throws -> GardenProcess {
        let control = try connection.hijack(.run, params: ["handle": handle], body: spec.line(),
                                            contentType: "application/json")
        return try ProcessStreamer(connection: connection, handle: handle).start(control: control, io: io)
    }

    /// Joins a running (or exited, not yet cleaned up) process: output from about now on and
    /// its exit status. Throws ProcessNotFoundError for an unknown id.
    public func attach(_ handle: String, processID: String, io: ProcessIO = ProcessIO()) throws -> GardenProcess {
        let control = try connection.hijack(.attach, params: ["handle": handle, "pid": processID])
        return try ProcessStreamer(connection: connection, handle: handle).start(control: control, io: io)
    }
}
