package api

// The catalogue: every public method of node-auth0 v2's AuthenticationClient
// (npm auth0@2.44.1, src/auth/), with the steps that build its request the
// way that method does.

const (
	grantPassword      = "password"
	grantPasswordRealm = "http://auth0.com/oauth/grant-type/password-realm"
	grantOTP           = "http://auth0.com/oauth/grant-type/passwordless/otp"
	grantRefresh       = "refresh_token"
	grantClient        = "client_credentials"
	grantCode          = "authorization_code"

	groupSignIn       = "Sign-in"
	groupTokens       = "Tokens"
	groupPasswordless = "Passwordless"
	groupDatabase     = "Database"
	groupUsers        = "Users"
	groupDiscovery    = "Discovery"
	groupURLs         = "Browser URLs"

	authSecret = "client id and client secret in the body"
	authID     = "client id in the body"
	authNone   = "none: the body carries the provider's access token"
	authBearer = "the user's access token as a Bearer header"
	authMgmt   = "a Management API token as a Bearer header"

	deprecatedRO = "Auth0 deprecated /oauth/ro (Resource Owner endpoint); use passwordGrant with realm, or the passwordless otp grant."
)

// Shared field definitions.
var (
	fClientID     = Field{Name: "client_id", Profile: FromClientID, Help: "the application's client id; the profile's unless given"}
	fClientSecret = Field{Name: "client_secret", Profile: FromClientSecret, Secret: true, Help: "the application's client secret; the profile's unless given"}
	fScope        = Field{Name: "scope", Help: "space-separated scopes, e.g. \"openid profile email offline_access\""}
	// fLoginScope is the scope of a grant that signs a user in: the
	// profile's scope (an OIDC sign-in scope) fits it.
	fLoginScope = fromProfile(fScope, FromScope)
	fAudience   = fromProfile(Field{Name: "audience", Help: "identifier of the API the access token is for"}, FromAudience)
	fUsername   = Field{Name: "username", Required: true, Help: "the user's username or email"}
	fPassword   = Field{Name: "password", Required: true, Secret: true, Help: "the user's password"}
	fConnection = fromProfile(Field{Name: "connection", Required: true, Help: "the connection name, e.g. Username-Password-Authentication"}, FromRealm)
	fEmail      = Field{Name: "email", Required: true, Help: "the user's email address"}
	fAuthParams = Field{Name: "authParams", JSON: true, Help: "authorization parameters for the link or code (scope, redirect_uri, state, response_type…), as JSON"}
)

// fromProfile marks f as filled from the profile's value from (FromAudience,
// FromScope, FromRealm) unless given; see ProfileFills. Which fields take
// which value follows Auth0's meaning of the field, not the operation's
// group:
//
//   - scope: the profile's scope is a sign-in scope ("openid profile"). It
//     fills the grants that sign a user in (password, /oauth/ro, social,
//     passwordless otp). Not clientCredentialsGrant: its scopes are API
//     permissions, and Auth0 refuses scopes not granted to the client
//     ("Client has not been granted scopes"). Not refreshToken: without a
//     scope Auth0 keeps the granted scopes, and a scope there can only
//     narrow them. Not delegation: its scope is for the target.
//   - audience: every grant that takes one (password grants, client
//     credentials).
//   - realm: realm of the password grants, and the connection of the
//     /oauth/ro sign-ins and the database operations (a profile's realm is
//     its database connection). Not passwordless (email or sms) nor social
//     connections.
func fromProfile(f Field, from string) Field {
	f.Profile = from
	if from == FromRealm && f.Name != "realm" {
		f.Help += "; the profile's realm unless given"
	} else {
		f.Help += "; the profile's unless given"
	}
	return f
}

func fields(f ...Field) []Field { return f }

func req(f Field) Field { f.Required = true; return f }

// Step sequences shared by several methods, each named after the SDK method
// whose body it builds.

// oauthSignIn is OAuthAuthenticator.signIn: /oauth/ro, or /oauth/token when
// called with type "token".
func oauthSignIn(ro bool) []step {
	s := []step{defaults{{"client_id", profileID}, {"grant_type", lit(grantPassword)}, {"scope", lit("openid")}}}
	if ro {
		return append(s, requireString("connection", "connection field is required"), endpoint("/oauth/ro"))
	}
	return append(s, endpoint("/oauth/token"))
}

func passwordGrantSteps() []step {
	return []step{
		takeInput{},
		defaults{{"client_id", profileID}, {"client_secret", profileSecret}, {"grant_type", lit(grantPassword)}},
		requireString("username", "username field is required"),
		requireString("password", "password field is required"),
		setIfString{"realm", "grant_type", grantPasswordRealm},
		endpoint("/oauth/token"),
	}
}

func refreshSteps() []step {
	return []step{
		takeInput{},
		defaults{{"client_id", profileID}, {"client_secret", profileSecret}, {"grant_type", lit(grantRefresh)}},
		requireString("refresh_token", "refresh_token is required"),
		endpoint("/oauth/token"),
	}
}

func clientCredentialsSteps() []step {
	return []step{
		takeInput{},
		defaults{{"grant_type", lit(grantClient)}, {"client_id", profileID}, {"client_secret", profileSecret}},
		requireNonBlank("client_id", "client_id field is required"),
		requireNonBlank("client_secret", "client_secret field is required"),
		endpoint("/oauth/token"),
	}
}

