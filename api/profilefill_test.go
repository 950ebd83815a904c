package api

import (
	"strings"
	"testing"
)

// TestProfileFillsEveryOperation states, for every catalogue operation,
// which fields a profile's audience (A), scope (S) and realm (R) fill. A
// new operation must be added here: the decision is per operation.
func TestProfileFillsEveryOperation(t *testing.T) {
	want := map[string]string{
		"passwordGrant":                       "audience=A scope=S realm=R",
		"oauth.passwordGrant":                 "audience=A scope=S realm=R",
		"oauth.signIn":                        "scope=S connection=R",
		"database.signIn":                     "scope=S connection=R",
		"oauth.socialSignIn":                  "scope=S", // a social connection is not the profile's realm
		"oauth.authorizationCodeGrant":        "",
		"clientCredentialsGrant":              "audience=A", // no sign-in scope: Auth0 refuses scopes not granted
		"oauth.clientCredentialsGrant":        "audience=A",
		"refreshToken":                        "", // no scope: Auth0 keeps the granted ones
		"oauth.refreshToken":                  "",
		"tokens.revokeRefreshToken":           "",
		"oauth.revokeRefreshToken":            "",
		"getDelegationToken":                  "",
		"tokens.getDelegationToken":           "",
		"tokens.getInfo":                      "",
		"requestEmailCode":                    "",
		"requestMagicLink":                    "",
		"verifyEmailCode":                     "",
		"requestSMSCode":                      "",
		"verifySMSCode":                       "",
		"passwordless.sendEmail":              "",
		"passwordless.sendSMS":                "",
		"passwordless.signIn":                 "scope=S", // realm and connection are email or sms
		"database.signUp":                     "connection=R",
		"changePassword":                      "connection=R",
		"database.changePassword":             "connection=R",
		"requestChangePasswordEmail":          "connection=R",
		"database.requestChangePasswordEmail": "connection=R",
		"getProfile":                          "",
		"users.getInfo":                       "",
		"users.impersonate":                   "",
		// issue 12's grants: audience and scope belong to /authorize for a
		// code, to the start of a device flow, not to its polling.
		"oauth.authorizationCodeGrantWithPKCE": "",
		"oauth.deviceAuthorization":            "audience=A scope=S",
		"oauth.deviceCodeGrant":                "",
		"passwordless.loginWithEmail":          "audience=A scope=S",
		"passwordless.loginWithSMS":            "audience=A scope=S",
		"discovery.openidConfiguration":        "",
		"discovery.jwks":                       "",
		"oauth.buildAuthorizeUrl":              "audience=A scope=S",
		"oauth.buildLogoutUrl":                 "",
		"oauth.buildOidcLogoutUrl":             "",
		"oauth.pushedAuthorization":            "audience=A scope=S",
		// The MFA grants finish the sign-in that asked for the audience
		// and scope; the mfa_token carries them.
		"mfa.challenge":           "",
		"mfa.verifyOTP":           "",
		"mfa.verifyOOB":           "",
		"mfa.verifyRecoveryCode":  "",
		"mfa.associate":           "",
		"mfa.listAuthenticators":  "",
		"mfa.deleteAuthenticator": "",
		// CIBA and token exchange sign a user in: the start of CIBA and the
		// exchange take the sign-in audience and scope; polling does not,
		// nor the federated grant (its connection is a social one).
		"backchannel.authorize":               "audience=A scope=S",
		"backchannel.backchannelGrant":        "",
		"tokenExchange.exchangeToken":         "audience=A scope=S",
		"tokenExchange.getTokenForConnection": "",
	}
	p := ProfileDefaults{Audience: "A", Scope: "S", Realm: "R"}
	for _, op := range Operations() {
		w, ok := want[op.Name]
		if !ok {
			t.Errorf("%s: not in the table; decide which profile values fill it", op.Name)
			continue
		}
		delete(want, op.Name)
		var got []string
		for _, f := range ProfileFills(op, nil, p) {
			got = append(got, f.Field+"="+f.Value)
			if fd := op.Field(f.Field); fd == nil || fd.Profile != f.From {
				t.Errorf("%s: fill %s does not match the catalogue's from_profile", op.Name, f.Field)
			}
		}
		if g := strings.Join(got, " "); g != w {
			t.Errorf("%s: fills %q, want %q", op.Name, g, w)
		}
	}
	for name := range want {
		t.Errorf("%s: in the table but not in the catalogue", name)
	}
}

func TestProfileFillsKeepsGivenValuesAndSkipsEmptyOnes(t *testing.T) {
	op := ByName("verifySMSCode") // no profile fields at all
	if f := ProfileFills(op, nil, ProfileDefaults{"A", "S", "R"}); len(f) != 0 {
		t.Errorf("verifySMSCode: %v", f)
	}
	op = ByName("passwordGrant")
	// Given fields win, even empty ones; an empty profile value fills nothing.
	f := ProfileFills(op, []Value{String("scope", ""), String("realm", "given")}, ProfileDefaults{Audience: "A", Scope: "S"})
	if len(f) != 1 || f[0] != (Fill{Field: "audience", From: FromAudience, Value: "A"}) {
		t.Errorf("passwordGrant: %v", f)
	}
	// An alias counts as the field given.
	op = ByName("getDelegationToken")
	if f := ProfileFills(op, []Value{String("targetClientId", "x")}, ProfileDefaults{"A", "S", "R"}); len(f) != 0 {
		t.Errorf("getDelegationToken: %v", f)
	}
	if ProfileFills(nil, nil, ProfileDefaults{"A", "S", "R"}) != nil {
		t.Error("a nil operation has fills")
	}
}

func TestFillNoteEscapesTheValue(t *testing.T) {
	n := Fill{Field: "scope", From: FromScope, Value: "openid\x1b[31m"}.Note("dev")
	if strings.ContainsRune(n, 0x1b) || !strings.HasPrefix(n, "scope=openid") || !strings.HasSuffix(n, " from profile dev") {
		t.Errorf("note %q", n)
	}
}

// TestFromProfileValuesAreKnown: every field's from_profile names a profile
// value, and client id and secret stay with the builder.
func TestFromProfileValuesAreKnown(t *testing.T) {
	for _, op := range Operations() {
		for _, f := range op.Fields {
			switch f.Profile {
			case "", FromAudience, FromScope, FromRealm:
			case FromClientID, FromClientSecret:
				if f.Name != f.Profile {
					t.Errorf("%s.%s: from_profile %s on another field", op.Name, f.Name, f.Profile)
				}
			default:
				t.Errorf("%s.%s: unknown from_profile %q", op.Name, f.Name, f.Profile)
			}
		}
	}
}
