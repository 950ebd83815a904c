package api

import (
	"bytes"
	"compress/gzip"
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"errors"
	"io"
	"log"
	"math/big"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

// testClient returns a client for base with the given transport options.
func testClient(base string, o TransportOptions) *Client {
	o = o.withDefaults()
	return &Client{BaseURL: base, HTTP: NewHTTPClient(o), MaxBody: o.MaxBody, UserAgent: "auth0-explorer-test"}
}

// newTLSServer is httptest.NewTLSServer without the handshake error log
// that the failing TLS tests would print.
func newTLSServer(h http.Handler) *httptest.Server {
	srv := httptest.NewUnstartedServer(h)
	srv.Config.ErrorLog = log.New(io.Discard, "", 0)
	srv.StartTLS()
	return srv
}

// trusting returns options whose root pool trusts srv's certificate.
func trusting(srv *httptest.Server) TransportOptions {
	pool := x509.NewCertPool()
	pool.AddCert(srv.Certificate())
	return TransportOptions{RootCAs: pool}
}

func jsonPost(u, body string, secrets ...string) *Request {
	return &Request{
		Method:      http.MethodPost,
		URL:         u,
		Header:      http.Header{"Content-Type": {"application/json"}},
		Body:        []byte(body),
		ContentType: "application/json",
		Secrets:     secrets,
	}
}

// asError returns the exchange's *Error or fails the test.
func asError(t *testing.T, ex *Exchange, kind ErrorKind) *Error {
	t.Helper()
	var e *Error
	if !errors.As(ex.Err, &e) {
		t.Fatalf("Err = %#v, want an *Error of kind %v", ex.Err, kind)
	}
	if e.Kind != kind {
		t.Fatalf("Kind = %v (%q), want %v", e.Kind, e.Msg, kind)
	}
	return e
}

// blockingServer is a server whose handler holds each request until the test
// ends; it reports each arrival on arrived when that is not nil. The handler
// is released before the server closes.
func blockingServer(t *testing.T, arrived chan<- struct{}, first string) *httptest.Server {
	done := make(chan struct{})
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		io.Copy(io.Discard, r.Body)
		if first != "" {
			io.WriteString(w, first)
			w.(http.Flusher).Flush()
		}
		if arrived != nil {
			arrived <- struct{}{}
		}
		select {
		case <-done:
		case <-r.Context().Done():
		}
	}))
	t.Cleanup(srv.Close)
	t.Cleanup(func() { close(done) }) // runs first: cleanups run last-in first-out
	return srv
}

func TestNewHTTPClientSettings(t *testing.T) {
	pool := x509.NewCertPool()
	hc := NewHTTPClient(TransportOptions{RootCAs: pool})
	if hc.Timeout != DefaultTimeout {
		t.Errorf("Timeout = %v, want %v", hc.Timeout, DefaultTimeout)
	}
	tr, ok := hc.Transport.(*http.Transport)
	if !ok {
		t.Fatalf("Transport is %T, want *http.Transport", hc.Transport)
	}
	if tr.Proxy == nil {
		t.Error("Proxy is nil, want proxies from the environment")
	}
	if tr.TLSClientConfig == nil || tr.TLSClientConfig.MinVersion != tls.VersionTLS12 || tr.TLSClientConfig.InsecureSkipVerify {
		t.Errorf("TLS config = %+v, want verification on and TLS 1.2 minimum", tr.TLSClientConfig)
	}
	if tr.TLSClientConfig.RootCAs != pool {
		t.Error("RootCAs not used")
	}
	if tr.TLSHandshakeTimeout != DefaultConnectTimeout {
		t.Errorf("TLSHandshakeTimeout = %v, want %v", tr.TLSHandshakeTimeout, DefaultConnectTimeout)
	}
	if hc.CheckRedirect == nil {
		t.Error("no redirect policy")
	}
	d := TransportOptions{}.withDefaults()
	if d.ConnectTimeout != 10*time.Second || d.Timeout != 30*time.Second || d.MaxBody != 8<<20 {
		t.Errorf("defaults = %+v", d)
	}
	keep := TransportOptions{ConnectTimeout: time.Second, Timeout: 2 * time.Second, MaxBody: 3}.withDefaults()
	if keep.ConnectTimeout != time.Second || keep.Timeout != 2*time.Second || keep.MaxBody != 3 {
		t.Errorf("withDefaults replaced given values: %+v", keep)
	}
}

