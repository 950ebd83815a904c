package api

import (
	"encoding/json"
	"fmt"
	"strings"
)

// The second SDK generation (issue 12): node-auth0 4.x (npm auth0@4.37.1,
// dist/cjs/auth/ and userinfo/) keeps several v2 names with another wire
// format. Each such operation carries a Wire in Operation.V4, built here as
// data, and Client.Build sends it when Values.SDK is "v4". Recorded from
// the real SDK: api/testdata/sdk/requests_v4.json.
//
// What 4.x does, for every method here:
//   - a required field is refused only when null or undefined
//     (validateRequiredRequestParams); empty and blank strings are sent;
//   - the grants go form-encoded to /oauth/token as URLSearchParams of
//     {client_id: <the client's id>, ...body, grant_type}, where a body's
//     client_secret (or, else, the client's, appended) is required and not
//     blank (addClientAuthentication); a client without an id sends the
//     text "undefined";
//   - the others send JSON, {client_id, [connection,] ...body}, with the
//     secret added the same way, except the database methods, which send no
//     secret.

// SDK generations a request can follow (Values.SDK).
const (
	SDKv2 = "v2"
	SDKv4 = "v4"
)

// Wire is how node-auth0 4.x sends an operation it shares with v2.
type Wire struct {
	// Method is the 4.x method (oauth.refreshTokenGrant for refreshToken…).
	Method string `json:"method"`
	// Form: the body goes form-encoded, as URLSearchParams writes it.
	Form bool `json:"form_encoding"`
	// Fields, when set, replace the operation's (other required fields).
	Fields []Field `json:"fields,omitempty"`
	steps  []step
}

// Rules lists the wire's defaults, forced values, required checks and
// endpoint.
func (w *Wire) Rules() []Rule {
	var r []Rule
	for _, s := range w.steps {
		r = append(r, s.rules()...)
	}
	return r
}

// SDKs lists the generations that have the operation: "v2" for node-auth0
// v2's methods, "v4" for those 4.x sends (a Wire, or a 4.x-only operation).
func (op *Operation) SDKs() []string {
	s := []string{}
	if op.Origin == "" {
		s = append(s, SDKv2)
	}
	if op.V4 != nil || op.Origin == originV4 || strings.HasPrefix(op.Origin, "node-auth0 4.x") {
		s = append(s, SDKv4)
	}
	return s
}

const (
	v4ClientAuthMsg = "The client_secret or client_assertion field is required, or it should be mTLS request."
	grantRealmV4    = grantPasswordRealm
)

// requireDefined is validateRequiredRequestParams: refused only when the
// field is absent or null.
type requireDefined string

func (r requireDefined) apply(b *builder) error {
	v := b.data.value(string(r))
	if !v.undefined && string(v.raw) != "null" {
		return nil
	}
	name := b.callerName(string(r))
	return inputErrorf(name, "%s: the required field %s is missing%s", b.op.Name, name,
		b.quoteSDK(fmt.Sprintf("Required parameter requestParameters.%s was null or undefined.", r)))
}

func (r requireDefined) rules() []Rule { return []Rule{{"requires", string(r) + " (not null)"}} }

// clientAuthV4 is node-auth0 4.x's client authentication.
type clientAuthV4 struct{}

// clientAuthV4 is addClientAuthentication (src/auth/client-authentication.ts)
// where it runs: with a client assertion key, a client_assertion (and its
// type) unless the body has a truthy one, whatever client_secret the body
// holds; otherwise the client's secret unless the body has a truthy one.
// Then a non-blank client_secret or client_assertion is required.
func (clientAuthV4) apply(b *builder) error {
	switch {
	case b.client.Assertion != nil && !b.data.value("client_assertion").truthy():
		if err := b.signAssertion(); err != nil {
			return err
		}
	case b.client.Assertion == nil && !b.data.value("client_secret").truthy() && b.client.ClientSecret != "":
		b.data.set("client_secret", jsString(b.client.ClientSecret))
	}
	if b.data.value("client_secret").nonBlank() || b.data.value("client_assertion").nonBlank() {
		return nil
	}
	return inputErrorf("client_secret", "%s: node-auth0 v4 needs a client secret or a client assertion: give client_secret, the profile's, or --client-assertion-key%s", b.op.Name, b.quoteSDK(v4ClientAuthMsg))
}

