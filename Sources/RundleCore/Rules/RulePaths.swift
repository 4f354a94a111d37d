/// Path checks shared by the rules.
enum RulePaths {
    /// Absolute, and no component is "..": the path cannot climb out of the container's root.
    /// ("." and repeated slashes are harmless; the runtime cleans them.)
    static func isContainerPath(_ path: String) -> Bool {
        path.hasPrefix("/") && !components(path).contains("..")
    }

    /// The non-empty components of `path`.
    static func components(_ path: String) -> [Substring] {
        path.split(separator: "/", omittingEmptySubsequences: true)
    }
}
