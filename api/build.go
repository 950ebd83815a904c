package api

import (
	"fmt"
	"net/http"
	"net/netip"
	"strconv"
	"strings"
	"time"
)

// The request of an operation is built by a short list of steps, each the
// data form of one thing node-auth0 does to the caller's object: fill
// defaults from the client, copy the caller's fields over them, force a
// value, check a required field, pick the endpoint. Steps also describe
// themselves, so the catalogue listing says which defaults and forced values
// apply without a second copy of the rules.

// Rule is one documented behaviour of an operation, derived from its steps.
type Rule struct {
	Kind string `json:"kind"` // "default", "forced", "requires", "endpoint"
	Text string `json:"text"`
}

type step interface {
	apply(b *builder) error
	rules() []Rule
}

// builder is the state of one build: the caller's input, the object being
// built (data), and where it goes.
type builder struct {
	op     *Operation
	client *Client
	input  *object // caller's fields, in order, bare-string parameters removed
	params map[string]string
	data   *object
	path   string
	bearer string
	// bearerName is the field the bearer came from, for sentences.
	bearerName string
	notes      []string
	// v4: the request follows node-auth0 4.x (Operation.V4).
	v4 bool
	// assert: the operation authenticates the client and the client signs
	// assertions, so one goes in place of the client secret.
	assert bool
}

// source is where a default value comes from.
type source struct {
	text string
	get  func(b *builder) jsValue
	// clientSecret: the value is the client's secret, which a client
	// assertion replaces (Client.Assertion).
	clientSecret bool
}

func lit(s string) source {
	return source{text: fmt.Sprintf("%q", s), get: func(*builder) jsValue { return jsString(s) }}
}

// The SDK leaves a missing client id or secret undefined (and so out of the
// JSON), except in TokensManager, which sends an empty string instead.
var (
	profileID = source{text: "the profile's client id", get: func(b *builder) jsValue {
		return optional(b.client.ClientID)
	}}
	profileSecret = source{text: "the profile's client secret", clientSecret: true, get: func(b *builder) jsValue {
		return optional(b.client.ClientSecret)
	}}
	profileIDOrEmpty = source{text: `the profile's client id (or "")`, get: func(b *builder) jsValue {
		return jsString(b.client.ClientID)
	}}
	profileSecretOrEmpty = source{text: `the profile's client secret (or "")`, clientSecret: true, get: func(b *builder) jsValue {
		return jsString(b.client.ClientSecret)
	}}
)

func optional(s string) jsValue {
	if s == "" {
		return undefinedValue()
	}
	return jsString(s)
}

// inputOr is `input[k] || fallback`.
func inputOr(k string, fallback source) source {
	return source{text: k + " if given, else " + fallback.text, get: func(b *builder) jsValue {
		if v := b.input.value(k); v.truthy() {
			return v
		}
		return fallback.get(b)
	}}
}

type kv struct {
	key string
	src source
}

// --- steps ---

// takeInput starts the body from the caller's fields: data = {...input}.
type takeInput struct{}

func (takeInput) apply(b *builder) error { b.data = b.input.clone(); return nil }
func (takeInput) rules() []Rule          { return nil }

// defaults is data = {k1: v1, …, ...data}: values the caller's fields override.
type defaults []kv

func (d defaults) apply(b *builder) error {
	o := newObject()
	for _, p := range d {
		if p.src.clientSecret && b.client.Assertion != nil {
			// The client authenticates with an assertion instead, added
			// after the body is built (addAssertion).
			b.assert = true
			continue
		}
		o.set(p.key, p.src.get(b))
	}
	o.spread(b.data)
	b.data = o
	return nil
}

func (d defaults) rules() []Rule {
	r := make([]Rule, 0, len(d))
	for _, p := range d {
		r = append(r, Rule{"default", p.key + " defaults to " + p.src.text})
	}
	return r
}

// force is data[key] = value, whatever the caller gave.
type force struct {
	key, value string
}

func (f force) apply(b *builder) error { b.data.set(f.key, jsString(f.value)); return nil }
func (f force) rules() []Rule {
	return []Rule{{"forced", fmt.Sprintf("%s is always %q", f.key, f.value)}}
}

// forceUnless sets key to value unless it already holds one of allowed.
type forceUnless struct {
	key, value string
	allowed    []string
}

