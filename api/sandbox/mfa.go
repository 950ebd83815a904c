package sandbox

import (
	"crypto/hmac"
	"crypto/sha1" //nolint:gosec // RFC 6238 TOTP is HMAC-SHA1, as authenticator apps compute it
	"crypto/subtle"
	"encoding/base32"
	"encoding/binary"
	"fmt"
	mrand "math/rand/v2"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"time"
)

// MFA: a seeded user whose password grant answers 403 mfa_required with an
// mfa_token, Auth0's MFA API (/mfa/challenge, /mfa/associate,
// /mfa/authenticators) and the mfa-otp, mfa-oob and mfa-recovery-code
// grants.
//
// The OTP authenticators are real RFC 6238 TOTP (SHA-1, 6 digits, 30 s) on
// the sandbox's clock: an authenticator app given the secret of
// mfa.associate shows the codes the sandbox accepts. So that a flow can be
// finished without an app, an otp challenge (and an otp enrolment) puts the
// code of the moment in the outbox, to the user's email address.
//
// The seeded user also has a push authenticator (Guardian, oob_channel
// "auth0"): its challenge answers an oob_code with no binding_method and
// puts an approval link in the outbox (&action=deny denies), standing in for
// the phone's notification; the mfa-oob grant without a binding_code then
// answers authorization_pending until the link decides, with the device
// flow's poll rule (slow_down when polled faster than the interval).

// Seeded MFA user.
const (
	MFASeedEmail = "mfa@example.com"
	MFASeedPhone = "+15555550123"
	// MFAPushDevice is the name of the seeded user's Guardian device.
	MFAPushDevice = "Sandbox Guardian"
)

// Outbox kinds of the MFA messages.
const (
	KindMFAOTP = "mfa-otp-code" // what the authenticator app shows now
	KindMFAOOB = "mfa-oob-code" // the code of an SMS or email challenge
	// KindMFAPush is the push notification of a Guardian challenge: its
	// Link approves; with &action=deny it denies.
	KindMFAPush = "mfa-push-approval"
)

const (
	grantMFAOTP      = "http://auth0.com/oauth/grant-type/mfa-otp"
	grantMFAOOB      = "http://auth0.com/oauth/grant-type/mfa-oob"
	grantMFARecovery = "http://auth0.com/oauth/grant-type/mfa-recovery-code"

	mfaTokenLifetime = 10 * time.Minute // Auth0's mfa_token lives 10 minutes
	oobLifetime      = 5 * time.Minute
	totpStep         = 30 * time.Second
	pushInterval     = 5 * time.Second // how often a push challenge may be polled

	// channelPush is the oob_channel of a Guardian push authenticator.
	channelPush = "auth0"

	malformedMFAToken = "Malformed mfa_token"
)

// mfaState is the MFA part of the tenant; guarded by Server.mu.
type mfaState struct {
	users    map[string]*mfaUser    // user id → enrolment
	pending  map[string]*mfaPending // mfa_token → the sign-in it holds
	oobCodes map[string]*oobPending // oob_code → challenge
}

type mfaUser struct {
	authenticators []*authenticator
	recovery       string
	recoveryID     string // the recovery code's authenticator id
}

type authenticator struct {
	id      string
	kind    string // "otp" or "oob"
	channel string // oob: "sms", "email" or "auth0" (push)
	to      string // oob: the phone number or email address; push: the device's name
	secret  []byte // otp: the TOTP key
	active  bool   // false until the first verify after mfa.associate
}

// mfaPending is a sign-in waiting for its second factor.
type mfaPending struct {
	tr      tokenRequest
	expires time.Time
}

type oobPending struct {
	mfaToken string
	auth     *authenticator
	binding  string // sms, email: the code sent
	expires  time.Time
	// push: the approval link's secret, and the decision polled for
	ticket string
	polled
}

