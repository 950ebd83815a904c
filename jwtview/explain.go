package jwtview

import (
	"encoding/json"
	"fmt"
	"io"
	"strings"
	"time"
)

// headerHelp explains JOSE header parameters.
var headerHelp = map[string]string{
	"alg":      "signing algorithm",
	"typ":      "media type of the token (JWT; at+jwt marks an access token)",
	"kid":      "key id: which key in the tenant's JWKS signed it",
	"cty":      "content type of the payload (JWT would mean a nested token)",
	"jku":      "URL of a key set, named by the token itself: never followed",
	"jwk":      "a key embedded by the token itself: never used",
	"x5u":      "URL of a certificate, named by the token itself: never followed",
	"x5c":      "certificate chain embedded by the token itself: never used",
	"x5t":      "SHA-1 thumbprint of the signing certificate",
	"x5t#S256": "SHA-256 thumbprint of the signing certificate",
	"crit":     "extensions the reader must understand, or refuse the token",
	"b64":      "false would mean an unencoded payload (RFC 7797)",
	"enc":      "content encryption algorithm (encrypted tokens)",
	"zip":      "compression applied before encryption",
	"iss":      "issuer (in an encrypted token's header)",
}

// jweHeaderHelp explains the header parameters whose meaning differs in an
// encrypted token (one whose header has "enc").
var jweHeaderHelp = map[string]string{
	"alg": "key management algorithm: how the content key is encrypted or agreed (encrypted token)",
	"kid": "key id: which of the recipient's keys the content key is encrypted to",
}

// claimHelp explains registered JWT and OIDC claims and Auth0's own.
var claimHelp = map[string]string{
	// RFC 7519
	"iss": "issuer: who created and signed the token",
	"sub": "subject: the user (or client) the token is about",
	"aud": "audience: who the token is meant for (the client id for an id_token)",
	"exp": "expiration time: not valid after this",
	"nbf": "not before: not valid before this",
	"iat": "issued at: when the token was created",
	"jti": "token id: unique identifier of this token",
	// OIDC Core
	"auth_time":             "when the user last actually signed in",
	"nonce":                 "value from the authorization request, against replay",
	"acr":                   "authentication context class reference",
	"amr":                   "authentication methods used (pwd, mfa, otp…)",
	"azp":                   "authorized party: the client the token was issued to",
	"at_hash":               "hash of the access token issued alongside",
	"c_hash":                "hash of the authorization code issued alongside",
	"s_hash":                "hash of the state parameter",
	"sid":                   "session id at the issuer",
	"name":                  "full name",
	"given_name":            "given (first) name",
	"family_name":           "family (last) name",
	"middle_name":           "middle name",
	"nickname":              "casual name",
	"preferred_username":    "preferred username",
	"profile":               "profile page URL",
	"picture":               "profile picture URL",
	"website":               "web page or blog URL",
	"email":                 "email address",
	"email_verified":        "whether the email address was verified",
	"gender":                "gender",
	"birthdate":             "birthday",
	"zoneinfo":              "time zone",
	"locale":                "locale",
	"phone_number":          "phone number",
	"phone_number_verified": "whether the phone number was verified",
	"address":               "postal address",
	"updated_at":            "when the profile was last updated",
	"events":                "security events (logout token)",
	"cnf":                   "confirmation: the key the token is bound to",
	"act":                   "actor: who acts on behalf of the subject",
	"may_act":               "who may act on behalf of the subject",
	"client_id":             "client the token was issued to",
	"scope":                 "scopes granted",
	"roles":                 "roles",
	"groups":                "groups",
	"entitlements":          "entitlements",
	// Auth0
	"org_id":      "Auth0 organization id the user signed in through",
	"org_name":    "Auth0 organization name the user signed in through",
	"permissions": "Auth0 RBAC permissions granted for the API",
	"gty":         "Auth0 grant type that issued the token",
	"sid_hint":    "Auth0 session hint",
}

// timeClaims hold NumericDates.
var timeClaims = map[string]bool{"exp": true, "nbf": true, "iat": true, "auth_time": true, "updated_at": true}