func (f forceUnless) apply(b *builder) error {
	s, _ := b.data.value(f.key).str()
	for _, a := range f.allowed {
		if s == a && b.data.value(f.key).truthy() {
			return nil
		}
	}
	b.data.set(f.key, jsString(f.value))
	return nil
}

func (f forceUnless) rules() []Rule {
	return []Rule{{"forced", fmt.Sprintf("%s is %q unless it is %s", f.key, f.value, quoteList(f.allowed))}}
}

// check is a required-field check, made where node-auth0 makes it.
type check struct {
	key    string
	ok     func(jsValue) bool
	sdkMsg string // what node-auth0 throws; "" for an operation it lacks
	name   string // the caller's name for the field, when not the body key
}

// as names the field as the caller gives it (verifyEmailCode's email becomes
// the body's username).
func (c check) as(name string) check { c.name = name; return c }

// isString is node-auth0's `typeof x === 'string'` check (its
// `x.split().length === 0` half never fails).
func isString(v jsValue) bool { _, ok := v.str(); return ok }

// nonBlank is `typeof x === 'string' && x.trim().length > 0`.
func nonBlank(v jsValue) bool { return v.nonBlank() }

func requireString(key, msg string) check   { return check{key: key, ok: isString, sdkMsg: msg} }
func requireNonBlank(key, msg string) check { return check{key: key, ok: nonBlank, sdkMsg: msg} }

func (c check) apply(b *builder) error {
	v := b.data.value(c.key)
	if c.ok(v) {
		return nil
	}
	if c.key == "client_secret" && b.assert && v.undefined {
		return nil // a client assertion goes in its place (addAssertion)
	}
	name := c.key
	if c.name != "" {
		name = c.name
	}
	if err := b.notString(name, v, c.sdkMsg); err != nil {
		return err
	}
	return b.missing(name, c.sdkMsg)
}

// notString refuses a value given but not a string (email:=42), naming its
// type, where the SDK's check needs a string; nil for a string or nothing.
func (b *builder) notString(key string, v jsValue, sdkMsg string) error {
	kind := v.typeName()
	if kind == "" || kind == "a string" {
		return nil
	}
	return inputErrorf(b.callerName(key), "%s: %s must be a string, not %s%s", b.op.Name, b.callerName(key), kind, b.quoteSDK(sdkMsg))
}

// callerName is the name of a body key as the caller knows the field.
func (b *builder) callerName(key string) string {
	if f := b.op.field(key); f != nil {
		return f.Name
	}
	return key
}

func (c check) rules() []Rule { return []Rule{{"requires", c.key}} }

// missing is the refusal for a missing required field. It names the field as
// the caller may have given it, and quotes the SDK.
func (b *builder) missing(key, sdkMsg string) error {
	name := b.callerName(key)
	f := b.op.field(key)
	if sdkMsg == "" { // no node-auth0 v2 method: nothing to quote
		return inputErrorf(name, "%s: the required field %s is missing or empty", b.op.Name, name)
	}
	if f != nil && f.RequiredUnless != "" {
		return inputErrorf(name, "%s: give %s or %s; neither is set%s", b.op.Name, f.RequiredUnless, name, b.quoteSDK(sdkMsg))
	}
	return inputErrorf(name, "%s: the required field %s is missing or empty%s", b.op.Name, name, b.quoteSDK(sdkMsg))
}

// quoteSDK quotes what the SDK the operation follows throws, to end a
// refusal: ` (node-auth0: "…")` for node-auth0 v2's methods, go-auth0's for
// the operations taken from it, nothing for those only Auth0's
// documentation defines (Operation.Origin).
func (b *builder) quoteSDK(msg string) string {
	switch o := b.op.Origin; {
	case b.v4:
		return fmt.Sprintf(" (node-auth0 v4: %q)", msg)
	case o == "":
		return fmt.Sprintf(" (node-auth0: %q)", msg)
	case strings.HasPrefix(o, "go-auth0"):
		return fmt.Sprintf(" (go-auth0: %q)", msg)
	case strings.HasPrefix(o, "node-auth0 4.x"):
		return fmt.Sprintf(" (node-auth0 4.x: %q)", msg)
	}
	return ""
}

// setIfString sets key to value when the field `when` is a string, as
// passwordGrant switches to the password-realm grant when realm is given.
type setIfString struct {
	when, key, value string
}

func (s setIfString) apply(b *builder) error {
	if isString(b.data.value(s.when)) {
		b.data.set(s.key, jsString(s.value))
	}
	return nil
}

