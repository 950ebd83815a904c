package jwtview

import (
	"context"
	"crypto/subtle"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"
	"time"

	"auth0-explorer/api/safetext"

	"github.com/golang-jwt/jwt/v5"
)

// DefaultLeeway is the clock skew allowed on time claims, as node-auth0.
const DefaultLeeway = 60 * time.Second

// DefaultAlgorithms are the algorithms accepted when Options.Algorithms is
// empty: node-auth0's supportedAlgorithms default.
var DefaultAlgorithms = []string{"RS256", "HS256"}

// KnownAlgorithms are the algorithms this package can verify.
var KnownAlgorithms = []string{
	"RS256", "RS384", "RS512", "PS256", "PS384", "PS512",
	"ES256", "ES384", "ES512", "EdDSA", "HS256", "HS384", "HS512",
}

// Options say what a valid id_token looks like and where its key comes
// from.
type Options struct {
	// Issuer is the exact expected iss; Auth0's is "https://<domain>/".
	Issuer string
	// Audience is the client id the token must be meant for (for an access
	// token: the API identifier, when known).
	Audience string
	// AccessToken checks the token as an access token rather than an
	// id_token: "typ": "at+jwt" is welcome, and azp (the client that asked)
	// is shown, not compared with Audience.
	AccessToken bool
	// Nonce, when set, must equal the token's nonce.
	Nonce string
	// MaxAge, when positive, bounds the time since auth_time.
	MaxAge time.Duration
	// Organization, when set, must match org_id (values starting "org_") or
	// org_name (compared case-insensitively).
	Organization string
	// Algorithms accepted; empty means DefaultAlgorithms. "none" never
	// passes, whatever this says.
	Algorithms []string
	// Secret is the client secret for HS256/384/512, as bytes. For legacy
	// clients whose secret is base64-encoded see SecretFromBase64.
	Secret []byte
	// JWKSURL is where asymmetric keys come from, e.g.
	// "https://tenant.auth0.com/.well-known/jwks.json". The token's own
	// headers never name the key location.
	JWKSURL string
	// Keys caches JWKS fetches; nil means a process-wide cache.
	Keys *KeyCache
	// Leeway is the allowed clock skew: 0 means DefaultLeeway, a negative
	// value means none.
	Leeway time.Duration
	// Now is the clock; nil means time.Now.
	Now func() time.Time
}

// SecretFromBase64 decodes a legacy client secret that is base64-encoded,
// as node-auth0 v2 assumed (standard or URL alphabet, padded or not).
func SecretFromBase64(s string) ([]byte, error) {
	s = strings.TrimRight(strings.TrimSpace(s), "=")
	if strings.ContainsAny(s, "-_") {
		return base64.RawURLEncoding.DecodeString(s)
	}
	b, err := base64.RawStdEncoding.DecodeString(s)
	if err != nil {
		return nil, errors.New("the secret is not valid base64")
	}
	return b, nil
}

// ParseAlgorithms reads a comma-separated algorithm list, refusing "none"
// and algorithms this package cannot verify.
func ParseAlgorithms(list string) ([]string, error) {
	var out []string
	for _, a := range strings.Split(list, ",") {
		a = strings.TrimSpace(a)
		if a == "" {
			continue
		}
		if isNone(a) {
			return nil, errors.New(`"none" cannot be allowed: an unsigned token is never valid`)
		}
		i := slices.IndexFunc(KnownAlgorithms, func(k string) bool { return strings.EqualFold(k, a) })
		if i < 0 {
			return nil, fmt.Errorf("unknown algorithm %q (known: %s)", a, strings.Join(KnownAlgorithms, ", "))
		}
		if !slices.Contains(out, KnownAlgorithms[i]) {
			out = append(out, KnownAlgorithms[i])
		}
	}
	if len(out) == 0 {
		return nil, errors.New("no algorithm given")
	}
	return out, nil
}

func isNone(alg string) bool {
	return strings.EqualFold(strings.Trim(alg, " \t\r\n\x00"), "none")
}

// State is a report's overall outcome.
type State string

