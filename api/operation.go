package api

import (
	"fmt"
	"sort"
	"strings"
)

// Operation is one Authentication API operation, named as node-auth0 v2
// names the method that sends it. Everything about it is data: the form, the
// `call` command, the listing and completion are all generated from it.
type Operation struct {
	Name       string // "passwordGrant", "oauth.passwordGrant", "tokens.getInfo", …
	Group      string // "Sign-in", "Tokens", "Passwordless", "Database", "Users"
	Summary    string // what it does and when to use it
	Deprecated string // why Auth0 deprecated the endpoint, when it did
	Shortcut   string // for a top-level method: the member method it calls
	Method     string
	Path       string // the endpoint; some operations pick another by input (see Rules)
	Auth       string // how the client authenticates
	Fields     []Field
	// ForwardedFor: node-auth0 takes options.forwardedFor for this method and
	// sends it as the auth0-forwarded-for header.
	ForwardedFor bool
	// IDToken: node-auth0 validates the id_token of the answer.
	IDToken bool
	// Strict: the SDK builds a fresh object from named inputs, so any other
	// field is dropped; the request says so in its Notes.
	Strict bool
	// Origin says whose request the operation follows when node-auth0 v2
	// has no such method (the newer SDKs, Auth0's docs); empty for v2's
	// methods, whose requests recorded fixtures prove.
	Origin string
	// Returns is what a 2xx answer holds when the server did what was
	// asked; Send says so when it does not.
	Returns Answer
	// URLOnly: the operation sends nothing; its answer is the URL Build
	// makes (a browser URL such as /authorize or a logout URL), its fields
	// the query parameters in the order given. Send hands the request back
	// without sending it.
	URLOnly bool
	// FormBody: the body always goes form-encoded (the endpoint takes no
	// JSON, as /oauth/par).
	FormBody bool
	// V4 is how node-auth0 4.x sends the operation, when it has it under
	// this name (catalog_v4.go); Client.Build uses it for Values.SDK "v4".
	V4 *Wire

	steps []step
}

// Field is one input of an operation.
type Field struct {
	Name     string   `json:"name"`
	Aliases  []string `json:"aliases,omitempty"`
	Required bool     `json:"required"`
	// RequiredUnless names the field whose presence makes this one optional
	// (verifySMSCode needs otp or code).
	RequiredUnless string `json:"required_unless,omitempty"`
	Secret         bool   `json:"secret"`
	// Profile names the profile value the field takes unless given (one of
	// the From* constants): client_id and client_secret are filled when the
	// request is built (Client.ClientID, Client.ClientSecret); audience, scope
	// and realm before it, by ProfileFills. Empty: the profile never fills
	// the field.
	Profile string `json:"from_profile,omitempty"`
	// JSON: the value is an object (given as name:=JSON).
	JSON bool `json:"json,omitempty"`
	// Param: not a body field but the SDK's bare-string argument (a path
	// segment, a header, or the single body value).
	Param bool `json:"param,omitempty"`
	// Token: the value is a token (JWT or opaque) that people paste; what
	// comes along with a paste (whitespace, quotes, a "Bearer " prefix) is
	// removed before sending, with a note (see CleanToken).
	Token bool `json:"token,omitempty"`
	// TakesToken names the kind of token from an answer of this tenant the
	// field takes (one of the Token* constants: TokenAccess, TokenRefresh,
	// TokenID, TokenMFA): the TUI offers the field to a token of that kind
	// ("use it next"). A field that takes a token of another issuer (an
	// identity provider's access token, a Management API token) takes none.
	// Every such field is also a Token field.
	TakesToken string `json:"takes_token,omitempty"`
	Help       string `json:"help"`
}

// The kinds of token a field can take (Field.TakesToken), named as the
// answer's field names them.
const (
	TokenAccess  = "access_token"
	TokenRefresh = "refresh_token"
	TokenID      = "id_token"
	TokenMFA     = "mfa_token"
)

// Taker is one field of one operation that takes a token.
type Taker struct {
	Op    *Operation
	Field string // the field's name
}

// OperationsTaking lists the operations with a field that takes a token of
// kind (TokenAccess, TokenRefresh, TokenID, TokenMFA), in catalogue order,
// each with that field; none for a kind no field takes.
func OperationsTaking(kind string) []Taker {
	if kind == "" {
		return nil
	}
	var out []Taker
	for _, op := range catalogue {
		for _, f := range op.Fields {
			if f.TakesToken == kind {
				out = append(out, Taker{Op: op, Field: f.Name})
			}
		}
	}
	return out
}

// Rules lists the defaults, forced values, required checks and endpoints the
// operation applies, derived from its steps.
func (op *Operation) Rules() []Rule {
	var r []Rule
	for _, s := range op.steps {
		r = append(r, s.rules()...)
	}
	return r
}

