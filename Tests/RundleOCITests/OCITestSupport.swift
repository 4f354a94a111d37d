import Testing
import RundleJSON
@testable import RundleOCI

/// Parses test JSON text; a parse failure is a test failure.
func json(_ text: String, sourceLocation: SourceLocation = #_sourceLocation) -> JSON {
    do {
        return try JSON.parse(text)
    } catch {
        Issue.record("unparsable test JSON: \(error)", sourceLocation: sourceLocation)
        return .null
    }
}

/// A `runc spec`-shaped config with fields Bundle does not model, to prove they survive edits.
let sampleConfigText = """
{
  "ociVersion": "1.0.2",
  "process": {
    "terminal": true,
    "user": {"uid": 0, "gid": 0, "umask": 18},
    "args": ["sh"],
    "env": ["PATH=/bin", "TERM=xterm"],
    "cwd": "/",
    "capabilities": {"bounding": ["CAP_KILL"], "effective": ["CAP_KILL"], "ambient": ["CAP_KILL"]},
    "rlimits": [{"type": "RLIMIT_NOFILE", "hard": 1024, "soft": 1024}],
    "noNewPrivileges": true,
    "consoleSize": {"height": 24, "width": 80}
  },
  "root": {"path": "rootfs", "readonly": true},
  "hostname": "runc",
  "mounts": [
    {"destination": "/proc", "type": "proc", "source": "proc"},
    {"destination": "/dev", "type": "tmpfs", "source": "tmpfs", "options": ["nosuid", "mode=755"], "x-vendor": 7}
  ],
  "annotations": {"x": "y"},
  "org.custom": 1,
  "linux": {
    "resources": {"devices": [{"allow": false, "access": "rwm"}], "blockIO": {"weight": 10}},
    "namespaces": [{"type": "pid"}, {"type": "network", "path": "/proc/1/ns/net"}],
    "maskedPaths": ["/proc/kcore"],
    "readonlyPaths": ["/proc/sys"],
    "seccomp": {"defaultAction": "SCMP_ACT_ALLOW"}
  }
}
"""
