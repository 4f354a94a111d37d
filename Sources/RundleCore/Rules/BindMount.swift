/// A host directory or file the user wants visible inside the container.
public struct BindMount: Sendable, Hashable {
    /// Absolute host path; must exist when the bundle is generated.
    public var source: String
    /// Absolute path inside the container, without "..".
    public var destination: String
    public var readOnly: Bool

    public init(source: String, destination: String, readOnly: Bool = false) {
        self.source = source
        self.destination = destination
        self.readOnly = readOnly
    }
}
