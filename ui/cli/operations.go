package cli

import (
	"encoding/json"
	"fmt"
	"strings"
	"text/tabwriter"

	"auth0-explorer/api"

	"github.com/spf13/cobra"
)

// operationJSON is one catalogue entry as `operations --json` prints it.
type operationJSON struct {
	Name         string      `json:"name"`
	Group        string      `json:"group"`
	Summary      string      `json:"summary"`
	Deprecated   string      `json:"deprecated,omitempty"`
	Shortcut     string      `json:"shortcut_for,omitempty"`
	Method       string      `json:"method"`
	Path         string      `json:"path"`
	Auth         string      `json:"auth"`
	ForwardedFor bool        `json:"forwarded_for"`
	FormEncoding bool        `json:"form_encoding"`
	IDToken      bool        `json:"validates_id_token"`
	Fields       []api.Field `json:"fields"`
	Rules        []api.Rule  `json:"rules"`
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
						Shortcut: op.Shortcut, Method: op.Method, Path: op.Path, Auth: op.Auth,
						ForwardedFor: op.ForwardedFor, FormEncoding: op.FormAllowed(), IDToken: op.IDToken,
						Fields: op.Fields, Rules: op.Rules(),
					})
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

func printOperations(env *Env, ops []*api.Operation) error {
	tw := tabwriter.NewWriter(env.Stdout, 0, 2, 2, ' ', 0)
	group := ""
	for _, op := range ops {
		if op.Group != group {
			if group != "" {
				fmt.Fprintln(tw)
			}
			group = op.Group
			fmt.Fprintf(tw, "%s\n", group)
		}
		dep := ""
		if op.Deprecated != "" {
			dep = " (deprecated)"
		}
		fmt.Fprintf(tw, "  %s\t%s %s%s\t%s\n", op.Name, op.Method, op.Path, dep, fieldList(op))
	}
	return tw.Flush()
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