// seedMFA adds the MFA user with an OTP, an SMS and a push authenticator and
// a recovery code. Its random values come from their own stream, so the
// sandbox's other tokens and codes stay what they were for a seed.
func (s *Server) seedMFA(seed [32]byte) {
	seed[0] ^= 'm'
	seed[1] ^= 'f'
	seed[2] ^= 'a'
	main := s.rnd
	s.rnd = mrand.NewChaCha8(seed)
	defer func() { s.rnd = main }()
	s.mfa = mfaState{users: map[string]*mfaUser{}, pending: map[string]*mfaPending{}, oobCodes: map[string]*oobPending{}}
	u := s.addUserLocked(&User{Connection: DatabaseConnection, Email: MFASeedEmail, Name: "Max Factor", GivenName: "Max",
		FamilyName: "Factor", Nickname: "mfa", EmailVerified: true, PhoneNumber: MFASeedPhone}, SeedPassword)
	s.mfa.users[u.ID] = &mfaUser{
		recovery:   s.recoveryCode(),
		recoveryID: "recovery-code|dev_" + s.token(16),
		authenticators: []*authenticator{
			{id: "totp|dev_" + s.token(16), kind: "otp", secret: []byte(s.token(20)), active: true},
			{id: "sms|dev_" + s.token(16), kind: "oob", channel: "sms", to: MFASeedPhone, active: true},
		},
	}
	// Drawn after the values above, which stay what they were for a seed.
	s.mfa.users[u.ID].authenticators = append(s.mfa.users[u.ID].authenticators,
		&authenticator{id: "push|dev_" + s.token(16), kind: "oob", channel: channelPush, to: MFAPushDevice, active: true})
}

func (s *Server) recoveryCode() string {
	const alphabet = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
	b := make([]byte, 24)
	for i := range b {
		b[i] = alphabet[s.rnd.Uint64()%uint64(len(alphabet))]
	}
	return string(b)
}

// MFARecoveryCode is the seeded MFA user's recovery code (it changes each
// time one is used, as Auth0's does).
func (s *Server) MFARecoveryCode() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	if u := s.findUserLocked(DatabaseConnection, MFASeedEmail); u != nil && s.mfa.users[u.ID] != nil {
		return s.mfa.users[u.ID].recovery
	}
	return ""
}

// MFAOTPSecret is the base32 TOTP secret of the seeded user's authenticator
// app, as an otpauth:// URI would carry it.
func (s *Server) MFAOTPSecret() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	if u := s.findUserLocked(DatabaseConnection, MFASeedEmail); u != nil && s.mfa.users[u.ID] != nil {
		for _, a := range s.mfa.users[u.ID].authenticators {
			if a.kind == "otp" {
				return b32(a.secret)
			}
		}
	}
	return ""
}

func b32(k []byte) string { return base32.StdEncoding.WithPadding(base32.NoPadding).EncodeToString(k) }

// TOTP is the RFC 6238 code (SHA-1, 6 digits, 30 s steps) of a base32
// secret at t; "" for a secret that is not base32.
func TOTP(secret string, t time.Time) string {
	k, err := base32.StdEncoding.WithPadding(base32.NoPadding).DecodeString(strings.ToUpper(strings.TrimRight(secret, "=")))
	if err != nil {
		return ""
	}
	return totp(k, t)
}

func totp(key []byte, t time.Time) string {
	var msg [8]byte
	binary.BigEndian.PutUint64(msg[:], uint64(t.Unix()/int64(totpStep/time.Second)))
	h := hmac.New(sha1.New, key)
	h.Write(msg[:])
	sum := h.Sum(nil)
	off := sum[len(sum)-1] & 0xf
	n := binary.BigEndian.Uint32(sum[off:off+4]) & 0x7fffffff
	return fmt.Sprintf("%06d", n%1000000)
}

// totpOK accepts the code of the current step or of the one either side,
// as Auth0 allows for clock drift.
func totpOK(key []byte, code string, now time.Time) bool {
	for _, d := range []time.Duration{0, -totpStep, totpStep} {
		if subtle.ConstantTimeCompare([]byte(totp(key, now.Add(d))), []byte(code)) == 1 {
			return true
		}
	}
	return false
}

// describeMFA is the MFA part of the banner.
func (s *Server) describeMFA(b *strings.Builder) {
	fmt.Fprintf(b, "  MFA user        %s / %s (answered mfa_required; codes in the outbox)\n", MFASeedEmail, SeedPassword)
	fmt.Fprintf(b, "  MFA recovery    %s; TOTP secret %s\n", s.MFARecoveryCode(), s.MFAOTPSecret())
	fmt.Fprintf(b, "  MFA push        %s (push|…): approve or deny its challenges in the outbox\n", MFAPushDevice)
}

