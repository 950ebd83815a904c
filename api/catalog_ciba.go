package api

import (
	"encoding/json"
	"strings"
)

// Client-initiated backchannel authentication (CIBA), token exchange and
// the federated connection access token: grants node-auth0 v2 has no method
// for (issue 12). Names and choices:
//
//   - backchannel.authorize and backchannel.backchannelGrant are node-auth0
//     v4's Backchannel methods (auth.backchannel). The user is given as
//     userId (the Auth0 user id, "auth0|…"), from which the request builds
//     the login_hint Auth0 expects, a JSON string
//     {"format":"iss_sub","iss":"https://TENANT/","sub":"auth0|…"} with the
//     profile's domain as iss, as the SDK does; a login_hint given raw goes
//     as given instead (another issuer, a custom domain). The body goes
//     form-encoded, as the SDK sends it and Auth0 documents it.
//   - tokenExchange.exchangeToken is the token-exchange grant (RFC 8693) in
//     both of Auth0's uses: custom token exchange (a subject_token_type URN
//     of your own profile) and native social (Apple's authorization code,
//     Facebook's session token); the type is a field. Auth0's docs define
//     the body; the newer SDKs name the call exchangeToken.
//   - tokenExchange.getTokenForConnection is node-auth0 v4's (later
//     releases) federated connection access token exchange (Token Vault):
//     a refresh token of this tenant for the identity provider's access
//     token of one connection.

const (
	grantCIBA          = "urn:openid:params:grant-type:ciba"
	grantTokenExchange = "urn:ietf:params:oauth:grant-type:token-exchange"
	grantFederated     = "urn:auth0:params:oauth:grant-type:token-exchange:federated-connection-access-token"
	tokenTypeRefresh   = "urn:ietf:params:oauth:token-type:refresh_token"
	tokenTypeFederated = "http://auth0.com/oauth/token-type/federated-connection-access-token"

	groupBackchannel = "Backchannel"
	groupExchange    = "Token exchange"

	originCIBA      = "node-auth0 v4 (auth.backchannel) and Auth0's CIBA documentation; no node-auth0 v2 method"
	originExchange  = "Auth0's Authentication API docs (custom token exchange, native social); no node-auth0 v2 method"
	originFederated = "node-auth0 v4 (tokenExchange.getTokenForConnection) and Auth0's Token Vault documentation; no node-auth0 v2 method"
)

// cibaLoginHint builds the login_hint of /bc-authorize from userId, as
// node-auth0 v4 does: the iss_sub JSON with the tenant as issuer. A raw
// login_hint is sent as given; one of the two is required.
type cibaLoginHint struct{}

func (cibaLoginHint) apply(b *builder) error {
	uid, hint := b.data.value("userId"), b.data.value("login_hint")
	if !uid.undefined {
		b.data.set("userId", undefinedValue())
	}
	if err := b.notString("userId", uid, ""); err != nil {
		return err
	}
	if err := b.notString("login_hint", hint, ""); err != nil {
		return err
	}
	switch {
	case hint.nonBlank():
		if uid.nonBlank() {
			b.notes = append(b.notes, "login_hint was given raw, so userId was not sent")
		}
		return nil
	case !uid.nonBlank():
		return inputErrorf("userId", "%s: the user is missing: give userId (the Auth0 user id, e.g. auth0|64f…) or a raw login_hint", b.op.Name)
	}
	id, _ := uid.str()
	j, err := json.Marshal(struct {
		Format string `json:"format"`
		Iss    string `json:"iss"`
		Sub    string `json:"sub"`
	}{"iss_sub", strings.TrimRight(b.client.BaseURL, "/") + "/", strings.TrimSpace(id)})
	if err != nil {
		return inputErrorf("userId", "%s: userId cannot be sent: %v", b.op.Name, err)
	}
	b.data.set("login_hint", jsString(string(j)))
	return nil
}

func (cibaLoginHint) rules() []Rule {
	return []Rule{{"default", `login_hint is {"format":"iss_sub","iss":"https://TENANT/","sub":userId} unless given raw`}}
}

