'use strict';
// Records what node-auth0 2.44.1's AuthenticationClient really sends.
//
// Usage (normally via record.sh): NODE_PATH=<dir with node_modules/auth0>
//   NODE_TLS_REJECT_UNAUTHORIZED=0 node record.js CERT.pem KEY.pem OUT.json
//
// Every case is run, one at a time, against a local HTTPS server that answers
// 200 {} to everything; what arrived (or the error the SDK threw before
// sending anything) is written to OUT.json. Case inputs are written as the
// httpie-style args our CLI takes ("k=string", "k:=JSON"); the JS object
// handed to the SDK is built from those args, in their order, with
// JSON.parse for ":=" values, exactly as a JS program would.

const fs = require('fs');
const https = require('https');

const SDK_VERSION = '2.44.1';
const [certFile, keyFile, outFile] = process.argv.slice(2);
if (!certFile || !keyFile || !outFile) {
  console.error('usage: node record.js CERT.pem KEY.pem OUT.json');
  process.exit(2);
}

const sdkVersion = require('auth0/package.json').version;
if (sdkVersion !== SDK_VERSION) {
  console.error(`record.js: expected auth0@${SDK_VERSION}, found ${sdkVersion}`);
  process.exit(1);
}
const { AuthenticationClient } = require('auth0');

// The SDK warns about the deprecated /oauth/ro endpoint and HS256 tokens.
console.warn = () => {};

const CLIENT_ID = 'explorer-test-client';
const CLIENT_SECRET = 's3cr3t-Client-Secret-0123456789';
const CLIENTS = {
  normal: { clientId: CLIENT_ID, clientSecret: CLIENT_SECRET },
  noSecret: { clientId: CLIENT_ID },
  none: {},
};

const EMAIL = 'jane@example.com';
const PW = 'Passw0rd!';
const CONN = 'Username-Password-Authentication';
const PHONE = '+14155550123';
const FWD = '203.0.113.7';
const JWT_BEARER = 'urn:ietf:params:oauth:grant-type:jwt-bearer';
const ID_TOKEN = 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJhdXRoMHwxMjMifQ.c2lnbmF0dXJl';
const ACCESS_TOKEN = 'at-0123456789abcdef';
const REFRESH_TOKEN = 'rt-v1.MRrtRefreshTokenValue0123';
const TARGET = 'target-client-id-0123';
const TRICKY = 'Zoë <b>&amp; "quoted" \\ back\u2028sep\ttab\u0001ctl 🚀';

// Operations taking a bare string instead of an object: the name the
// string is given under.
const STRING_ARG = {
  getProfile: 'accessToken',
  'users.getInfo': 'accessToken',
  'tokens.getInfo': 'idToken',
};
// Operations whose second argument is `options` (options.forwardedFor).
const WITH_OPTIONS = new Set([
  'passwordGrant',
  'oauth.passwordGrant',
  'oauth.signIn',
  'passwordless.signIn',
  'passwordless.sendEmail',
  'passwordless.sendSMS',
]);

const cases = [];
function c(name, op, args, opts = {}) {
  cases.push({ name, op, args, client: 'normal', ...opts });
}
const ws = '   '; // whitespace-only value

// ---------------------------------------------------------------- top level
c('changePassword/basic', 'changePassword', [`email=${EMAIL}`, `password=${PW}`, `connection=${CONN}`]);
c('changePassword/no-client', 'changePassword', [`email=${EMAIL}`, `password=${PW}`, `connection=${CONN}`], { client: 'none' });
c('changePassword/missing-email', 'changePassword', [`password=${PW}`, `connection=${CONN}`]);
c('changePassword/blank-email', 'changePassword', [`email=${ws}`, `password=${PW}`, `connection=${CONN}`]);
c('changePassword/missing-password', 'changePassword', [`email=${EMAIL}`, `connection=${CONN}`]);
c('changePassword/blank-password', 'changePassword', [`email=${EMAIL}`, `password=${ws}`, `connection=${CONN}`]);
c('changePassword/missing-connection', 'changePassword', [`email=${EMAIL}`, `password=${PW}`]);
c('changePassword/blank-connection', 'changePassword', [`email=${EMAIL}`, `password=${PW}`, `connection=${ws}`]);

c('clientCredentialsGrant/basic', 'clientCredentialsGrant', []);
c('clientCredentialsGrant/audience-scope', 'clientCredentialsGrant', ['audience=https://api.example.com/', 'scope=read:users update:users']);
c('clientCredentialsGrant/no-secret', 'clientCredentialsGrant', ['audience=https://api.example.com/'], { client: 'noSecret' });
c('clientCredentialsGrant/no-secret-secret-in-data', 'clientCredentialsGrant', ['audience=https://api.example.com/', 'client_secret=data-secret'], { client: 'noSecret' });
c('clientCredentialsGrant/no-client', 'clientCredentialsGrant', ['audience=https://api.example.com/'], { client: 'none' });
c('clientCredentialsGrant/blank-client_id', 'clientCredentialsGrant', [`client_id=${ws}`]);