// mfaRequired answers 403 mfa_required with a fresh mfa_token when u has
// MFA enrolled, holding tr until a second factor is verified. It reports
// whether it answered.
func (s *Server) mfaRequired(w http.ResponseWriter, tr tokenRequest) bool {
	s.mu.Lock()
	if tr.user == nil || s.mfa.users[tr.user.ID] == nil {
		s.mu.Unlock()
		return false
	}
	tok := "Fe26.2*" + s.token(64)
	s.mfa.pending[tok] = &mfaPending{tr: tr, expires: s.now().Add(mfaTokenLifetime)}
	s.mu.Unlock()
	writeJSON(w, http.StatusForbidden, map[string]string{
		"error": "mfa_required", "error_description": "Multifactor authentication required", "mfa_token": tok,
	})
	return true
}

// pendingLocked finds a live mfa_token; expired ones are dropped.
func (s *Server) pendingLocked(tok string) *mfaPending {
	p := s.mfa.pending[tok]
	if p != nil && !s.now().Before(p.expires) {
		delete(s.mfa.pending, tok)
		return nil
	}
	return p
}

// mfaClient authenticates the client and finds the mfa_token of the body,
// which must be one issued to that client. It answers the error itself.
func (s *Server) mfaClient(w http.ResponseWriter, r *http.Request, p params) (*Client, *mfaPending, *mfaUser, bool) {
	c, ok := s.authClient(w, r, p, true)
	if !ok || missing(w, p, "mfa_token") {
		return nil, nil, nil, false
	}
	s.mu.Lock()
	pend := s.pendingLocked(p.str("mfa_token"))
	var mu *mfaUser
	if pend != nil && pend.tr.client.ID == c.ID {
		mu = s.mfa.users[pend.tr.user.ID]
	}
	s.mu.Unlock()
	if mu == nil {
		oauthError(w, http.StatusForbidden, "invalid_grant", malformedMFAToken)
		return nil, nil, nil, false
	}
	return c, pend, mu, true
}