func (s setIfString) rules() []Rule {
	return []Rule{{"forced", fmt.Sprintf("%s becomes %q when %s is given", s.key, s.value, s.when)}}
}

// defaultWhen sets key to value, after the fields given, when the field
// `when` is given and key is not (code_challenge_method S256 beside a
// code_challenge).
type defaultWhen struct{ when, key, value string }

func (d defaultWhen) apply(b *builder) error {
	if b.data.value(d.when).nonBlank() && b.data.value(d.key).undefined {
		b.data.set(d.key, jsString(d.value))
	}
	return nil
}

func (d defaultWhen) rules() []Rule {
	return []Rule{{"default", fmt.Sprintf("%s defaults to %q when %s is given", d.key, d.value, d.when)}}
}

// endpoint picks the path.
type endpoint string

func (e endpoint) apply(b *builder) error { b.path = string(e); return nil }
func (e endpoint) rules() []Rule          { return []Rule{{"endpoint", string(e)}} }

// when runs then or otherwise depending on a condition on the data built so
// far (or, with onInput, on the caller's fields).
type when struct {
	text      string
	onInput   bool
	key       string
	cond      func(jsValue) bool
	then      []step
	otherwise []step
}

func (w when) apply(b *builder) error {
	o := b.data
	if w.onInput {
		o = b.input
	}
	steps := w.otherwise
	if w.cond(o.value(w.key)) {
		steps = w.then
	}
	return runSteps(b, steps)
}

func (w when) rules() []Rule {
	var r []Rule
	for _, x := range w.then {
		for _, y := range x.rules() {
			y.Text = "with " + w.text + ": " + y.Text
			r = append(r, y)
		}
	}
	for _, x := range w.otherwise {
		for _, y := range x.rules() {
			y.Text = "without " + w.text + ": " + y.Text
			r = append(r, y)
		}
	}
	return r
}

// translate builds a fresh object from the caller's fields, as the top-level
// wrappers do: each output key takes the first truthy of its inputs
// (`a || b || c`), or the last input's value when none is truthy. Fields not
// named here are not sent (the caller is told before sending).
type translate []struct {
	key  string
	from []string
}

func (t translate) apply(b *builder) error {
	o := newObject()
	for _, p := range t {
		v := undefinedValue()
		for _, f := range p.from {
			v = b.input.value(f)
			if v.truthy() {
				break
			}
		}
		o.set(p.key, v)
	}
	b.data = o
	return nil
}

func (t translate) rules() []Rule {
	var r []Rule
	for _, p := range t {
		if len(p.from) > 1 || p.from[0] != p.key {
			r = append(r, Rule{"default", fmt.Sprintf("%s is taken from %s", p.key, strings.Join(p.from, " or "))})
		}
	}
	return r
}

// setFromInput is data[key] = input[a] || input[b] … (used after translate
// for conditional members).
type setFromInput struct {
	key  string
	from []string
}

func (s setFromInput) apply(b *builder) error {
	return translate{{s.key, s.from}}.applyOnto(b)
}

func (t translate) applyOnto(b *builder) error {
	saved := b.data
	if err := t.apply(b); err != nil {
		return err
	}
	add := b.data
	b.data = saved
	b.data.spread(add)
	return nil
}

func (s setFromInput) rules() []Rule { return translate{{s.key, s.from}}.rules() }

// paramBody sets a body field from a bare-string parameter.
type paramBody struct{ key, param string }

func (p paramBody) apply(b *builder) error {
	b.data.set(p.key, jsString(b.params[p.param]))
	return nil
}
func (p paramBody) rules() []Rule { return nil }

// bearerFrom sends a value as `Authorization: Bearer …`, from a parameter
// or a body field.
type bearerFrom struct {
	param string
	field string
}

func (bf bearerFrom) apply(b *builder) error {
	if bf.param != "" {
		b.bearer, b.bearerName = b.params[bf.param], bf.param
	} else {
		b.bearer, _ = b.data.value(bf.field).str()
		b.bearerName = b.callerName(bf.field)
	}
	return nil
}

func (bf bearerFrom) rules() []Rule {
	n := bf.param
	if n == "" {
		n = bf.field
	}
	return []Rule{{"forced", "Authorization: Bearer <" + n + ">"}}
}

// requireParam checks a bare-string parameter: present and not blank.
type requireParam struct {
	name   string
	sdkMsg string
}

