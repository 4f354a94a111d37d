import RundleJSON

/// The `Type` of a Garden error body; the Go client rebuilds a typed error from it.
public enum GardenErrorType: String, Sendable, Hashable, CaseIterable {
    case containerNotFound = "ContainerNotFoundError"
    case processNotFound = "ProcessNotFoundError"
    case executableNotFound = "ExecutableNotFoundError"
    case serviceUnavailable = "ServiceUnavailableError"
    case unrecoverable = "UnrecoverableError"
    /// Any other error: the client turns it into `errors.New(Message)`.
    case generic = ""
}

/// A Garden error, as sent in every non-2xx JSON response and in bulk entries' `Err`.
public struct GardenError: Error, GardenBody, Hashable, CustomStringConvertible {
    public var type: GardenErrorType
    public var message: String
    /// Filled for `containerNotFound` (the client rebuilds its text from it).
    public var handle: String
    /// Filled for `processNotFound` (the client rebuilds its text from it).
    public var processID: String

    /// An error with every field given.
    public init(type: GardenErrorType, message: String, handle: String = "", processID: String = "") {
        self.type = type
        self.message = message
        self.handle = handle
        self.processID = processID
    }

    /// 404 ContainerNotFoundError, message `unknown handle: H` (GATS compares the text).
    public static func containerNotFound(_ handle: String) -> GardenError {
        GardenError(type: .containerNotFound, message: "unknown handle: \(handle)", handle: handle)
    }

    /// 404 ProcessNotFoundError, message `unknown process: ID`.
    public static func processNotFound(_ id: String) -> GardenError {
        GardenError(type: .processNotFound, message: "unknown process: \(id)", processID: id)
    }

    /// A 500 error of type `""`: the client shows `message` as is.
    public static func generic(_ message: String) -> GardenError {
        GardenError(type: .generic, message: message)
    }

    /// The Run request's failure when the executable does not exist (Diego matches the type).
    public static func executableNotFound(_ message: String) -> GardenError {
        GardenError(type: .executableNotFound, message: message)
    }

    /// The server cannot serve now; clients may retry.
    public static func serviceUnavailable(_ message: String) -> GardenError {
        GardenError(type: .serviceUnavailable, message: message)
    }

    /// The server is permanently broken (Ping's answer tells Diego to give up on this cell).
    public static func unrecoverable(_ message: String) -> GardenError {
        GardenError(type: .unrecoverable, message: message)
    }

    /// 404 for the two NotFound types, 500 for everything else, as upstream.
    public var httpStatus: Int {
        switch type {
        case .containerNotFound, .processNotFound: return 404
        default: return 500
        }
    }

    /// What the Go client's rebuilt error prints: the NotFound types ignore `Message`.
    public var description: String {
        switch type {
        case .containerNotFound: return "unknown handle: \(handle)"
        case .processNotFound: return "unknown process: \(processID)"
        default: return message
        }
    }

    /// Decodes an error body; an unknown `Type` is a generic error, as in the Go client.
    public init(json: JSON) throws(GardenDecodingError) {
        try self.init(json: json, at: FieldPath("Error"))
    }

    init(json: JSON, at path: FieldPath) throws(GardenDecodingError) {
        let fields = try JSONFields(json, at: path, goType: "garden.Error")
        type = GardenErrorType(rawValue: try fields.string("Type") ?? "") ?? .generic
        message = try fields.string("Message") ?? ""
        handle = try fields.string("Handle") ?? ""
        processID = try fields.string("ProcessID") ?? ""
    }

    /// All five keys, always (`Binary` is a legacy field that is always `""`).
    public func json() -> JSON {
        [
            "Type": .string(type.rawValue), "Message": .string(message), "Handle": .string(handle),
            "ProcessID": .string(processID), "Binary": "",
        ]
    }
}