// passwordlessSignIn is PasswordlessAuthenticator.signIn on data already
// built: the otp grant on /oauth/token, or /oauth/ro with a code.
func passwordlessSignIn() []step {
	otp := append([]step{
		forceUnless{"realm", "sms", []string{"email", "sms"}},
		force{"grant_type", grantOTP},
	}, oauthSignIn(false)...)
	code := append([]step{
		forceUnless{"connection", "sms", []string{"email", "sms"}},
		force{"grant_type", grantPassword},
		requireNonBlank("password", "password field (verification code) is required"),
	}, oauthSignIn(true)...)
	return []step{
		defaults{{"client_id", profileID}, {"client_secret", profileSecret}},
		requireNonBlank("username", "username field (phone number) is required"),
		when{text: "otp", key: "otp", cond: nonBlank, then: otp, otherwise: code},
	}
}

// sendEmail is PasswordlessAuthenticator.sendEmail on data already built.
func sendEmail() []step {
	return []step{
		defaults{{"client_id", profileID}, {"client_secret", profileSecret}},
		force{"connection", "email"},
		requireNonBlank("email", "email field is required"),
		requireNonBlank("send", "send field is required"),
		endpoint("/passwordless/start"),
	}
}

func sendSMS() []step {
	return []step{
		defaults{{"client_id", profileID}, {"client_secret", profileSecret}},
		force{"connection", "sms"},
		requireNonBlank("phone_number", "phone_number field is required"),
		endpoint("/passwordless/start"),
	}
}

func dbSteps(path string, password bool) []step {
	s := []step{
		takeInput{},
		defaults{{"client_id", profileID}},
		requireNonBlank("email", "email field is required"),
	}
	if password {
		s = append(s, requireNonBlank("password", "password field is required"))
	}
	return append(s, requireNonBlank("connection", "connection field is required"), endpoint(path))
}

// delegation is TokensManager.getDelegationToken on data already built.
func delegation() []step {
	return []step{
		oneOf{"id_token", "refresh_token"},
		requireNonBlank("target", "target field is required"),
		requireNonBlank("api_type", "api_type field is required"),
		requireNonBlank("grant_type", "grant_type field is required"),
		defaults{{"client_id", profileIDOrEmpty}},
		endpoint("/delegation"),
	}
}

func join(parts ...[]step) []step {
	var s []step
	for _, p := range parts {
		s = append(s, p...)
	}
	return s
}

var (
	passwordGrantFields = fields(fUsername, fPassword,
		fromProfile(Field{Name: "realm", Help: "connection to authenticate against; switches to the password-realm grant"}, FromRealm),
		fLoginScope, fAudience, fClientID, fClientSecret)
	refreshFields = fields(
		Field{Name: "refresh_token", Required: true, Secret: true, Token: true, TakesToken: TokenRefresh, Help: "the refresh token to exchange"},
		fScope, fClientID, fClientSecret)
	clientCredentialsFields = fields(fAudience, fScope,
		req(fClientID), req(fClientSecret))
	delegationFields = fields(
		Field{Name: "id_token", Secret: true, Token: true, TakesToken: TokenID, Help: "the user's id_token to exchange (or refresh_token)"},
		Field{Name: "refresh_token", Secret: true, Token: true, Help: "a refresh token to exchange instead of an id_token"},
		Field{Name: "target", Required: true, Help: "client id of the target application"},
		Field{Name: "api_type", Required: true, Help: "the API to get a token for: app, aws, firebase, salesforce_api, …"},
		Field{Name: "grant_type", Required: true, Help: "urn:ietf:params:oauth:grant-type:jwt-bearer for id_token, refresh_token for a refresh token"},
		fScope)
)

var (
	changePasswordFields = fields(fEmail, Field{Name: "password", Required: true, Secret: true, Help: "the new password"}, fConnection, fClientID)
	userInfoFields       = fields(Field{Name: "accessToken", Aliases: []string{"access_token"}, Param: true, Required: true, Secret: true, Token: true, TakesToken: TokenAccess, Help: "the user's access token"})
	userInfoSteps        = []step{requireParam{"accessToken", "An access token is required"}, bearerFrom{param: "accessToken"}, endpoint("/userinfo")}
)