func TestSendPostsAndRecordsTheAnswer(t *testing.T) {
	var got struct {
		method, path, ua, accept, ct, body string
	}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		got.method, got.path, got.body = r.Method, r.URL.Path, string(b)
		got.ua, got.accept, got.ct = r.UserAgent(), r.Header.Get("Accept"), r.Header.Get("Content-Type")
		w.Header().Set("Content-Type", "application/json")
		w.Header().Set("X-RateLimit-Limit", "30")
		w.Header().Set("X-RateLimit-Remaining", "29")
		w.Header().Set("X-RateLimit-Reset", "1700000000")
		io.WriteString(w, `{"access_token":"AT","scope":"openid","id_token":"IDT","expires_in":86400,"refresh_token":"RT","token_type":"Bearer"}`)
	}))
	defer srv.Close()

	c := testClient(srv.URL, TransportOptions{})
	req := jsonPost(srv.URL+"/oauth/token", `{"grant_type":"password"}`)
	ex := c.Send(context.Background(), req)
	if ex.Err != nil {
		t.Fatalf("Err = %v", ex.Err)
	}
	if got.method != "POST" || got.path != "/oauth/token" || got.body != `{"grant_type":"password"}` {
		t.Errorf("server saw %s %s %q", got.method, got.path, got.body)
	}
	if got.ua != "auth0-explorer-test" || got.accept != "application/json" || got.ct != "application/json" {
		t.Errorf("server saw User-Agent %q, Accept %q, Content-Type %q", got.ua, got.accept, got.ct)
	}
	if req.Header.Get("User-Agent") != "" {
		t.Error("Send changed the caller's request headers")
	}
	if ex.Request.Header.Get("User-Agent") != "auth0-explorer-test" || ex.Request.Header.Get("Accept") != "application/json" {
		t.Errorf("Exchange.Request does not show the headers sent: %v", ex.Request.Header)
	}
	r := ex.Response
	if r == nil || r.Status != 200 || r.StatusText != "200 OK" || r.Truncated || !bytes.HasPrefix(r.Body, []byte(`{"access_token":"AT"`)) {
		t.Fatalf("Response = %+v", r)
	}
	if r.Header.Get("Content-Type") != "application/json" {
		t.Errorf("response headers = %v", r.Header)
	}
	want := []Token{{"access_token", "AT"}, {"id_token", "IDT"}, {"refresh_token", "RT"}}
	if !equalTokens(ex.Tokens, want) {
		t.Errorf("Tokens = %v, want %v", ex.Tokens, want)
	}
	if ex.RateLimit == nil || ex.RateLimit.Limit != 30 || ex.RateLimit.Remaining != 29 || !ex.RateLimit.Reset.Equal(time.Unix(1700000000, 0)) {
		t.Errorf("RateLimit = %+v", ex.RateLimit)
	}
	if ex.Duration <= 0 {
		t.Errorf("Duration = %v", ex.Duration)
	}
	if ExitCode(ex.Err) != 0 {
		t.Errorf("ExitCode = %d", ExitCode(ex.Err))
	}
}

// The duration is read on the client's clock: a frozen clock (the
// screenshots' --now) gives 0 on every run, a stepping one its step, for an
// answer and for a failure alike.
func TestSendMeasuresDurationOnTheClientClock(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		io.WriteString(w, `{}`)
	}))
	defer srv.Close()
	base := time.Unix(1700000000, 0)
	for _, step := range []time.Duration{0, 7 * time.Millisecond} {
		c := testClient(srv.URL, TransportOptions{})
		calls := 0
		c.Now = func() time.Time { calls++; return base.Add(time.Duration(calls) * step) }
		if ex := c.Send(context.Background(), jsonPost(srv.URL+"/oauth/token", `{}`)); ex.Err != nil || ex.Duration != step {
			t.Errorf("step %v: Duration = %v (err %v), want %v", step, ex.Duration, ex.Err, step)
		}
		calls = 0
		if ex := c.Send(context.Background(), jsonPost("http://127.0.0.1:1/oauth/token", `{}`)); ex.Err == nil || ex.Duration != step {
			t.Errorf("step %v: refused: Duration = %v (err %v), want %v", step, ex.Duration, ex.Err, step)
		}
	}
}