c('getDelegationToken/basic', 'getDelegationToken', [`id_token=${ID_TOKEN}`, 'api_type=app', `target=${TARGET}`, `grant_type=${JWT_BEARER}`]);
c('getDelegationToken/scope', 'getDelegationToken', [`id_token=${ID_TOKEN}`, 'api_type=firebase', 'scope=openid email', `target=${TARGET}`, `grant_type=${JWT_BEARER}`]);
c('getDelegationToken/aliases', 'getDelegationToken', [`id_token=${ID_TOKEN}`, 'api=aws', `targetClientId=${TARGET}`, `grant_type=${JWT_BEARER}`]);
c('getDelegationToken/aliases-win', 'getDelegationToken', [`grant_type=${JWT_BEARER}`, 'api_type=app', 'target=ignored-target', 'api=aws', `targetClientId=${TARGET}`, `id_token=${ID_TOKEN}`]);
c('getDelegationToken/extra-fields-dropped', 'getDelegationToken', [`id_token=${ID_TOKEN}`, 'api_type=app', `target=${TARGET}`, `grant_type=${JWT_BEARER}`, 'client_id=other-client', 'device=my-device']);
c('getDelegationToken/no-client', 'getDelegationToken', [`id_token=${ID_TOKEN}`, 'api_type=app', `target=${TARGET}`, `grant_type=${JWT_BEARER}`], { client: 'none' });
c('getDelegationToken/refresh_token-sdk-bug', 'getDelegationToken', [`refresh_token=${REFRESH_TOKEN}`, 'api_type=app', 'scope=openid', `target=${TARGET}`, `grant_type=${JWT_BEARER}`], { sdkBug: true });
c('getDelegationToken/refresh_token', 'getDelegationToken', [`refresh_token=${REFRESH_TOKEN}`, 'api_type=app', 'scope=openid', `target=${TARGET}`, `grant_type=${JWT_BEARER}`], {
  documented: true,
  // What the documentation promises: the translated object the top-level
  // method builds, with refresh_token kept (added last).
  invoke: (auth0, data) =>
    auth0.tokens.getDelegationToken({
      id_token: data.id_token,
      api_type: data.api || data.api_type,
      scope: data.scope,
      target: data.targetClientId || data.target,
      grant_type: data.grant_type,
      refresh_token: data.refresh_token,
    }),
});
c('getDelegationToken/missing-id_token', 'getDelegationToken', ['api_type=app', `target=${TARGET}`, `grant_type=${JWT_BEARER}`]);
c('getDelegationToken/blank-id_token', 'getDelegationToken', [`id_token=${ws}`, 'api_type=app', `target=${TARGET}`, `grant_type=${JWT_BEARER}`]);
c('getDelegationToken/missing-target', 'getDelegationToken', [`id_token=${ID_TOKEN}`, 'api_type=app', `grant_type=${JWT_BEARER}`]);
c('getDelegationToken/blank-target', 'getDelegationToken', [`id_token=${ID_TOKEN}`, 'api_type=app', `target=${ws}`, `grant_type=${JWT_BEARER}`]);
c('getDelegationToken/missing-api_type', 'getDelegationToken', [`id_token=${ID_TOKEN}`, `target=${TARGET}`, `grant_type=${JWT_BEARER}`]);
c('getDelegationToken/blank-api_type', 'getDelegationToken', [`id_token=${ID_TOKEN}`, `api_type=${ws}`, `target=${TARGET}`, `grant_type=${JWT_BEARER}`]);
c('getDelegationToken/missing-grant_type', 'getDelegationToken', [`id_token=${ID_TOKEN}`, 'api_type=app', `target=${TARGET}`]);
c('getDelegationToken/blank-grant_type', 'getDelegationToken', [`id_token=${ID_TOKEN}`, 'api_type=app', `target=${TARGET}`, `grant_type=${ws}`]);

c('getProfile/basic', 'getProfile', [`accessToken=${ACCESS_TOKEN}`]);
c('getProfile/missing-accessToken', 'getProfile', []);
c('getProfile/empty-accessToken', 'getProfile', ['accessToken=']);
c('getProfile/blank-accessToken', 'getProfile', [`accessToken=${ws}`]);

c('passwordGrant/basic', 'passwordGrant', [`username=${EMAIL}`, `password=${PW}`]);
c('passwordGrant/realm', 'passwordGrant', [`username=${EMAIL}`, `password=${PW}`, `realm=${CONN}`]);
c('passwordGrant/realm-scope-audience', 'passwordGrant', [`username=${EMAIL}`, `password=${PW}`, `realm=${CONN}`, 'scope=openid profile email offline_access', 'audience=https://api.example.com/']);
c('passwordGrant/forwardedFor', 'passwordGrant', [`username=${EMAIL}`, `password=${PW}`, `realm=${CONN}`], { forwardedFor: FWD });
c('passwordGrant/no-secret', 'passwordGrant', [`username=${EMAIL}`, `password=${PW}`], { client: 'noSecret' });
c('passwordGrant/no-client', 'passwordGrant', [`username=${EMAIL}`, `password=${PW}`], { client: 'none' });
c('passwordGrant/client_id-override', 'passwordGrant', ['client_id=other-client', `username=${EMAIL}`, `password=${PW}`]);
c('passwordGrant/empty-realm', 'passwordGrant', [`username=${EMAIL}`, `password=${PW}`, 'realm=']);
c('passwordGrant/missing-username', 'passwordGrant', [`password=${PW}`]);
c('passwordGrant/non-string-username', 'passwordGrant', ['username:=12345', `password=${PW}`]);
c('passwordGrant/empty-username-passes', 'passwordGrant', ['username=', `password=${PW}`]);
c('passwordGrant/missing-password', 'passwordGrant', [`username=${EMAIL}`]);
c('passwordGrant/blank-password-passes', 'passwordGrant', [`username=${EMAIL}`, `password=${ws}`]);

