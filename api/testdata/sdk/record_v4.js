'use strict';
// Records what node-auth0 4.x's AuthenticationClient and UserInfoClient
// really send, for the operations both SDK generations have.
//
// Usage (normally via record.sh): NODE_PATH=<dir with node_modules/auth0>
//   NODE_TLS_REJECT_UNAUTHORIZED=0 node record_v4.js CERT.pem KEY.pem OUT.json ASSERTION_KEY.pem
//
// As record.js: every case runs against a local HTTPS server that answers
// 200 {} to everything; what arrived (or the error the SDK threw before
// sending) is written to OUT.json. `op` is the catalogue's name, `sdkOp` the
// 4.x method called when it is named otherwise. Form bodies are also written
// as ordered [name, value] pairs (`form`).
//
// Client-assertion cases (client `assertion`) construct the client with
// clientAssertionSigningKey, a throwaway PKCS#8 RSA key record.sh makes with
// openssl. The assertion differs per run (iat, jti, signature), so it is
// recorded as a structure: in `body` and `form` its value is the placeholder
// ASSERTION; `expect.assertion` holds its header, the claims that do not
// change (iss, sub, aud), exp - iat, and whether jti is a UUID and the
// signature verifies with the key's public half (checked here).

const fs = require('fs');
const https = require('https');

const SDK_MAJOR = '4.';
const [certFile, keyFile, outFile, assertionKeyFile] = process.argv.slice(2);
if (!certFile || !keyFile || !outFile || !assertionKeyFile) {
  console.error('usage: node record_v4.js CERT.pem KEY.pem OUT.json ASSERTION_KEY.pem');
  process.exit(2);
}

const path = require('path');
const sdkVersion = JSON.parse(
  fs.readFileSync(path.join(path.dirname(require.resolve('auth0')), '..', '..', 'package.json'), 'utf8')
).version;
if (!sdkVersion.startsWith(SDK_MAJOR)) {
  console.error(`record_v4.js: expected auth0@4.x, found ${sdkVersion}`);
  process.exit(1);
}
const { AuthenticationClient, UserInfoClient } = require('auth0');

const CLIENT_ID = 'explorer-test-client';
const CLIENT_SECRET = 's3cr3t-Client-Secret-0123456789';
const ASSERTION_KEY = fs.readFileSync(assertionKeyFile, 'utf8');
// What a case's client is written as in OUT.json: the key itself is thrown away.
const ASSERTION_KEY_SHOWN = '(the PKCS#8 RSA key record.sh made)';
const ASSERTION = 'ASSERTION';
const CLIENTS = {
  normal: { clientId: CLIENT_ID, clientSecret: CLIENT_SECRET },
  noSecret: { clientId: CLIENT_ID },
  none: {},
  assertion: { clientId: CLIENT_ID, clientAssertionSigningKey: ASSERTION_KEY },
  assertionAndSecret: { clientId: CLIENT_ID, clientSecret: CLIENT_SECRET, clientAssertionSigningKey: ASSERTION_KEY },
};

const EMAIL = 'jane@example.com';
const PW = 'Passw0rd!';
const CONN = 'Username-Password-Authentication';
const PHONE = '+14155550123';
const FWD = '203.0.113.7';
const ACCESS_TOKEN = 'at-0123456789abcdef';
const REFRESH_TOKEN = 'rt-v1.MRrtRefreshTokenValue0123';
const CODE = 'authz-code-0123';
const VERIFIER = 'verifier-0123456789-abcdefghijklmnopqrstuvwxyz~._-*';
const REDIRECT = 'https://app.example.com/callback?x=1&y=a b';
const AUD = 'https://api.example.com/';
const TRICKY = 'Zoë <b>&amp; "quoted" \\ back\ttab 🚀 ~*!\'()';