// FormAllowed reports whether the body may go form-encoded: only for
// /oauth/token.
func (op *Operation) FormAllowed() bool {
	for _, r := range op.Rules() {
		if r.Kind == "endpoint" && strings.HasSuffix(r.Text, "/oauth/token") {
			return true
		}
	}
	return false
}

// FieldNames lists the names of the operation's fields (not aliases).
func (op *Operation) FieldNames() []string {
	n := make([]string, len(op.Fields))
	for i, f := range op.Fields {
		n[i] = f.Name
	}
	return n
}

// field finds a field by name or alias.
func (op *Operation) field(name string) *Field {
	for i := range op.Fields {
		f := &op.Fields[i]
		if f.Name == name {
			return f
		}
		for _, a := range f.Aliases {
			if a == name {
				return f
			}
		}
	}
	return nil
}

// Field finds a field by name or alias; nil when the operation has none.
func (op *Operation) Field(name string) *Field { return op.field(name) }

func (op *Operation) isSecretField(name string) bool {
	f := op.field(name)
	return f != nil && f.Secret
}

// Operations returns the whole catalogue, in listing order.
func Operations() []*Operation { return catalogue }

// ByName finds an operation by its SDK name; nil when there is none.
func ByName(name string) *Operation {
	for _, op := range catalogue {
		if op.Name == name {
			return op
		}
	}
	return nil
}

// Names lists every operation name, sorted.
func Names() []string {
	n := make([]string, len(catalogue))
	for i, op := range catalogue {
		n[i] = op.Name
	}
	sort.Strings(n)
	return n
}

func forwardedForOps() []string {
	var n []string
	for _, op := range catalogue {
		if op.ForwardedFor {
			n = append(n, op.Name)
		}
	}
	return n
}

// The profile values a field can take (Field.Profile).
const (
	FromClientID     = "client_id"
	FromClientSecret = "client_secret"
	FromAudience     = "audience" // the profile's default API identifier
	FromScope        = "scope"    // the profile's sign-in (OIDC) scope
	FromRealm        = "realm"    // the profile's realm or connection
)

// ProfileDefaults are the values a profile offers to the fields marked
// FromAudience, FromScope and FromRealm.
type ProfileDefaults struct {
	Audience, Scope, Realm string
}

func (p ProfileDefaults) value(from string) string {
	switch from {
	case FromAudience:
		return p.Audience
	case FromScope:
		return p.Scope
	case FromRealm:
		return p.Realm
	}
	return ""
}

// Fill is one field ProfileFills fills from the profile.
type Fill struct {
	Field string // the field's name
	From  string // the profile value it comes from: FromAudience, FromScope or FromRealm
	Value string
}

// Input is the fill as an input field.
func (f Fill) Input() Value { return String(f.Field, f.Value) }

// Note says what was filled, for the person running the call:
// "audience=https://api.example.com/ from profile dev". Value and name are
// escaped for a terminal.
func (f Fill) Note(profile string) string {
	return fmt.Sprintf("%s=%s from profile %s", f.Field, escapeText(f.Value, 200), escapeText(profile, 80))
}

// ProfileFills decides which of op's fields take a profile's audience, scope
// and realm: those the catalogue marks with that profile value (Field.Profile)
// that given does not hold (by name or alias; a value given empty counts as
// given) and for which the profile has a non-empty value. The catalogue
// marks them by what Auth0 means by each field (see fromProfile in
// catalog.go): scope is a sign-in scope
// (openid profile …), so it fills the grants that sign a user in, not
// clientCredentialsGrant (the application's own token, whose scopes are
// API permissions), refreshToken (which keeps the granted scopes unless
// asked for fewer) or delegation; audience fills the grants that take one;
// realm fills realm and the connection of the database and /oauth/ro
// sign-ins, not the passwordless (email, sms) or social connections. The
// client id and secret are not filled here: the request builder takes them
// from the client.
func ProfileFills(op *Operation, given []Value, p ProfileDefaults) []Fill {
	if op == nil {
		return nil
	}
	have := map[string]bool{}
	for _, v := range given {
		have[v.Name] = true
		if fd := op.field(v.Name); fd != nil {
			have[fd.Name] = true
		}
	}
	var fills []Fill
	for _, from := range []string{FromAudience, FromScope, FromRealm} {
		value := p.value(from)
		for _, fd := range op.Fields {
			if fd.Profile != from || value == "" || fd.Param || fd.JSON || have[fd.Name] {
				continue
			}
			fills = append(fills, Fill{Field: fd.Name, From: from, Value: value})
		}
	}
	return fills
}
