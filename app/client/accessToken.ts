// The token a protected server (RILL_TOKEN) asks for, kept for this tab only: sessionStorage survives a
// reload of the tab but not the tab, and other tabs do not see it. Sent as connectionParams { token } on
// the WebSocket and as `Authorization: Bearer <token>` on HTTP calls (see trpcClient.ts).

const KEY = "rill:token";

function storage(): Storage | null {
  try {
    return typeof sessionStorage === "undefined" ? null : sessionStorage;
  } catch {
    return null; // storage disabled: the token lasts as long as the page
  }
}

export function readAccessToken(): string | null {
  const value = storage()?.getItem(KEY);
  return value ? value : null;
}

export function saveAccessToken(token: string | null): void {
  const s = storage();
  if (!s) return;
  try {
    if (token) s.setItem(KEY, token);
    else s.removeItem(KEY);
  } catch {
    // full or disabled: the token still applies to this page
  }
}

/** How a connection authenticates: nothing, or the token in both forms the server reads. */
export function authHeaders(token: string | null): Record<string, string> {
  return token ? { authorization: `Bearer ${token}` } : {};
}

/**
 * The WebSocket client's connectionParams option: only with a token (with the option, the socket's URL
 * says `?connectionParams=1` and its first message carries them; without, nothing changes).
 */
export function connectionParamsOption(token: string | null): { connectionParams?: () => Record<string, string> } {
  return token ? { connectionParams: () => ({ token }) } : {};
}
