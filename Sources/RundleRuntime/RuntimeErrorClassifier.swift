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
        // runc: `exec: "x": executable file not found in $PATH`, `exec: "/x": stat /x: no such file or directory`;
        // crun: "executable file `x` not found in $PATH: No such file or directory".
        if lower.contains("executable file not found") || lower.contains("executable file `")
            || (lower.contains("exec: \"") && lower.hasSuffix("no such file or directory"))
        {
            return .executableNotFound
        }
        // runc: `exec: "/tmp": permission denied`; crun: "open executable: Permission denied" (or EPERM).
        if (lower.contains("exec: \"") && lower.hasSuffix("permission denied")) || lower.hasPrefix("open executable") {
            return .notExecutable
        }
        return .failed
    }
}
