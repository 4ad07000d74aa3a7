export { healthRouter } from './router.js';
