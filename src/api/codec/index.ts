export { codecRouter, type CodecRouterOptions } from './codec-router.js';
