import RundleJSON

// Path editing shared by the Bundle and OCIProcess views.
extension JSON {
    /// Sets the value at a path of object keys, creating objects on the way.
    ///
    /// Setting `nil` removes the key; it is a no-op when the key (or an object on the way) is
    /// absent, so reading and writing back an absent field never adds anything. Objects on the
    /// way that the removal left empty are removed too (`linux.resources.memory` goes when its
    /// last member goes), but an object that was already empty is left alone.
    mutating func set(_ path: ArraySlice<String>, _ value: JSON?) {
        guard let key = path.first else {
            if let value { self = value }
            return
        }
        if path.count == 1 {
            if value == nil, self[key] == nil { return }
            self[key] = value
            return
        }
        if let value {
            var child = self[key] ?? .object(JSONObject())
            child.set(path.dropFirst(), value)
            self[key] = child
        } else {
            guard let before = self[key], case .object = before else { return }
            var child = before
            child.set(path.dropFirst(), nil)
            if child == before { return }
            if case .object(let object) = child, object.isEmpty {
                self[key] = nil
            } else {
                self[key] = child
            }
        }
    }

    /// Writes a list of strings; an empty list removes the key (runc and crun read an absent
    /// list and an empty one alike).
    mutating func setStrings(_ path: ArraySlice<String>, _ strings: [String]) {
        // `JSON` is ExpressibleByNilLiteral: spell out the optional, or `nil` would become `.null`.
        set(path, strings.isEmpty ? JSON?.none : JSON(strings))
    }

    /// Writes a list of encoded items; an empty list removes the key.
    mutating func setItems(_ path: ArraySlice<String>, _ items: [JSON]) {
        set(path, items.isEmpty ? JSON?.none : .array(items))
    }

    /// The elements at `path` that `decode` accepts; an absent or non-array value reads as empty.
    func items<T>(_ path: [String], _ decode: (JSON) -> T?) -> [T] {
        (self[path: path]?.arrayValue ?? []).compactMap(decode)
    }

    /// A UInt32 field (uids, gids, sizes), or `nil` when absent, negative or too large.
    var uint32Value: UInt32? { uint64Value.flatMap { UInt32(exactly: $0) } }
}

extension JSONObject {
    /// The members whose keys are not in `known`, in their original order.
    func removingKeys(_ known: Set<String>) -> JSONObject {
        JSONObject(filter { !known.contains($0.key) }.map { ($0.key, $0.value) })
    }

    /// Appends every member of `other` that is not already present.
    mutating func merge(_ other: JSONObject) {
        for (key, value) in other where self[key] == nil { self[key] = value }
    }
}