c('refreshToken/basic', 'refreshToken', [`refresh_token=${REFRESH_TOKEN}`]);
c('refreshToken/no-secret', 'refreshToken', [`refresh_token=${REFRESH_TOKEN}`], { client: 'noSecret' });
c('refreshToken/missing-refresh_token', 'refreshToken', []);
c('refreshToken/empty-refresh_token-passes', 'refreshToken', ['refresh_token=']);

c('requestChangePasswordEmail/basic', 'requestChangePasswordEmail', [`email=${EMAIL}`, `connection=${CONN}`]);
c('requestChangePasswordEmail/missing-email', 'requestChangePasswordEmail', [`connection=${CONN}`]);
c('requestChangePasswordEmail/blank-email', 'requestChangePasswordEmail', [`email=${ws}`, `connection=${CONN}`]);
c('requestChangePasswordEmail/missing-connection', 'requestChangePasswordEmail', [`email=${EMAIL}`]);
c('requestChangePasswordEmail/blank-connection', 'requestChangePasswordEmail', [`email=${EMAIL}`, `connection=${ws}`]);

const AUTH_PARAMS = 'authParams:={"scope":"openid email","redirect_uri":"https://app.example.com/cb"}';
c('requestEmailCode/basic', 'requestEmailCode', [`email=${EMAIL}`]);
c('requestEmailCode/authParams', 'requestEmailCode', [`email=${EMAIL}`, AUTH_PARAMS]);
c('requestEmailCode/send-and-connection-forced', 'requestEmailCode', ['connection=my-connection', 'send=link', `email=${EMAIL}`]);
c('requestEmailCode/missing-email', 'requestEmailCode', []);
c('requestEmailCode/blank-email', 'requestEmailCode', [`email=${ws}`]);

c('requestMagicLink/basic', 'requestMagicLink', [`email=${EMAIL}`]);
c('requestMagicLink/authParams', 'requestMagicLink', [`email=${EMAIL}`, AUTH_PARAMS]);
c('requestMagicLink/no-client', 'requestMagicLink', [`email=${EMAIL}`], { client: 'none' });
c('requestMagicLink/missing-email', 'requestMagicLink', []);
c('requestMagicLink/blank-email', 'requestMagicLink', [`email=${ws}`]);

c('requestSMSCode/phoneNumber', 'requestSMSCode', [`phoneNumber=${PHONE}`]);
c('requestSMSCode/phone_number', 'requestSMSCode', [`phone_number=${PHONE}`]);
c('requestSMSCode/phoneNumber-wins', 'requestSMSCode', ['phone_number=+14155550000', `phoneNumber=${PHONE}`]);
c('requestSMSCode/extra-fields-dropped', 'requestSMSCode', [`phone_number=${PHONE}`, 'authParams:={"scope":"openid"}', 'connection=email']);
c('requestSMSCode/missing-phone_number', 'requestSMSCode', []);
c('requestSMSCode/blank-phone_number', 'requestSMSCode', [`phone_number=${ws}`]);

c('verifySMSCode/otp', 'verifySMSCode', [`username=${PHONE}`, 'otp=123456']);
c('verifySMSCode/otp-phoneNumber', 'verifySMSCode', [`phoneNumber=${PHONE}`, 'otp=123456']);
c('verifySMSCode/otp-phone_number', 'verifySMSCode', [`phone_number=${PHONE}`, 'otp=123456']);
c('verifySMSCode/code', 'verifySMSCode', [`phone_number=${PHONE}`, 'code=123456']);
c('verifySMSCode/password', 'verifySMSCode', [`username=${PHONE}`, 'password=123456']);
c('verifySMSCode/code-wins-over-password', 'verifySMSCode', [`username=${PHONE}`, 'password=999999', 'code=123456']);
c('verifySMSCode/otp-wins-and-extra-dropped', 'verifySMSCode', [`username=${PHONE}`, 'code=999999', 'otp=123456', 'realm=email', 'scope=openid profile']);
c('verifySMSCode/no-secret', 'verifySMSCode', [`username=${PHONE}`, 'otp=123456'], { client: 'noSecret' });
c('verifySMSCode/missing-username', 'verifySMSCode', ['otp=123456']);
c('verifySMSCode/blank-username', 'verifySMSCode', [`username=${ws}`, 'otp=123456']);
c('verifySMSCode/missing-code', 'verifySMSCode', [`username=${PHONE}`]);
c('verifySMSCode/blank-code', 'verifySMSCode', [`username=${PHONE}`, `code=${ws}`]);

c('verifyEmailCode/basic', 'verifyEmailCode', [`email=${EMAIL}`, 'otp=123456']);
c('verifyEmailCode/extra-fields-dropped', 'verifyEmailCode', [`email=${EMAIL}`, 'otp=123456', 'realm=sms', 'scope=openid profile']);
c('verifyEmailCode/missing-email', 'verifyEmailCode', ['otp=123456']);
c('verifyEmailCode/missing-otp', 'verifyEmailCode', [`email=${EMAIL}`]);
c('verifyEmailCode/blank-otp', 'verifyEmailCode', [`email=${EMAIL}`, `otp=${ws}`]);

// ----------------------------------------------------------------- database
c('database.signIn/basic', 'database.signIn', [`username=${EMAIL}`, `password=${PW}`]);
c('database.signIn/connection-scope', 'database.signIn', [`username=${EMAIL}`, `password=${PW}`, 'connection=my-db', 'scope=openid profile']);
c('database.signIn/empty-connection-passes', 'database.signIn', [`username=${EMAIL}`, `password=${PW}`, 'connection=']);
c('database.signIn/missing-username', 'database.signIn', [`password=${PW}`]);
c('database.signIn/blank-username', 'database.signIn', [`username=${ws}`, `password=${PW}`]);
c('database.signIn/missing-password', 'database.signIn', [`username=${EMAIL}`]);
c('database.signIn/blank-password', 'database.signIn', [`username=${EMAIL}`, `password=${ws}`]);

