import RundleJSON

/// A typed view over an OCI bundle's `config.json` (runtime-spec 1.0.2).
///
/// `Bundle` wraps the whole `JSON` value and reads or writes only the fields its accessors
/// name; every other field — `annotations`, hooks, a vendor's `org.example.x` — is kept as it
/// was, in place. That is why this is a view and not a `Codable` decode, which would drop what
/// it does not model (see STYLE.md, apple/containerization's `Spec.swift`).
///
/// Conventions, the same for every accessor:
/// - Setters are mutating properties on this value type: `var b = bundle; b.hostname = "x"`.
///   (Guardian's goci returns copies from `WithX` methods; a Swift value with `var` properties
///   gives the same copy semantics with less ceremony.)
/// - An optional scalar set to `nil` removes its key, and any object on the way that the removal
///   left empty (`linux.resources.memory` disappears with its last member).
/// - A list set to `[]` removes its key: runc and crun read an absent list and an empty one alike.
/// - A list getter returns the elements that decode; an element of the wrong shape (a mount
///   without a destination) is skipped, and dropped if the list is written back.
/// - Integers go through `JSONNumber`'s literal text, never `Double`: a memory limit of
///   9223372036854771712 reads and writes exactly.
public struct Bundle: Sendable, Hashable {
    /// The whole document, including every field no accessor models.
    public var json: JSON

    public init(json: JSON) {
        self.json = json
    }

    /// `{}`: a bundle with no fields at all.
    public static let empty = Bundle(json: .object(JSONObject()))

    /// `ociVersion`, e.g. "1.0.2".
    public var ociVersion: String? {
        get { json["ociVersion"]?.stringValue }
        set { json.set(["ociVersion"], newValue.map { JSON($0) }) }
    }

    /// `root.path`: the container's root filesystem (absolute, or relative to the bundle).
    public var rootPath: String? {
        get { json[path: ["root", "path"]]?.stringValue }
        set { json.set(["root", "path"], newValue.map { JSON($0) }) }
    }

    /// `root.readonly`; absent reads as `false`. Always written, so `false` is explicit.
    public var rootReadonly: Bool {
        get { json[path: ["root", "readonly"]]?.boolValue ?? false }
        set { json.set(["root", "readonly"], JSON(newValue)) }
    }

    /// `hostname` (needs a UTS namespace).
    public var hostname: String? {
        get { json["hostname"]?.stringValue }
        set { json.set(["hostname"], newValue.map { JSON($0) }) }
    }
}
