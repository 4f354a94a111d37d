import RundleOS
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

extension Socket {
    /// A new connection to `address`. TCP connects are non-blocking and bounded by `timeout`
    /// (each resolved address in turn); unix sockets connect at once or fail.
    static func connect(to address: GardenAddress, timeout: Duration) throws(GardenClientError) -> Socket {
        switch address {
        case .unix(let path):
            do {
                return Socket(fd: try connectUnixSocket(path: path), peer: address.description)
            } catch {
                throw GardenClientError(.connectFailed, "connect to \(address): \(error.message)")
            }
        case .tcp(let host, let port):
            return try connectTCP(host: host, port: port, timeout: timeout, label: address.description)
        }
    }

    private static func connectTCP(host: String, port: UInt16, timeout: Duration,
                                   label: String) throws(GardenClientError) -> Socket {
        var hints = addrinfo()
        hints.ai_family = AF_UNSPEC
        hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
        var list: UnsafeMutablePointer<addrinfo>?
        let status = getaddrinfo(host, String(port), &hints, &list)
        guard status == 0, let first = list else {
            let why = status == EAI_SYSTEM ? OSError(errno: errno, call: "getaddrinfo").message
                                           : String(cString: gai_strerror(status))
            throw GardenClientError(.connectFailed, "connect to \(label): lookup \(host): \(why)")
        }
        defer { freeaddrinfo(list) }
        let deadline = IODeadline(timeout)
        var lastError = "no addresses"
        var entry: UnsafeMutablePointer<addrinfo>? = first
        while let info = entry {
            entry = info.pointee.ai_next
            do {
                return Socket(fd: try connectOne(info.pointee, deadline: deadline), peer: label)
            } catch let error where error.errno == ETIMEDOUT {
                throw GardenClientError(.timedOut, "connect to \(label): timed out after \(deadline.timeoutText)")
            } catch {
                lastError = error.message
            }
        }
        throw GardenClientError(.connectFailed, "connect to \(label): \(lastError)")
    }

    /// socket + non-blocking connect + poll for completion; the fd is O_CLOEXEC, O_NONBLOCK,
    /// TCP_NODELAY (as Go's dialer sets it).
    private static func connectOne(_ info: addrinfo, deadline: IODeadline) throws(OSError) -> Int32 {
        let type = Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue) | Int32(SOCK_NONBLOCK.rawValue)
        let fd = socket(info.ai_family, type, info.ai_protocol)
        guard fd >= 0 else { throw OSError(errno: errno, call: "socket") }
        do throws(OSError) {
            var result = Glibc.connect(fd, info.ai_addr, info.ai_addrlen)
            while result != 0 && errno == EINTR { result = Glibc.connect(fd, info.ai_addr, info.ai_addrlen) }
            if result != 0 {
                guard errno == EINPROGRESS || errno == EALREADY else { throw OSError(errno: errno, call: "connect") }
                var entries = [pollfd(fd: fd, events: Int16(POLLOUT), revents: 0)]
                let ready = try pollDescriptors(&entries, timeoutMilliseconds: deadline.pollTimeout)
                if ready == 0 { throw OSError(errno: ETIMEDOUT, call: "connect") }
                var soError: Int32 = 0
                var length = socklen_t(MemoryLayout<Int32>.size)
                guard getsockopt(fd, SOL_SOCKET, SO_ERROR, &soError, &length) == 0 else {
                    throw OSError(errno: errno, call: "getsockopt")
                }
                if soError != 0 { throw OSError(errno: soError, call: "connect") }
            }
            var one: Int32 = 1
            _ = setsockopt(fd, Int32(IPPROTO_TCP), TCP_NODELAY, &one, socklen_t(MemoryLayout<Int32>.size))
            return fd
        } catch {
            closeDescriptor(fd)
            throw error
        }
    }
}