const (
	// StateValid: every check passed.
	StateValid State = "valid"
	// StateInvalid: at least one check failed.
	StateInvalid State = "invalid"
	// StateUnverified: nothing failed, but something could not be checked
	// (no key material, keys unavailable, no expected issuer or audience).
	StateUnverified State = "unverified"
	// StateUnsupported: an encrypted or opaque token, which cannot be checked.
	StateUnsupported State = "unsupported"
	// StateMalformed: not a token.
	StateMalformed State = "malformed"
	// StateEmpty: no token at all (empty or blank input).
	StateEmpty State = "empty"
)

// Check is the outcome of one rule. A skipped check was not performed (no
// key, no expectation to compare with): not OK, but not a failure either.
type Check struct {
	Name    string `json:"name"`
	OK      bool   `json:"ok"`
	Detail  string `json:"detail"`
	Skipped bool   `json:"skipped,omitempty"`
}

// Failed reports a check that was performed and did not pass.
func (c Check) Failed() bool { return !c.OK && !c.Skipped }

// Report is the outcome of Verify.
type Report struct {
	State State
	// Token is what Decode returned; nil when malformed.
	Token *Token
	// Partial is, for a malformed token, what DecodePartial could still
	// decode (Header and/or Payload, and Broken naming every segment that
	// did not); nil otherwise, or when nothing decoded.
	Partial *Token
	// Err is the decode error of a malformed token.
	Err    error
	Checks []Check
	// Now is the time the checks were evaluated at.
	Now time.Time

	leeway, maxAge time.Duration
	// clientID is Options.Audience: what tells an id_token's audience
	// (the client) from an API's.
	clientID string
	// keysUnavailable: the signature was not checked because the keys
	// could not be fetched.
	keysUnavailable bool
}

// Valid reports whether every check passed.
func (r *Report) Valid() bool { return r != nil && r.State == StateValid }

// Failures lists the failed checks: a refused algorithm first (it is why
// the signature was not checked), then the signature, then the rest in
// order.
func (r *Report) Failures() []Check {
	var out []Check
	for _, c := range r.Checks {
		if c.Failed() {
			out = append(out, c)
		}
	}
	rank := func(c Check) int {
		switch c.Name {
		case "alg":
			return 0
		case "signature":
			return 1
		}
		return 2
	}
	slices.SortStableFunc(out, func(a, b Check) int { return rank(a) - rank(b) })
	return out
}

// SignatureSkipped reports that the signature was not checked for want of
// keys (no secret, no JWKS, or keys that could not be fetched).
func (r *Report) SignatureSkipped() bool {
	if r == nil {
		return false
	}
	for _, c := range r.Checks {
		if c.Name == "signature" && c.Skipped {
			return true
		}
	}
	return false
}

// KeysUnavailable reports that the token is unverified only because the
// keys could not be fetched from the JWKS URL (network failure, an error
// answer, or no key set): with the keys, every check could have run.
func (r *Report) KeysUnavailable() bool {
	if r == nil || r.State != StateUnverified || !r.keysUnavailable {
		return false
	}
	for _, c := range r.Checks {
		if c.Skipped && c.Name != "signature" {
			return false
		}
	}
	return true
}

// NoKeysNote is added to an invalid verdict whose signature was not
// checked, so a forged token is never taken for a merely expired one.
const NoKeysNote = "signature not verified (no keys)"

// Summary is the verdict in one line, listing every failure.
func (r *Report) Summary() string {
	switch r.State {
	case StateValid:
		return "VALID: signature and every claim check passed"
	case StateMalformed:
		msg := "not a token"
		if r.Err != nil {
			msg = r.Err.Error()
		}
		return "MALFORMED: " + msg
	case StateEmpty:
		return "EMPTY: " + NoTokenNote
	case StateUnsupported:
		if r.Token != nil && r.Token.Note != "" {
			return "NOT CHECKED: " + r.Token.Note
		}
		return "NOT CHECKED: unsupported token"
	case StateUnverified:
		var why []string
		for _, c := range r.Checks {
			if c.Skipped {
				why = append(why, c.Name+": "+c.Detail)
			}
		}
		return "NOT VERIFIED: " + strings.Join(why, "; ")
	}
	var why []string
	for _, c := range r.Failures() {
		why = append(why, c.Name+": "+c.Detail)
	}
	if r.SignatureSkipped() {
		why = append(why, NoKeysNote)
	}
	return "INVALID: " + strings.Join(why, "; ")
}