// catalogue name -> [client ('auth' or 'userinfo'), 4.x method path]
const SDK_OP = {
  'oauth.passwordGrant': 'oauth.passwordGrant',
  'oauth.clientCredentialsGrant': 'oauth.clientCredentialsGrant',
  'oauth.authorizationCodeGrant': 'oauth.authorizationCodeGrant',
  'oauth.authorizationCodeGrantWithPKCE': 'oauth.authorizationCodeGrantWithPKCE',
  'oauth.refreshToken': 'oauth.refreshTokenGrant',
  'tokens.revokeRefreshToken': 'oauth.revokeRefreshToken',
  'oauth.pushedAuthorization': 'oauth.pushedAuthorization',
  'passwordless.sendEmail': 'passwordless.sendEmail',
  'passwordless.sendSMS': 'passwordless.sendSMS',
  'passwordless.loginWithEmail': 'passwordless.loginWithEmail',
  'passwordless.loginWithSMS': 'passwordless.loginWithSMS',
  'database.signUp': 'database.signUp',
  'database.changePassword': 'database.changePassword',
  'users.getInfo': 'userinfo.getUserInfo',
};
// Methods whose second argument is `options` ({initOverrides}); for the
// others it is initOverrides itself.
const GRANT_OPTIONS = new Set(['oauth.passwordGrant', 'oauth.clientCredentialsGrant', 'oauth.authorizationCodeGrant',
  'oauth.authorizationCodeGrantWithPKCE', 'oauth.refreshTokenGrant', 'oauth.revokeRefreshToken',
  'oauth.pushedAuthorization', 'passwordless.loginWithEmail', 'passwordless.loginWithSMS']);

const cases = [];
function c(name, op, args, opts = {}) {
  cases.push({ name, op, args, client: 'normal', ...opts });
}

// ------------------------------------------------------------------- oauth
c('oauth.passwordGrant/basic', 'oauth.passwordGrant', [`username=${EMAIL}`, `password=${PW}`]);
c('oauth.passwordGrant/realm-scope-audience', 'oauth.passwordGrant', [`username=${EMAIL}`, `password=${PW}`, `realm=${CONN}`, 'scope=openid profile email offline_access', `audience=${AUD}`]);
c('oauth.passwordGrant/tricky', 'oauth.passwordGrant', [`username=${TRICKY}`, `password=${TRICKY}`]);
c('oauth.passwordGrant/client_id-override', 'oauth.passwordGrant', ['client_id=other-client', `username=${EMAIL}`, `password=${PW}`]);
c('oauth.passwordGrant/secret-in-data', 'oauth.passwordGrant', [`username=${EMAIL}`, 'client_secret=data-secret', `password=${PW}`]);
c('oauth.passwordGrant/grant_type-in-data', 'oauth.passwordGrant', ['grant_type=ignored', `username=${EMAIL}`, `password=${PW}`]);
c('oauth.passwordGrant/empty-realm', 'oauth.passwordGrant', [`username=${EMAIL}`, `password=${PW}`, 'realm=']);
c('oauth.passwordGrant/empty-username-passes', 'oauth.passwordGrant', ['username=', `password=${PW}`]);
c('oauth.passwordGrant/non-string', 'oauth.passwordGrant', ['username:=12345', `password=${PW}`, 'extra:={"a":1}', 'list:=[1,"b"]', 'flag:=true', 'nothing:=null']);
c('oauth.passwordGrant/missing-username', 'oauth.passwordGrant', [`password=${PW}`]);
c('oauth.passwordGrant/missing-password', 'oauth.passwordGrant', [`username=${EMAIL}`]);
c('oauth.passwordGrant/missing-client_secret', 'oauth.passwordGrant', [`username=${EMAIL}`, `password=${PW}`], { client: 'noSecret' });
c('oauth.passwordGrant/no-client-secret-in-data', 'oauth.passwordGrant', [`username=${EMAIL}`, `password=${PW}`, 'client_secret=data-secret'], { client: 'none' });

c('oauth.clientCredentialsGrant/basic', 'oauth.clientCredentialsGrant', [`audience=${AUD}`]);
c('oauth.clientCredentialsGrant/scope-organization', 'oauth.clientCredentialsGrant', [`audience=${AUD}`, 'scope=read:users update:users', 'organization=org_123']);
c('oauth.clientCredentialsGrant/empty-audience-passes', 'oauth.clientCredentialsGrant', ['audience=']);
c('oauth.clientCredentialsGrant/missing-audience', 'oauth.clientCredentialsGrant', ['scope=read:users']);
c('oauth.clientCredentialsGrant/missing-client_secret', 'oauth.clientCredentialsGrant', [`audience=${AUD}`], { client: 'noSecret' });
c('oauth.clientCredentialsGrant/blank-client_secret', 'oauth.clientCredentialsGrant', [`audience=${AUD}`, 'client_secret=   '], { client: 'noSecret' });

c('oauth.authorizationCodeGrant/basic', 'oauth.authorizationCodeGrant', [`code=${CODE}`, `redirect_uri=${REDIRECT}`]);
c('oauth.authorizationCodeGrant/no-redirect_uri', 'oauth.authorizationCodeGrant', [`code=${CODE}`]);
c('oauth.authorizationCodeGrant/missing-code', 'oauth.authorizationCodeGrant', [`redirect_uri=${REDIRECT}`]);
c('oauth.authorizationCodeGrant/missing-client_secret', 'oauth.authorizationCodeGrant', [`code=${CODE}`], { client: 'noSecret' });

