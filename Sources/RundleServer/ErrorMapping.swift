import GardenProtocol
import RundleCore

extension GardenError {
    /// Garden's error for a core error: typed where a Go client checks the type, else Type "".
    static func from(_ error: RundleError, handle: String?) -> GardenError {
        switch error.code {
        case .notFound where error.handle != nil && !error.message.contains("property"):
            return .containerNotFound(error.handle ?? handle ?? "")
        case .executableNotFound:
            var mapped = GardenError.generic(error.message)
            mapped.type = .executableNotFound
            return mapped
        case .unavailable:
            var mapped = GardenError.generic(error.description)
            mapped.type = .serviceUnavailable
            return mapped
        default:
            return .generic(error.description)
        }
    }

    /// A JSON body that did not decode: Type "" with the decoder's words, as Garden answers.
    static func badBody(_ error: GardenDecodingError) -> GardenError {
        .generic(error.message)
    }
}
