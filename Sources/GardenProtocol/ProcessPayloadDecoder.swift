import RundleJSON

/// Splits a byte stream of concatenated JSON values (Go json.Encoder: one per line, but accept
/// values split across or packed into reads, and whitespace between them) into payloads.
///
/// A value of the wrong shape (valid JSON, e.g. `"source":"x"` or a bare number) is dropped and
/// reported once; decoding continues after it. Broken JSON, a byte that cannot start a value, or
/// a value longer than `maxMessageBytes` ends the stream: every later `feed` throws that error.
/// Payloads completed before a failure are returned first and the error comes from the next
/// `feed`, so nothing that arrived before it is lost (`feed([])` then drains what is buffered).
public struct ProcessPayloadDecoder: Sendable {
    private let maxMessageBytes: Int
    private var buffer: [UInt8] = []
    /// Bytes at the front of `buffer` that belong to values already handled.
    private var consumed = 0
    private var scanner = JSONValueScanner()
    /// A dropped value's error, reported by the next call.
    private var pendingError: GardenDecodingError?
    /// Set once the stream cannot be resynchronised.
    private var fatalError: GardenDecodingError?

    /// A decoder that refuses any single message longer than `maxMessageBytes`.
    public init(maxMessageBytes: Int = 1 << 20) {
        self.maxMessageBytes = maxMessageBytes
    }

    /// Bytes of a message that has started but not yet ended.
    public var bufferedByteCount: Int { buffer.count - consumed }

    /// Adds `bytes` and returns every payload they complete, in order.
    public mutating func feed(_ bytes: some Collection<UInt8>) throws(GardenDecodingError) -> [ProcessPayload] {
        if let fatalError { throw fatalError }
        buffer.append(contentsOf: bytes)
        if let error = pendingError {
            pendingError = nil
            throw error
        }
        var payloads: [ProcessPayload] = []
        while let outcome = nextPayload() {
            switch outcome {
            case .success(let payload):
                payloads.append(payload)
            case .failure(let error):
                if payloads.isEmpty { throw error }
                if fatalError == nil { pendingError = error }
                return payloads
            }
        }
        compact()
        return payloads
    }

    /// The next complete payload or failure; nil when the buffer holds no complete value.
    private mutating func nextPayload() -> Result<ProcessPayload, GardenDecodingError>? {
        let step = buffer.withUnsafeBufferPointer { scanner.next(in: $0, atEnd: false) }
        switch step {
        case .needMore:
            // Whitespace before the value (or all of it, when no value has started) is not kept.
            consumed = scanner.valueStart ?? scanner.position
            if let start = scanner.valueStart, scanner.position - start > maxMessageBytes {
                return .failure(fatal(tooLong()))
            }
            return nil
        case .invalid(let message):
            return .failure(fatal(GardenDecodingError(message)))
        case .value(let range):
            consumed = range.upperBound
            if range.count > maxMessageBytes { return .failure(fatal(tooLong())) }
            let json: JSON
            do {
                json = try JSON.parse(Array(buffer[range]))
            } catch {
                return .failure(fatal(.malformed(error)))
            }
            // `null` gives an empty payload: Go's decoder leaves the struct at its zero value.
            do {
                return .success(try ProcessPayload(json: json))
            } catch {
                return .failure(error)
            }
        }
    }

    private func tooLong() -> GardenDecodingError {
        GardenDecodingError("process payload longer than \(maxMessageBytes) bytes")
    }

    /// Marks the stream broken and frees its buffer.
    private mutating func fatal(_ error: GardenDecodingError) -> GardenDecodingError {
        fatalError = error
        buffer = []
        consumed = 0
        scanner = JSONValueScanner()
        return error
    }

    /// Drops the bytes of handled values once they are a large part of the buffer, so a long
    /// stream neither grows the buffer nor copies it on every small read.
    private mutating func compact() {
        guard consumed > 0, consumed >= buffer.count / 2 || consumed > 64 * 1024 else { return }
        buffer.removeFirst(consumed)
        scanner.shift(by: consumed)
        consumed = 0
    }
}