c('database.signUp/basic', 'database.signUp', [`email=${EMAIL}`, `password=${PW}`, `connection=${CONN}`]);
c('database.signUp/user_metadata', 'database.signUp', [`email=${EMAIL}`, `password=${PW}`, `connection=${CONN}`, 'user_metadata:={"plan":"pro","ratio":1.5,"2":"two","nested":{"b":true,"a":null,"10":[1,"x"]},"1":"one"}']);
c('database.signUp/username', 'database.signUp', [`email=${EMAIL}`, 'username=jane_doe', `password=${PW}`, `connection=${CONN}`]);
c('database.signUp/tricky-string', 'database.signUp', [`email=${EMAIL}`, `password=${PW}`, `connection=${CONN}`, `given_name=${TRICKY}`]);
c('database.signUp/number-formatting', 'database.signUp', [`email=${EMAIL}`, `password=${PW}`, `connection=${CONN}`, 'user_metadata:={"a":10.0,"b":1e3,"c":-0,"d":0.1,"e":1e21,"f":12345678901234567890,"g":1.5e-7,"h":-2.50}']);
c('database.signUp/integer-like-top-level-key', 'database.signUp', [`email=${EMAIL}`, `password=${PW}`, `connection=${CONN}`, '7=seven', 'name=Jane']);
c('database.signUp/no-client', 'database.signUp', [`email=${EMAIL}`, `password=${PW}`, `connection=${CONN}`], { client: 'none' });
c('database.signUp/missing-email', 'database.signUp', [`password=${PW}`, `connection=${CONN}`]);
c('database.signUp/blank-email', 'database.signUp', [`email=${ws}`, `password=${PW}`, `connection=${CONN}`]);
c('database.signUp/missing-password', 'database.signUp', [`email=${EMAIL}`, `connection=${CONN}`]);
c('database.signUp/blank-password', 'database.signUp', [`email=${EMAIL}`, `password=${ws}`, `connection=${CONN}`]);
c('database.signUp/missing-connection', 'database.signUp', [`email=${EMAIL}`, `password=${PW}`]);
c('database.signUp/blank-connection', 'database.signUp', [`email=${EMAIL}`, `password=${PW}`, `connection=${ws}`]);

c('database.changePassword/basic', 'database.changePassword', [`email=${EMAIL}`, `password=${PW}`, `connection=${CONN}`]);
c('database.changePassword/client_id-override', 'database.changePassword', [`email=${EMAIL}`, `password=${PW}`, `connection=${CONN}`, 'client_id=other-client']);
c('database.changePassword/missing-email', 'database.changePassword', [`password=${PW}`, `connection=${CONN}`]);
c('database.changePassword/blank-email', 'database.changePassword', [`email=${ws}`, `password=${PW}`, `connection=${CONN}`]);
c('database.changePassword/missing-password', 'database.changePassword', [`email=${EMAIL}`, `connection=${CONN}`]);
c('database.changePassword/blank-password', 'database.changePassword', [`email=${EMAIL}`, `password=${ws}`, `connection=${CONN}`]);
c('database.changePassword/missing-connection', 'database.changePassword', [`email=${EMAIL}`, `password=${PW}`]);
c('database.changePassword/blank-connection', 'database.changePassword', [`email=${EMAIL}`, `password=${PW}`, `connection=${ws}`]);

c('database.requestChangePasswordEmail/basic', 'database.requestChangePasswordEmail', [`email=${EMAIL}`, `connection=${CONN}`]);
c('database.requestChangePasswordEmail/client_id-override', 'database.requestChangePasswordEmail', ['client_id=other-client', `email=${EMAIL}`, `connection=${CONN}`]);
c('database.requestChangePasswordEmail/missing-email', 'database.requestChangePasswordEmail', [`connection=${CONN}`]);
c('database.requestChangePasswordEmail/blank-email', 'database.requestChangePasswordEmail', [`email=${ws}`, `connection=${CONN}`]);
c('database.requestChangePasswordEmail/missing-connection', 'database.requestChangePasswordEmail', [`email=${EMAIL}`]);
c('database.requestChangePasswordEmail/blank-connection', 'database.requestChangePasswordEmail', [`email=${EMAIL}`, `connection=${ws}`]);

// -------------------------------------------------------------------- oauth
c('oauth.signIn/basic', 'oauth.signIn', [`username=${EMAIL}`, `password=${PW}`, `connection=${CONN}`]);
c('oauth.signIn/forwardedFor', 'oauth.signIn', [`username=${EMAIL}`, `password=${PW}`, `connection=${CONN}`], { forwardedFor: FWD });
c('oauth.signIn/overrides', 'oauth.signIn', ['scope=openid profile', 'grant_type=password', `connection=${CONN}`, `username=${EMAIL}`, `password=${PW}`, 'client_id=other-client']);
c('oauth.signIn/no-client', 'oauth.signIn', [`username=${EMAIL}`, `password=${PW}`, `connection=${CONN}`], { client: 'none' });
c('oauth.signIn/empty-connection-passes', 'oauth.signIn', [`username=${EMAIL}`, `password=${PW}`, 'connection=']);
c('oauth.signIn/missing-connection', 'oauth.signIn', [`username=${EMAIL}`, `password=${PW}`]);

