export { orderWorkflow } from './order-workflow.js';
export { webhookDispatcherWorkflow } from './webhook-dispatcher.js';
