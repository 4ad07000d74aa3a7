export {
  createWebhookActivities,
  WEBHOOK_DELIVERY_FAILED,
  WEBHOOK_RETRY_WINDOW_PASSED,
  type WebhookActivities,
  type WebhookActivityDeps,
  type WebhookEventRef,
} from './webhook-activities.js';
export type { WebhookPostLimits } from './post-webhook.js';
