package api

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/url"
	"sort"
	"strings"

	"github.com/aymanbagabas/go-udiff"
)

// The difference between the two SDK generations for the same inputs: what
// node-auth0 v2 and 4.x would send for one operation and one set of values,
// built (never sent) and shown line by line. People migrating from v2 ask
// exactly that.

// SDKComparison is one operation built as both generations send it. A side
// the generation refuses has its Err (one sentence) and no Request.
type SDKComparison struct {
	Operation string
	SDKs      [2]string // SDKv2, SDKv4
	Requests  [2]*Request
	Errs      [2]error
}

// OtherSDK is the generation that is not sdk ("" counts as v2).
func OtherSDK(sdk string) string {
	if sdk == SDKv4 {
		return SDKv2
	}
	return SDKv4
}

// HasBothWires reports whether both generations send op, each its own way
// (a v2 operation with a 4.x Wire).
func (op *Operation) HasBothWires() bool { return op.V4 != nil && op.Origin == "" }

// CompareSDKs builds op from v as node-auth0 v2 and as 4.x would send it
// (v.SDK is ignored). The error is one sentence when op is not sent by both
// generations; each side's refusal is in the comparison's Errs.
func (c *Client) CompareSDKs(op *Operation, v Values) (*SDKComparison, error) {
	if !op.HasBothWires() {
		return nil, inputErrorf("compare-sdk", "%s is not an operation node-auth0 v2 and v4 both have, each sending it its own way: there is nothing to compare", op.Name)
	}
	cmp := &SDKComparison{Operation: op.Name, SDKs: [2]string{SDKv2, SDKv4}}
	for i, sdk := range cmp.SDKs {
		w := v
		w.SDK = sdk
		cmp.Requests[i], cmp.Errs[i] = c.Build(op, w)
	}
	return cmp, nil
}

// RequestLines is r as lines to compare: the method and URL, the headers
// (lower-case, sorted), then the body's fields in the order sent, one a
// line, each value as JSON (a form value is a string), so that a JSON body
// and a form body with the same fields show the same lines. Unless reveal,
// secrets are redacted as every display path redacts them.
func RequestLines(r *Request, reveal bool) string {
	red := NewRedactor(r.Secrets)
	if reveal {
		red = nil
	}
	var b strings.Builder
	shownURL := r.URL
	if red != nil {
		shownURL = red.String(r.URL)
	}
	fmt.Fprintf(&b, "%s %s\n", r.Method, shownURL)
	names := make([]string, 0, len(r.Header))
	for n := range r.Header {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		for _, hv := range r.Header[n] {
			if red != nil {
				hv = red.Header(n, hv)
			}
			fmt.Fprintf(&b, "%s: %s\n", strings.ToLower(n), hv)
		}
	}
	if r.Body == nil {
		b.WriteString("(no body)\n")
		return b.String()
	}
	body := r.Body
	if red != nil {
		body = red.RequestBody(body, r.ContentType)
	}
	if isForm(r.ContentType) {
		b.WriteString("body, form-encoded:\n")
		for _, p := range strings.Split(string(body), "&") {
			k, val, _ := strings.Cut(p, "=")
			ku, err1 := url.QueryUnescape(k)
			vu, err2 := url.QueryUnescape(val)
			if err1 != nil || err2 != nil {
				ku, vu = k, val
			}
			fmt.Fprintf(&b, "  %s = %s\n", ku, jsonText(vu))
		}
		return b.String()
	}
	b.WriteString("body, JSON:\n")
	if !writeJSONMembers(&b, body) {
		fmt.Fprintf(&b, "  %s\n", body)
	}
	return b.String()
}

// writeJSONMembers writes the members of the JSON object body, in order,
// one a line as "name = compact JSON"; false when body is not an object.
func writeJSONMembers(b *strings.Builder, body []byte) bool {
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.UseNumber()
	if tok, err := dec.Token(); err != nil || tok != json.Delim('{') {
		return false
	}
	var lines []string
	for dec.More() {
		k, err := dec.Token()
		if err != nil {
			return false
		}
		var raw json.RawMessage
		if err := dec.Decode(&raw); err != nil {
			return false
		}
		var c bytes.Buffer
		if json.Compact(&c, raw) != nil {
			return false
		}
		lines = append(lines, fmt.Sprintf("  %s = %s\n", k, c.String()))
	}
	for _, l := range lines {
		b.WriteString(l)
	}
	return true
}

func jsonText(s string) string {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	_ = enc.Encode(s)
	return strings.TrimSuffix(buf.String(), "\n")
}

// Text is the comparison for a person: each generation's request (or its
// refusal), then their line-by-line difference (a unified diff of
// RequestLines, every line shown), or a sentence saying they are the same.
func (cmp *SDKComparison) Text(reveal bool) string {
	var b strings.Builder
	var lines [2]string
	for i, sdk := range cmp.SDKs {
		fmt.Fprintf(&b, "As node-auth0 %s would send it:\n", sdk)
		if cmp.Errs[i] != nil {
			fmt.Fprintf(&b, "  refused, nothing would be sent: %s\n\n", cmp.Errs[i])
			continue
		}
		lines[i] = RequestLines(cmp.Requests[i], reveal)
		for _, l := range strings.SplitAfter(strings.TrimSuffix(lines[i], "\n"), "\n") {
			b.WriteString("  " + l)
		}
		b.WriteString("\n\n")
	}
	switch {
	case cmp.Errs[0] != nil && cmp.Errs[1] != nil:
		b.WriteString("Neither generation would send these fields.\n")
	case cmp.Errs[0] != nil || cmp.Errs[1] != nil:
		b.WriteString("Only one generation would send these fields; there is no difference to show.\n")
	case lines[0] == lines[1]:
		b.WriteString("The two generations send the same request.\n")
	default:
		fmt.Fprintf(&b, "The difference (- only node-auth0 %s, + only %s):\n", cmp.SDKs[0], cmp.SDKs[1])
		b.WriteString(lineDiff("node-auth0 "+cmp.SDKs[0], "node-auth0 "+cmp.SDKs[1], lines[0], lines[1]))
	}
	return b.String()
}

// lineDiff is a unified diff of a and b showing every line (requests are a
// few dozen lines at most).
func lineDiff(labelA, labelB, a, b string) string {
	d, err := udiff.ToUnified(labelA, labelB, a, udiff.Lines(a, b), strings.Count(a, "\n")+strings.Count(b, "\n")+1)
	if err != nil {
		return fmt.Sprintf("(no difference could be computed: %v)\n", err)
	}
	return d
}
