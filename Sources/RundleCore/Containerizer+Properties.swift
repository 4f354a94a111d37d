extension Containerizer {
    /// Sets a property, persisted in the container's record.
    public func setProperty(_ handle: String, key: String, value: String) throws(RundleError) {
        try Property.validateKey(key)
        try changeRecord(handle) { (record: inout ContainerRecord) throws(RundleError) in record.spec.setProperty(key, value) }
    }

    /// Removes a property; an unknown key is `.notFound`.
    public func removeProperty(_ handle: String, key: String) throws(RundleError) {
        try Property.validateKey(key)
        try changeRecord(handle) { (record: inout ContainerRecord) throws(RundleError) in
            if !record.spec.removeProperty(key) {
                throw RundleError(.notFound, "container '\(handle)' has no property '\(key)'", handle: handle)
            }
        }
    }

    public func properties(_ handle: String) throws(RundleError) -> [Property] {
        try Handle.validate(handle)
        do { return try depot.readRecord(handle).spec.properties } catch where error.code == .notFound { throw notFound(handle) }
    }

    /// Reads, changes and durably rewrites a committed container's record under its lock.
    func changeRecord(_ handle: String, _ change: (inout ContainerRecord) throws(RundleError) -> Void) throws(RundleError) {
        try Handle.validate(handle)
        guard depot.exists(handle) else { throw notFound(handle) }
        guard let lock = try depot.lock(handle) else { throw RundleError(.internal, "lock unavailable") }
        var record: ContainerRecord
        do { record = try depot.readRecord(handle) } catch where error.code == .notFound { throw notFound(handle) }
        guard record.status != .creating else {
            throw RundleError(.invalidState, "container '\(handle)' is still being created", handle: handle)
        }
        try change(&record)
        try depot.writeRecord(record)
        _ = consume lock
    }
}
