// A real OpenID Connect provider (node-oidc-provider) on 127.0.0.1 for the
// browser login test. Usage:
//   node provider.mjs REDIRECT_URI CLIENT_SECRET ACCOUNTS_JSON
// ACCOUNTS_JSON maps a login name to its claims, e.g.
//   {"anna": {"email": "anna@polisen.se", "email_verified": true}}
// Listens on a free port and prints "READY <issuer>" when it takes requests.
// The sign-in page is our own (the built-in dev pages load a web font from
// another host): any listed login name signs in, without a password.
import http from 'node:http';
import Provider from 'oidc-provider';

const [redirectUri, clientSecret, accountsJson] = process.argv.slice(2);
const accounts = JSON.parse(accountsJson);

const server = http.createServer();
await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
const issuer = `http://127.0.0.1:${server.address().port}`;

const provider = new Provider(issuer, {
  clients: [{
    client_id: 'lagesbild',
    client_secret: clientSecret,
    redirect_uris: [redirectUri],
    post_logout_redirect_uris: [redirectUri],
  }],
  claims: { openid: ['sub'], email: ['email', 'email_verified'], profile: ['name'] },
  // Streamlit reads the user from the ID token alone, so the claims go there.
  conformIdTokenClaims: false,
  cookies: { keys: ['lagesbild-test-only'] },
  features: { devInteractions: { enabled: false } },
  interactions: { url: (ctx, interaction) => `/interaction/${interaction.uid}` },
  async findAccount(ctx, id) {
    const claims = accounts[id];
    return claims && { accountId: id, claims: async () => ({ sub: id, name: id, ...claims }) };
  },
});

const page = (uid, message) => `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>Test provider</title></head>
<body><h1>Test provider sign-in</h1><p>${message}</p>
<form method="post" action="/interaction/${uid}">
<label>Login <input name="login" autofocus></label>
<button type="submit">Sign in</button></form></body></html>`;

async function readForm(req) {
  let body = '';
  for await (const chunk of req) body += chunk;
  return new URLSearchParams(body);
}

async function interaction(req, res, uid) {
  const details = await provider.interactionDetails(req, res);
  if (req.method === 'GET') {
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
    res.end(page(uid, 'Any listed login name signs in.'));
    return;
  }
  const login = (await readForm(req)).get('login');
  if (!Object.hasOwn(accounts, login)) {
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
    res.end(page(uid, 'Unknown login name.'));
    return;
  }
  // Sign in and consent in one step: the test is about the app, not the consent page.
  const grant = new provider.Grant({ accountId: login, clientId: details.params.client_id });
  grant.addOIDCScope(details.params.scope);
  const grantId = await grant.save();
  await provider.interactionFinished(req, res, { login: { accountId: login }, consent: { grantId } });
}

const callback = provider.callback();
server.on('request', (req, res) => {
  const match = req.url.match(/^\/interaction\/([\w-]+)$/);
  if (!match) return callback(req, res);
  return interaction(req, res, match[1]).catch((error) => {
    res.writeHead(500, { 'content-type': 'text/plain' });
    res.end(String(error));
  });
});
console.log(`READY ${issuer}`);
