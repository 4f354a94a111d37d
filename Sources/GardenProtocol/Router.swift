/// The outcome of routing a request.
public enum RouteMatch: Sendable, Equatable {
    /// `params` holds the decoded path parameters by name (`handle`, `pid`, `streamid`, `key`).
    case matched(GardenRoute, params: [String: String])
    /// No route has this path: upstream answers 404 `text/plain` "404 page not found".
    case notFound
    /// Routes exist for this path under other methods: upstream answers 405 with `Allow: <allowed>`.
    case methodNotAllowed(allowed: [String])
}

/// Routes requests as Garden's Go server does (rata over pat).
///
/// Go first percent-decodes the whole path (so `%2F` splits segments), then pat cuts it at `/`
/// and query-unescapes each parameter (so `+` and `%2B` become spaces); this does the same.
/// A parameter matches one non-empty segment. Routes are tried only for the request's method,
/// so `GET /containers/bulk_info` is BulkInfo while `DELETE /containers/bulk_info` destroys
/// the container "bulk_info". Methods are case-sensitive, and HEAD is not GET, as in pat.
public enum GardenRouter {
    private static let compiled: [(route: GardenRoute, segments: [GardenRoute.Segment])] =
        GardenRoute.allCases.map { ($0, $0.segments) }

    /// Routes `method` + `path` (the raw request path; anything from `?` on is ignored).
    public static func match(method: String, path: String) -> RouteMatch {
        let rawPath = path.split(separator: "?", maxSplits: 1, omittingEmptySubsequences: false).first ?? ""
        // A path Go cannot decode is refused before routing (400 upstream); nothing matches it here.
        guard rawPath.first == "/", let decoded = PercentEncoding.unescape(rawPath, plusIsSpace: false) else {
            return .notFound
        }
        let parts = decoded.split(separator: "/", omittingEmptySubsequences: false).dropFirst()
        var allowed: [String] = []
        for (route, segments) in compiled {
            guard let params = bind(segments, to: parts) else { continue }
            if route.method == method { return .matched(route, params: params) }
            if !allowed.contains(route.method) { allowed.append(route.method) }
        }
        return allowed.isEmpty ? .notFound : .methodNotAllowed(allowed: allowed.sorted())
    }

    /// The parameters when `parts` fit `segments`, nil otherwise.
    private static func bind(_ segments: [GardenRoute.Segment], to parts: ArraySlice<Substring>) -> [String: String]? {
        guard segments.count == parts.count else { return nil }
        var params: [String: String] = [:]
        for (segment, part) in zip(segments, parts) {
            switch segment {
            case .literal(let text):
                guard part == text else { return nil }
            case .parameter(let name):
                guard !part.isEmpty, let value = PercentEncoding.unescape(part, plusIsSpace: true) else { return nil }
                params[name] = value
            }
        }
        return params
    }
}
