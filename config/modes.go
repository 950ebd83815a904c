package config

import "runtime"

// checkModes is false where Unix permission bits mean nothing.
var checkModes = runtime.GOOS != "windows" && runtime.GOOS != "plan9"