c('oauth.passwordGrant/basic', 'oauth.passwordGrant', [`username=${EMAIL}`, `password=${PW}`]);
c('oauth.passwordGrant/realm', 'oauth.passwordGrant', [`username=${EMAIL}`, `password=${PW}`, `realm=${CONN}`]);
c('oauth.passwordGrant/scope-audience', 'oauth.passwordGrant', [`username=${EMAIL}`, `password=${PW}`, 'scope=openid', 'audience=https://api.example.com/']);
c('oauth.passwordGrant/forwardedFor', 'oauth.passwordGrant', [`username=${EMAIL}`, `password=${PW}`], { forwardedFor: FWD });
c('oauth.passwordGrant/no-secret-realm', 'oauth.passwordGrant', [`username=${EMAIL}`, `password=${PW}`, `realm=${CONN}`], { client: 'noSecret' });
c('oauth.passwordGrant/blank-realm', 'oauth.passwordGrant', [`username=${EMAIL}`, `password=${PW}`, `realm=${ws}`]);
c('oauth.passwordGrant/missing-username', 'oauth.passwordGrant', [`password=${PW}`]);
c('oauth.passwordGrant/blank-username-passes', 'oauth.passwordGrant', [`username=${ws}`, `password=${PW}`]);
c('oauth.passwordGrant/missing-password', 'oauth.passwordGrant', [`username=${EMAIL}`]);
c('oauth.passwordGrant/empty-password-passes', 'oauth.passwordGrant', [`username=${EMAIL}`, 'password=']);

c('oauth.refreshToken/basic', 'oauth.refreshToken', [`refresh_token=${REFRESH_TOKEN}`]);
c('oauth.refreshToken/scope-client_id', 'oauth.refreshToken', ['client_id=other-client', `refresh_token=${REFRESH_TOKEN}`, 'scope=openid']);
c('oauth.refreshToken/no-client', 'oauth.refreshToken', [`refresh_token=${REFRESH_TOKEN}`], { client: 'none' });
c('oauth.refreshToken/missing-refresh_token', 'oauth.refreshToken', []);
c('oauth.refreshToken/blank-refresh_token-passes', 'oauth.refreshToken', [`refresh_token=${ws}`]);

c('oauth.socialSignIn/basic', 'oauth.socialSignIn', ['access_token=fb-access-token-123', 'connection=facebook']);
c('oauth.socialSignIn/scope', 'oauth.socialSignIn', ['access_token=fb-access-token-123', 'connection=facebook', 'scope=openid email', 'client_id=other-client']);
c('oauth.socialSignIn/missing-access_token', 'oauth.socialSignIn', ['connection=facebook']);
c('oauth.socialSignIn/blank-access_token', 'oauth.socialSignIn', [`access_token=${ws}`, 'connection=facebook']);
c('oauth.socialSignIn/missing-connection', 'oauth.socialSignIn', ['access_token=fb-access-token-123']);
c('oauth.socialSignIn/blank-connection', 'oauth.socialSignIn', ['access_token=fb-access-token-123', `connection=${ws}`]);

c('oauth.clientCredentialsGrant/basic', 'oauth.clientCredentialsGrant', []);
c('oauth.clientCredentialsGrant/audience', 'oauth.clientCredentialsGrant', ['audience=https://api.example.com/']);
c('oauth.clientCredentialsGrant/no-secret', 'oauth.clientCredentialsGrant', ['audience=https://api.example.com/'], { client: 'noSecret' });
c('oauth.clientCredentialsGrant/no-client', 'oauth.clientCredentialsGrant', [], { client: 'none' });
c('oauth.clientCredentialsGrant/blank-client_secret', 'oauth.clientCredentialsGrant', [`client_secret=${ws}`]);
c('oauth.clientCredentialsGrant/credentials-in-data', 'oauth.clientCredentialsGrant', ['client_id=data-client', 'client_secret=data-secret', 'audience=https://api.example.com/'], { client: 'none' });

c('oauth.authorizationCodeGrant/basic', 'oauth.authorizationCodeGrant', ['code=auth-code-123', 'redirect_uri=https://app.example.com/cb']);
c('oauth.authorizationCodeGrant/pkce', 'oauth.authorizationCodeGrant', ['code=auth-code-123', 'redirect_uri=https://app.example.com/cb', 'code_verifier=dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk'], { client: 'noSecret' });
c('oauth.authorizationCodeGrant/missing-code', 'oauth.authorizationCodeGrant', ['redirect_uri=https://app.example.com/cb']);
c('oauth.authorizationCodeGrant/blank-code', 'oauth.authorizationCodeGrant', [`code=${ws}`, 'redirect_uri=https://app.example.com/cb']);
c('oauth.authorizationCodeGrant/missing-redirect_uri', 'oauth.authorizationCodeGrant', ['code=auth-code-123']);
c('oauth.authorizationCodeGrant/blank-redirect_uri', 'oauth.authorizationCodeGrant', ['code=auth-code-123', `redirect_uri=${ws}`]);