// NoTokenNote says what an empty report lacks.
const NoTokenNote = "no token given"

// MarshalJSON is the token command's --json shape: valid, state, kind
// (the token's Use: "id_token", "access_token", "opaque", "jwe" or
// "unknown"), format (Kind: "JWS", "JWE" or "opaque"), audience_type
// ("client", "api" or left out, see Class), note (for an encrypted or
// opaque token, or why there is no token: the decode error, or
// NoTokenNote), broken (for a malformed token whose other segments
// decoded: [{"part","detail"}] per broken segment), header, payload
// (members in the token's order; what decoded of a malformed token),
// lifetime ({"issued_at","expires_at" in RFC 3339 UTC, "seconds_total",
// "seconds_left" (negative once expired), "fraction_used" (0 to 1),
// "expired"} when the token has iat and exp, else null) and checks.
// Strings escape every control character.
func (r *Report) MarshalJSON() ([]byte, error) {
	b := []byte(`{"valid":`)
	b = strconv.AppendBool(b, r.Valid())
	b = append(b, `,"state":`...)
	b = appendJSONString(b, string(r.State))
	var hdr, pay any
	t := r.shown()
	if t != nil {
		c := r.Class()
		b = append(b, `,"kind":`...)
		b = appendJSONString(b, string(c.Use))
		b = append(b, `,"format":`...)
		b = appendJSONString(b, t.Kind.String())
		if c.AudienceType != "" {
			b = append(b, `,"audience_type":`...)
			b = appendJSONString(b, c.AudienceType)
		}
		if t.Header != nil {
			hdr = t.Header
		}
		if t.Payload != nil {
			pay = t.Payload
		}
	}
	switch {
	case r.Token == nil && r.Err != nil:
		b = append(b, `,"note":`...)
		b = appendJSONString(b, r.Err.Error())
	case r.Token != nil && r.Token.Note != "":
		b = append(b, `,"note":`...)
		b = appendJSONString(b, r.Token.Note)
	}
	if r.Token == nil && r.Partial != nil {
		b = append(b, `,"broken":[`...)
		for i, e := range r.Partial.Broken {
			if i > 0 {
				b = append(b, ',')
			}
			b = append(b, `{"part":`...)
			b = appendJSONString(b, e.Part)
			b = append(b, `,"detail":`...)
			b = appendJSONString(b, e.Error())
			b = append(b, '}')
		}
		b = append(b, ']')
	}
	b = append(b, `,"header":`...)
	b = appendJSON(b, hdr)
	b = append(b, `,"payload":`...)
	b = appendJSON(b, pay)
	b = append(b, `,"lifetime":`...)
	if l, ok := r.Lifetime(); ok {
		b = append(b, `{"issued_at":`...)
		b = appendJSONString(b, l.IssuedAt.UTC().Format(time.RFC3339))
		b = append(b, `,"expires_at":`...)
		b = appendJSONString(b, l.ExpiresAt.UTC().Format(time.RFC3339))
		b = append(b, `,"seconds_total":`...)
		b = strconv.AppendFloat(b, math.Round(l.SecondsTotal()*1000)/1000, 'f', -1, 64)
		b = append(b, `,"seconds_left":`...)
		b = strconv.AppendFloat(b, math.Round(l.SecondsLeft()*1000)/1000, 'f', -1, 64)
		b = append(b, `,"fraction_used":`...)
		b = strconv.AppendFloat(b, math.Round(l.Used()*10000)/10000, 'f', -1, 64)
		b = append(b, `,"expired":`...)
		b = strconv.AppendBool(b, l.Expired())
		b = append(b, '}')
	} else {
		b = append(b, "null"...)
	}
	b = append(b, `,"checks":[`...)
	for i, c := range r.Checks {
		if i > 0 {
			b = append(b, ',')
		}
		b = append(b, `{"name":`...)
		b = appendJSONString(b, c.Name)
		b = append(b, `,"ok":`...)
		b = strconv.AppendBool(b, c.OK)
		b = append(b, `,"detail":`...)
		b = appendJSONString(b, c.Detail)
		if c.Skipped {
			b = append(b, `,"skipped":true`...)
		}
		b = append(b, '}')
	}
	return append(b, "]}"...), nil
}

