import CRundleOS
import Glibc
import RundleOS

/// An eventfd used as a level-triggered "something changed" flag between threads.
final class EventFD: Sendable {
    let fd: Int32

    init() throws(OSError) {
        let fd = rundle_eventfd_open()
        if fd < 0 { throw OSError(errno: errno, call: "eventfd") }
        self.fd = fd
    }

    deinit { closeDescriptor(fd) }

    func signal() {
        var one: UInt64 = 1
        _ = write(fd, &one, 8)
    }

    /// Clears the flag.
    func drain() {
        var value: UInt64 = 0
        _ = read(fd, &value, 8)
    }

    /// Waits until signalled or `timeout` passed, and clears the flag.
    func wait(_ timeout: Duration) {
        var entry = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
        let ms = Int32(timeout.components.seconds * 1000 + timeout.components.attoseconds / 1_000_000_000_000_000)
        _ = poll(&entry, 1, max(ms, 1))
        drain()
    }
}
