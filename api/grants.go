package api

import "strings"

// Grants of today's Authentication API that node-auth0 v2 has no method for
// (issue 12): the authorization code exchange with PKCE, the passwordless
// otp logins, and the device authorization flow. They are listed in the
// catalogue (catalog.go) by these variables. Their requests follow the newer
// SDKs and Auth0's documented bodies, as each entry's Origin says; there are
// no recorded v2 fixtures for them.

const (
	grantDeviceCode = "urn:ietf:params:oauth:grant-type:device_code"

	groupDevice = "Device"

	originV4    = "node-auth0 v4 (and go-auth0); no node-auth0 v2 method"
	originDocs  = "Auth0's Authentication API docs (RFC 8628) and go-auth0; neither node-auth0 v2 nor v4 has a method"
	originAPI   = "Auth0's Authentication API docs; no node-auth0 v2 method"
	authOptSecr = "client id in the body; client secret too when the profile has one (public clients send none)"
)

// rename moves the caller's fields to the body names the grant sends, as
// node-auth0 v4 destructures them (`const { email: username, code: otp,
// ...rest } = body; { ...rest, username, otp }`): each body key takes the
// first truthy of its sources (or the last one's value), and the other
// sources are not sent. Fields not named pass on as given.
type rename []struct {
	key  string
	from []string // the caller's names, the body key last
}

func (r rename) apply(b *builder) error {
	for _, p := range r {
		v := undefinedValue()
		for _, f := range p.from {
			v = b.data.value(f)
			if v.truthy() {
				break
			}
		}
		for _, f := range p.from {
			if f != p.key && !b.data.value(f).undefined {
				b.data.set(f, undefinedValue())
			}
		}
		b.data.set(p.key, v)
	}
	return nil
}

func (r rename) rules() []Rule {
	var out []Rule
	for _, p := range r {
		out = append(out, Rule{"default", p.key + " is taken from " + strings.Join(p.from, " or ")})
	}
	return out
}

// passwordlessLogin is node-auth0 v4's Passwordless.loginWithEmail or
// loginWithSMS: the passwordless otp grant with realm email or sms, the
// address as username and the code as otp.
func passwordlessLogin(realm, address string) []step {
	return []step{
		takeInput{},
		rename{{"username", []string{address, "username"}}, {"otp", []string{"code", "otp"}}},
		requireNonBlank("username", ""),
		requireNonBlank("otp", ""),
		force{"realm", realm},
		force{"grant_type", grantOTP},
		defaults{{"client_id", profileID}, {"client_secret", profileSecret}},
		endpoint("/oauth/token"),
	}
}

var (
	opPKCEGrant = &Operation{
		Name: "oauth.authorizationCodeGrantWithPKCE", Group: groupSignIn, IDToken: true, Origin: originV4,
		Summary: "Exchange an authorization code from /authorize, asked with a PKCE code_challenge, for tokens: with its code_verifier; the client secret is optional (public clients have none).",
		Method:  "POST", Path: "/oauth/token", Auth: authOptSecr, Returns: AnswerTokens,
		Fields: fields(
			Field{Name: "code", Required: true, Secret: true, Help: "the authorization code from the redirect"},
			Field{Name: "code_verifier", Required: true, Secret: true, Help: "the PKCE code verifier whose S256 hash was the code_challenge sent to /authorize"},
			Field{Name: "redirect_uri", Help: "the redirect_uri sent to /authorize, when one was sent"},
			fClientID,
			Field{Name: "client_secret", Profile: FromClientSecret, Secret: true, Help: "the application's client secret; the profile's unless given; none for a public client"}),
		// As node-auth0 v4 sends it: code and code_verifier required,
		// redirect_uri passed on when given, client authentication added.
		steps: []step{
			takeInput{},
			requireNonBlank("code", ""),
			requireNonBlank("code_verifier", ""),
			defaults{{"grant_type", lit(grantCode)}, {"client_id", profileID}, {"client_secret", profileSecret}},
			endpoint("/oauth/token"),
		},
	}

	opDeviceAuthorization = &Operation{
		Name: "oauth.deviceAuthorization", Group: groupDevice, Origin: originDocs,
		Summary: "Start the device flow (a TV, a CLI): get a device_code to poll with and a user_code the user enters at verification_uri.",
		Method:  "POST", Path: "/oauth/device/code", Auth: authID, Returns: AnswerJSON,
		Fields: fields(fClientID, fLoginScope, fAudience),
		// Auth0's documented body: client_id, scope, audience; no secret.
		steps: []step{
			takeInput{},
			defaults{{"client_id", profileID}},
			endpoint("/oauth/device/code"),
		},
	}

	opDeviceCodeGrant = &Operation{
		Name: "oauth.deviceCodeGrant", Group: groupDevice, IDToken: true, Origin: originDocs,
		Summary: "Poll for the tokens of a device flow: authorization_pending until the user approves, slow_down when polled faster than interval, expired_token once the code expires.",
		Method:  "POST", Path: "/oauth/token", Auth: authID, Returns: AnswerTokens,
		Fields: fields(
			Field{Name: "device_code", Required: true, Secret: true, Help: "the device_code from oauth.deviceAuthorization"},
			fClientID),
		// Auth0's documented body: grant_type, device_code, client_id.
		steps: []step{
			takeInput{},
			requireNonBlank("device_code", ""),
			defaults{{"grant_type", lit(grantDeviceCode)}, {"client_id", profileID}},
			endpoint("/oauth/token"),
		},
	}

	opLoginWithEmail = &Operation{
		Name: "passwordless.loginWithEmail", Group: groupPasswordless, IDToken: true, Origin: originV4,
		Summary: "Log in with the code a passwordless email sent (the otp grant, realm email), as node-auth0 v4 names it.",
		Method:  "POST", Path: "/oauth/token", Auth: authSecret, Returns: AnswerTokens,
		Fields: fields(
			Field{Name: "email", Aliases: []string{"username"}, Required: true, Help: "the email address the code went to (sent as username)"},
			Field{Name: "code", Aliases: []string{"otp"}, Required: true, Secret: true, Help: "the code from the email (sent as otp)"},
			fLoginScope, fAudience, fClientID, fClientSecret),
		steps: passwordlessLogin("email", "email"),
	}

	opLoginWithSMS = &Operation{
		Name: "passwordless.loginWithSMS", Group: groupPasswordless, IDToken: true, Origin: originV4,
		Summary: "Log in with the code a passwordless SMS sent (the otp grant, realm sms), as node-auth0 v4 names it.",
		Method:  "POST", Path: "/oauth/token", Auth: authSecret, Returns: AnswerTokens,
		Fields: fields(
			Field{Name: "phone_number", Aliases: []string{"username"}, Required: true, Help: "the phone number the code went to, E.164 (sent as username)"},
			Field{Name: "code", Aliases: []string{"otp"}, Required: true, Secret: true, Help: "the code from the text (sent as otp)"},
			fLoginScope, fAudience, fClientID, fClientSecret),
		steps: passwordlessLogin("sms", "phone_number"),
	}
)
