package config

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"reflect"
	"sort"
	"strings"
	"unicode/utf8"

	"auth0-explorer/api/safetext"
)

// LoadError is a profiles file that could not be read as one: its path, the
// line (and column) where reading stopped, and why. The file is never
// overwritten while it stays so.
type LoadError struct {
	Path         string
	Line, Column int
	Msg          string
}

func (e *LoadError) Error() string {
	if e.Line > 0 {
		return fmt.Sprintf("%s line %d: %s", e.Path, e.Line, e.Msg)
	}
	return fmt.Sprintf("%s: %s", e.Path, e.Msg)
}

// document is the profiles file in memory.
type document struct {
	Version  int
	Default  string
	Profiles map[string]*Profile
	extra    map[string][]byte // unknown top-level keys, kept verbatim
	// keepOut is why this file must not be written back (bytes that would
	// not survive a rewrite), or "".
	keepOut string
}

func newDocument() *document {
	return &document{Version: FileVersion, Profiles: map[string]*Profile{}}
}

func (d *document) names() []string {
	names := make([]string, 0, len(d.Profiles))
	for n := range d.Profiles {
		names = append(names, n)
	}
	sort.Strings(names)
	return names
}

// The typed view of the file, used to find type mistakes with their offset.
type fileProfile struct {
	Domain                string   `json:"domain"`
	ClientID              string   `json:"client_id"`
	ClientSecret          string   `json:"client_secret"`
	ClientSecretKeyring   string   `json:"client_secret_keyring"`
	Audience              string   `json:"audience"`
	Scope                 string   `json:"scope"`
	Realm                 string   `json:"realm"`
	Algorithms            []string `json:"algorithms"`
	SecretBase64          bool     `json:"secret_base64"`
	SkipIDTokenValidation bool     `json:"skip_id_token_validation"`
	Organization          string   `json:"organization"`
	RedirectURI           string   `json:"redirect_uri"`
	ClientAssertionKey    string   `json:"client_assertion_key"`
	ClientAssertionAlg    string   `json:"client_assertion_alg"`
	ClientAssertionKid    string   `json:"client_assertion_kid"`
	Production            *bool    `json:"production"`
}

type fileTop struct {
	Version  *int                    `json:"version"`
	Default  string                  `json:"default"`
	Profiles map[string]*fileProfile `json:"profiles"`
}

var knownTop = keySet(reflect.TypeFor[fileTop]())
var knownProfile = keySet(reflect.TypeFor[fileProfile]())

func keySet(t reflect.Type) map[string]bool {
	m := map[string]bool{}
	for i := range t.NumField() {
		m[strings.Split(t.Field(i).Tag.Get("json"), ",")[0]] = true
	}
	return m
}

