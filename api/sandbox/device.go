package sandbox

import (
	"crypto/subtle"
	"fmt"
	"html"
	"net/http"
	"net/url"
	"strings"
	"time"
)

// The device authorization flow (RFC 8628), as Auth0 serves it: a device
// asks /oauth/device/code for a device_code and a user_code, the user
// approves at /activate (or, in the sandbox, through the approval link the
// outbox shows), and the device polls /oauth/token with the device-code
// grant meanwhile.

const (
	grantDeviceCode = "urn:ietf:params:oauth:grant-type:device_code"

	// KindDeviceApproval is the outbox message of a device flow: its Link
	// approves the device as the seeded user; with &action=deny it denies.
	KindDeviceApproval = "device-approval"

	deviceCodeLifetime = 15 * time.Minute // Auth0's expires_in: 900
	deviceInterval     = 5 * time.Second
	deviceSlowDownStep = 5 * time.Second // RFC 8628 §3.5: each slow_down adds 5 s
)

type deviceState int

const (
	devicePending deviceState = iota
	deviceApproved
	deviceDenied
)

// deviceGrant is one device flow under way, by device_code.
type deviceGrant struct {
	grantInfo // clientID, scope, audience, expires; userID once approved
	polled
	userCode string
	ticket   string // the secret of the outbox's approval link
}

// polled is a grant the client polls for until a person decides: the
// device flow and CIBA.
type polled struct {
	interval time.Duration
	lastPoll time.Time
	state    deviceState
}

// pollVerdict is what a poll gets.
type pollVerdict int

const (
	pollExpired pollVerdict = iota
	pollDenied
	pollSlowDown // polled faster than the interval, which grows by 5 s
	pollPending
	pollApproved
)

// poll records a poll at now and says what it gets (RFC 8628 §3.5).
func (p *polled) poll(now, expires time.Time) pollVerdict {
	switch {
	case !now.Before(expires):
		return pollExpired
	case p.state == deviceDenied:
		return pollDenied
	case p.state == devicePending:
		early := !p.lastPoll.IsZero() && now.Sub(p.lastPoll) < p.interval
		p.lastPoll = now
		if early {
			p.interval += deviceSlowDownStep
			return pollSlowDown
		}
		return pollPending
	}
	return pollApproved
}

// slowDown is the slow_down sentence with the new interval.
func (p *polled) slowDown() string {
	return fmt.Sprintf("You are polling faster than allowed. Try again in %d seconds.", int(p.interval/time.Second))
}

// ticketMatches reports whether got, an approval link's ticket, is want,
// the request's (not spent yet).
func ticketMatches(got, want string) bool {
	return got != "" && want != "" && subtle.ConstantTimeCompare([]byte(got), []byte(want)) == 1
}

// decideLocked settles an outbox approval link (CIBA, MFA push) for the
// request p whose link's secret is *ticket and which expires at expires:
// once, while pending; action=deny denies with the page denied says. It
// writes the page. s.mu is held.
func decideLocked(w http.ResponseWriter, r *http.Request, p *polled, ticket *string, expires, now time.Time, denied string) {
	if p.state != devicePending || !now.Before(expires) {
		badApprovalLink(w)
		return
	}
	*ticket = "" // a link decides once
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	if r.FormValue("action") == "deny" {
		p.state = deviceDenied
		_, _ = w.Write([]byte("<p>" + denied + "</p>"))
		return
	}
	p.state = deviceApproved
	_, _ = w.Write([]byte("<p>The sign-in is approved; the application can now get its tokens.</p>"))
}

// badApprovalLink answers a link that no request pending has.
func badApprovalLink(w http.ResponseWriter) {
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.WriteHeader(http.StatusBadRequest)
	_, _ = w.Write([]byte("<p>This approval link is invalid, expired or already used.</p>"))
}

// pollWords are a decoupled grant's answers to a poll that gets no
// tokens, in its own status and words (Auth0's device flow answers 403,
// CIBA and MFA push 400; a rejected push is invalid_grant).
type pollWords struct {
	status                      int
	expired, deniedCode, denied string
	pending                     string
}

