package sandbox

import (
	"net/http"
	"net/url"
	"slices"
	"strings"
	"time"
)

// Message kinds in the outbox.
const (
	KindCode           = "passwordless-code"
	KindMagicLink      = "magic-link"
	KindSMS            = "sms-code"
	KindChangePassword = "change-password"
	KindVerifyEmail    = "verify-email"
)

// Message is a mail or text the sandbox "sent": it lands in the outbox so a
// flow can be finished by hand.
type Message struct {
	ID      int       `json:"id"`
	Time    time.Time `json:"time"`
	Kind    string    `json:"kind"`
	To      string    `json:"to"`
	Subject string    `json:"subject"`
	Body    string    `json:"body"`
	Code    string    `json:"code,omitempty"`
	Link    string    `json:"link,omitempty"`
}

func (s *Server) mailLocked(m Message) {
	m.ID = len(s.outbox) + 1
	m.Time = s.now().UTC()
	s.outbox = append(s.outbox, m)
}

// Outbox returns every message sent so far, oldest first.
func (s *Server) Outbox() []Message {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Message(nil), s.outbox...)
}

// LastMessage is the newest message to an address, if any.
func (s *Server) LastMessage(to string) (Message, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for i := len(s.outbox) - 1; i >= 0; i-- {
		if strings.EqualFold(s.outbox[i].To, to) {
			return s.outbox[i], true
		}
	}
	return Message{}, false
}

// handleOutbox serves the outbox as JSON (?to= filters by address).
func (s *Server) handleOutbox(w http.ResponseWriter, r *http.Request) {
	msgs := s.Outbox()
	if to := r.URL.Query().Get("to"); to != "" {
		var f []Message
		for _, m := range msgs {
			if strings.EqualFold(m.To, to) {
				f = append(f, m)
			}
		}
		msgs = f
	}
	if msgs == nil {
		msgs = []Message{}
	}
	writeJSON(w, http.StatusOK, msgs)
}

func (s *Server) handlePasswordlessStart(w http.ResponseWriter, r *http.Request) {
	p, ok := readParams(w, r)
	if !ok {
		return
	}
	c, ok := s.authClient(w, r, p, false)
	if !ok || missing(w, p, "connection") {
		return
	}
	conn := p.str("connection")
	now := s.now()
	switch conn {
	case "email":
		if missing(w, p, "email") {
			return
		}
		send := p.str("send")
		if send == "" {
			send = "link"
		}
		if send != "link" && send != "code" {
			oauthError(w, http.StatusBadRequest, "bad.send", "send must be link or code")
			return
		}
		email := strings.ToLower(strings.TrimSpace(p.str("email")))
		if !strings.Contains(email, "@") {
			oauthError(w, http.StatusBadRequest, "bad.email", "Invalid email address")
			return
		}
		s.mu.Lock()
		code := s.digits(6)
		s.otps["email|"+email] = &otp{code: code, expires: now.Add(otpLifetime), clientID: c.ID, authParams: p.obj("authParams")}
		if send == "code" {
			s.mailLocked(Message{Kind: KindCode, To: email, Subject: "Your verification code", Code: code,
				Body: "Your verification code is " + code + ". It expires in 3 minutes."})
		} else {
			q := url.Values{"client_id": {c.ID}, "connection": {"email"}, "email": {email}, "verification_code": {code}}
			link := s.BaseURL + "/passwordless/verify_redirect?" + q.Encode()
			s.mailLocked(Message{Kind: KindMagicLink, To: email, Subject: "Your sign-in link", Code: code, Link: link,
				Body: "Open this link to sign in: " + link})
		}
		s.mu.Unlock()
		writeJSON(w, http.StatusOK, map[string]any{"_id": s.newID(), "email": email, "email_verified": false})
	case "sms":
		if missing(w, p, "phone_number") {
			return
		}
		phone := strings.TrimSpace(p.str("phone_number"))
		if !validPhone(phone) {
			oauthError(w, http.StatusBadRequest, "bad.phone_number", "Invalid phone number: use E.164, e.g. +14155550100")
			return
		}
		s.mu.Lock()
		code := s.digits(6)
		s.otps["sms|"+phone] = &otp{code: code, expires: now.Add(otpLifetime), clientID: c.ID}
		s.mailLocked(Message{Kind: KindSMS, To: phone, Subject: "SMS", Code: code, Body: "Your verification code is: " + code})
		s.mu.Unlock()
		writeJSON(w, http.StatusOK, map[string]any{"_id": s.newID(), "phone_number": phone, "phone_verified": false, "request_language": nil})
	default:
		oauthError(w, http.StatusBadRequest, "bad.connection", "Connection does not exist: "+conn)
	}
}

// newID is a fresh 24-hex-digit id.
func (s *Server) newID() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.hex(12)
}

func validPhone(p string) bool {
	if len(p) < 8 || len(p) > 16 || p[0] != '+' {
		return false
	}
	for _, r := range p[1:] {
		if r < '0' || r > '9' {
			return false
		}
	}
	return true
}

// handleVerifyRedirect is where a magic link goes: it signs the user in and
// redirects to the application with an authorization code (or, for
// response_type token, the tokens in the fragment).
func (s *Server) handleVerifyRedirect(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	s.mu.Lock()
	c := s.clients[q.Get("client_id")]
	var params map[string]any
	if o := s.otps["email|"+strings.ToLower(q.Get("email"))]; o != nil {
		params = o.authParams
	}
	s.mu.Unlock()
	if c == nil {
		http.Error(w, "Unknown client", http.StatusBadRequest)
		return
	}
	u, desc := s.useOTP(c, "email", q.Get("email"), q.Get("verification_code"))
	if u == nil {
		http.Error(w, desc, http.StatusForbidden)
		return
	}
	str := func(k string) string { v, _ := params[k].(string); return v }
	redirect := str("redirect_uri")
	if redirect == "" && len(c.Callbacks) > 0 {
		redirect = c.Callbacks[0]
	}
	if !slices.Contains(c.Callbacks, redirect) {
		http.Error(w, "Callback URL mismatch: "+redirect+" is not in the list of allowed callback URLs", http.StatusBadRequest)
		return
	}
	s.redirectWithCode(w, r, c, u, redirect, str("state"), str("scope"), str("audience"), str("nonce"), "", "", nil)
}

// redirectWithCode issues an authorization code and sends the browser to
// the redirect URI with it.
func (s *Server) redirectWithCode(w http.ResponseWriter, r *http.Request, c *Client, u *User, redirect, state, scope, audience, nonce, challenge, method string, org *Organization) {
	s.mu.Lock()
	code := s.token(32)
	s.codes[code] = &authCode{grantInfo: grantInfo{clientID: c.ID, userID: u.ID, scope: scope, audience: audience, org: org, expires: s.now().Add(codeLifetime)},
		redirectURI: redirect, nonce: nonce, challenge: challenge, method: method}
	s.mu.Unlock()
	target, err := url.Parse(redirect)
	if err != nil || redirect == "" {
		writeJSON(w, http.StatusOK, map[string]string{"code": code, "state": state})
		return
	}
	tq := target.Query()
	tq.Set("code", code)
	if state != "" {
		tq.Set("state", state)
	}
	target.RawQuery = tq.Encode()
	http.Redirect(w, r, target.String(), http.StatusFound)
}