func (r requireParam) apply(b *builder) error {
	if jsTrim(b.params[r.name]) == "" {
		return b.missing(r.name, r.sdkMsg)
	}
	return nil
}
func (r requireParam) rules() []Rule { return []Rule{{"requires", r.name}} }

// pathParam substitutes {name} in the path with the parameter, as the SDK
// writes it into the URL.
type pathParam struct{ name string }

func (p pathParam) apply(b *builder) error {
	b.path = strings.ReplaceAll(b.path, "{"+p.name+"}", escapePathLikeNode(b.params[p.name]))
	return nil
}
func (p pathParam) rules() []Rule { return nil }

// escapePathLikeNode escapes a value written into a URL path as node-auth0
// ends up sending it: Node escapes space, quotes, |, ^, `, {, }, < and >, and
// leaves the rest, '%' included. Where node-auth0 lets the value change the
// URL ('/' and '\\' add path segments, '?' starts a query, '#' cuts the path,
// non-Latin-1 text is refused), it is escaped here so the value stays one
// path segment, as the SDK's documentation ("the user ID") promises.
func escapePathLikeNode(s string) string {
	const hex = "0123456789ABCDEF"
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c <= 0x20 || c >= 0x7f || strings.IndexByte("\"<>^`{}|'/\\?#", c) >= 0:
			b.WriteByte('%')
			b.WriteByte(hex[c>>4])
			b.WriteByte(hex[c&0xf])
		default:
			b.WriteByte(c)
		}
	}
	return b.String()
}

func runSteps(b *builder, steps []step) error {
	for _, s := range steps {
		if err := s.apply(b); err != nil {
			return err
		}
	}
	return nil
}

func quoteList(s []string) string {
	q := make([]string, len(s))
	for i, x := range s {
		q[i] = fmt.Sprintf("%q", x)
	}
	return strings.Join(q, " or ")
}

// Build turns op and v into the request node-auth0 would send, or refuses
// the input with an *InputError, as the SDK throws before sending.
func (c *Client) Build(op *Operation, v Values) (*Request, error) {
	b := &builder{op: op, client: c, input: newObject(), params: map[string]string{}, data: newObject(), path: op.Path}
	steps, formBody := op.steps, op.FormBody
	switch v.SDK {
	case "", SDKv2:
	case SDKv4:
		if op.V4 != nil {
			steps, formBody, b.v4 = op.V4.steps, op.V4.Form, true
		}
	default:
		return nil, inputErrorf("sdk", "--sdk must be v2 or v4, not %s", strconv.Quote(v.SDK))
	}
	if err := b.readInput(v); err != nil {
		return nil, err
	}
	if v.ForwardedFor != "" && !op.ForwardedFor {
		return nil, inputErrorf("forwarded-for", "%s does not take --forwarded-for: node-auth0 sends auth0-forwarded-for only with %s", op.Name, strings.Join(forwardedForOps(), ", "))
	}
	if v.ForwardedFor != "" {
		if err := checkForwardedFor(v.ForwardedFor); err != nil {
			return nil, err
		}
	}
	if v.Form && !op.FormAllowed() && !formBody {
		return nil, inputErrorf("form", "%s does not take --form: only /oauth/token bodies may be form-encoded", op.Name)
	}
	if err := runSteps(b, steps); err != nil {
		return nil, err
	}
	if err := b.addAssertion(); err != nil {
		return nil, err
	}
	if v.Form && !formBody && b.path != "/oauth/token" {
		return nil, inputErrorf("form", "%s does not take --form with these fields: they go to %s, not /oauth/token", op.Name, b.path)
	}
	req := &Request{
		Operation: op.Name,
		Method:    op.Method,
		URL:       c.BaseURL + b.path,
		Header:    http.Header{},
	}
	if op.URLOnly {
		// A browser URL: nothing is sent, so no headers and no body.
		req.URLOnly = true
		if q := b.data.query(); q != "" {
			req.URL += "?" + q
		}
		req.Secrets = b.secrets()
		req.Notes = b.notes
		return req, nil
	}
	// node-auth0 sends Content-Type: application/json on every request,
	// the bodiless GET /userinfo included.
	req.ContentType = "application/json"
	switch {
	case op.Method == http.MethodGet || op.Method == http.MethodDelete:
	case b.v4 && formBody:
		req.Body = b.data.formV4()
		req.ContentType = "application/x-www-form-urlencoded"
	case v.Form || op.FormBody:
		req.Body = b.data.form()
		req.ContentType = "application/x-www-form-urlencoded"
	default:
		req.Body = b.data.json()
	}
	if b.v4 && req.Body == nil {
		// node-auth0 4.x sends no Content-Type without a body.
		req.ContentType = ""
	} else {
		req.Header.Set("Content-Type", req.ContentType)
	}
	if b.bearer != "" {
		if bad := ControlCharacter(b.bearer); bad != "" {
			return nil, inputErrorf(b.bearerName, "%s: %s holds %s, which cannot go in the Authorization header; nothing was sent", op.Name, b.bearerName, bad)
		}
		req.Header.Set("Authorization", "Bearer "+b.bearer)
		req.Secrets = append(req.Secrets, b.bearer)
	}
	if v.ForwardedFor != "" {
		req.Header.Set("auth0-forwarded-for", v.ForwardedFor)
	}
	// Every header value is checked here, so what the transport would
	// refuse is refused before sending, and never exported as curl.
	for name, vals := range req.Header {
		for _, hv := range vals {
			if bad := ControlCharacter(hv); bad != "" {
				return nil, inputErrorf(name, "%s: the %s header would hold %s; nothing was sent", op.Name, name, bad)
			}
		}
	}
	req.Secrets = append(req.Secrets, b.secrets()...)
	req.Notes = b.notes
	return req, nil
}