func TestSendKeepsGivenUserAgentAndAccept(t *testing.T) {
	var ua, accept string
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ua, accept = r.UserAgent(), r.Header.Get("Accept")
	}))
	defer srv.Close()
	req := &Request{Method: "GET", URL: srv.URL + "/userinfo", Header: http.Header{"User-Agent": {"mine/1"}, "Accept": {"text/plain"}}}
	ex := testClient(srv.URL, TransportOptions{}).Send(context.Background(), req)
	if ex.Err != nil {
		t.Fatal(ex.Err)
	}
	if ua != "mine/1" || accept != "text/plain" {
		t.Errorf("server saw User-Agent %q Accept %q", ua, accept)
	}
	if ex.RateLimit != nil {
		t.Errorf("RateLimit = %+v without headers, want nil", ex.RateLimit)
	}
}

func equalTokens(a, b []Token) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

func TestFindTokens(t *testing.T) {
	cases := []struct {
		body string
		want []Token
	}{
		{`{"mfa_token":"M","refresh_token":"R","id_token":"I","access_token":"A"}`,
			[]Token{{"access_token", "A"}, {"id_token", "I"}, {"refresh_token", "R"}, {"mfa_token", "M"}}},
		{`{"access_token":5,"id_token":null,"refresh_token":{"x":1},"mfa_token":"M"}`, []Token{{"mfa_token", "M"}}},
		{`{"error":"mfa_required","mfa_token":"Fe26.2*abc"}`, []Token{{"mfa_token", "Fe26.2*abc"}}},
		{`[{"access_token":"A"}]`, nil},
		{`"access_token"`, nil},
		{`{"access_token":"A"`, nil},
		{``, nil},
		{`<html>access_token</html>`, nil},
	}
	for _, c := range cases {
		if got := findTokens([]byte(c.body)); !equalTokens(got, c.want) {
			t.Errorf("findTokens(%s) = %v, want %v", c.body, got, c.want)
		}
	}
}

func TestParseRateLimit(t *testing.T) {
	h := http.Header{}
	if rl := parseRateLimit(h); rl != nil {
		t.Errorf("no headers: %+v, want nil", rl)
	}
	h.Set("X-Ratelimit-Limit", "abc")
	if rl := parseRateLimit(h); rl != nil {
		t.Errorf("invalid header: %+v, want nil", rl)
	}
	h.Set("x-ratelimit-remaining", " 7 ")
	rl := parseRateLimit(h)
	if rl == nil || rl.Remaining != 7 || rl.Limit != 0 || !rl.Reset.IsZero() {
		t.Errorf("remaining only: %+v", rl)
	}
}

func TestSendDNSFailure(t *testing.T) {
	noDNS := &net.Resolver{PreferGo: true, Dial: func(ctx context.Context, network, address string) (net.Conn, error) {
		return nil, errors.New("no DNS in tests")
	}}
	c := testClient("https://tenant.example.invalid", TransportOptions{Resolver: noDNS})
	c.HTTP.Transport.(*http.Transport).Proxy = nil // keep any configured proxy out of it
	ex := c.Send(context.Background(), jsonPost("https://tenant.example.invalid/oauth/token", `{}`))
	e := asError(t, ex, ErrDNS)
	if want := "could not resolve tenant.example.invalid: no DNS in tests"; e.Msg != want {
		t.Errorf("Msg = %q", e.Msg)
	}
	if ex.Response != nil {
		t.Errorf("Response = %+v, want none", ex.Response)
	}
	if ExitCode(ex.Err) != 3 {
		t.Errorf("ExitCode = %d, want 3", ExitCode(ex.Err))
	}
}

func TestClassifyDNSNotFound(t *testing.T) {
	u, _ := url.Parse("https://tenant.example.com/oauth/token")
	err := &url.Error{Op: "Post", URL: u.String(), Err: &net.OpError{Op: "dial", Net: "tcp",
		Err: &net.DNSError{Err: "no such host", Name: "tenant.example.com", IsNotFound: true}}}
	got := classify(context.Background(), err, u, nil, nil)
	want := "could not resolve tenant.example.com: no such host"
	if e, ok := got.(*Error); !ok || e.Kind != ErrDNS || e.Msg != want {
		t.Errorf("classify = %#v, want %q", got, want)
	}
}

func TestSendConnectionRefused(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	c := testClient("http://"+addr, TransportOptions{})
	ex := c.Send(context.Background(), jsonPost("http://"+addr+"/oauth/token", `{}`))
	e := asError(t, ex, ErrRefused)
	if want := "connection refused by " + addr + ": nothing is listening there"; e.Msg != want {
		t.Errorf("Msg = %q, want %q", e.Msg, want)
	}
	if ExitCode(ex.Err) != 3 {
		t.Errorf("ExitCode = %d, want 3", ExitCode(ex.Err))
	}
}