var catalogue = []*Operation{
	// --- Sign-in ---
	{
		Name: "passwordGrant", Group: groupSignIn, Shortcut: "oauth.passwordGrant",
		Summary: "Log a user in with username and password (Resource Owner Password grant); with realm, against one connection. For trusted first-party apps only.",
		Method:  "POST", Path: "/oauth/token", Auth: authSecret, ForwardedFor: true, IDToken: true, Returns: AnswerTokens,
		Fields: passwordGrantFields, steps: passwordGrantSteps(),
	},
	{
		Name: "oauth.passwordGrant", Group: groupSignIn,
		Summary: "Log a user in with username and password on /oauth/token (what passwordGrant calls); with realm, against one connection.",
		Method:  "POST", Path: "/oauth/token", Auth: authSecret, ForwardedFor: true, IDToken: true, Returns: AnswerTokens,
		Fields: passwordGrantFields, steps: passwordGrantSteps(),
	},
	{
		Name: "oauth.signIn", Group: groupSignIn, Deprecated: deprecatedRO,
		Summary: "Log a user in on the legacy /oauth/ro endpoint with username, password and connection.",
		Method:  "POST", Path: "/oauth/ro", Auth: authID, ForwardedFor: true, IDToken: true, Returns: AnswerTokens,
		// The SDK checks only connection here; Auth0 answers for the rest.
		Fields: fields(
			Field{Name: "username", Help: fUsername.Help}, Field{Name: "password", Secret: true, Help: fPassword.Help},
			fConnection, fromProfile(Field{Name: "scope", Help: "scopes; defaults to openid"}, FromScope), fClientID),
		steps: join([]step{takeInput{}}, oauthSignIn(true)),
	},
	{
		Name: "database.signIn", Group: groupSignIn, Deprecated: deprecatedRO,
		Summary: "Log a database-connection user in on the legacy /oauth/ro endpoint; connection defaults to Username-Password-Authentication.",
		Method:  "POST", Path: "/oauth/ro", Auth: authID, IDToken: true, Returns: AnswerTokens,
		Fields: fields(fUsername, fPassword,
			fromProfile(Field{Name: "connection", Help: "database connection; defaults to Username-Password-Authentication"}, FromRealm),
			fromProfile(Field{Name: "scope", Help: "scopes; defaults to openid"}, FromScope), fClientID),
		steps: join([]step{
			takeInput{},
			defaults{{"connection", lit("Username-Password-Authentication")}},
			requireNonBlank("username", "username field is required"),
			requireNonBlank("password", "password field is required"),
		}, oauthSignIn(true)),
	},
	{
		Name: "oauth.socialSignIn", Group: groupSignIn,
		Deprecated: "Auth0 deprecated /oauth/access_token; use the Token Exchange grant or the identity provider's SDK with authorization code flow.",
		Summary:    "Exchange a social identity provider's access token (e.g. Facebook) for Auth0 tokens on the legacy /oauth/access_token endpoint.",
		Method:     "POST", Path: "/oauth/access_token", Auth: authNone, Returns: AnswerTokens,
		Fields: fields(
			Field{Name: "access_token", Required: true, Secret: true, Token: true, Help: "the identity provider's access token"},
			Field{Name: "connection", Required: true, Help: "the social connection, e.g. facebook"},
			fromProfile(Field{Name: "scope", Help: "scopes, e.g. openid"}, FromScope),
			Field{Name: "client_id", Help: "the application's client id (not filled from the profile: the SDK sends only what you give)"}),
		steps: []step{
			takeInput{},
			requireNonBlank("access_token", "access_token field is required"),
			requireNonBlank("connection", "connection field is required"),
			endpoint("/oauth/access_token"),
		},
	},
	{
		Name: "oauth.authorizationCodeGrant", Group: groupSignIn, IDToken: true,
		Summary: "Exchange an authorization code from /authorize for tokens; with code_verifier for PKCE (public clients, no secret).",
		Method:  "POST", Path: "/oauth/token", Auth: authSecret, Returns: AnswerTokens,
		Fields: fields(
			Field{Name: "code", Required: true, Secret: true, Help: "the authorization code from the redirect"},
			Field{Name: "redirect_uri", Required: true, Help: "the redirect_uri sent to /authorize"},
			Field{Name: "code_verifier", Secret: true, Help: "the PKCE code verifier"},
			fClientID, fClientSecret),
		steps: []step{
			takeInput{},
			defaults{{"grant_type", lit(grantCode)}, {"client_id", profileID}, {"client_secret", profileSecret}},
			requireNonBlank("code", "code field is required"),
			requireNonBlank("redirect_uri", "redirect_uri field is required"),
			endpoint("/oauth/token"),
		},
	},
	// issue 12's grants (grants.go): PKCE with Sign-in, then the Device group.
	opPKCEGrant, opDeviceAuthorization, opDeviceCodeGrant,

	// --- Tokens ---
	{
		Name: "clientCredentialsGrant", Group: groupTokens, Shortcut: "oauth.clientCredentialsGrant",
		Summary: "Get an access token for the application itself (machine-to-machine), for the API named by audience.",
		Method:  "POST", Path: "/oauth/token", Auth: authSecret, Returns: AnswerTokens,
		Fields: clientCredentialsFields, steps: clientCredentialsSteps(),
	},
	{
		Name: "oauth.clientCredentialsGrant", Group: groupTokens,
		Summary: "Get a machine-to-machine access token on /oauth/token (what clientCredentialsGrant calls).",
		Method:  "POST", Path: "/oauth/token", Auth: authSecret, Returns: AnswerTokens,
		Fields: clientCredentialsFields, steps: clientCredentialsSteps(),
	},
	{
		Name: "refreshToken", Group: groupTokens, Shortcut: "oauth.refreshToken",
		Summary: "Exchange a refresh token for new tokens (ask offline_access at sign-in to get one).",
		Method:  "POST", Path: "/oauth/token", Auth: authSecret, Returns: AnswerTokens,
		Fields: refreshFields, steps: refreshSteps(),
	},
	{
		Name: "oauth.refreshToken", Group: groupTokens,
		Summary: "Exchange a refresh token for new tokens on /oauth/token (what refreshToken calls).",
		Method:  "POST", Path: "/oauth/token", Auth: authSecret, Returns: AnswerTokens,
		Fields: refreshFields, steps: refreshSteps(),
	},
	{
		Name: "tokens.revokeRefreshToken", Group: groupTokens,
		Summary: "Revoke a refresh token, so it can no longer be exchanged.",
		Method:  "POST", Path: "/oauth/revoke", Auth: authSecret, Returns: AnswerAny,
		Fields: fields(
			Field{Name: "token", Required: true, Secret: true, Token: true, TakesToken: TokenRefresh, Help: "the refresh token to revoke"},
			fClientID, fClientSecret),
		steps: []step{
			takeInput{},
			requireNonBlank("token", "token property is required"),
			clientIDCheck{},
			defaults{{"client_id", profileIDOrEmpty}, {"client_secret", profileSecretOrEmpty}},
			endpoint("/oauth/revoke"),
		},
	},
	{
		// node-auth0 4.x's OAuth.revokeRefreshToken (src/auth/oauth.ts):
		// JSON (not form) to /oauth/revoke, body {client_id: the client's,
		// ...fields} and then addClientAuthentication's client_secret (or
		// client_assertion); token must be given (validateRequiredRequestParams
		// lets an empty string through).
		Name: "oauth.revokeRefreshToken", Group: groupTokens,
		Summary: "Revoke a refresh token, as node-auth0 4.x sends it (JSON, client authentication after the fields).",
		Method:  "POST", Path: "/oauth/revoke", Auth: authSecret, Returns: AnswerAny,
		Origin: "node-auth0 4.x OAuth.revokeRefreshToken",
		Fields: fields(
			Field{Name: "token", Required: true, Secret: true, Token: true, TakesToken: TokenRefresh, Help: "the refresh token to revoke"},
			fClientID, fClientSecret),
		steps: []step{
			takeInput{},
			defaults{{"client_id", profileID}},
			requireDefinedMsg("token", "Required parameter requestParameters.token was null or undefined."),
			clientAuthAfter{},
			endpoint("/oauth/revoke"),
		},
	},
	{
		Name: "getDelegationToken", Group: groupTokens, Shortcut: "tokens.getDelegationToken", Strict: true,
		Deprecated: "Auth0 deprecated /delegation; use the Token Exchange grant or the target API's own flow.",
		Summary:    "Exchange an id_token or refresh token for a token of another application or API (AWS, Firebase, …) on the legacy /delegation endpoint.",
		Method:     "POST", Path: "/delegation", Auth: authID, Returns: AnswerJSON,
		Fields: fields(
			delegationFields[0], delegationFields[1],
			Field{Name: "target", Aliases: []string{"targetClientId"}, Required: true, Help: delegationFields[2].Help},
			Field{Name: "api_type", Aliases: []string{"api"}, Required: true, Help: delegationFields[3].Help},
			delegationFields[4], delegationFields[5]),
		// node-auth0 2.44.1 drops refresh_token here; its documentation
		// promises either token, so refresh_token is passed on.
		steps: join([]step{translate{
			{"id_token", []string{"id_token"}},
			{"api_type", []string{"api", "api_type"}},
			{"scope", []string{"scope"}},
			{"target", []string{"targetClientId", "target"}},
			{"grant_type", []string{"grant_type"}},
			{"refresh_token", []string{"refresh_token"}},
		}}, delegation()),
	},
	{
		Name: "tokens.getDelegationToken", Group: groupTokens,
		Deprecated: "Auth0 deprecated /delegation; use the Token Exchange grant or the target API's own flow.",
		Summary:    "Exchange an id_token or refresh token for another application's token on the legacy /delegation endpoint.",
		Method:     "POST", Path: "/delegation", Auth: authID, Returns: AnswerJSON,
		Fields: delegationFields,
		steps:  join([]step{takeInput{}}, delegation()),
	},
	{
		Name: "tokens.getInfo", Group: groupTokens, Strict: true,
		Deprecated: "Auth0 deprecated /tokeninfo; decode the id_token locally (the Tokens tab does) or call /userinfo with an access token.",
		Summary:    "Get the user profile for an id_token from the legacy /tokeninfo endpoint.",
		Method:     "POST", Path: "/tokeninfo", Auth: "none: the id_token is the credential", Returns: AnswerJSON,
		Fields: fields(Field{Name: "idToken", Aliases: []string{"id_token"}, Param: true, Required: true, Secret: true, Token: true, TakesToken: TokenID, Help: "the id_token to look up"}),
		steps: []step{
			requireParam{"idToken", "An ID token is required"},
			paramBody{"id_token", "idToken"},
			endpoint("/tokeninfo"),
		},
	},

	// --- Passwordless ---
	{
		Name: "requestEmailCode", Group: groupPasswordless, Shortcut: "passwordless.sendEmail",
		Summary: "Email the user a one-time code (passwordless, send=code); finish with verifyEmailCode.",
		Method:  "POST", Path: "/passwordless/start", Auth: authSecret, Returns: AnswerJSON,
		Fields: fields(fEmail, fAuthParams, fClientID, fClientSecret),
		steps:  join([]step{takeInput{}, force{"send", "code"}}, sendEmail()),
	},
	{
		Name: "requestMagicLink", Group: groupPasswordless, Shortcut: "passwordless.sendEmail",
		Summary: "Email the user a magic link that logs them in (passwordless, send=link).",
		Method:  "POST", Path: "/passwordless/start", Auth: authSecret, Returns: AnswerJSON,
		Fields: fields(fEmail, fAuthParams, fClientID, fClientSecret),
		steps:  join([]step{takeInput{}, force{"send", "link"}}, sendEmail()),
	},
	{
		Name: "verifyEmailCode", Group: groupPasswordless, Shortcut: "passwordless.signIn", Strict: true, IDToken: true,
		Summary: "Log in with the code from requestEmailCode (passwordless otp grant, realm email).",
		Method:  "POST", Path: "/oauth/token", Auth: authSecret, Returns: AnswerTokens,
		Fields: fields(fEmail,
			Field{Name: "otp", Required: true, Secret: true, Help: "the code from the email"}),
		steps: join([]step{
			translate{{"username", []string{"email"}}},
			requireNonBlank("username", "username field (phone number) is required").as("email"),
			force{"realm", "email"},
			setFromInput{"otp", []string{"otp"}},
			// Without an otp the SDK falls back to /oauth/ro and refuses for
			// want of a password; refuse naming the field the caller knows.
			requireNonBlank("otp", "password field (verification code) is required"),
		}, passwordlessSignIn()),
	},
	{
		Name: "requestSMSCode", Group: groupPasswordless, Shortcut: "passwordless.sendSMS", Strict: true,
		Summary: "Text the user a one-time code (passwordless sms); finish with verifySMSCode.",
		Method:  "POST", Path: "/passwordless/start", Auth: authSecret, Returns: AnswerJSON,
		Fields: fields(Field{Name: "phone_number", Aliases: []string{"phoneNumber"}, Required: true, Help: "the phone number, E.164 (+14155550100)"}),
		steps:  join([]step{translate{{"phone_number", []string{"phoneNumber", "phone_number"}}}}, sendSMS()),
	},
	{
		Name: "verifySMSCode", Group: groupPasswordless, Shortcut: "passwordless.signIn", Strict: true, IDToken: true,
		Summary: "Log in with the code from requestSMSCode: with otp on /oauth/token (otp grant), with code on the legacy /oauth/ro.",
		Method:  "POST", Path: "/oauth/token", Auth: authSecret, Returns: AnswerTokens,
		Fields: fields(
			Field{Name: "phone_number", Aliases: []string{"phoneNumber", "username"}, Required: true, Help: "the phone number the code went to"},
			Field{Name: "otp", Secret: true, Help: "the code, sent with the otp grant on /oauth/token"},
			Field{Name: "code", Aliases: []string{"password"}, Secret: true, RequiredUnless: "otp", Help: "the code, sent as password to the deprecated /oauth/ro"}),
		steps: join([]step{
			translate{{"username", []string{"phoneNumber", "phone_number", "username"}}},
			when{text: "otp", onInput: true, key: "otp", cond: jsValue.truthy,
				then:      []step{setFromInput{"otp", []string{"otp"}}},
				otherwise: []step{setFromInput{"password", []string{"code", "password"}}}},
		}, passwordlessSignIn()),
	},
	{
		Name: "passwordless.sendEmail", Group: groupPasswordless,
		Summary: "Start passwordless email: send=code mails a code, send=link a magic link.",
		Method:  "POST", Path: "/passwordless/start", Auth: authSecret, ForwardedFor: true, Returns: AnswerJSON,
		Fields: fields(fEmail,
			Field{Name: "send", Required: true, Help: "code or link"},
			fAuthParams, fClientID, fClientSecret),
		steps: join([]step{takeInput{}}, sendEmail()),
	},
	{
		Name: "passwordless.sendSMS", Group: groupPasswordless,
		Summary: "Start passwordless SMS: text a one-time code to phone_number.",
		Method:  "POST", Path: "/passwordless/start", Auth: authSecret, ForwardedFor: true, Returns: AnswerJSON,
		Fields: fields(Field{Name: "phone_number", Required: true, Help: "the phone number, E.164 (+14155550100)"},
			fClientID, fClientSecret),
		steps: join([]step{takeInput{}}, sendSMS()),
	},
	{
		Name: "passwordless.signIn", Group: groupPasswordless, ForwardedFor: true, IDToken: true,
		Summary: "Log in with a passwordless code: with otp (and realm email or sms) on /oauth/token; with password (the code) on the legacy /oauth/ro.",
		Method:  "POST", Path: "/oauth/token", Auth: authSecret, Returns: AnswerTokens,
		Fields: fields(
			Field{Name: "username", Required: true, Help: "the email address or phone number the code went to"},
			Field{Name: "otp", Secret: true, Help: "the code, for the otp grant on /oauth/token"},
			Field{Name: "realm", Help: "email or sms (otp grant); anything else becomes sms"},
			Field{Name: "password", Secret: true, RequiredUnless: "otp", Help: "the code, for the deprecated /oauth/ro"},
			Field{Name: "connection", Help: "email or sms (/oauth/ro); anything else becomes sms"},
			fLoginScope, fClientID, fClientSecret),
		steps: join([]step{takeInput{}}, passwordlessSignIn()),
	},
	opLoginWithEmail, opLoginWithSMS, // issue 12 (grants.go)

	// --- Database ---
	{
		Name: "database.signUp", Group: groupDatabase,
		Summary: "Create a user in a database connection (sign-up).",
		Method:  "POST", Path: "/dbconnections/signup", Auth: authID, Returns: AnswerJSON,
		Fields: fields(fEmail, fPassword, fConnection,
			Field{Name: "username", Help: "a username, when the connection requires one"},
			Field{Name: "user_metadata", JSON: true, Help: "user metadata, as a JSON object"},
			Field{Name: "given_name", Help: "given name"},
			Field{Name: "family_name", Help: "family name"},
			Field{Name: "name", Help: "full name"},
			fClientID),
		steps: dbSteps("/dbconnections/signup", true),
	},
	{
		Name: "changePassword", Group: groupDatabase, Shortcut: "database.changePassword",
		Deprecated: "Auth0 no longer sets a password through /dbconnections/change_password; it sends the reset email instead (use requestChangePasswordEmail).",
		Summary:    "Change a database user's password directly (legacy form of /dbconnections/change_password).",
		Method:     "POST", Path: "/dbconnections/change_password", Auth: authID, Returns: AnswerText,
		Fields: changePasswordFields, steps: dbSteps("/dbconnections/change_password", true),
	},
	{
		Name: "database.changePassword", Group: groupDatabase,
		Deprecated: "Auth0 no longer sets a password through /dbconnections/change_password; it sends the reset email instead (use requestChangePasswordEmail).",
		Summary:    "Change a database user's password directly (what changePassword calls).",
		Method:     "POST", Path: "/dbconnections/change_password", Auth: authID, Returns: AnswerText,
		Fields: changePasswordFields, steps: dbSteps("/dbconnections/change_password", true),
	},
	{
		Name: "requestChangePasswordEmail", Group: groupDatabase, Shortcut: "database.requestChangePasswordEmail",
		Summary: "Email a database user a link to reset their password.",
		Method:  "POST", Path: "/dbconnections/change_password", Auth: authID, Returns: AnswerText,
		Fields: fields(fEmail, fConnection, fClientID),
		steps:  dbSteps("/dbconnections/change_password", false),
	},
	{
		Name: "database.requestChangePasswordEmail", Group: groupDatabase,
		Summary: "Email a database user a password-reset link (what requestChangePasswordEmail calls).",
		Method:  "POST", Path: "/dbconnections/change_password", Auth: authID, Returns: AnswerText,
		Fields: fields(fEmail, fConnection, fClientID),
		steps:  dbSteps("/dbconnections/change_password", false),
	},

	// --- Users ---
	{
		Name: "getProfile", Group: groupUsers, Shortcut: "users.getInfo", Strict: true,
		Summary: "Get the user's profile from /userinfo with their access token.",
		Method:  "GET", Path: "/userinfo", Auth: authBearer, Returns: AnswerJSON,
		Fields: userInfoFields, steps: userInfoSteps,
	},
	{
		Name: "users.getInfo", Group: groupUsers, Strict: true,
		Summary: "Get the user's profile from /userinfo with their access token (what getProfile calls).",
		Method:  "GET", Path: "/userinfo", Auth: authBearer, Returns: AnswerJSON,
		Fields: userInfoFields, steps: userInfoSteps,
	},
	{
		Name: "users.impersonate", Group: groupUsers,
		Deprecated: "Auth0 deprecated impersonation; it is disabled for new tenants.",
		Summary:    "Get a link to log in as another user (impersonation), with a Management API token.",
		Method:     "POST", Path: "/users/{userId}/impersonate", Auth: authMgmt, Returns: AnswerText,
		Fields: fields(
			Field{Name: "userId", Param: true, Required: true, Help: "the id of the user to impersonate, e.g. auth0|5f7c8ec7c33c6c004bbafe82"},
			Field{Name: "impersonator_id", Required: true, Help: "the id of the user doing the impersonation"},
			Field{Name: "protocol", Required: true, Help: "the protocol of the impersonated session, e.g. oauth2"},
			Field{Name: "token", Required: true, Secret: true, Token: true, Help: "a Management API access token with the impersonation scope"},
			Field{Name: "clientId", Help: "the application to log in to; the profile's unless given"},
			Field{Name: "additionalParameters", JSON: true, Help: "extra authorization parameters (response_type, scope, state…), as JSON"}),
		steps: []step{
			requireParam{"userId", "You must specify a user ID"},
			endpoint("/users/{userId}/impersonate"),
			pathParam{"userId"},
			takeInput{},
			requireNonBlank("impersonator_id", "impersonator_id field is required"),
			requireNonBlank("protocol", "protocol field is required"),
			requireNonBlank("token", "token field is required"),
			defaults{{"client_id", inputOr("clientId", profileID)}},
			bearerFrom{field: "token"},
		},
	},

	// --- Discovery, browser URLs and PAR (issue 12) ---
	// Not node-auth0 v2 methods: names from the newer SDKs (auth0.js's
	// buildAuthorizeUrl and buildLogoutUrl, node-auth0 4.x's
	// oauth.pushedAuthorization) and Auth0's API docs.
	{
		Name: "discovery.openidConfiguration", Group: groupDiscovery, Origin: originAPI,
		Summary: "Get the tenant's OpenID Connect discovery document (issuer, endpoints, supported scopes and algorithms).",
		Method:  "GET", Path: "/.well-known/openid-configuration", Auth: "none", Returns: AnswerJSON,
		steps: []step{endpoint("/.well-known/openid-configuration")},
	},
	{
		Name: "discovery.jwks", Group: groupDiscovery, Origin: originAPI,
		Summary: "Get the tenant's JSON Web Key Set: the public keys that check its RS256 tokens.",
		Method:  "GET", Path: "/.well-known/jwks.json", Auth: "none", Returns: AnswerJSON,
		steps: []step{endpoint("/.well-known/jwks.json")},
	},
	{
		Name: "oauth.buildAuthorizeUrl", Group: groupURLs, URLOnly: true, Origin: originAPI,
		Summary: "Build the /authorize URL that starts a browser sign-in (nothing is sent): open it, sign in, and exchange the code with oauth.authorizationCodeGrant.",
		Method:  "GET", Path: "/authorize", Auth: "none: a browser URL, client id in the query", Returns: AnswerURL,
		Fields: authorizeFields(false),
		steps: []step{
			takeInput{},
			defaults{{"response_type", lit("code")}, {"client_id", profileID}},
			requireNonBlank("client_id", "client_id is required"),
			when{text: "request_uri", key: "request_uri", cond: nonBlank,
				otherwise: []step{requireNonBlank("redirect_uri", "redirect_uri is required")}},
			defaultWhen{when: "code_challenge", key: "code_challenge_method", value: "S256"},
			endpoint("/authorize"),
		},
	},
	{
		Name: "oauth.buildLogoutUrl", Group: groupURLs, URLOnly: true, Origin: originAPI,
		Summary: "Build the /v2/logout URL that ends the user's Auth0 session (nothing is sent); with federated, the identity provider's too.",
		Method:  "GET", Path: "/v2/logout", Auth: "none: a browser URL", Returns: AnswerURL,
		Fields: fields(
			Field{Name: "returnTo", Help: "where to send the browser afterwards; must be an allowed logout URL"},
			Field{Name: "client_id", Profile: FromClientID, Help: "the application whose allowed logout URLs returnTo is checked against; the profile's unless given"},
			Field{Name: "federated", JSON: true, Help: "federated:=true also logs out of the identity provider (sent as a bare federated)"}),
		steps: []step{
			takeInput{},
			defaults{{"client_id", profileID}},
			endpoint("/v2/logout"),
		},
	},
	{
		Name: "oauth.buildOidcLogoutUrl", Group: groupURLs, URLOnly: true, Origin: originAPI,
		Summary: "Build the OpenID Connect RP-initiated logout URL, /oidc/logout (nothing is sent).",
		Method:  "GET", Path: "/oidc/logout", Auth: "none: a browser URL", Returns: AnswerURL,
		Fields: fields(
			Field{Name: "id_token_hint", Secret: true, Token: true, TakesToken: TokenID, Help: "the user's id_token, so Auth0 knows the session and the application"},
			Field{Name: "post_logout_redirect_uri", Help: "where to send the browser afterwards; must be an allowed logout URL"},
			Field{Name: "client_id", Profile: FromClientID, Help: "the application, when no id_token_hint is given; the profile's unless given"},
			Field{Name: "logout_hint", Help: "the session id (sid) to end"},
			Field{Name: "state", Help: "an opaque value returned with the redirect"}),
		steps: []step{
			takeInput{},
			defaults{{"client_id", profileID}},
			endpoint("/oidc/logout"),
		},
	},
	{
		Name: "oauth.pushedAuthorization", Group: groupSignIn, FormBody: true, Origin: originV4,
		Summary: "Push the authorization parameters to /oauth/par (PAR); the answer's request_uri goes to oauth.buildAuthorizeUrl with the client id, within expires_in seconds.",
		Method:  "POST", Path: "/oauth/par", Auth: authSecret, Returns: AnswerJSON,
		Fields: authorizeFields(true),
		// node-auth0 4.x (oauth.pushedAuthorization) sends the
		// parameters form-encoded, with client_id and client_secret, and
		// requires client_id, response_type and redirect_uri.
		steps: []step{
			takeInput{},
			defaults{{"client_id", profileID}, {"client_secret", profileSecret}, {"response_type", lit("code")}},
			requireNonBlank("client_id", "client_id is required"),
			requireNonBlank("redirect_uri", "redirect_uri is required"),
			defaultWhen{when: "code_challenge", key: "code_challenge_method", value: "S256"},
			endpoint("/oauth/par"),
		},
	},
	// --- MFA --- (not node-auth0 v2: see catalog_mfa.go)
	{
		Name: "mfa.challenge", Group: groupMFA, Origin: originMFA,
		Summary: "Ask for an MFA challenge with the mfa_token of an mfa_required error: otp (use the authenticator app's code) or oob (a code sent by SMS or email).",
		Method:  "POST", Path: "/mfa/challenge", Auth: authSecret, Returns: AnswerJSON,
		Fields: fields(fMFAToken,
			Field{Name: "challenge_type", Required: true, Help: "the challenge types the client accepts, space-separated: otp, oob, or \"otp oob\""},
			Field{Name: "authenticator_id", Help: "the authenticator to challenge (mfa.listAuthenticators); the user's default unless given"},
			fClientID, fClientSecret),
		steps: []step{
			takeInput{},
			defaults{{"client_id", profileID}, {"client_secret", profileSecret}},
			requireNonBlank("mfa_token", "Missing required fields: MFAToken"),
			requireNonBlank("challenge_type", "Missing required fields: ChallengeType"),
			endpoint("/mfa/challenge"),
		},
	},
	{
		Name: "mfa.verifyOTP", Group: groupMFA, Origin: originMFA, IDToken: true,
		Summary: "Finish an MFA sign-in with the authenticator app's one-time code (mfa-otp grant).",
		Method:  "POST", Path: "/oauth/token", Auth: authSecret, Returns: AnswerTokens,
		Fields: fields(fMFAToken,
			Field{Name: "otp", Required: true, Secret: true, Help: "the 6-digit code the authenticator app shows"},
			fClientID, fClientSecret),
		steps: mfaVerifySteps(grantMFAOTP, "otp"),
	},
	{
		Name: "mfa.verifyOOB", Group: groupMFA, Origin: originMFA, IDToken: true,
		Summary: "Finish an MFA sign-in with the oob_code of mfa.challenge and, for SMS or email, the code the user got (mfa-oob grant).",
		Method:  "POST", Path: "/oauth/token", Auth: authSecret, Returns: AnswerTokens,
		Fields: fields(fMFAToken,
			Field{Name: "oob_code", Required: true, Secret: true, Help: "the oob_code mfa.challenge or mfa.associate answered"},
			Field{Name: "binding_code", Secret: true, Help: "the code sent by SMS or email (binding_method prompt)"},
			fClientID, fClientSecret),
		steps: mfaVerifySteps(grantMFAOOB, "oob_code"),
	},
	{
		Name: "mfa.verifyRecoveryCode", Group: groupMFA, Origin: originMFA, IDToken: true,
		Summary: "Finish an MFA sign-in with a recovery code; the answer carries the next recovery code (mfa-recovery-code grant).",
		Method:  "POST", Path: "/oauth/token", Auth: authSecret, Returns: AnswerTokens,
		Fields: fields(fMFAToken,
			Field{Name: "recovery_code", Required: true, Secret: true, Help: "the recovery code given at enrolment"},
			fClientID, fClientSecret),
		steps: mfaVerifySteps(grantMFARecovery, "recovery_code"),
	},
	{
		Name: "mfa.associate", Group: groupMFA, Origin: originMFADocs,
		Summary: "Enrol an authenticator for the user of the mfa_token: otp (an app; the answer has the secret and an otpauth:// URI) or oob (sms, email).",
		Method:  "POST", Path: "/mfa/associate", Auth: authMFABearer, Returns: AnswerJSON,
		Fields: fields(fMFABearer,
			Field{Name: "authenticator_types", Required: true, JSON: true, Help: "the kinds to enrol, as a JSON array: [\"otp\"] or [\"oob\"]"},
			Field{Name: "oob_channels", JSON: true, Help: "for oob, the channels, as a JSON array: [\"sms\"] or [\"email\"]"},
			Field{Name: "phone_number", Help: "for the sms channel, the phone number, E.164 (+14155550100)"},
			fClientID, fClientSecret),
		steps: mfaBearerSteps("/mfa/associate",
			takeInput{},
			defaults{{"client_id", profileID}, {"client_secret", profileSecret}},
			check{key: "authenticator_types", ok: jsValue.truthy, sdkMsg: "authenticator_types is required"}),
	},
	{
		Name: "mfa.listAuthenticators", Group: groupMFA, Origin: originMFADocs, Strict: true,
		Summary: "List the user's MFA authenticators (and recovery codes) with the mfa_token.",
		Method:  "GET", Path: "/mfa/authenticators", Auth: authMFABearer, Returns: AnswerText,
		Fields: fields(fMFABearer),
		steps:  mfaBearerSteps("/mfa/authenticators"),
	},
	{
		Name: "mfa.deleteAuthenticator", Group: groupMFA, Origin: originMFADocs, Strict: true,
		Summary: "Delete one of the user's MFA authenticators (Auth0 answers 204) with the mfa_token.",
		Method:  "DELETE", Path: "/mfa/authenticators/{authenticator_id}", Auth: authMFABearer, Returns: AnswerAny,
		Fields: fields(fMFABearer,
			Field{Name: "authenticator_id", Param: true, Required: true, Help: "the authenticator's id, e.g. totp|dev_0A1b2C3d (mfa.listAuthenticators)"}),
		steps: mfaBearerSteps("/mfa/authenticators/{authenticator_id}",
			requireParam{"authenticator_id", "Missing required fields: AuthenticatorID"},
			pathParam{"authenticator_id"}),
	},
	// --- Backchannel (CIBA), token exchange, federated connection tokens --- (catalog_ciba.go)
	opCIBAAuthorize, opCIBAGrant, opTokenExchange, opFederatedToken,
}

