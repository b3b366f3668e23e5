// A real OpenID provider for the tests: the npm package `oidc-provider` (OpenID Certified), with
// its development login form, serving one client — coop-permits. It stands for the institution's
// identity provider (Entra ID, Okta, Google, Keycloak): the app talks to it exactly as to those.
//
//   node oidc/provider.mjs            # on OIDC_PORT (3110), for the app at APP_URL
//
// Environment:
//   OIDC_PORT        the port to listen on (127.0.0.1)
//   APP_URL          the app's public URL (its callback is APP_URL/auth/oidc/callback)
//   OIDC_CLIENT_ID, OIDC_CLIENT_SECRET   the client the app is registered as
//
// Whoever signs in on the login form with a login is that login: `staff@coop.example` is the
// account `staff@coop.example`, with a verified e-mail of the same name. A login of the form
// `number:300000001` has no e-mail and carries the student number instead (the `student_number`
// claim); `unverified:someone@example.ca` has an e-mail the provider does not vouch for.
import Provider from "oidc-provider";

const port = Number(process.env.OIDC_PORT ?? 3110);
const appUrl = (process.env.APP_URL ?? "http://127.0.0.1:3100").replace(/\/$/, "");
const issuer = `http://127.0.0.1:${port}`;

function claimsOf(login) {
  if (login.startsWith("number:")) {
    return { sub: login, student_number: login.slice("number:".length) };
  }
  if (login.startsWith("unverified:")) {
    return { sub: login, email: login.slice("unverified:".length), email_verified: false };
  }
  return { sub: login, email: login, email_verified: true, name: login.split("@")[0] };
}

const provider = new Provider(issuer, {
  clients: [
    {
      client_id: process.env.OIDC_CLIENT_ID ?? "coop-permits",
      client_secret: process.env.OIDC_CLIENT_SECRET ?? "coop-permits-test-secret",
      redirect_uris: [`${appUrl}/auth/oidc/callback`],
      post_logout_redirect_uris: [`${appUrl}/`],
      grant_types: ["authorization_code"],
      response_types: ["code"],
      token_endpoint_auth_method: "client_secret_basic",
    },
  ],
  claims: {
    openid: ["sub"],
    email: ["email", "email_verified"],
    profile: ["name"],
    student: ["student_number"],
  },
  scopes: ["openid", "email", "profile", "student"],
  pkce: { required: () => true },
  // ID tokens carry the claims themselves (an institution's provider does likewise).
  conformIdTokenClaims: false,
  features: { devInteractions: { enabled: true }, rpInitiatedLogout: { enabled: true } },
  async findAccount(_ctx, sub) {
    return { accountId: sub, async claims() { return claimsOf(sub); } };
  },
  // The institution's own app: no consent screen (the account grants what the client asks).
  async loadExistingGrant(ctx) {
    const grant = new ctx.oidc.provider.Grant({
      clientId: ctx.oidc.client.clientId,
      accountId: ctx.oidc.session.accountId,
    });
    grant.addOIDCScope("openid email profile student");
    grant.addOIDCClaims(["email", "email_verified", "name", "student_number"]);
    await grant.save();
    return grant;
  },
});
provider.proxy = false;

provider.listen(port, "127.0.0.1", () => {
  console.log(`oidc-provider listening on ${issuer}`);
});