func TestSendTimeout(t *testing.T) {
	srv := blockingServer(t, nil, "")
	c := testClient(srv.URL, TransportOptions{Timeout: 50 * time.Millisecond})
	ex := c.Send(context.Background(), jsonPost(srv.URL+"/oauth/token", `{}`))
	e := asError(t, ex, ErrTimeout)
	host := strings.TrimPrefix(srv.URL, "http://")
	if want := "no answer from " + host + " within 50ms"; e.Msg != want {
		t.Errorf("Msg = %q, want %q", e.Msg, want)
	}
	if ExitCode(ex.Err) != 3 {
		t.Errorf("ExitCode = %d, want 3", ExitCode(ex.Err))
	}
}

func TestSendTimeoutWhileReadingBody(t *testing.T) {
	srv := blockingServer(t, nil, `{"access_token":`)
	c := testClient(srv.URL, TransportOptions{Timeout: 100 * time.Millisecond})
	ex := c.Send(context.Background(), jsonPost(srv.URL+"/oauth/token", `{}`))
	e := asError(t, ex, ErrTimeout)
	if !strings.Contains(e.Msg, "within 100ms") {
		t.Errorf("Msg = %q", e.Msg)
	}
	if ex.Response == nil || string(ex.Response.Body) != `{"access_token":` || !ex.Response.Partial {
		t.Errorf("Response = %+v, want the partial body kept and marked Partial", ex.Response)
	}
}

func TestSendTLSUnknownAuthority(t *testing.T) {
	var hits atomic.Int32
	srv := newTLSServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { hits.Add(1) }))
	defer srv.Close()
	c := testClient(srv.URL, TransportOptions{})
	ex := c.Send(context.Background(), jsonPost(srv.URL+"/oauth/token", `{}`))
	e := asError(t, ex, ErrTLS)
	host := strings.TrimPrefix(srv.URL, "https://")
	if !strings.HasPrefix(e.Msg, "the TLS certificate of "+host+" is signed by an unknown authority") {
		t.Errorf("Msg = %q", e.Msg)
	}
	if hits.Load() != 0 {
		t.Errorf("the handler ran %d times over an unverified connection", hits.Load())
	}
	if ExitCode(ex.Err) != 3 {
		t.Errorf("ExitCode = %d, want 3", ExitCode(ex.Err))
	}
}

func TestSendTLSTrustedRootWorks(t *testing.T) {
	srv := newTLSServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {}))
	defer srv.Close()
	ex := testClient(srv.URL, trusting(srv)).Send(context.Background(), jsonPost(srv.URL+"/oauth/token", `{}`))
	if ex.Err != nil || ex.Response == nil || ex.Response.Status != 200 {
		t.Fatalf("Err = %v, Response = %+v", ex.Err, ex.Response)
	}
}

func TestSendTLSWrongHostName(t *testing.T) {
	srv := newTLSServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {}))
	defer srv.Close()
	// The test certificate names 127.0.0.1, ::1 and example.com, not localhost.
	u := "https://localhost:" + srv.URL[strings.LastIndex(srv.URL, ":")+1:]
	ex := testClient(u, trusting(srv)).Send(context.Background(), jsonPost(u+"/oauth/token", `{}`))
	e := asError(t, ex, ErrTLS)
	if !strings.Contains(e.Msg, "is for a different host name than localhost") || !strings.Contains(e.Msg, "example.com") {
		t.Errorf("Msg = %q", e.Msg)
	}
}

func TestSendTLSExpired(t *testing.T) {
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{
		SerialNumber:          big.NewInt(1),
		Subject:               pkix.Name{CommonName: "expired test"},
		NotBefore:             time.Date(2000, 1, 1, 0, 0, 0, 0, time.UTC),
		NotAfter:              time.Date(2001, 1, 1, 0, 0, 0, 0, time.UTC),
		IPAddresses:           []net.IP{net.IPv4(127, 0, 0, 1)},
		KeyUsage:              x509.KeyUsageDigitalSignature | x509.KeyUsageCertSign,
		ExtKeyUsage:           []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
		BasicConstraintsValid: true,
		IsCA:                  true,
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	cert, err := x509.ParseCertificate(der)
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {}))
	srv.Config.ErrorLog = log.New(io.Discard, "", 0)
	srv.TLS = &tls.Config{Certificates: []tls.Certificate{{Certificate: [][]byte{der}, PrivateKey: key}}}
	srv.StartTLS()
	defer srv.Close()
	pool := x509.NewCertPool()
	pool.AddCert(cert)
	ex := testClient(srv.URL, TransportOptions{RootCAs: pool}).Send(context.Background(), jsonPost(srv.URL+"/oauth/token", `{}`))
	e := asError(t, ex, ErrTLS)
	if !strings.Contains(e.Msg, "has expired or is not yet valid") {
		t.Errorf("Msg = %q", e.Msg)
	}
}

