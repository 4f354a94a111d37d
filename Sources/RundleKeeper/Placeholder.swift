/// The keeper library: see docs/keeper.md.
enum KeeperNamespace {}
