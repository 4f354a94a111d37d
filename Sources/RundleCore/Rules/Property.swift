/// One Garden-style container property: a key and its value. Keys are unique within a spec.
public struct Property: Sendable, Hashable {
    public var key: String
    public var value: String

    public init(key: String, value: String) {
        self.key = key
        self.value = value
    }
}