func TestSendPlainHTTPServerOverTLS(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {}))
	defer srv.Close()
	u := "https://" + strings.TrimPrefix(srv.URL, "http://")
	ex := testClient(u, TransportOptions{}).Send(context.Background(), jsonPost(u+"/oauth/token", `{}`))
	e := asError(t, ex, ErrTLS)
	if !strings.Contains(e.Msg, "did not answer with TLS") {
		t.Errorf("Msg = %q", e.Msg)
	}
}

// countingServer counts the requests it gets.
func countingServer(t *testing.T, tlsOn bool) (*httptest.Server, *atomic.Int32) {
	var n atomic.Int32
	h := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { n.Add(1) })
	var srv *httptest.Server
	if tlsOn {
		srv = newTLSServer(h)
	} else {
		srv = httptest.NewServer(h)
	}
	t.Cleanup(srv.Close)
	return srv, &n
}

func redirectTo(target string) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, target, http.StatusTemporaryRedirect)
	}
}

func TestSendRefusesCrossHostRedirect(t *testing.T) {
	b, bHits := countingServer(t, false)
	bURL := "http://localhost:" + b.URL[strings.LastIndex(b.URL, ":")+1:]
	a := httptest.NewServer(redirectTo(bURL + "/steal"))
	defer a.Close()

	const secret = "s3cr3t-client-secret"
	ex := testClient(a.URL, TransportOptions{}).Send(context.Background(),
		jsonPost(a.URL+"/oauth/token", `{"client_secret":"`+secret+`"}`, secret))
	e := asError(t, ex, ErrRedirect)
	want := "refused to follow a redirect from " + a.URL + " to " + bURL + ": the request carries a client secret"
	if e.Msg != want {
		t.Errorf("Msg = %q, want %q", e.Msg, want)
	}
	if n := bHits.Load(); n != 0 {
		t.Errorf("the other host got %d requests, want 0", n)
	}
	if ex.Response == nil || ex.Response.Status != http.StatusTemporaryRedirect || ex.Response.Header.Get("Location") != bURL+"/steal" {
		t.Errorf("Response = %+v, want the 307 kept", ex.Response)
	}
	if ExitCode(ex.Err) != 3 {
		t.Errorf("ExitCode = %d, want 3", ExitCode(ex.Err))
	}
}

func TestSendRefusesRedirectToOtherPort(t *testing.T) {
	b, bHits := countingServer(t, false)
	a := httptest.NewServer(redirectTo(b.URL + "/x"))
	defer a.Close()
	ex := testClient(a.URL, TransportOptions{}).Send(context.Background(), jsonPost(a.URL+"/oauth/token", `{}`))
	asError(t, ex, ErrRedirect)
	if bHits.Load() != 0 {
		t.Errorf("the other port got %d requests, want 0", bHits.Load())
	}
}

func TestSendRefusesHTTPSToHTTPRedirect(t *testing.T) {
	b, bHits := countingServer(t, false)
	a := newTLSServer(redirectTo(b.URL + "/oauth/token"))
	defer a.Close()
	ex := testClient(a.URL, trusting(a)).Send(context.Background(), jsonPost(a.URL+"/oauth/token", `{}`))
	e := asError(t, ex, ErrRedirect)
	if !strings.Contains(e.Msg, "from "+a.URL+" to "+b.URL) || !strings.Contains(e.Msg, "from https to plain http") {
		t.Errorf("Msg = %q", e.Msg)
	}
	if bHits.Load() != 0 {
		t.Errorf("the http server got %d requests, want 0", bHits.Load())
	}
}

