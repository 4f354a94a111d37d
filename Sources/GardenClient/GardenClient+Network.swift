import GardenProtocol
import RundleJSON

extension GardenClient {
    /// Maps a host port to a container port (0 host port: the server picks one; 0 container
    /// port: same as the host port). Returns the ports actually mapped.
    public func netIn(_ handle: String, hostPort: UInt32 = 0, containerPort: UInt32 = 0) throws -> NetInResponse {
        let request = NetInRequest(handle: handle, hostPort: hostPort, containerPort: containerPort)
        return try call(.netIn, params: ["handle": handle], body: request.json(), decoding: NetInResponse.self)
    }

    /// Allows egress traffic matching `rule` (a NetOutRule object, §7.4 of the protocol notes).
    public func netOut(_ handle: String, rule: JSON) throws {
        _ = try connection.perform(.netOut, params: ["handle": handle], body: rule)
    }

    /// Allows egress traffic matching any of `rules`.
    public func bulkNetOut(_ handle: String, rules: [JSON]) throws {
        _ = try connection.perform(.bulkNetOut, params: ["handle": handle], body: .array(rules))
    }
}
