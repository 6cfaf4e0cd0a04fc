import ArgumentParser
public struct BuddyLab: ParsableCommand {
    public init() {}
    public func run() throws {}
}