func TestSendFollowsSameHostRedirect(t *testing.T) {
	var body string
	mux := http.NewServeMux()
	mux.Handle("/a", redirectTo("/b"))
	mux.HandleFunc("/b", func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		body = string(b)
		io.WriteString(w, `{"ok":true}`)
	})
	srv := httptest.NewServer(mux)
	defer srv.Close()
	ex := testClient(srv.URL, TransportOptions{}).Send(context.Background(), jsonPost(srv.URL+"/a", `{"x":1}`))
	if ex.Err != nil {
		t.Fatal(ex.Err)
	}
	if ex.Response.Status != 200 || body != `{"x":1}` {
		t.Errorf("status %d, /b got body %q", ex.Response.Status, body)
	}
}

func TestSendStopsAfterThreeRedirects(t *testing.T) {
	var hits atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		n := hits.Add(1)
		http.Redirect(w, r, "/r"+strconv.Itoa(int(n)), http.StatusFound)
	}))
	defer srv.Close()
	ex := testClient(srv.URL, TransportOptions{}).Send(context.Background(), &Request{Method: "GET", URL: srv.URL + "/r0"})
	e := asError(t, ex, ErrRedirect)
	if want := "stopped after 3 redirects on " + srv.URL + ": the server keeps redirecting (a redirect loop?)"; e.Msg != want {
		t.Errorf("Msg = %q, want %q", e.Msg, want)
	}
	if n := hits.Load(); n != 4 {
		t.Errorf("server got %d requests, want 4 (the first and 3 redirects)", n)
	}
}

func TestSendBodyTooLarge(t *testing.T) {
	big := bytes.Repeat([]byte("a"), 4096)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/plain")
		w.Write(big)
	}))
	defer srv.Close()
	c := testClient(srv.URL, TransportOptions{MaxBody: 1024})
	ex := c.Send(context.Background(), &Request{Method: "GET", URL: srv.URL + "/big"})
	e := asError(t, ex, ErrTooLarge)
	if want := "the response body is larger than 1 KiB; kept the first 1 KiB"; e.Msg != want {
		t.Errorf("Msg = %q, want %q", e.Msg, want)
	}
	if ex.Response == nil || !ex.Response.Truncated || !bytes.Equal(ex.Response.Body, big[:1024]) {
		t.Errorf("Response = %+v, want the first 1024 bytes, truncated", ex.Response)
	}
	if ExitCode(ex.Err) != 3 {
		t.Errorf("ExitCode = %d, want 3", ExitCode(ex.Err))
	}

	// Exactly the cap is not too large.
	c.MaxBody = 4096
	ex = c.Send(context.Background(), &Request{Method: "GET", URL: srv.URL + "/big"})
	if ex.Err != nil || ex.Response.Truncated || len(ex.Response.Body) != 4096 {
		t.Errorf("at the cap: Err = %v, truncated = %v, %d bytes", ex.Err, ex.Response.Truncated, len(ex.Response.Body))
	}
}

func TestSendBodyCapCountsDecompressedBytes(t *testing.T) {
	var gz bytes.Buffer
	zw := gzip.NewWriter(&gz)
	zw.Write(bytes.Repeat([]byte("a"), 64<<10))
	zw.Close()
	if gz.Len() >= 1024 {
		t.Fatalf("compressed body is %d bytes, want it under the cap", gz.Len())
	}
	var sawGzip bool
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		sawGzip = strings.Contains(r.Header.Get("Accept-Encoding"), "gzip")
		w.Header().Set("Content-Encoding", "gzip")
		w.Header().Set("Content-Type", "text/plain")
		w.Write(gz.Bytes())
	}))
	defer srv.Close()
	ex := testClient(srv.URL, TransportOptions{MaxBody: 1024}).Send(context.Background(), &Request{Method: "GET", URL: srv.URL})
	if !sawGzip {
		t.Fatal("the client did not offer gzip")
	}
	asError(t, ex, ErrTooLarge)
	if !ex.Response.Truncated || len(ex.Response.Body) != 1024 || ex.Response.Body[0] != 'a' {
		t.Errorf("Response: truncated=%v, %d bytes, want 1024 decompressed bytes", ex.Response.Truncated, len(ex.Response.Body))
	}
}

