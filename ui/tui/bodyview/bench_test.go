package bodyview

import (
	"bufio"
	"os"
	"runtime"
	"strconv"
	"strings"
	"testing"

	"github.com/muesli/termenv"
)

const benchSize = 5 << 20

// BenchmarkPrepare5MB measures preparing a 5 MiB minified JSON body:
// validation, indentation, splitting and escaping (target: under 100 ms).
func BenchmarkPrepare5MB(b *testing.B) {
	body := usersJSON(benchSize)
	b.SetBytes(int64(len(body)))
	b.ReportAllocs()
	for b.Loop() {
		if d := prepare(body, "application/json", false, 0); !d.json {
			b.Fatal("not prepared as JSON")
		}
	}
}

// BenchmarkView5MB measures one frame of the pane at 160x50, in true
// colour, in the middle of a 5 MiB body with a search active (target:
// under 5 ms).
func BenchmarkView5MB(b *testing.B) {
	body := usersJSON(benchSize)
	withProfile(termenv.TrueColor, func() {
		m := ready(b, string(body), "application/json", false, 160, 50)
		m.top = len(m.doc.lines) / 2
		m.search("user")
		m.cur = len(m.matches) / 2
		m.reveal()
		_ = m.View() // first render
		b.ReportAllocs()
		b.ResetTimer()
		for b.Loop() {
			_ = m.View()
		}
	})
}

// BenchmarkSearch5MB measures a search over a 5 MiB body.
func BenchmarkSearch5MB(b *testing.B) {
	m := ready(b, string(usersJSON(benchSize)), "application/json", false, 160, 50)
	for b.Loop() {
		m.search("Example.COM")
	}
	b.ReportMetric(float64(len(m.matches)), "matches")
}

// BenchmarkMemory5MB reports the memory held once a 5 MiB body is
// prepared and drawn with a search: the live heap (body included) and the
// process's peak RSS so far, which also counts the Go runtime and the test
// binary (run it alone: go test -run XXX -bench Memory). Target: under 60 MB
// RSS.
func BenchmarkMemory5MB(b *testing.B) {
	var heap, sys uint64
	for b.Loop() {
		b.StopTimer()
		runtime.GC()
		b.StartTimer()
		body := usersJSON(benchSize)
		m := New(DefaultStyles(), DefaultKeyMap())
		m.SetSize(160, 50)
		m.Update(m.Prepare(1, body, "application/json", false, 0)())
		m.search("user")
		_ = m.View()
		b.StopTimer()
		runtime.GC()
		var ms runtime.MemStats
		runtime.ReadMemStats(&ms)
		heap, sys = ms.HeapAlloc, ms.Sys
		runtime.KeepAlive(m)
		runtime.KeepAlive(body)
		b.StartTimer()
	}
	b.ReportMetric(float64(heap)/(1<<20), "live-heap-MB")
	b.ReportMetric(float64(sys)/(1<<20), "go-sys-MB")
	if hwm := vmHWM(); hwm > 0 {
		b.ReportMetric(float64(hwm)/(1<<20), "peak-RSS-MB")
	}
}

// vmHWM is the process's peak resident set size in bytes, or 0 where
// /proc does not tell it.
func vmHWM() int64 {
	f, err := os.Open("/proc/self/status")
	if err != nil {
		return 0
	}
	defer f.Close()
	s := bufio.NewScanner(f)
	for s.Scan() {
		if rest, ok := strings.CutPrefix(s.Text(), "VmHWM:"); ok {
			kb, err := strconv.ParseInt(strings.TrimSuffix(strings.TrimSpace(rest), " kB"), 10, 64)
			if err != nil {
				return 0
			}
			return kb << 10
		}
	}
	return 0
}
