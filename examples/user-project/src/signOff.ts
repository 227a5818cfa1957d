// A project module the joke graph imports (dev reload follows edits to it).
export function signOff(): string {
  return process.env.JOKE_SIGN_OFF ? ` (${process.env.JOKE_SIGN_OFF})` : "";
}
