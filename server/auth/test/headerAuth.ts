// A LangGraph custom-auth module, as a langgraph.json `auth.path` would name it ("./headerAuth.ts:auth"):
// the `x-user` header is the identity; no header is 401, the user "blocked" is 403.
import { Auth, HTTPException } from "@langchain/langgraph-sdk/auth";

export const auth = new Auth().authenticate(async (request: Request) => {
  const user = request.headers.get("x-user");
  if (!user) throw new HTTPException(401, { message: "send x-user" });
  if (user === "blocked") throw new HTTPException(403, { message: "user blocked is not allowed here" });
  return { identity: user, permissions: ["runs:create"] };
});

/** Never answers: the server must refuse after its timeout, not hang the connection. */
export const silent = new Auth().authenticate(() => new Promise<string>(() => {}));

/** Not an Auth instance: loading it must say so. */
export const notAuth = { authenticate: () => "someone" };

export default new Auth().authenticate(() => "default-export-user");
