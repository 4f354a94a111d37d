import NIOCore
import NIOHTTP1

/// Takes a connection away from HTTP after a request: Garden's process streams are raw bytes
/// after a response head, both ways, on the same connection.
enum Hijack {
    /// Removes the HTTP codec, writes `firstBytes` (the head, maybe a first message) raw, puts
    /// `rawHandler` in its place and calls `then` with the channel. On the event loop.
    static func takeOver(context: ChannelHandlerContext, handler: GardenHTTPHandler, firstBytes: ByteBuffer,
                         rawHandler: any ChannelInboundHandler & RemovableChannelHandler,
                         then: @escaping (Channel) -> Void) {
        let channel = context.channel
        let pipeline = context.pipeline.syncOperations
        do {
            // The encoder goes first: raw bytes written through it would not be HTTP parts.
            _ = pipeline.removeHandler(name: GardenHTTPHandler.encoderName)
            context.writeAndFlush(NIOAny(firstBytes), promise: nil)
            try pipeline.addHandler(rawHandler)
            // This handler before the decoder: the decoder hands its unparsed bytes to the next
            // handler when it goes, and that must be the raw one.
            _ = pipeline.removeHandler(context: context)
            _ = pipeline.removeHandler(name: GardenHTTPHandler.decoderName)
            channel.setOption(ChannelOptions.autoRead, value: true).whenComplete { _ in }
            then(channel)
        } catch {
            channel.close(promise: nil)
        }
    }
}
