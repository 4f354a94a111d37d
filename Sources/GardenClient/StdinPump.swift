import GardenProtocol

/// Copies a stdin source into `source:0` payloads on a process's control connection, then
/// sends stdin EOF (Go's streamIn + stdinWriter). Stops quietly when the connection goes.
enum StdinPump {
    static func run(_ source: ByteSource, to process: GardenProcess) {
        var reader = ByteSourceReader(source)
        var text = GoStringConversion()
        do {
            while let chunk = try reader.next(hangUp: process.controlConnection.socket) {
                let data = text.convert(chunk)
                if !data.isEmpty { try process.send(stdin(process.id, data)) }
            }
            let rest = text.finish()
            if !rest.isEmpty { try process.send(stdin(process.id, rest)) }
            try process.send(ProcessPayload(processID: process.id, source: 0))
        } catch {
            // Go logs and drops it: the process keeps its stdin open until the connection ends.
        }
    }

    private static func stdin(_ id: String, _ data: String) -> ProcessPayload {
        ProcessPayload(processID: id, source: 0, data: data)
    }
}
