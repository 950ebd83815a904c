//go:build !unix

package config

import "os"

// lockFile creates the lock file but takes no lock: where flock is missing,
// saves rely on rename being atomic, so concurrent saves still leave one
// complete file (the last one).
func lockFile(path string) (unlock func(), err error) {
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE, 0o600)
	if err != nil {
		return nil, err
	}
	return func() { f.Close() }, nil
}
