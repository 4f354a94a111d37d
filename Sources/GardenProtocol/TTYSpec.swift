import RundleJSON

/// A terminal size; zero fields are omitted (and mean "default": 80 columns, 24 rows).
public struct WindowSize: GardenBody, Hashable {
    public var columns: UInt16
    public var rows: UInt16

    /// A size of `columns` x `rows`.
    public init(columns: UInt16 = 0, rows: UInt16 = 0) {
        self.columns = columns
        self.rows = rows
    }

    public init(json: JSON) throws(GardenDecodingError) {
        try self.init(json: json, at: FieldPath("WindowSize"))
    }

    init(json: JSON, at path: FieldPath) throws(GardenDecodingError) {
        let fields = try JSONFields(json, at: path, goType: "garden.WindowSize")
        columns = UInt16(try fields.unsigned("columns", max: UInt64(UInt16.max), goType: "uint16") ?? 0)
        rows = UInt16(try fields.unsigned("rows", max: UInt64(UInt16.max), goType: "uint16") ?? 0)
    }

    public func json() -> JSON {
        var writer = JSONWriter()
        writer.omitEmpty("columns", UInt64(columns))
        writer.omitEmpty("rows", UInt64(rows))
        return writer.json
    }
}

/// A request for a terminal (in a ProcessSpec) or a resize (in a payload); `{}` still means "a TTY".
public struct TTYSpec: GardenBody, Hashable {
    /// `window_size`; nil = leave the size alone (at start: the default size).
    public var windowSize: WindowSize?

    /// A TTY of the given size.
    public init(windowSize: WindowSize? = nil) { self.windowSize = windowSize }

    public init(json: JSON) throws(GardenDecodingError) {
        try self.init(json: json, at: FieldPath("TTYSpec"))
    }

    init(json: JSON, at path: FieldPath) throws(GardenDecodingError) {
        let fields = try JSONFields(json, at: path, goType: "garden.TTYSpec")
        windowSize = try fields.decode("window_size") { (v, p) throws(GardenDecodingError) in try WindowSize(json: v, at: p) }
    }

    public func json() -> JSON {
        var writer = JSONWriter()
        writer.ifPresent("window_size", windowSize?.json())
        return writer.json
    }
}
