package config

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/gofrs/flock"
)

// DefaultLockTimeout is how long a save waits for another process's.
const DefaultLockTimeout = 5 * time.Second

// lockRetry is how often a held lock is tried again.
const lockRetry = 10 * time.Millisecond

// ErrLockBusy is a save given up on because another process held the lock
// on the profiles file for the whole lock timeout.
var ErrLockBusy = errors.New("another auth0-explorer is writing the profiles file")

// lockFile takes an exclusive lock on path (created 0600), waiting at most
// timeout for another process that holds it. It uses gofrs/flock: flock(2)
// on Unix, LockFileEx on Windows; the lock goes with the process, so one
// that dies cannot leave it stuck.
func lockFile(path string, timeout time.Duration) (unlock func(), err error) {
	l := flock.New(path, flock.SetPermissions(0o600))
	ctx, cancel := context.WithTimeout(context.Background(), timeout)
	defer cancel()
	ok, err := l.TryLockContext(ctx, lockRetry)
	switch {
	case ok:
		return func() { _ = l.Close() }, nil
	case err == nil || errors.Is(err, context.DeadlineExceeded):
		return nil, fmt.Errorf("%w (lock held for %s)", ErrLockBusy, seconds(timeout))
	default:
		return nil, err
	}
}

// LockFile takes an exclusive lock on path (created 0600) as a save of the
// profiles file does, waiting at most timeout (0: DefaultLockTimeout) for
// another process that holds it; the error wraps ErrLockBusy when it
// waited in vain. unlock releases it.
func LockFile(path string, timeout time.Duration) (unlock func(), err error) {
	if timeout <= 0 {
		timeout = DefaultLockTimeout
	}
	return lockFile(path, timeout)
}

// seconds is a duration as a person reads it: "5 s", "1.5 s", "50 ms".
func seconds(d time.Duration) string {
	if d < time.Second {
		return fmt.Sprintf("%d ms", d.Milliseconds())
	}
	return fmt.Sprintf("%g s", d.Seconds())
}
