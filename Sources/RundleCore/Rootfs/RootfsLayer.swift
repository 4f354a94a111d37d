import Glibc
import RundleOS

/// Gives each container its own writable layer over a shared, never-modified base rootfs:
/// an overlay whose upper/work dirs live in the container's depot directory.
struct RootfsLayer: Sendable {
    let layout: DepotLayout

    /// Mounts the layer and returns the mount points made, in order. `idMap` (unprivileged
    /// containers) first attaches an idmapped view of the base as the overlay's lower layer, so
    /// the container's root sees the base as its own while the base stays owned by host root.
    func mount(base: String, idMap: [IDMapping]?) throws(RundleError) -> [String] {
        var made: [String] = []
        do {
            for dir in [layout.rootfs, layout.upper, layout.work] { try makeDirectory(dir, mode: 0o755) }
            var lower = base
            if let idMap, !idMap.isEmpty {
                try makeDirectory(layout.lower, mode: 0o755)
                let maps = idMap.map { IDMap(containerID: $0.containerID, hostID: $0.hostID, size: $0.size) }
                try mountIdmapped(source: base, target: layout.lower, uidMaps: maps, gidMaps: maps)
                made.append(layout.lower)
                lower = layout.lower
                // Writes land in upper as the container's root, i.e. the mapped host ids.
                let root = idMap.first(where: { $0.containerID == 0 })?.hostID ?? 0
                try changeOwner(layout.upper, uid: root, gid: root)
                try changeOwner(layout.work, uid: root, gid: root)
            }
            try mountOverlay(lowerDirs: [lower], upperDir: layout.upper, workDir: layout.work, target: layout.rootfs)
            made.append(layout.rootfs)
            return made
        } catch {
            unmountAll(made)
            throw RundleError(.internal, "cannot mount the container's rootfs over \(base)", cause: error)
        }
    }

    /// Unmounts in reverse order; a busy mount is detached lazily rather than left behind.
    func unmountAll(_ mounts: [String]) {
        for target in mounts.reversed() {
            do {
                try unmount(target)
            } catch {
                _ = try? unmount(target, detach: true)
            }
        }
    }
}