// authorizeFields are the parameters of /authorize, and of /oauth/par
// (which takes them all but request_uri, plus the client secret).
func authorizeFields(par bool) []Field {
	redirect := Field{Name: "redirect_uri", RequiredUnless: "request_uri", Help: "where Auth0 sends the browser with the code; must be an allowed callback URL"}
	if par {
		redirect = Field{Name: "redirect_uri", Required: true, Help: redirect.Help}
	}
	f := fields(
		Field{Name: "response_type", Help: "code (the default), or token, id_token, …"},
		req(fClientID), redirect, fLoginScope, fAudience,
		Field{Name: "state", Help: "an opaque value returned with the redirect, against CSRF"},
		Field{Name: "nonce", Help: "a random value the id_token repeats, against replay"},
		Field{Name: "code_challenge", Help: "the PKCE challenge: BASE64URL(SHA256(code_verifier))"},
		Field{Name: "code_challenge_method", Help: "S256 (the default when a code_challenge is given)"},
		Field{Name: "connection", Help: "a connection to go straight to, skipping the login page's choice"},
		Field{Name: "organization", Help: "the organization id (org_…) or name to sign in to"},
		Field{Name: "invitation", Help: "the invitation id from an organization invitation link"},
		Field{Name: "prompt", Help: "none (silent), login (force a sign-in) or consent"},
		Field{Name: "screen_hint", Help: "signup to open the sign-up page"},
		Field{Name: "login_hint", Help: "the username or email to prefill"})
	if par {
		return append(f, fClientSecret)
	}
	return append(f, Field{Name: "request_uri", Help: "the request_uri from oauth.pushedAuthorization (PAR); then only client_id is needed beside it"})
}
