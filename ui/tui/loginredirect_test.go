package tui

import (
	"context"
	"net"
	"net/http"
	"net/url"
	"sync"
	"testing"

	"auth0-explorer/config"
	"auth0-explorer/ui/browser"
)

// The browser login's form shows the profile's redirect URI in its
// redirect_uri field (with where it came from), and the login listens
// there: the /authorize URL carries it and the browser comes back to it.
func TestBrowserLoginShowsTheProfilesRedirectURI(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	ru := "http://" + ln.Addr().String() + "/callback"
	ln.Close()
	s := sandboxSession(t)
	s.Profile = &config.Profile{Name: "fixed", RedirectURI: ru}

	var mu sync.Mutex
	var sent string
	opener := &browser.Opener{
		Getenv: func(k string) string { return map[string]string{"DISPLAY": ":0"}[k] },
		Run: func(ctx context.Context, _ string, args ...string) error {
			u, _ := url.Parse(args[len(args)-1])
			mu.Lock()
			sent = u.Query().Get("redirect_uri")
			mu.Unlock()
			req, err := http.NewRequestWithContext(ctx, http.MethodGet, args[len(args)-1], nil)
			if err != nil {
				return err
			}
			resp, err := http.DefaultClient.Do(req)
			if err != nil {
				return err
			}
			return resp.Body.Close()
		},
	}
	tm := start(t, Options{Session: s, Browser: opener}, 160, 44)
	startLogin(t, tm, func() { waitFor(t, tm, "redirect_uri", ru, "profile fixed") })
	waitFor(t, tm, "Done. The tokens are in the Answer")
	final(t, tm)
	mu.Lock()
	defer mu.Unlock()
	if sent != ru {
		t.Errorf("the /authorize URL's redirect_uri is %q, want the profile's %q", sent, ru)
	}
}
