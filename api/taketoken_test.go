package api

import (
	"slices"
	"testing"
)

// Which operations take which kind of token is catalogue data: the TUI's
// "use it next" lists exactly these.
func TestOperationsTaking(t *testing.T) {
	for _, c := range []struct {
		kind string
		want []string // op.field
	}{
		{TokenAccess, []string{"getProfile.accessToken", "users.getInfo.accessToken"}},
		{TokenRefresh, []string{"refreshToken.refresh_token", "oauth.refreshToken.refresh_token", "tokens.revokeRefreshToken.token", "oauth.revokeRefreshToken.token", "tokenExchange.getTokenForConnection.subject_token"}},
		{TokenID, []string{"getDelegationToken.id_token", "tokens.getDelegationToken.id_token", "tokens.getInfo.idToken", "oauth.buildOidcLogoutUrl.id_token_hint"}},
		{TokenMFA, []string{"mfa.challenge.mfa_token", "mfa.verifyOTP.mfa_token", "mfa.verifyOOB.mfa_token", "mfa.verifyRecoveryCode.mfa_token",
			"mfa.associate.mfa_token", "mfa.listAuthenticators.mfa_token", "mfa.deleteAuthenticator.mfa_token"}},
		{"", nil},
		{"session_token", nil},
	} {
		var got []string
		for _, tk := range OperationsTaking(c.kind) {
			if tk.Op.Field(tk.Field) == nil {
				t.Errorf("%s: %s has no field %s", c.kind, tk.Op.Name, tk.Field)
			}
			got = append(got, tk.Op.Name+"."+tk.Field)
		}
		if !slices.Equal(got, c.want) {
			t.Errorf("OperationsTaking(%q) = %v, want %v", c.kind, got, c.want)
		}
	}
}

// A field that takes a token is a token field, so what comes along with a
// paste is cleaned before it is sent, and a secret, so it is masked.
func TestTokenTakingFieldsAreCleanedAndSecret(t *testing.T) {
	kinds := []string{TokenAccess, TokenRefresh, TokenID, TokenMFA}
	for _, op := range Operations() {
		for _, f := range op.Fields {
			if f.TakesToken == "" {
				continue
			}
			if !slices.Contains(kinds, f.TakesToken) {
				t.Errorf("%s.%s takes an unknown kind %q", op.Name, f.Name, f.TakesToken)
			}
			if !f.Token || !f.Secret {
				t.Errorf("%s.%s takes a token but is not a secret token field", op.Name, f.Name)
			}
		}
	}
}