// Verify decodes raw and checks it as an OIDC id_token against o. It never
// panics and never returns nil; every failure is a Check in the Report.
func Verify(ctx context.Context, raw string, o Options) *Report {
	if ctx == nil {
		ctx = context.Background()
	}
	now := time.Now
	if o.Now != nil {
		now = o.Now
	}
	leeway := o.Leeway
	switch {
	case leeway == 0:
		leeway = DefaultLeeway
	case leeway < 0:
		leeway = 0
	}
	r := &Report{Now: now(), leeway: leeway, maxAge: o.MaxAge, clientID: o.Audience}
	if len(raw) <= MaxTokenSize && Clean(raw) == "" {
		return Empty(r.Now)
	}
	t, err := DecodePartial(raw)
	if err != nil {
		r.State, r.Err, r.Partial = StateMalformed, err, t
		r.Checks = []Check{{Name: "format", Detail: err.Error()}}
		return r
	}
	r.Token = t
	if t.Kind != KindJWS {
		r.State = StateUnsupported
		r.Checks = []Check{{Name: "format", Detail: t.Note, Skipped: true}}
		return r
	}

	algOK := r.checkAlg(t, o)
	r.checkHeader(t, o)
	r.checkSignature(ctx, t, o, algOK)
	r.checkClaims(t, o)
	r.evalTimes()
	return r
}

// Empty is the report on no token at all, checked at now.
func Empty(now time.Time) *Report {
	err := &DecodeError{Part: "token", Msg: NoTokenNote}
	return &Report{State: StateEmpty, Err: err, Now: now, Checks: []Check{{Name: "format", Detail: NoTokenNote}}}
}

func (r *Report) add(name string, ok bool, format string, a ...any) {
	r.Checks = append(r.Checks, Check{Name: name, OK: ok, Detail: fmt.Sprintf(format, a...)})
}

func (r *Report) skip(name, format string, a ...any) {
	r.Checks = append(r.Checks, Check{Name: name, Skipped: true, Detail: fmt.Sprintf(format, a...)})
}

func (r *Report) checkAlg(t *Token, o Options) bool {
	v, present := t.Header.Get("alg")
	alg, isStr := v.(string)
	allowed := o.Algorithms
	if len(allowed) == 0 {
		allowed = DefaultAlgorithms
	}
	switch {
	case !present:
		r.add("alg", false, "the header has no alg")
	case !isStr:
		r.add("alg", false, "the header's alg is not a string")
	case isNone(alg):
		r.add("alg", false, "alg %q: an unsigned token is never accepted", alg)
	case !slices.Contains(allowed, alg) || jwt.GetSigningMethod(alg) == nil || !slices.Contains(KnownAlgorithms, alg):
		r.add("alg", false, "alg %q is not allowed (allowed: %s)", alg, strings.Join(allowed, ", "))
	default:
		r.add("alg", true, "%s is allowed", alg)
		return true
	}
	return false
}

// checkHeader refuses what this validator does not understand (crit, b64,
// nested tokens, access-token typ) and says that key locations in the
// header are ignored.
func (r *Report) checkHeader(t *Token, o Options) {
	var bad []string
	if v, ok := t.Header.Get("crit"); ok {
		bad = append(bad, fmt.Sprintf("crit lists extensions (%s) this validator does not process, so it must refuse the token (RFC 7515 §4.1.11)", escapeText(string(appendJSON(nil, v)))))
	}
	if v, ok := t.Header.Get("b64"); ok && v != true {
		bad = append(bad, `"b64": false means an unencoded payload (RFC 7797), which is not accepted`)
	}
	if cty, ok := t.Header.String("cty"); ok && strings.EqualFold(cty, "JWT") {
		bad = append(bad, `"cty": "JWT" marks a nested token; an id_token is never nested`)
	}
	if typ, ok := t.Header.String("typ"); ok && !o.AccessToken {
		lt := strings.ToLower(typ)
		if lt == "at+jwt" || lt == "application/at+jwt" {
			bad = append(bad, fmt.Sprintf(`"typ": %q marks an access token (RFC 9068), not an id_token`, typ))
		}
	}
	if v, ok := t.Header.Get("kid"); ok {
		if _, isStr := v.(string); !isStr {
			bad = append(bad, "kid is not a string")
		}
	}
	switch {
	case len(bad) > 0:
		r.add("header", false, "%s", strings.Join(bad, "; "))
	case o.AccessToken:
		r.add("header", true, "no critical extensions, not nested")
	default:
		r.add("header", true, "no critical extensions, not nested, not an access token")
	}
	var named []string
	for _, h := range []string{"jku", "x5u", "jwk", "x5c"} {
		if _, ok := t.Header.Get(h); ok {
			named = append(named, h)
		}
	}
	if len(named) > 0 {
		src := "the configured JWKS or the client secret"
		if o.JWKSURL != "" {
			src = o.JWKSURL
		}
		r.add("key location", true, "%s in the header ignored: keys come only from %s", strings.Join(named, ", "), escapeText(src))
	}
}

