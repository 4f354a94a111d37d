import GardenProtocol

extension GardenClient {
    /// Every property of the container (servers may include their own `garden.*` keys).
    public func properties(_ handle: String) throws -> [String: String] {
        try call(.properties, params: ["handle": handle], decoding: GardenProperties.self).properties
    }

    /// One property's value (an error when it is not set).
    public func property(_ handle: String, _ name: String) throws -> String {
        try call(.property, params: ["handle": handle, "key": name], decoding: GardenPropertyValue.self).value
    }

    /// Sets a property.
    public func setProperty(_ handle: String, _ name: String, _ value: String) throws {
        _ = try connection.perform(.setProperty, params: ["handle": handle, "key": name],
                                   body: GardenPropertyValue(value: value).json())
    }

    /// Removes a property.
    public func removeProperty(_ handle: String, _ name: String) throws {
        _ = try connection.perform(.removeProperty, params: ["handle": handle, "key": name])
    }
}