// ------------------------------------------------------------- passwordless
c('passwordless.signIn/otp-realm-email', 'passwordless.signIn', [`username=${EMAIL}`, 'otp=123456', 'realm=email']);
c('passwordless.signIn/otp', 'passwordless.signIn', [`username=${PHONE}`, 'otp=123456']);
c('passwordless.signIn/otp-bogus-realm', 'passwordless.signIn', [`username=${PHONE}`, 'realm=bogus', 'otp=123456']);
c('passwordless.signIn/otp-forwardedFor', 'passwordless.signIn', [`username=${PHONE}`, 'otp=123456', 'scope=openid profile'], { forwardedFor: FWD });
c('passwordless.signIn/otp-no-client', 'passwordless.signIn', [`username=${PHONE}`, 'otp=123456'], { client: 'none' });
c('passwordless.signIn/password-connection-email', 'passwordless.signIn', [`username=${EMAIL}`, 'password=123456', 'connection=email']);
c('passwordless.signIn/password-bogus-connection', 'passwordless.signIn', ['connection=bogus', `username=${PHONE}`, 'password=123456', 'grant_type=bogus']);
c('passwordless.signIn/password', 'passwordless.signIn', [`username=${PHONE}`, 'password=123456']);
c('passwordless.signIn/password-forwardedFor', 'passwordless.signIn', [`username=${PHONE}`, 'password=123456'], { forwardedFor: FWD });
c('passwordless.signIn/blank-otp-uses-password', 'passwordless.signIn', [`username=${PHONE}`, `otp=${ws}`, 'password=123456']);
c('passwordless.signIn/missing-username', 'passwordless.signIn', ['otp=123456']);
c('passwordless.signIn/blank-username', 'passwordless.signIn', [`username=${ws}`, 'otp=123456']);
c('passwordless.signIn/missing-otp-and-password', 'passwordless.signIn', [`username=${PHONE}`]);
c('passwordless.signIn/blank-password', 'passwordless.signIn', [`username=${PHONE}`, `password=${ws}`]);

c('passwordless.sendEmail/link', 'passwordless.sendEmail', [`email=${EMAIL}`, 'send=link']);
c('passwordless.sendEmail/code-authParams', 'passwordless.sendEmail', [`email=${EMAIL}`, 'send=code', AUTH_PARAMS]);
c('passwordless.sendEmail/connection-forced', 'passwordless.sendEmail', ['connection=my-connection', `email=${EMAIL}`, 'send=link']);
c('passwordless.sendEmail/forwardedFor', 'passwordless.sendEmail', [`email=${EMAIL}`, 'send=code'], { forwardedFor: FWD });
c('passwordless.sendEmail/no-secret', 'passwordless.sendEmail', [`email=${EMAIL}`, 'send=code'], { client: 'noSecret' });
c('passwordless.sendEmail/missing-email', 'passwordless.sendEmail', ['send=link']);
c('passwordless.sendEmail/blank-email', 'passwordless.sendEmail', [`email=${ws}`, 'send=link']);
c('passwordless.sendEmail/missing-send', 'passwordless.sendEmail', [`email=${EMAIL}`]);
c('passwordless.sendEmail/blank-send', 'passwordless.sendEmail', [`email=${EMAIL}`, `send=${ws}`]);

c('passwordless.sendSMS/basic', 'passwordless.sendSMS', [`phone_number=${PHONE}`]);
c('passwordless.sendSMS/forwardedFor', 'passwordless.sendSMS', [`phone_number=${PHONE}`], { forwardedFor: FWD });
c('passwordless.sendSMS/connection-forced', 'passwordless.sendSMS', ['connection=email', `phone_number=${PHONE}`, 'authParams:={"scope":"openid"}']);
c('passwordless.sendSMS/no-client', 'passwordless.sendSMS', [`phone_number=${PHONE}`], { client: 'none' });
c('passwordless.sendSMS/missing-phone_number', 'passwordless.sendSMS', []);
c('passwordless.sendSMS/blank-phone_number', 'passwordless.sendSMS', [`phone_number=${ws}`]);
c('passwordless.sendSMS/phoneNumber-not-an-alias', 'passwordless.sendSMS', [`phoneNumber=${PHONE}`]);

// ------------------------------------------------------------------- tokens
c('tokens.getInfo/basic', 'tokens.getInfo', [`idToken=${ID_TOKEN}`]);
c('tokens.getInfo/missing-idToken', 'tokens.getInfo', []);
c('tokens.getInfo/blank-idToken', 'tokens.getInfo', [`idToken=${ws}`]);

c('tokens.getDelegationToken/id_token', 'tokens.getDelegationToken', [`id_token=${ID_TOKEN}`, 'api_type=app', `target=${TARGET}`, `grant_type=${JWT_BEARER}`]);
c('tokens.getDelegationToken/refresh_token', 'tokens.getDelegationToken', [`refresh_token=${REFRESH_TOKEN}`, 'api_type=app', 'scope=openid', `target=${TARGET}`, `grant_type=${JWT_BEARER}`]);
c('tokens.getDelegationToken/extra-fields-kept', 'tokens.getDelegationToken', ['client_id=other-client', `id_token=${ID_TOKEN}`, 'api_type=app', `target=${TARGET}`, `grant_type=${JWT_BEARER}`, 'api=aws', 'device=my-device']);
c('tokens.getDelegationToken/no-client', 'tokens.getDelegationToken', [`id_token=${ID_TOKEN}`, 'api_type=app', `target=${TARGET}`, `grant_type=${JWT_BEARER}`], { client: 'none' });
c('tokens.getDelegationToken/missing-tokens', 'tokens.getDelegationToken', ['api_type=app', `target=${TARGET}`, `grant_type=${JWT_BEARER}`]);
c('tokens.getDelegationToken/blank-refresh_token', 'tokens.getDelegationToken', [`refresh_token=${ws}`, 'api_type=app', `target=${TARGET}`, `grant_type=${JWT_BEARER}`]);
c('tokens.getDelegationToken/both-tokens', 'tokens.getDelegationToken', [`id_token=${ID_TOKEN}`, `refresh_token=${REFRESH_TOKEN}`, 'api_type=app', `target=${TARGET}`, `grant_type=${JWT_BEARER}`]);
c('tokens.getDelegationToken/missing-target', 'tokens.getDelegationToken', [`id_token=${ID_TOKEN}`, 'api_type=app', `grant_type=${JWT_BEARER}`]);
c('tokens.getDelegationToken/alias-not-accepted', 'tokens.getDelegationToken', [`id_token=${ID_TOKEN}`, 'api_type=app', `targetClientId=${TARGET}`, `grant_type=${JWT_BEARER}`]);
c('tokens.getDelegationToken/missing-api_type', 'tokens.getDelegationToken', [`id_token=${ID_TOKEN}`, `target=${TARGET}`, `grant_type=${JWT_BEARER}`]);
c('tokens.getDelegationToken/blank-api_type', 'tokens.getDelegationToken', [`id_token=${ID_TOKEN}`, `api_type=${ws}`, `target=${TARGET}`, `grant_type=${JWT_BEARER}`]);
c('tokens.getDelegationToken/missing-grant_type', 'tokens.getDelegationToken', [`id_token=${ID_TOKEN}`, 'api_type=app', `target=${TARGET}`]);

