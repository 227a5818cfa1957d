// The attack suite against the server without Next.js, as the unit tests run it: nothing else catches
// what escapes, so an uncaught exception ends the process and fails the suite.
import { attackSuite } from "./attackSuite";

attackSuite("attacks on the server without Next", { next: false });
