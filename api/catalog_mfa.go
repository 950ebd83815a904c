package api

// MFA: Auth0's multi-factor authentication API, which node-auth0 v2 does
// not have. The requests follow go-auth0's authentication/mfa (MFA.Challenge,
// VerifyWithOTP, VerifyWithOOB, VerifyWithRecoveryCode) and Auth0's
// Authentication API documentation for /mfa/associate and
// /mfa/authenticators, which go-auth0 does not send. Choices:
//
//   - The verify grants go to /oauth/token as JSON, as every body of the
//     catalogue does; go-auth0 sends them form-encoded, which --form gives
//     (Auth0 takes both). As with the other grants here, grant_type and
//     the client's authentication come first, then the given fields.
//   - client_id and client_secret are the profile's unless given, as
//     go-auth0 adds the client's authentication to every MFA request.
//   - The mfa_token of associate, list and delete is the Bearer header, as
//     Auth0 documents; these bodies carry no mfa_token.

const (
	grantMFAOTP      = "http://auth0.com/oauth/grant-type/mfa-otp"
	grantMFAOOB      = "http://auth0.com/oauth/grant-type/mfa-oob"
	grantMFARecovery = "http://auth0.com/oauth/grant-type/mfa-recovery-code"

	groupMFA = "MFA"

	originMFA     = "go-auth0 authentication/mfa and Auth0's MFA API documentation (node-auth0 v2 has no MFA methods)"
	originMFADocs = "Auth0's MFA API documentation (/mfa/associate, /mfa/authenticators); node-auth0 v2 and go-auth0's authentication client do not send it"
	authMFABearer = "the mfa_token as a Bearer header"
)

var (
	// fMFAToken is the mfa_token of an mfa_required error, in a body.
	fMFAToken = Field{Name: "mfa_token", Required: true, Secret: true, Token: true, TakesToken: TokenMFA,
		Help: "the mfa_token of the mfa_required error the sign-in answered"}
	// fMFABearer is the mfa_token sent as the Bearer header.
	fMFABearer = Field{Name: "mfa_token", Param: true, Required: true, Secret: true, Token: true, TakesToken: TokenMFA,
		Help: "the mfa_token of the mfa_required error, sent as the Bearer header"}
)

// mfaVerifySteps builds one of the MFA verify grants on /oauth/token: the
// grant type, the mfa_token and the code it requires.
func mfaVerifySteps(grant, code string) []step {
	return []step{
		takeInput{},
		defaults{{"grant_type", lit(grant)}, {"client_id", profileID}, {"client_secret", profileSecret}},
		requireNonBlank("mfa_token", "Missing required fields: MFAToken"),
		requireNonBlank(code, "Missing required fields: "+goName(code)),
		endpoint("/oauth/token"),
	}
}

// goName is go-auth0's name of a field, for its "Missing required fields"
// sentence.
func goName(field string) string {
	switch field {
	case "otp":
		return "OTP"
	case "oob_code":
		return "OOBCode"
	case "recovery_code":
		return "RecoveryCode"
	case "challenge_type":
		return "ChallengeType"
	}
	return field
}

// mfaBearerSteps sends the mfa_token as the Bearer header.
func mfaBearerSteps(path string, more ...step) []step {
	return join([]step{
		requireParam{"mfa_token", "Missing required fields: MFAToken"},
		bearerFrom{param: "mfa_token"},
		endpoint(path),
	}, more)
}