// parseDocument reads a profiles file. A file that is not JSON, or whose
// known keys have the wrong type, is a *LoadError with its line. A file of
// a newer version whose layout this version cannot follow comes back with
// no profiles and newer set, not as an error: it is not corrupt.
func parseDocument(path string, data []byte) (doc *document, warnings []string, err error) {
	at := func(off int64, msg string) *LoadError {
		line, col := position(data, off)
		return &LoadError{Path: path, Line: line, Column: col, Msg: msg}
	}
	trimmed := bytes.TrimSpace(data)
	if len(trimmed) == 0 {
		return nil, nil, &LoadError{Path: path, Line: 1, Column: 1, Msg: "the file is empty; it should hold a JSON object such as {\"version\": 1, \"profiles\": {}}"}
	}
	// json.Unmarshal checks the syntax of the whole input before decoding,
	// so this one pass finds both a syntax error and a non-object.
	var raw map[string]json.RawMessage
	if err := json.Unmarshal(data, &raw); err != nil || raw == nil {
		var se *json.SyntaxError
		if errors.As(err, &se) {
			return nil, nil, at(se.Offset-1, "not valid JSON: "+strings.TrimPrefix(se.Error(), "json: "))
		}
		off := int64(bytes.IndexByte(data, trimmed[0]))
		return nil, nil, at(off, "the file should hold a JSON object, such as {\"version\": 1, \"profiles\": {}}")
	}

	version := FileVersion
	if v, ok := raw["version"]; ok {
		if err := json.Unmarshal(v, &version); err != nil || version < 1 {
			return nil, nil, at(keyOffset(data, "version"), fmt.Sprintf("\"version\" should be a whole number from 1, not %s", excerpt(string(v), 40)))
		}
	}
	newer := version > FileVersion

	var top fileTop
	if err := json.Unmarshal(data, &top); err != nil {
		if newer {
			d := newDocument()
			d.Version = version
			return d, []string{fmt.Sprintf("%s was written by a newer auth0-explorer (file version %d) in a layout this version cannot read; going on with no profiles and leaving it as it is", path, version)}, nil
		}
		var te *json.UnmarshalTypeError
		if errors.As(err, &te) {
			return nil, nil, at(te.Offset-1, typeMsg(te))
		}
		return nil, nil, &LoadError{Path: path, Msg: err.Error()}
	}

	doc = newDocument()
	doc.Version = version
	doc.Default = top.Default
	if off := invalidUTF8(data); off >= 0 {
		// Decoding turned those bytes into U+FFFD; writing the file back
		// would change them for good.
		line, _ := position(data, int64(off))
		doc.keepOut = fmt.Sprintf("%s holds bytes that are not UTF-8 (line %d): it is read but not written back by auth0-explorer, so they are not changed; correct them in an editor", path, line)
	}
	for k, v := range raw {
		if !knownTop[k] {
			if doc.extra == nil {
				doc.extra = map[string][]byte{}
			}
			doc.extra[k] = v
		}
	}
	var rawProfiles map[string]map[string]json.RawMessage
	_ = json.Unmarshal(raw["profiles"], &rawProfiles) // the typed pass above accepted it
	for name, fp := range top.Profiles {
		if fp == nil {
			return nil, nil, at(keyOffset(data, name), fmt.Sprintf("profile %q is null; it should be an object with at least \"domain\"", name))
		}
		p := &Profile{
			Name: name, Domain: fp.Domain, ClientID: fp.ClientID, Audience: fp.Audience,
			Scope: fp.Scope, Realm: fp.Realm, Algorithms: fp.Algorithms, SecretBase64: fp.SecretBase64,
			SkipIDTokenValidation: fp.SkipIDTokenValidation, Organization: fp.Organization,
			RedirectURI: fp.RedirectURI,
			Production:  fp.Production, ClientAssertionKey: fp.ClientAssertionKey,
			ClientAssertionAlg: fp.ClientAssertionAlg, ClientAssertionKid: fp.ClientAssertionKid,
		}
		switch {
		case fp.ClientSecretKeyring != "":
			p.Secret, p.keyringRef = SecretKeyring, fp.ClientSecretKeyring
			if fp.ClientSecret != "" {
				warnings = append(warnings, fmt.Sprintf("profile %q has both client_secret and client_secret_keyring in %s; the keyring entry is used", name, path))
			}
		case fp.ClientSecret != "":
			p.Secret, p.ClientSecret = SecretFile, fp.ClientSecret
		}
		for k, v := range rawProfiles[name] {
			if !knownProfile[k] {
				if p.extra == nil {
					p.extra = map[string][]byte{}
				}
				p.extra[k] = v
			}
		}
		if p.Domain == "" {
			warnings = append(warnings, fmt.Sprintf("profile %q in %s has no domain", name, path))
		} else if _, err := NormalizeDomain(p.Domain); err != nil {
			warnings = append(warnings, fmt.Sprintf("profile %q in %s: %v", name, path, err))
		}
		doc.Profiles[name] = p
	}
	if doc.Default != "" && doc.Profiles[doc.Default] == nil {
		warnings = append(warnings, fmt.Sprintf("the default profile %q named in %s does not exist; there is no default", doc.Default, path))
		doc.Default = ""
	}
	sort.Strings(warnings)
	return doc, warnings, nil
}

// marshal writes the document in a stable, human-friendly layout: version,
// default, profiles (by name), each profile's known keys in a fixed order,
// then any keys this version does not know, kept verbatim.
func (d *document) marshal() ([]byte, error) {
	var o object
	o.add("version", d.Version)
	if d.Default != "" {
		o.add("default", d.Default)
	}
	var ps object
	for _, name := range d.names() {
		ps.addRaw(name, d.Profiles[name].marshal())
	}
	o.addRaw("profiles", ps.bytes())
	o.addExtra(d.extra, knownTop)
	var buf bytes.Buffer
	if err := json.Indent(&buf, o.bytes(), "", "  "); err != nil {
		return nil, err
	}
	buf.WriteByte('\n')
	return buf.Bytes(), nil
}