c('oauth.authorizationCodeGrantWithPKCE/basic', 'oauth.authorizationCodeGrantWithPKCE', [`code=${CODE}`, `code_verifier=${VERIFIER}`, `redirect_uri=${REDIRECT}`]);
c('oauth.authorizationCodeGrantWithPKCE/missing-code_verifier', 'oauth.authorizationCodeGrantWithPKCE', [`code=${CODE}`]);
c('oauth.authorizationCodeGrantWithPKCE/missing-code', 'oauth.authorizationCodeGrantWithPKCE', [`code_verifier=${VERIFIER}`]);
c('oauth.authorizationCodeGrantWithPKCE/missing-client_secret', 'oauth.authorizationCodeGrantWithPKCE', [`code=${CODE}`, `code_verifier=${VERIFIER}`], { client: 'noSecret' });

c('oauth.refreshToken/basic', 'oauth.refreshToken', [`refresh_token=${REFRESH_TOKEN}`]);
c('oauth.refreshToken/scope', 'oauth.refreshToken', [`refresh_token=${REFRESH_TOKEN}`, 'scope=openid']);
c('oauth.refreshToken/missing-refresh_token', 'oauth.refreshToken', []);
c('oauth.refreshToken/missing-client_secret', 'oauth.refreshToken', [`refresh_token=${REFRESH_TOKEN}`], { client: 'noSecret' });

c('tokens.revokeRefreshToken/basic', 'tokens.revokeRefreshToken', [`token=${REFRESH_TOKEN}`]);
c('tokens.revokeRefreshToken/client_id-in-data', 'tokens.revokeRefreshToken', [`token=${REFRESH_TOKEN}`, 'client_id=other-client']);
c('tokens.revokeRefreshToken/missing-token', 'tokens.revokeRefreshToken', []);
c('tokens.revokeRefreshToken/missing-client_secret', 'tokens.revokeRefreshToken', [`token=${REFRESH_TOKEN}`], { client: 'noSecret' });

c('oauth.pushedAuthorization/basic', 'oauth.pushedAuthorization', [`client_id=${CLIENT_ID}`, 'response_type=code', `redirect_uri=${REDIRECT}`, 'scope=openid profile', 'state=xyz']);
c('oauth.pushedAuthorization/missing-response_type', 'oauth.pushedAuthorization', [`client_id=${CLIENT_ID}`, `redirect_uri=${REDIRECT}`]);
c('oauth.pushedAuthorization/missing-client_id', 'oauth.pushedAuthorization', ['response_type=code', `redirect_uri=${REDIRECT}`]);
c('oauth.pushedAuthorization/missing-redirect_uri', 'oauth.pushedAuthorization', [`client_id=${CLIENT_ID}`, 'response_type=code']);

// ------------------------------------------------------------ passwordless
const AUTH_PARAMS = 'authParams:={"scope":"openid email","redirect_uri":"https://app.example.com/cb"}';
c('passwordless.sendEmail/code', 'passwordless.sendEmail', [`email=${EMAIL}`, 'send=code']);
c('passwordless.sendEmail/no-send', 'passwordless.sendEmail', [`email=${EMAIL}`]);
c('passwordless.sendEmail/link-authParams', 'passwordless.sendEmail', [`email=${EMAIL}`, 'send=link', AUTH_PARAMS]);
c('passwordless.sendEmail/connection-given', 'passwordless.sendEmail', ['connection=my-connection', `email=${EMAIL}`, 'send=link']);
c('passwordless.sendEmail/missing-email', 'passwordless.sendEmail', ['send=link']);
c('passwordless.sendEmail/missing-client_secret', 'passwordless.sendEmail', [`email=${EMAIL}`], { client: 'noSecret' });

c('passwordless.sendSMS/basic', 'passwordless.sendSMS', [`phone_number=${PHONE}`]);
c('passwordless.sendSMS/missing-phone_number', 'passwordless.sendSMS', []);

c('passwordless.loginWithEmail/basic', 'passwordless.loginWithEmail', [`email=${EMAIL}`, 'code=123456']);
c('passwordless.loginWithEmail/scope-audience', 'passwordless.loginWithEmail', [`email=${EMAIL}`, 'code=123456', 'scope=openid email', `audience=${AUD}`]);
c('passwordless.loginWithEmail/missing-code', 'passwordless.loginWithEmail', [`email=${EMAIL}`]);
c('passwordless.loginWithEmail/missing-email', 'passwordless.loginWithEmail', ['code=123456']);

