// The attack suite against the server with the production Next.js build (run by `npm run test:e2e`
// after the build): Next handles the page paths, and must not be what answers (or hides) a bad request.
import { attackSuite } from "./attackSuite";

attackSuite("attacks on the server with Next (production build)", { next: true });
