#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif
import RundleKeeper

// Everything is in the RundleKeeper library (see runKeeper); this is only the entry point.
exit(runKeeper(arguments: Array(CommandLine.arguments.dropFirst())))
