import RundleOCI

/// Maps the messages runc 1.1 and crun 1.8 print onto error kinds.
enum RuntimeErrorClassifier {
    static func kind(verb: String, message: String) -> RuntimeError.Kind {
        let lower = message.lowercased()
        // runc: "container does not exist"; crun: "cannot open directory '<root>/<id>'" or
        // "error opening file `<root>/<id>/status`".
        if lower.contains("container does not exist") || lower.contains("does not exist") && lower.contains("container")
            || lower.hasPrefix("cannot open directory") || lower.hasPrefix("error opening file") && lower.contains("/status")
        {
            return .containerNotFound
        }
        guard verb == "exec" else { return .failed }
        switch ExecFailure(message: message) {
        case .executableNotFound: return .executableNotFound
        case .notExecutable: return .notExecutable
        case .other: return .failed
        }
    }
}