func (r *Report) checkSignature(ctx context.Context, t *Token, o Options, algOK bool) {
	if !algOK {
		r.add("signature", false, "not checked: the algorithm is refused")
		return
	}
	alg := t.Alg()
	method := jwt.GetSigningMethod(alg)
	kid, _ := t.Header.String("kid")
	if strings.HasPrefix(alg, "HS") {
		if len(o.Secret) == 0 {
			r.skip("signature", "not verified: %s is signed with the client secret and none was given", alg)
			return
		}
		if err := method.Verify(t.SigningInput, t.Signature, o.Secret); err != nil {
			r.add("signature", false, "%s signature does not match the client secret: the token was altered or signed with another secret", alg)
			return
		}
		r.add("signature", true, "%s signature matches the client secret", alg)
		return
	}
	if o.JWKSURL == "" {
		r.skip("signature", "not verified: no JWKS to take the %s key from (give the tenant domain or a JWKS URL)", alg)
		return
	}
	keys := o.Keys
	if keys == nil {
		keys = defaultKeys()
	}
	k, err := keys.key(ctx, o.JWKSURL, kid, alg)
	if err != nil {
		var ke *keyError
		if errors.As(err, &ke) && ke.kind == keysUnavailable {
			r.keysUnavailable = true
			r.skip("signature", "not verified: %s", ke.msg)
			return
		}
		r.add("signature", false, "%s", err.Error())
		return
	}
	if set, ok := k.(jwt.VerificationKeySet); ok {
		// No kid: the candidates are the JWKS keys that may sign with alg
		// (keys.key dropped those declared for another alg or use).
		typed := 0
		for _, key := range set.Keys {
			err := method.Verify(t.SigningInput, t.Signature, key)
			if err == nil {
				r.add("signature", true, "%s signature matches a key from %s (the token names no kid)", alg, escapeText(o.JWKSURL))
				return
			}
			if !errors.Is(err, jwt.ErrInvalidKeyType) {
				typed++
			}
		}
		if typed == 0 {
			r.add("signature", false, "the token names no kid, and no key in %s is a %s key", escapeText(o.JWKSURL), alg)
			return
		}
		r.add("signature", false, "the token names no kid, and its %s signature matches none of the %d %s keys in %s: the token was altered or signed by someone else",
			alg, typed, alg, escapeText(o.JWKSURL))
		return
	}
	err = method.Verify(t.SigningInput, t.Signature, k)
	switch {
	case err == nil:
		r.add("signature", true, "%s signature matches key %q from %s", alg, kid, escapeText(o.JWKSURL))
	case errors.Is(err, jwt.ErrInvalidKeyType):
		r.add("signature", false, "the key %q is not a %s key", kid, alg)
	default:
		r.add("signature", false, "%s signature does not match the tenant's key %q: the token was altered or signed by someone else", alg, kid)
	}
}

// quote shows s in double quotes with every control, format and invalid
// byte escaped once (safetext.Quote).
func quote(s string) string { return safetext.Quote(s) }

