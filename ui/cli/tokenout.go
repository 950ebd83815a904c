package cli

import (
	"encoding/json"
	"fmt"
	"slices"
	"strings"

	"auth0-explorer/ui/app"
)

// printableTokens are what login's and device's --print can print.
var printableTokens = []string{"access_token", "id_token", "refresh_token"}

// checkPrint refuses a --print that names no token.
func checkPrint(print string) error {
	if print != "" && !slices.Contains(printableTokens, print) {
		return usageErr("--print must be %s, not %s", strings.Join(printableTokens, ", "), quoteCut(print, 40))
	}
	return nil
}

// writeTokens prints a token answer: the whole of it, indented, or with
// print only that token's string, for $(…); a token the answer lacks is an
// exit 1 that says which scope asks for it.
func writeTokens(env *Env, answer []byte, print string) error {
	if print == "" {
		env.Stdout.Write(env.shown(app.Prettify(answer)))
		return nil
	}
	var m map[string]json.RawMessage
	var tok string
	if json.Unmarshal(answer, &m) == nil {
		_ = json.Unmarshal(m[print], &tok)
	}
	if tok == "" {
		hint := ""
		switch print {
		case "refresh_token":
			hint = " (ask for it with offline_access in --scope, on an API that allows offline access)"
		case "id_token":
			hint = " (ask for it with openid in --scope)"
		}
		return &exitError{code: 1, msg: fmt.Sprintf("the answer has no %s%s", print, hint)}
	}
	fmt.Fprintln(env.Stdout, tok)
	return nil
}
