export { bearerTokenHashes, tokenHash } from './admin-bearer.js';
export { codecRouter, type CodecRouterOptions } from './codec-router.js';
