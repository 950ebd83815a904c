package jwtview

import (
	"fmt"
	"math"
	"slices"
	"strings"
	"time"
)

// Use is what a token is for: the kind a person (and `token --json`'s
// "kind") calls it, as opposed to its format (Kind: JWS, JWE, opaque).
type Use string

const (
	// UseUnknown: a JWT that is recognisably neither.
	UseUnknown Use = "unknown"
	// UseIDToken: an OIDC id_token, meant for the client (aud is its id).
	UseIDToken Use = "id_token"
	// UseAccessToken: an access token for an API (typ at+jwt, scope,
	// permissions, gty, or an API identifier as aud).
	UseAccessToken Use = "access_token"
	// UseRefreshToken: a refresh token. Only the field a token came in
	// tells this (UseOfField); its text is opaque.
	UseRefreshToken Use = "refresh_token"
	// UseMFAToken: the mfa_token of an mfa_required error (UseOfField).
	UseMFAToken Use = "mfa_token"
	// UseOpaque: an opaque token (Kind KindOpaque): Auth0's access token
	// for /userinfo when no audience was asked.
	UseOpaque Use = "opaque"
	// UseEncrypted: an encrypted token (Kind KindJWE).
	UseEncrypted Use = "jwe"
)

// Label is the use in words: "ID token", "access token", …
func (u Use) Label() string {
	switch u {
	case UseIDToken:
		return "ID token"
	case UseAccessToken:
		return "access token"
	case UseRefreshToken:
		return "refresh token"
	case UseMFAToken:
		return "MFA token"
	case UseOpaque:
		return "opaque token"
	case UseEncrypted:
		return "encrypted token (JWE)"
	}
	return "JWT of unknown use"
}

// UseOfField is the use the name of a response field gives a token:
// id_token, access_token, refresh_token, mfa_token; "" for any other field.
func UseOfField(field string) Use {
	switch u := Use(field); u {
	case UseIDToken, UseAccessToken, UseRefreshToken, UseMFAToken:
		return u
	}
	return ""
}

// Audience types: who a token's aud names.
const (
	// AudienceClient: aud is the client id (an id_token's audience).
	AudienceClient = "client"
	// AudienceAPI: aud is an API identifier (an access token's audience).
	AudienceAPI = "api"
)

// Class is what a token's content says about its use.
type Class struct {
	Use Use
	// Why is the evidence for Use, short phrases ("typ is at+jwt", "has
	// scope", "aud is the client id"); escaped for the terminal.
	Why []string
	// ATJWT: the header's typ is at+jwt (or application/at+jwt), the RFC
	// 9068 mark of a JWT access token.
	ATJWT bool
	// Audiences is aud as a list (nil when missing or malformed).
	Audiences []string
	// AudienceType is AudienceClient when aud holds the client id given to
	// Classify, AudienceAPI when a client id was given and aud does not
	// hold it; without a client id it follows Use (an access token's aud
	// is an API, an id_token's the client), else "".
	AudienceType string
	// Scopes is the scope claim split at spaces (or a scope/scp array).
	Scopes []string
	// Permissions is Auth0's RBAC permissions claim.
	Permissions []string
}

// idClaims are claims only an id_token carries.
var idClaims = []string{"nonce", "at_hash", "c_hash", "s_hash", "auth_time", "email", "email_verified",
	"name", "nickname", "given_name", "family_name", "picture", "preferred_username", "phone_number"}

// Classify says what t is for. clientID (the profile's client id, "" when
// unknown) tells an id_token's audience from an API's. A JWS is an access
// token when its typ is at+jwt; otherwise the evidence is weighed: scope,
// permissions, gty, client_id, an API identifier or /userinfo as aud for an
// access token; nonce, at_hash, auth_time, profile claims and the client id
// as aud for an id_token. t may be a partly decoded token (DecodePartial).
func Classify(t *Token, clientID string) Class {
	var c Class
	if t == nil {
		c.Use = UseUnknown
		return c
	}
	switch t.Kind {
	case KindJWE:
		c.Use = UseEncrypted
		return c
	case KindOpaque:
		c.Use = UseOpaque
		return c
	}
	if typ, ok := t.Header.String("typ"); ok {
		lt := strings.ToLower(typ)
		c.ATJWT = lt == "at+jwt" || lt == "application/at+jwt"
	}
	p := t.Payload
	c.Audiences, _ = audiences(p)
	c.Scopes = stringList(p, "scope")
	if c.Scopes == nil {
		c.Scopes = stringList(p, "scp")
	}
	c.Permissions = stringList(p, "permissions")

	// Evidence for each use, with its weight.
	var access, id int
	var forAccess, forID, neutral []string
	acc := func(n int, why string) { access += n; forAccess = append(forAccess, why) }
	if c.ATJWT {
		acc(10, "typ is at+jwt")
	}
	for _, name := range []string{"scope", "scp", "permissions", "gty", "client_id"} {
		if _, ok := p.Get(name); ok {
			acc(1, "has "+name)
		}
	}
	for _, name := range idClaims {
		if _, ok := p.Get(name); ok {
			id++
			forID = append(forID, "has "+name)
			break // one is enough: profile claims come in groups
		}
	}
	for _, a := range c.Audiences {
		if strings.HasSuffix(a, "/userinfo") {
			acc(1, "aud includes /userinfo")
			break
		}
	}
	switch {
	case len(c.Audiences) == 0:
	case clientID != "" && slices.Contains(c.Audiences, clientID):
		id += 2
		forID = append(forID, "aud is the client id")
		c.AudienceType = AudienceClient
	case clientID != "":
		c.AudienceType = AudienceAPI
		if slices.ContainsFunc(c.Audiences, apiIdentifier) {
			acc(2, "aud is an API identifier, not the client id")
		} else {
			neutral = append(neutral, "aud is not the client id")
		}
	case slices.ContainsFunc(c.Audiences, apiIdentifier):
		acc(1, "aud is a URL (an API identifier)")
	}
	switch {
	case access > id:
		c.Use, c.Why = UseAccessToken, forAccess
	case id > access:
		c.Use, c.Why = UseIDToken, forID
	default:
		c.Use, c.Why = UseUnknown, slices.Concat(forAccess, forID, neutral)
	}
	if c.AudienceType == "" && len(c.Audiences) > 0 {
		switch c.Use {
		case UseAccessToken:
			c.AudienceType = AudienceAPI
		case UseIDToken:
			c.AudienceType = AudienceClient
		}
	}
	for i, w := range c.Why {
		c.Why[i] = escapeText(w)
	}
	return c
}

