// agent/ui/pages/login.ts: the login form, which exchanges the access token for a session cookie.
import { html } from 'hono/html';
import type { Html } from './layout.js';

export function loginBody(next: string, failed: boolean, tokenFile: string): Html {
  return html`<h1>Log in</h1>
${failed ? html`<p class="problems" role="alert">That is not the access token.</p>` : ''}
<form method="post" action="/login" class="decide">
<label>Access token <input type="password" name="token" required autocomplete="current-password" autofocus></label>
<input type="hidden" name="next" value="${next}">
<button type="submit">Log in</button>
<p class="muted">The token is in <code>${tokenFile}</code> on this host (readable by its owner only).</p>
</form>`;
}