// addAssertion adds a client assertion where the client secret would have
// gone, as node-auth0 4.x's addClientAuthentication: after the body, unless
// the caller gave a client_secret or a client_assertion of their own.
func (b *builder) addAssertion() error {
	if !b.assert || b.data.value("client_secret").truthy() || !b.data.value("client_assertion").undefined {
		return nil
	}
	return b.signAssertion()
}

// signAssertion signs a client assertion for the body's client_id (else the
// client's id) and sets client_assertion and client_assertion_type.
func (b *builder) signAssertion() error {
	cid, _ := b.data.value("client_id").str()
	if cid == "" {
		cid = b.client.ClientID
	}
	now := time.Now
	if b.client.Now != nil {
		now = b.client.Now
	}
	s := b.client.Assertion
	jwt, err := s.Sign(cid, b.client.BaseURL, now())
	if err != nil {
		return inputErrorf("client-assertion-key", "%s: %v", b.op.Name, err)
	}
	b.data.set("client_assertion", jsString(jwt))
	b.data.set("client_assertion_type", jsString(ClientAssertionType))
	b.notes = append(b.notes, fmt.Sprintf("client_assertion: a %s JWT signed with %s, valid for %s, sent in place of the client secret", s.Alg, escapeText(s.Path, 200), AssertionLifetime))
	return nil
}

// checkForwardedFor refuses an --forwarded-for that is not one IP address
// (node-auth0 documents it as the end user's IP; anything else would only
// reach Auth0 as a header it ignores, or break the request).
func checkForwardedFor(s string) error {
	ip, err := netip.ParseAddr(s)
	if err != nil || ip.Zone() != "" {
		return inputErrorf("forwarded-for", "--forwarded-for must be the end user's IP address, such as 203.0.113.7 or 2001:db8::7, not %s", strconv.Quote(s))
	}
	return nil
}

// readInput sorts the caller's fields into bare-string parameters and body
// fields, refusing what the operation cannot take.
func (b *builder) readInput(v Values) error {
	for _, f := range v.Fields {
		field := b.op.field(f.Name)
		if field != nil && field.Param {
			s, ok := jsValue{raw: f.Raw}.str()
			if !ok {
				return inputErrorf(field.Name, "%s: %s must be a string (give it as %s=…)", b.op.Name, field.Name, field.Name)
			}
			if field.Token {
				s = b.cleanToken(f.Name, s)
			}
			b.params[field.Name] = s
			continue
		}
		switch {
		case b.op.Strict && field == nil:
			b.notes = append(b.notes, fmt.Sprintf("%s does not send the field %q: it takes only %s, and node-auth0 drops the rest", b.op.Name, f.Name, strings.Join(b.op.FieldNames(), ", ")))
		case field == nil:
			b.notes = append(b.notes, fmt.Sprintf("%q is not one of %s's fields (%s); it is sent as given, as node-auth0 passes extra fields on", f.Name, b.op.Name, strings.Join(b.op.FieldNames(), ", ")))
		}
		raw, err := normalizeJSON(f.Raw)
		if err != nil {
			return inputErrorf(f.Name, "%s: the value of %s is not valid JSON: %v", b.op.Name, f.Name, err)
		}
		v := jsValue{raw: raw}
		if s, ok := v.str(); ok && field != nil && field.Token {
			v = jsString(b.cleanToken(f.Name, s))
		}
		b.input.set(f.Name, v)
	}
	return nil
}