c('tokens.revokeRefreshToken/basic', 'tokens.revokeRefreshToken', [`token=${REFRESH_TOKEN}`]);
c('tokens.revokeRefreshToken/client_id-in-data', 'tokens.revokeRefreshToken', [`token=${REFRESH_TOKEN}`, 'client_id=other-client']);
c('tokens.revokeRefreshToken/no-secret', 'tokens.revokeRefreshToken', [`token=${REFRESH_TOKEN}`], { client: 'noSecret' });
c('tokens.revokeRefreshToken/no-client-client_id-in-data', 'tokens.revokeRefreshToken', [`token=${REFRESH_TOKEN}`, 'client_id=other-client'], { client: 'none' });
c('tokens.revokeRefreshToken/no-client', 'tokens.revokeRefreshToken', [`token=${REFRESH_TOKEN}`], { client: 'none' });
c('tokens.revokeRefreshToken/no-client-blank-client_id', 'tokens.revokeRefreshToken', [`token=${REFRESH_TOKEN}`, `client_id=${ws}`], { client: 'none' });
c('tokens.revokeRefreshToken/missing-token', 'tokens.revokeRefreshToken', []);
c('tokens.revokeRefreshToken/blank-token', 'tokens.revokeRefreshToken', [`token=${ws}`]);

// -------------------------------------------------------------------- users
c('users.getInfo/basic', 'users.getInfo', [`accessToken=${ACCESS_TOKEN}`]);
c('users.getInfo/missing-accessToken', 'users.getInfo', []);
c('users.getInfo/blank-accessToken', 'users.getInfo', [`accessToken=${ws}`]);

const IMP = ['impersonator_id=auth0|admin0001', 'protocol=oauth2', 'token=mgmt-api-token-xyz'];
c('users.impersonate/basic', 'users.impersonate', ['userId=auth0|5f7c8ec7c33c6c004bbafe82', ...IMP]);
c('users.impersonate/additionalParameters', 'users.impersonate', ['userId=auth0|5f7c8ec7c33c6c004bbafe82', ...IMP, 'additionalParameters:={"response_type":"code","state":"xyz","scope":"openid profile","callback_url":"https://app.example.com/cb"}']);
c('users.impersonate/clientId-in-settings', 'users.impersonate', ['userId=auth0|5f7c8ec7c33c6c004bbafe82', ...IMP, 'clientId=other-client']);
c('users.impersonate/no-client', 'users.impersonate', ['userId=auth0|5f7c8ec7c33c6c004bbafe82', ...IMP], { client: 'none' });
c('users.impersonate/userId-space', 'users.impersonate', ['userId=email|jane doe', ...IMP]);
c('users.impersonate/userId-slash', 'users.impersonate', ['userId=samlp|acme/jane', ...IMP]);
c('users.impersonate/userId-specials', 'users.impersonate', ['userId=oidc|a%2Fb"c<d>e^f`g{h}i\\j\'k', ...IMP]);
// Node's http client refuses paths with characters above U+00FF. (Latin-1
// ones such as 'ë' are sent as a raw, non-UTF-8 byte: not recordable here.)
c('users.impersonate/userId-non-latin1', 'users.impersonate', ['userId=auth0|雪', ...IMP]);
c('users.impersonate/userId-question-hash', 'users.impersonate', ['userId=auth0|a?b=c#d', ...IMP]);
c('users.impersonate/missing-userId', 'users.impersonate', [...IMP]);
c('users.impersonate/blank-userId', 'users.impersonate', [`userId=${ws}`, ...IMP]);
c('users.impersonate/missing-impersonator_id', 'users.impersonate', ['userId=auth0|5f7c8ec7c33c6c004bbafe82', IMP[1], IMP[2]]);
c('users.impersonate/missing-protocol', 'users.impersonate', ['userId=auth0|5f7c8ec7c33c6c004bbafe82', IMP[0], IMP[2]]);
c('users.impersonate/blank-protocol', 'users.impersonate', ['userId=auth0|5f7c8ec7c33c6c004bbafe82', IMP[0], `protocol=${ws}`, IMP[2]]);
c('users.impersonate/missing-token', 'users.impersonate', ['userId=auth0|5f7c8ec7c33c6c004bbafe82', IMP[0], IMP[1]]);
c('users.impersonate/blank-token', 'users.impersonate', ['userId=auth0|5f7c8ec7c33c6c004bbafe82', IMP[0], IMP[1], `token=${ws}`]);

// ------------------------------------------------------------------ runner

