import GardenProtocol
import RundleJSON

/// A Garden API client for Swift programs and Rundle's tests, mirroring Go's `garden.Client`.
/// Every call opens its own connection and blocks; a value is safe to share between threads.
/// Server errors are thrown as `GardenError`, transport failures as `GardenClientError`.
public struct GardenClient: Sendable {
    public let connection: GardenConnection

    public init(address: GardenAddress, options: GardenClientOptions = GardenClientOptions()) {
        connection = GardenConnection(address: address, options: options)
    }

    /// A client for an address string (`unix:///path`, `tcp://host:port`, a plain path…).
    public init(_ address: String, options: GardenClientOptions = GardenClientOptions()) throws {
        self.init(address: try GardenAddress(parsing: address), options: options)
    }

    public var address: GardenAddress { connection.address }

    /// Succeeds when the server is up and healthy.
    public func ping() throws {
        _ = try connection.perform(.ping)
    }

    /// The server's total memory, disk and container capacity.
    public func capacity() throws -> GardenCapacity {
        try call(.capacity, decoding: GardenCapacity.self)
    }

    /// Performs `route` and decodes its 2xx body into `type` (the first JSON value, as Go's
    /// decoder reads it); a body that does not fit is a `badResponse` error.
    func call<T: GardenBody>(_ route: GardenRoute, params: [String: String] = [:],
                             query: [(String, String)]? = nil, body: JSON? = nil,
                             decoding type: T.Type) throws -> T {
        let bytes = try connection.performBody(route, params: params, query: query, body: body)
        do {
            return try T(bytes: bytes)
        } catch {
            throw GardenClientError(.badResponse, "bad response: \(error)")
        }
    }
}