// cleanToken cleans a pasted token (CleanToken) and notes what was removed.
// A value that is nothing but what would be removed is kept as given, so the
// SDK's own checks see (and send) exactly what it would.
func (b *builder) cleanToken(name, s string) string {
	clean, notes := CleanToken(s)
	if clean == "" {
		return s
	}
	for _, n := range notes {
		b.notes = append(b.notes, name+": "+n)
	}
	return clean
}

// secrets lists the values in the built body that are secret: the fields the
// catalogue marks secret, plus the secret body names every display path
// redacts (requestSecretFields).
func (b *builder) secrets() []string {
	var out []string
	for _, k := range b.data.keys {
		if !requestSecretFields[k] && !b.op.isSecretField(k) {
			continue
		}
		if s, ok := b.data.value(k).str(); ok && s != "" {
			out = append(out, s)
		}
	}
	for name, s := range b.params {
		if b.op.isSecretField(name) && s != "" {
			out = append(out, s)
		}
	}
	return out
}

// oneOf requires exactly one of two fields, as getDelegationToken does with
// id_token and refresh_token.
type oneOf [2]string

func (o oneOf) apply(b *builder) error {
	for _, k := range o {
		if err := b.notString(k, b.data.value(k), "one of id_token or refresh_token is required"); err != nil {
			return err
		}
	}
	a, c := b.data.value(o[0]).nonBlank(), b.data.value(o[1]).nonBlank()
	switch {
	case !a && !c:
		return inputErrorf(o[0], "%s: one of %s or %s is required (node-auth0: %q)", b.op.Name, o[0], o[1], "one of id_token or refresh_token is required")
	case a && c:
		return inputErrorf(o[1], "%s: give %s or %s, not both (node-auth0: %q)", b.op.Name, o[0], o[1], "id_token and refresh_token fields cannot be specified simulatenously")
	}
	return nil
}

func (o oneOf) rules() []Rule { return []Rule{{"requires", o[0] + " or " + o[1]}} }

// clientAuthAfter is node-auth0 4.x's addClientAuthentication on a body
// already built: the client's secret goes after the fields unless one was
// given (truthy), or, when the client signs assertions, a client_assertion
// does (addAssertion).
type clientAuthAfter struct{}

func (clientAuthAfter) apply(b *builder) error {
	if b.client.Assertion != nil {
		b.assert = true
		return nil
	}
	if !b.data.value("client_secret").truthy() && b.client.ClientSecret != "" {
		b.data.set("client_secret", jsString(b.client.ClientSecret))
	}
	return nil
}

func (clientAuthAfter) rules() []Rule {
	return []Rule{{"default", "client_secret is the profile's client secret unless given, added after the fields (or a client_assertion, with a client assertion key)"}}
}

// requireDefinedMsg is node-auth0 4.x's validateRequiredRequestParams with its message: the
// field must be given, and not null (an empty string passes).
func requireDefinedMsg(key, msg string) check {
	return check{key: key, ok: func(v jsValue) bool { return !v.undefined && v.typeName() != "null" && v.typeName() != "" }, sdkMsg: msg}
}

// clientIDCheck is revokeRefreshToken's: a client id in the data or in the
// profile.
type clientIDCheck struct{}

func (clientIDCheck) apply(b *builder) error {
	if b.data.value("client_id").nonBlank() || b.client.ClientID != "" {
		return nil
	}
	return b.missing("client_id", "Neither token data client_id property or constructor clientId property has been set")
}

func (clientIDCheck) rules() []Rule {
	return []Rule{{"requires", "client_id (given or from the profile)"}}
}

// typeName names the JSON type of v for a sentence ("a number", "null"),
// or "" when v is undefined.
func (v jsValue) typeName() string {
	if v.undefined || len(v.raw) == 0 {
		return ""
	}
	switch c := v.raw[0]; {
	case c == '"':
		return "a string"
	case c == '{':
		return "an object"
	case c == '[':
		return "an array"
	case c == 't' || c == 'f':
		return "a boolean"
	case c == 'n':
		return "null"
	}
	return "a number"
}