func (r *Report) checkClaims(t *Token, o Options) {
	p := t.Payload
	// iss
	switch iss, ok := p.Get("iss"); {
	case !ok:
		r.add("iss", false, "the token has no iss (issuer)")
	case !isString(iss):
		r.add("iss", false, "iss is not a string")
	case o.Issuer == "":
		r.skip("iss", "issued by %s; not compared (no expected issuer given)", quote(iss.(string)))
	case iss.(string) != o.Issuer:
		r.add("iss", false, "issued by %s, expected %s", quote(iss.(string)), quote(o.Issuer))
	default:
		r.add("iss", true, "issued by %s, as expected", quote(o.Issuer))
	}
	// sub
	switch sub, ok := p.Get("sub"); {
	case !ok:
		r.add("sub", false, "the token has no sub (subject)")
	case !isString(sub) || sub.(string) == "":
		r.add("sub", false, "sub is not a non-empty string")
	default:
		r.add("sub", true, "subject %s", quote(sub.(string)))
	}
	// aud
	auds, audOK := audiences(p)
	switch {
	case !audOK:
		if _, ok := p.Get("aud"); !ok {
			r.add("aud", false, "the token has no aud (audience)")
		} else {
			r.add("aud", false, "aud is neither a string nor an array of strings")
		}
	case o.Audience == "":
		r.skip("aud", "for %s; not compared (no client id given)", quoteList(auds))
	case !slices.Contains(auds, o.Audience):
		r.add("aud", false, "meant for %s, not for %s", quoteList(auds), quote(o.Audience))
	default:
		r.add("aud", true, "meant for %s", quote(o.Audience))
	}
	// azp: required when aud has several values.
	if audOK && len(auds) > 1 {
		switch azp, ok := p.Get("azp"); {
		case !ok:
			r.add("azp", false, "aud has %d values, so azp (authorized party) is required, and it is missing", len(auds))
		case !isString(azp):
			r.add("azp", false, "azp is not a string")
		case o.Audience == "":
			r.skip("azp", "authorized party %s; not compared (no client id given)", quote(azp.(string)))
		case o.AccessToken:
			r.add("azp", true, "issued to the client %s (an access token's azp is the client that asked, not its audience)", quote(azp.(string)))
		case azp.(string) != o.Audience:
			r.add("azp", false, "authorized party is %s, expected %s", quote(azp.(string)), quote(o.Audience))
		default:
			r.add("azp", true, "authorized party %s, as expected with several audiences", quote(o.Audience))
		}
	}
	// Time claims are placeholders filled by evalTimes.
	r.Checks = append(r.Checks, Check{Name: "exp"}, Check{Name: "iat"})
	if _, ok := p.Get("nbf"); ok {
		r.Checks = append(r.Checks, Check{Name: "nbf"})
	}
	// nonce
	if o.Nonce != "" {
		switch n, ok := p.Get("nonce"); {
		case !ok:
			r.add("nonce", false, "a nonce was expected and the token has none")
		case !isString(n):
			r.add("nonce", false, "nonce is not a string")
		case subtle.ConstantTimeCompare([]byte(n.(string)), []byte(o.Nonce)) != 1:
			r.add("nonce", false, "nonce %s does not match the expected %s", quote(n.(string)), quote(o.Nonce))
		default:
			r.add("nonce", true, "nonce matches")
		}
	}
	if o.MaxAge > 0 {
		r.Checks = append(r.Checks, Check{Name: "auth_time"})
	}
	// organization
	if org := o.Organization; org != "" {
		if strings.HasPrefix(org, "org_") {
			switch v, ok := p.Get("org_id"); {
			case !ok:
				r.add("org_id", false, "organization %s was expected and the token has no org_id", quote(org))
			case !isString(v):
				r.add("org_id", false, "org_id is not a string")
			case v.(string) != org:
				r.add("org_id", false, "organization %s, expected %s", quote(v.(string)), quote(org))
			default:
				r.add("org_id", true, "organization %s, as expected", quote(org))
			}
		} else {
			switch v, ok := p.Get("org_name"); {
			case !ok:
				r.add("org_name", false, "organization %s was expected and the token has no org_name", quote(org))
			case !isString(v):
				r.add("org_name", false, "org_name is not a string")
			case !strings.EqualFold(v.(string), org):
				r.add("org_name", false, "organization %s, expected %s", quote(v.(string)), quote(org))
			default:
				r.add("org_name", true, "organization %s, as expected", quote(org))
			}
		}
	}
}

func isString(v any) bool { _, ok := v.(string); return ok }

func quoteList(s []string) string {
	q := make([]string, len(s))
	for i, a := range s {
		q[i] = quote(a)
	}
	return strings.Join(q, ", ")
}