func TestSendHTTPErrorShapes(t *testing.T) {
	cases := []struct {
		name        string
		status      int
		ctype, body string
		msg         string
		code, desc  string
		mfa         string
	}{
		{"oauth", 403, "application/json",
			`{"error":"invalid_grant","error_description":"Wrong email or password."}`,
			"403 Forbidden: invalid_grant: Wrong email or password.", "invalid_grant", "Wrong email or password.", ""},
		{"mfa required", 403, "application/json",
			`{"error":"mfa_required","error_description":"Multifactor authentication required","mfa_token":"Fe26.2**mfa-token-value"}`,
			"403 Forbidden: mfa_required: Multifactor authentication required (multi-factor authentication is required; the answer carries an mfa_token to use with the MFA API)",
			"mfa_required", "Multifactor authentication required", "Fe26.2**mfa-token-value"},
		{"dbconnections", 400, "application/json",
			`{"name":"BadRequestError","code":"user_exists","description":"The user already exists.","statusCode":400}`,
			"400 Bad Request: user_exists: The user already exists.", "user_exists", "The user already exists.", ""},
		{"password strength", 400, "application/json",
			`{"name":"PasswordStrengthError","message":"Password is too weak","code":"invalid_password","description":{"rules":[{"message":"At least %d characters in length","format":[8],"code":"lengthAtLeast","verified":false},{"message":"Non-empty password required","code":"nonEmpty","verified":true},{"message":"Contain at least %d of the following %d types of characters:","code":"containsAtLeast","format":[3,4],"items":[{"message":"lower case letters (a-z)","code":"lowerCase","verified":true},{"message":"upper case letters (A-Z)","code":"upperCase","verified":false},{"message":"numbers (i.e. 0-9)","code":"numbers","verified":false},{"message":"special characters (e.g. !@#$%%^&*)","code":"specialCharacters","verified":true}],"verified":false}],"verified":false},"statusCode":400}`,
			"400 Bad Request: invalid_password: Password is too weak: At least 8 characters in length; Contain at least 3 of the following 4 types of characters: lower case letters (a-z), upper case letters (A-Z) (missing), numbers (i.e. 0-9) (missing), special characters (e.g. !@#$%^&*)",
			"invalid_password", "Password is too weak: At least 8 characters in length; Contain at least 3 of the following 4 types of characters: lower case letters (a-z), upper case letters (A-Z) (missing), numbers (i.e. 0-9) (missing), special characters (e.g. !@#$%^&*)", ""},
		{"statusCode shape", 429, "application/json; charset=utf-8",
			`{"statusCode":429,"error":"Too Many Requests","message":"Global limit has been reached"}`,
			"429 Too Many Requests: Global limit has been reached; rate limited; wait a little before trying again", "", "Global limit has been reached", ""},
		{"statusCode with errorCode", 401, "application/json",
			`{"statusCode":401,"error":"Unauthorized","message":"Invalid token","errorCode":"invalid_token"}`,
			"401 Unauthorized: invalid_token: Invalid token", "invalid_token", "Invalid token", ""},
		{"empty body", 404, "", ``, "404 Not Found", "", "", ""},
		{"html", 502, "text/html; charset=utf-8",
			"<html>\n  <body>\x1b[31mBad gateway\x1b]0;pwned\x07 \u202e</body>\n</html>\n",
			`502 Bad Gateway: text/html body: <html> <body>\x1b[31mBad gateway\x1b]0;pwned\a \u202e</body> </html>; Auth0 may be down or the tenant misconfigured (see https://status.auth0.com)`, "", "", ""},
		{"escape in json", 400, "application/json",
			`{"error":"bad\u001b[2J","error_description":"line1\nline2"}`,
			`400 Bad Request: bad\x1b[2J: line1 line2`, "bad\x1b[2J", "line1\nline2", ""},
		{"unknown json", 500, "application/json", `{"foo":1}`,
			`500 Internal Server Error: application/json body: {"foo":1}; Auth0 may be down or the tenant misconfigured (see https://status.auth0.com)`, "", "", ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				if c.ctype != "" {
					w.Header().Set("Content-Type", c.ctype)
				}
				w.WriteHeader(c.status)
				io.WriteString(w, c.body)
			}))
			defer srv.Close()
			ex := testClient(srv.URL, TransportOptions{}).Send(context.Background(), jsonPost(srv.URL+"/x", `{}`))
			e := asError(t, ex, ErrHTTP)
			if e.Msg != c.msg {
				t.Errorf("Msg =\n%q\nwant\n%q", e.Msg, c.msg)
			}
			if e.Status != c.status || e.Code != c.code || e.Description != c.desc || e.MFAToken != c.mfa {
				t.Errorf("Status %d Code %q Description %q MFAToken %q", e.Status, e.Code, e.Description, e.MFAToken)
			}
			if c.mfa != "" && strings.Contains(e.Msg, c.mfa) {
				t.Error("the mfa_token is in the sentence")
			}
			if ex.Response == nil || ex.Response.Status != c.status || string(ex.Response.Body) != c.body {
				t.Errorf("Response = %+v, want it kept", ex.Response)
			}
			if ExitCode(ex.Err) != 1 {
				t.Errorf("ExitCode = %d, want 1", ExitCode(ex.Err))
			}
			for _, r := range e.Msg {
				if r < 0x20 || r == 0x7f || (r >= 0x80 && r < 0xa0) || r == '\u202e' {
					t.Errorf("Msg holds raw control character %U", r)
				}
			}
		})
	}
}

