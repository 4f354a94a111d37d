import RundleKeeper