var (
	opCIBAAuthorize = &Operation{
		Name: "backchannel.authorize", Group: groupBackchannel, FormBody: true, Origin: originCIBA,
		Summary: "Start a client-initiated backchannel authentication (CIBA): Auth0 asks the user on their own device (Guardian push) to approve binding_message; poll backchannel.backchannelGrant with the auth_req_id.",
		Method:  "POST", Path: "/bc-authorize", Auth: authSecret, Returns: AnswerJSON,
		Fields: fields(
			Field{Name: "userId", Aliases: []string{"user_id"}, RequiredUnless: "login_hint", Help: "the Auth0 user id to ask (auth0|64f…); sent as the login_hint JSON {\"format\":\"iss_sub\",\"iss\":\"https://TENANT/\",\"sub\":userId}"},
			Field{Name: "login_hint", Help: "the login_hint JSON string as sent, in place of userId (another issuer, a custom domain)"},
			req(fromProfile(Field{Name: "scope", Help: "space-separated scopes; must include openid (Auth0 refuses the request otherwise)"}, FromScope)),
			Field{Name: "binding_message", Required: true, Help: "the short message the user sees on both devices to match them, e.g. \"Order 7421\""},
			fAudience,
			Field{Name: "requested_expiry", Help: "seconds the request may wait for the user, 1 to 300 (Auth0's default 300)"},
			fClientID, fClientSecret),
		steps: []step{
			takeInput{},
			cibaLoginHint{},
			requireNonBlank("scope", ""),
			requireNonBlank("binding_message", ""),
			defaults{{"client_id", profileID}, {"client_secret", profileSecret}},
			endpoint("/bc-authorize"),
		},
	}

	opCIBAGrant = &Operation{
		Name: "backchannel.backchannelGrant", Group: groupBackchannel, IDToken: true, Origin: originCIBA,
		Summary: "Poll for the tokens of a CIBA request: authorization_pending until the user decides, slow_down when polled faster than interval, access_denied when they refuse, expired_token once it expires.",
		Method:  "POST", Path: "/oauth/token", Auth: authSecret, Returns: AnswerTokens,
		Fields: fields(
			Field{Name: "auth_req_id", Required: true, Secret: true, Help: "the auth_req_id backchannel.authorize answered"},
			fClientID, fClientSecret),
		steps: []step{
			takeInput{},
			requireNonBlank("auth_req_id", ""),
			defaults{{"grant_type", lit(grantCIBA)}, {"client_id", profileID}, {"client_secret", profileSecret}},
			endpoint("/oauth/token"),
		},
	}

	opTokenExchange = &Operation{
		Name: "tokenExchange.exchangeToken", Group: groupExchange, IDToken: true, Origin: originExchange,
		Summary: "Exchange a token from elsewhere for Auth0 tokens (token-exchange grant): custom token exchange with your profile's subject_token_type, or native social (Apple, Facebook).",
		Method:  "POST", Path: "/oauth/token", Auth: authOptSecr, Returns: AnswerTokens,
		Fields: fields(
			// An external issuer's token: it takes no token of this tenant.
			Field{Name: "subject_token", Required: true, Secret: true, Token: true, Help: "the token to exchange (your system's token; Apple's authorization code; Facebook's session token)"},
			Field{Name: "subject_token_type", Required: true, Help: "its type: your custom token exchange profile's URN (urn:acme:legacy-token), or http://auth0.com/oauth/token-type/apple-authz-code, …/facebook-info-session-access-token"},
			fAudience, fLoginScope,
			Field{Name: "user_profile", Help: "native social with Apple: the user's name as Apple gives it on first sign-in, as JSON text"},
			fClientID,
			Field{Name: "client_secret", Profile: FromClientSecret, Secret: true, Help: "the application's client secret; the profile's unless given; none for a native (public) client"}),
		steps: []step{
			takeInput{},
			requireNonBlank("subject_token", ""),
			requireNonBlank("subject_token_type", ""),
			defaults{{"grant_type", lit(grantTokenExchange)}, {"client_id", profileID}, {"client_secret", profileSecret}},
			endpoint("/oauth/token"),
		},
	}

	opFederatedToken = &Operation{
		Name: "tokenExchange.getTokenForConnection", Group: groupExchange, Origin: originFederated,
		Summary: "Get the identity provider's access token for one connection (Token Vault) with a refresh token of this tenant: Google's token for google-oauth2, GitHub's for github.",
		Method:  "POST", Path: "/oauth/token", Auth: authSecret, Returns: AnswerTokens,
		Fields: fields(
			Field{Name: "subject_token", Aliases: []string{"refresh_token"}, Required: true, Secret: true, Token: true, TakesToken: TokenRefresh, Help: "a refresh token of this tenant for the user"},
			Field{Name: "connection", Required: true, Help: "the connection whose provider token you want, e.g. google-oauth2"},
			Field{Name: "login_hint", Help: "the provider account to pick when the user linked several"},
			fClientID, fClientSecret),
		steps: []step{
			takeInput{},
			rename{{"subject_token", []string{"refresh_token", "subject_token"}}},
			requireNonBlank("subject_token", ""),
			requireNonBlank("connection", ""),
			defaults{
				{"grant_type", lit(grantFederated)}, {"client_id", profileID}, {"client_secret", profileSecret},
				{"subject_token_type", lit(tokenTypeRefresh)}, {"requested_token_type", lit(tokenTypeFederated)},
			},
			endpoint("/oauth/token"),
		},
	}
)