// refusal is the error answer to a poll whose verdict v is not
// pollApproved, and whether the request is over (expired or denied: the
// caller forgets it).
func (p *polled) refusal(v pollVerdict, w pollWords) (status int, code, desc string, over bool) {
	switch v {
	case pollExpired:
		return w.status, "expired_token", w.expired, true
	case pollDenied:
		return w.status, w.deniedCode, w.denied, true
	case pollSlowDown:
		return http.StatusTooManyRequests, "slow_down", p.slowDown(), false
	}
	return w.status, "authorization_pending", w.pending, false
}

// deviceWords are the device-code grant's refusals, as Auth0 words them.
var deviceWords = pollWords{status: http.StatusForbidden,
	expired: "The device code has expired; start the flow again.", deniedCode: "access_denied",
	denied: "The user denied the device's sign-in.", pending: "User has yet to authorize device code."}

// handleDeviceCode is POST /oauth/device/code.
func (s *Server) handleDeviceCode(w http.ResponseWriter, r *http.Request) {
	p, ok := readParams(w, r)
	if !ok {
		return
	}
	c, ok := s.authClient(w, r, p, false)
	if !ok {
		return
	}
	aud := p.str("audience")
	org, desc, ok := s.organization(p.str("organization"))
	if !ok {
		oauthError(w, http.StatusBadRequest, "invalid_request", desc)
		return
	}
	s.mu.Lock()
	if aud != "" && s.apiLocked(aud) == nil {
		s.mu.Unlock()
		oauthError(w, http.StatusForbidden, "access_denied", "Service not found: "+aud)
		return
	}
	if s.devices == nil {
		s.devices = map[string]*deviceGrant{}
	}
	deviceCode, ticket := s.token(24), s.token(32)
	userCode := s.userCodeLocked()
	now := s.now()
	s.devices[deviceCode] = &deviceGrant{
		grantInfo: grantInfo{clientID: c.ID, scope: p.str("scope"), audience: aud, org: org, expires: now.Add(deviceCodeLifetime)},
		userCode:  userCode, ticket: ticket, polled: polled{interval: deviceInterval},
	}
	verify := s.BaseURL + "/activate"
	complete := verify + "?" + url.Values{"user_code": {userCode}}.Encode()
	link := verify + "?" + url.Values{"user_code": {userCode}, "ticket": {ticket}}.Encode()
	s.mailLocked(Message{Kind: KindDeviceApproval, To: SeedEmail, Subject: "Approve the sign-in of a device: " + userCode,
		Code: userCode, Link: link,
		Body: fmt.Sprintf("A device (%s) asks to sign in with the code %s. Open the link to approve as %s (add &action=deny to deny it), or enter the code at %s.",
			c.Name, userCode, SeedEmail, verify)})
	s.mu.Unlock()
	writeJSON(w, http.StatusOK, map[string]any{
		"device_code":               deviceCode,
		"user_code":                 userCode,
		"verification_uri":          verify,
		"expires_in":                int(deviceCodeLifetime / time.Second),
		"interval":                  int(deviceInterval / time.Second),
		"verification_uri_complete": complete,
	})
}

// userCodeLocked is a fresh user code as Auth0 shows them: eight consonants
// in two groups (no vowels, so no words), "BCDF-GHJK".
func (s *Server) userCodeLocked() string {
	const alphabet = "BCDFGHJKLMNPQRSTVWXZ"
	for {
		b := make([]byte, 9)
		for i := range b {
			b[i] = alphabet[s.rnd.Uint64()%uint64(len(alphabet))]
		}
		b[4] = '-'
		code := string(b)
		if s.deviceByUserCodeLocked(code) == nil {
			return code
		}
	}
}

// normalUserCode lets a person type the code in lower case, with spaces or
// without the dash.
func normalUserCode(c string) string {
	c = strings.ToUpper(strings.Map(func(r rune) rune {
		if r == '-' || r == ' ' {
			return -1
		}
		return r
	}, c))
	if len(c) == 8 {
		c = c[:4] + "-" + c[4:]
	}
	return c
}

