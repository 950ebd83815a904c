package cli

import (
	"errors"
	"fmt"

	"auth0-explorer/config"
	"auth0-explorer/ui/app"

	"github.com/spf13/cobra"
)

// tenantFlags are a command's --domain, --client-id and --client-secret.
type tenantFlags = app.TenantFlags

// tenant is the tenant a command talks to, and the profile it came from.
type tenant = app.Tenant

// tenantFlagsOf reads the tenant flags a command defines; flags it does not
// define count as not given.
func tenantFlagsOf(cmd *cobra.Command) tenantFlags {
	var f tenantFlags
	get := func(name string, v *string, set *bool) {
		if fl := cmd.Flags().Lookup(name); fl != nil && fl.Changed {
			*v, *set = fl.Value.String(), true
		}
	}
	get("domain", &f.Domain, &f.DomainSet)
	get("client-id", &f.ClientID, &f.ClientIDSet)
	get("client-secret", &f.ClientSecret, &f.ClientSecretSet)
	return f
}

// resolveTenant picks the tenant for a command (app.Resolve says how),
// printing the notes and warnings on stderr.
func resolveTenant(env *Env, profile string, flags tenantFlags) (tenant, error) {
	t, notes, err := app.Resolve(env.resolveInput(profile, flags))
	printNotes(env, notes)
	return t, exitOf(err)
}

// resolveInput is what app resolves a tenant from in this environment.
func (e *Env) resolveInput(profile string, flags tenantFlags) app.ResolveInput {
	return app.ResolveInput{Getenv: e.Getenv, Keyring: e.Keyring, Profile: profile, Flags: flags}
}

// printNotes prints app's notes on stderr: "auth0-explorer: note: …" or
// "auth0-explorer: warning: …".
func printNotes(env *Env, notes []app.Note) {
	for _, n := range notes {
		fmt.Fprintln(env.Stderr, "auth0-explorer: "+n.String())
	}
}

// exitOf turns an app.Error into the exit it names; other errors pass.
func exitOf(err error) error {
	var ae *app.Error
	if errors.As(err, &ae) {
		return &exitError{code: ae.Code, msg: ae.Msg}
	}
	return err
}

// openStore opens the profiles of the configuration directory the
// environment names. Without Env.Keyring no keyring is used: tests never
// reach the real one.
func openStore(env *Env) (*config.Store, error) {
	return app.OpenStore(env.Getenv, env.Keyring)
}

// warnStore prints the store's warnings and a file that did not parse.
func warnStore(env *Env, s *config.Store) {
	printNotes(env, app.StoreNotes(s))
}

// storeErr turns a config error into an exit: 2 for what the person must
// change, 1 for a save that failed.
func storeErr(err error) error {
	return exitOf(app.StoreError(err))
}