c('passwordless.loginWithSMS/basic', 'passwordless.loginWithSMS', [`phone_number=${PHONE}`, 'code=123456']);
c('passwordless.loginWithSMS/missing-phone_number', 'passwordless.loginWithSMS', ['code=123456']);

// ---------------------------------------------------------------- database
c('database.signUp/basic', 'database.signUp', [`email=${EMAIL}`, `password=${PW}`, `connection=${CONN}`]);
c('database.signUp/metadata', 'database.signUp', [`email=${EMAIL}`, `password=${PW}`, `connection=${CONN}`, 'username=jane', 'user_metadata:={"plan":"pro"}', 'given_name=Jane']);
c('database.signUp/no-client', 'database.signUp', [`email=${EMAIL}`, `password=${PW}`, `connection=${CONN}`], { client: 'none' });
c('database.signUp/missing-password', 'database.signUp', [`email=${EMAIL}`, `connection=${CONN}`]);
c('database.signUp/missing-connection', 'database.signUp', [`email=${EMAIL}`, `password=${PW}`]);

c('database.changePassword/basic', 'database.changePassword', [`email=${EMAIL}`, `connection=${CONN}`]);
c('database.changePassword/with-password', 'database.changePassword', [`email=${EMAIL}`, `password=${PW}`, `connection=${CONN}`]);
c('database.changePassword/missing-email', 'database.changePassword', [`connection=${CONN}`]);
c('database.changePassword/missing-connection', 'database.changePassword', [`email=${EMAIL}`]);

// ------------------------------------------------ client assertions (private_key_jwt)
c('oauth.clientCredentialsGrant/assertion', 'oauth.clientCredentialsGrant', [`audience=${AUD}`], { client: 'assertion' });
c('oauth.clientCredentialsGrant/assertion-over-secret', 'oauth.clientCredentialsGrant', [`audience=${AUD}`, 'scope=read:users'], { client: 'assertionAndSecret' });
c('oauth.passwordGrant/assertion', 'oauth.passwordGrant', [`username=${EMAIL}`, `password=${PW}`, `realm=${CONN}`], { client: 'assertion' });
c('oauth.passwordGrant/assertion-client_id-override', 'oauth.passwordGrant', ['client_id=other-client', `username=${EMAIL}`, `password=${PW}`], { client: 'assertion' });
c('oauth.authorizationCodeGrant/assertion', 'oauth.authorizationCodeGrant', [`code=${CODE}`, `redirect_uri=${REDIRECT}`], { client: 'assertion' });
c('tokens.revokeRefreshToken/assertion', 'tokens.revokeRefreshToken', [`token=${REFRESH_TOKEN}`], { client: 'assertion' });

// ---------------------------------------------------------------- userinfo
c('users.getInfo/basic', 'users.getInfo', [`accessToken=${ACCESS_TOKEN}`]);

// ------------------------------------------------------------------ runner

function parseArgs(args) {
  const obj = {};
  for (const a of args) {
    const eq = a.indexOf('=');
    if (eq <= 0) throw new Error(`bad arg ${JSON.stringify(a)}`);
    if (a[eq - 1] === ':') obj[a.slice(0, eq - 1)] = JSON.parse(a.slice(eq + 1));
    else obj[a.slice(0, eq)] = a.slice(eq + 1);
  }
  return obj;
}

class RecorderError extends Error {}

function invoke(sdk, data, kase) {
  const path = SDK_OP[kase.op];
  if (!path) throw new RecorderError(`no 4.x method for ${kase.op}`);
  const [member, method] = path.split('.');
  if (member === 'userinfo') {
    const extra = Object.keys(data).filter((k) => k !== 'accessToken');
    if (extra.length) throw new RecorderError(`${kase.name}: getUserInfo takes only accessToken`);
    return sdk.userinfo.getUserInfo(data.accessToken);
  }
  const target = sdk.auth[member];
  if (typeof target[method] !== 'function') throw new RecorderError(`no SDK method ${path}`);
  return target[method](data);
}