func (clientAuthV4) rules() []Rule {
	return []Rule{{"requires", "client_secret (given, else the profile's, added last) or, with a client assertion key, client_assertion"}}
}

// profileIDForm is the client's id as URLSearchParams writes it: the text
// "undefined" when there is none.
var profileIDForm = source{text: `the profile's client id (the text "undefined" when there is none)`, get: func(b *builder) jsValue {
	if b.client.ClientID == "" {
		return jsString("undefined")
	}
	return jsString(b.client.ClientID)
}}

// grantV4 is base-auth-api's grant(): form-encoded {client_id, ...body,
// grant_type} to /oauth/token after the required checks and the secret.
func grantV4(grantType step, required ...string) []step {
	s := []step{takeInput{}}
	for _, r := range required {
		s = append(s, requireDefined(r))
	}
	return append(s, clientAuthV4{}, defaults{{"client_id", profileIDForm}}, grantType, endpoint("/oauth/token"))
}

// loginV4 is Passwordless.loginWithEmail / loginWithSMS:
// {username: body[address], otp: body.code, realm, ...rest} then the grant.
type loginV4 struct{ address, realm string }

func (l loginV4) apply(b *builder) error {
	o := newObject()
	o.set("username", b.data.value(l.address))
	o.set("otp", b.data.value("code"))
	o.set("realm", jsString(l.realm))
	for _, k := range b.data.keys {
		if k != l.address && k != "code" {
			o.set(k, b.data.vals[k])
		}
	}
	b.data = o
	return nil
}

func (l loginV4) rules() []Rule {
	return []Rule{{"default", "username is taken from " + l.address + ", otp from code"}, {"forced", fmt.Sprintf("realm is %q unless given", l.realm)}}
}

// realmGrant is passwordGrant's grant_type: password-realm when realm is truthy.
var realmGrant = when{text: "realm", key: "realm", cond: jsValue.truthy,
	then: []step{force{"grant_type", grantRealmV4}}, otherwise: []step{force{"grant_type", grantPassword}}}

func jsonV4(path string, connection string, required ...string) []step {
	s := []step{takeInput{}}
	for _, r := range required {
		s = append(s, requireDefined(r))
	}
	d := defaults{{"client_id", profileID}}
	if connection != "" {
		d = append(d, kv{"connection", lit(connection)})
	}
	return append(s, d, clientAuthV4{}, endpoint(path))
}

func dbV4(path string, required ...string) []step {
	s := []step{takeInput{}}
	for _, r := range required {
		s = append(s, requireDefined(r))
	}
	return append(s, defaults{{"client_id", profileID}}, endpoint(path))
}

func optionalField(f Field) Field { f.Required = false; return f }

// v4Wires are the 4.x wires, by catalogue name.
var v4Wires = map[string]*Wire{
	"oauth.passwordGrant":          {Method: "oauth.passwordGrant", Form: true, steps: grantV4(realmGrant, "username", "password")},
	"oauth.clientCredentialsGrant": {Method: "oauth.clientCredentialsGrant", Form: true, steps: grantV4(force{"grant_type", grantClient}, "audience")},
	"oauth.authorizationCodeGrant": {Method: "oauth.authorizationCodeGrant", Form: true, steps: grantV4(force{"grant_type", grantCode}, "code")},
	"oauth.authorizationCodeGrantWithPKCE": {Method: "oauth.authorizationCodeGrantWithPKCE", Form: true,
		steps: grantV4(force{"grant_type", grantCode}, "code", "code_verifier")},
	"oauth.refreshToken": {Method: "oauth.refreshTokenGrant", Form: true, steps: grantV4(force{"grant_type", grantRefresh}, "refresh_token")},
	"tokens.revokeRefreshToken": {Method: "oauth.revokeRefreshToken",
		steps: []step{takeInput{}, requireDefined("token"), defaults{{"client_id", profileID}}, clientAuthV4{}, endpoint("/oauth/revoke")}},
	"oauth.pushedAuthorization": {Method: "oauth.pushedAuthorization", Form: true,
		steps: []step{takeInput{}, requireDefined("client_id"), requireDefined("response_type"), requireDefined("redirect_uri"),
			clientAuthV4{}, defaults{{"client_id", profileIDForm}}, endpoint("/oauth/par")}},
	"passwordless.sendEmail": {Method: "passwordless.sendEmail", steps: jsonV4("/passwordless/start", "email", "email")},
	"passwordless.sendSMS":   {Method: "passwordless.sendSMS", steps: jsonV4("/passwordless/start", "sms", "phone_number")},
	"passwordless.loginWithEmail": {Method: "passwordless.loginWithEmail", Form: true,
		steps: join([]step{takeInput{}, requireDefined("email"), requireDefined("code"), loginV4{"email", "email"}},
			grantV4(force{"grant_type", grantOTP})[1:])},
	"passwordless.loginWithSMS": {Method: "passwordless.loginWithSMS", Form: true,
		steps: join([]step{takeInput{}, requireDefined("phone_number"), requireDefined("code"), loginV4{"phone_number", "sms"}},
			grantV4(force{"grant_type", grantOTP})[1:])},
	"database.signUp":         {Method: "database.signUp", steps: dbV4("/dbconnections/signup", "email", "password", "connection")},
	"database.changePassword": {Method: "database.changePassword", steps: dbV4("/dbconnections/change_password", "email", "connection")},
	// UserInfoClient.getUserInfo sends `Bearer ${accessToken}` with no
	// check (and "Bearer undefined" without one); we refuse a missing token.
	"users.getInfo": {Method: "userinfo.getUserInfo", steps: []step{requireParam{"accessToken", ""}, bearerFrom{param: "accessToken"}, endpoint("/userinfo")}},
}

