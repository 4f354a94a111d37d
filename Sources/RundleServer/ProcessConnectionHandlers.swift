import GardenProtocol
import NIOCore

/// The control connection of a Run or Attach after the hijack: the client's payload messages
/// (stdin, signals, window sizes) in, the exit status out (written by the session).
final class ProcessControlHandler: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = ByteBuffer

    private let session: ProcessSession
    private var decoder = ProcessPayloadDecoder()

    init(session: ProcessSession) { self.session = session }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let buffer = unwrapInboundIn(data)
        do {
            for payload in try decoder.feed(buffer.readableBytesView) { session.received(payload) }
        } catch {
            // Not Garden payloads: this client is not speaking the protocol; drop it, keep the process.
            context.close(promise: nil)
        }
    }

    func channelInactive(context: ChannelHandlerContext) {
        session.controlClosed()
        context.fireChannelInactive()
    }

    func errorCaught(context: ChannelHandlerContext, error: Error) {
        context.close(promise: nil)
    }
}

/// A stdout or stderr connection after the hijack: nothing comes in; its closing is noted.
final class OutputConnectionHandler: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = ByteBuffer

    private let outlet: OutputOutlet

    init(outlet: OutputOutlet) { self.outlet = outlet }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {}

    func channelInactive(context: ChannelHandlerContext) {
        outlet.disconnected(context.channel)
        context.fireChannelInactive()
    }

    func errorCaught(context: ChannelHandlerContext, error: Error) {
        context.close(promise: nil)
    }
}