// Class classifies the report's token (or what decoded of it) with the
// client id it was verified against (Options.Audience).
func (r *Report) Class() Class {
	if r == nil {
		return Classify(nil, "")
	}
	return Classify(r.shown(), r.clientID)
}

// shown is the token the report shows: the decoded one, or what decoded of
// a malformed one.
func (r *Report) shown() *Token {
	if r.Token != nil {
		return r.Token
	}
	return r.Partial
}

// apiIdentifier: a as an aud looks like an Auth0 API identifier (a URL or
// a URN), which a client id never does.
func apiIdentifier(a string) bool {
	return strings.Contains(a, "://") || strings.HasPrefix(strings.ToLower(a), "urn:")
}

// stringList reads a claim that is a space-separated string or an array of
// strings; nil when absent or anything else.
func stringList(p Object, name string) []string {
	v, ok := p.Get(name)
	if !ok {
		return nil
	}
	switch a := v.(type) {
	case string:
		return strings.Fields(a)
	case []any:
		out := make([]string, 0, len(a))
		for _, e := range a {
			s, ok := e.(string)
			if !ok {
				return nil
			}
			out = append(out, s)
		}
		return out
	}
	return nil
}

// Lifetime is a token's life from iat to exp, seen at Now.
type Lifetime struct {
	IssuedAt, ExpiresAt, Now time.Time
}

// LifetimeOf is t's lifetime at now; ok is false unless t has iat and exp
// that are real dates with exp after iat.
func LifetimeOf(t *Token, now time.Time) (l Lifetime, ok bool) {
	if t == nil {
		return l, false
	}
	iv, ok1 := t.Payload.Get("iat")
	ev, ok2 := t.Payload.Get("exp")
	if !ok1 || !ok2 {
		return l, false
	}
	iat, bad1 := dateValue("iat", iv)
	exp, bad2 := dateValue("exp", ev)
	if bad1 != "" || bad2 != "" || !(exp > iat) {
		return l, false
	}
	it, _ := TimeOf(iat)
	et, _ := TimeOf(exp)
	return Lifetime{IssuedAt: it, ExpiresAt: et, Now: now}, true
}

// Lifetime is the report's token's lifetime at the report's time.
func (r *Report) Lifetime() (Lifetime, bool) {
	if r == nil {
		return Lifetime{}, false
	}
	return LifetimeOf(r.shown(), r.Now)
}

// SecondsTotal is the whole lifetime, exp − iat.
func (l Lifetime) SecondsTotal() float64 {
	return unixSeconds(l.ExpiresAt) - unixSeconds(l.IssuedAt)
}

// SecondsLeft is exp − now: negative once expired.
func (l Lifetime) SecondsLeft() float64 {
	return unixSeconds(l.ExpiresAt) - unixSeconds(l.Now)
}

// Used is the fraction of the lifetime gone, 0 (at or before iat) to 1 (at
// or after exp).
func (l Lifetime) Used() float64 {
	total := l.SecondsTotal()
	f := (unixSeconds(l.Now) - unixSeconds(l.IssuedAt)) / total
	switch {
	case !(f > 0): // also NaN
		return 0
	case f > 1:
		return 1
	}
	return f
}

// Expired reports that now is past exp (no leeway).
func (l Lifetime) Expired() bool { return l.SecondsLeft() < 0 }

// Text is the lifetime in words: "62% used, expires in 23m", "expired 5m
// ago", or "issued 2m in the future" (the clocks disagree).
func (l Lifetime) Text() string {
	left := l.SecondsLeft()
	switch {
	case left < 0:
		return "expired " + humanSeconds(left) + " ago"
	case l.Now.Before(l.IssuedAt):
		return "issued " + humanSeconds(unixSeconds(l.IssuedAt)-unixSeconds(l.Now)) + " in the future"
	}
	return fmt.Sprintf("%d%% used, expires in %s", int(math.Floor(l.Used()*100)), humanSeconds(left))
}

// LifetimeBar draws fraction (0 to 1; clamped, NaN is 0) of a lifetime as
// width cells: the part used "━", a "●" for now, the part left "─". At 1
// the bar is full with the dot at its end: "━━━━━━━━━●". Empty when width
// is not positive.
func LifetimeBar(width int, fraction float64) string {
	if width <= 0 {
		return ""
	}
	switch {
	case !(fraction > 0):
		fraction = 0
	case fraction > 1:
		fraction = 1
	}
	pos := int(math.Round(fraction * float64(width-1)))
	return strings.Repeat("━", pos) + "●" + strings.Repeat("─", width-1-pos)
}
