import BuddyCLI
import Foundation

// The contract's exit code comes back from `execute` (see BuddyLab+Execute.swift).
exit(BuddyLab.execute(Array(CommandLine.arguments.dropFirst())))
