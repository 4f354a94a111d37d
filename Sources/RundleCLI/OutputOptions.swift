import ArgumentParser

/// `--json` for commands that print data; errors then come as JSON objects too.
public struct OutputOptions: ParsableArguments {
    @Flag(name: .long, help: "Print JSON instead of text.")
    var json = false

    public init() {}
}
