//go:build darwin || dragonfly || freebsd || netbsd || openbsd

package termprobe

import "golang.org/x/sys/unix"

const ioctlGetTermios = unix.TIOCGETA
