// Command loopback is a minimal token endpoint on 127.0.0.1 for `make bench`:
// it answers every request with a small token response, so a whole `call`
// process can be timed against curl for the same request.
package main

import (
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
)

func main() {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		fmt.Fprintln(os.Stderr, "loopback:", err)
		os.Exit(1)
	}
	fmt.Println("http://" + ln.Addr().String())
	os.Stdout.Close()
	err = http.Serve(ln, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, _ = io.Copy(io.Discard, r.Body)
		w.Header().Set("Content-Type", "application/json")
		_, _ = io.WriteString(w, `{"access_token":"opaque-token","token_type":"Bearer","expires_in":86400}`)
	}))
	fmt.Fprintln(os.Stderr, "loopback:", err)
}
