package api

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"encoding/base64"
	"encoding/pem"
	"fmt"
	"os"
	"strings"
	"time"

	"github.com/golang-jwt/jwt/v5"
)

// Client assertions (private_key_jwt): instead of a client secret, the
// client signs a short-lived JWT with its private key and sends it as
// client_assertion, as node-auth0 4.x and later do when given
// clientAssertionSigningKey (src/auth/client-authentication.ts):
//
//   - header {"alg": …} (RS256 unless asked), plus "kid" when one is given
//     (the SDK sets none);
//   - claims, in the SDK's order: iat (now), sub and iss (the client id),
//     jti (a random UUID), aud ("https://DOMAIN/", the tenant's issuer), exp
//     (iat + 2 minutes);
//   - sent as client_assertion with client_assertion_type
//     urn:ietf:params:oauth:client-assertion-type:jwt-bearer, in place of
//     client_secret.

// ClientAssertionType is the client_assertion_type sent with an assertion.
const ClientAssertionType = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer"

// AssertionLifetime is how long an assertion is valid: node-auth0's
// setExpirationTime('2mins').
const AssertionLifetime = 2 * time.Minute

// AssertionAlgs are the algorithms an assertion may be signed with.
var AssertionAlgs = []string{"RS256", "RS384", "RS512", "PS256", "PS384", "PS512", "ES256", "ES384", "ES512"}

// AssertionSigner signs client assertions with one private key.
type AssertionSigner struct {
	// Path is the key file, for sentences.
	Path   string
	Alg    string
	KeyID  string
	key    crypto.Signer
	method jwt.SigningMethod
}

// LoadAssertionKey reads a PEM private key (PKCS#8 "PRIVATE KEY", PKCS#1
// "RSA PRIVATE KEY" or SEC1 "EC PRIVATE KEY") from path for signing client
// assertions with alg ("" means RS256, as node-auth0) and kid ("" for none).
// The error is one sentence (an *InputError naming the flag
// client-assertion-key or client-assertion-alg).
func LoadAssertionKey(path, alg, kid string) (*AssertionSigner, error) {
	const field = "client-assertion-key"
	if alg == "" {
		alg = "RS256"
	}
	alg = strings.ToUpper(alg)
	method := jwt.GetSigningMethod(alg)
	known := false
	for _, a := range AssertionAlgs {
		known = known || a == alg
	}
	if !known || method == nil {
		return nil, inputErrorf("client-assertion-alg", "--client-assertion-alg %s is not one of %s", escapeText(alg, 40), strings.Join(AssertionAlgs, ", "))
	}
	if bad := ControlCharacter(kid); bad != "" {
		return nil, inputErrorf("client-assertion-kid", "the client assertion key id holds %s", bad)
	}
	shown := escapeText(path, 200)
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, inputErrorf(field, "cannot read the client assertion key %s: %v", shown, unwrapPathError(err))
	}
	block, _ := pem.Decode(data)
	if block == nil {
		return nil, inputErrorf(field, "the client assertion key %s is not a PEM file (it should hold a -----BEGIN PRIVATE KEY----- block)", shown)
	}
	var key any
	switch block.Type {
	case "PRIVATE KEY":
		key, err = x509.ParsePKCS8PrivateKey(block.Bytes)
	case "RSA PRIVATE KEY":
		key, err = x509.ParsePKCS1PrivateKey(block.Bytes)
	case "EC PRIVATE KEY":
		key, err = x509.ParseECPrivateKey(block.Bytes)
	default:
		return nil, inputErrorf(field, "the client assertion key %s holds a %q block, not a private key (PRIVATE KEY, RSA PRIVATE KEY or EC PRIVATE KEY)", shown, block.Type)
	}
	if err != nil {
		return nil, inputErrorf(field, "the client assertion key %s does not parse: %v", shown, err)
	}
	signer, ok := key.(crypto.Signer)
	if !ok {
		return nil, inputErrorf(field, "the client assertion key %s is a %T key, which cannot sign %s", shown, key, alg)
	}
	if want := keyTypeFor(alg); want != keyTypeOf(signer) {
		return nil, inputErrorf("client-assertion-alg", "the client assertion key %s is %s key, which cannot sign %s (pass --client-assertion-alg %s)", shown, keyTypeOf(signer), alg, suggestAlg(signer))
	}
	if ec, ok := signer.(*ecdsa.PrivateKey); ok && ec.Curve != curveFor(alg) {
		return nil, inputErrorf("client-assertion-alg", "the client assertion key %s is on %s, which signs %s, not %s", shown, ec.Curve.Params().Name, suggestAlg(signer), alg)
	}
	return &AssertionSigner{Path: path, Alg: alg, KeyID: kid, key: signer, method: method}, nil
}

func unwrapPathError(err error) error {
	if pe, ok := err.(*os.PathError); ok {
		return pe.Err
	}
	return err
}

func keyTypeFor(alg string) string {
	if strings.HasPrefix(alg, "ES") {
		return "an EC"
	}
	return "an RSA"
}

func keyTypeOf(k crypto.Signer) string {
	switch k.(type) {
	case *rsa.PrivateKey:
		return "an RSA"
	case *ecdsa.PrivateKey:
		return "an EC"
	}
	return "another kind of"
}

func curveFor(alg string) elliptic.Curve {
	switch alg {
	case "ES384":
		return elliptic.P384()
	case "ES512":
		return elliptic.P521()
	}
	return elliptic.P256()
}

func suggestAlg(k crypto.Signer) string {
	if ec, ok := k.(*ecdsa.PrivateKey); ok {
		switch ec.Curve {
		case elliptic.P384():
			return "ES384"
		case elliptic.P521():
			return "ES512"
		}
		return "ES256"
	}
	return "RS256"
}

// Sign makes a client assertion for clientID to the tenant at baseURL (its
// audience is the issuer, baseURL + "/"), issued at now.
func (s *AssertionSigner) Sign(clientID, baseURL string, now time.Time) (string, error) {
	jti, err := uuid4()
	if err != nil {
		return "", err
	}
	header := `{"alg":` + quoteJSON(s.Alg)
	if s.KeyID != "" {
		header += `,"kid":` + quoteJSON(s.KeyID)
	}
	header += "}"
	iat := now.Unix()
	claims := fmt.Sprintf(`{"iat":%d,"sub":%s,"jti":%s,"iss":%s,"aud":%s,"exp":%d}`,
		iat, quoteJSON(clientID), quoteJSON(jti), quoteJSON(clientID), quoteJSON(baseURL+"/"), iat+int64(AssertionLifetime/time.Second))
	enc := base64.RawURLEncoding
	signing := enc.EncodeToString([]byte(header)) + "." + enc.EncodeToString([]byte(claims))
	sig, err := s.method.Sign(signing, s.key)
	if err != nil {
		return "", fmt.Errorf("signing the client assertion with %s: %v", s.Path, err)
	}
	return signing + "." + enc.EncodeToString(sig), nil
}

// quoteJSON is s as a JSON string, written as JSON.stringify writes it.
func quoteJSON(s string) string { return string(appendJSString(nil, s)) }

// uuid4 is a random (version 4) UUID, as the SDK's jti.
func uuid4() (string, error) {
	var b [16]byte
	if _, err := rand.Read(b[:]); err != nil {
		return "", err
	}
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	return fmt.Sprintf("%x-%x-%x-%x-%x", b[0:4], b[4:6], b[6:8], b[8:10], b[10:16]), nil
}