// audiences returns aud as a list; ok is false when aud is missing, empty,
// or not a string or array of strings.
func audiences(p Object) ([]string, bool) {
	v, ok := p.Get("aud")
	if !ok {
		return nil, false
	}
	switch a := v.(type) {
	case string:
		return []string{a}, true
	case []any:
		if len(a) == 0 {
			return nil, false
		}
		out := make([]string, 0, len(a))
		for _, e := range a {
			s, ok := e.(string)
			if !ok {
				return nil, false
			}
			out = append(out, s)
		}
		return out, true
	}
	return nil, false
}

// NumericDate reads a JWT NumericDate (seconds since the epoch, possibly
// fractional). ok is false for anything else, including non-finite values.
func NumericDate(v any) (float64, bool) {
	n, ok := v.(json.Number)
	if !ok {
		return 0, false
	}
	f, err := strconv.ParseFloat(string(n), 64)
	if err != nil || math.IsInf(f, 0) || math.IsNaN(f) {
		return 0, false
	}
	return f, true
}

// The dates a time claim may name: years 1 to 9999, the range time.Time
// formats and RFC 3339 can write. A NumericDate outside it (1e300, or one
// past what an int64 of seconds holds) is no real expiry or issue time:
// the claim's check fails, and the view says "not a real date".
const (
	minDate = -62135596800 // 0001-01-01T00:00:00Z
	maxDate = 253402300799 // 9999-12-31T23:59:59Z
)

// TimeOf converts a NumericDate to a time; ok is false when it is outside
// years 1 to 9999 (see minDate and maxDate).
func TimeOf(f float64) (time.Time, bool) {
	if !(f >= minDate && f <= maxDate) {
		return time.Time{}, false
	}
	sec, frac := math.Modf(f)
	return time.Unix(int64(sec), int64(frac*1e9)), true
}

// dateValue reads the time claim name: its value in seconds, and when it
// is not a usable date, why, in one sentence. A number too large for a
// float64 (1e999) is out of range like 1e300 (f is then ±Inf), not "not a
// number".
func dateValue(name string, v any) (f float64, bad string) {
	n, isNum := v.(json.Number)
	if !isNum {
		return 0, name + " is not a number"
	}
	f, err := strconv.ParseFloat(string(n), 64)
	if err != nil && !errors.Is(err, strconv.ErrRange) {
		return 0, name + " is not a number"
	}
	if _, ok := TimeOf(f); !ok {
		return f, fmt.Sprintf("%s %s is not a real date (%s)", name, shortNumber(n), outOfRange(f))
	}
	return f, ""
}

// outOfRange names the side of the date range f is on.
func outOfRange(f float64) string {
	if f < minDate {
		return "before year 1"
	}
	return "after year 9999"
}

// shortNumber shows a JSON number, cut when it is long.
func shortNumber(n json.Number) string {
	if len(n) > 24 {
		return string(n[:20]) + "…"
	}
	return string(n)
}

func unixSeconds(t time.Time) float64 {
	return float64(t.Unix()) + float64(t.Nanosecond())/1e9
}

// At re-evaluates the time checks (exp, iat, nbf, auth_time) at now and
// returns the updated report; the signature and other checks are kept. A
// malformed report with a Partial token only moves to now (its Lifetime).
func (r *Report) At(now time.Time) *Report {
	if r != nil && r.Token == nil && r.Partial != nil {
		c := *r // nothing to check again; the lifetime of what decoded moves
		c.Now = now
		return &c
	}
	if r == nil || r.Token == nil || r.Token.Kind != KindJWS {
		return r
	}
	c := *r
	c.Now = now
	c.Checks = slices.Clone(r.Checks)
	c.evalTimes()
	return &c
}