func (p *Profile) marshal() []byte {
	var o object
	o.add("domain", p.Domain)
	o.add("client_id", p.ClientID)
	switch p.Secret {
	case SecretKeyring:
		o.add("client_secret_keyring", p.keyringRef)
	case SecretFile:
		o.add("client_secret", p.ClientSecret)
	}
	o.addIf("audience", p.Audience)
	o.addIf("scope", p.Scope)
	o.addIf("realm", p.Realm)
	if len(p.Algorithms) > 0 {
		o.add("algorithms", p.Algorithms)
	}
	if p.SecretBase64 {
		o.add("secret_base64", true)
	}
	if p.SkipIDTokenValidation {
		o.add("skip_id_token_validation", true)
	}
	o.addIf("organization", p.Organization)
	o.addIf("redirect_uri", p.RedirectURI)
	o.addIf("client_assertion_key", p.ClientAssertionKey)
	o.addIf("client_assertion_alg", p.ClientAssertionAlg)
	o.addIf("client_assertion_kid", p.ClientAssertionKid)
	if p.Production != nil {
		o.add("production", *p.Production)
	}
	o.addExtra(p.extra, knownProfile)
	return o.bytes()
}

// object builds a JSON object with keys in the order they are added.
type object struct{ buf bytes.Buffer }

func (o *object) addRaw(k string, v []byte) {
	if o.buf.Len() > 0 {
		o.buf.WriteByte(',')
	}
	o.buf.Write(encode(k))
	o.buf.WriteByte(':')
	o.buf.Write(v)
}

func (o *object) add(k string, v any) { o.addRaw(k, encode(v)) }

func (o *object) addIf(k, v string) {
	if v != "" {
		o.add(k, v)
	}
}

func (o *object) addExtra(extra map[string][]byte, known map[string]bool) {
	keys := make([]string, 0, len(extra))
	for k := range extra {
		if !known[k] {
			keys = append(keys, k)
		}
	}
	sort.Strings(keys)
	for _, k := range keys {
		o.addRaw(k, extra[k])
	}
}

func (o *object) bytes() []byte { return append(append([]byte{'{'}, o.buf.Bytes()...), '}') }

// encode is json.Marshal without HTML escaping, so URLs stay readable.
func encode(v any) []byte {
	var b bytes.Buffer
	e := json.NewEncoder(&b)
	e.SetEscapeHTML(false)
	_ = e.Encode(v) // strings, bools, ints and string slices always encode
	return bytes.TrimRight(b.Bytes(), "\n")
}

// position turns a byte offset into a 1-based line and column.
func position(data []byte, off int64) (line, col int) {
	off = max(0, min(off, int64(len(data))))
	before := data[:off]
	line = 1 + bytes.Count(before, []byte{'\n'})
	col = 1 + len(before) - (bytes.LastIndexByte(before, '\n') + 1)
	return line, col
}

// keyOffset is the offset of the first "key" in data (0 when absent).
func keyOffset(data []byte, key string) int64 {
	return int64(max(0, bytes.Index(data, encode(key))))
}

func typeMsg(te *json.UnmarshalTypeError) string {
	want := map[string]string{
		"string": "a string", "[]string": "a list of strings", "bool": "true or false",
		"int": "a whole number",
	}[te.Type.String()]
	if want == "" {
		if te.Type.Kind() == reflect.Map {
			want = "an object"
		} else {
			want = "a " + te.Type.String()
		}
	}
	field := te.Field
	if field == "" {
		field = "the value"
	} else {
		field = "\"" + field + "\""
	}
	return fmt.Sprintf("%s should be %s, not a JSON %s", field, want, te.Value)
}

// invalidUTF8 is the offset of the first byte of data that is not UTF-8,
// or -1.
func invalidUTF8(data []byte) int {
	for i := 0; i < len(data); {
		r, size := utf8.DecodeRune(data[i:])
		if r == utf8.RuneError && size <= 1 {
			return i
		}
		i += size
	}
	return -1
}

// excerpt is s cut to at most n runes (an ellipsis marks the cut), with
// control characters and invalid bytes escaped (safetext.Escape), for
// quoting a value in a sentence.
func excerpt(s string, n int) string { return safetext.Escape(truncate(s, n)) }