func (s *Server) deviceByUserCodeLocked(code string) *deviceGrant {
	for _, d := range s.devices {
		if d.userCode == code {
			return d
		}
	}
	return nil
}

// deviceCodeGrant is the device-code grant on /oauth/token: Auth0's
// authorization_pending while the user has not decided, slow_down (429) when
// polled faster than the interval (which then grows by 5 s), expired_token
// after the code's lifetime, access_denied when the user denied, the tokens
// once approved. A device code is good for one set of tokens.
func (s *Server) deviceCodeGrant(w http.ResponseWriter, r *http.Request, p params) {
	c, ok := s.authClient(w, r, p, false)
	if !ok || missing(w, p, "device_code") {
		return
	}
	code := p.str("device_code")
	now := s.now()
	s.mu.Lock()
	d := s.devices[code]
	if d == nil || d.clientID != c.ID {
		s.mu.Unlock()
		oauthError(w, http.StatusForbidden, "invalid_grant", "Invalid or expired device code.")
		return
	}
	if v := d.poll(now, d.expires); v != pollApproved {
		status, ecode, desc, over := d.refusal(v, deviceWords)
		if over {
			delete(s.devices, code)
		}
		s.mu.Unlock()
		oauthError(w, status, ecode, desc)
		return
	}
	delete(s.devices, code) // approved: one set of tokens
	u := s.userByIDLocked(d.userID)
	s.mu.Unlock()
	s.issue(w, tokenRequest{client: c, user: u, scope: d.scope, audience: d.audience, org: d.org})
}

// handleActivate is the page a device sends its user to. GET shows a form
// (the user code, prefilled from ?user_code=, and the user's database
// credentials); POST approves or denies. GET with the outbox link's ticket
// decides at once: approve as the seeded user, or deny with action=deny.
func (s *Server) handleActivate(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	if r.Method != http.MethodGet && r.Method != http.MethodPost {
		w.Header().Set("Allow", "GET, POST")
		w.WriteHeader(http.StatusMethodNotAllowed)
		return
	}
	code := normalUserCode(r.FormValue("user_code"))
	deny := r.FormValue("action") == "deny"
	ticket := r.FormValue("ticket")
	if r.Method == http.MethodGet && ticket == "" {
		_, _ = fmt.Fprintf(w, `<h1>Activate a device</h1><form method="post"><label>Code <input name="user_code" value="%s"></label>
<label>Email <input name="username"></label> <label>Password <input type="password" name="password"></label>
<button name="action" value="approve">Approve</button> <button name="action" value="deny">Deny</button></form>`, html.EscapeString(code))
		return
	}
	now := s.now()
	s.mu.Lock()
	defer s.mu.Unlock()
	d := s.deviceByUserCodeLocked(code)
	if d == nil || d.state != devicePending || !now.Before(d.expires) {
		w.WriteHeader(http.StatusBadRequest)
		_, _ = w.Write([]byte("<p>This code is invalid, expired or already used.</p>"))
		return
	}
	var u *User
	switch {
	case ticket != "":
		if subtle.ConstantTimeCompare([]byte(ticket), []byte(d.ticket)) != 1 {
			w.WriteHeader(http.StatusForbidden)
			_, _ = w.Write([]byte("<p>This approval link is not valid.</p>"))
			return
		}
		u = s.findUserLocked(DatabaseConnection, SeedEmail)
	case !deny:
		u = s.findUserLocked(DatabaseConnection, r.FormValue("username"))
		if u == nil || !u.checkPassword(r.FormValue("password")) {
			w.WriteHeader(http.StatusForbidden)
			_, _ = w.Write([]byte("<p>Wrong email or password.</p>"))
			return
		}
	}
	d.ticket = "" // the link decides once
	if deny {
		d.state = deviceDenied
		_, _ = w.Write([]byte("<p>The device was denied.</p>"))
		return
	}
	if u == nil {
		w.WriteHeader(http.StatusInternalServerError)
		_, _ = w.Write([]byte("<p>The seeded user is gone.</p>"))
		return
	}
	d.state, d.userID = deviceApproved, u.ID
	_, _ = w.Write([]byte("<p>The device is approved; it can now get its tokens.</p>"))
}
