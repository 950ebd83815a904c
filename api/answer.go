package api

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"
	"strings"
)

// Answer is what an operation's 2xx answer holds when the server did what
// was asked. Send checks every 2xx answer against it (checkAnswer).
type Answer int

const (
	answerUnset Answer = iota
	// AnswerTokens: a JSON object with an access_token (the token grants,
	// /oauth/ro and /oauth/access_token).
	AnswerTokens
	// AnswerJSON: a JSON object (a profile, a user, a passwordless start,
	// a delegation token).
	AnswerJSON
	// AnswerText: a body that is not empty, text or JSON (change password's
	// "We've just sent you an email…", impersonation's URL).
	AnswerText
	// AnswerAny: anything, nothing included (revoking a refresh token
	// answers an empty 200).
	AnswerAny
	// AnswerURL: nothing is sent; the URL built is the answer
	// (Operation.URLOnly).
	AnswerURL
)

// String says what the answer holds, to end a sentence: "… returns a JSON
// object with an access_token".
func (a Answer) String() string {
	switch a {
	case AnswerTokens:
		return "a JSON object with an access_token"
	case AnswerJSON:
		return "a JSON object"
	case AnswerText:
		return "a text or JSON body"
	case AnswerAny:
		return "any body, or none"
	case AnswerURL:
		return "the URL it builds (nothing is sent)"
	}
	return "an unknown answer"
}

// checkAnswer says what is wrong with a 2xx answer to op: an empty body, a
// body that is not JSON, an error object, or no access_token, as op.Returns
// expects. It returns nil when the answer is what op returns (or when op
// says nothing of its answer). Secrets in the sentence go through red.
func checkAnswer(op *Operation, resp *Response, red *Redactor) *Error {
	if op == nil || resp == nil || op.Returns == answerUnset {
		return nil
	}
	want := op.Returns
	status := escapeText(red.String(resp.StatusText), 128)
	fail := func(format string, a ...any) *Error {
		what := fmt.Sprintf(format, a...)
		return &Error{Kind: ErrAnswer, Status: resp.Status, Msg: red.String(fmt.Sprintf(
			"the %s answer %s, but %s returns %s", status, what, op.Name, want))}
	}
	body := bytes.TrimSpace(resp.Body)

	if obj, ok := jsonObject(body); ok && jsonString(obj["error"]) != "" && jsonString(obj["access_token"]) == "" {
		code, desc, _ := auth0Error(obj, "")
		code, desc = red.String(code), red.String(desc)
		parts := []string{"the " + status + " answer is an error object"}
		if code != "" {
			parts = append(parts, escapeText(code, 128))
		}
		if desc != "" {
			parts = append(parts, escapeText(desc, 1024))
		}
		return &Error{Kind: ErrAnswer, Status: resp.Status, Code: code, Description: desc,
			Msg: red.String(strings.Join(parts, ": "))}
	}

	switch want {
	case AnswerAny, AnswerURL:
		return nil
	case AnswerText:
		if len(body) == 0 {
			return fail("has an empty body")
		}
		return nil
	}

	if len(body) == 0 {
		return fail("has an empty body")
	}
	if !json.Valid(body) {
		if stopsShort(body) {
			return fail("is JSON that stops short")
		}
		ct := resp.Header.Get("Content-Type")
		if mt, _, err := mime.ParseMediaType(ct); err == nil {
			ct = mt
		}
		if ct == "" {
			ct = "no content type"
		}
		return fail("is not JSON (%s body: %s)", escapeText(ct, 64), escapeText(red.String(string(body)), 128))
	}
	obj, ok := jsonObject(body)
	if !ok {
		return fail("is a JSON %s, not an object", jsonKind(body))
	}
	if want == AnswerTokens && jsonString(obj["access_token"]) == "" {
		return fail("has no access_token")
	}
	return nil
}

// stopsShort reports whether body is the start of a JSON value cut before
// its end.
func stopsShort(body []byte) bool {
	var v any
	err := json.NewDecoder(bytes.NewReader(body)).Decode(&v)
	return errors.Is(err, io.ErrUnexpectedEOF)
}

// jsonKind names the kind of a valid JSON value.
func jsonKind(body []byte) string {
	switch body[0] {
	case '[':
		return "array"
	case '"':
		return "string"
	case 'n':
		return "null"
	case 't', 'f':
		return "boolean"
	}
	return "number"
}