// Builds the JS object from httpie-style args, in order.
function parseArgs(args) {
  const obj = {};
  for (const a of args) {
    const eq = a.indexOf('=');
    if (eq <= 0) throw new Error(`bad arg ${JSON.stringify(a)}`);
    if (a[eq - 1] === ':') {
      obj[a.slice(0, eq - 1)] = JSON.parse(a.slice(eq + 1));
    } else {
      obj[a.slice(0, eq)] = a.slice(eq + 1);
    }
  }
  return obj;
}

function defaultInvoke(auth0, data, kase) {
  const { op } = kase;
  const dot = op.indexOf('.');
  const target = dot < 0 ? auth0 : auth0[op.slice(0, dot)];
  const fn = target[op.slice(dot + 1)];
  if (typeof fn !== 'function') throw new RecorderError(`no SDK method ${op}`);
  if (kase.forwardedFor && !WITH_OPTIONS.has(op)) throw new RecorderError(`${op} takes no options`);

  if (STRING_ARG[op]) {
    const name = STRING_ARG[op];
    const extra = Object.keys(data).filter((k) => k !== name);
    if (extra.length) throw new RecorderError(`${kase.name}: ${op} takes only ${name}`);
    return fn.call(target, data[name]);
  }
  if (op === 'users.impersonate') {
    const { userId, ...settings } = data;
    return fn.call(target, userId, settings);
  }
  if (kase.forwardedFor) return fn.call(target, data, { forwardedFor: kase.forwardedFor });
  return fn.call(target, data);
}

class RecorderError extends Error {}

const tick = (ms) => new Promise((r) => setTimeout(r, ms));

async function main() {
  const names = new Set();
  for (const k of cases) {
    if (names.has(k.name)) throw new Error(`duplicate case name ${k.name}`);
    if (!k.name.startsWith(`${k.op}/`)) throw new Error(`case ${k.name} is not named after ${k.op}`);
    names.add(k.name);
  }

  let arrived = [];
  const server = https.createServer(
    { cert: fs.readFileSync(certFile), key: fs.readFileSync(keyFile) },
    (req, res) => {
      const chunks = [];
      req.on('data', (d) => chunks.push(d));
      req.on('end', () => {
        arrived.push({
          method: req.method,
          url: req.url,
          headers: req.headers,
          body: Buffer.concat(chunks).toString('utf8'),
        });
        const out = '{}';
        res.writeHead(200, {
          'Content-Type': 'application/json',
          'Content-Length': Buffer.byteLength(out),
        });
        res.end(out);
      });
    }
  );
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const host = `127.0.0.1:${server.address().port}`;

  const clients = {};
  for (const [label, creds] of Object.entries(CLIENTS)) {
    clients[label] = new AuthenticationClient({ domain: host, ...creds });
  }

  const results = [];
  for (const kase of cases) {
    arrived = [];
    const data = parseArgs(kase.args);
    const auth0 = clients[kase.client];
    let thrown = null;
    let settled = null;
    try {
      const p = (kase.invoke || defaultInvoke)(auth0, data, kase);
      settled = await Promise.race([
        Promise.resolve(p).then(
          () => ({ ok: true }),
          (err) => ({ ok: false, err })
        ),
        tick(5000).then(() => ({ timeout: true })),
      ]);
    } catch (err) {
      if (err instanceof RecorderError) throw err;
      thrown = err;
    }
    await tick(20); // let any stray request land
    if (settled && settled.timeout) throw new Error(`${kase.name}: SDK call did not settle`);

    const out = { name: kase.name, op: kase.op };
    if (kase.sdkBug) out.sdkBug = true;
    if (kase.documented) out.documented = true;
    out.client = CLIENTS[kase.client];
    out.args = kase.args;
    if (kase.forwardedFor) out.forwardedFor = kase.forwardedFor;

    if (arrived.length > 1) {
      throw new Error(`${kase.name}: expected one request, got ${arrived.length}`);
    }
    if (arrived.length === 1) {
      if (thrown) throw new Error(`${kase.name}: request sent but SDK threw: ${thrown.message}`);
      if (!settled.ok) console.error(`note: ${kase.name}: request sent, then SDK rejected: ${settled.err.message}`);
      const r = arrived[0];
      const headers = {};
      for (const h of ['content-type', 'authorization', 'auth0-forwarded-for']) {
        if (r.headers[h] !== undefined) headers[h] = r.headers[h];
      }
      out.expect = { method: r.method, path: r.url, headers, body: r.body };
    } else {
      const err = thrown || (settled && !settled.ok && settled.err);
      if (!err) throw new Error(`${kase.name}: no request and no error`);
      if (!thrown) console.error(`note: ${kase.name}: refused asynchronously: ${err.message}`);
      if (err.name !== 'ArgumentError') console.error(`note: ${kase.name}: refused with ${err.name}: ${err.message}`);
      out.refused = err.message;
    }
    if (kase.sdkBug && !out.refused) throw new Error(`${kase.name}: SDK bug no longer reproduces`);
    results.push(out);
  }

  server.closeAllConnections();
  server.close();

  let json = JSON.stringify(results, null, 2) + '\n';
  if (json.includes(host)) {
    console.error(`note: removing ${host} from the output`);
    json = json.split(host).join('');
  }
  fs.writeFileSync(outFile, json);
  const sent = results.filter((r) => r.expect).length;
  console.error(
    `recorded ${results.length} cases (${sent} sent, ${results.length - sent} refused) to ${outFile}`
  );
}

main().catch((err) => {
  console.error(`record.js: ${err.stack || err}`);
  process.exit(1);
});
