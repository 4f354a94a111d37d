/// A JSON object that remembers the order of its keys.
public struct JSONObject: Sendable, Hashable, Sequence {
    public typealias Element = (key: String, value: JSON)

    private var keysInOrder: [String] = []
    private var values: [String: JSON] = [:]

    public init() {}

    public init(_ pairs: [(String, JSON)]) {
        for (key, value) in pairs { self[key] = value }
    }

    public var count: Int { keysInOrder.count }
    public var isEmpty: Bool { keysInOrder.isEmpty }
    public var keys: [String] { keysInOrder }

    /// Setting an existing key keeps its position; a new key goes last; `nil` removes.
    public subscript(key: String) -> JSON? {
        get { values[key] }
        set {
            if let newValue {
                if values.updateValue(newValue, forKey: key) == nil { keysInOrder.append(key) }
            } else if values.removeValue(forKey: key) != nil {
                keysInOrder.removeAll { $0 == key }
            }
        }
    }

    public func makeIterator() -> AnyIterator<Element> {
        var index = 0
        return AnyIterator {
            guard index < keysInOrder.count else { return nil }
            let key = keysInOrder[index]
            index += 1
            return (key, values[key] ?? .null)
        }
    }

    public static func == (lhs: JSONObject, rhs: JSONObject) -> Bool {
        lhs.keysInOrder == rhs.keysInOrder && lhs.values == rhs.values
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(keysInOrder)
        for key in keysInOrder { hasher.combine(values[key]) }
    }
}
