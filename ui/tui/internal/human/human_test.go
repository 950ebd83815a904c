package human

import (
	"testing"
	"time"
)

func TestDuration(t *testing.T) {
	for _, c := range []struct {
		d    time.Duration
		want string
	}{
		{0, "<1ms"},
		{-time.Second, "<1ms"},
		{400 * time.Microsecond, "<1ms"},
		{time.Millisecond, "1ms"},
		{1999 * time.Microsecond, "1ms"},
		{123 * time.Millisecond, "123ms"},
		{999 * time.Millisecond, "999ms"},
		{time.Second, "1.0s"},
		{1234 * time.Millisecond, "1.2s"},
		{59940 * time.Millisecond, "59.9s"},
		{59960 * time.Millisecond, "1m0s"},
		{125 * time.Second, "2m5s"},
	} {
		if got := Duration(c.d); got != c.want {
			t.Errorf("Duration(%v) = %q, want %q", c.d, got, c.want)
		}
	}
}
