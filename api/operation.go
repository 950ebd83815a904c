package api

import (
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
	// Returns is what a 2xx answer holds when the server did what was
	// asked; Send says so when it does not.
	Returns Answer

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
	// Profile is "client_id" or "client_secret" when the value comes from the
	// profile unless given.
	Profile string `json:"from_profile,omitempty"`
	// JSON: the value is an object (given as name:=JSON).
	JSON bool `json:"json,omitempty"`
	// Param: not a body field but the SDK's bare-string argument (a path
	// segment, a header, or the single body value).
	Param bool `json:"param,omitempty"`
	// Token: the value is a token (JWT or opaque) that people paste; what
	// comes along with a paste (whitespace, quotes, a "Bearer " prefix) is
	// removed before sending, with a note (see CleanToken).
	Token bool   `json:"token,omitempty"`
	Help  string `json:"help"`
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
