export { webhookEndpointsRouter } from './router.js';
export type { WebhookDeliveryList, WebhookEndpoint } from './schemas.js';