// Explain returns the one-line explanation of a claim (or, with header set,
// a header parameter), and whether it is a custom claim. Namespaced custom
// claims (a URL as the name, as Auth0 Actions require for id_tokens) are
// called out as such.
func Explain(name string, header bool) (text string, custom bool) {
	if header {
		if h, ok := headerHelp[name]; ok {
			return h, false
		}
		return "non-standard header parameter", true
	}
	if h, ok := claimHelp[name]; ok {
		return h, false
	}
	if strings.Contains(name, "://") || strings.HasPrefix(name, "urn:") {
		return "custom claim, namespaced (added by an Auth0 Action or Rule)", true
	}
	return "custom claim, not namespaced", true
}

// Row is one header parameter or claim, ready to show: every string is
// already escaped for the terminal.
type Row struct {
	Name    string
	Value   string // compact JSON
	When    string // for time claims: local time and relative form
	Explain string
	Custom  bool
}

// Rows turns an object into display rows, in the token's order. Times are
// shown in loc (nil means time.Local) relative to now.
func Rows(obj Object, header bool, now time.Time, loc *time.Location) []Row {
	if loc == nil {
		loc = time.Local
	}
	rows := make([]Row, 0, len(obj))
	_, encrypted := obj.Get("enc")
	encrypted = encrypted && header
	for _, m := range obj {
		ex, custom := Explain(m.Name, header)
		if h, ok := jweHeaderHelp[m.Name]; ok && encrypted {
			ex = h
		}
		r := Row{
			Name:    escapeText(m.Name),
			Value:   string(appendJSON(nil, m.Value)),
			Explain: ex,
			Custom:  custom,
		}
		if !header && timeClaims[m.Name] {
			r.When = When(m.Name, m.Value, now, loc)
		}
		rows = append(rows, r)
	}
	return rows
}

// When renders a time claim as local time and relative to now, e.g.
// "2024-03-01 10:23:45 CET, expires in 23m 10s". A number outside years 1
// to 9999 is "not a real date (after year 9999)", as its check says. Empty
// when v is not a number.
func When(name string, v any, now time.Time, loc *time.Location) string {
	if _, isNum := v.(json.Number); !isNum {
		return ""
	}
	f, bad := dateValue(name, v)
	t, inRange := TimeOf(f)
	switch {
	case !inRange:
		return "not a real date (" + outOfRange(f) + ")"
	case bad != "":
		return ""
	}
	abs := t.In(loc).Format("2006-01-02 15:04:05 MST")
	d := f - unixSeconds(now)
	future := d > 0
	rel := humanSeconds(d)
	switch {
	case d > -1 && d < 1:
		return abs + ", now"
	case name == "exp" && future:
		return abs + ", expires in " + rel
	case name == "exp":
		return abs + ", expired " + rel + " ago"
	case name == "nbf" && future:
		return abs + ", valid in " + rel
	case future:
		return abs + ", " + rel + " in the future"
	}
	return abs + ", " + rel + " ago"
}

// Mark is the symbol shown for a check.
func (c Check) Mark() string {
	switch {
	case c.OK:
		return "✓"
	case c.Skipped:
		return "?"
	}
	return "✗"
}

// broken lists the segments of a malformed token that did not decode:
// every one when some others decoded (Partial), else the one the error
// names; nil when the string is not a token at all (Part "token").
func (r *Report) broken() []*DecodeError {
	if r.State != StateMalformed {
		return nil
	}
	if r.Partial != nil && len(r.Partial.Broken) > 0 {
		return r.Partial.Broken
	}
	if de, ok := r.Err.(*DecodeError); ok && de.Part != "token" {
		return []*DecodeError{de}
	}
	return nil
}

// partsDoNotDecode is "payload does not decode", "header, signature do
// not decode".
func partsDoNotDecode(broken []*DecodeError) string {
	parts := make([]string, len(broken))
	for i, e := range broken {
		parts[i] = e.Part
	}
	if len(parts) == 1 {
		return parts[0] + " does not decode"
	}
	return strings.Join(parts, ", ") + " do not decode"
}

