import RundleCLI

RundleCommand.mainWithExitCodes()
