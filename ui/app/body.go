package app

import (
	"bytes"
	"encoding/json"
)

// Prettify indents a JSON body, keeping its key order and numbers as sent,
// and ends it with a newline; any other body comes back as it came, with a
// final newline.
func Prettify(body []byte) []byte {
	var buf bytes.Buffer
	if json.Valid(body) && json.Indent(&buf, body, "", "  ") == nil {
		buf.WriteByte('\n')
		return buf.Bytes()
	}
	if !bytes.HasSuffix(body, []byte("\n")) {
		return append(append([]byte{}, body...), '\n')
	}
	return body
}