func (s *Server) handleMFAChallenge(w http.ResponseWriter, r *http.Request) {
	p, ok := readParams(w, r)
	if !ok {
		return
	}
	_, pend, mu, ok := s.mfaClient(w, r, p)
	if !ok || missing(w, p, "challenge_type") {
		return
	}
	types := strings.Fields(p.str("challenge_type"))
	for _, t := range types {
		if t != "otp" && t != "oob" {
			oauthError(w, http.StatusBadRequest, "unsupported_challenge_type", "Unsupported challenge type: "+t)
			return
		}
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	var a *authenticator
	for _, x := range mu.authenticators {
		if !x.active || !slices.Contains(types, x.kind) {
			continue
		}
		if id := p.str("authenticator_id"); id == "" || id == x.id {
			a = x
			break
		}
	}
	if a == nil {
		if p.str("authenticator_id") != "" {
			oauthError(w, http.StatusBadRequest, "invalid_request", "Authenticator not found or not of the requested challenge type: "+p.str("authenticator_id"))
			return
		}
		oauthError(w, http.StatusBadRequest, "unsupported_challenge_type", "User is not enrolled with any of the requested challenge types")
		return
	}
	if a.kind == "otp" {
		code := totp(a.secret, s.now())
		s.mailLocked(Message{Kind: KindMFAOTP, To: pend.tr.user.Email, Subject: "Your authenticator app", Code: code,
			Body: "Your authenticator app shows " + code + " (it changes every 30 seconds)."})
		writeJSON(w, http.StatusOK, map[string]string{"challenge_type": "otp"})
		return
	}
	if a.channel == channelPush {
		oob := s.pushChallengeLocked(p.str("mfa_token"), a, pend.tr)
		// Auth0 names no binding_method for push: nothing to type, poll.
		writeJSON(w, http.StatusOK, map[string]string{"challenge_type": "oob", "oob_code": oob})
		return
	}
	oob := s.oobChallengeLocked(p.str("mfa_token"), a)
	writeJSON(w, http.StatusOK, map[string]string{"challenge_type": "oob", "oob_code": oob, "binding_method": "prompt"})
}

// pushChallengeLocked sends a push notification for a (the outbox's
// approval link) and returns the oob_code to poll with.
func (s *Server) pushChallengeLocked(mfaToken string, a *authenticator, tr tokenRequest) string {
	oob, ticket := "Fe26."+s.token(48), s.token(32)
	s.mfa.oobCodes[oob] = &oobPending{mfaToken: mfaToken, auth: a, expires: s.now().Add(oobLifetime),
		ticket: ticket, polled: polled{interval: pushInterval}}
	link := s.BaseURL + "/sandbox/mfa-push?" + url.Values{"ticket": {ticket}}.Encode()
	s.mailLocked(Message{Kind: KindMFAPush, To: tr.user.Email, Subject: "Approve a sign-in on " + a.to, Link: link,
		Body: fmt.Sprintf("%s asks you to approve a sign-in on %s. Open the link to approve (add &action=deny to deny).", tr.client.Name, a.to)})
	return oob
}

// handleMFAPushDecision is the outbox's push link: it approves, or denies
// with action=deny; a link decides once.
func (s *Server) handleMFAPushDecision(w http.ResponseWriter, r *http.Request) {
	ticket := r.FormValue("ticket")
	now := s.now()
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, o := range s.mfa.oobCodes {
		if ticketMatches(ticket, o.ticket) {
			decideLocked(w, r, &o.polled, &o.ticket, o.expires, now, "The sign-in was rejected.")
			return
		}
	}
	badApprovalLink(w)
}

// pushPoll is the mfa-oob grant on a push challenge, as Auth0 answers it:
// authorization_pending (400) until the user decides, slow_down when polled
// faster than the interval, invalid_grant "MFA Authorization rejected."
// once denied (Auth0's answer, final), expired_token past the oob_code's
// lifetime; true once approved (the oob_code is then spent).
// It answers the error itself; s.mu is held on entry and released.
func (s *Server) pushPollLocked(w http.ResponseWriter, oob string, o *oobPending) bool {
	v := o.poll(s.now(), o.expires)
	if v == pollApproved {
		delete(s.mfa.oobCodes, oob) // spent
		o.auth.active = true
		s.mu.Unlock()
		return true
	}
	status, code, desc, over := o.refusal(v, pushWords)
	if over {
		delete(s.mfa.oobCodes, oob)
	}
	s.mu.Unlock()
	oauthError(w, status, code, desc)
	return false
}

// pushWords are the mfa-oob grant's refusals on a push challenge, as Auth0
// words them.
var pushWords = pollWords{status: http.StatusBadRequest,
	expired: "The oob_code has expired; ask for a new challenge.", deniedCode: "invalid_grant",
	denied: "MFA Authorization rejected.", pending: "Authorization pending: please repeat the request in a few seconds."}

// oobChallengeLocked sends an SMS or email code for a and returns the
// oob_code to verify it with.
func (s *Server) oobChallengeLocked(mfaToken string, a *authenticator) string {
	oob := "Fe26." + s.token(48)
	binding := s.digits(6)
	s.mfa.oobCodes[oob] = &oobPending{mfaToken: mfaToken, auth: a, binding: binding, expires: s.now().Add(oobLifetime)}
	s.mailLocked(Message{Kind: KindMFAOOB, To: a.to, Subject: "Your verification code", Code: binding,
		Body: "Your verification code is " + binding + ". It expires in 5 minutes."})
	return oob
}

// mfaGrant is the mfa-otp, mfa-oob and mfa-recovery-code grants: a second
// factor for an mfa_token, answered with the tokens of the sign-in it held.
func (s *Server) mfaGrant(w http.ResponseWriter, r *http.Request, p params) {
	_, pend, mu, ok := s.mfaClient(w, r, p)
	if !ok {
		return
	}
	tok := p.str("mfa_token")
	var newRecovery string
	switch p.str("grant_type") {
	case grantMFAOTP:
		if missing(w, p, "otp") {
			return
		}
		s.mu.Lock()
		var hit *authenticator
		for _, a := range mu.authenticators {
			if a.kind == "otp" && totpOK(a.secret, p.str("otp"), s.now()) {
				hit = a
				break
			}
		}
		if hit != nil {
			hit.active = true
		}
		s.mu.Unlock()
		if hit == nil {
			oauthError(w, http.StatusForbidden, "invalid_grant", "Invalid otp_code.")
			return
		}
	case grantMFAOOB:
		if missing(w, p, "oob_code") {
			return
		}
		s.mu.Lock()
		o := s.mfa.oobCodes[p.str("oob_code")]
		if o != nil && o.mfaToken == tok && o.auth.channel == channelPush {
			if !s.pushPollLocked(w, p.str("oob_code"), o) {
				return
			}
			break
		}
		valid := o != nil && o.mfaToken == tok && s.now().Before(o.expires)
		good := valid && subtle.ConstantTimeCompare([]byte(o.binding), []byte(p.str("binding_code"))) == 1
		if good {
			o.auth.active = true
			delete(s.mfa.oobCodes, p.str("oob_code"))
		}
		s.mu.Unlock()
		switch {
		case !valid:
			oauthError(w, http.StatusForbidden, "invalid_grant", "Invalid oob_code.")
			return
		case p.str("binding_code") == "":
			oauthError(w, http.StatusBadRequest, "invalid_request", "Missing required parameter: binding_code")
			return
		case !good:
			oauthError(w, http.StatusForbidden, "invalid_grant", "Invalid binding_code.")
			return
		}
	case grantMFARecovery:
		if missing(w, p, "recovery_code") {
			return
		}
		s.mu.Lock()
		good := subtle.ConstantTimeCompare([]byte(mu.recovery), []byte(strings.ToUpper(strings.TrimSpace(p.str("recovery_code"))))) == 1
		if good {
			mu.recovery = s.recoveryCode() // a recovery code works once
			newRecovery = mu.recovery
		}
		s.mu.Unlock()
		if !good {
			oauthError(w, http.StatusForbidden, "invalid_grant", "Invalid recovery_code.")
			return
		}
	}
	s.mu.Lock()
	delete(s.mfa.pending, tok) // the sign-in is done
	m, status, code, desc := s.issueLocked(pend.tr)
	s.mu.Unlock()
	if status != 0 {
		oauthError(w, status, code, desc)
		return
	}
	m.body.RecoveryCode = newRecovery
	s.answer(w, m)
}

// mfaBearer finds the enrolment of the mfa_token in the Authorization
// header; it answers 401 itself.
func (s *Server) mfaBearer(w http.ResponseWriter, r *http.Request) (tok string, pend *mfaPending, mu *mfaUser, ok bool) {
	scheme, tok, _ := strings.Cut(r.Header.Get("Authorization"), " ")
	tok = strings.TrimSpace(tok)
	if !strings.EqualFold(scheme, "Bearer") || tok == "" {
		oauthError(w, http.StatusUnauthorized, "invalid_token", "Missing mfa_token: send it as Authorization: Bearer <mfa_token>")
		return "", nil, nil, false
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if pend = s.pendingLocked(tok); pend != nil {
		mu = s.mfa.users[pend.tr.user.ID]
	}
	if mu == nil {
		oauthError(w, http.StatusUnauthorized, "invalid_token", malformedMFAToken)
		return "", nil, nil, false
	}
	return tok, pend, mu, true
}

// strings of a JSON array field (or of one string).
func (p params) list(k string) ([]string, bool) {
	switch v := p[k].(type) {
	case []any:
		out := make([]string, 0, len(v))
		for _, x := range v {
			sx, ok := x.(string)
			if !ok {
				return nil, false
			}
			out = append(out, sx)
		}
		return out, len(out) > 0
	case string:
		return []string{v}, v != ""
	}
	return nil, false
}

func (s *Server) handleMFAAssociate(w http.ResponseWriter, r *http.Request) {
	tok, pend, mu, ok := s.mfaBearer(w, r)
	if !ok {
		return
	}
	p, ok := readParams(w, r)
	if !ok {
		return
	}
	types, ok := p.list("authenticator_types")
	if !ok || len(types) != 1 || (types[0] != "otp" && types[0] != "oob") {
		oauthError(w, http.StatusBadRequest, "invalid_request", `authenticator_types must be ["otp"] or ["oob"]`)
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	out := map[string]any{"authenticator_type": types[0]}
	if mu.recovery == "" {
		mu.recovery, mu.recoveryID = s.recoveryCode(), "recovery-code|dev_"+s.token(16)
		out["recovery_codes"] = []string{mu.recovery}
	}
	u := pend.tr.user
	if types[0] == "otp" {
		a := &authenticator{id: "totp|dev_" + s.token(16), kind: "otp", secret: []byte(s.token(20))}
		mu.authenticators = append(mu.authenticators, a)
		secret := b32(a.secret)
		q := url.Values{"secret": {secret}, "issuer": {"Sandbox"}}
		out["secret"] = secret
		out["barcode_uri"] = "otpauth://totp/Sandbox:" + url.PathEscape(u.Email) + "?" + q.Encode()
		code := totp(a.secret, s.now())
		s.mailLocked(Message{Kind: KindMFAOTP, To: u.Email, Subject: "Your new authenticator app", Code: code,
			Body: "Your new authenticator app shows " + code + "; verify it with mfa.verifyOTP to finish enrolling."})
		writeJSON(w, http.StatusOK, out)
		return
	}
	channels, _ := p.list("oob_channels")
	if len(channels) != 1 || (channels[0] != "sms" && channels[0] != "email") {
		oauthError(w, http.StatusBadRequest, "invalid_request", `oob_channels must be ["sms"] or ["email"]`)
		return
	}
	a := &authenticator{id: channels[0] + "|dev_" + s.token(16), kind: "oob", channel: channels[0], to: u.Email}
	if a.channel == "sms" {
		a.to = strings.TrimSpace(p.str("phone_number"))
		if !validPhone(a.to) {
			oauthError(w, http.StatusBadRequest, "invalid_request", "Invalid phone number: use E.164, e.g. +14155550100")
			return
		}
	}
	mu.authenticators = append(mu.authenticators, a)
	out["oob_channel"] = a.channel
	out["binding_method"] = "prompt"
	out["oob_code"] = s.oobChallengeLocked(tok, a)
	writeJSON(w, http.StatusOK, out)
}

func (s *Server) handleMFAAuthenticators(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodGet {
		w.Header().Set("Allow", "GET")
		writeJSON(w, http.StatusNotFound, map[string]any{"statusCode": 404, "error": "Not Found", "message": "Not Found"})
		return
	}
	_, _, mu, ok := s.mfaBearer(w, r)
	if !ok {
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	out := []map[string]any{}
	for _, a := range mu.authenticators {
		m := map[string]any{"id": a.id, "authenticator_type": a.kind, "active": a.active}
		if a.kind == "oob" {
			m["oob_channel"] = a.channel
			m["name"] = maskAddress(a.to)
			if a.channel == channelPush {
				m["name"] = a.to
			}
		}
		out = append(out, m)
	}
	if mu.recovery != "" {
		out = append(out, map[string]any{"id": mu.recoveryID, "authenticator_type": "recovery-code", "active": true})
	}
	writeJSON(w, http.StatusOK, out)
}

// maskAddress shows the end of a phone number or the domain of an email,
// as Auth0 names an oob authenticator.
func maskAddress(to string) string {
	if at := strings.IndexByte(to, '@'); at > 0 {
		return to[:1] + "***" + to[at:]
	}
	if len(to) > 4 {
		return "XXXXXXXX" + to[len(to)-4:]
	}
	return to
}

func (s *Server) handleMFADeleteAuthenticator(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodDelete {
		w.Header().Set("Allow", "DELETE")
		writeJSON(w, http.StatusNotFound, map[string]any{"statusCode": 404, "error": "Not Found", "message": "Not Found"})
		return
	}
	_, _, mu, ok := s.mfaBearer(w, r)
	if !ok {
		return
	}
	id := r.PathValue("id")
	s.mu.Lock()
	i := slices.IndexFunc(mu.authenticators, func(a *authenticator) bool { return a.id == id })
	if i >= 0 {
		mu.authenticators = slices.Delete(mu.authenticators, i, i+1)
	}
	s.mu.Unlock()
	if i < 0 {
		writeJSON(w, http.StatusNotFound, map[string]any{"error": "not_found", "error_description": "Authenticator not found: " + id})
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

// mfaRoutes adds the MFA API's endpoints.
func (s *Server) mfaRoutes(m *http.ServeMux) {
	m.HandleFunc("/mfa/challenge", post(s.handleMFAChallenge))
	m.HandleFunc("/mfa/associate", post(s.handleMFAAssociate))
	m.HandleFunc("/mfa/authenticators", s.handleMFAAuthenticators)
	m.HandleFunc("/mfa/authenticators/{id}", s.handleMFADeleteAuthenticator)
	m.HandleFunc("/sandbox/mfa-push", s.handleMFAPushDecision)
}