// headline is the verdict where the explanation follows it (the view,
// WriteText): Summary, except that a malformed token whose segments broke
// names only them ("MALFORMED: the payload segment does not decode") and
// an encrypted or opaque token only its kind ("OPAQUE: not checked"); the
// reason is said once, by explanation.
func (r *Report) headline() string {
	switch r.State {
	case StateMalformed:
		if b := r.broken(); len(b) == 1 {
			return "MALFORMED: the " + b[0].Part + " segment does not decode"
		} else if len(b) > 1 {
			return "MALFORMED: segments do not decode (" + partsDoNotDecode(b) + ")"
		}
	case StateUnsupported:
		if r.Token != nil && r.Token.Kind == KindOpaque {
			return "OPAQUE: not checked"
		}
		if r.Token != nil && r.Token.Kind == KindJWE {
			return "ENCRYPTED: not checked"
		}
	}
	return r.Summary()
}

// explanation is what headline leaves out, in sentences: why each broken
// segment does not decode and that what decoded is unverified, or what an
// encrypted or opaque token is. Nil when headline says it all.
func (r *Report) explanation() []string {
	switch r.State {
	case StateMalformed:
		b := r.broken()
		if len(b) == 0 {
			return nil
		}
		out := make([]string, 0, len(b)+1)
		for _, e := range b {
			out = append(out, e.Error())
		}
		if r.Partial != nil {
			out = append(out, "The segments that decode are shown below; nothing of them is verified.")
		}
		return out
	case StateUnsupported:
		if r.Token != nil && r.Token.Note != "" {
			return []string{r.Token.Note}
		}
	}
	return nil
}

// checkText is the detail shown for c under the headline and
// explanation: the format check of a malformed, encrypted or opaque token
// in brief ("payload does not decode"), since the explanation above says
// why; else c.Detail.
func (r *Report) checkText(c Check) string {
	if c.Name != "format" {
		return c.Detail
	}
	switch r.State {
	case StateMalformed:
		if b := r.broken(); len(b) > 0 {
			return partsDoNotDecode(b)
		}
	case StateUnsupported:
		if r.Token != nil && r.Token.Kind == KindOpaque {
			return "opaque token"
		}
		if r.Token != nil && r.Token.Kind == KindJWE {
			return "encrypted token (JWE)"
		}
	}
	return c.Detail
}

// WriteText writes the report for a person: the verdict first and, for a
// malformed, encrypted or opaque token, why; then the header, payload (of
// a malformed token, what decoded) and checks. Nothing from the token
// reaches w unescaped.
func (r *Report) WriteText(w io.Writer, loc *time.Location) error {
	var b strings.Builder
	b.WriteString(escapeText(r.headline()))
	b.WriteString("\n")
	for _, s := range r.explanation() {
		b.WriteString("  " + escapeText(s) + "\n")
	}
	if t := r.shown(); t != nil && t.Header != nil {
		writeSection(&b, "Header", Rows(t.Header, true, r.Now, loc))
	}
	if t := r.shown(); t != nil && t.Payload != nil {
		writeSection(&b, "Payload", Rows(t.Payload, false, r.Now, loc))
	}
	b.WriteString("\nChecks\n")
	width := 0
	for _, c := range r.Checks {
		width = max(width, len(c.Name))
	}
	for _, c := range r.Checks {
		fmt.Fprintf(&b, "  %s %-*s  %s\n", c.Mark(), width, c.Name, escapeText(r.checkText(c)))
	}
	_, err := io.WriteString(w, b.String())
	return err
}

func writeSection(b *strings.Builder, title string, rows []Row) {
	fmt.Fprintf(b, "\n%s\n", title)
	width := 0
	for _, r := range rows {
		width = max(width, len(r.Name))
	}
	for _, r := range rows {
		fmt.Fprintf(b, "  %-*s  %s\n", width, r.Name, r.Value)
		note := r.Explain
		if r.When != "" {
			note = r.When + " · " + note
		}
		fmt.Fprintf(b, "  %-*s  %s\n", width, "", note)
	}
}