func TestHTTPErrorNonJSONIsCut(t *testing.T) {
	body := strings.Repeat("x", 600)
	e := httpError(&Response{Status: 503, StatusText: "503 Service Unavailable", Header: http.Header{"Content-Type": {"text/plain"}}, Body: []byte(body)}, nil)
	want := "503 Service Unavailable: text/plain body: " + strings.Repeat("x", 512) + "…"
	if e.Msg != want {
		t.Errorf("Msg = %q", e.Msg)
	}
}

func TestSendCanceled(t *testing.T) {
	arrived := make(chan struct{}, 1)
	srv := blockingServer(t, arrived, "")
	ctx, cancel := context.WithCancel(context.Background())
	go func() {
		<-arrived
		cancel()
	}()
	ex := testClient(srv.URL, TransportOptions{}).Send(ctx, jsonPost(srv.URL+"/oauth/token", `{}`))
	e := asError(t, ex, ErrCanceled)
	if want := "the request to " + strings.TrimPrefix(srv.URL, "http://") + " was cancelled"; e.Msg != want {
		t.Errorf("Msg = %q, want %q", e.Msg, want)
	}
	if ExitCode(ex.Err) != 3 {
		t.Errorf("ExitCode = %d, want 3", ExitCode(ex.Err))
	}
}

func TestSendContextDeadline(t *testing.T) {
	srv := blockingServer(t, nil, "")
	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	ex := testClient(srv.URL, TransportOptions{}).Send(ctx, jsonPost(srv.URL+"/oauth/token", `{}`))
	e := asError(t, ex, ErrTimeout)
	if !strings.Contains(e.Msg, "before the request's deadline") {
		t.Errorf("Msg = %q", e.Msg)
	}
}

func TestSendBadInputNeverPanics(t *testing.T) {
	var nilClient *Client
	cases := []struct {
		name string
		c    *Client
		req  *Request
	}{
		{"nil request", &Client{}, nil},
		{"nil client", nilClient, &Request{Method: "GET", URL: "http://127.0.0.1:1/\x00"}},
		{"bad url", &Client{}, &Request{Method: "GET", URL: "::not a url"}},
		{"no scheme", &Client{}, &Request{Method: "GET", URL: "tenant.example.com/oauth/token"}},
		{"ftp", &Client{}, &Request{Method: "GET", URL: "ftp://127.0.0.1/x"}},
		{"bad method", &Client{}, &Request{Method: "GE T", URL: "http://127.0.0.1:1/"}},
		{"control in url", &Client{}, &Request{Method: "GET", URL: "http://127.0.0.1:1/\x1b[2J"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			ex := c.c.Send(context.Background(), c.req)
			if ex == nil || ex.Err == nil {
				t.Fatalf("Exchange = %+v, want an error", ex)
			}
			var ie *InputError
			if !errors.As(ex.Err, &ie) {
				t.Errorf("Err = %#v, want *InputError", ex.Err)
			}
			if ExitCode(ex.Err) != 2 {
				t.Errorf("ExitCode = %d, want 2", ExitCode(ex.Err))
			}
		})
	}
}

func TestSendInvalidHeaderValueIsAnErrorNotAPanic(t *testing.T) {
	srv, hits := countingServer(t, false)
	req := &Request{Method: "GET", URL: srv.URL, Header: http.Header{"X-Bad": {"a\r\nInjected: 1"}}}
	ex := testClient(srv.URL, TransportOptions{}).Send(context.Background(), req)
	if ex.Err == nil {
		t.Fatal("no error for a header value with CR LF")
	}
	if hits.Load() != 0 {
		t.Errorf("server got %d requests", hits.Load())
	}
}
