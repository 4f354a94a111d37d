/// Assembles a `JSON` value from yajl's parse events (see `JSON+Parse.swift`).
///
/// Open containers live on explicit stacks rather than the call stack, so deep input costs
/// no recursion here; `maxDepth` still bounds nesting because values are destroyed and compared
/// recursively. Arrays and objects are moved off their stack when they close, so appending to
/// the innermost one never copies it.
///
/// A struct reached through the parser's context pointer (`UnsafeMutablePointer`), not a class:
/// class properties would pay a dynamic exclusivity check on every parse event.
struct JSONTreeBuilder {
    /// Deepest nesting of arrays and objects `JSON.parse` accepts.
    static let maxDepth = 512

    private var isObjectStack: [Bool] = []  // one entry per open container, innermost last
    private var arrays: [[JSON]] = []
    private var objects: [JSONObject] = []
    private var pendingKeys: [String] = []  // the key awaiting its value, one per open object
    private(set) var root: JSON?
    /// Why a callback stopped the parse (yajl then reports "client cancelled").
    private(set) var cancelReason: String?

    init() {
        isObjectStack.reserveCapacity(16)
        arrays.reserveCapacity(8)
        objects.reserveCapacity(8)
        pendingKeys.reserveCapacity(8)
    }

    /// A finished value: goes into the innermost open container, or becomes the root.
    @inline(__always)
    mutating func add(_ value: JSON) {
        guard let inObject = isObjectStack.last else {
            root = value
            return
        }
        if inObject {
            // Setting an existing key keeps its first position: duplicate keys, last one wins.
            objects[objects.count - 1][pendingKeys.removeLast()] = value
        } else {
            arrays[arrays.count - 1].append(value)
        }
    }

    /// Records why the parse stops: a string was not valid UTF-8 (see `makeString`).
    mutating func refuseInvalidString() {
        cancelReason = "invalid UTF-8 in string (overlong form, surrogate, or beyond U+10FFFF)"
    }

    mutating func key(_ key: String) {
        pendingKeys.append(key)
    }

    mutating func startArray() -> Bool {
        guard isObjectStack.count < Self.maxDepth else {
            cancelReason = "nesting deeper than \(Self.maxDepth) levels"
            return false
        }
        isObjectStack.append(false)
        arrays.append([])
        return true
    }

    mutating func endArray() {
        isObjectStack.removeLast()
        add(.array(arrays.removeLast()))
    }

    mutating func startObject() -> Bool {
        guard isObjectStack.count < Self.maxDepth else {
            cancelReason = "nesting deeper than \(Self.maxDepth) levels"
            return false
        }
        isObjectStack.append(true)
        objects.append(JSONObject())
        return true
    }

    mutating func endObject() {
        isObjectStack.removeLast()
        add(.object(objects.removeLast()))
    }
}
