import RundleJSON

/// Reply to List: `{"Handles":[...]}` (an empty list is `[]`).
public struct GardenList: GardenBody, Hashable {
    public var handles: [String]

    /// A list of these handles.
    public init(handles: [String]) { self.handles = handles }

    public init(json: JSON) throws(GardenDecodingError) {
        let fields = try JSONFields(json, at: FieldPath("ListResponse"), goType: "struct { Handles []string }")
        handles = try fields.stringArray("Handles") ?? []
    }

    public func json() -> JSON { ["Handles": JSON(handles)] }
}

/// Reply to Create: `{"Handle":"h"}`.
public struct GardenCreateResponse: GardenBody, Hashable {
    public var handle: String

    /// The reply for a container named `handle`.
    public init(handle: String) { self.handle = handle }

    public init(json: JSON) throws(GardenDecodingError) {
        let fields = try JSONFields(json, at: FieldPath("CreateResponse"), goType: "struct { Handle string }")
        handle = try fields.string("Handle") ?? ""
    }

    public func json() -> JSON { ["Handle": .string(handle)] }
}

/// Body of Stop: `{"kill":bool}` (always written, the Go client's struct has no omitempty).
public struct GardenStopRequest: GardenBody, Hashable {
    /// true = SIGKILL at once; false = SIGTERM, then SIGKILL after 10 s.
    public var kill: Bool

    /// A stop request.
    public init(kill: Bool) { self.kill = kill }

    public init(json: JSON) throws(GardenDecodingError) {
        let fields = try JSONFields(json, at: FieldPath("StopRequest"), goType: "struct { Kill bool }")
        kill = try fields.bool("kill") ?? false
    }

    public func json() -> JSON { ["kill": .bool(kill)] }
}

/// Body of SetProperty and reply of Property: `{"value":"v"}`.
public struct GardenPropertyValue: GardenBody, Hashable {
    public var value: String

    /// A property value.
    public init(value: String) { self.value = value }

    public init(json: JSON) throws(GardenDecodingError) {
        let fields = try JSONFields(json, at: FieldPath("PropertyValue"), goType: "struct { Value string }")
        value = try fields.string("value") ?? ""
    }

    public func json() -> JSON { ["value": .string(value)] }
}

/// Reply to Properties: a flat `{"k":"v",...}` object.
public struct GardenProperties: GardenBody, Hashable {
    public var properties: [String: String]

    /// These properties.
    public init(_ properties: [String: String]) { self.properties = properties }

    public init(json: JSON) throws(GardenDecodingError) {
        switch json {
        case .null:
            properties = [:]
        default:
            properties = try GoValue.stringMap(json, at: FieldPath("Properties"), goType: "garden.Properties")
        }
    }

    public func json() -> JSON { .goStringMap(properties) }
}

/// Body of SetGraceTime: a bare JSON integer of nanoseconds (Go time.Duration).
public struct GardenGraceTime: GardenBody, Hashable {
    public var nanoseconds: UInt64

    /// A grace time of `nanoseconds` (0 = never reap).
    public init(nanoseconds: UInt64) { self.nanoseconds = nanoseconds }

    public init(json: JSON) throws(GardenDecodingError) {
        // A negative duration would mean "reap at once"; nobody sends one, so it is refused.
        nanoseconds = json.isNull ? 0 : try GoValue.unsigned(json, at: FieldPath("GraceTime"), max: UInt64(Int64.max), goType: "time.Duration")
    }

    public func json() -> JSON { JSON(nanoseconds) }
}

/// Fixed bodies.
public enum GardenBodies {
    /// `{}`: the reply of every route that has nothing to return (an empty body is a client error).
    public static let empty: JSON = .object(JSONObject())

    /// `{}` plus the newline Go's encoder adds.
    public static let emptyLine: [UInt8] = Array("{}\n".utf8)
}
