package cli

import (
	"encoding/json"
	"fmt"
	"io"
	"os"
	"strings"
	"unicode/utf8"

	"auth0-explorer/api"

	"github.com/spf13/cobra"
	"golang.org/x/term"
)

// operationJSON is one catalogue entry as `operations --json` prints it.
type operationJSON struct {
	Name         string      `json:"name"`
	Group        string      `json:"group"`
	Summary      string      `json:"summary"`
	Deprecated   string      `json:"deprecated,omitempty"`
	Shortcut     string      `json:"shortcut_for,omitempty"`
	Origin       string      `json:"origin,omitempty"`
	Method       string      `json:"method"`
	Path         string      `json:"path"`
	Auth         string      `json:"auth"`
	ForwardedFor bool        `json:"forwarded_for"`
	FormEncoding bool        `json:"form_encoding"`
	IDToken      bool        `json:"validates_id_token"`
	Fields       []api.Field `json:"fields"`
	Rules        []api.Rule  `json:"rules"`
	// SDKs: the generations that have the operation; V4 how 4.x sends it
	// when it differs from the entry above.
	SDKs []string  `json:"sdks"`
	V4   *wireJSON `json:"v4,omitempty"`
}

type wireJSON struct {
	*api.Wire
	Rules []api.Rule `json:"rules"`
}

func newOperationsCmd(env *Env) *cobra.Command {
	var asJSON bool
	cmd := &cobra.Command{
		Use:   "operations [--json]",
		Short: "List every operation with its fields",
		Args:  cobra.NoArgs,
		RunE: func(*cobra.Command, []string) error {
			ops := api.Operations()
			if asJSON {
				out := make([]operationJSON, 0, len(ops))
				for _, op := range ops {
					out = append(out, operationJSON{
						Name: op.Name, Group: op.Group, Summary: op.Summary, Deprecated: op.Deprecated,
						Shortcut: op.Shortcut, Origin: op.Origin, Method: op.Method, Path: op.Path, Auth: op.Auth,
						ForwardedFor: op.ForwardedFor, FormEncoding: op.FormAllowed(), IDToken: op.IDToken,
						Fields: op.Fields, Rules: op.Rules(), SDKs: op.SDKs(),
					})
					if op.V4 != nil {
						out[len(out)-1].V4 = &wireJSON{Wire: op.V4, Rules: op.V4.Rules()}
					}
				}
				b, err := json.MarshalIndent(out, "", "  ")
				if err != nil {
					return err
				}
				_, err = env.Stdout.Write(append(b, '\n'))
				return err
			}
			return printOperations(env, ops)
		},
	}
	cmd.Flags().BoolVar(&asJSON, "json", false, "print the catalogue as JSON")
	return cmd
}

// printOperations lists the catalogue by group in three columns aligned
// within each group: name, endpoint (POST unless marked GET), fields
// (required ones starred). At a terminal the fields wrap under their column;
// into a pipe each operation stays on one line.
func printOperations(env *Env, ops []*api.Operation) error {
	endpoint := func(op *api.Operation) string {
		e := op.Path
		if op.Method != "POST" {
			e = op.Method + " " + e
		}
		if op.Deprecated != "" {
			e += " †"
		}
		return e
	}
	width := terminalWidth(env)
	var b strings.Builder
	for start := 0; start < len(ops); {
		end := start
		nameW, endW := 0, 0
		for ; end < len(ops) && ops[end].Group == ops[start].Group; end++ {
			nameW = max(nameW, len(ops[end].Name))
			endW = max(endW, utf8.RuneCountInString(endpoint(ops[end])))
		}
		if start > 0 {
			b.WriteByte('\n')
		}
		b.WriteString(ops[start].Group + "\n")
		indent := 2 + nameW + 2 + endW + 2
		fieldsW := 0 // no wrapping
		if width > 0 {
			fieldsW = max(width-indent, 24)
		}
		for _, op := range ops[start:end] {
			fmt.Fprintf(&b, "  %-*s  %-*s  ", nameW, op.Name, endW, endpoint(op))
			for i, line := range wrapWords(fieldList(op), fieldsW) {
				if i > 0 {
					b.WriteString(strings.Repeat(" ", indent))
				}
				b.WriteString(line + "\n")
			}
		}
		start = end
	}
	b.WriteString("\nAll POST unless marked. * required. † deprecated by Auth0 ('operations --json' says why and what replaces it).\n")
	_, err := io.WriteString(env.Stdout, b.String())
	return err
}

// terminalWidth is the width of the terminal stdout is, or 0 when it is not
// a terminal.
func terminalWidth(env *Env) int {
	f, ok := env.Stdout.(*os.File)
	if !ok || !term.IsTerminal(int(f.Fd())) {
		return 0
	}
	w, _, err := term.GetSize(int(f.Fd()))
	if err != nil {
		return 0
	}
	return w
}

// wrapWords breaks s into lines of at most width bytes at spaces; width 0
// keeps one line.
func wrapWords(s string, width int) []string {
	if width <= 0 || len(s) <= width {
		return []string{s}
	}
	var lines []string
	line := ""
	for _, w := range strings.Fields(s) {
		if line != "" && len(line)+1+len(w) > width {
			lines = append(lines, line)
			line = ""
		}
		if line != "" {
			line += " "
		}
		line += w
	}
	return append(lines, line)
}

// fieldList is "username* password* realm …": required fields starred.
func fieldList(op *api.Operation) string {
	parts := make([]string, 0, len(op.Fields))
	for _, f := range op.Fields {
		n := f.Name
		if f.Required {
			n += "*"
		}
		parts = append(parts, n)
	}
	return strings.Join(parts, " ")
}
