import RundleJSON

extension Bundle {
    /// `mounts`, in order (later mounts land on top of earlier ones).
    public var mounts: [OCIMount] {
        get { json.items(["mounts"], OCIMount.init(json:)) }
        set { json.setItems(["mounts"], newValue.map(\.json)) }
    }
}