// inspectAssertion finds the client_assertion in a body the SDK sent (form or
// JSON), checks its signature with the public half of ASSERTION_KEY and
// returns it with the parts of it that do not change between runs.
function inspectAssertion(body, name) {
  let jwt;
  try {
    jwt = JSON.parse(body).client_assertion;
  } catch {
    jwt = new URLSearchParams(body).get('client_assertion');
  }
  if (typeof jwt !== 'string' || jwt.split('.').length !== 3) throw new Error(`${name}: no client_assertion in ${body}`);
  if (body.split(jwt).length !== 2) throw new Error(`${name}: the client_assertion is not verbatim once in the body`);
  const [h, p, sig] = jwt.split('.');
  const dec = (x) => JSON.parse(Buffer.from(x, 'base64url').toString('utf8'));
  const header = dec(h);
  const claims = dec(p);
  const crypto = require('crypto');
  const verified = header.alg === 'RS256' &&
    crypto.verify('sha256', Buffer.from(`${h}.${p}`), crypto.createPublicKey(ASSERTION_KEY), Buffer.from(sig, 'base64url'));
  if (!verified) throw new Error(`${name}: the SDK's client_assertion does not verify`);
  const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
  return {
    jwt,
    assertion: {
      header,
      claimOrder: Object.keys(claims),
      iss: claims.iss,
      sub: claims.sub,
      aud: claims.aud,
      expMinusIat: claims.exp - claims.iat,
      jtiIsUUIDv4: uuid.test(claims.jti),
      signatureVerified: verified,
    },
  };
}

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
        arrived.push({ method: req.method, url: req.url, headers: req.headers, body: Buffer.concat(chunks).toString('utf8') });
        const out = '{}';
        res.writeHead(200, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(out) });
        res.end(out);
      });
    }
  );
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const host = `127.0.0.1:${server.address().port}`;

  const clients = {};
  for (const [label, creds] of Object.entries(CLIENTS)) {
    clients[label] = {
      auth: new AuthenticationClient({ domain: host, ...creds }),
      userinfo: new UserInfoClient({ domain: host }),
    };
  }

  const results = [];
  for (const kase of cases) {
    arrived = [];
    const data = parseArgs(kase.args);
    let thrown = null;
    let settled = null;
    try {
      const p = invoke(clients[kase.client], data, kase);
      settled = await Promise.race([
        Promise.resolve(p).then(() => ({ ok: true }), (err) => ({ ok: false, err })),
        tick(5000).then(() => ({ timeout: true })),
      ]);
    } catch (err) {
      if (err instanceof RecorderError) throw err;
      thrown = err;
    }
    await tick(20);
    if (settled && settled.timeout) throw new Error(`${kase.name}: SDK call did not settle`);

    const out = { name: kase.name, op: kase.op };
    if (SDK_OP[kase.op] !== kase.op) out.sdkOp = SDK_OP[kase.op];
    out.client = { ...CLIENTS[kase.client] };
    if (out.client.clientAssertionSigningKey) out.client.clientAssertionSigningKey = ASSERTION_KEY_SHOWN;
    out.args = kase.args;
    if (arrived.length > 1) throw new Error(`${kase.name}: expected one request, got ${arrived.length}`);
    if (arrived.length === 1) {
      if (thrown) throw new Error(`${kase.name}: request sent but SDK threw: ${thrown.message}`);
      if (!settled.ok) console.error(`note: ${kase.name}: request sent, then SDK rejected: ${settled.err.message}`);
      const r = arrived[0];
      const headers = {};
      for (const h of ['content-type', 'authorization', 'auth0-forwarded-for']) {
        if (r.headers[h] !== undefined) headers[h] = r.headers[h];
      }
      out.expect = { method: r.method, path: r.url, headers, body: r.body };
      if (CLIENTS[kase.client].clientAssertionSigningKey) {
        const { jwt, assertion } = inspectAssertion(r.body, kase.name);
        out.expect.body = r.body.split(jwt).join(ASSERTION);
        out.expect.assertion = assertion;
      }
      if ((headers['content-type'] || '').startsWith('application/x-www-form-urlencoded')) {
        out.expect.form = [...new URLSearchParams(out.expect.body)];
      }
    } else {
      const err = thrown || (settled && !settled.ok && settled.err);
      if (!err) throw new Error(`${kase.name}: no request and no error`);
      out.refused = err.message;
    }
    results.push(out);
  }

  server.closeAllConnections();
  server.close();

  let json = JSON.stringify({ sdk: `auth0@${sdkVersion}`, cases: results }, null, 2) + '\n';
  if (json.includes(host)) json = json.split(host).join('');
  fs.writeFileSync(outFile, json);
  const sent = results.filter((r) => r.expect).length;
  console.error(`recorded ${results.length} cases (${sent} sent, ${results.length - sent} refused) to ${outFile}`);
}

main().catch((err) => {
  console.error(`record_v4.js: ${err.stack || err}`);
  process.exit(1);
});
