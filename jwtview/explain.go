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

// WriteText writes the report for a person: the verdict first, then the
// header, payload and checks. Nothing from the token reaches w unescaped.
func (r *Report) WriteText(w io.Writer, loc *time.Location) error {
	var b strings.Builder
	b.WriteString(escapeText(r.Summary()))
	b.WriteString("\n")
	if r.Token != nil && r.Token.Header != nil {
		writeSection(&b, "Header", Rows(r.Token.Header, true, r.Now, loc))
	}
	if r.Token != nil && r.Token.Payload != nil {
		writeSection(&b, "Payload", Rows(r.Token.Payload, false, r.Now, loc))
	}
	b.WriteString("\nChecks\n")
	width := 0
	for _, c := range r.Checks {
		width = max(width, len(c.Name))
	}
	for _, c := range r.Checks {
		fmt.Fprintf(&b, "  %s %-*s  %s\n", c.Mark(), width, c.Name, escapeText(c.Detail))
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
