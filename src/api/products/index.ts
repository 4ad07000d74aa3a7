export { productsRouter } from './router.js';
