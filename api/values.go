package api

import (
	"encoding/json"
	"fmt"
)

// Value is one input field as a person gave it: a name (a body field name, an
// alias, or the SDK parameter name for methods that take a bare string) and a
// JSON value. Strings given as name=value are JSON strings.
type Value struct {
	Name string
	Raw  json.RawMessage
}

// String is a string-valued input field.
func String(name, s string) Value {
	b, _ := json.Marshal(s) // a string always marshals
	return Value{Name: name, Raw: b}
}

// Values is the input of one call: fields in the order given, plus the
// per-request options node-auth0 takes beside the data.
type Values struct {
	Fields []Value
	// ForwardedFor sets the auth0-forwarded-for header, as node-auth0's
	// options.forwardedFor does, on the operations that accept it.
	ForwardedFor string
	// Form sends an /oauth/token body form-encoded instead of JSON.
	Form bool
	// SDK is the generation whose wire format the request follows: "v2"
	// (or empty, node-auth0 2.44.1) or "v4" (node-auth0 4.x), for the
	// operations that have a V4 wire; the others send as they always do.
	SDK string
}

// InputError is input refused before anything is sent: a missing required
// field, an unknown field, a bad domain. Field names the culprit.
type InputError struct {
	Field string
	Msg   string
}

func (e *InputError) Error() string { return e.Msg }

func inputErrorf(field, format string, a ...any) *InputError {
	return &InputError{Field: field, Msg: fmt.Sprintf(format, a...)}
}