// evalTimes fills the time checks for r.Now and recomputes the state.
func (r *Report) evalTimes() {
	p := r.Token.Payload
	now := unixSeconds(r.Now)
	lw := r.leeway.Seconds()
	leewayNote := ""
	if r.leeway > 0 {
		leewayNote = fmt.Sprintf(" (allowing %s of clock skew)", Human(r.leeway))
	}
	for i := range r.Checks {
		c := &r.Checks[i]
		var ok bool
		var detail string
		skipped := false
		switch c.Name {
		case "exp":
			v, present := p.Get("exp")
			exp, bad := dateValue("exp", v)
			switch {
			case !present:
				detail = "the token has no exp (expiration time)"
			case bad != "":
				detail = bad
			case now > exp+lw:
				detail = fmt.Sprintf("expired %s ago%s", humanSeconds(now-exp), leewayNote)
			case now > exp:
				ok, detail = true, fmt.Sprintf("expired %s ago, within the %s leeway", humanSeconds(now-exp), Human(r.leeway))
			default:
				ok, detail = true, fmt.Sprintf("expires in %s", humanSeconds(exp-now))
			}
		case "iat":
			v, present := p.Get("iat")
			iat, bad := dateValue("iat", v)
			switch {
			case !present:
				detail = "the token has no iat (issued at)"
			case bad != "":
				detail = bad
			case iat == 0:
				detail = "iat is 0, which node-auth0 refuses as missing"
			case iat > now+lw:
				detail = fmt.Sprintf("issued %s in the future%s: the issuer's clock or this one is wrong", humanSeconds(iat-now), leewayNote)
			case iat > now:
				ok, detail = true, fmt.Sprintf("issued %s in the future, within the %s leeway", humanSeconds(iat-now), Human(r.leeway))
			default:
				ok, detail = true, fmt.Sprintf("issued %s ago", humanSeconds(now-iat))
			}
		case "nbf":
			v, _ := p.Get("nbf")
			nbf, bad := dateValue("nbf", v)
			switch {
			case bad != "":
				detail = bad
			case now+lw < nbf:
				detail = fmt.Sprintf("not valid before %s from now%s", humanSeconds(nbf-now), leewayNote)
			default:
				ok, detail = true, "already in effect (nbf passed)"
			}
		case "auth_time":
			v, present := p.Get("auth_time")
			at, bad := dateValue("auth_time", v)
			switch {
			case !present:
				detail = "max_age was given, so auth_time is required, and it is missing"
			case bad != "":
				detail = bad
			case at == 0:
				detail = "auth_time is 0, which node-auth0 refuses as missing"
			case now > at+r.maxAge.Seconds()+lw:
				detail = fmt.Sprintf("the user signed in %s ago, longer than max_age %s%s", humanSeconds(now-at), Human(r.maxAge), leewayNote)
			default:
				ok, detail = true, fmt.Sprintf("the user signed in %s ago, within max_age %s", humanSeconds(now-at), Human(r.maxAge))
			}
		default:
			continue
		}
		c.OK, c.Detail, c.Skipped = ok, detail, skipped
	}
	r.State = StateValid
	for _, c := range r.Checks {
		if c.Failed() {
			r.State = StateInvalid
			return
		}
		if c.Skipped {
			r.State = StateUnverified
		}
	}
}

// Human renders a duration the way people say it: "45s", "23m 10s",
// "2h 5m", "3d 4h", "12 years".
func Human(d time.Duration) string {
	if d == math.MinInt64 {
		d = math.MaxInt64
	}
	return humanSeconds(d.Seconds())
}

// humanSeconds is Human for a number of seconds, which may be beyond what a
// Duration holds (292 years): the distance to a date in year 9999 is shown
// as it is, not saturated.
func humanSeconds(f float64) string {
	f = math.Abs(f)
	if !(f < 1<<62) { // NaN, or far beyond any date
		f = 1 << 62
	}
	s := int64(f)
	switch {
	case s < 60:
		return fmt.Sprintf("%ds", s)
	case s < 3600:
		if s%60 == 0 {
			return fmt.Sprintf("%dm", s/60)
		}
		return fmt.Sprintf("%dm %ds", s/60, s%60)
	case s < 86400:
		if (s%3600)/60 == 0 {
			return fmt.Sprintf("%dh", s/3600)
		}
		return fmt.Sprintf("%dh %dm", s/3600, (s%3600)/60)
	case s < 400*86400:
		if (s%86400)/3600 == 0 {
			return fmt.Sprintf("%dd", s/86400)
		}
		return fmt.Sprintf("%dd %dh", s/86400, (s%86400)/3600)
	}
	return fmt.Sprintf("%d years", s/31556952) // mean Gregorian year
}
