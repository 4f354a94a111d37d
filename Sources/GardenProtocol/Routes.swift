/// The 28 Garden routes, as upstream's routes/routes.go declares them.
public enum GardenRoute: String, Sendable, Hashable, CaseIterable {
    case ping, capacity, list, create, info, bulkInfo, bulkMetrics, destroy, stop, streamIn, streamOut,
        currentBandwidthLimits, currentCPULimits, currentDiskLimits, currentMemoryLimits,
        netIn, netOut, bulkNetOut, run, attach, stdout, stderr, setGraceTime,
        properties, property, setProperty, removeProperty, metrics

    /// The HTTP method: "GET", "POST", "PUT" or "DELETE".
    public var method: String {
        switch self {
        case .create, .netIn, .netOut, .bulkNetOut, .run:
            return "POST"
        case .stop, .streamIn, .setGraceTime, .setProperty:
            return "PUT"
        case .destroy, .removeProperty:
            return "DELETE"
        case .ping, .capacity, .list, .info, .bulkInfo, .bulkMetrics, .streamOut, .currentBandwidthLimits,
            .currentCPULimits, .currentDiskLimits, .currentMemoryLimits, .attach, .stdout, .stderr,
            .properties, .property, .metrics:
            return "GET"
        }
    }

    /// The path pattern; `:name` segments are parameters (`handle`, `pid`, `streamid`, `key`).
    public var template: String {
        switch self {
        case .ping: return "/ping"
        case .capacity: return "/capacity"
        case .list, .create: return "/containers"
        case .info: return "/containers/:handle/info"
        case .bulkInfo: return "/containers/bulk_info"
        case .bulkMetrics: return "/containers/bulk_metrics"
        case .destroy: return "/containers/:handle"
        case .stop: return "/containers/:handle/stop"
        case .streamIn, .streamOut: return "/containers/:handle/files"
        case .currentBandwidthLimits: return "/containers/:handle/limits/bandwidth"
        case .currentCPULimits: return "/containers/:handle/limits/cpu"
        case .currentDiskLimits: return "/containers/:handle/limits/disk"
        case .currentMemoryLimits: return "/containers/:handle/limits/memory"
        case .netIn: return "/containers/:handle/net/in"
        case .netOut: return "/containers/:handle/net/out"
        case .bulkNetOut: return "/containers/:handle/net/out/bulk"
        case .run: return "/containers/:handle/processes"
        case .attach: return "/containers/:handle/processes/:pid"
        case .stdout: return "/containers/:handle/processes/:pid/attaches/:streamid/stdout"
        case .stderr: return "/containers/:handle/processes/:pid/attaches/:streamid/stderr"
        case .setGraceTime: return "/containers/:handle/grace_time"
        case .properties: return "/containers/:handle/properties"
        case .property, .setProperty, .removeProperty: return "/containers/:handle/properties/:key"
        case .metrics: return "/containers/:handle/metrics"
        }
    }

    /// The template with each `:name` replaced by `params[name]` (missing = empty), escaped as
    /// Go's url.PathEscape would. Like the Go client, a `+` is left as is, so the server reads
    /// it as a space.
    public func path(_ params: [String: String]) -> String {
        segments.map { segment in
            switch segment {
            case .literal(let text): return "/" + text
            case .parameter(let name): return "/" + PercentEncoding.escape(params[name] ?? "", .pathSegment)
            }
        }.joined()
    }

    /// One part of a template between slashes.
    enum Segment: Hashable {
        case literal(String)
        case parameter(String)
    }

    /// The template cut at `/`.
    var segments: [Segment] {
        template.split(separator: "/").map { part in
            part.first == ":" ? .parameter(String(part.dropFirst())) : .literal(String(part))
        }
    }
}
