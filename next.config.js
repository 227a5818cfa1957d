// The custom server in server/main.ts hosts Next and the tRPC WebSocket on one port.
/** @type {import('next').NextConfig} */
const nextConfig = {
  reactStrictMode: true,
  // Engine and server code are imported as TypeScript source; keep server-only packages out of the client bundle.
  serverExternalPackages: ["ws"],
};
export default nextConfig;
