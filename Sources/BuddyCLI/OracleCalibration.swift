extension OracleCommandLine { func runCalibration(to path: String) throws { throw BadInput("todo") } }
