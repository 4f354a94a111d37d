import Testing
import RundleJSON
@testable import RundleOCI
@testable import RundleCore

/// Fixtures shared by the rule tests: no I/O, every host fact injected.
enum Fixtures {
    static let initPath = "/usr/lib/rundle/rundle-init"
    static let existingPaths: Set<String> = ["/srv/data", "/srv/cache", initPath]

    /// A context whose filesystem holds only `existing`, whose mounts lock `locked[path]`, and
    /// whose runtime holds `hostCapabilities` (nil: no filter).
    static func context(idMap: [IDMapping] = BundleContext.defaultIDMap,
                        hostCapabilities: Set<String>? = nil,
                        existing: Set<String> = existingPaths,
                        locked: [String: [String]] = [:],
                        cgroupParent: String = "rundle") -> BundleContext {
        BundleContext(containerDir: "/var/lib/rundle/depot/h1", rootfsMountPath: "/var/lib/rundle/depot/h1/rootfs",
                      initPath: initPath, cgroupParent: cgroupParent, idMap: idMap,
                      hostCapabilities: hostCapabilities,
                      pathExists: { existing.contains($0) },
                      sourceMountOptions: { locked[$0] ?? [] })
    }

    static func spec(_ handle: String = "h1", privileged: Bool = false) -> ContainerSpec {
        ContainerSpec(handle: handle, rootfs: "/var/lib/rootfs/busybox", privileged: privileged)
    }

    /// A bundle with fields no rule owns (and some that rules do own), to check what a rule leaves alone.
    static let busyText = """
    {
      "ociVersion": "1.0.2",
      "process": {
        "terminal": true,
        "user": {"uid": 7, "gid": 8, "additionalGids": [9], "umask": 18},
        "args": ["sh"],
        "env": ["PATH=/bin", "TERM=xterm"],
        "cwd": "/home",
        "capabilities": {"bounding": ["CAP_KILL"], "ambient": ["CAP_KILL"]},
        "rlimits": [{"type": "RLIMIT_CORE", "hard": 0, "soft": 0}, {"type": "RLIMIT_NOFILE", "hard": 1024, "soft": 1024}],
        "noNewPrivileges": true,
        "consoleSize": {"height": 24, "width": 80}
      },
      "root": {"path": "rootfs", "readonly": true},
      "hostname": "old",
      "mounts": [
        {"destination": "/proc", "type": "proc", "source": "proc"},
        {"destination": "/etc/hosts", "type": "bind", "source": "/var/hosts", "options": ["bind", "ro"]}
      ],
      "annotations": {"x": "y"},
      "org.custom": 1,
      "linux": {
        "resources": {"memory": {"limit": 1048576, "swap": 1048576}, "devices": [{"allow": true, "access": "rwm"}],
                      "blockIO": {"weight": 10}},
        "namespaces": [{"type": "pid"}, {"type": "network", "path": "/proc/1/ns/net"}, {"type": "user"}],
        "uidMappings": [{"containerID": 0, "hostID": 1, "size": 1}],
        "gidMappings": [{"containerID": 0, "hostID": 1, "size": 1}],
        "cgroupsPath": "old/path",
        "maskedPaths": ["/proc/kcore"],
        "readonlyPaths": ["/proc/sys"],
        "rootfsPropagation": "slave",
        "sysctl": {"net.ipv4.ip_forward": "1"},
        "seccomp": {"defaultAction": "SCMP_ACT_ALLOW"}
      }
    }
    """

    static var busy: Bundle {
        Bundle(json: (try? JSON.parse(busyText)) ?? .null)
    }
}

/// Parses test JSON text; a parse failure is a test failure.
func json(_ text: String, sourceLocation: SourceLocation = #_sourceLocation) -> JSON {
    do {
        return try JSON.parse(text)
    } catch {
        Issue.record("unparsable test JSON: \(error)", sourceLocation: sourceLocation)
        return .null
    }
}

/// `bundle` without the fields at `paths`: what a rule must leave exactly as it was.
func stripped(_ bundle: Bundle, _ paths: [[String]]) -> JSON {
    var value = bundle.json
    for path in paths { value.set(path[...], nil) }
    return value
}

/// Checks that `after` differs from `before` at most at `paths`.
func expectOnlyChanged(_ before: Bundle, _ after: Bundle, at paths: [[String]],
                       sourceLocation: SourceLocation = #_sourceLocation) {
    #expect(stripped(before, paths) == stripped(after, paths), sourceLocation: sourceLocation)
}

/// The RundleError `body` throws, or nil (and a recorded issue) if it returns.
func rundleError(sourceLocation: SourceLocation = #_sourceLocation,
                 _ body: () throws(RundleError) -> Bundle) -> RundleError? {
    do {
        _ = try body()
        Issue.record("expected a RundleError", sourceLocation: sourceLocation)
        return nil
    } catch {
        return error
    }
}
