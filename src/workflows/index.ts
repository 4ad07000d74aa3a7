export { orderWorkflow } from './order-workflow.js';