func init() {
	for name, w := range v4Wires {
		op := ByName(name)
		if op == nil {
			panic("catalog_v4: no operation " + name)
		}
		switch name {
		case "database.changePassword", "passwordless.sendEmail":
			// 4.x: changePassword takes no password; sendEmail needs no send.
			f := append([]Field(nil), op.Fields...)
			for i := range f {
				if f[i].Name == "password" || f[i].Name == "send" {
					f[i] = optionalField(f[i])
				}
			}
			w.Fields = f
		case "oauth.clientCredentialsGrant":
			f := append([]Field(nil), op.Fields...)
			for i := range f {
				if f[i].Name == "audience" {
					f[i].Required = true
				}
			}
			w.Fields = f
		}
		op.V4 = w
	}
}

// formV4 is new URLSearchParams(o).toString(): values as JavaScript's
// String() writes them, encoded as the WHATWG urlencoded serializer does
// (space as +, only *-._ and alphanumerics left as they are).
func (o *object) formV4() []byte {
	var b strings.Builder
	for _, k := range o.order() {
		v := o.vals[k]
		if v.undefined {
			continue
		}
		if b.Len() > 0 {
			b.WriteByte('&')
		}
		b.WriteString(urlencodeWHATWG(k))
		b.WriteByte('=')
		b.WriteString(urlencodeWHATWG(jsToString(v)))
	}
	return []byte(b.String())
}

// jsToString is String(v) for a JSON value.
func jsToString(v jsValue) string {
	if s, ok := v.str(); ok {
		return s
	}
	if len(v.raw) == 0 {
		return "undefined"
	}
	switch v.raw[0] {
	case '{':
		return "[object Object]"
	case '[':
		var parts []string
		o := arrayElems(v.raw)
		for _, e := range o {
			if string(e.raw) == "null" || e.undefined {
				parts = append(parts, "")
				continue
			}
			parts = append(parts, jsToString(e))
		}
		return strings.Join(parts, ",")
	}
	return string(v.raw)
}

func urlencodeWHATWG(s string) string {
	const hex = "0123456789ABCDEF"
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c == ' ':
			b.WriteByte('+')
		case c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || strings.IndexByte("*-._", c) >= 0:
			b.WriteByte(c)
		default:
			b.WriteByte('%')
			b.WriteByte(hex[c>>4])
			b.WriteByte(hex[c&0xf])
		}
	}
	return b.String()
}

// arrayElems splits a JSON array into its elements.
func arrayElems(raw []byte) []jsValue {
	var elems []json.RawMessage
	if json.Unmarshal(raw, &elems) != nil {
		return nil
	}
	out := make([]jsValue, len(elems))
	for i, e := range elems {
		out[i] = jsValue{raw: e}
	}
	return out
}
